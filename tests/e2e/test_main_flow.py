"""The issue's flow in a real browser, each step checking what the person sees.

A secretary records a conclusion notice from the seed text and splits it into tasks (with the
conclusion assistant and the "add several tasks" rows), then publishes it; the department's
director assigns a task to a staff member; she reports progress from her phone; the director
(who reads English) reports completion; the Vice-Chair confirms it, approves an extension on
another task, and sees the dashboard's figures and her bell change.
"""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import SEED, accept_next_dialog, bell, choose, figures, flash, today, unread_count

pytestmark = pytest.mark.browser

NUMBER = "131/TB-UBND"
SUMMARY = ("Kết luận của Phó Chủ tịch UBND tỉnh Trần Thị Nga tại buổi làm việc với Lãnh đạo Sở Thông tin "
           "và Truyền thông ngày 29/5/2020")
CONTEST = "Tổng kết hội thi tuyên truyền biển đảo, báo cáo UBND tỉnh"
RADIO = "Hoàn thiện đề án phát thanh – truyền hình trình UBND tỉnh phê duyệt"  # demo task awaiting an extension


def test_conclusion_to_confirmed_task(as_user, live_server):
    day = today()

    # --- The Vice-Chair's starting point: the dashboard's figures and her unread notifications.
    nga = as_user("nga.tt")
    nga.goto("/dashboard")
    expect(nga.get_by_role("heading", name="Bảng điều hành", level=1)).to_be_visible()
    before = figures(nga)
    unread_before = unread_count(nga)

    # --- The secretary records the notice: number, date, summary and the text pasted from the seed.
    thu = as_user("thu.lt")
    thu.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Văn bản chỉ đạo", exact=True).click()
    thu.get_by_role("link", name="Nhập văn bản").click()
    expect(thu.get_by_role("heading", name="Nhập văn bản")).to_be_visible()
    thu.get_by_label("Số ký hiệu").fill(NUMBER)
    thu.get_by_label("Loại văn bản").select_option(label="Thông báo kết luận")
    thu.get_by_label("Ngày ban hành").fill((day - timedelta(days=2)).strftime("%d/%m/%Y"))
    choose(thu.get_by_label("Lãnh đạo chỉ đạo"), "Trần Thị Nga")
    thu.get_by_label("Người ký (họ tên, chức vụ)").fill("Trần Thị Nga, Phó Chủ tịch UBND tỉnh")
    thu.get_by_label("Trích yếu").fill(SUMMARY)
    seed = (Path(__file__).resolve().parents[2] / SEED).read_text(encoding="utf-8")
    thu.get_by_label("Toàn văn").fill(seed)
    thu.get_by_role("button", name="Lưu").click()
    expect(flash(thu)).to_contain_text(f"Đã nhập văn bản {NUMBER}")
    expect(thu.get_by_role("heading", level=1)).to_contain_text(NUMBER)
    expect(thu.get_by_text("Bản nháp: chỉ đơn vị của bạn xem được văn bản này")).to_be_visible()
    expect(thu.get_by_text(SUMMARY)).to_be_visible()
    directive_url = thu.url.split("#")[0]

    # --- ...lets the conclusion assistant propose the tasks, keeps two and gives them deadlines.
    thu.get_by_role("link", name="Đề xuất nhiệm vụ từ văn bản").click()
    expect(thu.get_by_role("heading", name="Đề xuất nhiệm vụ từ văn bản")).to_be_visible()
    rows = thu.locator("fieldset.proposal-row")
    expect(thu.get_by_role("heading", name=re.compile(r"Nhiệm vụ được đề xuất \(\d+\)"))).to_be_visible()
    proposals = rows.filter(has=thu.locator("legend a"))
    assert proposals.count() >= 8, "the assistant should find the seed's conclusions"
    keep = {"IPV6": day + timedelta(days=30), "LGSP": day + timedelta(days=45)}
    titles = {}
    for i in range(proposals.count()):
        row = proposals.nth(i)
        title = row.get_by_label("Nhiệm vụ", exact=True).input_value()
        key = next((k for k in keep if k in title), None)
        if key and key not in titles:
            titles[key] = title
            expect(row.get_by_label("Lưu nhiệm vụ này")).to_be_checked()
            expect(row.get_by_label("Đơn vị chủ trì")).to_have_value(re.compile(r"^[1-9]\d*$"))
            row.get_by_label("Thời hạn").fill(keep[key].strftime("%d/%m/%Y"))
        else:
            row.get_by_label("Lưu nhiệm vụ này").uncheck()
    assert set(titles) == set(keep), f"the assistant should propose the IPv6 and LGSP tasks, not only {titles}"
    ipv6 = titles["IPV6"]
    thu.get_by_role("button", name="Lưu các nhiệm vụ đã chọn").click()
    expect(flash(thu)).to_contain_text("Đã thêm 2 nhiệm vụ.")
    tasks_table = thu.locator("#tasks table")
    expect(tasks_table.get_by_role("link", name=ipv6, exact=True)).to_be_visible()
    expect(tasks_table.get_by_role("link", name=titles["LGSP"], exact=True)).to_be_visible()

    # --- ...adds one more with the batch rows, then publishes the notice.
    batch = thu.locator("#add-tasks")
    expect(batch.get_by_role("heading", name="Thêm nhanh nhiều nhiệm vụ")).to_be_visible()
    batch.get_by_label("Nhiệm vụ 1", exact=True).fill(CONTEST)
    choose(batch.get_by_label("Đơn vị chủ trì 1", exact=True), "Sở Khoa học và Công nghệ")
    batch.get_by_label("Thời hạn 1", exact=True).fill((day + timedelta(days=20)).strftime("%d/%m/%Y"))
    batch.get_by_label("Mức độ ưu tiên 1", exact=True).select_option(label="Cao")
    batch.get_by_role("button", name="Thêm các nhiệm vụ này").click()
    expect(flash(thu)).to_contain_text("Đã thêm 1 nhiệm vụ.")
    expect(thu.get_by_role("heading", name="Nhiệm vụ (3)")).to_be_visible()
    accept_next_dialog(thu)
    thu.get_by_role("button", name="Phát hành đến các đơn vị").click()
    expect(flash(thu)).to_contain_text(f"Đã phát hành văn bản {NUMBER}")
    expect(thu.get_by_text("Bản nháp:")).to_have_count(0)

    # --- The department's director finds the new task and assigns it to a staff member.
    hai = as_user("hai.nv")
    hai.goto(directive_url)
    hai.locator("#tasks").get_by_role("link", name=ipv6, exact=True).click()
    expect(hai.get_by_role("heading", name=ipv6, exact=True, level=1)).to_be_visible()
    expect(hai.locator(".facts")).to_contain_text("(chưa phân công: lãnh đạo đơn vị chủ trì)")
    task_url = hai.url
    choose(hai.get_by_label("Người thực hiện"), "Nguyễn Thị Lan")
    hai.get_by_role("button", name="Phân công").click()
    expect(flash(hai)).to_contain_text("Đã lưu người thực hiện.")
    expect(hai.locator(".facts")).to_contain_text("Nguyễn Thị Lan")

    # --- The staff member, on her phone: the menu hides behind its button; her task is in "my tasks".
    lan = as_user("lan.nt", phone=True)
    expect(bell(lan)).to_be_visible()  # the bell stays in the top bar: a new task is waiting
    assert unread_count(lan) >= 1
    menu = lan.get_by_role("navigation", name="Menu chính")
    expect(menu).to_be_hidden()
    lan.locator("label.menu-button").tap()
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="Nhiệm vụ", exact=True).tap()
    expect(lan.get_by_role("link", name="Nhiệm vụ của tôi")).to_have_attribute("aria-current", "page")
    lan.get_by_role("link", name=ipv6, exact=True).tap()
    expect(lan.get_by_role("heading", name=ipv6, exact=True, level=1)).to_be_visible()
    assert lan.evaluate("document.documentElement.scrollWidth") <= 390, "the task page must fit a phone's width"
    lan.get_by_role("link", name="Báo cáo tiến độ").tap()
    lan.get_by_label("Tiến độ (%)").fill("40")
    lan.get_by_label("Kết quả thực hiện").fill("Đã khảo sát hạ tầng mạng, lập danh sách thiết bị cần nâng cấp.")
    lan.get_by_label("Khó khăn, vướng mắc").fill("Một số thiết bị cũ không hỗ trợ IPv6.")
    lan.get_by_role("button", name="Gửi báo cáo tiến độ").tap()
    expect(flash(lan)).to_contain_text("Đã ghi nhận báo cáo tiến độ của bạn.")
    history = lan.locator("#updates")
    expect(history).to_contain_text("40%")
    expect(history).to_contain_text("Đã khảo sát hạ tầng mạng")
    expect(lan.get_by_role("progressbar", name="Tiến độ")).to_have_attribute("aria-valuenow", "40")

    # --- The director reads English: he switches the language in the footer, then reports completion.
    hai.goto(task_url)
    hai.get_by_role("button", name="English").click()
    expect(hai.locator("html")).to_have_attribute("lang", "en")
    expect(hai.get_by_role("heading", name="What you can do")).to_be_visible()
    expect(hai.locator("#updates")).to_contain_text("Nguyễn Thị Lan")
    hai.get_by_text("Report completion", exact=True).click()
    hai.get_by_label("Results achieved", exact=True).fill("Trung tâm dữ liệu và cổng thông tin tỉnh đã chạy IPv6.")
    hai.get_by_label("Report number", exact=True).fill("702/BC-STTTT")
    hai.get_by_label("Report date", exact=True).fill(f"{day:%Y-%m-%d}")
    hai.get_by_role("button", name="Send completion report").click()
    expect(flash(hai)).to_contain_text("The completion report has been sent to the issuer.")
    expect(hai.get_by_text("Completion reported; waiting for the issuer to confirm it.")).to_be_visible()
    hai.get_by_role("button", name="Tiếng Việt").click()
    expect(hai.locator("html")).to_have_attribute("lang", "vi")

    # --- The Vice-Chair: the bell counts the report (and the difficulty Lan raised: she is the issuing side);
    # the notifications page lists it, unread.
    nga.goto("/")
    expect(bell(nga)).to_have_attribute("aria-label", f"Thông báo: {unread_before + 2} chưa đọc")
    assert unread_count(nga) == unread_before + 2
    bell(nga).click()
    expect(nga.get_by_role("heading", name="Thông báo", level=1)).to_be_visible()
    newest = nga.locator("ul.notifications li").first
    expect(newest).to_have_class(re.compile(r"\bunread\b"))
    expect(newest).to_contain_text("Đã báo cáo hoàn thành")
    expect(newest).to_contain_text(ipv6)
    expect(nga.get_by_role("link", name=f"Chưa đọc ({unread_before + 2})")).to_be_visible()

    # --- ...opens it, confirms the completion.
    newest.get_by_role("button").click()
    expect(nga.get_by_role("heading", name=ipv6, exact=True, level=1)).to_be_visible()
    assert unread_count(nga) == unread_before + 1
    report = nga.locator("#decide-report")
    expect(report.get_by_role("heading", name=f"Báo cáo hoàn thành ngày {day:%d/%m/%Y}")).to_be_visible()
    expect(report).to_contain_text("702/BC-STTTT")
    expect(report).to_contain_text(f"{day:%d/%m/%Y}")
    report.get_by_label("Ghi chú (không bắt buộc)").fill("Ghi nhận kết quả.")
    report.get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(flash(nga)).to_contain_text("Đã xác nhận hoàn thành nhiệm vụ.")
    expect(nga.locator(".status-line")).to_contain_text("Hoàn thành đúng hạn")

    # --- ...approves the extension the department asked for on an overdue task, from the dashboard.
    nga.goto("/dashboard")
    nga.get_by_role("link", name=RADIO).first.click()
    expect(nga.get_by_role("heading", name=RADIO, level=1)).to_be_visible()
    expect(nga.locator(".status-line")).to_contain_text("Quá hạn")
    extension = nga.locator("#decide-extension")
    expect(extension.get_by_role("heading", name=re.compile(r"^Đề nghị gia hạn đến ngày"))).to_be_visible()
    extension.get_by_label("Ghi chú (bắt buộc nếu đồng ý ngày khác)").fill("Đồng ý, đề nghị Sở Tài chính sớm thẩm định.")
    extension.get_by_role("button", name="Đồng ý").click()
    expect(flash(nga)).to_contain_text("Đã đồng ý gia hạn.")
    expect(nga.locator(".status-line")).to_contain_text("Đang thực hiện trong hạn")

    # --- ...and the dashboard's figures follow: three new tasks, one done on time, one overdue fewer.
    nga.goto("/dashboard")
    after = figures(nga)
    assert after["total"] == before["total"] + 3
    assert after["done_on_time"] == before["done_on_time"] + 1
    assert after["overdue"] == before["overdue"] - 1
    assert after["in_progress"] == before["in_progress"] + 3
    assert after["done_late"] == before["done_late"]
    assert after["cancelled"] == before["cancelled"]
