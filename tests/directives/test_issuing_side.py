"""The issuing side on the pages and in the API: on whose behalf a directive speaks, who tracks it."""
from __future__ import annotations

from sqlalchemy import select

from tests.tasks.pages import directive, errors_of, flashes, form_values, main_text, user
from tracker.models import AuditEvent


def test_the_secretary_records_for_the_vice_chair_and_tracks_it_by_default(login_as, db):
    thu = login_as("thu.lt")
    page = thu.get("/directives/new")
    values = form_values(page, "/directives/new")
    assert values["tracker_id"] == [str(user(db, "thu.lt").id)]  # proposed: whoever records it
    assert values["on_behalf_of_id"] == ["0"]  # a secretary chooses the leader
    values.update({"number": "31/TB-UBND", "issued_on": "2025-03-03", "title": "Kết luận về chuyển đổi số",
                   "on_behalf_of_id": str(user(db, "nga.tt").id)})
    response = thu.post("/directives/new", data=values, follow_redirects=True)
    assert "Document 31/TB-UBND has been recorded. Now add its tasks." in flashes(response)
    d = directive(db, "31/TB-UBND")
    assert (d.on_behalf_of.username, d.tracker.username) == ("nga.tt", "thu.lt")
    text = main_text(response)
    assert "On behalf of Trần Thị Nga, Phó Chủ tịch UBND tỉnh" in text
    assert "Tracked by Lê Thị Thu, Chuyên viên Văn phòng UBND tỉnh" in text


def test_the_tracker_must_belong_to_the_issuing_unit(login_as, db):
    thu = login_as("thu.lt")
    values = form_values(thu.get("/directives/new"), "/directives/new")
    values.update({"number": "32/TB-UBND", "issued_on": "2025-03-03", "title": "Kết luận",
                   "tracker_id": str(user(db, "hoa.nt").id)})  # the department's secretary: not offered
    response = thu.post("/directives/new", data=values)
    assert response.status_code == 200 and errors_of(response, "tracker_id")
    assert directive(db, "32/TB-UBND") is None


def test_the_tracker_can_be_changed_on_the_edit_page_and_is_audited(login_as, db):
    nga = login_as("nga.tt")
    values = form_values(nga.get("/directives/new"), "/directives/new")
    values.update({"number": "33/TB-UBND", "issued_on": "2025-03-03", "title": "Kết luận"})
    nga.post("/directives/new", data=values)
    d = directive(db, "33/TB-UBND")
    assert (d.on_behalf_of.username, d.tracker.username) == ("nga.tt", "nga.tt")
    edit = form_values(nga.get(f"/directives/{d.id}/edit"), f"/directives/{d.id}/edit")
    assert edit["tracker_id"] == [str(user(db, "nga.tt").id)]
    edit["tracker_id"] = str(user(db, "thu.lt").id)
    assert nga.post(f"/directives/{d.id}/edit", data=edit).status_code == 302
    db.session.expire_all()
    assert directive(db, "33/TB-UBND").tracker.username == "thu.lt"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "directive.update")).all()[-1]
    assert event.changes["tracker"] == ["nga.tt", "thu.lt"]
