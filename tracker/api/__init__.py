"""JSON API v1 (/api/v1): the contract of ../shared/design/api.md."""
from flask import Blueprint

bp = Blueprint("api", __name__)

from tracker.api import views  # noqa: E402,F401
