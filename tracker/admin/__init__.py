"""Administration: units, users and the audit log (admins only)."""
from flask import Blueprint, abort
from flask_login import current_user

from tracker.rules.reach import is_admin

bp = Blueprint("admin", __name__)


@bp.before_request
def require_admin():
    if not current_user.is_authenticated:
        return None  # the global hook redirects to sign-in
    if not is_admin(current_user):
        abort(403)
    return None


from tracker.admin import (  # noqa: E402,F401
    audit_export,  # noqa: E402,F401
    reminders,
    views,
)
