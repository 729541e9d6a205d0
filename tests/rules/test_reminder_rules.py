"""Tests of the reminder rules: whole task lives day by day, boundaries, properties."""
import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.rules.calendar import WorkCalendar
from tracker.rules.reminders import (
    DEFAULT_RULES,
    DeadlineWindow,
    ReminderDue,
    ReminderRules,
    before_deadline_targets,
    before_deadline_windows,
    due_window_dates,
    overdue_occurrence,
    reminders_due,
)
from tracker.rules.status import is_due_soon

CAL = WorkCalendar(makeup_days=[date(2025, 4, 26)])  # the make-up Saturday of the 2/5 swap


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def life(deadline, first, last, cal=CAL, rules=DEFAULT_RULES):
    """Tick daily from `first` to `last`; return every (date, rule, occurrence) sent."""
    return [
        (d, r.rule, r.occurrence)
        for d in days(first, last)
        for r in reminders_due(deadline, d, cal, rules)
    ]


def test_defaults_are_those_of_the_domain():
    assert DEFAULT_RULES == ReminderRules(
        before_days=(7, 3, 1),
        on_day=True,
        overdue_first=1,
        overdue_every=3,
        escalate_after=10,
        digest_weekday=0,
        digest_hour=7,
        digest_minute=30,
    )
    assert DEFAULT_RULES.due_soon_days == 7


def test_life_of_a_task_across_hung_kings_day_and_30_april():
    # Deadline Friday 11/4/2025; Hùng Kings Monday 7/4; Saturday 26/4 is a make-up
    # working day; 30/4, 1/5 and 2/5 are off.
    assert life(date(2025, 4, 11), date(2025, 3, 20), date(2025, 5, 10)) == [
        (date(2025, 4, 1), "due_in_7d", 1),  # 7/4 skipped when counting back
        (date(2025, 4, 8), "due_in_3d", 1),
        (date(2025, 4, 10), "due_in_1d", 1),
        (date(2025, 4, 11), "due_today", 1),
        (date(2025, 4, 14), "overdue", 1),  # deadline + 1 working day
        (date(2025, 4, 17), "overdue", 2),  # + 4
        (date(2025, 4, 22), "overdue", 3),  # + 7
        (date(2025, 4, 25), "overdue", 4),  # + 10
        (date(2025, 4, 25), "escalation", 1),  # + 10
        (date(2025, 4, 29), "overdue", 5),  # + 13, counting Saturday 26/4
        (date(2025, 5, 7), "overdue", 6),  # + 16, after 30/4-2/5
    ]


def test_life_of_a_task_whose_deadline_falls_in_tet():
    # Deadline Wednesday 29/1/2025, the first day of Tết (off 25/1-2/2): the
    # on-the-day reminder moves to Friday 24/1, and the others count back from it.
    assert life(date(2025, 1, 29), date(2025, 1, 1), date(2025, 2, 20)) == [
        (date(2025, 1, 15), "due_in_7d", 1),
        (date(2025, 1, 21), "due_in_3d", 1),
        (date(2025, 1, 23), "due_in_1d", 1),
        (date(2025, 1, 24), "due_today", 1),
        (date(2025, 2, 3), "overdue", 1),
        (date(2025, 2, 6), "overdue", 2),
        (date(2025, 2, 11), "overdue", 3),
        (date(2025, 2, 14), "overdue", 4),
        (date(2025, 2, 14), "escalation", 1),
        (date(2025, 2, 19), "overdue", 5),
    ]


def test_saturday_deadline_is_due_on_friday():
    assert life(date(2025, 6, 7), date(2025, 6, 2), date(2025, 6, 10)) == [
        (date(2025, 6, 3), "due_in_3d", 1),
        (date(2025, 6, 5), "due_in_1d", 1),
        (date(2025, 6, 6), "due_today", 1),
        (date(2025, 6, 9), "overdue", 1),
    ]


def test_reminders_fall_on_a_makeup_saturday():
    # Deadline Tuesday 29/4/2025: 1 working day before it is Monday 28/4, 2 is
    # Saturday 26/4, a make-up day.
    rules = ReminderRules(before_days=(2,))
    assert reminders_due(date(2025, 4, 29), date(2025, 4, 26), CAL, rules) == [
        ReminderDue("due_in_2d", 1, "assignee")
    ]
    assert reminders_due(date(2025, 4, 29), date(2025, 4, 26), WorkCalendar(), rules) == []


def test_audiences():
    deadline = date(2025, 6, 4)
    assert reminders_due(deadline, date(2025, 6, 4), CAL) == [
        ReminderDue("due_today", 1, "assignee")
    ]
    assert reminders_due(deadline, date(2025, 6, 18), CAL) == [
        ReminderDue("overdue", 4, "assignee_and_leaders"),
        ReminderDue("escalation", 1, "issuer"),
    ]


