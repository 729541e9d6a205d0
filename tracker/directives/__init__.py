"""Directives: record a document, split it into tasks, publish it."""
from flask import Blueprint

bp = Blueprint("directives", __name__)

from tracker.directives import extract_views, import_views, views  # noqa: E402,F401
