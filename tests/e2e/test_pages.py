"""The pages as an office reads them (issue 17), in the browser: errors at the field, dates as dd/mm/yyyy
whatever the browser's language, with the app's own date picker."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import today

pytestmark = pytest.mark.browser


def open_task(page, words: str) -> None:
    page.goto("/tasks")
    page.locator("table.table tbody tr").filter(has_text=words).get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text(words)


def test_errors_beside_the_fields_focused_and_text_never_cut(as_user):
    page = as_user("lan.nt")
    open_task(page, "IPv6")
    report = page.locator("#report")
    report.get_by_role("button", name="Gửi báo cáo tiến độ").click()

    # Back with the errors in the form, beside their fields, in Vietnamese; the first one has the focus.
    report = page.locator("#report")
    expect(report.locator(".flash")).to_have_text("Vui lòng sửa các lỗi bên dưới.")
    expect(page.locator("#progress-error")).to_have_text("Vui lòng nhập tiến độ theo phần trăm.")
    expect(page.get_by_label("Tiến độ (%)")).to_be_focused()
    expect(page.get_by_label("Tiến độ (%)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Tiến độ (%)")).to_be_in_viewport()

    # A pasted text longer than the limit stays whole: the counter says how much to cut.
    proposals = page.get_by_label("Đề xuất, kiến nghị")
    expect(page.locator("#proposals-counter")).to_have_text("Còn 10000 ký tự")
    proposals.fill(("Đề nghị bổ sung kinh phí. " * 400)[:10_004])
    expect(page.locator("#proposals-counter")).to_have_text("Thừa 4 ký tự: vui lòng rút gọn")
    assert len(proposals.input_value()) == 10_004
    page.get_by_label("Tiến độ (%)").fill("40")
    page.get_by_label("Kết quả thực hiện").fill("Đã chuyển đổi 40% hệ thống.")
    page.locator("#report").get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(page.locator("#proposals-error")).to_have_text("Trường này không được dài quá 10000 ký tự.")
    expect(page.get_by_label("Đề xuất, kiến nghị")).to_be_focused()
    assert len(page.get_by_label("Đề xuất, kiến nghị").input_value()) == 10_004


def test_dates_are_dd_mm_yyyy_in_an_english_browser_with_the_apps_picker(as_user):
    page = as_user("lan.nt", locale="en-US")  # the browser speaks English; the app speaks Vietnamese
    assert page.evaluate("navigator.language") == "en-US"
    open_task(page, "IPv6")
    page.locator("#extension summary").click()
    box = page.get_by_label("Thời hạn mới")
    expect(box).to_have_attribute("placeholder", "dd/mm/yyyy")
    assert box.get_attribute("type") == "text"

    # The picker, served by the app, writes the chosen day as dd/mm/yyyy.
    page.locator("#extension").get_by_role("button", name="Chọn ngày").click()
    picker = page.get_by_role("dialog", name="Chọn ngày")
    expect(picker).to_be_visible()
    first = today().replace(day=1)
    in_two_months = date(first.year + (first.month + 1) // 12, (first.month + 1) % 12 + 1, 4)
    picker.get_by_role("button", name="Tháng sau").click()
    picker.get_by_role("button", name="Tháng sau").click()
    expect(picker.locator(".datepicker-title")).to_have_text(f"Tháng {in_two_months.month}/{in_two_months.year}")
    picker.get_by_role("button", name=in_two_months.strftime("%d/%m/%Y"), exact=True).click()
    expect(picker).to_be_hidden()
    expect(box).to_have_value(in_two_months.strftime("%d/%m/%Y"))
    page.locator("#extension").get_by_label("Lý do").fill("Chờ thiết bị.")
    page.locator("#extension").get_by_role("button", name="Đề nghị gia hạn").click()
    # Read as the 4th of that month, not as month 4.
    expect(page.get_by_text(f"Đề nghị gia hạn đến ngày {in_two_months:%d/%m/%Y} đang chờ quyết định.")).to_be_visible()

    # Typed by hand in a filter: the list keeps it as typed.
    page.goto("/tasks")
    expect(page.locator("input[name=due_before]")).to_have_attribute("placeholder", "dd/mm/yyyy")
    page.locator("input[name=due_before]").fill("04/12/2099")
    page.locator("input[name=due_before]").press("Enter")
    expect(page).to_have_url(re.compile(r"due_before="))
    expect(page.locator("input[name=due_before]")).to_have_value("04/12/2099")


def test_the_task_list_says_what_it_shows_and_exports_it(as_user):
    page = as_user("hai.nv")
    page.goto("/tasks?view=all")
    page.get_by_label("Văn bản (số, ký hiệu)").fill("125/tb-ubnd")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ: 125/TB-UBND")
    expect(page.get_by_label("Văn bản (số, ký hiệu)")).to_have_value("125/TB-UBND")
    overdue = page.locator("table.table tbody tr").filter(has_text="đề án phát thanh")
    expect(overdue.locator(".days-overdue")).to_have_text("Quá hạn 8 ngày")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.startswith("danh-sach-nhiem-vu-")
    # The document's page leads back to this list.
    page.locator("table.table tbody tr").first.get_by_role("link", name="125/TB-UBND").click()
    page.get_by_role("link", name="Danh sách nhiệm vụ của văn bản (lọc, xuất)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ: 125/TB-UBND")


def test_the_dashboard_counts_each_unit_under_the_viewers_and_opens_the_level_below(as_user):
    page = as_user("nga.tt")
    page.goto("/dashboard")
    table = page.locator("section[aria-labelledby=units-h] table")
    # The IT division is counted under its department, not ranked beside it.
    expect(table.get_by_role("cell", name=re.compile("^Phòng CNTT"))).to_have_count(0)
    department = table.locator("tbody tr").filter(has_text="Sở TT&TT")
    department.get_by_role("link", name=re.compile("các đơn vị trực thuộc")).click()
    table = page.locator("section[aria-labelledby=units-h] table")
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text("(do chính đơn vị chủ trì)")
    expect(rows.filter(has_text="Phòng CNTT")).to_have_count(1)
    # A division with no task is listed with zeros.
    expect(rows.filter(has_text="0").first).to_be_visible()


def test_a_future_date_asks_and_a_draft_can_be_deleted(as_user):
    from datetime import timedelta

    from tests.e2e.helpers import accept_next_dialog, choose, flash

    thu = as_user("thu.lt")
    thu.goto("/directives/new")
    thu.get_by_label("Số ký hiệu").fill("999/TB-UBND")
    later = today() + timedelta(days=40)
    thu.get_by_label("Ngày ban hành").fill(later.strftime("%d/%m/%Y"))
    choose(thu.get_by_label("Lãnh đạo chỉ đạo"), "Trần Thị Nga")
    thu.get_by_label("Trích yếu").fill("Thông báo thử để xóa")
    thu.get_by_role("button", name="Lưu").click()
    # The date is questioned at its field, which takes the focus; a box confirms it.
    expect(thu.locator("#issued_on-error")).to_contain_text("Ngày này sau ngày hôm nay")
    expect(thu.get_by_label("Ngày ban hành")).to_be_focused()
    thu.get_by_label("Đúng, văn bản ghi ngày trong tương lai").check()
    thu.get_by_role("button", name="Lưu").click()
    expect(thu.get_by_role("heading", level=1)).to_contain_text("999/TB-UBND")
    accept_next_dialog(thu)
    thu.get_by_role("button", name="Xóa bản nháp").click()
    expect(flash(thu)).to_have_text("Đã xóa văn bản nháp 999/TB-UBND cùng các nhiệm vụ của văn bản.")
    expect(thu.locator("main table").get_by_text("999/TB-UBND")).to_have_count(0)


@pytest.mark.parametrize("username", ["admin", "thu.lt", "nga.tt"])
def test_the_top_bar_fits_on_one_line_at_1280_px(as_user, username):
    page = as_user(username)
    page.goto("/admin/" if username == "admin" else "/tasks")
    links = page.get_by_role("navigation", name="Menu chính").get_by_role("link")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1, (username, tops)  # every entry on one line
    expect(page.locator(".who-meta")).to_be_visible()
