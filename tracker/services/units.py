"""The unit tree: adding units, and what stops a unit from being deactivated or deleted."""
from __future__ import annotations

from sqlalchemy import func, select

from tracker.database import db
from tracker.lazytext import _l
from tracker.models import Directive, ProgressUpdate, Task, Unit, User, task_cooperation

# A unit's code: what requests and the command line name it by.
CODE_RE = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"


def add_unit(code: str, name: str, *, short_name: str = "", kind: str = "department",
             parent: Unit | None = None, aliases: list[str] | None = None, email: str = "") -> Unit:
    """Create a unit under `parent` with its path and search columns (no commit)."""
    unit = Unit(code=code, name=name, short_name=short_name, kind=kind, aliases=aliases or [], email=email)
    unit.refresh_search()
    db.session.add(unit)
    db.session.flush()
    unit.set_parent(parent)
    return unit


def unit_blockers(unit: Unit, for_delete: bool) -> list[str]:
    """Say what stops `unit` from being deactivated (or, with `for_delete`, deleted).

    Active users and open tasks block deactivation; any user, sub-unit or
    piece of history blocks deletion, because history is never erased.
    """
    if unit.id is None:
        return []
    blockers = []
    user_filter = [User.unit_id == unit.id]
    if not for_delete:
        user_filter.append(User.active.is_(True))
    users = db.session.scalar(select(func.count()).select_from(User).where(*user_filter))
    if users:
        blockers.append(_l("%(n)d active users", n=users) if not for_delete else _l("%(n)d users", n=users))
    open_tasks = db.session.scalar(select(func.count()).select_from(Task).where(
        Task.lead_unit_id == unit.id, Task.state.in_(("open", "submitted"))))
    if open_tasks:
        blockers.append(_l("%(n)d open tasks", n=open_tasks))
    if for_delete:
        children = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == unit.id))
        if children:
            blockers.append(_l("%(n)d sub-units", n=children))
        history = sum(db.session.scalar(select(func.count()).select_from(table).where(condition)) or 0
                      for table, condition in (
                          (Task, (Task.lead_unit_id == unit.id) | (Task.issuing_unit_id == unit.id)),
                          (Directive, Directive.issuing_unit_id == unit.id),
                          (task_cooperation, task_cooperation.c.unit_id == unit.id),
                          (ProgressUpdate, ProgressUpdate.unit_id == unit.id)))
        if history and not open_tasks:
            blockers.append(_l("tasks or documents in its history"))
    return blockers
