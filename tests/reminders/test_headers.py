"""Subjects and names arrive exactly as written, whatever their length.

Each message goes through the real SMTP server of these tests and is read
back from the raw bytes it received, as a mail client reads it.
"""
from __future__ import annotations

import email
import email.policy
from datetime import date, datetime, timezone

import pytest

from tracker.dispatch import dispatch
from tracker.mail import new_message_id
from tracker.services.outbox import enqueue_email

T0 = datetime(2025, 3, 10, 0, 30, tzinfo=timezone.utc)

SUBJECTS = [
    "[Nhắc việc] Nhiệm vụ ngắn",
    "[Nhiệm vụ mới được giao] Nhiệm vụ có phối hợp của Sở Khoa học và Công nghệ với các đơn vị liên quan",
    "[Đề nghị gia hạn] Hoàn thiện Đề án phát triển Đài Phát thanh - Truyền hình tỉnh giai đoạn 2021-2025, "
    "tầm nhìn đến năm 2030; trình UBND tỉnh trước ngày 30/6/2025 (theo Thông báo số 125/TB-UBND)",
    "ASCII only subject that is long enough to be folded by any mail library that folds at 78 characters wide",
    "Chữ đầu, " + "ư" * 150,  # three bytes... of two-byte characters, no space at all to fold at
    "Ký tự =?utf-8?q?giả?= không phải là mã hóa",  # looks like an encoded word: must stay literal
]

NAMES = [
    "Nguyễn Thị Lan",
    "Trần Thị Nga, Phó Chủ tịch Ủy ban nhân dân tỉnh phụ trách khối văn hóa - xã hội",
    'Lê Thị Thư "Văn phòng" (Chuyên viên theo dõi nhiệm vụ), Văn phòng Ủy ban nhân dân tỉnh Quảng Trị',
]


def received(smtp, address):
    (message,) = smtp.to(address)
    return email.message_from_bytes(message.raw, policy=email.policy.default), message.raw


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_arrives_exactly_as_written(db, world, smtp, subject):
    user = world.user("lan.nt")
    enqueue_email(key="h:1", kind="assigned", user=user, subject=subject, text="Nội dung", html="<p>Nội dung</p>",
                  message_id=new_message_id(), planned_for=date(2025, 3, 10), now=T0)
    db.session.commit()
    assert dispatch(now=T0)["sent"] == 1
    parsed, raw = received(smtp, user.email)
    assert parsed["Subject"] == subject
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))  # RFC 5322's hard limit
    assert raw.partition(b"\r\n\r\n")[0].isascii()  # headers are 7-bit: encoded words, no raw UTF-8
    assert parsed.get_body(("plain",)).get_content().strip() == "Nội dung"


@pytest.mark.parametrize("name", NAMES)
def test_the_recipient_and_sender_names_arrive_exactly_as_written(app, db, world, smtp, name):
    app.config["MAIL_DEFAULT_SENDER"] = f"{name} <tracker@ubnd.example.gov.vn>" if '"' not in name and "," not in name \
        else email.utils.formataddr((name, "tracker@ubnd.example.gov.vn"))
    user = world.user("lan.nt")
    user.full_name = name
    enqueue_email(key="h:2", kind="assigned", user=user, subject=SUBJECTS[1], text="x", html="",
                  message_id=new_message_id(), planned_for=date(2025, 3, 10), now=T0)
    db.session.commit()
    assert dispatch(now=T0)["sent"] == 1
    parsed, _raw = received(smtp, user.email)
    (to,) = parsed["To"].addresses
    (sender,) = parsed["From"].addresses
    assert (to.display_name, to.addr_spec) == (name, user.email)
    assert (sender.display_name, sender.addr_spec) == (name, "tracker@ubnd.example.gov.vn")
    assert parsed["Subject"] == SUBJECTS[1]
