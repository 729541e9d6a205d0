"""/calendar/<secret>.ics: valid iCalendar, one all-day event per deadline, Vietnamese, within reach only."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tracker.database import db
from tracker.models import Task, User
from tracker.rules import reach
from tracker.services.feeds import create_feed, revoke_feed
from tracker.timeutil import today


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def feed_path(username: str, scope: str) -> str:
    _feed, secret = create_feed(_user(username), scope)
    db.session.commit()
    return f"/calendar/{secret}.ics"


def fetch(client, path) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "charset=utf-8" in response.headers["Content-Type"]
    return Calendar.from_ical(response.data)


def events(cal: Calendar) -> list:
    return [c for c in cal.walk() if c.name == "VEVENT"]


def test_my_feed_lists_my_deadlines(api, client):
    cal = fetch(client, feed_path("lan.nt", "mine"))
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    assert "Nguyễn Thị Lan" in str(cal["X-WR-CALNAME"])
    found = events(cal)
    mine = [t for t in db.session.scalars(select(Task)) if t.assignee and t.assignee.username == "lan.nt"
            and t.deadline is not None and t.state in ("open", "submitted")]
    assert len(found) == len(mine) == 1
    event, task = found[0], mine[0]
    start = event.decoded("DTSTART")
    assert isinstance(start, date) and not hasattr(start, "hour")  # all day
    assert start == task.deadline == today() + timedelta(days=5)
    assert event.decoded("DTEND") == task.deadline + timedelta(days=1)
    assert str(event["SUMMARY"]) == f"Hạn: {task.title}"  # Vietnamese, unescaped
    assert "Triển khai kế hoạch ứng dụng IPv6" in str(event["SUMMARY"])
    assert str(event["URL"]).endswith(f"/tasks/{task.id}")
    description = str(event["DESCRIPTION"])
    assert "125/TB-UBND" in description and "Đơn vị chủ trì: Sở Khoa học và Công nghệ" in description
    assert str(event["UID"]) == f"task-{task.id}-deadline@tracker"


def test_a_leaders_unit_feed(api, client):
    cal = fetch(client, feed_path("hai.nv", "unit"))
    hai = _user("hai.nv")
    expected = {t.id for t in db.session.scalars(select(Task)) if t.lead_unit_id == hai.unit_id
                and t.deadline is not None and t.state in ("open", "submitted") and reach.can_view_task(hai, t)}
    found = {int(str(e["UID"]).split("-")[1]) for e in events(cal)}
    assert found == expected and len(found) >= 4
    starts = [e.decoded("DTSTART") for e in events(cal)]
    assert starts == sorted(starts)
    assert "Sở Khoa học và Công nghệ" in str(cal["X-WR-CALNAME"])


def test_a_feed_shows_only_what_its_owner_may_see(api, client):
    # tuan.la leads the division; a draft directive's task led by it is not shown, nor others' tasks
    cal = fetch(client, feed_path("tuan.la", "unit"))
    tuan = _user("tuan.la")
    for event in events(cal):
        task = db.session.get(Task, int(str(event["UID"]).split("-")[1]))
        assert task.lead_unit_id == tuan.unit_id and reach.can_view_task(tuan, task)
    response = api.post("thu.lt", "/directives", {"number": "9/TB-UBND", "kind": "conclusion", "title": "Nháp",
                                                   "issued_on": today().isoformat()})
    draft = response.get_json()["id"]
    api.post("thu.lt", f"/directives/{draft}/tasks", {"title": "Việc trong bản nháp", "lead_unit": "STTTT-CNTT",
                                                       "assignee": "tuan.la",
                                                       "deadline": (today() + timedelta(days=3)).isoformat()})
    again = fetch(client, feed_path("tuan.la", "mine"))
    assert all("bản nháp" not in str(e["SUMMARY"]) for e in events(again))


def test_closed_and_ongoing_tasks_are_left_out(api, client):
    tid = db.session.scalar(select(Task.id).where(Task.title.startswith("Triển khai kế hoạch ứng dụng IPv6")))
    path = feed_path("lan.nt", "mine")
    assert len(events(fetch(client, path))) == 1
    assert api.post("nga.tt", f"/tasks/{tid}/cancel", {"reason": "Dừng"}).status_code == 200
    assert events(fetch(client, path)) == []


@pytest.mark.parametrize("path", ["/calendar/nothing.ics", "/calendar/" + "x" * 300 + ".ics", "/calendar/%00.ics"])
def test_unknown_secrets_are_404(app, demo, client, path):
    assert client.get(path).status_code == 404


def test_revoked_secrets_and_inactive_owners_are_404(app, demo, client):
    lan = _user("lan.nt")
    feed, secret = create_feed(lan, "mine")
    db.session.commit()
    assert client.get(f"/calendar/{secret}.ics").status_code == 200
    revoke_feed(lan, feed)
    db.session.commit()
    assert client.get(f"/calendar/{secret}.ics").status_code == 404
    _feed, other = create_feed(lan, "mine")
    lan.active = False
    db.session.commit()
    assert client.get(f"/calendar/{other}.ics").status_code == 404


def test_a_unit_feed_stops_when_its_owner_is_no_longer_a_leader(app, demo, client):
    hai = _user("hai.nv")
    _feed, secret = create_feed(hai, "unit")
    hai.role = "staff"
    db.session.commit()
    assert client.get(f"/calendar/{secret}.ics").status_code == 404
    with pytest.raises(ValueError):
        create_feed(hai, "unit")


def test_the_feed_needs_no_sign_in_and_sets_no_cookie(app, demo, client):
    _feed, secret = create_feed(_user("lan.nt"), "mine")
    db.session.commit()
    response = client.get(f"/calendar/{secret}.ics")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


@pytest.mark.parametrize("deadline", [date(1900, 1, 1), date(2999, 12, 31), date.max])
def test_the_feed_survives_any_stored_deadline(api, client, deadline):
    """A deadline at the edge of what the database holds (typed before limits existed, or imported) is one more
    event, not an error for everyone subscribed."""
    task = db.session.scalar(select(Task).where(Task.assignee_id == _user("lan.nt").id, Task.state == "open",
                                                Task.deadline.is_not(None)))
    task.deadline = deadline
    db.session.commit()
    found = events(fetch(client, feed_path("lan.nt", "mine")))
    assert [e.decoded("DTSTART") for e in found] == [deadline]
