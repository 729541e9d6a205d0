"""Who is told what: the in-app notifications and e-mails of workflow events.

The workflow calls `tell(users, kind, task)` as things happen; nothing is
written yet. Just before the unit of work commits, `deliver` writes one
in-app notification per person told and queues the e-mails of the kinds
that are mailed, through the outbox, in the same transaction: a refused or
rolled-back change tells nobody, and a saved one is told exactly as saved.
The web layer calls `deliver` from its commit hook (tracker.mail), handing
it the mailer that renders and links; a rollback forgets what was pending.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tracker.models import Notification, Task, User
from tracker.services.planner import enqueue_event_email

PENDING = "notices"  # the key of the pending events in `session.info`

# Events that also send an e-mail (through the outbox, sent after the commit).
EMAILED_EVENTS = frozenset({"assigned", "cooperating", "returned", "extension_approved", "extension_rejected", "submitted",
                            "extension_requested"})


@dataclass(frozen=True)
class Notice:
    """One person to tell of one event."""

    user: User
    kind: str
    task: Task | None
    title: str


def tell(session: Session, users, kind: str, task: Task | None, title: str | None = None) -> None:
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
        pending.append(Notice(user, kind, task, title[:500]))


def pending(session: Session) -> bool:
    return bool(session.info.get(PENDING))


def forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def deliver(session: Session, mailer, today: date) -> None:
    """Write the pending notices: an in-app notification each, and the e-mails of the mailed kinds."""
    notices = session.info.pop(PENDING, [])
    for notice in notices:
        session.add(Notification(user_id=notice.user.id, kind=notice.kind,
                                 task_id=notice.task.id if notice.task else None, title=notice.title))
        if notice.task is not None and notice.kind in EMAILED_EVENTS:
            enqueue_event_email(notice.user, notice.kind, notice.task, today, mailer)
