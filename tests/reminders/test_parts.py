"""Cooperating parts: told when given a part, reminded on their own deadline, once, and escalated.

E-mails are read as the aiosmtpd server received them and matched to their
outbox row by Message-ID (a part's reminder row names the part's unit).
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.reminders.test_planner import days, outbox_by_message_id, plan_and_send, text_part
from tracker.dispatch import dispatch
from tracker.mail import AppMailer
from tracker.models import Notification, OutboxMessage
from tracker.services import workflow
from tracker.services.planner import plan_reminders

TASK_DEADLINE = date(2025, 3, 19)  # a Wednesday
PART_DEADLINE = date(2025, 3, 12)  # the Wednesday before: the Home Affairs department's own deadline


@pytest.fixture
def sent_events(db, smtp):
    """Deliver the e-mails of the setup (publication), so tests see only what follows."""

    def flush():
        db.session.commit()
        dispatch()
        smtp.clear()

    return flush


def part_mails(db, smtp, start: int = 0) -> list[tuple[str, str, str, int]]:
    """(part's unit, recipient, rule, occurrence) of the part reminders the server received from `start` on."""
    rows = outbox_by_message_id(db)
    found = []
    for message in smtp.messages[start:]:
        row = rows[message.message_id]
        assert message.rcpt_tos == [row.to_addr]
        if row.part_unit_id is not None:
            unit = db.session.get(type(row.user.unit), row.part_unit_id)
            found.append((unit.code, row.user.username, row.kind, row.occurrence))
    return sorted(found)


def part_notes(db, since_id: int = 0) -> list[tuple[str, str, str, int]]:
    """(part's unit id, recipient, rule, occurrence) of the in-app part reminders (key p:task:uUNIT:user:...)."""
    found = []
    for n in db.session.scalars(select(Notification).where(Notification.id > since_id,
                                                           Notification.dedupe_key.like("p:%"))):
        _p, _task, unit, _user, rule, occurrence, _deadline = n.dedupe_key.split(":")
        found.append((unit, n.user.username, rule, int(occurrence)))
    return sorted(found)


# SNV's part is due on 12 March, STC's has the task's deadline (19 March). No one is assigned to either,
# so their leaders (binh.lv, an.pt) are reminded; the 10th working day late escalates to the issuing side
# (nga.tt, for whom the notice was recorded, and thu.lt, the Office's secretary).
PART_LIFE = {
    date(2025, 3, 3): [("SNV", "binh.lv", "due_in_7d", 1)],
    date(2025, 3, 7): [("SNV", "binh.lv", "due_in_3d", 1)],
    date(2025, 3, 10): [("STC", "an.pt", "due_in_7d", 1)],
    date(2025, 3, 11): [("SNV", "binh.lv", "due_in_1d", 1)],
    date(2025, 3, 12): [("SNV", "binh.lv", "due_today", 1)],
    date(2025, 3, 13): [("SNV", "binh.lv", "overdue", 1)],
    date(2025, 3, 14): [("STC", "an.pt", "due_in_3d", 1)],
    date(2025, 3, 18): [("SNV", "binh.lv", "overdue", 2), ("STC", "an.pt", "due_in_1d", 1)],
    date(2025, 3, 19): [("STC", "an.pt", "due_today", 1)],
    date(2025, 3, 20): [("STC", "an.pt", "overdue", 1)],
    date(2025, 3, 21): [("SNV", "binh.lv", "overdue", 3)],
    date(2025, 3, 25): [("STC", "an.pt", "overdue", 2)],
    date(2025, 3, 26): [("SNV", "binh.lv", "overdue", 4), ("SNV", "nga.tt", "escalation", 1),
                        ("SNV", "thu.lt", "escalation", 1)],
    date(2025, 3, 28): [("STC", "an.pt", "overdue", 3)],
    date(2025, 3, 31): [("SNV", "binh.lv", "overdue", 5)],
}


def test_cooperating_parts_are_reminded_on_their_own_deadlines_exactly_once(db, world, smtp, sent_events):
    task = world.tasks([dict(deadline=TASK_DEADLINE, assignee="lan.nt", coop=[
        ("SNV", "Thẩm định vị trí việc làm", PART_DEADLINE), ("STC", "Bố trí kinh phí", None)])])[0]
    sent_events()
    by_day, notes_by_day = {}, {}
    for day in days(date(2025, 3, 1), date(2025, 3, 31)):
        start = len(smtp.messages)
        last_note = db.session.scalar(select(func.max(Notification.id))) or 0
        plan_and_send(db, day)
        plan_and_send(db, day)  # twice the same day: nothing more
        if got := part_mails(db, smtp, start):
            by_day[day] = got
        if notes := part_notes(db, last_note):
            notes_by_day[day] = notes
    assert by_day == PART_LIFE
    unit_ids = {"SNV": f"u{world.unit('SNV').id}", "STC": f"u{world.unit('STC').id}"}
    assert notes_by_day == {day: sorted((unit_ids[u], *rest) for u, *rest in got) for day, got in PART_LIFE.items()}
    assert all(n == 1 for n in smtp.by_message_id().values())

    # The reminder names the part, its duty and its own deadline, and links to the task.
    (row,) = [r for r in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "due_in_7d",
                                                                         OutboxMessage.part_unit_id.is_not(None),
                                                                         OutboxMessage.deadline == PART_DEADLINE))]
    (message,) = [m for m in smtp.messages if m.message_id == row.message_id]
    body = text_part(message.message)
    assert "Thẩm định vị trí việc làm" in body and "12/03/2025" in body and "Sở Nội vụ" in body
    assert f"/tasks/{task.id}" in body

    # Every day again: nothing more is queued.
    rows = db.session.scalar(select(func.count(OutboxMessage.id)))
    for day in days(date(2025, 3, 1), date(2025, 3, 31)):
        assert plan_reminders(day, mailer=AppMailer()) == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == rows


