"""The profile page's tokens and calendar links: made there, shown once, listed, revoked."""
from __future__ import annotations

import html
import re

from sqlalchemy import select

from tracker.database import db
from tracker.models import ApiToken, AuditEvent, CalendarFeed


def shown_token(page: str) -> str | None:
    match = re.search(r'<code id="new-api-token">([^<]+)</code>', page)
    return html.unescape(match.group(1)) if match else None


def shown_feed(page: str) -> str | None:
    match = re.search(r'<code id="new-feed-url">([^<]+)</code>', page)
    return html.unescape(match.group(1)) if match else None


def test_create_use_list_and_revoke_a_token(login_as, client):
    browser = login_as("lan.nt")
    page = browser.get("/profile").get_data(as_text=True)
    assert 'id="api-tokens"' in page and 'id="calendar-feeds"' in page
    response = browser.post("/profile/tokens", data={"name": "Báo cáo tuần"})
    assert response.status_code == 200
    token = shown_token(response.get_data(as_text=True))
    assert token and token.startswith("trk_")
    assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    again = browser.get("/profile").get_data(as_text=True)
    assert token not in again and "Báo cáo tuần" in again and token[:12] in again  # listed by its prefix only
    assert "Set-Cookie" not in response.headers or token not in response.headers["Set-Cookie"]
    row = db.session.scalar(select(ApiToken).where(ApiToken.name == "Báo cáo tuần"))
    db.session.refresh(row)
    assert row.last_used_at is not None  # shown as "last used"
    revoke = browser.post(f"/profile/tokens/{row.id}/revoke")
    assert revoke.status_code == 302
    assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.revoke")).object_id == row.id


def test_a_token_needs_a_name(login_as):
    browser = login_as("lan.nt")
    response = browser.post("/profile/tokens", data={"name": ""})
    assert response.status_code == 422
    assert shown_token(response.get_data(as_text=True)) is None
    assert db.session.scalar(select(ApiToken)) is None


def test_one_cannot_revoke_someone_elses_token_or_feed(login_as):
    lan = login_as("lan.nt")
    lan.post("/profile/tokens", data={"name": "Kịch bản của Lan"})
    lan.post("/profile/calendar-feeds", data={"scope": "mine"})
    token = db.session.scalar(select(ApiToken))
    feed = db.session.scalar(select(CalendarFeed))
    other = login_as("quang.dv")
    assert other.post(f"/profile/tokens/{token.id}/revoke").status_code == 404
    assert other.post(f"/profile/calendar-feeds/{feed.id}/revoke").status_code == 404
    db.session.refresh(token)
    db.session.refresh(feed)
    assert token.revoked_at is None and feed.revoked_at is None
    assert "Kịch bản của Lan" not in other.get("/profile").get_data(as_text=True)


def test_the_profile_forms_need_csrf(app, login_as):
    browser = login_as("lan.nt")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert browser.post("/profile/tokens", data={"name": "x"}).status_code == 400
        assert browser.post("/profile/calendar-feeds", data={"scope": "mine"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalar(select(ApiToken)) is None and db.session.scalar(select(CalendarFeed)) is None


def test_calendar_links_on_the_profile(login_as, client):
    staff = login_as("lan.nt")
    page = staff.get("/profile").get_data(as_text=True)
    assert 'value="mine"' in page and 'value="unit"' not in page  # only leaders get their unit's calendar
    refused = staff.post("/profile/calendar-feeds", data={"scope": "unit"})
    assert refused.status_code == 302 and db.session.scalar(select(CalendarFeed)) is None
    response = staff.post("/profile/calendar-feeds", data={"scope": "mine"})
    url = shown_feed(response.get_data(as_text=True))
    assert url and re.search(r"/calendar/[A-Za-z0-9_-]{40,}\.ics$", url)
    path = url[url.index("/calendar/"):]
    assert client.get(path).status_code == 200
    assert url not in staff.get("/profile").get_data(as_text=True)
    feed = db.session.scalar(select(CalendarFeed))
    assert feed.scope == "mine" and path.split("/")[-1][:-4] not in feed.secret_hash
    staff.post(f"/profile/calendar-feeds/{feed.id}/revoke")
    assert client.get(path).status_code == 404
    leader = login_as("hai.nv")
    assert 'value="unit"' in leader.get("/profile").get_data(as_text=True)
    unit = shown_feed(leader.post("/profile/calendar-feeds", data={"scope": "unit"}).get_data(as_text=True))
    assert unit and client.get(unit[unit.index("/calendar/"):]).status_code == 200
