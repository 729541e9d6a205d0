"""The task summary agrees with the full computation, on random histories, after every change.

Each history starts from the demo's units and users and goes on, day after
day, with random changes made as the app makes them (the workflow in one
transaction, a unit merge, Core inserts, updates and deletes as an import or
a script writes them). After each change, in the same transaction and
before any commit:

- the summary kept by the triggers equals the summary rebuilt from the tasks;
- the dashboards' figures read from it (totals, by lead unit, due soon, for
  the province leader, a department's leader and the admin, with and without
  a period) equal those of the full computation over the tasks;
- the API's `total` read from it equals the count of the list;
- the part summary kept by its triggers equals the one rebuilt from the parts, and the dashboard's
  cooperating parts by unit read from it equal those counted over the parts;
- the rollups (unit_total, part_total, month_total) kept by their triggers equal those added up
  from the summaries;
- each part's copy of its task's state and deadline equals the task's, and a unit's overdue list
  read from those copies holds the same tasks in the same order, page by page, as the list counted
  over the tasks.

Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
"""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from tests.factories import Factory
from tracker.database import db
from tracker.models import (OPEN_STATES, CooperatingPart, Directive, PartSummary, Task, TaskMonth, TaskSummary, Unit,
                            User, load_calendar)
from tracker.models.summary import (
    PART_TASK_DIFFERENT_SQL,
    ROLLUPS,
    DirectiveLed,
    _grouped,
    led_rebuilt_sql,
    month_rebuilt_sql,
    part_rebuilt_sql,
    rollup_rebuilt_sql,
)
from tracker.rules.status import STATUSES
from tracker.services import summary as task_summary
from tracker.services import units as unit_changes
from tracker.services import workflow
from tracker.services.errors import Conflict, Forbidden, Invalid
from tracker.services import queries
from tracker.services.queries import SORTS, TaskFilters, base_select, list_page, match_count, status_counts
from tracker.services.stats import DashboardFilters, DashboardStats, Period

START = date(2025, 9, 1)
LEADS = ("SKHCN", "STTTT-CNTT", "STTTT-BCVT", "SNV", "STC", "DPTTH", "X-PHULOC", "SVHTTDL")


def kept_rows() -> set[tuple]:
    return {(r.lead_unit_id, bool(r.published), r.kind, r.deadline_key, r.n)
            for r in db.session.scalars(select(TaskSummary)) if r.n}


def rebuilt_rows() -> set[tuple]:
    query = text(_grouped("task", db.engine.dialect.name))
    return {(u, bool(p), k, d if isinstance(d, date) else date.fromisoformat(d), n)
            for u, p, k, d, n in db.session.execute(query) if n}


def kept_months() -> set[tuple]:
    return {(r.lead_unit_id, bool(r.published), r.month_end, r.overdue_at, r.overdue_after, r.done_on_time,
             r.done_late) for r in db.session.scalars(select(TaskMonth))
            if (r.overdue_at, r.overdue_after, r.done_on_time, r.done_late) != (0, 0, 0, 0)}


def rebuilt_months() -> set[tuple]:
    rows = db.session.execute(text(month_rebuilt_sql(db.engine.dialect.name)))
    return {(u, bool(p), d if isinstance(d, date) else date.fromisoformat(d), *map(int, sums))
            for u, p, d, *sums in rows if any(sums)}


def kept_parts() -> set[tuple]:
    return {(r.unit_id, r.lead_unit_id, bool(r.published), r.kind, r.deadline_key, r.n)
            for r in db.session.scalars(select(PartSummary)) if r.n}


def rebuilt_parts() -> set[tuple]:
    rows = db.session.execute(text(part_rebuilt_sql(db.engine.dialect.name)))
    return {(u, lead, bool(p), k, d if isinstance(d, date) else date.fromisoformat(d), n)
            for u, lead, p, k, d, n in rows if n}


def kept_led() -> set[tuple]:
    return {(r.directive_id, r.n) for r in db.session.scalars(select(DirectiveLed)) if r.n}


def rebuilt_led() -> set[tuple]:
    return {(d, int(n)) for d, n in db.session.execute(text(led_rebuilt_sql())) if n}


def _rollup_rows(rows, keys: tuple[str, ...]) -> set[tuple]:
    return {(*(bool(v) if k == "published" else date.fromisoformat(v) if k in ("month_end", "deadline_key")
               and isinstance(v, str) else v
               for k, v in zip(keys, row)), *map(int, row[len(keys):]))
            for row in rows if any(row[len(keys):])}