def test_a_part_marked_done_is_reminded_no_more_and_its_pending_reminders_are_cancelled(db, world, smtp, sent_events):
    task = world.tasks([dict(deadline=TASK_DEADLINE, coop=[("SNV", "Thẩm định", PART_DEADLINE)])])[0]
    sent_events()
    day = date(2025, 3, 3)
    plan_reminders(day, mailer=AppMailer())  # queued, not yet taken by the mail server
    db.session.commit()
    (pending,) = db.session.scalars(select(OutboxMessage).where(OutboxMessage.part_unit_id.is_not(None))).all()
    assert pending.state == "pending"
    workflow.report_part(world.user("binh.lv"), task, workflow.UpdateData(
        progress=100, results="Đã có văn bản thẩm định.", part_done=True), day)
    db.session.commit()
    for d in days(day, date(2025, 3, 31)):
        plan_and_send(db, d)
    assert db.session.get(OutboxMessage, pending.id).state == "cancelled"
    assert part_mails(db, smtp) == []


def test_a_moved_part_deadline_starts_its_reminders_afresh(db, world, smtp, sent_events):
    task = world.tasks([dict(deadline=TASK_DEADLINE, coop=[("SNV", "Thẩm định", PART_DEADLINE)])])[0]
    sent_events()
    plan_and_send(db, date(2025, 3, 3))
    assert part_mails(db, smtp) == [("SNV", "binh.lv", "due_in_7d", 1)]
    # The issuer gives the department two more days: the reminders count back from the new date.
    data = workflow.TaskData(title=task.title, lead_unit=task.lead_unit, assignee=task.assignee,
                             deadline=task.deadline, cooperating_units=[world.unit("SNV")],
                             part_details={world.unit("SNV").id: workflow.PartData("Thẩm định", date(2025, 3, 14))})
    workflow.update_task(world.user("thu.lt"), task, data, date(2025, 3, 4), expected_version=task.version)
    db.session.commit()
    start = len(smtp.messages)
    for d in days(date(2025, 3, 4), date(2025, 3, 14)):
        plan_and_send(db, d)
    assert part_mails(db, smtp, start) == [("SNV", "binh.lv", "due_in_1d", 1), ("SNV", "binh.lv", "due_in_3d", 1),
                                           ("SNV", "binh.lv", "due_in_7d", 1), ("SNV", "binh.lv", "due_today", 1)]


