"""Sign-in limits an outsider cannot turn against the right person (reliability.md row 52, issue #18 point 1).

Driven through the test client as browsers would: each browser is a test
client with its own cookies; addresses differ through X-Forwarded-For behind
one trusted proxy, as in production behind nginx.
"""
from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.pages import flashes, t
from tracker.demo import DEMO_PASSWORD
from tracker.models import LoginAttempt

START = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 08:00 on a Monday in Hà Nội
WRONG = "Wrong username or password."
LOCKED = "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minutes."
DEVICE = "tracker_device"
OFFICE = "198.51.100.20"  # the office's NAT address: the outsider and the staff share it


@pytest.fixture
def demo(app):
    """The demo units and users (sign-in needs no directives)."""
    from tracker.database import db as _db
    from tracker.demo import load_demo

    counts = load_demo(directives=False)
    _db.session.commit()
    return counts


@pytest.fixture
def site(make_app, demo):
    """The app as production runs it: behind one proxy, with the production limits."""
    return make_app(TRUSTED_PROXIES=1, LOGIN_MAX_FAILURES_PER_IP=50)


def post(client, username: str, password: str, address: str = OFFICE):
    return client.post("/login", data={"username": username, "password": password},
                       headers={"X-Forwarded-For": address, "X-Forwarded-Proto": "https"})


def attempt(client, traveller, username: str, password: str = "wrong-password", address: str = OFFICE):
    """One attempt as a patient person makes it: when told to wait, wait as long as told, then try."""
    response = post(client, username, password, address)
    if response.status_code == 429 and "Retry-After" in response.headers:
        traveller.shift(timedelta(seconds=int(response.headers["Retry-After"])))
        response = post(client, username, password, address)
    return response


def fail(client, traveller, username: str, times: int, address: str = OFFICE) -> None:
    for _ in range(times):
        response = attempt(client, traveller, username, address=address)
        assert response.status_code == 200 and flashes(response) == [t(WRONG)], (username, address)


def browser_that_signed_in(site, username: str, address: str = OFFICE):
    """A browser that signed in as `username` once (it keeps its device cookie) and signed out."""
    browser = site.test_client()
    response = post(browser, username, DEMO_PASSWORD, address)
    assert response.status_code == 302
    assert browser.get_cookie(DEVICE) is not None
    browser.post("/logout", follow_redirects=True)
    return browser


def signed_in(response) -> bool:
    return response.status_code == 302 and not response.headers["Location"].startswith("/login")


def test_failures_slow_down_then_block_the_account_at_that_address(site):
    attacker = site.test_client()
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            assert flashes(post(attacker, "lan.nt", "wrong-password")) == [t(WRONG)]
        # From the 6th attempt on, each must wait longer: 1, 2, 4, 8, 16 seconds after the last failure.
        waits = []
        for _ in range(5):
            early = post(attacker, "lan.nt", "wrong-password")
            assert early.status_code == 429
            waits.append(int(early.headers["Retry-After"]))
            assert f" {waits[-1]} " in flashes(early)[0]
            traveller.shift(timedelta(seconds=waits[-1]))
            assert flashes(post(attacker, "lan.nt", "wrong-password")) == [t(WRONG)]
        assert waits == [1, 2, 4, 8, 16]
        # Ten failures lock that account at that address, the right password included...
        locked = post(attacker, "lan.nt", DEMO_PASSWORD)
        assert locked.status_code == 200 and flashes(locked) == [t(LOCKED, minutes=15)]
        # ... and waiting out the slow-down does not help; an attempt refused is not counted either.
        traveller.shift(timedelta(minutes=5))
        assert flashes(post(attacker, "lan.nt", DEMO_PASSWORD)) == [t(LOCKED, minutes=15)]
        # Another account at that address, and that account from another address, are not affected.
        assert signed_in(post(site.test_client(), "quang.dv", DEMO_PASSWORD))
        assert signed_in(post(site.test_client(), "lan.nt", DEMO_PASSWORD, address="203.0.113.50"))
        # The lock ends with the window that counts the failures.
        traveller.shift(timedelta(minutes=10, seconds=1))
        assert signed_in(post(attacker, "lan.nt", DEMO_PASSWORD))
    # The locked attempts and the early ones checked no password and were not counted.
    assert site_count(site, LoginAttempt.success.is_(False)) == 10


