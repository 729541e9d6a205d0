"""Reminders are queued unrendered and written by the dispatcher as it sends them.

The planner stores what a reminder is (rule, repeat, deadline, days left,
period, part) and the dispatcher renders it just before sending: the mail
received is what the row then keeps; the admin's outbox names the task
until then; a reminder that cannot be rendered fails alone.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.dispatch import dispatch
from tracker.mail import AppMailer
from tracker.models import OutboxMessage
from tracker.services import planner
from tracker.services.planner import plan_reminders

DEADLINE = date(2025, 3, 19)  # a Wednesday; 10 March is 7 working days before it


def reminder_rows(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "due_in_7d")
                              .order_by(OutboxMessage.id)).all()


def test_a_reminder_is_written_when_sent_and_the_row_keeps_what_was_received(db, world, smtp, login_as):
    task = world.task("Rà soát hạ tầng mạng", deadline=DEADLINE)
    smtp.clear()
    plan_reminders(date(2025, 3, 10), mailer=AppMailer())
    db.session.commit()
    [row] = reminder_rows(db)
    assert row.subject == "" and row.body_text == "" and row.data["days_left"] == 7
    admin = login_as("admin")
    assert "Rà soát hạ tầng mạng" in admin.get("/admin/outbox").get_data(as_text=True)  # named before it is written

    dispatch()
    [row] = reminder_rows(db)
    [message] = [m for m in smtp.messages if m.message_id == row.message_id]
    assert row.state == "sent"
    assert message.subject == row.subject and "Rà soát hạ tầng mạng" in row.subject and "19/03/2025" in row.subject
    text = message.message.get_body(preferencelist=("plain",)).get_content()
    assert text.strip().splitlines() == row.body_text.strip().splitlines()
    assert "7" in text and "Nguyễn Thị Lan" in text and f"/tasks/{task.id}" in text
    assert f"/tasks/{task.id}" in message.message.get_body(preferencelist=("html",)).get_content()


def test_a_reminder_that_cannot_be_rendered_fails_alone(db, world, smtp, monkeypatch):
    world.tasks([dict(title="Nhiệm vụ một", deadline=DEADLINE), dict(title="Nhiệm vụ hai", deadline=DEADLINE,
                                                                     assignee="quang.dv")])
    dispatch()  # the e-mails of the publication
    smtp.clear()
    plan_reminders(date(2025, 3, 10), mailer=AppMailer())
    db.session.commit()
    render = planner.render_reminder

    def broken(row, mailer):
        if row.user.username == "lan.nt":
            raise ValueError("template error")
        return render(row, mailer)

    monkeypatch.setattr(planner, "render_reminder", broken)
    assert dispatch() == {"sent": 1, "retry": 0, "failed": 1}
    rows = {r.user.username: r for r in reminder_rows(db)}
    assert rows["lan.nt"].state == "failed" and "template error" in rows["lan.nt"].last_error
    assert rows["quang.dv"].state == "sent" and [m.rcpt_tos for m in smtp.messages] == [["quang.dv@example.gov.vn"]]
