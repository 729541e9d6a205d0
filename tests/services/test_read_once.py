"""An answer read once per request (services/read_once) is forgotten as soon as the session writes."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from tracker.models import Task
from tracker.services.queries import closed_after
from tracker.timeutil import today


def test_closed_after_today_is_asked_once_and_forgotten_at_each_write(demo, db):
    day = today()
    session = db.session
    assert closed_after(session, day) is False
    task = session.scalar(select(Task).where(Task.state == "open").order_by(Task.id).limit(1))
    # A change flushed (the question, a statement of plain columns, does not flush the session itself).
    task.state, task.done_on = "done", day + timedelta(days=1)
    session.flush()
    assert closed_after(session, day) is True
    # An UPDATE statement through the session.
    session.execute(update(Task).where(Task.id == task.id).values(state="open", done_on=None))
    assert closed_after(session, day) is False
    # A savepoint rolled back takes its write with it.
    savepoint = session.begin_nested()
    session.execute(update(Task).where(Task.id == task.id).values(cancelled_on=day + timedelta(days=2)))
    assert closed_after(session, day) is True
    savepoint.rollback()
    assert closed_after(session, day) is False
    session.rollback()
