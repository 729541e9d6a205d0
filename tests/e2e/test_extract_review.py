"""The conclusion assistant's review page in a real browser: rows without a lead and collectives.

The secretary pastes a text whose first instruction is addressed to "các sở, ban, ngành", whose
second names no actor and whose third names the Department of Home Affairs. The page asks for a
lead on the first two before saving; saving without one is refused at the field; she gives the
collective one task per department she ticks, a lead to the second, and saves them all at once.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.helpers import choose, flash, today

pytestmark = pytest.mark.browser

TEXT = ("Kết luận cuộc họp như sau: Yêu cầu các sở, ban, ngành rà soát thủ tục hành chính. "
        "Đề nghị tăng cường quản lý dân cư trên địa bàn. "
        "Giao Sở Nội vụ tổng hợp, báo cáo UBND tỉnh trước ngày 20 hằng tháng.")


def _directive_id(live_server) -> int:
    from tracker.database import db
    from tracker.models import Directive

    with live_server.app.app_context():
        return db.session.scalar(select(Directive.id).where(Directive.number == "125/TB-UBND"))


def test_rows_without_a_lead_ask_for_one_and_a_collective_expands(as_user, live_server):
    deadline = (today() + timedelta(days=20)).isoformat()
    thu = as_user("thu.lt")
    thu.goto(f"/directives/{_directive_id(live_server)}/extract")
    thu.get_by_text("Dùng nội dung khác hoặc tải tệp lên").click()
    thu.get_by_role("textbox", name="Nội dung thông báo kết luận").fill(TEXT)
    thu.get_by_role("button", name="Đề xuất nhiệm vụ").click()

    rows = thu.locator("fieldset.proposal-row").filter(has=thu.locator("legend a"))
    expect(rows).to_have_count(3)
    collective, no_actor, named = rows.nth(0), rows.nth(1), rows.nth(2)
    expect(collective.get_by_text("các sở, ban, ngành", exact=True)).to_be_visible()
    expect(collective.get_by_text("Giao cho một nhóm đơn vị: chọn đơn vị chủ trì")).to_be_visible()
    expect(no_actor.get_by_text("Văn bản không nêu đơn vị chủ trì: vui lòng chọn trước khi lưu.")).to_be_visible()
    expect(named.get_by_label("Đơn vị chủ trì")).not_to_have_value("0")
    expect(named.locator(".hint.warning")).to_have_count(0)

    # Saving as proposed: nothing is saved, the two rows without a lead say why at the field.
    collective.get_by_label("Thời hạn").fill(deadline)
    no_actor.get_by_label("Thời hạn").fill(deadline)
    thu.get_by_role("button", name="Lưu các nhiệm vụ đã chọn").click()
    expect(flash(thu)).to_contain_text("Chưa lưu nhiệm vụ nào")
    rows = thu.locator("fieldset.proposal-row").filter(has=thu.locator("legend a"))
    collective, no_actor = rows.nth(0), rows.nth(1)
    expect(collective.get_by_role("alert")).to_contain_text("đánh dấu các đơn vị để giao mỗi đơn vị một nhiệm vụ")
    expect(collective.get_by_label("Đơn vị chủ trì")).to_have_attribute("aria-invalid", "true")
    expect(no_actor.get_by_role("alert")).to_contain_text("Vui lòng chọn đơn vị chủ trì.")

    # One task per ticked department for the collective, a chosen lead for the other row.
    collective.locator("details.expand summary").click()
    collective.locator("label.check", has_text="Sở Nội vụ").locator("input").check()
    collective.locator("label.check", has_text="Sở Tài chính").locator("input").check()
    choose(no_actor.get_by_label("Đơn vị chủ trì"), "Sở Kế hoạch và Đầu tư")
    thu.get_by_role("button", name="Lưu các nhiệm vụ đã chọn").click()
    expect(flash(thu)).to_contain_text("Đã thêm 4 nhiệm vụ.")
    tasks = thu.locator("#tasks table")
    expect(tasks.get_by_role("link", name="Rà soát thủ tục hành chính", exact=True)).to_have_count(2)
    expect(tasks.get_by_role("link", name="Tăng cường quản lý dân cư trên địa bàn", exact=True)).to_have_count(1)
