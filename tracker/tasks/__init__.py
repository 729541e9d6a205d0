"""Tasks: lists, the task page, progress, completion, extensions."""
from flask import Blueprint

bp = Blueprint("tasks", __name__)

from tracker.tasks import views  # noqa: E402,F401
