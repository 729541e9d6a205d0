"""Sign-in, sessions and passwords, driven through the test client as a browser would.

Covers reliability.md rows 20-30 for the sign-in part of the foundation:
cookie flags, remember-me, fixation, logout and revocation, timeouts,
lockout, open redirects, the password policy, hashes and CSRF.
"""
from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie

import pytest
import time_machine
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from config import DEV_SECRET_KEY
from tests.pages import doc, flashes, t
from tests.pages import errors_of as field_errors
from tracker import create_app
from tracker.demo import DEMO_PASSWORD
from tracker.models import AuditEvent, LoginAttempt, User, UserSession
from tracker.models.user import hash_token
from tracker.services.passwords import password_problems

COOKIE = "tracker_session"
WRONG_OR_UNKNOWN = "Wrong username or password."
LOCKED = "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minutes."
CSRF_MESSAGE = "Your form has expired or was sent from another site. Please reload the page and try again."
START = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 08:00 on a Monday in Hà Nội


@pytest.fixture
def demo(app):
    """The demo units and users (sign-in needs no directives)."""
    from tracker.database import db as _db
    from tracker.demo import load_demo

    counts = load_demo(directives=False)
    _db.session.commit()
    return counts


# --- helpers: read pages as a user reads them ------------------------------------------













def csrf_token(response) -> str:
    return doc(response).xpath("//input[@name='csrf_token']/@value")[0]


