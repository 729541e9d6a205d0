"""Helpers to read the pages as a user does and to find demo objects."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.pages import doc, errors_of, flashes, main_text, squash  # noqa: F401  (re-exported)
from tracker.models import AuditEvent, Directive, Notification, Task, Unit, User

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int = 9) -> datetime:
    """A moment on `day` in Vietnam, for time_machine.travel."""
    return datetime.combine(day, time(hour), tzinfo=VN)












def row_errors(response) -> list[str]:
    """Every inline error message of the page (the batch table shows them under the cells)."""
    return [squash(e.text_content()) for e in doc(response).xpath("//p[@class='error']")]


def links(response, prefix: str) -> list[str]:
    return [a.get("href") for a in doc(response).xpath("//main//a[@href]") if a.get("href").startswith(prefix)]


def task_rows(response) -> list[tuple[str, str]]:
    """(title, status label) of each row of a task table."""
    rows = []
    for tr in doc(response).xpath("//table//tbody/tr[td[@data-label='Task']/a]"):
        title = tr.xpath(".//td[@data-label='Task']/a")
        status = tr.xpath(".//td[@data-label='Status']/span[contains(@class, 'badge')][1]")
        rows.append((squash(title[0].text_content()) if title else "", squash(status[0].text_content())
                     if status else ""))
    return rows


def task_titles(response) -> list[str]:
    return [title for title, _ in task_rows(response)]


def status_counts(response) -> dict[str, int]:
    """The count beside each status checkbox of the filter bar (none when the list was not counted)."""
    counts = {}
    for label in doc(response).xpath("//fieldset[contains(@class, 'status-filter')]//label"):
        value = label.xpath(".//input/@value")[0]
        for span in label.xpath(".//span[@class='count']"):
            counts[value] = int(span.text_content())
    return counts


def user(db, username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def unit(db, code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def task_like(db, words: str) -> Task:
    """The one task whose title contains `words`."""
    (task,) = db.session.scalars(select(Task).where(Task.title.contains(words))).all()
    return task


def directive(db, number: str) -> Directive:
    return db.session.scalar(select(Directive).where(Directive.number == number))


def events(db, task: Task) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "task",
                                                            AuditEvent.object_id == task.id)
                                   .order_by(AuditEvent.id)))


def notifications(db, username: str, kind: str | None = None) -> list[Notification]:
    stmt = select(Notification).where(Notification.user_id == user(db, username).id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt.order_by(Notification.id)))


def refresh(db, obj):
    """Reload an object after a request changed it."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def form_values(response, action: str) -> dict[str, list[str]]:
    """What a browser would send from the page's form posting to `action` (before the user types)."""
    for form in doc(response).forms:
        target = form.action or response.request.path  # no action: the page's own address
        if target.split("#")[0].endswith(action):
            textareas = {t.get("name") for t in form.xpath(".//textarea")}
            values: dict[str, list[str]] = {}
            for name, value in form.form_values():
                if name in textareas and value.startswith("\n"):
                    value = value[1:]  # a browser drops the newline that opens a textarea
                values.setdefault(name, []).append(value)
            return values
    raise AssertionError(f"no form posting to {action}")


def batch_rows(response, directive_id: int, rows: list[dict], more: bool = False) -> dict[str, list[str]]:
    """Fill the "add several tasks" table of a directive page like a user, row by row."""
    values = form_values(response, f"/directives/{directive_id}/tasks")
    for n, row in enumerate(rows):
        for name, value in row.items():
            key = f"rows-{n}-{name}"
            assert name == "ongoing" or key in values, f"the table has no {key}"
            values[key] = [str(value)]
    values["add_rows" if more else "submit"] = ["1"]
    return values


def download(client, url: str):
    """GET a file and close it (its body is read first), so no file handle is left open."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response