def kept_rollups() -> dict[str, set[tuple]]:
    """The rollups (task_total, unit_total, part_total, month_total) as kept by their triggers."""
    return {table: _rollup_rows(db.session.execute(text(f"SELECT {', '.join(keys + sums)} FROM {table}")), keys)
            for table, _source, keys, sums in ROLLUPS}


def rebuilt_rollups() -> dict[str, set[tuple]]:
    return {table: _rollup_rows(db.session.execute(text(rollup_rebuilt_sql(table))), keys)
            for table, _source, keys, _sums in ROLLUPS}


def assert_every_kept_table_is_its_rebuild() -> None:
    """Each table the triggers keep equals the one computed from what it derives from."""
    assert kept_rows() == rebuilt_rows()
    assert kept_months() == rebuilt_months()
    assert kept_parts() == rebuilt_parts()
    assert kept_led() == rebuilt_led()
    assert kept_rollups() == rebuilt_rollups()
    assert db.session.execute(text(PART_TASK_DIFFERENT_SQL)).all() == []


def directives(user: User, filters: DashboardFilters, today: date, calendar) -> tuple:
    stats = DashboardStats(db.session, user, filters, today, calendar=calendar)
    rows, total = stats.directives(1, 10)
    return stats._directives_from_summary, total, [(r.directive.id, r.counts.as_dict()) for r in rows]


def parts(user: User, filters: DashboardFilters, today: date, calendar) -> tuple:
    stats = DashboardStats(db.session, user, filters, today, calendar=calendar)
    totals, rows = stats.parts()
    return stats.parts_from_summary, totals.as_dict(), [(r.unit.id, r.as_dict()) for r in rows]


def trend(user: User, filters: DashboardFilters, today: date, calendar) -> tuple:
    stats = DashboardStats(db.session, user, filters, today, calendar=calendar)
    return (stats.trend_from_summary,
            [(r.start, r.end, r.done_on_time, r.done_late, r.overdue) for r in stats.trend()])


def figures(user: User, filters: DashboardFilters, today: date, calendar) -> tuple:
    stats = DashboardStats(db.session, user, filters, today, calendar=calendar)
    totals, rows = stats.summary()
    return (stats.from_summary, totals.as_dict(),
            sorted((r.unit.id, tuple(sorted(r.counts.as_dict().items()))) for r in rows),
            stats.counts().as_dict())


def both_ways(read, *args) -> tuple:
    """`read(*args)` with the summaries, then without them (the full computation over the tasks)."""
    fast = read(*args)
    task_summary.USE = False
    try:
        return fast, read(*args)
    finally:
        task_summary.USE = True


