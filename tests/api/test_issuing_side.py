"""/directives: on whose behalf a directive speaks (`on_behalf_of`) and who tracks it (`tracker`)."""
from __future__ import annotations

from tests.api.conftest import error_of
from tracker.timeutil import today

NEW = {"number": "130/TB-UBND", "kind": "conclusion", "title": "Kết luận về chuyển đổi số", "issuing_unit": "UBND"}


def test_the_api_takes_and_shows_the_issuing_side(api, db):
    body = {**NEW, "issued_on": today().isoformat(), "on_behalf_of": "nga.tt"}
    made = api.post("thu.lt", "/directives", body)
    assert made.status_code == 201
    assert (made.get_json()["on_behalf_of"], made.get_json()["tracker"]) == ("nga.tt", "thu.lt")
    other = api.post("nga.tt", "/directives", {**body, "number": "131/TB-UBND", "on_behalf_of": "hung.nv",
                                               "tracker": "thu.lt"})
    assert other.status_code == 201
    assert (other.get_json()["on_behalf_of"], other.get_json()["tracker"]) == ("hung.nv", "thu.lt")
    listed = {d["number"]: d for d in api.get("thu.lt", "/directives").get_json()["items"]}
    assert (listed["125/TB-UBND"]["on_behalf_of"], listed["125/TB-UBND"]["tracker"]) == ("nga.tt", "thu.lt")


def test_the_api_refuses_a_tracker_outside_the_issuing_unit(api, db):
    body = {**NEW, "issued_on": today().isoformat()}
    response = api.post("thu.lt", "/directives", {**body, "tracker": "hoa.nt"})
    assert response.status_code == 422 and "tracker" in error_of(response)["fields"]
    response = api.post("thu.lt", "/directives", {**body, "tracker": "nobody.here"})
    assert response.status_code == 422 and "tracker" in error_of(response)["fields"]
