"""The status rule of domain.md: tables of boundary cases, then SQL == Python on random histories."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tracker.rules.status import STATUSES, TaskFacts, assignment_day, deadline_on, rates, status_on
from tracker.services.status_sql import existed_sql, status_sql

D = date(2025, 3, 10)  # the original deadline of most cases (a Monday)


def day(offset: int) -> date:
    return D + timedelta(days=offset)


def facts(created=-30, deadline=0, changes=(), completed=None, done=None, cancelled=None) -> TaskFacts:
    """Facts with dates as offsets from D (None stays None)."""
    def at(offset):
        return None if offset is None else day(offset)

    return TaskFacts(assigned_on=at(created), original_deadline=at(deadline),
                     deadline_changes=tuple((day(e), at(n)) for e, n in changes),
                     completed_on=at(completed), done_on=at(done), cancelled_on=at(cancelled))


# --- the table ---------------------------------------------------------------------------

CASES = [
    # (why, facts, day offset, expected)
    ("before it was created", facts(created=-5), -6, None),
    ("on the day it was created", facts(created=-5), -5, "in_progress"),
    ("created after the deadline: still created first", facts(created=3), 2, None),
    ("created after its deadline is overdue at once", facts(created=3), 3, "overdue"),
    ("the day before the deadline", facts(), -1, "in_progress"),
    ("the deadline day itself is still in time", facts(), 0, "in_progress"),
    ("late from the day after the deadline", facts(), 1, "overdue"),
    ("long after the deadline", facts(), 400, "overdue"),
    # ongoing tasks (no deadline)
    ("ongoing, long after creation", facts(deadline=None), 900, "in_progress"),
    ("ongoing and done", facts(deadline=None, completed=50, done=60), 60, "done_on_time"),
    ("ongoing, done later: before confirmation", facts(deadline=None, completed=50, done=60), 59, "in_progress"),
    # completion
    ("done on the deadline day", facts(completed=0, done=0), 0, "done_on_time"),
    ("done the day after the deadline", facts(completed=1, done=1), 1, "done_late"),
    ("reported on time, confirmed late: done on time once confirmed",
     facts(completed=-1, done=5), 5, "done_on_time"),
    ("reported on time, confirmed late: overdue while waiting", facts(completed=-1, done=5), 3, "overdue"),
    ("reported on time, confirmed late: in progress until the deadline", facts(completed=-1, done=5), 0,
     "in_progress"),
    ("reported late, confirmed: done late", facts(completed=2, done=3), 10, "done_late"),
    ("reported on the deadline day, confirmed much later", facts(completed=0, done=30), 30, "done_on_time"),
    ("done early, seen later", facts(completed=-10, done=-9), 100, "done_on_time"),
    ("confirmed without a report date (legacy row): done_on decides", facts(completed=None, done=2), 2,
     "done_late"),
    # extensions
    ("extension approved before the deadline: the old deadline day", facts(changes=[(-3, 7)]), 0, "in_progress"),
    ("extension approved before the deadline: after the old deadline", facts(changes=[(-3, 7)]), 1, "in_progress"),
    ("extension approved before the deadline: the new deadline day", facts(changes=[(-3, 7)]), 7, "in_progress"),
    ("extension approved before the deadline: after the new deadline", facts(changes=[(-3, 7)]), 8, "overdue"),
    ("before an extension was approved, the old deadline ruled", facts(changes=[(-3, 7)]), -4, "in_progress"),
    ("extension approved after the old deadline passed: overdue in between", facts(changes=[(5, 20)]), 4,
     "overdue"),
    ("extension approved after the old deadline passed: the day after the old deadline",
     facts(changes=[(5, 20)]), 1, "overdue"),
    ("extension approved after the old deadline passed: in time from the approval", facts(changes=[(5, 20)]), 5,
     "in_progress"),
    ("extension approved after the old deadline passed: done within the new deadline",
     facts(changes=[(5, 20)], completed=15, done=16), 16, "done_on_time"),
    ("extension approved after the old deadline passed: done after the new one",
     facts(changes=[(5, 20)], completed=21, done=22), 22, "done_late"),
    ("two extensions: the second rules after its approval", facts(changes=[(-2, 10), (9, 30)]), 15,
     "in_progress"),
    ("two extensions: between them the first rules", facts(changes=[(-2, 10), (9, 30)]), 8, "in_progress"),
    ("two extensions: overdue after the first, before the second",
     facts(changes=[(-2, 5), (9, 30)]), 7, "overdue"),
    ("deadline made ongoing by an edit", facts(changes=[(2, None)]), 100, "in_progress"),
    ("ongoing task given a deadline by an edit", facts(deadline=None, changes=[(2, 4)]), 5, "overdue"),
    ("deadline moved earlier by an edit", facts(changes=[(-5, -3)]), -2, "overdue"),
    # cancelled
    ("cancelled, on the day", facts(cancelled=-2), -2, "cancelled"),
    ("cancelled, the day before", facts(cancelled=-2), -3, "in_progress"),
    ("cancelled after the deadline: overdue before", facts(cancelled=5), 4, "overdue"),
    ("cancelled after the deadline", facts(cancelled=5), 5, "cancelled"),
    ("cancelled after being done", facts(completed=-3, done=-2, cancelled=1), 1, "cancelled"),
    ("cancelled after being done: done before", facts(completed=-3, done=-2, cancelled=1), 0, "done_on_time"),
    ("cancelled but not yet created on the day", facts(created=-5, cancelled=-5), -6, None),
]


@pytest.mark.parametrize(("why", "task", "offset", "expected"), CASES, ids=[c[0] for c in CASES])
def test_status_on(why, task, offset, expected):
    assert status_on(task, day(offset)) == expected


@pytest.mark.parametrize(("changes", "offset", "expected"), [
    ((), 100, 0),
    (((-3, 7),), -4, 0),
    (((-3, 7),), -3, 7),
    (((-3, 7), (5, 20)), 4, 7),
    (((-3, 7), (5, 20)), 5, 20),
    (((2, None),), 2, None),
])
def test_deadline_in_force(changes, offset, expected):
    task = facts(changes=changes)
    assert deadline_on(task, day(offset)) == (None if expected is None else day(expected))


@pytest.mark.parametrize(("counts", "completion", "on_time"), [
    ({}, None, None),
    ({"cancelled": 4}, None, None),
    ({"in_progress": 3}, 0.0, None),
    ({"done_on_time": 2, "done_late": 1, "in_progress": 1, "overdue": 1, "cancelled": 5}, 3 / 5, 2 / 4),
    ({"done_on_time": 1}, 1.0, 1.0),
    ({"done_late": 1, "overdue": 1}, 0.5, 0.0),
    ({"overdue": 2, "cancelled": 1}, 0.0, 0.0),
    ({"done_on_time": 3, "in_progress": 1, "cancelled": 2}, 3 / 4, 1.0),
])
def test_rates(counts, completion, on_time):
    result = rates(counts)
    assert result["completion_rate"] == pytest.approx(completion) if completion is not None \
        else result["completion_rate"] is None
    assert result["on_time_rate"] == pytest.approx(on_time) if on_time is not None \
        else result["on_time_rate"] is None


def test_rates_leave_cancelled_out():
    with_cancelled = rates({"done_on_time": 1, "overdue": 1, "cancelled": 10})
    assert with_cancelled == rates({"done_on_time": 1, "overdue": 1})


# --- SQL and Python agree -------------------------------------------------------------

BASE = date(2024, 12, 20)  # around the year's end, so histories cross a year boundary


@st.composite
def histories(draw) -> TaskFacts:
    """A plausible task history: changes in time order, reports before confirmations."""
    created = BASE + timedelta(days=draw(st.integers(0, 40)))
    deadline = draw(st.none() | st.integers(-3, 40).map(lambda n: created + timedelta(days=n)))
    changes, at = [], created
    for _ in range(draw(st.integers(0, 3))):
        at = at + timedelta(days=draw(st.integers(0, 20)))
        new = draw(st.none() | st.integers(-5, 40).map(lambda n: at + timedelta(days=n)))
        changes.append((at, new))
    completed = done = cancelled = None
    end = draw(st.sampled_from(["open", "done", "cancelled", "done_then_cancelled"]))
    if end.startswith("done"):
        completed = created + timedelta(days=draw(st.integers(0, 60)))
        done = completed + timedelta(days=draw(st.integers(0, 10)))
    if end.endswith("cancelled"):
        cancelled = (done or created) + timedelta(days=draw(st.integers(0, 30)))
    return TaskFacts(assigned_on=created, original_deadline=deadline, deadline_changes=tuple(changes),
                     completed_on=completed, done_on=done, cancelled_on=cancelled)


def last_fact(task: TaskFacts) -> date:
    dates = [task.assigned_on, task.completed_on, task.done_on, task.cancelled_on,
             *(e for e, _ in task.deadline_changes)]
    return max(d for d in dates if d is not None)


@pytest.fixture
def task_home(app, db):
    """A unit and a directive to hang random tasks on (committed: each example rolls back its tasks)."""
    from tracker.models import Directive, Unit

    unit = Unit(code="P", name="Province", path="/")
    db.session.add(unit)
    db.session.flush()
    unit.path = f"/{unit.id}/"
    directive = Directive(number="1/TB", number_key="1/tb", year=2024, title="Random histories",
                          issued_on=BASE, issuing_unit=unit)
    db.session.add(directive)
    db.session.commit()
    return unit.id, directive.id


def insert(db, home, histories_):
    from tracker.models import DeadlineChange, Task

    unit_id, directive_id = home
    tasks = []
    for n, h in enumerate(histories_):
        current = deadline_on(h, date.max)
        state = "cancelled" if h.cancelled_on else "done" if h.done_on else "open"
        task = Task(directive_id=directive_id, title=f"task {n}", issuing_unit_id=unit_id, lead_unit_id=unit_id,
                    created_on=h.assigned_on, assigned_on=h.assigned_on, original_deadline=h.original_deadline,
                    deadline=current,
                    completed_on=h.completed_on, done_on=h.done_on, cancelled_on=h.cancelled_on, state=state)
        db.session.add(task)
        db.session.flush()
        for effective_on, new_deadline in h.deadline_changes:  # ids in the order they were made
            db.session.add(DeadlineChange(task_id=task.id, effective_on=effective_on, new_deadline=new_deadline))
            db.session.flush()
        tasks.append(task)
    return tasks


def boundaries(task: TaskFacts) -> set[date]:
    """The days where a status can change, and their neighbours."""
    dates = [task.assigned_on, task.original_deadline, task.completed_on, task.done_on, task.cancelled_on]
    for effective_on, new_deadline in task.deadline_changes:
        dates += [effective_on, new_deadline]
    return {d + timedelta(days=k) for d in dates if d is not None for k in (-1, 0, 1)}


def sql_statuses(db, ids, days: list[date], historical: bool) -> dict[tuple[int, date], str]:
    """Status of every task on every day, in one query (one column per day); None before creation."""
    from tracker.models import Task

    columns = [status_sql(on, historical=historical) for on in days]
    existed = [existed_sql(on) for on in days]
    result = {}
    for task_id, *values in db.session.execute(select(Task.id, *columns, *existed).where(Task.id.in_(ids))):
        statuses, flags = values[:len(days)], values[len(days):]
        for on, status, exists in zip(days, statuses, flags):
            result[(task_id, on)] = status if exists else None
    return result


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(tasks=st.lists(histories(), min_size=1, max_size=5), data=st.data(), after=st.integers(0, 10))
def test_sql_agrees_with_python(db, task_home, tasks, data, after):
    edges = sorted(set().union(*(boundaries(h) for h in tasks)))
    days = sorted(set(data.draw(st.lists(st.sampled_from(edges), min_size=1, max_size=8), label="edge days"))
                  | set(data.draw(st.lists(st.integers(-5, 140).map(lambda n: BASE + timedelta(days=n)),
                                           max_size=3), label="other days")))
    rows = insert(db, task_home, tasks)
    try:
        ids = [t.id for t in rows]
        expected = {(t.id, on): status_on(h, on) for t, h in zip(rows, tasks) for on in days}
        assert sql_statuses(db, ids, days, historical=True) == expected
        # "Today": every fact is in the past, so the current deadline column is the one in force.
        today = max(last_fact(h) for h in tasks) + timedelta(days=after)
        expected = {(t.id, today): status_on(h, today) for t, h in zip(rows, tasks)}
        assert set(expected.values()) <= set(STATUSES)
        assert sql_statuses(db, ids, [today], historical=False) == expected
        assert sql_statuses(db, ids, [today], historical=True) == expected
    finally:
        db.session.rollback()


@pytest.mark.parametrize("issued, after_publication, added, expected", [
    ("2025-01-10", False, "2025-02-19", "2025-01-10"),  # recorded 40 days late: from the issue date
    ("2025-01-10", True, "2025-02-19", "2025-02-19"),  # added after publication: from that day
    ("2025-01-10", False, "2025-01-10", "2025-01-10"),
    ("2025-03-01", False, "2025-02-19", "2025-02-19"),  # recorded before its date: never after the day recorded
])
def test_a_task_counts_from_the_day_it_was_assigned(issued, after_publication, added, expected):
    day = date.fromisoformat
    assert assignment_day(day(issued), after_publication, day(added)) == day(expected)