def site_count(site, *where) -> int:
    from tracker.database import db

    with site.app_context():
        return db.session.scalar(select(func.count()).select_from(LoginAttempt).where(*where))


def test_fifty_random_usernames_from_the_office_do_not_lock_out_a_browser_that_signed_in_before(site):
    with time_machine.travel(START, tick=False) as traveller:
        her_browser = browser_that_signed_in(site, "lan.nt")
        traveller.shift(timedelta(hours=3))
        outsider = site.test_client()
        for _ in range(50):
            assert flashes(post(outsider, f"user-{secrets.token_hex(4)}", "Summer2026!")) == [t(WRONG)]
        # The address has reached its ceiling: the outsider is stopped, whatever he tries...
        assert post(outsider, f"user-{secrets.token_hex(4)}", "Summer2026!").status_code == 429
        assert post(outsider, "quang.dv", DEMO_PASSWORD).status_code == 429
        # ... but Lan's browser, which signed in as her before, still signs her in from the same address.
        response = post(her_browser, "lan.nt", DEMO_PASSWORD)
        assert signed_in(response)
        # Without her device cookie (another browser, a cleared one) the office address is refused for
        # 15 minutes: nothing tells her from the outsider, and letting a right password through a
        # spraying address would tell him which of his guesses was right.
        fresh = site.test_client()
        refused = post(fresh, "lan.nt", DEMO_PASSWORD)
        assert refused.status_code == 429
        assert t("Too many attempts. Please wait a few minutes and try again.") in refused.get_data(as_text=True)
        traveller.shift(timedelta(minutes=15, seconds=1))
        assert signed_in(post(fresh, "lan.nt", DEMO_PASSWORD))


