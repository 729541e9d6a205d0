"""Tasks, their progress reports, completion reports, extensions and deadline history.

The status (done on time, overdue...) is computed from these facts by
tracker.rules.status, never stored. State changes keep their dates so a
past day's status can be reproduced.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import db
from tracker.models.types import UTCDateTime
from tracker.rules.status import deadline_extended, part_deadline
from tracker.text import fold
from tracker.timeutil import utcnow

def _default_assigned_on(context) -> date:
    """A task inserted without `assigned_on` (bulk loads, fixtures) counts from the day it was recorded."""
    return context.get_current_parameters()["created_on"]


TASK_STATES = ("open", "submitted", "done", "cancelled")
OPEN_STATES = ("open", "submitted")  # not yet closed: done or cancelled
PRIORITIES = ("normal", "high", "urgent")

class CooperatingPart(db.Model):
    """One cooperating unit's share of a task (phần phối hợp): its duty, own deadline, reports and done date.

    The deadline in force is the part's own, never later than the task's
    (`deadline_in_force`); none means the task's. Its status follows the
    task rules of tracker.rules.status (`part_status_on`).
    """

    __tablename__ = "task_cooperation"

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True, index=True)
    duty: Mapped[str] = mapped_column(Text, default="", server_default="")
    deadline: Mapped[date | None] = mapped_column(Date)  # None: the task's deadline
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # the person the unit put on it
    added_on: Mapped[date | None] = mapped_column(Date)  # added after publication on that day; None: with the task
    done_on: Mapped[date | None] = mapped_column(Date)  # the day the unit marked its part done
    progress: Mapped[int | None] = mapped_column(Integer)  # the unit's last percent, if it gave one
    # The task's own state (open or submitted: not yet closed) and deadline in force, copied beside the part by
    # database triggers (tracker.models.summary, "the parts' task columns") whatever writes the task: a unit's
    # cooperated overdue tasks are read in deadline order from ix_task_cooperation_open_deadline alone.
    task_open: Mapped[bool] = mapped_column(Boolean, server_default=false())
    task_deadline: Mapped[date | None] = mapped_column(Date)

    task: Mapped[Task] = relationship(back_populates="cooperating_parts")
    unit: Mapped["Unit"] = relationship()  # noqa: F821
    assignee: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint("progress IS NULL OR (progress >= 0 AND progress <= 100)", name="progress_range"),
        # Whether any part was added or done after a day (the part summary holds for that day only if none was).
        Index("ix_task_cooperation_added_on", "added_on"),
        Index("ix_task_cooperation_done_on", "done_on"),
        # A unit's cooperated tasks read from the index alone (a department's overdue list).
        Index("ix_task_cooperation_unit_task", "unit_id", "task_id"),
        # A unit's cooperated open tasks by deadline (its overdue list's page and count, from the index alone).
        Index("ix_task_cooperation_open_deadline", "unit_id", "task_open", "task_deadline", "task_id"),
    )

    @property
    def deadline_in_force(self) -> date | None:
        """The part's own deadline, capped by the task's (None: the task is ongoing and so is the part)."""
        return part_deadline(self.deadline, self.task.deadline)


task_cooperation = CooperatingPart.__table__

class Task(db.Model):
    """One assignable piece of work of a directive (or a sub-task of another task)."""

    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directive.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(1000))
    description: Mapped[str] = mapped_column(Text, default="")
    issuing_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    original_deadline: Mapped[date | None] = mapped_column(Date)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    tag_text: Mapped[str] = mapped_column(String(500), default="")  # "|tag one|tag two|", folded
    progress: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(12), default="open", index=True)
    created_on: Mapped[date] = mapped_column(Date)  # the day it was recorded
    # The day it was assigned: its directive's issue date, or the day it was added if after publication.
    # The task exists (has a status) from that day; recording a notice late does not move it.
    assigned_on: Mapped[date] = mapped_column(Date, default=_default_assigned_on)
    completed_on: Mapped[date | None] = mapped_column(Date)  # date of the confirmed completion report
    done_on: Mapped[date | None] = mapped_column(Date)  # date the issuer confirmed it
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    needs_attention: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    search_text: Mapped[str] = mapped_column(String(2000), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    # A periodic task (định kỳ): "month", "quarter", "half_year" or "year"; null for a one-off task. Its own
    # deadline is null (ongoing); each period is a TaskOccurrence with its deadline (tracker.rules.recurrence).
    recur_every: Mapped[str | None] = mapped_column(String(10))
    recur_day: Mapped[int | None] = mapped_column(Integer)  # day of the period's last month; null: its last day
    recur_until: Mapped[date | None] = mapped_column(Date)  # no period is due after this day

    directive: Mapped["Directive"] = relationship(back_populates="tasks")  # noqa: F821
    parent: Mapped[Task | None] = relationship(remote_side=[id], back_populates="subtasks")
    subtasks: Mapped[list[Task]] = relationship(back_populates="parent", order_by="Task.position, Task.id")
    issuing_unit: Mapped["Unit"] = relationship(foreign_keys=[issuing_unit_id])  # noqa: F821
    lead_unit: Mapped["Unit"] = relationship(foreign_keys=[lead_unit_id])  # noqa: F821
    cooperating_parts: Mapped[list[CooperatingPart]] = relationship(
        back_populates="task", cascade="all, delete-orphan", passive_deletes=True)
    assignee: Mapped["User | None"] = relationship(foreign_keys=[assignee_id])  # noqa: F821
    updated_by: Mapped["User | None"] = relationship(foreign_keys=[updated_by_id])  # noqa: F821
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="task", order_by="ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()")
    completion_reports: Mapped[list[CompletionReport]] = relationship(
        back_populates="task", order_by="CompletionReport.id.desc()")
    extensions: Mapped[list[ExtensionRequest]] = relationship(
        back_populates="task", order_by="ExtensionRequest.id.desc()")
    deadline_changes: Mapped[list[DeadlineChange]] = relationship(
        back_populates="task", order_by="DeadlineChange.effective_on, DeadlineChange.id")
    occurrences: Mapped[list[TaskOccurrence]] = relationship(
        back_populates="task", order_by="TaskOccurrence.starts_on", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        Index("ix_task_state_deadline", "state", "deadline"),
        # A unit's open or overdue tasks (state first: the status aggregates keep to ix_task_status_cover);
        # with the id, a unit's overdue list reads its led candidates from the index alone.
        Index("ix_task_state_lead_deadline", "state", "lead_unit_id", "deadline", "id"),
        # The lists' default order (ongoing tasks last) walks this index instead of sorting.
        Index("ix_task_deadline_order", deadline.is_(None), deadline, id),
        # Covers the status aggregates of the lists and dashboards (status rule, reach, directive):
        # they read this index instead of every row of the table.
        Index("ix_task_status_cover", "lead_unit_id", "directive_id", "deadline", "done_on", "completed_on",
              "cancelled_on", "issuing_unit_id", "assignee_id"),
        # Whether any task was closed after a day (the task summary holds for that day only if none was).
        Index("ix_task_done_on", "done_on"),
        Index("ix_task_cancelled_on", "cancelled_on"),
        # Whether any task counts only from a later day (the part summary holds for a day only if none does).
        Index("ix_task_assigned_on", "assigned_on"),
        # The open tasks by id with their deadline: a unit's cooperated tasks joined to the overdue ones.
        Index("ix_task_open_deadline", "id", "deadline", postgresql_where=text("state IN ('open', 'submitted')"),
              sqlite_where=text("state IN ('open', 'submitted')")),
        # The open tasks by deadline: the dashboard's overdue and due-soon short lists walk it, ten rows.
        Index("ix_task_open_by_deadline", "deadline", "id", postgresql_where=text("state IN ('open', 'submitted')"),
              sqlite_where=text("state IN ('open', 'submitted')")),
        # The periodic tasks (a few among a million): the dashboard's periodic figures read them from here.
        Index("ix_task_recurring", "id", postgresql_where=text("recur_every IS NOT NULL"),
              sqlite_where=text("recur_every IS NOT NULL")),
    )

    def refresh_search(self) -> None:
        self.search_text = fold(f"{self.title} | {self.description}")[:2000]
        self.tag_text = ("|" + "|".join(fold(t) for t in self.tags) + "|") if self.tags else ""

    @property
    def cooperating_units(self) -> list:
        """The cooperating units, in the unit tree's order (written through `cooperating_parts`)."""
        return [p.unit for p in self.parts_in_order]

    @property
    def parts_in_order(self) -> list[CooperatingPart]:
        return sorted(self.cooperating_parts, key=lambda p: (p.unit.sort_key, p.unit_id))

    @property
    def ongoing(self) -> bool:
        return self.deadline is None

    @property
    def recurring(self) -> bool:
        return self.recur_every is not None

    @property
    def current_occurrence(self) -> TaskOccurrence | None:
        """The occurrence a report applies to unless one is chosen: the earliest still open."""
        return next((o for o in self.occurrences if o.state == "open"), None)

    @property
    def extended(self) -> bool:
        return deadline_extended(self.original_deadline, self.deadline)

    @property
    def is_closed(self) -> bool:
        return self.state in ("done", "cancelled")

    @property
    def pending_report(self) -> CompletionReport | None:
        return next((r for r in self.completion_reports if r.state == "pending"), None)

    @property
    def pending_extension(self) -> ExtensionRequest | None:
        return next((e for e in self.extensions if e.state == "pending"), None)


