"""Who is told how: the channel per kind of message, and the role defaults (plain tables, no app)."""
from __future__ import annotations

import pytest

from tracker.rules.preferences import BELL, DIGEST, EMAIL, GROUPS, channel, channels, group_of, wants_digest


@pytest.mark.parametrize(("kind", "group"), [
    ("assigned", "new_work"), ("due_in_7d", "reminders"), ("due_today", "reminders"), ("overdue", "reminders"),
    ("escalation", "reminders"), ("manual", "reminders"), ("reminder", "reminders"),
    ("submitted", "awaiting"), ("extension_requested", "awaiting"), ("difficulty", "awaiting"),
    ("returned", "answers"), ("confirmed", "answers"), ("extension_approved", "answers"),
    ("extension_rejected", "answers"), ("response", "answers"),
])
def test_each_kind_of_message_belongs_to_a_group(kind, group):
    assert group_of(kind) == group


@pytest.mark.parametrize(("role", "expected"), [
    ("staff", EMAIL), ("leader", EMAIL), ("secretary", EMAIL), ("admin", BELL),
])
def test_role_defaults(role, expected):
    assert channels(role, None) == dict.fromkeys(GROUPS, expected)
    assert channels(role, {}) == dict.fromkeys(GROUPS, expected)


def test_a_choice_wins_and_a_bad_one_falls_back_to_the_default():
    prefs = {"reminders": DIGEST, "answers": BELL, "new_work": "pigeon"}
    assert channel("staff", prefs, "due_in_3d") == DIGEST
    assert channel("staff", prefs, "overdue") == DIGEST
    assert channel("staff", prefs, "returned") == BELL
    assert channel("staff", prefs, "assigned") == EMAIL  # not a channel: the role's default
    assert channel("staff", prefs, "submitted") == EMAIL


@pytest.mark.parametrize(("role", "prefs", "expected"), [
    ("leader", None, True), ("staff", None, False), ("staff", {"reminders": DIGEST}, True),
    ("secretary", {"answers": BELL}, False), ("admin", None, False),
])
def test_who_gets_the_weekly_digest(role, prefs, expected):
    assert wants_digest(role, prefs) is expected
