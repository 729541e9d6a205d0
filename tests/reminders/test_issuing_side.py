"""The issuing side: the leader a directive speaks for and the person tracking it, and nobody else.

Completion reports, extension requests and difficulties awaiting a decision
reach those two (in the app and through the real SMTP server), not the
other leaders of the root unit; the permission to decide is unchanged.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.demo import add_user
from tracker.dispatch import dispatch
from tracker.models import Notification
from tracker.services import workflow

DAY = date(2025, 3, 10)
DEADLINE = date(2025, 3, 31)


def told(db, smtp, kind: str) -> tuple[list[str], list[str]]:
    """(usernames told of `kind` in the app, usernames e-mailed), after the commit and a dispatch."""
    db.session.commit()
    dispatch()
    in_app = sorted(n.user.username for n in db.session.scalars(select(Notification).where(Notification.kind == kind)))
    users = {n.user.email: n.user.username for n in db.session.scalars(select(Notification))}
    mailed = sorted(users[address] for m in smtp.messages for address in m.rcpt_tos if address in users
                    and m.message["Subject"].startswith("["))
    smtp.clear()
    return in_app, mailed


def test_the_completion_report_goes_to_the_vice_chair_and_the_tracking_secretary_only(db, world, smtp):
    task = world.task(deadline=DEADLINE, recorder="thu.lt", on_behalf_of="nga.tt")
    told(db, smtp, "assigned")
    workflow.submit_completion(world.user("lan.nt"), task, "Đã hoàn thành chuyển đổi IPv6.", DAY)
    assert told(db, smtp, "submitted") == (["nga.tt", "thu.lt"], ["nga.tt", "thu.lt"])  # not the Chairman hung.nv

    # Deciding stays with the issuing unit's leaders (domain.md): the Chairman may still confirm.
    workflow.return_completion(world.user("hung.nv"), task, "Bổ sung biên bản nghiệm thu.", DAY)
    db.session.commit()
    assert task.state == "open"


def test_extension_requests_and_difficulties_go_to_the_issuing_side_only(db, world, smtp):
    task = world.task(deadline=DEADLINE, recorder="thu.lt", on_behalf_of="nga.tt")
    told(db, smtp, "assigned")
    workflow.request_extension(world.user("lan.nt"), task, date(2025, 4, 15), "Chờ kinh phí.", DAY)
    assert told(db, smtp, "extension_requested") == (["nga.tt", "thu.lt"], ["nga.tt", "thu.lt"])
    workflow.post_update(world.user("lan.nt"), task, workflow.UpdateData(
        progress=40, results="Đã khảo sát.", difficulties="Thiếu thiết bị định tuyến hỗ trợ IPv6."), DAY)
    assert told(db, smtp, "difficulty") == (["nga.tt", "thu.lt"], ["nga.tt", "thu.lt"])
    workflow.post_update(world.user("lan.nt"), task, workflow.UpdateData(progress=50, results="Đã lắp đặt."), DAY)
    assert told(db, smtp, "difficulty") == (["nga.tt", "thu.lt"], [])  # a plain report tells nobody


def test_a_named_tracker_replaces_the_recorder(app, db, world, smtp):
    office = add_user("mai.ht", "Hồ Thị Mai", world.unit("UBND"), "secretary", email="mai.ht@example.gov.vn")
    db.session.commit()
    thu = world.user("thu.lt")
    directive = workflow.create_directive(thu, workflow.DirectiveData(
        number="7/TB-UBND", kind="conclusion", issued_on=date(2025, 1, 2), issuing_unit=world.unit("UBND"),
        title="Kết luận", on_behalf_of=world.user("hung.nv"), tracker=office))
    task = workflow.add_task(thu, directive, workflow.TaskData(title="Nhiệm vụ", lead_unit=world.unit("STTTT-CNTT"),
                                                               assignee=world.user("lan.nt"), deadline=DEADLINE),
                             date(2025, 1, 2))
    workflow.publish_directive(thu, directive, date(2025, 1, 2))
    told(db, smtp, "assigned")
    assert (directive.on_behalf_of.username, directive.tracker.username) == ("hung.nv", "mai.ht")
    workflow.submit_completion(world.user("lan.nt"), task, "Xong.", DAY)
    assert told(db, smtp, "submitted") == (["hung.nv", "mai.ht"], ["hung.nv", "mai.ht"])


def test_a_leader_recording_in_their_own_name_is_the_whole_issuing_side(db, world, smtp):
    task = world.task(deadline=DEADLINE, recorder="nga.tt", on_behalf_of=None)
    assert task.directive.tracker.username == "nga.tt"
    told(db, smtp, "assigned")
    workflow.submit_completion(world.user("lan.nt"), task, "Xong.", DAY)
    assert told(db, smtp, "submitted") == (["nga.tt"], ["nga.tt"])


def test_without_a_named_leader_every_leader_of_the_issuing_unit_is_told(db, world, smtp):
    task = world.task(deadline=DEADLINE, recorder="thu.lt", on_behalf_of=None)
    told(db, smtp, "assigned")
    workflow.submit_completion(world.user("lan.nt"), task, "Xong.", DAY)
    assert told(db, smtp, "submitted") == (["hung.nv", "nga.tt", "thu.lt"], ["hung.nv", "nga.tt", "thu.lt"])


def test_a_subtask_reports_to_the_leader_who_split_it(db, world, smtp):
    task = world.task(deadline=DEADLINE, lead="STTTT", assignee=None)
    sub = workflow.add_task(world.user("hai.nv"), task.directive, workflow.TaskData(
        title="Phần việc của Phòng CNTT", lead_unit=world.unit("STTTT-CNTT"), assignee=world.user("lan.nt"),
        deadline=DEADLINE), DAY, parent=task)
    told(db, smtp, "assigned")
    workflow.submit_completion(world.user("lan.nt"), sub, "Xong.", DAY)
    assert told(db, smtp, "submitted") == (["hai.nv"], ["hai.nv"])  # not the other director minh.pq
