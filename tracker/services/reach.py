"""Who may see and do what: named predicates shared by pages, API and templates.

A user's reach is their unit's subtree (domain.md, "Who may do what");
admins reach everything. Views enforce these predicates on the server;
templates call the same ones only to hide controls.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, true

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


def unit_in_reach_clause(user: User, path_column) -> ColumnElement[bool]:
    """SQL condition: `path_column` (a Unit.path) lies within the user's reach."""
    prefix = reach_path(user)
    if prefix == "/":
        return true()
    return path_column.startswith(prefix, autoescape=True)


def can_manage_units_and_users(user: User) -> bool:
    return is_admin(user)


def can_view_dashboard(user: User) -> bool:
    """Leaders and secretaries (and admins) see dashboards of their reach."""
    return user.role in ("admin", "leader", "secretary")


def can_record_directive(user: User) -> bool:
    """Leaders issue directives; secretaries record them on behalf of their unit's leaders."""
    return user.role in ("admin", "leader", "secretary")
