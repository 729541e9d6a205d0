"""Dashboards and reports: the leader dashboard, the unit dashboard, the print page and the exports."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from tracker.dashboard import views  # noqa: E402,F401
