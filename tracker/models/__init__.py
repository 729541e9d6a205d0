"""The data model, one module per aggregate."""
from tracker.models.audit import AuditEvent
from tracker.models.unit import UNIT_KINDS, Unit
from tracker.models.user import ROLES, LoginAttempt, User, UserSession

__all__ = ["AuditEvent", "LoginAttempt", "ROLES", "UNIT_KINDS", "Unit", "User", "UserSession"]
