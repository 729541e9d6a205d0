"""Each person's choice per kind of message, honoured by the notices and the planner (real SMTP server).

E-mail and bell, bell only, or the weekly digest only; chosen on the profile page.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.tasks.pages import form_values
from tracker.dispatch import dispatch
from tracker.mail import AppMailer
from tracker.models import AuditEvent, Notification
from tracker.services import workflow
from tracker.services.planner import plan_digest, plan_reminders

DEADLINE = date(2025, 3, 19)  # a Wednesday
MONDAY = date(2025, 3, 17)


def told(db, smtp, world, username: str) -> tuple[list[str], list[str]]:
    """(kinds in the bell, subjects e-mailed) for `username` since the last call."""
    db.session.commit()
    dispatch()
    user = world.user(username)
    bell = [n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                                          Notification.read_at.is_(None)))]
    for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id)):
        n.read_at = n.read_at or n.created_at
    mails = [m.subject for m in smtp.messages if user.email in m.rcpt_tos]
    smtp.clear()
    db.session.commit()
    return sorted(bell), mails


def choose(world, db, username: str, **prefs: str) -> None:
    world.user(username).notification_prefs = prefs
    db.session.commit()


def test_bell_only_writes_the_notification_and_sends_no_email(db, world, smtp):
    choose(world, db, "lan.nt", new_work="bell", reminders="bell")
    task = world.task(deadline=DEADLINE)
    assert told(db, smtp, world, "lan.nt") == (["assigned"], [])
    plan_reminders(date(2025, 3, 14), mailer=AppMailer())  # 3 working days before
    assert told(db, smtp, world, "lan.nt") == (["reminder"], [])
    workflow.submit_completion(world.user("lan.nt"), task, "Xong.", date(2025, 3, 14))
    db.session.commit()
    workflow.return_completion(world.user("nga.tt"), task, "Bổ sung hồ sơ.", date(2025, 3, 14))
    bell, mails = told(db, smtp, world, "lan.nt")
    assert bell == ["returned"] and len(mails) == 1  # answers still by e-mail: her default


def test_digest_only_tells_nothing_at_the_time_and_puts_the_tasks_in_the_monday_digest(db, world, smtp):
    choose(world, db, "lan.nt", reminders="digest")
    world.task("Chuyển đổi IPv6 cho Trung tâm dữ liệu tỉnh", deadline=DEADLINE)
    assert told(db, smtp, world, "lan.nt")[0] == ["assigned"]  # new work: still by e-mail and bell
    for day in (date(2025, 3, 10), date(2025, 3, 14), MONDAY):
        plan_reminders(day, mailer=AppMailer())
    assert told(db, smtp, world, "lan.nt") == ([], [])
    assert plan_digest(MONDAY, AppMailer()) >= 1  # staff get the digest once they choose it
    db.session.commit()
    dispatch()
    (digest,) = smtp.to(world.user("lan.nt").email)
    assert digest.subject.startswith("[Tổng hợp hằng tuần]")
    assert "Chuyển đổi IPv6 cho Trung tâm dữ liệu tỉnh" in digest.message.get_body(("plain",)).get_content()
    assert told(db, smtp, world, "lan.nt")[0] == []


def test_the_issuing_side_may_take_reports_in_the_bell_only(db, world, smtp):
    choose(world, db, "nga.tt", awaiting="bell")
    task = world.task(deadline=DEADLINE)
    told(db, smtp, world, "nga.tt")
    workflow.submit_completion(world.user("lan.nt"), task, "Xong.", date(2025, 3, 14))
    db.session.commit()
    dispatch()
    assert len(smtp.to(world.user("thu.lt").email)) == 1  # the tracking secretary kept e-mail
    assert told(db, smtp, world, "nga.tt") == (["submitted"], [])


def test_unticking_email_sends_nothing_by_email_whatever_the_choices(db, world, smtp):
    world.user("lan.nt").email_notifications = False
    db.session.commit()
    world.task(deadline=DEADLINE)
    assert told(db, smtp, world, "lan.nt") == (["assigned"], [])


def test_the_profile_page_offers_the_choices_with_the_role_defaults_and_saves_them(db, world, smtp, login_as):
    lan = login_as("lan.nt")
    page = lan.get("/profile")
    text = page.get_data(as_text=True)
    values = form_values(page, "/profile")
    assert {k: v for k, v in values.items() if k.startswith("pref_")} == {
        "pref_new_work": ["email"], "pref_reminders": ["email"], "pref_awaiting": ["email"], "pref_answers": ["email"]}
    assert "Chỉ tổng hợp hằng tuần" in text
    values.update(pref_reminders="digest", pref_answers="bell")
    assert lan.post("/profile", data=values).status_code == 302
    db.session.expire_all()
    assert world.user("lan.nt").notification_prefs == {"new_work": "email", "reminders": "digest",
                                                       "awaiting": "email", "answers": "bell"}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.profile")).all()[-1]
    assert event.changes["notification_prefs"][1]["reminders"] == "digest"
    # A form without the choices (an older page) keeps them.
    assert lan.post("/profile", data={"language": "vi", "email_notifications": "y"}).status_code == 302
    db.session.expire_all()
    assert world.user("lan.nt").notification_prefs["reminders"] == "digest"
    admin = login_as("admin")
    assert form_values(admin.get("/profile"), "/profile")["pref_reminders"] == ["bell"]  # an admin's default
