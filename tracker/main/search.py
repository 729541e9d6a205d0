"""/search: the search box of the page header, over the same search as GET /api/v1/search."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from tracker.paging import Page
from tracker.params import page_args
from tracker.main import bp
from tracker.services.search import search
from tracker.views_util import keep_reach_units

QUERY_MAX = 200  # SearchQuery.q


@bp.route("/search")
def search_page():
    q = " ".join((request.args.get("q") or "").split())[:QUERY_MAX]
    page, per_page = page_args(request.args, default=20, maximum=100)
    if q:
        keep_reach_units(current_user)
    hits, total, more = search(current_user, q, page, per_page) if q else ([], 0, False)
    return render_template("main/search.html", q=q, page=Page(hits, page, per_page, total, more))
