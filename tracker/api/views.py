"""GET /api/v1/openapi.json: the hand-written description of the API (tracker.api.openapi)."""
from tracker.api import bp
from tracker.api.openapi import spec
from tracker.errors import json_response


@bp.route("/openapi.json")
def openapi():
    return json_response(spec())
