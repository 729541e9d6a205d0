"""Progressive enhancement: with JavaScript off, people read every page and use the basic forms.

JavaScript only adds conveniences (a confirmation before publishing or cancelling); the last
test checks that one with JavaScript on.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import bell, choose, flash, sign_in, today, unread_count

pytestmark = pytest.mark.browser


@pytest.fixture
def no_js(new_context):
    """A page with JavaScript disabled, on a desktop or a phone, signed in through the form."""

    def factory(username: str, phone: bool = False):
        page = new_context(phone=phone, java_script_enabled=False).new_page()
        sign_in(page, username)
        return page

    return factory


def test_reading_pages_without_javascript(no_js):
    page = no_js("nga.tt")
    expect(page.get_by_role("heading", name="Bảng điều hành", level=1)).to_be_visible()
    assert int(page.locator(".figures .fig-total .n").inner_text()) > 0

    # The dashboard's filters are a plain GET form.
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", name="Bảng điều hành", level=1)).to_be_visible()

    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Nhiệm vụ", exact=True).click()
    expect(page.get_by_role("heading", name="Nhiệm vụ", level=1)).to_be_visible()
    page.get_by_role("checkbox", name=re.compile(r"^Quá hạn \d+$")).check()
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"status=overdue"))
    rows = page.locator("table.table tbody tr")
    expect(rows.first).to_contain_text("Quá hạn")
    for status in rows.locator("td:last-child").all_inner_texts():
        assert "Quá hạn" in status

    page.get_by_role("link", name="Hoàn thiện đề án phát thanh – truyền hình trình UBND tỉnh phê duyệt").click()
    expect(page.locator("#updates")).to_contain_text("Đã hoàn thành dự thảo đề án")
    page.get_by_role("link", name="125/TB-UBND").first.click()
    # The full text opens without JavaScript (<details>).
    page.get_by_text("Toàn văn", exact=True).click()
    expect(page.locator(".fulltext")).to_contain_text("Kết luận buổi làm việc")

    # Notifications open through a form's button, and are marked read.
    unread = unread_count(page)
    assert unread > 0
    bell(page).click()
    page.locator("ul.notifications li.unread").first.get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert unread_count(page) == unread - 1


def test_phone_menu_without_javascript(no_js):
    page = no_js("lan.nt", phone=True)
    menu = page.get_by_role("navigation", name="Menu chính")
    expect(menu).to_be_hidden()
    page.locator("label.menu-button").tap()
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="Nhiệm vụ", exact=True).tap()
    expect(page.get_by_role("link", name="Nhiệm vụ của tôi")).to_have_attribute("aria-current", "page")


def test_progress_report_without_javascript(no_js):
    page = no_js("lan.nt")
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Nhiệm vụ", exact=True).click()
    page.get_by_role("link", name="Triển khai kế hoạch ứng dụng IPv6").click()
    page.get_by_role("link", name="Báo cáo tiến độ").click()
    expect(page).to_have_url(re.compile("#report$"))

    # A wrong figure comes back with the message beside the field and what was typed kept.
    page.get_by_label("Tiến độ (%)").fill("150")
    page.get_by_label("Kết quả thực hiện").fill("Đã cấu hình IPv6 cho hệ thống thư điện tử công vụ.")
    page.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(page.locator("#report .error")).to_contain_text("0 đến 100")
    expect(page.get_by_label("Kết quả thực hiện")).to_have_value("Đã cấu hình IPv6 cho hệ thống thư điện tử công vụ.")

    page.get_by_label("Tiến độ (%)").fill("80")
    page.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(flash(page)).to_contain_text("Đã ghi nhận báo cáo tiến độ của bạn.")
    expect(page.locator("#updates li").first).to_contain_text("80%")
    expect(page.locator("#updates li").first).to_contain_text("thư điện tử công vụ")


def test_record_and_split_a_directive_without_javascript(no_js):
    day = today()
    page = no_js("thu.lt")
    page.goto("/directives/new")
    page.get_by_label("Số ký hiệu").fill("140/TB-UBND")
    page.get_by_label("Trích yếu").fill("Kết luận về chuyển đổi số cấp xã")
    page.get_by_role("button", name="Lưu").click()
    expect(flash(page)).to_contain_text("Đã nhập văn bản 140/TB-UBND")

    # The batch rows: one row with no lead unit is refused, and nothing is saved.
    batch = page.locator("#add-tasks")
    batch.get_by_label("Nhiệm vụ 1", exact=True).fill("Rà soát hạ tầng mạng các xã")
    choose(batch.get_by_label("Đơn vị chủ trì 1", exact=True), "Ủy ban nhân dân xã Phú Lộc")  # the commune since 1 July 2025
    batch.get_by_label("Thời hạn 1", exact=True).fill((day + timedelta(days=30)).strftime("%d/%m/%Y"))
    batch.get_by_label("Nhiệm vụ 2", exact=True).fill("Tập huấn kỹ năng số cho cán bộ")
    batch.get_by_label("Thường xuyên 2", exact=True).check()
    batch.get_by_role("button", name="Thêm các nhiệm vụ này").click()
    expect(flash(page)).to_contain_text("Chưa thêm nhiệm vụ nào")
    expect(page.locator("#add-tasks .error")).to_have_text(["Vui lòng chọn đơn vị chủ trì."])
    expect(page.get_by_role("heading", name="Nhiệm vụ (0)")).to_be_visible()

    # More rows come from the server, and the rows typed so far stay.
    batch = page.locator("#add-tasks")
    batch.get_by_role("button", name="Thêm dòng").click()
    batch = page.locator("#add-tasks")
    expect(batch.get_by_label("Nhiệm vụ 10", exact=True)).to_be_visible()
    expect(batch.get_by_label("Nhiệm vụ 1", exact=True)).to_have_value("Rà soát hạ tầng mạng các xã")
    choose(batch.get_by_label("Đơn vị chủ trì 2", exact=True), "Sở Nội vụ")
    batch.get_by_label("Nhiệm vụ 7", exact=True).fill("Báo cáo kết quả về UBND tỉnh")
    choose(batch.get_by_label("Đơn vị chủ trì 7", exact=True), "Sở Khoa học và Công nghệ")
    batch.get_by_label("Thời hạn 7", exact=True).fill((day + timedelta(days=60)).strftime("%d/%m/%Y"))
    batch.get_by_role("button", name="Thêm các nhiệm vụ này").click()
    expect(flash(page)).to_contain_text("Đã thêm 3 nhiệm vụ.")
    expect(page.get_by_role("heading", name="Nhiệm vụ (3)")).to_be_visible()
    tasks = page.locator("#tasks tbody")
    expect(tasks).to_contain_text("Rà soát hạ tầng mạng các xã")
    expect(tasks).to_contain_text("Thường xuyên")

    # Without JavaScript there is no confirmation: the button publishes at once.
    page.get_by_role("button", name="Phát hành đến các đơn vị").click()
    expect(flash(page)).to_contain_text("Đã phát hành văn bản 140/TB-UBND")


def test_with_javascript_publishing_asks_first(as_user):
    page = as_user("thu.lt")
    page.goto("/directives/new")
    page.get_by_label("Số ký hiệu").fill("141/TB-UBND")
    page.get_by_label("Trích yếu").fill("Kết luận về cải cách hành chính")
    page.get_by_role("button", name="Lưu").click()
    batch = page.locator("#add-tasks")
    batch.get_by_label("Nhiệm vụ 1", exact=True).fill("Công bố bộ thủ tục hành chính mới")
    choose(batch.get_by_label("Đơn vị chủ trì 1", exact=True), "Sở Nội vụ")
    batch.get_by_label("Thường xuyên 1", exact=True).check()
    batch.get_by_role("button", name="Thêm các nhiệm vụ này").click()
    expect(flash(page)).to_contain_text("Đã thêm 1 nhiệm vụ.")

    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", answer)
    page.get_by_role("button", name="Phát hành đến các đơn vị").click()
    expect(page.get_by_text("Bản nháp:")).to_be_visible()
    assert messages and messages[0].startswith("Bạn có chắc muốn phát hành văn bản này?")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Phát hành đến các đơn vị").click()
    expect(flash(page)).to_contain_text("Đã phát hành văn bản 141/TB-UBND")