def redirects_to_login(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def set_cookies(response) -> dict[str, dict]:
    """Parse every Set-Cookie header: {name: {"value": ..., attribute (lower case): value or True}}."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = name_value.partition("=")
        parsed = {"value": value}
        for attribute in attributes:
            key, sep, val = attribute.partition("=")
            parsed[key.lower()] = val if sep else True
        cookies[name] = parsed
    return cookies


def session_data(app, client) -> dict:
    """Decode the signed session cookie the browser holds."""
    cookie = client.get_cookie(COOKIE)
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def signed_in(client) -> bool:
    """The browser is signed in: it may open its own change-password page."""
    response = client.get("/password")
    return response.status_code == 200


def sign_in(client, username: str, password: str = DEMO_PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def user(db, username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def without_csrf(body: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', body)


# --- sign-in --------------------------------------------------------------------------

def test_login_page_is_public_and_home_requires_sign_in(client, demo):
    response = client.get("/login")
    assert response.status_code == 200
    assert doc(response).xpath("//input[@name='username']")
    assert doc(response).xpath("//input[@name='password' and @type='password']")
    response = client.get("/")
    assert redirects_to_login(response)


def test_sign_in_shows_the_home_page_with_name_unit_and_role(client, auth, db, demo):
    response = auth.login("hai.nv")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Nguyễn Văn Hải" in body
    assert "Sở TT&amp;TT" in body  # the unit's short name in the top bar
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "auth.login")) == 1


def test_username_is_case_and_space_insensitive(client, auth, demo):
    response = auth.login("  Lan.NT ")
    assert response.status_code == 302
    assert signed_in(client)


def test_wrong_password_and_unknown_user_get_the_same_answer(app, demo):
    wrong = app.test_client().post("/login", data={"username": "lan.nt", "password": "not-her-password"})
    unknown = app.test_client().post("/login", data={"username": "nobody.xyz", "password": "not-her-password"})
    assert wrong.status_code == unknown.status_code == 200
    assert flashes(wrong) == flashes(unknown) == [t(WRONG_OR_UNKNOWN)]
    # The whole page is the same, but for the username typed back into the form.
    assert without_csrf(wrong.get_data(as_text=True)).replace('value="lan.nt"', "") == \
        without_csrf(unknown.get_data(as_text=True)).replace('value="nobody.xyz"', "")


def test_inactive_user_gets_the_same_answer_as_a_wrong_password(app, db, demo):
    user(db, "lan.nt").active = False
    db.session.commit()
    response = app.test_client().post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert flashes(response) == [t(WRONG_OR_UNKNOWN)]


def test_unknown_user_takes_as_long_as_a_wrong_password(make_app, app, db, demo):
    """No user enumeration by timing: an unknown name costs a password hash too."""
    method = "scrypt:32768:8:1"  # production cost, so the hash dominates the request time
    slow = make_app(PASSWORD_HASH_METHOD=method)
    lan = user(db, "lan.nt")
    lan.password_hash = generate_password_hash(DEMO_PASSWORD, method=method)
    db.session.commit()

    def timed(username: str) -> float:
        client = slow.test_client()
        started = time.perf_counter()
        response = client.post("/login", data={"username": username, "password": "not-the-password"})
        elapsed = time.perf_counter() - started
        assert flashes(response) == [t(WRONG_OR_UNKNOWN)]
        return elapsed

    timed("nobody")  # warm up (the first unknown name prepares its stand-in hash)
    # The fastest of a few runs is the least disturbed by other work on the machine.
    wrong = min(timed("lan.nt") for _ in range(3))
    unknown = min(timed(f"nobody{i}") for i in range(3))
    assert unknown > wrong * 0.5, (unknown, wrong)


def test_empty_form_shows_field_errors(client, demo):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 200
    assert field_errors(response, "username")
    assert field_errors(response, "password")
    assert not signed_in(client)


# --- lockout --------------------------------------------------------------------------

def fail(client, username: str, times: int, traveller=None) -> None:
    """Fail `times` times, waiting as told when failures slow down (tests/security/test_signin_limits.py)."""
    for _ in range(times):
        response = client.post("/login", data={"username": username, "password": "wrong-password"})
        if response.status_code == 429 and traveller is not None:
            traveller.shift(timedelta(seconds=int(response.headers["Retry-After"])))
            response = client.post("/login", data={"username": username, "password": "wrong-password"})
        assert flashes(response) == [t(WRONG_OR_UNKNOWN)]


def test_ten_failures_lock_the_account_for_fifteen_minutes(app, db, demo):
    client = app.test_client()
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, "lan.nt", 10, traveller)  # the last five wait 1, 2, 4, 8 and 16 s (31 s in all)
        # The 11th attempt is refused even with the right password.
        response = client.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
        assert response.status_code == 200
        assert flashes(response) == [t(LOCKED, minutes=15)]
        assert not signed_in(client)
        # Other accounts are not affected.
        other = app.test_client()
        assert other.post("/login", data={"username": "quang.dv", "password": DEMO_PASSWORD}).status_code == 302

        traveller.shift(timedelta(minutes=14))
        response = client.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
        assert flashes(response) == [t(LOCKED, minutes=15)]

        traveller.shift(timedelta(minutes=15, seconds=1))
        response = client.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
        assert response.status_code == 302
        assert signed_in(client)


def test_lockout_message_does_not_reveal_whether_the_username_exists(app, demo):
    with time_machine.travel(START, tick=False) as traveller:
        existing, unknown = app.test_client(), app.test_client()
        fail(existing, "lan.nt", 10, traveller)
        fail(unknown, "ghost.user", 10, traveller)
        locked_existing = existing.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
        locked_unknown = unknown.post("/login", data={"username": "ghost.user", "password": DEMO_PASSWORD})
        assert locked_existing.status_code == locked_unknown.status_code == 200
        assert flashes(locked_existing) == flashes(locked_unknown) == [t(LOCKED, minutes=15)]


def test_a_successful_sign_in_resets_the_failure_count_of_its_account_and_address(app, demo):
    with time_machine.travel(START, tick=False) as traveller:
        fail(app.test_client(), "lan.nt", 9, traveller)
        traveller.shift(timedelta(minutes=1))
        assert sign_in(app.test_client(), "lan.nt").status_code == 302
        traveller.shift(timedelta(minutes=1))
        fail(app.test_client(), "lan.nt", 9, traveller)
        traveller.shift(timedelta(minutes=1))
        assert sign_in(app.test_client(), "lan.nt").status_code == 302
        # Counting starts again from the success: ten new failures still lock.
        traveller.shift(timedelta(minutes=1))
        fail(app.test_client(), "lan.nt", 10, traveller)
        response = app.test_client().post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
        assert flashes(response) == [t(LOCKED, minutes=15)]


def test_too_many_failures_from_one_address_get_429(make_app, app, demo):
    strict = make_app(LOGIN_MAX_FAILURES_PER_IP=5)
    client = strict.test_client()
    with time_machine.travel(START, tick=False):
        for i in range(5):
            response = client.post("/login", data={"username": f"user{i}", "password": "wrong-password"})
            assert response.status_code == 200
        response = client.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
        assert response.status_code == 429
        assert t("Too many attempts. Please wait a few minutes and try again.") in response.get_data(as_text=True)


def test_behind_a_trusted_proxy_each_client_is_limited_by_its_own_address(make_app, app, db, demo):
    # Behind nginx every request comes from the proxy's address: without its X-Forwarded-For, one
    # client's failures would lock everyone out, and one person's success would reset an attacker's count.
    proxied = make_app(LOGIN_MAX_FAILURES_PER_IP=5, TRUSTED_PROXIES=1)
    attacker = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    colleague = {"X-Forwarded-For": "198.51.100.20", "X-Forwarded-Proto": "https"}
    good = {"username": "lan.nt", "password": DEMO_PASSWORD}
    with time_machine.travel(START, tick=False):
        client = proxied.test_client()
        for i in range(5):
            response = client.post("/login", data={"username": f"user{i}", "password": "wrong-password"},
                                   headers=attacker)
            assert response.status_code == 200
        assert client.post("/login", data=good, headers=attacker).status_code == 429
        assert proxied.test_client().post("/login", data=good, headers=colleague).status_code == 302
    addresses = set(db.session.scalars(select(LoginAttempt.ip)))
    assert addresses == {"203.0.113.7", "198.51.100.20"}


def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(app, client, db, demo):
    response = client.post("/login", data={"username": "lan.nt", "password": "wrong-password"},
                           headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.status_code == 200
    assert db.session.scalars(select(LoginAttempt.ip)).all() == ["127.0.0.1"]


def test_failed_sign_ins_are_recorded(app, db, demo):
    fail(app.test_client(), "lan.nt", 2)
    rows = db.session.scalars(select(LoginAttempt).where(LoginAttempt.username == "lan.nt")).all()
    assert [r.success for r in rows] == [False, False]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
    assert len(events) == 2
    assert events[0].actor_id == user(db, "lan.nt").id


# --- remember me, logout, revocation ----------------------------------------------------

def test_without_remember_me_the_cookie_ends_with_the_browser(client, auth, demo):
    response = auth.login("lan.nt")
    cookies = set_cookies(response)
    assert "expires" not in cookies[COOKIE]
    assert "max-age" not in cookies[COOKIE]


def test_remember_me_makes_the_session_cookie_persistent_without_a_remember_token(app, client, auth, db, demo):
    with time_machine.travel(START, tick=False) as traveller:
        response = auth.login("lan.nt", remember=True)
        cookies = set_cookies(response)
        assert set(cookies) == {COOKIE, "tracker_device"}  # the device cookie: tests/security/test_signin_limits.py
        expires = datetime.strptime(cookies[COOKIE]["expires"], "%a, %d %b %Y %H:%M:%S GMT")
        expires = expires.replace(tzinfo=timezone.utc)
        assert expires - START == timedelta(days=14)
        row = db.session.scalar(select(UserSession))
        assert row.remember is True
        assert row.expires_at == START + timedelta(days=14)

        seen = [response]
        # A remembered session outlives the idle timeout...
        traveller.shift(timedelta(hours=3))
        seen.append(client.get("/password"))
        assert seen[-1].status_code == 200
        # ...but not its own end.
        traveller.shift(timedelta(days=14))
        seen.append(client.get("/password"))
        assert redirects_to_login(seen[-1])
        seen.append(auth.login("lan.nt", remember=True))
        seen.append(auth.logout())
        for response in seen:
            assert "remember_token" not in set_cookies(response)
        assert client.get_cookie("remember_token") is None


def test_logout_invalidates_the_session_on_the_server(app, client, auth, db, demo):
    auth.login("lan.nt")
    assert signed_in(client)
    stolen = client.get_cookie(COOKIE).value
    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert flashes(client.get("/login")) == [t("You have signed out.")]
    assert not signed_in(client)

    replay = app.test_client()
    replay.set_cookie(COOKIE, stolen)
    assert redirects_to_login(replay.get("/"))
    assert redirects_to_login(replay.get("/profile"))
    row = db.session.scalar(select(UserSession))
    assert row.revoked_at is not None


def test_logout_needs_post(client, auth, demo):
    auth.login("lan.nt")
    assert client.get("/logout").status_code == 405
    assert signed_in(client)


def test_password_change_signs_out_the_other_browsers(app, db, demo):
    a, b = app.test_client(), app.test_client()
    for c in (a, b):
        assert c.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD}).status_code == 302
    response = a.post("/password", data={"current_password": DEMO_PASSWORD, "new_password": "new-secret-42",
                                         "confirm": "new-secret-42"})
    assert response.status_code == 302
    assert flashes(a.get("/")) == [t("Your password has been changed. Other browsers have been signed out.")]
    assert signed_in(a)
    assert redirects_to_login(b.get("/"))
    # The old password no longer works; the new one does.
    c = app.test_client()
    assert flashes(c.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})) == [t(WRONG_OR_UNKNOWN)]
    assert c.post("/login", data={"username": "lan.nt", "password": "new-secret-42"}).status_code == 302


def test_deactivation_by_an_admin_signs_the_user_out(app, db, demo, login_as):
    staff = login_as("lan.nt")
    staff_too = login_as("lan.nt")
    admin = login_as("admin")
    lan = user(db, "lan.nt")
    response = admin.post(f"/admin/users/{lan.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert redirects_to_login(staff.get("/"))
    assert redirects_to_login(staff_too.get("/profile"))
    again = app.test_client().post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
    assert flashes(again) == [t(WRONG_OR_UNKNOWN)]
    assert db.session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == lan.id, UserSession.revoked_at.is_(None))) == 0


def test_temporary_password_must_be_changed_at_next_sign_in(app, db, demo, login_as):
    staff = login_as("lan.nt")
    admin = login_as("admin")
    lan = user(db, "lan.nt")
    response = admin.post(f"/admin/users/{lan.id}/password", data={"password": "temporary-77"})
    assert response.status_code == 302
    assert redirects_to_login(staff.get("/"))  # the old session is gone

    client = app.test_client()
    response = client.post("/login", data={"username": "lan.nt", "password": "temporary-77"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/password"
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/password"
    assert client.get("/profile").headers["Location"] == "/password"
    page = client.get("/password")
    assert t("Please choose a new password before you continue.") in flashes(page)
    response = client.post("/password", data={"current_password": "temporary-77", "new_password": "my-own-secret-1",
                                              "confirm": "my-own-secret-1"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    db.session.refresh(lan)
    assert lan.must_change_password is False


# --- timeouts -------------------------------------------------------------------------

def test_idle_timeout_after_two_hours(app, client, auth, demo):
    with time_machine.travel(START, tick=False) as traveller:
        auth.login("lan.nt")
        traveller.shift(timedelta(hours=1, minutes=59))
        assert signed_in(client)  # activity renews the idle clock
        traveller.shift(timedelta(hours=1, minutes=59))
        assert signed_in(client)
        traveller.shift(timedelta(hours=2, minutes=1))
        response = client.get("/")
        assert redirects_to_login(response)


def test_absolute_timeout_after_twelve_hours_of_activity(app, client, auth, demo):
    with time_machine.travel(START, tick=False) as traveller:
        auth.login("lan.nt")
        for _ in range(11):
            traveller.shift(timedelta(hours=1))
            assert signed_in(client)
        traveller.shift(timedelta(minutes=59))
        assert signed_in(client)
        traveller.shift(timedelta(minutes=1))
        assert redirects_to_login(client.get("/"))


# --- fixation, redirects --------------------------------------------------------------

def test_sign_in_starts_a_new_session_and_a_new_csrf_token(make_app, app, db, demo):
    secure = make_app(WTF_CSRF_ENABLED=True)
    serializer = secure.session_interface.get_signing_serializer(secure)
    # An attacker plants a session cookie whose id and CSRF secret they know.
    planted = serializer.dumps({"sid": "attacker-knows-this", "csrf_token": "a" * 40})
    victim = secure.test_client()
    victim.set_cookie(COOKIE, planted)
    login_page = victim.get("/login")
    old_token = csrf_token(login_page)
    response = victim.post("/login", data={"username": "hai.nv", "password": DEMO_PASSWORD, "csrf_token": old_token})
    assert response.status_code == 302

    data = session_data(secure, victim)
    assert data["sid"] != "attacker-knows-this"
    assert data.get("csrf_token") != "a" * 40
    hashes = set(db.session.scalars(select(UserSession.token_hash)))
    assert hashes == {hash_token(data["sid"])}

    attacker = secure.test_client()
    attacker.set_cookie(COOKIE, planted)
    assert redirects_to_login(attacker.get("/"))

    # The CSRF token of the sign-in page is no longer accepted...
    change = {"current_password": DEMO_PASSWORD, "new_password": "brand-new-secret", "confirm": "brand-new-secret"}
    stale = victim.post("/password", data={**change, "csrf_token": old_token})
    assert stale.status_code == 400
    assert t(CSRF_MESSAGE) in stale.get_data(as_text=True)
    # ...a fresh one is.
    fresh = csrf_token(victim.get("/password"))
    assert fresh != old_token
    assert victim.post("/password", data={**change, "csrf_token": fresh}).status_code == 302


def test_an_authenticated_cookie_is_replaced_at_the_next_sign_in(app, client, auth, demo):
    auth.login("lan.nt")
    first = session_data(app, client)["sid"]
    auth.logout()
    auth.login("lan.nt")
    assert session_data(app, client)["sid"] != first


OFF_SITE = ["https://evil.example", "https://evil.example/login", "//evil.example", "/\\evil.example",
            "\\\\evil.example", "/\t/evil.example", "http:/evil.example", "javascript:alert(1)", "evil.example"]


def test_sign_in_never_redirects_off_site(app, demo):
    for target in OFF_SITE:
        client = app.test_client()
        response = client.post("/login", query_string={"next": target},
                               data={"username": "lan.nt", "password": DEMO_PASSWORD})
        assert response.status_code == 302, target
        assert response.headers["Location"] == "/", target
        # Already signed in, /login?next=... must not bounce off-site either.
        response = client.get("/login", query_string={"next": target})
        assert response.headers["Location"] == "/", target


# (A NUL anywhere in a query string is refused with 400 before sign-in looks at it: tests/security.)
UNSAFE_NEXT = ["/tasks\r\nSet-Cookie: x=1", "/tasks\nLocation: https://evil.example", "/\r/evil.example",
               "/\n/evil.example", "/tasks\x1b[31m", "/tasks\x7f", "/tasks\x85", "/tasks\u2028"]


def test_next_with_control_characters_falls_back_to_the_home_page(app, demo):
    for target in UNSAFE_NEXT:
        client = app.test_client()
        response = client.post("/login", query_string={"next": target},
                               data={"username": "lan.nt", "password": DEMO_PASSWORD})
        assert response.status_code == 302, repr(target)
        assert response.headers["Location"] == "/", repr(target)
        assert "x=1" not in response.headers.get("Set-Cookie", ""), repr(target)
        assert signed_in(client)
        response = client.get("/login", query_string={"next": target})
        assert response.headers["Location"] == "/", repr(target)


def test_sign_in_returns_to_the_page_asked_for(client, demo):
    response = client.get("/admin/users?q=lan")
    assert redirects_to_login(response)
    assert "next=" in response.headers["Location"]
    target = "/profile?tab=1"
    response = client.post("/login", query_string={"next": target},
                           data={"username": "lan.nt", "password": DEMO_PASSWORD})
    assert response.headers["Location"] == target


# --- passwords ------------------------------------------------------------------------

@pytest.mark.parametrize("password, problems", [
    ("a" * 7, ["too_short"]),
    ("abcdefg", ["too_short"]),
    ("abcdefgh", []),
    ("lowercase only words", []),  # no composition rules
    ("x" * 64, []),
    ("ý" * 100, []),
    ("x" * 128, []),
    ("x" * 129, ["too_long"]),
    ("password", ["too_common"]),
    ("Password1", ["too_common"]),
    ("12345678", ["too_common"]),
    ("matkhau123", ["too_common"]),
])
def test_password_policy(password, problems):
    assert password_problems(password) == problems


def test_password_equal_to_the_username_is_refused():
    assert password_problems("Lan.NT.2020", "lan.nt.2020") == ["same_as_username"]


def change(client, current: str, new: str, confirm: str | None = None):
    return client.post("/password", data={"current_password": current, "new_password": new,
                                          "confirm": new if confirm is None else confirm})


@pytest.mark.parametrize("new, error", [
    ("short7!", "Use at least 8 characters."),
    ("password1", "This password is too common. Choose another."),
    ("lan.nt", "Use at least 8 characters."),
    ("lan.nt.nt", None),
])
def test_change_password_form_applies_the_policy(client, auth, db, demo, new, error):
    auth.login("lan.nt")
    response = change(client, DEMO_PASSWORD, new)
    if error is None:
        assert response.status_code == 302
        assert user(db, "lan.nt").check_password(new)
    else:
        assert response.status_code == 200
        assert t(error) in field_errors(response, "new_password")
        assert user(db, "lan.nt").check_password(DEMO_PASSWORD)


def test_change_password_refuses_the_username_itself(client, auth, db, demo):
    db.session.execute(User.__table__.update().where(User.username == "lan.nt").values(username="lan.nguyen"))
    db.session.commit()
    auth.login("lan.nguyen")
    response = change(client, DEMO_PASSWORD, "lan.nguyen")
    assert t("The password must not be your username.") in field_errors(response, "new_password")


def test_change_password_needs_the_current_password(client, auth, db, demo):
    auth.login("lan.nt")
    response = change(client, "not-the-current-one", "brand-new-secret")
    assert response.status_code == 200
    assert field_errors(response, "current_password") == [t("The current password is not correct.")]
    assert user(db, "lan.nt").check_password(DEMO_PASSWORD)


def test_change_password_needs_matching_confirmation(client, auth, db, demo):
    auth.login("lan.nt")
    response = change(client, DEMO_PASSWORD, "brand-new-secret", "brand-new-secreT")
    assert field_errors(response, "confirm") == [t("The passwords do not match.")]
    assert user(db, "lan.nt").check_password(DEMO_PASSWORD)


def test_passwords_are_stored_as_scrypt_hashes(client, auth, db, demo):
    auth.login("lan.nt")
    change(client, DEMO_PASSWORD, "brand-new-secret")
    stored = user(db, "lan.nt").password_hash
    assert stored.startswith("scrypt:")
    assert "brand-new-secret" not in stored


def test_the_hash_uses_the_configured_scrypt_parameters(app, client, auth, db, demo):
    auth.login("lan.nt")
    change(client, DEMO_PASSWORD, "brand-new-secret")
    assert app.config["PASSWORD_HASH_METHOD"].startswith("scrypt:")
    assert user(db, "lan.nt").password_hash.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")


def test_a_legacy_pbkdf2_hash_is_rewritten_at_sign_in(app, client, db, demo):
    lan = user(db, "lan.nt")
    lan.password_hash = generate_password_hash(DEMO_PASSWORD, method="pbkdf2:sha256:1000")
    db.session.commit()
    # A failed attempt does not touch it.
    client.post("/login", data={"username": "lan.nt", "password": "wrong-password"})
    db.session.refresh(lan)
    assert lan.password_hash.startswith("pbkdf2:")
    response = client.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    db.session.refresh(lan)
    assert lan.password_hash.startswith("scrypt:")
    assert lan.check_password(DEMO_PASSWORD)


# --- production settings --------------------------------------------------------------

@pytest.fixture
def production_app(tmp_path):
    from tracker.database import db as _db
    from tracker.demo import add_unit, add_user

    app = create_app("production", SECRET_KEY="x" * 64, BASE_URL="https://tracker.example.gov.vn",
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'production.db'}",
                     UPLOAD_FOLDER=str(tmp_path / "uploads"), OUTBOX_FOLDER=str(tmp_path / "outbox"))
    with app.app_context():
        _db.create_all()
        unit = add_unit("UBND", "Ủy ban nhân dân tỉnh", kind="province")
        add_user("lan.nt", "Nguyễn Thị Lan", unit, "staff", password=DEMO_PASSWORD)
        _db.session.commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_production_session_cookie_is_hardened(production_app):
    client = production_app.test_client()
    base = "https://localhost"
    page = client.get("/login", base_url=base)
    assert page.status_code == 200
    response = client.post("/login", base_url=base, headers={"Referer": f"{base}/login"},
                           data={"username": "lan.nt", "password": DEMO_PASSWORD, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    cookies = set_cookies(response)
    assert sorted(cookies) == ["__Host-tracker_device", "__Host-tracker_session"]
    device = cookies["__Host-tracker_device"]  # sign-in limits (tests/security/test_signin_limits.py)
    assert device.get("secure") is True and device.get("httponly") is True and device.get("samesite") == "Strict"
    assert device.get("path") == "/" and "domain" not in device
    cookie = cookies["__Host-tracker_session"]
    assert cookie.get("secure") is True
    assert cookie.get("httponly") is True
    assert cookie.get("samesite") == "Lax"
    assert cookie.get("path") == "/"
    assert "domain" not in cookie  # required by the __Host- prefix
    # A standard parser reads the same flags.
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("__Host-tracker_session="))
    parsed = SimpleCookie(header)["__Host-tracker_session"]
    assert parsed["secure"] and parsed["httponly"] and parsed["samesite"] == "Lax"
    assert client.get("/", base_url=base).status_code == 200


def test_production_hashes_use_the_documented_scrypt_cost(production_app):
    from tracker.database import db as _db

    with production_app.app_context():
        stored = _db.session.scalar(select(User.password_hash).where(User.username == "lan.nt"))
    assert stored.startswith("scrypt:32768:8:1$")


def test_production_is_not_in_debug_and_a_crash_shows_a_generic_page(production_app):
    def boom():
        raise ZeroDivisionError("secret detail of the crash")

    boom.public = True
    production_app.add_url_rule("/boom", "boom", boom)
    assert production_app.debug is False
    response = production_app.test_client().get("/boom", base_url="https://localhost")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    with production_app.app_context():
        assert t("Something went wrong on our side. The error has been logged.") in body
    for leak in ("Traceback", "ZeroDivisionError", "secret detail", "test_auth.py"):
        assert leak not in body


def test_production_without_a_csrf_token_is_refused(production_app):
    client = production_app.test_client()
    response = client.post("/login", base_url="https://localhost",
                           data={"username": "lan.nt", "password": DEMO_PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize("secret", [DEV_SECRET_KEY, ""])
def test_production_refuses_to_start_with_the_default_secret(tmp_path, secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SECRET_KEY=secret, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}")


# --- CSRF -----------------------------------------------------------------------------

def test_csrf_sign_in_without_a_token_is_refused_and_with_one_works(make_app, app, demo):
    secure = make_app(WTF_CSRF_ENABLED=True)
    client = secure.test_client()
    response = client.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert t(CSRF_MESSAGE) in response.get_data(as_text=True)
    assert not signed_in(client)
    token = csrf_token(client.get("/login"))
    response = client.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert signed_in(client)


def test_csrf_is_enforced_on_every_state_changing_route(make_app, app, db, demo):
    """Walk the URL map: every POST/PUT/PATCH/DELETE without a token is refused (400), forms and JSON alike."""
    from tests.test_reach import route_cases

    secure = make_app(WTF_CSRF_ENABLED=True)
    client = secure.test_client()
    token = csrf_token(client.get("/login"))
    assert client.post("/login", data={"username": "admin", "password": DEMO_PASSWORD,
                                       "csrf_token": token}).status_code == 302
    before = {(u.id, u.active, u.role, u.password_hash) for u in db.session.scalars(select(User))}
    checked = []
    for endpoint, url, methods, _ in route_cases(secure, db):
        for method in sorted(methods & {"POST", "PUT", "PATCH", "DELETE"}):
            if url.startswith("/api/"):
                # The API is exempt from CSRF because it takes bearer tokens only: a browser's
                # session cookie must not be enough there.
                response = client.open(url, method=method, json={})
                assert response.status_code == 401, (method, url, response.status_code)
                continue
            response = client.open(url, method=method, data={})
            assert response.status_code == 400, (method, url, response.status_code)
            assert t(CSRF_MESSAGE) in response.get_data(as_text=True)
            json_response = client.open(url, method=method, json={})
            assert json_response.status_code == 400, (method, url, json_response.status_code)
            checked.append(endpoint)
    assert {"auth.login", "auth.logout", "auth.change_password", "main.profile", "main.set_language",
            "admin.unit_new", "admin.unit_delete", "admin.user_set_active", "admin.user_temporary_password"} \
        <= set(checked)
    # Nothing changed, and the admin is still signed in.
    db.session.expire_all()
    assert {(u.id, u.active, u.role, u.password_hash) for u in db.session.scalars(select(User))} == before
    assert signed_in(client)
    # The same request with a valid X-CSRFToken header succeeds.
    token = csrf_token(client.get("/password"))
    response = client.post("/password", headers={"X-CSRFToken": token}, data={
        "current_password": DEMO_PASSWORD, "new_password": "brand-new-secret", "confirm": "brand-new-secret"})
    assert response.status_code == 302
    assert flashes(client.get("/password")) == [
        t("Your password has been changed. Other browsers have been signed out.")]


# --- audit of security events ----------------------------------------------------------

def test_security_events_are_audited_once_each_in_utc(app, db, demo, login_as):
    with time_machine.travel(START, tick=False):
        client = app.test_client()
        client.post("/login", data={"username": "lan.nt", "password": "wrong-password"})
        client.post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD})
        change(client, DEMO_PASSWORD, "brand-new-secret")
        client.post("/logout")
        admin = login_as("admin")
        lan = user(db, "lan.nt")
        form = {"username": "lan.nt", "full_name": lan.full_name, "email": lan.email, "unit_id": lan.unit_id,
                "role": "leader", "position_title": lan.position_title, "language": "vi", "active": "y"}
        assert admin.post(f"/admin/users/{lan.id}/edit", data=form).status_code == 302

        events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "user",
                                                             AuditEvent.object_id == lan.id)
                                    .order_by(AuditEvent.id)).all()
        assert [e.action for e in events] == ["auth.login_failed", "auth.login", "auth.password_changed",
                                              "auth.logout", "user.role_change"]
        for event in events:
            assert event.at.tzinfo is not None and event.at.utcoffset() == timedelta(0)
            assert event.at == START
        assert events[-1].changes == {"role": ["staff", "leader"]}
        assert events[-1].actor.username == "admin"


def test_audit_rows_cannot_be_changed_or_deleted(app, db, demo, login_as):
    from tracker.models.audit import AuditLogIsAppendOnly

    login_as("lan.nt")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login"))
    event.summary = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()


# --- health ---------------------------------------------------------------------------

def test_healthz_answers_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(make_app, tmp_path):
    broken = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")
    with broken.app_context():
        response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
