"""What the browser tests do often: sign in, pick an option by its text, read the bell, read a figure."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

PASSWORD = "tracker-demo"
SEED = "tracker/demo_data/conclusion-stttt-2020-05-29.txt"


def today() -> date:
    """Today where the app lives (deadlines and statuses are computed in this zone)."""
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would (the labels are Vietnamese by default)."""
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def choose(select: Locator, text: str) -> None:
    """Select the option of `select` whose visible text contains `text` (unit lists are indented)."""
    values = select.locator("option").evaluate_all(
        "(options, text) => options.filter(o => o.textContent.includes(text)).map(o => o.value)", text)
    assert values, f"no option containing {text!r}"
    select.select_option(values[0])


def flash(page: Page) -> Locator:
    """The message that answers the last action (a status or an alert, at the top of the page)."""
    return page.locator("main > .flash[role]")


def bell(page: Page) -> Locator:
    """The bell of the top bar: its accessible name says how many notifications are unread."""
    return page.get_by_role("link", name=re.compile(r"^(Thông báo|Notifications): \d+"))


def unread_count(page: Page) -> int:
    name = bell(page).get_attribute("aria-label") or ""
    match = re.search(r": (\d+)", name)
    assert match, f"no count in the bell's name {name!r}"
    count = int(match.group(1))
    badge = bell(page).locator(".bell-count")
    if count:
        expect(badge).to_have_text(str(count))
    else:
        expect(badge).to_have_count(0)
    return count


def figure(page: Page, status: str) -> int:
    """A figure of the dashboard's "tasks by status" tiles (status: total, done_on_time, overdue, ...)."""
    return int(page.locator(f".figures .fig-{status} .n").first.inner_text().strip())


def figures(page: Page) -> dict[str, int]:
    return {s: figure(page, s) for s in ("total", "done_on_time", "done_late", "in_progress", "overdue", "cancelled")}


def accept_next_dialog(page: Page) -> None:
    """Say OK to the next confirm() (the app asks before publishing, cancelling, removing)."""
    page.once("dialog", lambda dialog: dialog.accept())