def test_a_device_cookie_only_vouches_for_the_person_it_signed_in_as(site):
    with time_machine.travel(START, tick=False):
        her_browser = browser_that_signed_in(site, "lan.nt")
        outsider = site.test_client()
        for i in range(50):
            post(outsider, f"user-{i}", "wrong-password")
        # Her cookie does not lift the address ceiling for any other name...
        assert post(her_browser, "quang.dv", DEMO_PASSWORD).status_code == 429
        assert post(her_browser, "user-1", "wrong-password").status_code == 429
        # ... and a forged or tampered cookie is no cookie.
        forged = site.test_client()
        value = her_browser.get_cookie(DEVICE).value
        forged.set_cookie(DEVICE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
        assert post(forged, "lan.nt", DEMO_PASSWORD).status_code == 429
        assert signed_in(post(her_browser, "lan.nt", DEMO_PASSWORD))


def test_a_device_cookie_is_limited_per_device(site):
    with time_machine.travel(START, tick=False) as traveller:
        her_browser = browser_that_signed_in(site, "lan.nt")
        # Someone at her desk guesses on her browser: slowed and locked like anyone, per device...
        fail(her_browser, traveller, "lan.nt", 10)
        # ... after which the cookie vouches for nothing: the browser is an untrusted client at the
        # office address, and the address's own count (still empty) applies.
        assert site_count(site, LoginAttempt.device.is_(None), LoginAttempt.success.is_(False)) == 0
        outsider = site.test_client()
        for i in range(50):
            post(outsider, f"user-{i}", "wrong-password")
        assert post(her_browser, "lan.nt", DEMO_PASSWORD).status_code == 429
        # Those device failures counted neither against the office address nor against her account.
        assert site_count(site, LoginAttempt.device.is_(None), LoginAttempt.username == "lan.nt",
                          LoginAttempt.success.is_(False)) == 0


def test_a_success_resets_no_other_count(site):
    """49 failures, a sign-in to one's own account, 49 more: the address ceiling still stops at 50."""
    with time_machine.travel(START, tick=False) as traveller:
        outsider = site.test_client()
        fail(outsider, traveller, "lan.nt", 9)
        for i in range(40):
            assert flashes(post(outsider, f"user-{i}", "wrong-password")) == [t(WRONG)]
        # He signs in to his own account from the same address (with no device cookie yet)...
        assert signed_in(post(outsider, "quang.dv", DEMO_PASSWORD))
        outsider.post("/logout", follow_redirects=True)
        # ... which resets neither Lan's count at this address (her 10th attempt must still wait)...
        early = post(outsider, "lan.nt", "wrong-password")
        assert early.status_code == 429 and early.headers["Retry-After"] == "16"
        fail(outsider, traveller, "lan.nt", 1)
        # ... nor the address's count: 50 failures, the ceiling.
        assert post(site.test_client(), "lan.nt", DEMO_PASSWORD).status_code == 429
        # Now holding a device cookie for his own account, he is still an untrusted client for others...
        assert post(outsider, "user-x", "wrong-password").status_code == 429
        assert post(outsider, "nga.tt", DEMO_PASSWORD).status_code == 429
        # ... while his own sign-in goes on working.
        assert signed_in(post(outsider, "quang.dv", DEMO_PASSWORD))


def test_the_account_ceiling_cannot_be_reached_from_one_address(site):
    with time_machine.travel(START, tick=False) as traveller:
        her_browser = browser_that_signed_in(site, "lan.nt", address="192.0.2.10")
        # One address alone: locked for itself after 10 failures, however long it keeps trying.
        lone = site.test_client()
        fail(lone, traveller, "lan.nt", 10, address="203.0.113.1")
        for _ in range(40):
            traveller.shift(timedelta(seconds=1))
            assert flashes(post(lone, "lan.nt", "wrong-password", "203.0.113.1")) == [t(LOCKED, minutes=15)]
        # Lan signs in from any other address, even without a device cookie.
        assert signed_in(post(site.test_client(), "lan.nt", DEMO_PASSWORD, address="192.0.2.99"))
        # Three addresses together reach the account ceiling (30 failures in the window)...
        for address in ("203.0.113.2", "203.0.113.3"):
            fail(site.test_client(), traveller, "lan.nt", 10, address=address)
        stranger = post(site.test_client(), "lan.nt", DEMO_PASSWORD, address="192.0.2.99")
        assert flashes(stranger) == [t(LOCKED, minutes=15)]
        # ... which locks every untrusted client out of her account, but not her own browser.
        assert signed_in(post(her_browser, "lan.nt", DEMO_PASSWORD, address="192.0.2.10"))
        # Other accounts are not affected.
        assert signed_in(post(site.test_client(), "quang.dv", DEMO_PASSWORD, address="203.0.113.2"))


def test_limits_answer_alike_for_unknown_and_existing_usernames(site):
    with time_machine.travel(START, tick=False) as traveller:
        answers = {}
        for username in ("lan.nt", "ghost.user"):
            client = site.test_client()
            fail(client, traveller, username, 5, address="203.0.113.9")
            early = post(client, username, "wrong-password", "203.0.113.9")
            fail(client, traveller, username, 5, address="203.0.113.9")
            locked = post(client, username, DEMO_PASSWORD, "203.0.113.9")
            answers[username] = (early.status_code, flashes(early), locked.status_code, flashes(locked))
        assert answers["lan.nt"] == answers["ghost.user"]


def test_device_cookie_is_signed_http_only_and_strict(site):
    with time_machine.travel(START, tick=False):
        response = post(site.test_client(), "lan.nt", DEMO_PASSWORD)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(DEVICE + "="))
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Path=/" in header
    assert "Expires=" in header  # it outlives the browser session: a year
    value = header.split(";")[0].split("=", 1)[1]
    assert value.count(".") == 2  # payload.timestamp.signature (itsdangerous)



@pytest.mark.timeout(120)
def test_attempts_sent_in_parallel_are_counted_one_after_another(site):
    """Eight browsers guess at one account at once: no attempt reads the counts before the last one is recorded.

    (SQLite runs each sign-in alone; PostgreSQL takes a lock per username: run with TEST_DATABASE_URL.)
    """
    def guess(_browser) -> list[int]:
        client = FlaskClient(site, use_cookies=True)  # its own app context and session per request
        return [post(client, "lan.nt", "wrong-password").status_code for _ in range(5)]

    with time_machine.travel(START, tick=False), ThreadPoolExecutor(8) as pool:
        statuses = [status for browser in pool.map(guess, range(8)) for status in browser]
    # The clock stands still: five failures, then every attempt must wait, whatever the order.
    assert sorted(statuses) == [200] * 5 + [429] * 35
    assert site_count(site, LoginAttempt.username == "lan.nt") == 5
