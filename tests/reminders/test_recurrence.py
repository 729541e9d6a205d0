"""Periodic tasks: occurrences materialised ahead, each reminded on its own deadline once, each with its status."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tracker.mail import AppMailer
from tracker.models import Notification, OutboxMessage, TaskOccurrence
from tracker.rules.recurrence import Recurrence
from tracker.services import recurrence, workflow
from tracker.services.planner import plan_reminders, render_reminder


def periodic_task(world, db, *, every="month", day=20, until=None, issued_on=date(2025, 1, 2)):
    """A monthly report task ("báo cáo trước ngày 20 hằng tháng") of a directive published on `issued_on`."""
    directive = world.directive("thu.lt", issued_on=issued_on, on_behalf_of="nga.tt")
    task = workflow.add_task(world.user("thu.lt"), directive, workflow.TaskData(
        title="Báo cáo tình hình chuyển đổi số", lead_unit=world.unit("STTTT-CNTT"), assignee=world.user("lan.nt"),
        recurrence=Recurrence(every, day, until)), issued_on)
    world.publish(directive, on=issued_on)
    db.session.commit()
    return task


def occurrence_keys(db, task_id, username="lan.nt"):
    """The in-app reminders of the task to `username`: rule:n:deadline:period."""
    return sorted(n.dedupe_key.split(":", 3)[3] for n in db.session.scalars(
        select(Notification).where(Notification.task_id == task_id, Notification.dedupe_key.like("r:%")))
        if n.user.username == username)


def test_a_periodic_task_is_ongoing_and_its_periods_exist_up_to_the_first_reminder_window(db, world):
    task = periodic_task(world, db)
    assert task.deadline is None and task.recur_every == "month"
    # Created on 2 January: January (due the 20th) exists; February begins after the window.
    assert [(o.period, o.deadline) for o in task.occurrences] == [("2025-01", date(2025, 1, 20))]
    # The planner's daily run creates the next ones as their periods come within the window.
    plan_reminders(date(2025, 1, 24), mailer=AppMailer())
    db.session.commit()
    assert [o.period for o in task.occurrences] == ["2025-01", "2025-02"]
    plan_reminders(date(2025, 1, 24), mailer=AppMailer())
    assert db.session.query(TaskOccurrence).filter_by(task_id=task.id).count() == 2  # not twice


def test_each_occurrence_is_reminded_on_its_own_deadline_exactly_once(db, world):
    task = periodic_task(world, db, until=date(2025, 3, 31))
    day = date(2025, 1, 2)
    while day <= date(2025, 4, 30):
        plan_reminders(day, mailer=AppMailer())
        plan_reminders(day, mailer=AppMailer())  # twice the same day: nothing more
        db.session.commit()
        if day == date(2025, 1, 21):  # January reported done the day after its deadline
            recurrence.report_done(world.user("lan.nt"), task, None, "Đã gửi báo cáo tháng 1.", day)
            db.session.commit()
        day += timedelta(days=1)
    keys = occurrence_keys(db, task.id)
    due_today = [k for k in keys if k.startswith("due_today")]
    assert due_today == ["due_today:1:2025-01-20:2025-01", "due_today:1:2025-02-20:2025-02",
                         "due_today:1:2025-03-20:2025-03"]
    assert len(keys) == len(set(keys))  # the keys are unique in the table anyway: check none was renamed
    assert [k for k in keys if k.startswith("due_in_7d")] == [
        "due_in_7d:1:2025-01-20:2025-01", "due_in_7d:1:2025-02-20:2025-02", "due_in_7d:1:2025-03-20:2025-03"]
    # January was reported on the 21st: one overdue reminder (that day's run came first), then none.
    assert [k for k in keys if k.startswith("overdue") and k.endswith("2025-01")] == ["overdue:1:2025-01-20:2025-01"]
    # February and March were never reported: overdue reminders go on; no period after the end date.
    assert any(k.startswith("overdue") and k.endswith("2025-02") for k in keys)
    assert [o.period for o in task.occurrences] == ["2025-01", "2025-02", "2025-03"]
    # The e-mail names the period and its deadline (rendered as the dispatcher renders it when it sends it).
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.task_id == task.id,
                                                         OutboxMessage.kind == "due_today",
                                                         OutboxMessage.deadline == date(2025, 2, 20)))
    subject, text, _html = render_reminder(mail, AppMailer())
    assert "(2025-02)" in subject and "20/02/2025" in subject
    assert "Báo cáo tình hình chuyển đổi số (2025-02)" in text


def test_a_late_month_is_shown_late_while_the_next_is_on_time(db, world):
    task = periodic_task(world, db)
    plan_reminders(date(2025, 2, 14), mailer=AppMailer())
    recurrence.report_done(world.user("lan.nt"), task, "2025-01", "Báo cáo tháng 1 (gửi muộn).", date(2025, 1, 25))
    recurrence.report_done(world.user("lan.nt"), task, None, "Báo cáo tháng 2.", date(2025, 2, 18))
    db.session.commit()
    jan, feb = task.occurrences[:2]
    assert (recurrence.status(jan, date(2025, 2, 18)), recurrence.status(feb, date(2025, 2, 18))) == (
        "done_late", "done_on_time")
    assert recurrence.status(jan, date(2025, 1, 22)) == "overdue"
    assert recurrence.occurrence_counts([task], date(2025, 2, 18)) == {"done_late": 1, "done_on_time": 1}


def test_an_extension_moves_one_occurrence_only(db, world):
    task = periodic_task(world, db)
    plan_reminders(date(2025, 1, 24), mailer=AppMailer())
    world.extend(task, "lan.nt", to=date(2025, 1, 31), asked=date(2025, 1, 15), decider="nga.tt")
    db.session.commit()
    jan, feb = task.occurrences[:2]
    assert (jan.deadline, jan.original_deadline, feb.deadline) == (date(2025, 1, 31), date(2025, 1, 20),
                                                                  date(2025, 2, 20))
    assert task.deadline is None
    assert recurrence.status(jan, date(2025, 1, 25)) == "in_progress"
