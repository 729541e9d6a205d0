"""Private calendar feeds: /calendar/<secret>.ics with the deadlines of one's tasks.

The URL's secret is the only credential (calendar apps cannot sign in), so
it is long and random, stored hashed, shown once and revocable. A feed shows
only tasks its owner may see: scope "mine" the tasks assigned to them,
scope "unit" (leaders) the tasks their unit leads.
"""
from flask import Blueprint

bp = Blueprint("feeds", __name__)

from tracker.feeds import views  # noqa: E402,F401
