"""A password change or reset ends every credential (reliability.md row 55, issue #18 point 5).

Tokens and calendar links an intruder made must not survive the victim's new
password: after a change on the profile, an admin reset (either form) or
`flask users set-password`, the user's API tokens answer 401 and calendar
links 404; other people's keep working. The pages say so and lead to where
new ones are made.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import flask_command
from tests.pages import flashes, t
from tracker.database import db
from tracker.demo import DEMO_PASSWORD
from tracker.models import AuditEvent, User
from tracker.services.feeds import create_feed
from tracker.services.tokens import create_token

NEW_PASSWORD = "một mật khẩu mới rất dài"
REVOKED = ("Your API tokens and calendar links have been revoked with the old password. "
           "Make new ones on your profile page.")


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _credentials(username: str) -> tuple[str, str]:
    """An API token and a calendar link of `username`, as an intruder signed in as them would make."""
    user = _user(username)
    _row, token = create_token(user, "made by someone")
    _feed, secret = create_feed(user, "mine")
    db.session.commit()
    return token, f"/calendar/{secret}.ics"


def _works(client, credentials: tuple[str, str]) -> tuple[int, int]:
    token, feed = credentials
    return (client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code,
            client.get(feed).status_code)


def test_changing_ones_password_revokes_tokens_and_links(login_as, client):
    lan, quang = _credentials("lan.nt"), _credentials("quang.dv")
    assert _works(client, lan) == (200, 200)
    browser = login_as("lan.nt")
    form = browser.get("/password").get_data(as_text=True)
    assert 'id="password-ends-credentials"' in form  # said before the change
    response = browser.post("/password", data={"current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/profile#api-tokens"
    profile = browser.get(response.headers["Location"])
    assert t(REVOKED) in flashes(profile)
    page = profile.get_data(as_text=True)
    # The profile lists them as revoked and offers to make new ones.
    assert 'id="tokens-end-with-password"' in page
    assert 'action="/profile/tokens"' in page and 'action="/profile/calendar-feeds"' in page
    assert page.count('class="inactive"') == 2
    assert _works(client, lan) == (401, 404)
    assert _works(client, quang) == (200, 200)  # nobody else's
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%.revoke"))).all()
    assert sorted(actions) == ["api_token.revoke", "calendar_feed.revoke"]
    # New ones work.
    made = browser.post("/profile/tokens", data={"name": "mới"})
    assert made.status_code == 200 and 'id="new-api-token"' in made.get_data(as_text=True)


def test_without_tokens_or_links_the_change_goes_home_as_before(login_as):
    browser = login_as("lan.nt")
    response = browser.post("/password", data={"current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("how", ["temporary password", "user form"])
def test_an_admin_reset_revokes_tokens_and_links(login_as, client, how):
    lan, quang = _credentials("lan.nt"), _credentials("quang.dv")
    admin = login_as("admin")
    user = _user("lan.nt")
    if how == "temporary password":
        response = admin.post(f"/admin/users/{user.id}/password", data={"password": NEW_PASSWORD})
    else:
        form = {"username": user.username, "full_name": user.full_name, "email": user.email,
                "unit_id": user.unit_id, "role": user.role, "position_title": user.position_title or "",
                "active": "y", "language": user.language, "password": NEW_PASSWORD}
        response = admin.post(f"/admin/users/{user.id}/edit", data=form)
    assert response.status_code == 302, flashes(response)
    assert _works(client, lan) == (401, 404)
    assert _works(client, quang) == (200, 200)


def test_the_command_line_reset_revokes_tokens_and_links(app, client, demo):
    lan = _credentials("lan.nt")
    result = flask_command(app, "users", "set-password", "lan.nt", "--password", NEW_PASSWORD)
    assert result.exit_code == 0, result.output
    assert "2 API token(s) and calendar link(s) revoked" in result.output
    assert len(result.output.strip().splitlines()) == 1
    db.session.expire_all()
    assert _works(client, lan) == (401, 404)
