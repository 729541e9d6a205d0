"""Publishing a directive tells each person once, through the real SMTP server of these tests.

One notification and one e-mail per recipient per published directive,
listing all of their tasks in it, with links under BASE_URL; tasks added
later, or a task given to another unit, tell the new party.
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from tests.reminders.conftest import BASE_URL
from tracker.dispatch import dispatch
from tracker.models import Notification, OutboxMessage
from tracker.services import workflow

DEADLINE = date(2025, 4, 30)

NINE = [dict(title=f"Nhiệm vụ số {n} của Sở Thông tin và Truyền thông theo kết luận", lead="STTTT", assignee=None,
             deadline=DEADLINE) for n in range(1, 10)]
OTHERS = [dict(title="Chuyển đổi IPv6 cho Trung tâm dữ liệu tỉnh", lead="STTTT-CNTT", assignee="lan.nt",
               deadline=date(2025, 5, 15)),
          dict(title="Rà soát kế hoạch ứng dụng công nghệ thông tin", lead="STTTT-CNTT", assignee="lan.nt",
               deadline=None),
          dict(title="Bố trí biên chế cho Trung tâm Giám sát điều hành", lead="SNV", assignee=None,
               deadline=DEADLINE)]


def sent(db, smtp) -> dict[str, list]:
    """The e-mails the server received, by recipient address."""
    db.session.commit()
    dispatch()
    by_address: dict[str, list] = {}
    for message in smtp.messages:
        for address in message.rcpt_tos:
            by_address.setdefault(address, []).append(message.message)
    smtp.clear()
    return by_address


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def notifications(db, world, username: str) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.user_id == world.user(username).id)
                              .order_by(Notification.id)).all()


def test_publishing_sends_each_recipient_one_email_and_one_notification_listing_all_their_tasks(db, world, smtp):
    tasks = world.tasks(NINE + OTHERS)
    mail = sent(db, smtp)
    email_of = {u: world.user(u).email for u in ("hai.nv", "minh.pq", "lan.nt", "binh.lv")}
    # The department's two leaders (nobody assigned), the assignee of two tasks, the other department's leader:
    # one message each, nobody else (not the issuer, not the secretary who recorded it, not the division head).
    assert sorted(mail) == sorted(email_of.values())
    assert all(len(messages) == 1 for messages in mail.values())

    (director,) = mail[email_of["hai.nv"]]
    text, html = text_of(director), html_of(director)
    assert director["Subject"] == "[Nhiệm vụ mới được giao] 1/TB-UBND: 9 nhiệm vụ — Kết luận số 1"
    for task in tasks[:9]:
        assert task.title in text and f"{BASE_URL}/tasks/{task.id}" in text
        assert f'href="{BASE_URL}/tasks/{task.id}"' in html
    assert "Chuyển đổi IPv6" not in text and "Bố trí biên chế" not in text
    assert f"{BASE_URL}/tasks?directive={tasks[0].directive_id}" in text
    links = re.findall(r"https?://\S+", text)
    assert links and all(link.startswith(BASE_URL + "/") for link in links)

    (lan,) = mail[email_of["lan.nt"]]
    assert lan["Subject"] == "[Nhiệm vụ mới được giao] 1/TB-UBND: 2 nhiệm vụ — Kết luận số 1"
    assert "Chuyển đổi IPv6 cho Trung tâm dữ liệu tỉnh" in text_of(lan)
    assert "Rà soát kế hoạch" in text_of(lan) and "Thường xuyên" in text_of(lan)
    (binh,) = mail[email_of["binh.lv"]]
    assert binh["Subject"] == "[Nhiệm vụ mới được giao] 1/TB-UBND: Bố trí biên chế cho Trung tâm Giám sát điều hành"

    # In the app: one notification each, naming the document; with one task it opens that task.
    (note,) = notifications(db, world, "hai.nv")
    assert (note.kind, note.directive_id, note.task_id) == ("assigned", tasks[0].directive_id, None)
    assert note.title.startswith("1/TB-UBND: Nhiệm vụ số 1 của Sở")
    assert len(notifications(db, world, "minh.pq")) == 1 and len(notifications(db, world, "lan.nt")) == 1
    (single,) = notifications(db, world, "binh.lv")
    assert (single.task_id, single.title) == (tasks[-1].id, tasks[-1].title)
    for username in ("nga.tt", "hung.nv", "thu.lt", "tuan.la", "quang.dv"):
        assert notifications(db, world, username) == []
    assert db.session.scalar(select(OutboxMessage.kind).where(OutboxMessage.user_id == world.user("hai.nv").id)) \
        == "assigned"


def test_the_bell_opens_the_readers_tasks_of_the_document(db, world, smtp, login_as):
    tasks = world.tasks(NINE[:3])
    (note,) = notifications(db, world, "hai.nv")
    hai = login_as("hai.nv")
    response = hai.post(f"/notifications/{note.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/tasks?directive={tasks[0].directive_id}")
    page = hai.get(response.headers["Location"]).get_data(as_text=True)
    assert all(task.title in page for task in tasks)
    listed = hai.get("/notifications").get_data(as_text=True)
    assert "1/TB-UBND: Nhiệm vụ số 1" in listed


def test_tasks_added_after_publication_tell_the_new_party_once(db, world, smtp):
    (first,) = world.tasks([OTHERS[0]])
    sent(db, smtp)
    directive = first.directive
    thu = world.user("thu.lt")
    day = date(2025, 1, 2)
    # Two tasks for the same department in one go: its leaders get one message naming both.
    for title in ("Xây dựng kho dữ liệu dùng chung", "Tích hợp nền tảng LGSP"):
        workflow.add_task(thu, directive, workflow.TaskData(title=title, lead_unit=world.unit("STTTT"),
                                                            deadline=DEADLINE), day)
    mail = sent(db, smtp)
    assert sorted(mail) == sorted([world.user("hai.nv").email, world.user("minh.pq").email])
    (message,) = mail[world.user("hai.nv").email]
    assert "Xây dựng kho dữ liệu dùng chung" in text_of(message) and "Tích hợp nền tảng LGSP" in text_of(message)
    assert "Chuyển đổi IPv6" not in text_of(message)  # told already
    assert len(notifications(db, world, "lan.nt")) == 1  # the first party is not told again

    # The issuer gives a task to another unit: its leader is told, and only them.
    task = db.session.scalar(select(workflow.Task).where(workflow.Task.title == "Tích hợp nền tảng LGSP"))
    workflow.update_task(thu, task, workflow.TaskData(title=task.title, lead_unit=world.unit("SNV"),
                                                      deadline=DEADLINE), day, task.version)
    mail = sent(db, smtp)
    assert list(mail) == [world.user("binh.lv").email]
    (message,) = mail[world.user("binh.lv").email]
    assert message["Subject"] == "[Nhiệm vụ mới được giao] 1/TB-UBND: Tích hợp nền tảng LGSP"
    assert f"{BASE_URL}/tasks/{task.id}" in text_of(message)


def test_an_unpublished_directive_tells_nobody(db, world, smtp):
    world.tasks(NINE[:2], publish=False)
    assert sent(db, smtp) == {}
    assert db.session.scalar(select(Notification.id)) is None
