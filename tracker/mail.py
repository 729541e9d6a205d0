"""E-mail: render a message from its template, and hand it to SMTP (or to a file).

Each e-mail is one template under templates/email/ with `subject`, `text`
and `html` blocks. Messages are rendered when they are queued in the
outbox, or, for the planner's reminders, by the dispatcher
(tracker.dispatch) just before it sends them; they are sent after the
data they describe is committed. Without MAIL_SERVER, messages are written as .eml
files in OUTBOX_FOLDER so the embedded setup works with no mail server.

`AppMailer` is what the services that queue e-mails are handed (they know
nothing of Flask): it renders in the recipient's language, builds links
under BASE_URL and makes Message-IDs for the configured sender's domain.
"""
from __future__ import annotations

import base64
import email.policy
import re
import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from flask import Flask, current_app, url_for
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.services import notices
from tracker.timeutil import today, utcnow
from tracker.urls import id_url

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def clean_header(value: str, limit: int = 200) -> str:
    """Make a header value safe: no CR/LF or other control characters (no header injection)."""
    return " ".join(_CONTROL.sub(" ", value or "").split())[:limit]


def render_email(template: str, locale: str = "vi", **context) -> tuple[str, str, str]:
    """Render templates/email/<template>.{txt,html} in `locale`; return (subject, text, html).

    The text template's first line is the subject.
    """
    env = current_app.jinja_env  # the templates alone: no context processors (a request's unread count...)
    with force_locale(locale or "vi"):
        text = env.get_template(f"email/{template}.txt").render(context)
        html = env.get_template(f"email/{template}.html").render(context)
    subject, _, body = text.partition("\n")
    return clean_header(subject), body.lstrip("\n"), html


def new_message_id(app: Flask | None = None) -> str:
    return make_msgid(domain=message_id_domain(app or current_app))


def message_id_domain(app: Flask) -> str:
    """The domain of the Message-IDs: the sender's."""
    domain = app.config.get("MAIL_DEFAULT_SENDER", "tracker@localhost").rpartition("@")[2] or "localhost"
    return clean_header(domain, 100)


class AppMailer:
    """Rendering, links and Message-IDs for the services that queue e-mails (tracker.services.planner)."""

    def __init__(self, app: Flask | None = None):
        self.app = app or current_app._get_current_object()
        self.base_url = self.app.config.get("BASE_URL", "").rstrip("/")
        self._task_path = None
        self._domain: str | None = None

    def render(self, template: str, locale: str = "vi", **context) -> tuple[str, str, str]:
        return render_email(template, locale, **context)

    def task_url(self, task_id: int) -> str:
        """The task page's address under BASE_URL (the public address e-mails must carry)."""
        if self._task_path is None:
            with self.app.test_request_context():  # the route map builds paths inside a request
                self._task_path = id_url("tasks.show", "task_id")
        return self.base_url + self._task_path(task_id)

    def directive_tasks_url(self, directive_id: int) -> str:
        """The task list narrowed to one directive (each reader sees their own tasks in it) under BASE_URL."""
        with self.app.test_request_context():
            return self.base_url + url_for("tasks.index", directive=int(directive_id))

    def new_message_id(self) -> str:
        if self._domain is None:  # read once: the planner asks for thousands
            self._domain = message_id_domain(self.app)
        return make_msgid(domain=self._domain)


# Each encoded word of a subject carries at most this many bytes of UTF-8: base64 makes 52 characters of them,
# 64 with the "=?utf-8?b?...?=" frame, so every folded line (even after "Subject: ") stays under 78 characters.
_WORD_BYTES = 39

# Python (3.11) loses the space where its folding splits a long UTF-8 header into encoded words, so subjects
# and names arrived with words run together. Messages are built with a policy that folds only past 998
# characters (the line limit of RFC 5322): an address's display name stays one encoded word, and the
# subject is folded here by `encode_words`.
POLICY = email.policy.default.clone(max_line_length=998)


def encode_words(text: str) -> str:
    """`text` as RFC 2047 encoded words, one per folded line, split between characters.

    Every space stays inside an encoded word; the whitespace between words,
    which readers drop, is only the folding.
    """
    words, chunk = [], b""
    for char in text:
        raw = char.encode("utf-8")
        if chunk and len(chunk) + len(raw) > _WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += raw
    if chunk:
        words.append(chunk)
    return "\n ".join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)


def _address(display_name: str, addr_spec: str) -> Address:
    return Address(display_name=clean_header(display_name), addr_spec=addr_spec)


def build_message(*, to_addr: str, subject: str, text: str, html: str, message_id: str,
                  to_name: str = "") -> EmailMessage:
    """The e-mail as sent: long Vietnamese subjects and names arrive exactly as written (see POLICY)."""
    sender_name, sender_addr = parseaddr(clean_header(current_app.config["MAIL_DEFAULT_SENDER"], 500))
    subject = clean_header(subject)
    msg = EmailMessage(policy=POLICY)
    msg["From"] = _address(sender_name, sender_addr)
    msg["To"] = _address(to_name, clean_header(to_addr))
    if subject.isascii() and "=?" not in subject:
        msg["Subject"] = subject
    else:
        msg.set_raw("Subject", encode_words(subject))
    msg["Message-ID"] = clean_header(message_id, 255)
    msg["Date"] = format_datetime(utcnow())
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


class Transport:
    """One SMTP connection (opened lazily) for a batch, or the .eml folder without a server."""

    def __init__(self, app=None):
        self.config = (app or current_app).config
        self.smtp: smtplib.SMTP | None = None

    def send(self, msg: EmailMessage) -> None:
        if not self.config.get("MAIL_SERVER"):
            folder = Path(self.config["OUTBOX_FOLDER"])
            folder.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9._-]", "_", msg["Message-ID"].strip("<>")) + ".eml"
            (folder / name).write_bytes(bytes(msg))
            return
        if self.smtp is None:
            self.smtp = smtplib.SMTP(self.config["MAIL_SERVER"], self.config["MAIL_PORT"], timeout=30)
            if self.config.get("MAIL_USE_TLS"):
                self.smtp.starttls()
            if self.config.get("MAIL_USERNAME"):
                self.smtp.login(self.config["MAIL_USERNAME"], self.config.get("MAIL_PASSWORD", ""))
        try:
            self.smtp.send_message(msg)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.smtp = None


def _deliver_notices(session: Session) -> None:
    """Before a commit: tell the people the workflow named (tracker.services.notices), in the same transaction."""
    if notices.pending(session):
        notices.deliver(session, AppMailer(), today())


def _forget_notices(session: Session, *_args) -> None:
    notices.forget(session)


def init_notices(session_class) -> None:
    """Deliver the workflow's notices at every commit of `session_class` (idempotent)."""
    if event.contains(session_class, "before_commit", _deliver_notices):
        return
    event.listen(session_class, "before_commit", _deliver_notices)
    event.listen(session_class, "after_rollback", _forget_notices)