def check(today: date, people: list[User], calendar) -> None:
    """Everything read from the summary equals the full computation (and the kept summary the rebuilt one)."""
    db.session.flush()
    assert kept_rows() == rebuilt_rows()
    assert db.session.execute(text(PART_TASK_DIFFERENT_SQL)).all() == []
    quarter = Period.quarter(today.year, (today.month - 1) // 3 + 1)
    for filters in (DashboardFilters(), DashboardFilters(period=quarter),
                    DashboardFilters(period=Period.month(today.year, today.month))):
        for person in people:
            fast, slow = both_ways(figures, person, filters, today, calendar)
            assert fast[0] and not slow[0], "the first is read from the summary, the second from the tasks"
            assert fast[1:] == slow[1:]
    assert_every_kept_table_is_its_rebuild()
    for person in people:
        fast, slow = both_ways(directives, person, DashboardFilters(), today, calendar)
        assert not slow[0] and (fast[0] or person is not people[0]), "the admin's is read from the summary"
        assert fast[1:] == slow[1:]
    for person in people:
        fast, slow = both_ways(trend, person, DashboardFilters(), today, calendar)
        assert fast[0] and not slow[0], "the first trend is read from the summary, the second from the tasks"
        assert fast[1] == slow[1]
    assert kept_parts() == rebuilt_parts()
    for person in people:
        fast, slow = both_ways(parts, person, DashboardFilters(), today, calendar)
        assert fast[0] and not slow[0], "the first parts are read from the summary, the second from the parts"
        assert fast[1:] == slow[1:]
    admin = people[0]
    for statuses in ([], ["overdue"], ["in_progress", "done_late"], ["cancelled"]):
        for lead in (None, db.session.scalar(select(Unit).where(Unit.code == "SKHCN"))):
            filters = TaskFilters(status=statuses, lead_unit=lead)
            assert task_summary.answers_list(admin, filters, today)
            counts, _complete = status_counts(db.session, admin, filters, today)
            expected = sum(counts[s] for s in (statuses or STATUSES))
            assert task_summary.count(db.session, today, statuses, lead_unit=lead) == expected
    lists(today, people)


def lists(today: date, people: list[User]) -> None:
    """The task lists' counts read from the summaries equal those counted over the tasks: the province's
    whole list, a unit's led and cooperated tasks (a department whose divisions may both cooperate on one
    task), the counts by status and a status filter's matches."""
    admin, leader, director = people
    skhcn, cntt = (db.session.scalar(select(Unit).where(Unit.code == code)) for code in ("SKHCN", "STTTT-CNTT"))
    fits = task_summary.holds(db.session, today)
    whole = [(admin, TaskFilters(published_only=True)), (leader, TaskFilters(published_only=True)),
             (leader, TaskFilters(lead_unit=skhcn, published_only=True))]
    units = [(director, TaskFilters(view="unit", published_only=True)),
             (leader, TaskFilters(view="unit", published_only=True)),
             (admin, TaskFilters(unit=skhcn, published_only=True)),
             (director, TaskFilters(unit=cntt, published_only=True))]
    for person, filters in whole + units:
        counted, _complete = status_counts(db.session, person, filters, today)
        if (person, filters) in whole:
            read = task_summary.list_counts(db.session, person, filters, today)
        else:
            assert task_summary.list_counts(db.session, person, filters, today) is None
            read = task_summary.unit_counts(db.session, person, filters, today)
        assert (read is not None) == fits
        if read is None:
            continue
        assert read == counted
        if (person, filters) in whole[:2]:
            province_overdue_list(person, filters, today)
        if (person, filters) in units:
            for statuses in (["overdue"], ["in_progress", "done_late"], ["cancelled"]):
                matches = task_summary.unit_counts(db.session, person, filters, today, statuses=statuses)
                assert matches == {s: counted[s] if s in statuses else 0 for s in STATUSES}
                assert sum(matches.values()) == match_count(
                    db.session, person, replace(filters, status=statuses), today, 10**6)
            overdue_list(person, filters, today, counted["overdue"])
    # Another filter, or a unit outside one's reach: counted over the tasks.
    assert task_summary.unit_counts(db.session, director, TaskFilters(view="unit", q="x", published_only=True),
                                    today) is None
    snv = db.session.scalar(select(Unit).where(Unit.code == "SNV"))
    assert task_summary.unit_counts(db.session, director, TaskFilters(unit=snv, published_only=True), today) is None
    assert task_summary.unit_counts(db.session, director, TaskFilters(view="unit"), today) is None  # drafts too


def overdue_list(person: User, filters: TaskFilters, today: date, total: int) -> None:
    """A unit's overdue list, read from the parts' copies of their tasks (queries.unit_overdue_page), shows
    the tasks that the status computed over every task of the unit gives, in the same order, page by page."""
    for sort in ("deadline", "-deadline"):
        wanted = replace(filters, status=["overdue"], sort=sort)
        assert queries._overdue_unit(person, wanted, today) is not None
        stmt, status = base_select(person, replace(wanted, status=[]), today)
        expected = list(db.session.scalars(stmt.where(status == "overdue").order_by(*SORTS[sort])
                                           .with_only_columns(Task.id)))
        assert len(expected) == total
        for per_page in (3, 50):
            shown = []
            for number in range(1, total // per_page + 2):
                rows, _total = list_page(db.session, person, wanted, today, number, per_page, total, 10**6, plain=True)
                shown += [row.id for row, _status in rows]
            assert shown == expected


def province_overdue_list(person: User, filters: TaskFilters, today: date) -> None:
    """The province's overdue list, its page of ids from plain column conditions (queries._ordered: a walk of
    ix_task_open_by_deadline) read with its rows, shows the open tasks that the status computed over every task
    marks overdue, in the same order, page by page."""
    for sort in ("deadline", "-deadline"):
        wanted = replace(filters, status=["overdue"], sort=sort)
        stmt, status = base_select(person, filters, today)
        expected = list(db.session.scalars(stmt.where(status == "overdue", Task.state.in_(OPEN_STATES))
                                           .order_by(*SORTS[sort]).with_only_columns(Task.id)))
        for per_page in (3, 50):
            shown = []
            for number in range(1, len(expected) // per_page + 2):
                rows, _total = list_page(db.session, person, wanted, today, number, per_page, len(expected), 10**6,
                                         plain=True)
                shown += [row.id for row, _status in rows]
            assert shown == expected


def history(seed: int, steps: int) -> None:
    rng = random.Random(seed)
    make = Factory()
    admin = make.user("admin")
    people = [admin, make.user("nga.tt"), make.user("hai.nv")]
    calendar = load_calendar()
    units = make.units()
    closed = [db.session.scalar(select(func.max(column))) for column in (Task.done_on, Task.cancelled_on)]
    day = max([START, *(d + timedelta(days=1) for d in closed if d is not None)])  # after the demo's closures
    merged = False

    def open_tasks(state: str = "open") -> list[Task]:
        return list(db.session.scalars(select(Task).join(Directive).where(
            Task.state == state, Directive.published_at.is_not(None)).order_by(Task.id)))

    def new_directive() -> None:
        issuer = rng.choice(["UBND", "UBND", "SKHCN"])
        directive = make.directive(admin, issued_on=day - timedelta(days=rng.randint(0, 20)), issuing_unit=issuer)
        for _ in range(rng.randint(1, 4)):
            lead = rng.choice([c for c in LEADS if units[c].active and c != issuer
                               and units[c].path.startswith(units[issuer].path)])
            ongoing = rng.random() < 0.15
            deadline = None if ongoing else day + timedelta(days=rng.randint(-5, 45))
            make.add_task(directive, lead=lead, on=day, actor=admin, deadline=deadline)
        if rng.random() < 0.8:
            make.publish(directive, on=day, actor=admin)

    def publish_a_draft() -> None:
        drafts = list(db.session.scalars(select(Directive).where(Directive.published_at.is_(None))))
        if drafts:
            make.publish(rng.choice(drafts), on=day, actor=admin)

    def report() -> None:
        if tasks := open_tasks():
            make.report(rng.choice(tasks), admin, on=day, progress=rng.randint(0, 90))

    def submit() -> None:
        if tasks := open_tasks():
            make.submit(rng.choice(tasks), admin, on=day - timedelta(days=rng.randint(0, 3)))

    def confirm() -> None:
        if tasks := open_tasks("submitted"):
            workflow.confirm_completion(admin, rng.choice(tasks), "", day)

    def give_back() -> None:
        if tasks := open_tasks("submitted"):
            workflow.return_completion(admin, rng.choice(tasks), "Chưa đạt.", day)

    def extend() -> None:
        if tasks := [t for t in open_tasks() if t.deadline is not None and t.pending_extension is None]:
            task = rng.choice(tasks)
            make.extend(task, admin, to=max(task.deadline, day) + timedelta(days=rng.randint(1, 30)), asked=day,
                        decider=admin, decided=day)

    def cancel() -> None:
        if tasks := open_tasks() + open_tasks("submitted"):
            make.cancel(rng.choice(tasks), admin, on=day)

    def merge() -> None:
        nonlocal merged
        if not merged:
            unit_changes.merge_units(admin, [units["STC"]], units["SNV"], on=day, decision="Quyết định sáp nhập",
                                     today=day)
            merged = True

    def core_writes() -> None:
        """An import's plain INSERTs, then a script's UPDATE and DELETE of many rows at once."""
        directive = db.session.scalar(select(Directive).where(Directive.published_at.is_not(None)).limit(1))
        if directive is None:
            return
        lead = units[rng.choice([c for c in LEADS if units[c].active])]
        rows = [{"directive_id": directive.id, "title": f"Nhập {i}", "issuing_unit_id": directive.issuing_unit_id,
                 "lead_unit_id": lead.id, "deadline": deadline, "original_deadline": deadline, "state": "open",
                 "created_on": day, "assigned_on": day, "position": 100 + i}
                for i, deadline in enumerate(
                    [None if rng.random() < 0.2 else day + timedelta(days=rng.randint(-10, 30)) for _ in range(5)])]
        db.session.execute(insert(Task), rows)
        db.session.execute(update(Task).where(Task.title.like("Nhập%"), Task.deadline < day)
                           .values(deadline=day + timedelta(days=3)))
        db.session.execute(delete(Task).where(Task.title == "Nhập 0"))

    def remove_draft_task() -> None:
        tasks = list(db.session.scalars(select(Task).join(Directive).where(Directive.published_at.is_(None))))
        if tasks:
            workflow.remove_task(admin, rng.choice(tasks))

    def part_writes() -> None:
        """Cooperating parts added, done, given their own deadline and removed, as the forms and scripts do."""
        tasks = open_tasks() + open_tasks("submitted")
        if not tasks:
            return
        task = rng.choice(tasks)
        taken = {p.unit_id for p in task.cooperating_parts} | {task.lead_unit_id}
        free = [units[c] for c in LEADS if units[c].active and units[c].id not in taken]
        if free and rng.random() < 0.6:
            db.session.execute(insert(CooperatingPart), [{
                "task_id": task.id, "unit_id": rng.choice(free).id, "added_on": day,
                "deadline": None if rng.random() < 0.5 else day + timedelta(days=rng.randint(-5, 30))}])
        part = db.session.scalar(select(CooperatingPart).where(CooperatingPart.done_on.is_(None))
                                 .order_by(CooperatingPart.task_id.desc()).limit(1))
        if part is not None:
            which = rng.random()
            where = (CooperatingPart.task_id == part.task_id, CooperatingPart.unit_id == part.unit_id)
            if which < 0.4:
                db.session.execute(update(CooperatingPart).where(*where).values(done_on=day))
            elif which < 0.7:
                db.session.execute(update(CooperatingPart).where(*where).values(
                    deadline=day + timedelta(days=rng.randint(-10, 20))))
            else:
                db.session.execute(delete(CooperatingPart).where(*where))
        db.session.expire_all()

    actions = [part_writes, part_writes, new_directive, new_directive, publish_a_draft, report, submit, submit, confirm, confirm, give_back,
               extend, cancel, merge, core_writes, remove_draft_task]
    for _ in range(steps):
        day += timedelta(days=rng.randint(0, 6))
        action = rng.choice(actions)
        savepoint = db.session.begin_nested()
        try:
            action()
            db.session.flush()
        except (Conflict, Forbidden, Invalid):
            savepoint.rollback()
            db.session.expire_all()
        else:
            savepoint.commit()
        check(day, people, calendar)
    # A day before the last closures: the summary cannot tell, and the dashboard counts the tasks.
    last = db.session.scalar(select(func.max(Task.done_on)))
    if last is not None:
        stats = DashboardStats(db.session, admin, DashboardFilters(), last - timedelta(days=1), calendar=calendar)
        assert not stats.from_summary
    db.session.commit()
    assert_every_kept_table_is_its_rebuild()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_summary_agrees_with_the_tasks_after_every_change(demo, seed):
    history(seed, steps=40)


def test_a_period_that_is_not_whole_months_and_other_filters_are_counted_from_the_tasks(demo):
    make = Factory()
    admin = make.user("admin")
    stats = DashboardStats(db.session, admin, DashboardFilters(period=Period.custom(date(2025, 1, 5), None)),
                           START, calendar=load_calendar())
    assert not stats.from_summary
    stats = DashboardStats(db.session, admin, DashboardFilters(tag="x"), START, calendar=load_calendar())
    assert not stats.from_summary
    stats = DashboardStats(db.session, admin, DashboardFilters(as_of=START - timedelta(days=1)), START,
                           calendar=load_calendar())
    assert not stats.from_summary
    assert not task_summary.answers_list(make.user("binh.lv"), TaskFilters(), START)  # a department sees drafts
    assert not task_summary.answers_list(admin, TaskFilters(q="ipv6"), START)


def test_the_bench_generator_leaves_every_kept_table_equal_to_its_rebuild(app):
    """bench/generate.py writes its rows around the ORM (on PostgreSQL with the triggers off) and rebuilds
    what the triggers keep: each kept table must then equal the one computed from what it derives from."""
    from bench.generate import generate

    with app.app_context():
        generate(300, today=date(2026, 12, 7), users_per_unit=5)
        db.session.expire_all()
        assert_every_kept_table_is_its_rebuild()
        assert kept_led(), "the generated directives lead tasks"
