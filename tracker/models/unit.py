"""Units: the organisation tree (province committee, departments, communes, districts, divisions).

Units change on a date by a decision (tracker.services.units): a rename keeps
the unit and records its former name; a merge, split or dissolution ends the
unit (`ended_on`) and hands its open work to its successors, each move kept
as a TaskTransfer so the figures of an earlier day still show who held what.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import db
from tracker.models.types import UTCDateTime
from tracker.text import collation_key, fold
from tracker.timeutil import utcnow

UNIT_KINDS = ("province", "department", "agency", "commune", "district", "division")
UNIT_CHANGE_KINDS = ("rename", "merge", "split", "dissolve")


class Unit(db.Model):
    """An organisation in the tree; `path` ("/1/4/9/") makes subtree queries one LIKE."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(20), default="department")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    path: Mapped[str] = mapped_column(String(255), default="/", index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    email: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_key: Mapped[str] = mapped_column(String(255), default="")
    search_text: Mapped[str] = mapped_column(String(1000), default="")
    started_on: Mapped[date | None] = mapped_column(Date)  # None: before any record
    ended_on: Mapped[date | None] = mapped_column(Date)  # the first day it no longer exists
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("unit_change.id"))

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.sort_key")
    users: Mapped[list["User"]] = relationship(back_populates="unit")  # noqa: F821
    ended_by: Mapped[UnitChange | None] = relationship(foreign_keys=[ended_by_id])

    __table_args__ = (Index("ix_unit_sort_key", "sort_key"),)

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def refresh_search(self) -> None:
        """Recompute the folded columns used for accent-insensitive search and sorting."""
        self.sort_key = collation_key(self.name)[:255]
        parts = [self.code, self.name, self.short_name, *(self.aliases or [])]
        self.search_text = fold(" | ".join(p for p in parts if p))[:1000]

    def set_parent(self, parent: Unit | None) -> None:
        """Attach to `parent` and rewrite the materialised paths of this subtree.

        The caller checks `would_cycle` first; the unit must already have an id.
        """
        old_path = self.path
        self.parent = parent
        self.parent_id = parent.id if parent else None
        self.path = f"{parent.path if parent else '/'}{self.id}/"
        if old_path and old_path != "/" and old_path != self.path:
            for unit in db.session.scalars(
                select(Unit).where(Unit.path.startswith(old_path), Unit.id != self.id)
            ):
                unit.path = self.path + unit.path[len(old_path):]

    def would_cycle(self, new_parent: Unit | None) -> bool:
        """True if `new_parent` is this unit or one of its descendants."""
        if new_parent is None or self.id is None:
            return False
        return new_parent.id == self.id or new_parent.path.startswith(self.path)

    def is_within(self, ancestor: Unit) -> bool:
        """True if this unit is `ancestor` or lies in its subtree."""
        return self.path.startswith(ancestor.path)

    @property
    def former(self) -> bool:
        """True once the unit has ended (merged, split or dissolved)."""
        return self.ended_on is not None

    @property
    def successors(self) -> list[Unit]:
        """The units that took over this unit's work when it ended."""
        return self.ended_by.successors if self.ended_by else []

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def ancestors(self) -> list[Unit]:
        """Return the chain from the root down to the parent."""
        ids = [int(p) for p in self.path.strip("/").split("/")[:-1] if p]
        if not ids:
            return []
        by_id = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
        return [by_id[i] for i in ids if i in by_id]


class UnitChange(db.Model):
    """A change of units on a date by a decision: rename, merge, split or dissolve."""

    __tablename__ = "unit_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    effective_on: Mapped[date] = mapped_column(Date, index=True)
    decision: Mapped[str] = mapped_column(String(120), default="")  # e.g. "Quyết định số 25/QĐ-UBND"
    former_name: Mapped[str] = mapped_column(String(255), default="")  # a rename: the name until then
    former_short_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[UnitChangeMember]] = relationship(back_populates="change", order_by="UnitChangeMember.id")

    @property
    def predecessors(self) -> list[Unit]:
        return [m.unit for m in self.members if m.role == "from"]

    @property
    def successors(self) -> list[Unit]:
        return [m.unit for m in self.members if m.role == "to"]


class UnitChangeMember(db.Model):
    """A unit a change ends or renames ("from") or that takes over ("to")."""

    __tablename__ = "unit_change_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("unit_change.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(4))  # "from" or "to"

    change: Mapped[UnitChange] = relationship(back_populates="members")
    unit: Mapped[Unit] = relationship()


class TaskTransfer(db.Model):
    """A task's lead or cooperating unit passed from one unit to another on a date."""

    __tablename__ = "task_transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("unit_change.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # "lead" or "cooperating"
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    effective_on: Mapped[date] = mapped_column(Date)

    change: Mapped[UnitChange] = relationship()
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id])
