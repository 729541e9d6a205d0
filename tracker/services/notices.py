"""Who is told what: the in-app notifications and e-mails of workflow events.

The workflow calls `tell(users, kind, task)` as things happen; nothing is
written yet. Just before the unit of work commits, `deliver` writes one
in-app notification per person told and queues the e-mails of the kinds
that are mailed, through the outbox, in the same transaction: a refused or
rolled-back change tells nobody, and a saved one is told exactly as saved.
The web layer calls `deliver` from its commit hook (tracker.mail), handing
it the mailer that renders and links; a rollback forgets what was pending.

New work in a directive (its publication, tasks added later) is told with
`tell_items`: each person gets one notification and one e-mail per
directive and unit of work, listing every item they answer for in it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import Directive, Notification, Task, User
from tracker.rules.preferences import DIGEST, EMAIL, channel
from tracker.services.planner import enqueue_event_email, enqueue_items_email

PENDING = "notices"  # the key of the pending events in `session.info`

# Events that also send an e-mail (through the outbox, sent after the commit).
EMAILED_EVENTS = frozenset({"assigned", "cooperating", "returned", "extension_approved", "extension_rejected", "submitted",
                            "extension_requested", "difficulty"})


@dataclass(frozen=True)
class Item:
    """One thing a person answers for in a directive: a task they lead (`part` "lead"), or their share of it.

    `duty` and `deadline` describe a share that has its own (a cooperating
    part); a lead task's are the task's own.
    """

    task: Task
    part: str = "lead"
    duty: str = ""
    deadline: date | None = None


@dataclass(frozen=True)
class Notice:
    """One person to tell of one event (or, with `items`, of their new work in `directive`)."""

    user: User
    kind: str
    task: Task | None
    title: str
    directive: Directive | None = None
    items: list[Item] | None = None
    note: str = ""  # what the sender wrote with it, e.g. the assignment's instruction


def tell(session: Session, users, kind: str, task: Task | None, title: str | None = None, note: str = "") -> None:
    """Tell each active user of `users` (once each) of `kind` about `task`, when the change is saved.

    The text shown is the translated label of `kind` (in the reader's
    language) followed by `title`, the task's title by default.
    """
    title = title if title is not None else (task.title if task else "")
    pending = session.info.setdefault(PENDING, [])
    seen = set()
    for user in users:
        if user is None or not user.active or user.id in seen:
            continue
        seen.add(user.id)
        pending.append(Notice(user, kind, task, title[:500], note=note))


def tell_items(session: Session, directive: Directive, items_by_user, kind: str = "assigned") -> None:
    """Tell each person of their new `items` in `directive`: one message each, whatever the number of items.

    `items_by_user` is an iterable of (user, [Item]); items told of earlier
    in the same unit of work (several tasks added at once) join the same
    message.
    """
    pending = session.info.setdefault(PENDING, [])
    for user, items in items_by_user:
        if user is None or not user.active or not items:
            continue
        notice = next((n for n in pending if n.items is not None and n.user.id == user.id and n.kind == kind
                       and n.directive is directive), None)
        if notice is None:
            pending.append(Notice(user, kind, None, "", directive, []))
            notice = pending[-1]
        notice.items.extend(i for i in items if i not in notice.items)


def pending(session: Session) -> bool:
    return bool(session.info.get(PENDING))


def drop(session: Session, kind: str) -> None:
    """Tell nobody of the pending events of `kind` (e.g. history recorded after the fact)."""
    session.info[PENDING] = [n for n in session.info.get(PENDING, []) if n.kind != kind]


def forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def deliver(session: Session, mailer, today: date) -> None:
    """Write the pending notices: an in-app notification each, and the e-mails of the mailed kinds."""
    notices = session.info.pop(PENDING, [])
    for notice in notices:
        how = channel(notice.user.role, notice.user.notification_prefs, notice.kind)
        if how == DIGEST:  # the person chose the weekly digest only for this kind of message
            continue
        if notice.items is not None:
            _deliver_items(session, notice, mailer, today, email=how == EMAIL)
            continue
        session.add(Notification(user_id=notice.user.id, kind=notice.kind,
                                 task_id=notice.task.id if notice.task else None, title=notice.title))
        if notice.task is not None and notice.kind in EMAILED_EVENTS and how == EMAIL:
            enqueue_event_email(notice.user, notice.kind, notice.task, today, mailer, note=notice.note)


def items_title(directive: Directive, items: list[Item]) -> str:
    """The notification's text: the one task's title, or the document's number and its tasks' titles."""
    titles = list(dict.fromkeys(item.task.title for item in items))
    if len(titles) == 1:
        return titles[0][:500]
    return f"{directive.number}: {'; '.join(titles)}"[:500]


def _deliver_items(session: Session, notice: Notice, mailer, today: date, email: bool) -> None:
    tasks = {item.task.id for item in notice.items}
    session.add(Notification(user_id=notice.user.id, kind=notice.kind, directive_id=notice.directive.id,
                             task_id=next(iter(tasks)) if len(tasks) == 1 else None,
                             title=items_title(notice.directive, notice.items)))
    if email and notice.kind in EMAILED_EVENTS:
        enqueue_items_email(notice.user, notice.kind, notice.directive, notice.items, today, mailer)


def unread_sql(user_id):
    """SQL: how many in-app notifications of the user `user_id` (a value or a column) are unread: the bell."""
    return select(func.count()).select_from(Notification).where(Notification.user_id == user_id,
                                                                Notification.read_at.is_(None))
