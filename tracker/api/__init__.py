"""JSON API v1 (/api/v1): the contract of ../shared/design/api.md.

Every request is authenticated by its bearer token (tracker.api.auth), never
by the session cookie; the views act through tracker.services.workflow, so the
pages' rules, messages and audit events apply unchanged.
"""
from flask import Blueprint, request

bp = Blueprint("api", __name__)


@bp.before_app_request
def unknown_api_url():
    """A URL under /api/ that matches no route is a JSON 404 or 405, not a redirect to the sign-in page."""
    if request.url_rule is None and request.path.startswith("/api/") and request.routing_exception is not None:
        raise request.routing_exception

from tracker.api import auth, errors  # noqa: E402

bp.before_request(auth.authenticate)
errors.init_error_handlers(bp)

from tracker.api import directives, resources, search, tasks, views  # noqa: E402,F401
