"""Accessibility in a real browser: labels, the keyboard alone, and axe-core on the main pages.

axe-core comes from the npm registry, pinned in package.json / package-lock.json
(`make install-dev` runs `npm ci`). The app's CSP forbids inline scripts, so the pages
checked by axe are opened in a context that bypasses the CSP (the app's own pages are not
changed for the test).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.helpers import PASSWORD, flash, sign_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

# Every control a person fills must have a name a screen reader reads: a <label>, aria-label(ledby) or title.
UNLABELLED_JS = """() => {
  const skip = new Set(["hidden", "submit", "button", "reset", "image"]);
  const named = el => (el.labels && [...el.labels].some(l => l.textContent.trim()))
    || (el.getAttribute("aria-label") || "").trim()
    || (el.getAttribute("aria-labelledby") || "").split(/\\s+/).some(id => id && document.getElementById(id)
         && document.getElementById(id).textContent.trim())
    || (el.getAttribute("title") || "").trim();
  return [...document.querySelectorAll("input, select, textarea")]
    .filter(el => !skip.has((el.getAttribute("type") || "").toLowerCase()) && !named(el))
    .map(el => el.outerHTML.slice(0, 160));
}"""

# What the keyboard is on: the label of a field, the text of a link or button.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  return (el.getAttribute("aria-label") || label || el.textContent || "").replace(/\\s+/g, " ").trim();
}"""


def task_id(live_server, fragment: str) -> int:
    from tracker.database import db
    from tracker.models import Task

    with live_server.app.app_context():
        found = db.session.scalar(select(Task.id).where(Task.title.contains(fragment)).order_by(Task.id))
        db.session.remove()
    assert found, f"no demo task containing {fragment!r}"
    return found


def directive_id(live_server, number: str = "125/TB-UBND") -> int:
    from tracker.database import db
    from tracker.models import Directive

    with live_server.app.app_context():
        found = db.session.scalar(select(Directive.id).where(Directive.number == number))
        db.session.remove()
    return found


