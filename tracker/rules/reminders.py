"""Which reminders fall due on a date: the pure rules behind the reminder planner.

The default rules (domain.md, "Deadlines, working days, reminders"): 7, 3 and
1 working days before the deadline and on the day, to the assignee (or the
lead unit's leaders when nobody is assigned); once overdue, on the first
working day after the deadline and every 3 working days after that
(deadline + 1, + 4, + 7... working days), also to the lead unit's leaders;
on the 10th working day after the deadline, an escalation to the issuer and
the issuing unit's secretaries.

Conventions, all derived from one number, the working days left
`left = cal.working_days_between(today, deadline)` (working days in
(today, deadline]; negative once the deadline has passed):

- Reminders are sent only on working days. On a day off nothing is due.
- `due_in_Nd` fires on the working day with `left == N`, and `due_today` on
  the working day with `left == 0`. For a deadline on a working day that is
  `cal.add_working_days(deadline, -N)` and the deadline itself. For a
  deadline on a day off (a Saturday, a day of Tết), "on the day" fires on the
  last working day before it, so the person is warned while still at work,
  and the before-deadline rules count back from that day: a Saturday deadline
  gets `due_today` on Friday, `due_in_1d` on Thursday, `due_in_3d` on Tuesday.
  Each rule thus fires on its own day, never two of them together.
- `overdue` fires on the working day with `late == overdue_first + k *
  overdue_every` (k = 0, 1, 2...), where `late = -left` is the number of
  working days in (deadline, today]; its occurrence is k + 1. A deadline on
  a day off is overdue from the next working day.
- `escalation` fires once, on the working day with `late == escalate_after`;
  with the defaults that day also gets `overdue` occurrence 4.
- Each (rule, occurrence) falls on exactly one day for a given deadline; the
  caller keys sent reminders on (task, recipient, rule, occurrence, deadline),
  so a deadline moved by an extension starts afresh.
- These functions answer "what is due on `today`" only. Catching up after
  downtime (row 9 of reliability.md) is the planner's business: it runs them
  for today, and drops pending before-deadline reminders whose day has passed.

The weekly digest is not one of these rules: the scheduler sends it by the
wall clock (`digest_weekday`, `digest_hour`, `digest_minute`, in
Asia/Ho_Chi_Minh), on a day off too. Its settings live in `ReminderRules` so
that the admin edits every reminder setting in one place.

A planner should query by deadline rather than loop over every task:
`due_window_dates` (or `before_deadline_targets`) names the few deadlines
with a before-deadline or escalation reminder today, and the overdue
candidates are the open tasks with a deadline up to `overdue_until`, which
`overdue_occurrence` then filters.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from tracker.rules.calendar import WorkCalendar

DUE_TODAY = "due_today"
OVERDUE = "overdue"
ESCALATION = "escalation"

TO_ASSIGNEE = "assignee"  # the assignee, or the lead unit's leaders when nobody is assigned
TO_ASSIGNEE_AND_LEADERS = "assignee_and_leaders"  # the above plus the lead unit's leaders
TO_ISSUER = "issuer"  # the issuer and the issuing unit's secretaries


def before_rule(days: int) -> str:
    """Return the name of the rule `days` working days before the deadline."""
    return f"due_in_{days}d"


@dataclass(frozen=True)
class ReminderRules:
    """The reminder settings the admin can change; the defaults are domain.md's.

    `before_days` is normalised to distinct positive numbers, largest first.
    """

    before_days: tuple[int, ...] = (7, 3, 1)
    on_day: bool = True
    overdue_first: int = 1  # working days after the deadline
    overdue_every: int = 3  # working days between overdue repeats
    escalate_after: int = 10  # working days after the deadline
    digest_weekday: int = 0  # Monday, as in date.weekday()
    digest_hour: int = 7
    digest_minute: int = 30

    def __post_init__(self) -> None:
        days = tuple(sorted(set(self.before_days), reverse=True))
        if any(n < 1 for n in days):
            raise ValueError("before_days must be positive")
        object.__setattr__(self, "before_days", days)
        if self.overdue_first < 1 or self.overdue_every < 1 or self.escalate_after < 1:
            raise ValueError("overdue_first, overdue_every and escalate_after must be positive")
        if not (
            0 <= self.digest_weekday <= 6
            and 0 <= self.digest_hour <= 23
            and 0 <= self.digest_minute <= 59
        ):
            raise ValueError("digest weekday, hour or minute out of range")

    @property
    def due_soon_days(self) -> int:
        """Return the length of the first reminder window, in working days."""
        return max(self.before_days, default=0)


DEFAULT_RULES = ReminderRules()
DEFAULT_SEND_HOUR = 7  # reminders of the day go out from this local hour (the scheduler's setting)


@dataclass(frozen=True)
class ReminderDue:
    """One reminder due for a task: which rule, which repeat, and to whom."""

    rule: str
    occurrence: int
    audience: str


class DeadlineWindow(NamedTuple):
    """The deadlines, `first` to `last` inclusive, whose tasks get `rule` today."""

    rule: str
    first: date
    last: date


@dataclass(frozen=True)
class DueWindows:
    """What a planner queries on one day: the deadlines with a reminder due.

    `before` holds the before-deadline and on-the-day windows, `escalation`
    the escalation window, and `overdue_until` the latest deadline that may
    have an overdue reminder today (filter the candidates with
    `overdue_occurrence`). All empty or None on a day off.
    """

    before: tuple[DeadlineWindow, ...]
    overdue_until: date | None
    escalation: DeadlineWindow | None


def _overdue_occurrence(late: int, rules: ReminderRules) -> int | None:
    """Return the overdue occurrence due `late` working days after the deadline."""
    since_first = late - rules.overdue_first
    if since_first < 0 or since_first % rules.overdue_every:
        return None
    return since_first // rules.overdue_every + 1


def reminders_due(
    deadline: date,
    today: date,
    cal: WorkCalendar,
    rules: ReminderRules = DEFAULT_RULES,
) -> list[ReminderDue]:
    """Return the reminders due on `today` for an open task with `deadline` in force."""
    if not cal.is_working_day(today):
        return []
    left = cal.working_days_between(today, deadline)
    if left > 0:
        if left in rules.before_days:
            return [ReminderDue(before_rule(left), 1, TO_ASSIGNEE)]
        return []
    if left == 0:
        return [ReminderDue(DUE_TODAY, 1, TO_ASSIGNEE)] if rules.on_day else []
    due: list[ReminderDue] = []
    occurrence = _overdue_occurrence(-left, rules)
    if occurrence is not None:
        due.append(ReminderDue(OVERDUE, occurrence, TO_ASSIGNEE_AND_LEADERS))
    if -left == rules.escalate_after:
        due.append(ReminderDue(ESCALATION, 1, TO_ISSUER))
    return due


def overdue_occurrence(
    deadline: date,
    today: date,
    cal: WorkCalendar,
    rules: ReminderRules = DEFAULT_RULES,
) -> int | None:
    """Return the occurrence of the overdue reminder due on `today`, or None if none is."""
    if not cal.is_working_day(today):
        return None
    return _overdue_occurrence(-cal.working_days_between(today, deadline), rules)


def _window(rule: str, today: date, left: int, cal: WorkCalendar) -> DeadlineWindow:
    """Return the deadlines with exactly `left` working days left from working day `today`."""
    first = cal.add_working_days(today, left)
    last = cal.add_working_days(today, left + 1) - timedelta(days=1)
    return DeadlineWindow(rule, first, last)


def before_deadline_windows(
    today: date,
    cal: WorkCalendar,
    rules: ReminderRules = DEFAULT_RULES,
) -> list[DeadlineWindow]:
    """Return the deadline windows with a before-deadline or on-the-day reminder today.

    A window is one working day followed by the days off after it, so a
    Friday window also holds that weekend's deadlines. Windows are disjoint
    and ordered from the latest deadline to `today`'s own.
    """
    if not cal.is_working_day(today):
        return []
    windows = [_window(before_rule(n), today, n, cal) for n in rules.before_days]
    if rules.on_day:
        windows.append(_window(DUE_TODAY, today, 0, cal))
    return windows


def before_deadline_targets(
    today: date,
    cal: WorkCalendar,
    rules: ReminderRules = DEFAULT_RULES,
) -> dict[date, list[str]]:
    """Return each deadline with a before-deadline or on-the-day reminder today, with its rules."""
    targets: dict[date, list[str]] = {}
    for rule, first, last in before_deadline_windows(today, cal, rules):
        for offset in range((last - first).days + 1):
            targets.setdefault(first + timedelta(days=offset), []).append(rule)
    return targets


def due_window_dates(
    today: date,
    cal: WorkCalendar,
    rules: ReminderRules = DEFAULT_RULES,
) -> DueWindows:
    """Return the deadlines a planner must query for the reminders due on `today`."""
    if not cal.is_working_day(today):
        return DueWindows((), None, None)
    overdue_until = _window(OVERDUE, today, -rules.overdue_first, cal).last
    escalation = _window(ESCALATION, today, -rules.escalate_after, cal)
    return DueWindows(tuple(before_deadline_windows(today, cal, rules)), overdue_until, escalation)
