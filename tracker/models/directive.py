"""Directives (văn bản chỉ đạo) and their attachments."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import db
from tracker.models.types import UTCDateTime
from tracker.text import fold
from tracker.timeutil import utcnow

DIRECTIVE_KINDS = ("conclusion", "official_letter", "decision", "plan", "other")


class Directive(db.Model):
    """A document that assigns work: a conclusion notice, an official letter, a decision, a plan."""

    __tablename__ = "directive"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))
    number_key: Mapped[str] = mapped_column(String(80))  # folded number, for uniqueness
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="conclusion")
    title: Mapped[str] = mapped_column(String(1000))
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    issuing_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    signer: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)  # long: loaded only when shown
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The Office person who tracks it (theo dõi): with the leader it speaks for, its issuing side.
    tracker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    search_text: Mapped[str] = mapped_column(String(2000), default="")

    issuing_unit: Mapped["Unit"] = relationship()  # noqa: F821
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    on_behalf_of: Mapped["User | None"] = relationship(foreign_keys=[on_behalf_of_id])  # noqa: F821
    tracker: Mapped["User | None"] = relationship(foreign_keys=[tracker_id])  # noqa: F821
    tasks: Mapped[list["Task"]] = relationship(  # noqa: F821
        back_populates="directive", order_by="Task.position, Task.id")
    attachments: Mapped[list["Attachment"]] = relationship(  # noqa: F821
        back_populates="directive", order_by="Attachment.id",
        primaryjoin="and_(Attachment.directive_id == Directive.id, Attachment.update_id.is_(None))")

    __table_args__ = (
        UniqueConstraint("issuing_unit_id", "year", "number_key", name="uq_directive_number"),
        Index("ix_directive_search", "search_text"),
        # The drafts (a few among the published): a unit's overdue list leaves their tasks out from here.
        Index("ix_directive_draft", "id", postgresql_where=sql_text("published_at IS NULL"),
              sqlite_where=sql_text("published_at IS NULL")),
    )

    @property
    def published(self) -> bool:
        return self.published_at is not None

    def refresh_search(self) -> None:
        self.number_key = fold(self.number).replace(" ", "")[:80]
        self.year = self.issued_on.year
        self.search_text = fold(f"{self.number} | {self.title} | {self.signer}")[:2000]


class Attachment(db.Model):
    """An uploaded file of a directive or of a progress update, stored under a random name."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"), index=True)
    update_id: Mapped[int | None] = mapped_column(ForeignKey("progress_update.id"), index=True)
    # The signed completion report, or the official letter asking for an extension.
    completion_report_id: Mapped[int | None] = mapped_column(ForeignKey("completion_report.id"), index=True)
    extension_id: Mapped[int | None] = mapped_column(ForeignKey("extension_request.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)  # extracted once, at upload (for search)

    directive: Mapped[Directive | None] = relationship(back_populates="attachments", foreign_keys=[directive_id])
    update: Mapped["ProgressUpdate | None"] = relationship(back_populates="attachments")  # noqa: F821
    completion_report: Mapped["CompletionReport | None"] = relationship(back_populates="attachments")  # noqa: F821
    extension: Mapped["ExtensionRequest | None"] = relationship(back_populates="attachments")  # noqa: F821
    uploaded_by: Mapped["User | None"] = relationship()  # noqa: F821