@pytest.mark.parametrize("period", [1, 2, 3, 4, 5, 10])
def test_overdue_repeats_once_per_period(period):
    # Reliability row 17: tick daily through the first 10 working days after the
    # deadline (Friday 6/6/2025 to Friday 20/6/2025, weekends included).
    rules = ReminderRules(overdue_every=period)
    deadline = date(2025, 6, 6)
    tenth = CAL.add_working_days(deadline, 10)
    assert tenth == date(2025, 6, 20)
    overdue = [
        occurrence
        for _, rule, occurrence in life(deadline, deadline + timedelta(days=1), tenth, rules=rules)
        if rule == "overdue"
    ]
    assert overdue == list(range(1, math.ceil(10 / period) + 1))


def test_overdue_every_day_over_ten_calendar_days():
    # With every day of the stretch a working day, "10 days at daily ticks" is literal.
    deadline = date(2025, 6, 6)
    weekends = [date(2025, 6, 7), date(2025, 6, 8), date(2025, 6, 14), date(2025, 6, 15)]
    cal = WorkCalendar(makeup_days=weekends)
    rules = ReminderRules(overdue_every=1)
    sent = life(deadline, date(2025, 6, 7), date(2025, 6, 16), cal, rules)
    assert [(d, o) for d, r, o in sent if r == "overdue"] == [
        (deadline + timedelta(days=i), i) for i in range(1, 11)
    ]


def test_custom_rules():
    rules = ReminderRules(before_days=[2, 5, 5], on_day=False, overdue_first=2,
                          overdue_every=5, escalate_after=3)
    assert rules.before_days == (5, 2)
    assert life(date(2025, 6, 11), date(2025, 6, 1), date(2025, 6, 30), rules=rules) == [
        (date(2025, 6, 4), "due_in_5d", 1),
        (date(2025, 6, 9), "due_in_2d", 1),
        (date(2025, 6, 13), "overdue", 1),
        (date(2025, 6, 16), "escalation", 1),
        (date(2025, 6, 20), "overdue", 2),
        (date(2025, 6, 27), "overdue", 3),
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"before_days": (7, 0)},
        {"overdue_first": 0},
        {"overdue_every": 0},
        {"escalate_after": 0},
        {"digest_weekday": 7},
        {"digest_hour": 24},
        {"digest_minute": 60},
    ],
)
def test_invalid_rules(kwargs):
    with pytest.raises(ValueError):
        ReminderRules(**kwargs)


def test_nothing_is_due_on_days_off():
    for today in [date(2025, 1, 25), date(2025, 1, 29), date(2025, 4, 7)]:
        for deadline in days(today - timedelta(days=40), today + timedelta(days=40)):
            assert reminders_due(deadline, today, CAL) == []
        assert before_deadline_targets(today, CAL) == {}
        assert due_window_dates(today, CAL).before == ()


@pytest.mark.parametrize(
    ("deadline", "today", "expected"),
    [
        (date(2025, 4, 11), date(2025, 3, 31), False),  # 8 working days left
        (date(2025, 4, 11), date(2025, 4, 1), True),  # 7 left: the day due_in_7d fires
        (date(2025, 4, 11), date(2025, 4, 7), True),  # a holiday, 4 left
        (date(2025, 4, 11), date(2025, 4, 11), True),  # the deadline itself
        (date(2025, 4, 11), date(2025, 4, 12), False),  # overdue from the day after
        (date(2025, 4, 16), date(2025, 4, 5), True),  # Saturday, 7 left (7/4 off)
        (date(2025, 4, 17), date(2025, 4, 5), False),  # Saturday, 8 left
        (date(2025, 1, 29), date(2025, 1, 28), True),  # in Tết, 0 left
        (date(2025, 2, 11), date(2025, 1, 24), True),  # 7 left across Tết
        (date(2025, 2, 12), date(2025, 1, 24), False),
    ],
)
def test_is_due_soon(deadline, today, expected):
    assert is_due_soon(deadline, today, CAL) is expected


def test_due_soon_window_follows_the_rules():
    rules = ReminderRules(before_days=(3,))
    assert is_due_soon(date(2025, 4, 11), date(2025, 4, 8), CAL, rules)
    assert not is_due_soon(date(2025, 4, 11), date(2025, 4, 4), CAL, rules)
    no_before = ReminderRules(before_days=())
    assert is_due_soon(date(2025, 4, 11), date(2025, 4, 11), CAL, no_before)
    assert not is_due_soon(date(2025, 4, 11), date(2025, 4, 10), CAL, no_before)


def test_windows_on_the_friday_before_tet():
    today = date(2025, 1, 24)
    assert before_deadline_windows(today, CAL) == [
        DeadlineWindow("due_in_7d", date(2025, 2, 11), date(2025, 2, 11)),
        DeadlineWindow("due_in_3d", date(2025, 2, 5), date(2025, 2, 5)),
        DeadlineWindow("due_in_1d", date(2025, 2, 3), date(2025, 2, 3)),
        DeadlineWindow("due_today", date(2025, 1, 24), date(2025, 2, 2)),  # all of Tết
    ]
    windows = due_window_dates(today, CAL)
    assert windows.overdue_until == date(2025, 1, 23)
    assert windows.escalation == DeadlineWindow("escalation", date(2025, 1, 10), date(2025, 1, 12))


