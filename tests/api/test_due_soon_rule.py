"""One due-soon rule (issue 17, point 8): once the admin changes the reminder window, the task page, the
task list, the dashboard and the API agree on which tasks are due soon."""
from __future__ import annotations

from sqlalchemy import select

from tests.pages import doc
from tracker.models import Task

RULES = {"on_day": "y", "overdue_first": "1", "overdue_every": "3", "escalate_after": "10", "send_hour": "8",
         "digest_weekday": "0", "digest_hour": "7", "digest_minute": "30", "email_enabled": "y", "inapp_enabled": "y"}


def views(login_as, api, task) -> dict[str, bool]:
    hai = login_as("hai.nv")
    page = doc(hai.get(f"/tasks/{task.id}"))
    row = doc(hai.get("/tasks?view=all&per_page=200")).xpath(
        f"//tbody/tr[td/a[@href='/tasks/{task.id}']]")[0]
    dashboard = doc(hai.get("/dashboard"))
    soon = dashboard.xpath("//section[@aria-labelledby='soon-h']")[0]
    return {
        "task page": bool(page.xpath("//p[@class='status-line']/span[contains(@class, 'due_soon')]")),
        "task list": bool(row.xpath(".//span[contains(@class, 'due_soon')]")),
        "dashboard": bool(soon.xpath(f".//a[@href='/tasks/{task.id}']")),
        "api": api.get("hai.nv", f"/tasks/{task.id}").get_json()["due_soon"],
    }


def test_pages_dashboard_and_api_agree_after_the_admin_changes_the_window(db, login_as, api):
    task = db.session.scalar(select(Task).where(Task.title.contains("ứng dụng IPv6")))  # due in 5 days
    assert set(views(login_as, api, task).values()) == {True}  # within the default 7 working days
    admin = login_as("admin")
    assert admin.post("/admin/reminders", data={**RULES, "before_days": "2, 1"}).status_code == 302
    assert views(login_as, api, task) == dict.fromkeys(("task page", "task list", "dashboard", "api"), False)
    assert admin.post("/admin/reminders", data={**RULES, "before_days": "10, 5"}).status_code == 302
    assert set(views(login_as, api, task).values()) == {True}
