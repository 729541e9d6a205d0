"""/search: full text over tasks, directives, reports and attachment text, in the caller's reach."""
from __future__ import annotations

from tracker.api import bp
from tracker.api.auth import current_api_user
from tracker.api.common import page_json
from tracker.api.inputs import paging, query
from tracker.api.serialize import respond
from tracker.schemas import SearchPage, SearchQuery
from tracker.services.search import search
from tracker.views_util import keep_reach_units
from tracker.urls import external_url


def hit_json(hit) -> dict:
    url = (external_url("tasks.show", task_id=hit.task_id) if hit.task_id
           else external_url("directives.show", directive_id=hit.directive_id))
    return {"task": hit.task_id, "directive": hit.directive_id, "where": hit.where, "snippet": str(hit.snippet),
            "title": hit.title, "url": url}


@bp.route("/search")
def search_all():
    params = query(SearchQuery)
    page, per_page = paging(params)
    user = current_api_user()
    keep_reach_units(user)
    hits, total, _more = search(user, params.q, page, per_page)
    return respond(SearchPage, page_json([hit_json(h) for h in hits], total, page, per_page))
