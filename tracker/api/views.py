"""API v1 views (being built: see issue 6)."""
from flask import jsonify

from tracker.api import bp


@bp.route("/openapi.json")
def openapi():
    return jsonify({"openapi": "3.0.3", "info": {"title": "Tracker API", "version": "1"}, "paths": {}})
