"""How each person wants to be told, per kind of message: pure rules, no database.

Messages fall into four kinds a person chooses for: new work, deadline
reminders, reports awaiting their decision, and answers to their own
reports. For each, a channel: e-mail and bell, bell only, or the weekly
digest only (nothing at the time: the Monday digest lists their due-soon
and overdue tasks). What a person never chose follows their role.
"""
from __future__ import annotations

from collections.abc import Mapping

EMAIL, BELL, DIGEST = "email", "bell", "digest"
CHANNELS = (EMAIL, BELL, DIGEST)

NEW_WORK, REMINDERS, AWAITING, ANSWERS = "new_work", "reminders", "awaiting", "answers"
GROUPS = (NEW_WORK, REMINDERS, AWAITING, ANSWERS)

_GROUP_OF = {
    "assigned": NEW_WORK,
    "reminder": REMINDERS, "manual": REMINDERS, "overdue": REMINDERS, "escalation": REMINDERS,
    "due_today": REMINDERS,
    "submitted": AWAITING, "extension_requested": AWAITING, "difficulty": AWAITING,
    "returned": ANSWERS, "confirmed": ANSWERS, "extension_approved": ANSWERS, "extension_rejected": ANSWERS,
    "response": ANSWERS,
}

# Everyone who answers for tasks or decides on them is told at once, by e-mail too; administrators,
# who are party to no task, only see the bell.
_ROLE_DEFAULTS = {"admin": dict.fromkeys(GROUPS, BELL)}


def group_of(kind: str) -> str:
    """The kind of message (one of GROUPS) a notification or e-mail kind belongs to."""
    if kind.startswith("due_in_"):
        return REMINDERS
    return _GROUP_OF.get(kind, NEW_WORK)


def default_channel(role: str, group: str) -> str:
    return _ROLE_DEFAULTS.get(role, {}).get(group, EMAIL)


def channels(role: str, prefs: Mapping[str, str] | None) -> dict[str, str]:
    """Every group's channel for a person: their choice where valid, else their role's default."""
    prefs = prefs or {}
    return {g: prefs[g] if prefs.get(g) in CHANNELS else default_channel(role, g) for g in GROUPS}


def channel(role: str, prefs: Mapping[str, str] | None, kind: str) -> str:
    """How a person with `role` and `prefs` is told of a message of `kind` (EMAIL, BELL or DIGEST)."""
    return channels(role, prefs)[group_of(kind)]


def wants_digest(role: str, prefs: Mapping[str, str] | None) -> bool:
    """Leaders get the weekly digest; so does anyone who chose "digest only" for some kind of message."""
    return role == "leader" or DIGEST in channels(role, prefs).values()
