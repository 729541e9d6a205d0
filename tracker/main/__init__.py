"""Profile (with its API tokens and calendar links), language switch and health check."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from tracker.main import credentials, search, views  # noqa: E402,F401
