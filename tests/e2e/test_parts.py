"""In a real browser: a unit given a cooperating part sees it in the bell, reports on it, and the issuer follows it.

The Office's secretary adds the Home Affairs department to a published demo task, with its own duty
and deadline (the duty row appears as the unit is chosen); the department's director finds the new
part in the bell, opens it, reports and marks the part done; the secretary sees it in the table.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import bell, flash, today, unread_count

pytestmark = pytest.mark.browser

TASK = "Triển khai các giải pháp Chính phủ điện tử, đô thị thông minh"  # demo task, due in 60 days, SKHDT cooperates
DUTY = "Rà soát các thủ tục hành chính liên quan đến chính quyền điện tử"


def test_a_cooperating_unit_sees_its_new_part_in_the_bell_and_reports_on_it(as_user, live_server):
    own_deadline = today() + timedelta(days=20)

    binh = as_user("binh.lv")
    binh.goto("/")
    unread_before = unread_count(binh)

    # --- The secretary adds the Home Affairs department to the task, with its duty and its own deadline.
    thu = as_user("thu.lt")
    thu.goto("/tasks?q=" + "đô thị thông minh")
    thu.get_by_role("link", name=TASK).first.click()
    task_url = thu.url.split("#")[0]
    thu.get_by_role("link", name="Sửa", exact=True).click()
    units = thu.locator("#cooperating_unit_ids")
    snv = units.locator("option").evaluate_all(
        "options => options.filter(o => o.textContent.trim() === 'Sở Nội vụ').map(o => o.value)")[0]
    units.select_option(units.evaluate("s => Array.from(s.selectedOptions).map(o => o.value)") + [snv])
    thu.get_by_label("Nội dung phối hợp của Sở Nội vụ").fill(DUTY)
    thu.get_by_label("Thời hạn của Sở Nội vụ").fill(own_deadline.isoformat())
    thu.get_by_role("button", name="Lưu").click()
    expect(flash(thu)).to_contain_text("Đã lưu nhiệm vụ")
    parts = thu.locator("section#parts")
    expect(parts.get_by_role("row", name=re.compile("Sở Nội vụ"))).to_contain_text(DUTY)
    expect(parts.get_by_role("row", name=re.compile("Sở Nội vụ"))).to_contain_text(f"{own_deadline:%d/%m/%Y}")

    # --- The director of Home Affairs: the bell counts the new part; the notification opens the task.
    binh.goto("/")
    expect(bell(binh)).to_have_attribute("aria-label", f"Thông báo: {unread_before + 1} chưa đọc")
    bell(binh).click()
    newest = binh.locator("ul.notifications li").first
    expect(newest).to_contain_text("Đơn vị được giao phối hợp thực hiện nhiệm vụ")
    expect(newest).to_contain_text(TASK)
    newest.get_by_role("button").click()
    expect(binh.get_by_role("heading", name=TASK, level=1)).to_be_visible()
    report = binh.locator("section#report")
    expect(report.get_by_role("heading", name="Báo cáo phối hợp của đơn vị bạn")).to_be_visible()
    expect(report).to_contain_text(f"Nội dung phối hợp của đơn vị bạn: {DUTY}")

    # --- ...reports on the part and marks it done.
    report.get_by_label("Kết quả thực hiện").fill("Đã rà soát 45 thủ tục, đề xuất đơn giản hóa 12 thủ tục.")
    report.get_by_label("Đơn vị đã hoàn thành phần phối hợp").check()
    report.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(flash(binh)).to_contain_text("Đã ghi nhận báo cáo phối hợp của đơn vị bạn.")
    mine = binh.locator("section#parts").get_by_role("row", name=re.compile("Sở Nội vụ"))
    expect(mine).to_contain_text("Hoàn thành đúng hạn")

    # --- The secretary sees the report and the status in the table.
    thu.goto(task_url)
    row = thu.locator("section#parts").get_by_role("row", name=re.compile("Sở Nội vụ"))
    expect(row).to_contain_text("Đã rà soát 45 thủ tục")
    expect(row).to_contain_text("Hoàn thành đúng hạn")
