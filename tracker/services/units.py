"""Rules about changing the unit tree."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Unit, User


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
        blockers.append(_("%(n)d active users", n=users) if not for_delete else _("%(n)d users", n=users))
    from tracker.models import Directive, ProgressUpdate, Task, task_cooperation

    open_tasks = db.session.scalar(select(func.count()).select_from(Task).where(
        Task.lead_unit_id == unit.id, Task.state.in_(("open", "submitted"))))
    if open_tasks:
        blockers.append(_("%(n)d open tasks", n=open_tasks))
    if for_delete:
        children = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == unit.id))
        if children:
            blockers.append(_("%(n)d sub-units", n=children))
        history = sum(db.session.scalar(select(func.count()).select_from(table).where(condition)) or 0
                      for table, condition in (
                          (Task, (Task.lead_unit_id == unit.id) | (Task.issuing_unit_id == unit.id)),
                          (Directive, Directive.issuing_unit_id == unit.id),
                          (task_cooperation, task_cooperation.c.unit_id == unit.id),
                          (ProgressUpdate, ProgressUpdate.unit_id == unit.id)))
        if history and not open_tasks:
            blockers.append(_("tasks or documents in its history"))
    return blockers
