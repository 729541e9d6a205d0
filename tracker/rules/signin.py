"""Sign-in limits: when a sign-in attempt may check its password (pure; the counts come from the caller).

The design follows OWASP's "Slow Down Online Guessing Attacks with Device
Cookies". Offices sit behind one NAT address, so an address is many people:

- A browser that signed in as an account before holds a device cookie naming
  it. Its attempts at that account are limited per device only: no address
  ceiling, no account lockout, so an outsider can lock out neither the office
  nor the person. After `max_failures` wrong passwords the device counts as
  untrusted like any other client.
- Any other attempt is an untrusted client's, limited three ways:
  * per account and address together: after `slow_after` failures each next
    attempt must wait (1, 2, 4... seconds), after `max_failures` the pair is
    locked for the window;
  * per address (against spraying one password over many accounts): refused
    with 429 past `per_address` failures in the window;
  * per account (against guessing one account from many addresses): locked past
    `per_account` failures in the window, a ceiling one address alone cannot
    reach, since the pair lock stops it at `max_failures`.
- A success resets only the count of its own account and origin (address or
  device); the address and account ceilings count every failure in the window.

Attempts refused by a limit check no password and are not counted, so hammering
a locked account does not prolong its lock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_WAIT_SECONDS = 60


@dataclass(frozen=True)
class Limits:
    max_failures: int = 10  # per account and origin (address, or device cookie)
    slow_after: int = 5  # failures per account and origin before each attempt must wait
    window: timedelta = timedelta(minutes=15)
    per_address: int = 50  # untrusted failures from one address, any accounts
    per_account: int = 30  # untrusted failures at one account, any addresses

    def __post_init__(self):
        if self.per_account <= self.max_failures:
            raise ValueError("the per-account ceiling must lie beyond what one address may try")


@dataclass(frozen=True)
class Counts:
    """Failures within the window (the pair's since its last success), and the pair's last failure."""

    pair: int = 0
    last_failure: datetime | None = None
    address: int = 0
    account: int = 0


@dataclass(frozen=True)
class Verdict:
    outcome: str  # "check" (check the password), "wait", "locked" or "address" (the address ceiling: 429)
    seconds: int = 0  # how long to wait ("wait")


def wait_seconds(failures: int, slow_after: int) -> int:
    """Seconds to wait after the last failure before the next attempt: 0, then 1, 2, 4... up to a minute."""
    if failures < slow_after:
        return 0
    return min(2 ** (failures - slow_after), MAX_WAIT_SECONDS)


def device_trusted(device_failures: int, limits: Limits) -> bool:
    """A device cookie is honoured until its own failures at the account reach the pair limit."""
    return device_failures < limits.max_failures


def verdict(counts: Counts, limits: Limits, now: datetime, trusted: bool) -> Verdict:
    """What to do with an attempt (`trusted`: it comes with a valid device cookie for this account)."""
    if not trusted:
        if counts.address >= limits.per_address:
            return Verdict("address")
        if counts.account >= limits.per_account:
            return Verdict("locked")
    if counts.pair >= limits.max_failures:
        return Verdict("locked")
    wait = wait_seconds(counts.pair, limits.slow_after)
    if wait and counts.last_failure is not None:
        left = (counts.last_failure + timedelta(seconds=wait) - now).total_seconds()
        if left > 0:
            return Verdict("wait", max(1, int(-(-left // 1))))
    return Verdict("check")