def tab_to(page: Page, name: str | re.Pattern, limit: int = 80) -> None:
    """Press Tab until the focus is on the field, link or button called `name`."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        seen.append(focused)
        if (name.search(focused) if isinstance(name, re.Pattern) else focused == name):
            return
    raise AssertionError(f"Tab never reached {name!r}; it went through {seen}")


# --- the keyboard alone -------------------------------------------------------------------------

def test_keyboard_alone_signs_in_and_reports_progress(new_context, live_server):
    page = new_context().new_page()
    page.goto("/login")
    keyboard = page.keyboard

    # The username field has the focus as the page opens (autofocus).
    expect(page.get_by_label("Tên đăng nhập")).to_be_focused()
    keyboard.type("lan.nt")
    keyboard.press("Tab")
    assert page.evaluate(FOCUSED_JS) == "Mật khẩu"
    keyboard.type(PASSWORD)
    keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile("/login"))
    expect(page.get_by_role("link", name="Nguyễn Thị Lan")).to_be_visible()

    # The first Tab of a page offers to skip the menu.
    keyboard.press("Tab")
    assert page.evaluate(FOCUSED_JS) == "Chuyển đến nội dung chính"

    # The focused link is visibly marked.
    tab_to(page, "Nhiệm vụ")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the keyboard's focus must be visible"
    keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Nhiệm vụ", level=1)).to_be_visible()

    # From the list to her task, to the report form, filled and sent with the keyboard.
    tab_to(page, "Triển khai kế hoạch ứng dụng IPv6")
    keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Triển khai kế hoạch ứng dụng IPv6", level=1)).to_be_visible()
    tab_to(page, "Báo cáo tiến độ")
    keyboard.press("Enter")
    keyboard.press("Tab")
    assert page.evaluate(FOCUSED_JS) == "Tiến độ (%)", "after the link, Tab goes into the report form"
    keyboard.type("75")
    tab_to(page, "Kết quả thực hiện")
    keyboard.type("Đã chuyển đổi IPv6 cho 12 sở, ngành.")
    tab_to(page, "Gửi báo cáo tiến độ")
    keyboard.press("Space")
    expect(flash(page)).to_contain_text("Đã ghi nhận báo cáo tiến độ của bạn.")
    expect(page.locator("#updates")).to_contain_text("Đã chuyển đổi IPv6 cho 12 sở, ngành.")
    expect(page.get_by_role("progressbar", name="Tiến độ")).to_have_attribute("aria-valuenow", "75")


def test_keyboard_opens_the_menu_on_a_phone(new_context):
    page = new_context(phone=True).new_page()
    sign_in(page, "lan.nt")
    menu = page.get_by_role("navigation", name="Menu chính")
    expect(menu).to_be_hidden()
    tab_to(page, "Menu")
    page.keyboard.press("Space")
    expect(menu).to_be_visible()
    tab_to(page, "Nhiệm vụ")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Nhiệm vụ", level=1)).to_be_visible()


# --- labels and axe-core on the main pages ------------------------------------------------------

PAGES = [
    # id, user, path (a callable of live_server, for the demo's ids), phone viewport
    ("login", None, lambda s: "/login", False),
    ("dashboard", "nga.tt", lambda s: "/dashboard", False),
    ("unit-dashboard", "hai.nv", lambda s: "/dashboard/unit", False),
    ("task-list", "hai.nv", lambda s: "/tasks", False),
    ("my-tasks-phone", "lan.nt", lambda s: "/tasks?view=mine", True),
    ("task-page", "hai.nv", lambda s: f"/tasks/{task_id(s, 'IPv6')}", False),
    ("task-decisions", "nga.tt", lambda s: f"/tasks/{task_id(s, 'Hoàn thiện đề án phát thanh')}", False),
    ("task-completion", "nga.tt", lambda s: f"/tasks/{task_id(s, 'Rà soát Kế hoạch ứng dụng CNTT')}", False),
    ("task-form", "thu.lt", lambda s: f"/tasks/{task_id(s, 'IPv6')}/edit", False),
    ("directive-page", "thu.lt", lambda s: f"/directives/{directive_id(s)}", False),
    ("directive-form", "thu.lt", lambda s: "/directives/new", False),
    ("assistant-review", "thu.lt", lambda s: f"/directives/{directive_id(s)}/extract", False),
    ("notifications", "nga.tt", lambda s: "/notifications", False),
    ("profile", "lan.nt", lambda s: "/profile", False),
    ("admin-users", "admin", lambda s: "/admin/users", False),
    ("admin-calendar", "admin", lambda s: "/admin/calendar", False),
]


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.exists(), f"{AXE} is missing: run `make install-dev` (npm ci installs axe-core from package-lock.json)"
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page, source: str) -> list[dict]:
    page.add_script_tag(content=source)
    return page.evaluate("""async () => {
      const r = await axe.run(document, {resultTypes: ["violations"]});
      return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — "
                                            + (n.failureSummary || "").replace(/\\s+/g, " "))}));
    }""")


@pytest.mark.parametrize("name,user,path,phone", PAGES, ids=[p[0] for p in PAGES])
def test_page_has_labels_and_no_serious_axe_violation(new_context, as_user, live_server, axe_source,
                                                      name, user, path, phone):
    page = as_user(user, phone=phone, bypass_csp=True) if user else new_context(phone=phone, bypass_csp=True).new_page()
    url = path(live_server)
    response = page.goto(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    if phone:
        page.locator("label.menu-button").click()  # the open menu is part of what a phone user sees
    unlabelled = page.evaluate(UNLABELLED_JS)
    assert not unlabelled, f"{url} as {user}: fields without a label: {unlabelled}"
    blocking = [v for v in axe_violations(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, f"{url} as {user}: " + "\n".join(
        f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in blocking)
