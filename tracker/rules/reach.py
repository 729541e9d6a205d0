"""Who may see and do what: named predicates shared by pages, API and templates.

A user's reach is their unit's subtree (domain.md, "Who may do what");
admins reach everything. Views enforce these predicates on the server;
templates call the same ones only to hide controls. Pure: they read the
loaded user, unit and task objects (no query, no Flask); their SQL twins,
for lists, are in tracker.services.reach_sql.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.models import Unit, User


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == "admin"


def reach_path(user: User) -> str:
    """Return the materialised path prefix of the user's reach ("/" for admins)."""
    if is_admin(user):
        return "/"
    return user.unit.path


def in_reach(user: User, unit: Unit | None) -> bool:
    """True if `unit` lies in the user's reach (their unit's subtree)."""
    if unit is None:
        return False
    return unit.path.startswith(reach_path(user))


def can_manage_units_and_users(user: User) -> bool:
    return is_admin(user)


def can_view_dashboard(user: User) -> bool:
    """Leaders and secretaries (and admins) see dashboards of their reach."""
    return user.role in ("admin", "leader", "secretary")


def can_record_directive(user: User) -> bool:
    """Leaders issue directives; secretaries record them on behalf of their unit's leaders."""
    return user.role in ("admin", "leader", "secretary")


# --- directives and tasks -------------------------------------------------------------------


def can_view_task(user: User, task) -> bool:
    if is_admin(user):
        return True
    if in_reach(user, task.issuing_unit):
        return True
    if not task.directive.published:
        return False
    return (in_reach(user, task.lead_unit) or task.assignee_id == user.id
            or any(in_reach(user, u) for u in task.cooperating_units))


def can_view_directive(user: User, directive) -> bool:
    if is_admin(user) or in_reach(user, directive.issuing_unit):
        return True
    return any(can_view_task(user, t) for t in directive.tasks)


def can_issue_for(user: User, unit: Unit) -> bool:
    """Leaders issue, and secretaries record, directives of their own unit."""
    return is_admin(user) or (user.role in ("leader", "secretary") and user.unit_id == unit.id)


def can_edit_directive(user: User, directive) -> bool:
    return can_issue_for(user, directive.issuing_unit)


def is_issuer(user: User, task) -> bool:
    """The issuing side of a task: leaders and secretaries of its issuing unit."""
    return is_admin(user) or (user.role in ("leader", "secretary") and user.unit_id == task.issuing_unit_id)


def can_decide(user: User, task, secretaries_decide: bool = False) -> bool:
    """Confirm or return completion, decide extensions, cancel: the issuing unit's leaders."""
    if is_admin(user):
        return True
    roles = ("leader", "secretary") if secretaries_decide else ("leader",)
    return user.role in roles and user.unit_id == task.issuing_unit_id


def is_lead_side(user: User, task) -> bool:
    """Members of the lead unit, the assignee, and leaders between the lead and issuing units."""
    if is_admin(user) or task.assignee_id == user.id or user.unit_id == task.lead_unit_id:
        return True
    return (user.role == "leader" and in_reach(user, task.lead_unit)
            and user.unit_id != task.issuing_unit_id and user.unit.path.startswith(task.issuing_unit.path))


def can_report(user: User, task) -> bool:
    """Post progress, submit completion, ask for an extension: the lead side of an open task."""
    return task.directive.published and is_lead_side(user, task)


def cooperating_part(user: User, task):
    """The cooperating part of `task` that `user`'s unit (or an ancestor of it) holds, the closest one; or None."""
    mine = [p for p in task.cooperating_parts if user.unit.path.startswith(p.unit.path)]
    return max(mine, key=lambda p: len(p.unit.path), default=None)


def can_contribute(user: User, task) -> bool:
    """Cooperating units post their contribution to the lead unit (and report on their part)."""
    return (task.directive.published and not is_lead_side(user, task)
            and cooperating_part(user, task) is not None)


def can_assign_part(user: User, part) -> bool:
    """Put a person on a cooperating part: the cooperating unit's leaders and secretaries."""
    return is_admin(user) or (user.role in ("leader", "secretary") and user.unit_id == part.unit_id)


def can_assign(user: User, task) -> bool:
    """Choose the assignee: the issuing side, and leaders and secretaries of the lead unit."""
    return is_issuer(user, task) or (user.role in ("leader", "secretary") and user.unit_id == task.lead_unit_id)


def can_split(user: User, task) -> bool:
    """Split off sub-tasks: leaders and secretaries of the lead unit (they become the issuer)."""
    return is_admin(user) or (user.role in ("leader", "secretary") and user.unit_id == task.lead_unit_id)


def can_remind(user: User, task) -> bool:
    """Send a manual reminder: the issuing side, and secretaries monitoring the lead unit."""
    return is_issuer(user, task) or (user.role == "secretary" and in_reach(user, task.lead_unit))
