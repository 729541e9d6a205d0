"""E-mail: render a message from its template, and hand it to SMTP (or to a file).

Each e-mail is one template under templates/email/ with `subject`, `text`
and `html` blocks. Messages are rendered when they are queued in the
outbox and sent by the dispatcher after the data they describe is
committed. Without MAIL_SERVER, messages are written as .eml files in
OUTBOX_FOLDER so the embedded setup works with no mail server.
"""
from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from tracker.timeutil import utcnow

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def clean_header(value: str, limit: int = 200) -> str:
    """Make a header value safe: no CR/LF or other control characters (no header injection)."""
    return " ".join(_CONTROL.sub(" ", value or "").split())[:limit]


def render_email(template: str, locale: str = "vi", **context) -> tuple[str, str, str]:
    """Render templates/email/<template>.{txt,html} in `locale`; return (subject, text, html).

    The text template's first line is the subject.
    """
    with force_locale(locale or "vi"):
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    subject, _, body = text.partition("\n")
    return clean_header(subject), body.lstrip("\n"), html


def new_message_id() -> str:
    domain = current_app.config.get("MAIL_DEFAULT_SENDER", "tracker@localhost").rpartition("@")[2] or "localhost"
    return make_msgid(domain=clean_header(domain, 100))


def build_message(*, to_addr: str, subject: str, text: str, html: str, message_id: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = clean_header(current_app.config["MAIL_DEFAULT_SENDER"])
    msg["To"] = clean_header(to_addr)
    msg["Subject"] = clean_header(subject)
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
