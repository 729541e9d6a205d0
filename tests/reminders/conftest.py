"""Fixtures of the reminder tests: a real SMTP server, a quiet demo world, a task factory.

`smtp` is an aiosmtpd server on a free loopback port that records every
message it accepts. It can be told to answer 451 (try again later) to the
next N deliveries, or 550 (rejected) to all of them, at DATA or at RCPT,
and it can be stopped and started again on the same port. The `app` of
these tests sends its e-mail to it.

`demo` here loads the demo units and users without the demo directive, so
the only tasks are the ones a test makes with `world.task(...)`.
"""
from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from datetime import date

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import ready
from tests.factories import Factory
from tracker.database import db as _db

BASE_URL = "https://tracker.example.gov.vn"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage
    raw: bytes

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]

    @property
    def subject(self) -> str:
        return self.message["Subject"]


@dataclass
class MailSink:
    """The aiosmtpd handler: records deliveries and answers as it is told."""

    port: int
    messages: list[Received] = field(default_factory=list)
    attempts: int = 0  # DATA commands seen, accepted or not
    temporary_failures: int = 0  # answer 451 to this many more deliveries
    permanent: str | None = None  # e.g. "550 5.1.1 mailbox unavailable": answer it to every delivery
    at_rcpt: bool = False  # answer the failures at RCPT TO instead of DATA
    refuse: dict[str, str] = field(default_factory=dict)  # address -> reply at RCPT TO, e.g. a 550
    controller: Controller | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    # --- the aiosmtpd hooks -------------------------------------------------------------------
    def _refusal(self) -> str | None:
        if self.temporary_failures > 0:
            self.temporary_failures -= 1
            return "451 4.3.0 Try again later"
        return self.permanent

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            with self.lock:
                self.attempts += 1
            return self.refuse[address]
        if self.at_rcpt:
            with self.lock:
                self.attempts += 1
                refusal = self._refusal()
            if refusal:
                return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if not self.at_rcpt:
                self.attempts += 1
                refusal = self._refusal()
                if refusal:
                    return refusal
            raw = bytes(envelope.content)
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          email.message_from_bytes(raw, policy=email.policy.default), raw))
        return "250 Message accepted for delivery"

    # --- for the tests --------------------------------------------------------------------------
    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.attempts = 0

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]

    def by_message_id(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for m in self.messages:
            counts[m.message_id] = counts.get(m.message_id, 0) + 1
        return counts


@pytest.fixture
def smtp():
    sink = MailSink(port=free_port())
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def app(make_app, smtp):
    """The testing app, sending its e-mail to the `smtp` server."""
    yield from ready(make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, BASE_URL=BASE_URL,
                              MAIL_DEFAULT_SENDER="tracker@ubnd.example.gov.vn"))


@pytest.fixture
def demo(app):
    """The demo units and users, without the demo directive (no task but the test's own)."""
    from tracker.demo import load_demo

    counts = load_demo(directives=False)
    _db.session.commit()
    return counts


class World(Factory):
    """The shared factory (tests/factories.py), with the reminder tests' defaults: a published
    directive of the province committee with one task of lan.nt's division per call."""

    def task(self, title: str = "Triển khai kế hoạch ứng dụng IPv6", *, deadline: date | None,
             lead: str = "STTTT-CNTT", assignee: str | None = "lan.nt", issuer: str = "UBND",
             recorder: str = "thu.lt", on_behalf_of: str | None = "nga.tt", issued_on: date | None = None,
             publish: bool = True):
        """Record a directive of `issuer` with one task, publish it and commit; return the task."""
        return self.tasks([dict(title=title, deadline=deadline, lead=lead, assignee=assignee)], issuer=issuer,
                          recorder=recorder, on_behalf_of=on_behalf_of, issued_on=issued_on, publish=publish)[0]

    def tasks(self, specs: list[dict], **kwargs):
        return self.published_tasks(specs, **kwargs)


@pytest.fixture
def world(app, demo):
    return World()