def test_windows_after_a_weekend():
    today = date(2025, 6, 9)  # Monday
    targets = before_deadline_targets(today, CAL)
    assert targets == {
        date(2025, 6, 18): ["due_in_7d"],
        date(2025, 6, 12): ["due_in_3d"],
        date(2025, 6, 10): ["due_in_1d"],
        date(2025, 6, 9): ["due_today"],
    }
    windows = due_window_dates(today, CAL)
    assert windows.overdue_until == date(2025, 6, 8)  # Saturday 7/6 is overdue from Monday
    assert windows.escalation == DeadlineWindow("escalation", date(2025, 5, 26), date(2025, 5, 26))
    assert overdue_occurrence(date(2025, 6, 7), today, CAL) == 1
    assert overdue_occurrence(date(2025, 6, 6), today, CAL) == 1
    assert overdue_occurrence(date(2025, 6, 5), today, CAL) is None
    assert overdue_occurrence(date(2025, 6, 3), today, CAL) == 2
    assert overdue_occurrence(date(2025, 6, 10), today, CAL) is None
    assert overdue_occurrence(date(2025, 6, 6), date(2025, 6, 8), CAL) is None  # Sunday


# Properties.

dates = st.dates(min_value=date(2023, 1, 1), max_value=date(2028, 12, 31))
rules_strategy = st.builds(
    ReminderRules,
    before_days=st.lists(st.integers(1, 15), max_size=4).map(tuple),
    on_day=st.booleans(),
    overdue_first=st.integers(1, 5),
    overdue_every=st.integers(1, 6),
    escalate_after=st.integers(1, 20),
)
calendars = st.sampled_from(
    [CAL, WorkCalendar(), WorkCalendar({date(2025, 5, 5): "bridge"}, [date(2024, 5, 4)])]
)


@settings(max_examples=60, deadline=None)
@given(deadline=dates, rules=rules_strategy, cal=calendars)
def test_each_reminder_fires_on_at_most_one_working_day(deadline, rules, cal):
    seen: dict[tuple[str, int], date] = {}
    for d in days(deadline - timedelta(days=40), deadline + timedelta(days=80)):
        for r in reminders_due(deadline, d, cal, rules):
            assert cal.is_working_day(d)
            assert (r.rule, r.occurrence) not in seen
            seen[r.rule, r.occurrence] = d
    fired = {rule for rule, _ in seen}
    assert fired >= {f"due_in_{n}d" for n in rules.before_days}
    assert ("due_today" in fired) == rules.on_day
    assert {"overdue", "escalation"} <= fired
    occurrences = sorted(o for rule, o in seen if rule == "overdue")
    assert occurrences == list(range(1, len(occurrences) + 1))
    before = [seen[f"due_in_{n}d", 1] for n in rules.before_days]  # largest n first
    assert before == sorted(before)
    assert all(d <= deadline for d in before)
    assert all(d > deadline for (rule, _), d in seen.items() if rule in {"overdue", "escalation"})


@settings(max_examples=40, deadline=None)
@given(today=dates, rules=rules_strategy, cal=calendars)
def test_targets_match_reminders_due_over_two_years(today, rules, cal):
    targets = before_deadline_targets(today, cal, rules)
    windows = due_window_dates(today, cal, rules)
    for deadline in days(today - timedelta(days=365), today + timedelta(days=365)):
        due = reminders_due(deadline, today, cal, rules)
        rules_due = [r.rule for r in due]
        before = [r for r in rules_due if r not in {"overdue", "escalation"}]
        assert targets.get(deadline, []) == before
        occurrence = overdue_occurrence(deadline, today, cal, rules)
        assert [r.occurrence for r in due if r.rule == "overdue"] == (
            [] if occurrence is None else [occurrence]
        )
        if occurrence is not None:
            assert windows.overdue_until is not None and deadline <= windows.overdue_until
        in_escalation = windows.escalation is not None and (
            windows.escalation.first <= deadline <= windows.escalation.last
        )
        assert ("escalation" in rules_due) == in_escalation
    if cal.is_working_day(today):
        # The day after overdue_until is not yet overdue enough.
        assert windows.overdue_until is not None
        late = cal.working_days_between(windows.overdue_until, today)
        assert late == rules.overdue_first
        assert cal.working_days_between(windows.overdue_until + timedelta(days=1), today) < late


@settings(max_examples=60, deadline=None)
@given(deadline=dates, offset=st.integers(-30, 30), cal=calendars)
def test_due_soon_from_the_first_reminder_through_the_deadline(deadline, offset, cal):
    today = deadline + timedelta(days=offset)
    first = next(
        d
        for d in days(deadline - timedelta(days=40), deadline)
        if any(r.rule == "due_in_7d" for r in reminders_due(deadline, d, cal))
    )
    if cal.is_working_day(today):
        assert is_due_soon(deadline, today, cal) == (first <= today <= deadline)
    else:  # a day off counts like the working day before it: no working day lies between them
        assert is_due_soon(deadline, today, cal) == (
            first <= cal.previous_working_day(today) and today <= deadline
        )
