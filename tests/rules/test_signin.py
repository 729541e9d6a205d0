"""The sign-in limit rules as a table of cases (no app, no clock)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tracker.rules.signin import Counts, Limits, device_trusted, verdict, wait_seconds

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
LIMITS = Limits(max_failures=10, slow_after=5, window=timedelta(minutes=15), per_address=50, per_account=30)


@pytest.mark.parametrize("failures, seconds", [(0, 0), (4, 0), (5, 1), (6, 2), (9, 16), (11, 60), (40, 60)])
def test_wait_grows_after_the_first_failures(failures, seconds):
    assert wait_seconds(failures, 5) == seconds


@pytest.mark.parametrize("counts, trusted, outcome", [
    (Counts(), False, "check"),
    (Counts(pair=9, last_failure=NOW - timedelta(seconds=16)), False, "check"),
    (Counts(pair=9, last_failure=NOW - timedelta(seconds=10)), False, "wait"),
    (Counts(pair=10, last_failure=NOW - timedelta(minutes=5)), False, "locked"),
    (Counts(address=50), False, "address"),
    (Counts(account=30), False, "locked"),
    (Counts(account=29, address=49), False, "check"),
    # A trusted device is limited per device only: neither the address nor the account ceiling applies.
    (Counts(address=500, account=500), True, "check"),
    (Counts(pair=10, last_failure=NOW), True, "locked"),
])
def test_verdict(counts, trusted, outcome):
    assert verdict(counts, LIMITS, NOW, trusted).outcome == outcome


def test_wait_says_how_long_is_left():
    found = verdict(Counts(pair=7, last_failure=NOW - timedelta(seconds=1.5)), LIMITS, NOW, trusted=False)
    assert (found.outcome, found.seconds) == ("wait", 3)


def test_a_device_is_honoured_until_its_own_failures_reach_the_limit():
    assert device_trusted(9, LIMITS) and not device_trusted(10, LIMITS)


def test_the_account_ceiling_must_lie_beyond_one_address():
    with pytest.raises(ValueError):
        Limits(max_failures=10, per_account=10)