class ProgressUpdate(db.Model):
    """A dated progress report (báo cáo tiến độ) in the form the provinces use."""

    __tablename__ = "progress_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    contribution: Mapped[bool] = mapped_column(Boolean, default=False)  # from a cooperating unit
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    reported_on: Mapped[date] = mapped_column(Date)
    progress: Mapped[int | None] = mapped_column(Integer)
    results: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    report_number: Mapped[str] = mapped_column(String(80), default="")
    response: Mapped[str] = mapped_column(Text, default="")
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    occurrence_id: Mapped[int | None] = mapped_column(ForeignKey("task_occurrence.id"))  # a periodic task's period

    task: Mapped[Task] = relationship(back_populates="updates")
    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])  # noqa: F821
    unit: Mapped["Unit"] = relationship()  # noqa: F821
    responded_by: Mapped["User | None"] = relationship(foreign_keys=[responded_by_id])  # noqa: F821
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="update")  # noqa: F821

    __table_args__ = (
        CheckConstraint("progress IS NULL OR (progress >= 0 AND progress <= 100)", name="progress_range"),
    )

    @property
    def raises_issue(self) -> bool:
        return bool(self.difficulties.strip() or self.proposals.strip())


class CompletionReport(db.Model):
    """The lead unit says the task is done; the issuer confirms or returns it."""

    __tablename__ = "completion_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_on: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")  # the results achieved (required)
    report_number: Mapped[str] = mapped_column(String(80), default="")  # e.g. 620/BC-STTTT
    report_date: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="pending")  # pending, confirmed, returned
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[Task] = relationship(back_populates="completion_reports")
    attachments: Mapped[list["Attachment"]] = relationship(  # noqa: F821
        back_populates="completion_report", order_by="Attachment.id")
    submitted_by: Mapped["User | None"] = relationship(foreign_keys=[submitted_by_id])  # noqa: F821
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821