def test_the_person_a_cooperating_unit_put_on_its_part_is_reminded_instead_of_its_leaders(db, world, smtp,
                                                                                           sent_events):
    task = world.tasks([dict(deadline=TASK_DEADLINE, coop=[("STTTT-BCVT", "Hạ tầng mạng", PART_DEADLINE)])])[0]
    (part,) = task.cooperating_parts
    part.assignee = world.user("khoa.dm")
    sent_events()
    for d in (date(2025, 3, 3), date(2025, 3, 13)):
        plan_and_send(db, d)
    # Before the deadline the assigned person; once late, also the unit's leaders (the division has none:
    # its department's leaders are not told by the part's rules).
    assert part_mails(db, smtp) == [("STTTT-BCVT", "khoa.dm", "due_in_7d", 1),
                                    ("STTTT-BCVT", "khoa.dm", "overdue", 1)]


# --- told when given a part ------------------------------------------------------------------------

def told(db, kind: str) -> list[str]:
    return sorted(n.user.username for n in db.session.scalars(select(Notification).where(Notification.kind == kind)))


def event_mails(smtp, db, kind: str) -> dict[str, str]:
    rows = outbox_by_message_id(db)
    return {rows[m.message_id].user.username: text_part(m.message) for m in smtp.messages
            if rows[m.message_id].kind == kind}


def test_cooperating_units_are_told_on_publication_and_when_added_later(db, world, smtp):
    task = world.tasks([dict(deadline=TASK_DEADLINE, coop=[("SNV", "Thẩm định vị trí việc làm", PART_DEADLINE)])],
                       publish=False)[0]
    assert told(db, "cooperating") == []
    workflow.publish_directive(world.user("thu.lt"), task.directive, date(2025, 1, 2))
    db.session.commit()
    dispatch()
    assert told(db, "cooperating") == ["binh.lv"]
    body = event_mails(smtp, db, "cooperating")["binh.lv"]
    assert "Thẩm định vị trí việc làm" in body and "12/03/2025" in body and f"/tasks/{task.id}" in body

    # The issuer adds the Finance department: only its leader is told; nobody is told twice.
    smtp.clear()
    data = workflow.TaskData(title=task.title, lead_unit=task.lead_unit, assignee=task.assignee,
                             deadline=task.deadline, cooperating_units=[world.unit("SNV"), world.unit("STC")],
                             part_details={world.unit("STC").id: workflow.PartData("Bố trí kinh phí", None)})
    workflow.update_task(world.user("thu.lt"), task, data, date(2025, 1, 6), expected_version=task.version)
    db.session.commit()
    dispatch()
    assert told(db, "cooperating") == ["an.pt", "binh.lv"]
    mails = event_mails(smtp, db, "cooperating")
    assert list(mails) == ["an.pt"]
    assert "Bố trí kinh phí" in mails["an.pt"] and "19/03/2025" in mails["an.pt"]
    # The Home Affairs part kept its duty and deadline (a unit sent without details keeps them).
    parts = {p.unit.code: (p.duty, p.deadline_in_force, p.added_on) for p in task.cooperating_parts}
    assert parts == {"SNV": ("Thẩm định vị trí việc làm", PART_DEADLINE, None),
                     "STC": ("Bố trí kinh phí", TASK_DEADLINE, date(2025, 1, 6))}

    # A task added to the published notice with a cooperating unit tells that unit at once.
    smtp.clear()
    workflow.add_task(world.user("thu.lt"), task.directive, workflow.TaskData(
        title="Nhiệm vụ bổ sung", lead_unit=world.unit("STTTT"), deadline=TASK_DEADLINE,
        cooperating_units=[world.unit("DPTTH")]), date(2025, 1, 7))
    db.session.commit()
    dispatch()
    assert list(event_mails(smtp, db, "cooperating")) == ["son.hx"]