class ExtensionRequest(db.Model):
    """The lead unit asks for a later deadline; the issuer approves or rejects."""

    __tablename__ = "extension_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    old_deadline: Mapped[date | None] = mapped_column(Date)
    new_deadline: Mapped[date] = mapped_column(Date)  # asked for
    approved_deadline: Mapped[date | None] = mapped_column(Date)  # granted: the one asked for, or another
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="pending")  # pending, approved, rejected
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    occurrence_id: Mapped[int | None] = mapped_column(ForeignKey("task_occurrence.id"))  # a periodic task's period

    task: Mapped[Task] = relationship(back_populates="extensions")
    occurrence: Mapped["TaskOccurrence | None"] = relationship()
    attachments: Mapped[list["Attachment"]] = relationship(  # noqa: F821
        back_populates="extension", order_by="Attachment.id")
    requested_by: Mapped["User | None"] = relationship(foreign_keys=[requested_by_id])  # noqa: F821
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821


class DeadlineChange(db.Model):
    """A change of the deadline in force, from `effective_on` (an approved extension or an edit)."""

    __tablename__ = "deadline_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    effective_on: Mapped[date] = mapped_column(Date)
    old_deadline: Mapped[date | None] = mapped_column(Date)
    new_deadline: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    extension_id: Mapped[int | None] = mapped_column(ForeignKey("extension_request.id"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    task: Mapped[Task] = relationship(back_populates="deadline_changes")
    changed_by: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (Index("ix_deadline_change_task_effective", "task_id", "effective_on"),)


OCCURRENCE_STATES = ("open", "done", "cancelled")


class TaskOccurrence(db.Model):
    """One period of a periodic task ("2026-11", "Q4/2026"): its own deadline, state and status.

    Rows are created ahead of time up to today + the first reminder window
    (tracker.services.recurrence). The lead unit reports a period done
    (`completed_on`, the report's date); an approved extension moves only this
    period's deadline (`extended_on`: from when).
    """

    __tablename__ = "task_occurrence"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(12))
    starts_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    original_deadline: Mapped[date] = mapped_column(Date)
    extended_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="open")
    completed_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)  # the day the report was recorded
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    task: Mapped[Task] = relationship(back_populates="occurrences")
    reported_by: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("task_id", "period", name="uq_task_occurrence_period"),
        Index("ix_task_occurrence_task_start", "task_id", "starts_on"),
    )
