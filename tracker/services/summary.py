"""Today's figures from the task summary (tracker.models.summary), when the question allows it.

The summary counts tasks by lead unit, published flag, kind (open, done on
time, done late, cancelled) and deadline key (an open task's deadline; a
closed one's deadline month). Today's status of the tasks of one row
follows from the row: a closed kind is its status; an open task is overdue
when its deadline is before today, else in progress, and due soon when its
deadline lies within the first reminder window. So the figures of the
dashboards and the API's `total` are read from a few thousand rows instead
of every task, in time independent of how much history the tasks hold.

It answers only what it can answer exactly (`holds`, `period_fits`, and the
callers' checks on the filters and the reach); every other question keeps
the full computation over the tasks (tracker.services.queries and stats).
tests/services/test_summary.py checks on random histories that both agree.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import Integer, and_, case, cast, exists, func, literal, null, or_, select, union_all

from tracker.models import (CooperatingPart, Directive, DirectiveLed, MonthTotal, PartSummary, PartTotal, Task, TaskMonth,
                            TaskSummary, TaskTotal, Unit, UnitTotal,
                            task_cooperation)
from tracker.models.summary import NO_DEADLINE
from tracker.rules import reach
from tracker.rules.status import STATUSES
from tracker.services import reach_sql
from tracker.services.queries import (
    closed_after,
    closed_after_kept,
    closed_after_sql,
    cooperated_overdue,
    draft_tasks,
    keep_closed_after,
    led_overdue,
    list_unit,
    subtree_ids,
    subtree_ids_at,
)
from tracker.services.sql import in_query
from tracker.services.status_sql import CLOSED_ON, any_after
from tracker.services.status_sql import status_sql as task_status_sql

USE = True  # the benchmark turns it off to measure the full computation beside it


def holds(session, today: date) -> bool:
    """True if no task was confirmed done or cancelled after `today` (two index look-ups, one statement).

    Only then is a closed task's status today its kind: a task closed on a later day (a date typed
    ahead) was still open today, which its row cannot tell.
    """
    return USE and not closed_after(session, today)


def checks(session, today: date) -> tuple[bool, bool]:
    """(`holds`, `parts_hold`) from one statement of index look-ups (the dashboard asks both)."""
    if not USE:
        return False, False
    tasks_later, parts_later = session.execute(select(any_after(today, CLOSED_ON),
                                                      any_after(today, PARTS_START_OR_CLOSE_ON))).one()
    return not tasks_later, not (tasks_later or parts_later)


# The days that start a task's parts or close a part: the part summary holds for a day only if none is later.
PARTS_START_OR_CLOSE_ON = (Task.assigned_on, CooperatingPart.added_on, CooperatingPart.done_on)


def _none_after(session, today: date, columns) -> bool:
    """True if no row has a date in one of `columns` after `today`: one statement of index look-ups."""
    return not session.scalar(_any_after(today, tuple(columns)))


@lru_cache(maxsize=16)
def _any_after(today: date, columns: tuple):
    """The statement of `_none_after`, built once per day. Here and below, a statement a list page runs is
    kept (an SQL expression is immutable): SQLAlchemy then keys it once, where building and keying it
    again on every page cost more than running it."""
    return select(any_after(today, columns))


def period_fits(start: date | None, end: date | None) -> bool:
    """True if the period (by deadline) can be read from the keys: whole months (closed tasks keep the month)."""
    return (start is None or start.day == 1) and (end is None or (end + timedelta(days=1)).day == 1)


def status_sql(today: date, table=TaskSummary):
    """SQL: the status today of the tasks of a row of the summary (or of `table`: the task total)."""
    return case((table.kind != "open", table.kind),
                (table.deadline_key >= today, "in_progress"),  # NO_DEADLINE (ongoing) too
                else_="overdue")


def grouped(session, today: date, due_soon_until: date, *, lead_unit: Unit | None = None,
            published_only: bool = True, period_start: date | None = None, period_end: date | None = None,
            by_unit: bool = True) -> list[tuple]:
    """Rows ([lead unit id], status, count, due soon) of the tasks led in `lead_unit`'s subtree (None: all).

    The caller has checked that the question is one the summary answers (`holds`, `period_fits`).
    Without a period the rows come from the unit totals and the open rows not yet overdue (`_by_unit`).
    """
    if period_start is None and period_end is None:
        rows = _by_unit(session, today, due_soon_until, lead_unit, published_only)
        return rows if by_unit else add_up(rows)
    status = status_sql(today).label("status")
    soon = case((and_(TaskSummary.kind == "open", TaskSummary.deadline_key >= today,
                      TaskSummary.deadline_key <= due_soon_until), TaskSummary.n), else_=0)
    keys = [TaskSummary.lead_unit_id] if by_unit else []
    stmt = select(*keys, status, func.sum(TaskSummary.n), func.sum(soon)).where(TaskSummary.n != 0)
    if published_only:
        stmt = stmt.where(TaskSummary.published.is_(True))
    stmt = in_subtree(stmt, TaskSummary.lead_unit_id, lead_unit)
    stmt = stmt.where(TaskSummary.deadline_key != NO_DEADLINE)  # ongoing tasks belong to no period
    if period_start is not None:
        stmt = stmt.where(TaskSummary.deadline_key >= period_start)
    if period_end is not None:
        stmt = stmt.where(TaskSummary.deadline_key <= period_end)
    rows = session.execute(stmt.group_by(*keys, status)).all()
    return [(*row[:-2], int(row[-2] or 0), int(row[-1] or 0)) for row in rows]


def add_up(rows: list[tuple]) -> list[tuple]:
    """Rows (unit id, status, count, due soon) added up over the units: (status, count, due soon)."""
    totals: dict[str, list[int]] = {}
    for _unit_id, status, n, soon in rows:
        pair = totals.setdefault(status, [0, 0])
        pair[0] += n
        pair[1] += soon
    return [(status, n, soon) for status, (n, soon) in totals.items()]


def _today_rows(session, totals, pending) -> list[tuple]:
    """Rows (unit id, status today, count, due soon) from `totals` (unit id, kind, count: a rollup) and
    `pending` (unit id, count[, due soon]: the open rows not yet overdue), read in one statement (one round
    trip): a unit's closed rows by kind, its open ones split into in progress (the pending) and overdue
    (the rest); rows of no count left out."""
    # Plain rows: no ORM result for a few hundred numbers.
    return _split_today(session.connection().execute(union_all(*_today_branches(totals, pending))))


def _today_branches(totals, pending, *tag) -> list:
    """The two selects `_today_rows` unites (with the columns `tag` at the end of each row)."""
    columns = list(pending.selected_columns)
    return [totals.add_columns(literal(0), *tag),
            pending.with_only_columns(columns[0], null(), *columns[1:],
                                      *([] if len(columns) > 2 else [literal(0)]), *tag)]


def _split_today(rows) -> list[tuple]:
    """`_today_rows` from the rows (unit id, kind or None for the pending, count, due soon) of its selects."""
    in_progress: dict[int, tuple[int, int]] = {}
    unit_totals = []
    for unit_id, kind, n, soon, *_tag in rows:
        if kind is None:
            in_progress[unit_id] = (int(n or 0), int(soon or 0))
        else:
            unit_totals.append((unit_id, kind, int(n or 0)))
    today_rows = []
    for unit_id, kind, n in unit_totals:
        if kind != "open":
            today_rows.append((unit_id, kind, n, 0))
            continue
        going, due_soon = in_progress.get(unit_id, (0, 0))
        today_rows += [(unit_id, "in_progress", going, due_soon), (unit_id, "overdue", n - going, 0)]
    return [row for row in today_rows if row[2]]


def today_figures(session, today: date, due_soon_until: date, *, lead_unit: Unit | None = None, pairs=None
                  ) -> tuple[bool, bool, list[tuple] | None, list[tuple] | None, list[tuple] | None]:
    """(`holds`, `parts_hold`, the rows of `grouped` without a period, the rows of `parts`, the rows of
    `pairs`) for the published tasks led in `lead_unit`'s subtree (None: all), read in one statement (one
    round trip where a dashboard made four): the checks' index look-ups beside the unit totals and the open
    rows not yet overdue, of the tasks and of their parts, and the pairs of ids the select `pairs` gives
    (the caller's: the transfers of those tasks). The rows are None where the summary does not hold (their
    figures would be wrong), and all is False, with no statement, when the summaries are switched off (`USE`)."""
    if not USE:
        return False, False, None, None, None
    TASKS, PARTS, PAIRS, CHECKS = 0, 1, 2, 3  # which select a row comes from
    checks = select(null(), null(), cast(any_after(today, CLOSED_ON), Integer),
                    cast(any_after(today, PARTS_START_OR_CLOSE_ON), Integer), literal(CHECKS))
    selects = [*_today_branches(*_by_unit_selects(today, due_soon_until, lead_unit, True), literal(TASKS)),
               *_today_branches(*_parts_selects(today, lead_unit), literal(PARTS)), checks]
    if pairs is not None:
        first, second = pairs.selected_columns
        selects.append(pairs.with_only_columns(first, null(), second, literal(0), literal(PAIRS)))
    rows: dict[int, list] = {TASKS: [], PARTS: [], PAIRS: [], CHECKS: []}
    for row in session.connection().execute(union_all(*selects)).all():
        rows[row[-1]].append(row)
    _unit, _kind, tasks_later, parts_later, _tag = rows[CHECKS][0]
    tasks_hold, parts_hold = not tasks_later, not (tasks_later or parts_later)
    return (tasks_hold, parts_hold, _split_today(rows[TASKS]) if tasks_hold else None,
            [(unit_id, status, n) for unit_id, status, n, _soon in _split_today(rows[PARTS])] if parts_hold else None,
            [(first_id, second_id) for first_id, _none, second_id, _zero, _tag in rows[PAIRS]]
            if pairs is not None and tasks_hold else None)


def in_subtree(stmt, column, unit: Unit | None):
    """`stmt` narrowed to the rows whose unit `column` lies in `unit`'s subtree (None, or the whole tree: all)."""
    if unit is None or reach_sql.subtree_is_everything(unit.path):
        return stmt
    return stmt.where(column.in_(subtree_ids(unit)))


def _by_unit(session, today: date, due_soon_until: date, lead_unit: Unit | None,
             published_only: bool) -> list[tuple]:
    """Rows (lead unit id, status, count, due soon) without a period, from two small reads.

    The unit totals give each unit's closed tasks by kind and its open ones; the open rows whose deadline
    key is today or later (a range of ix_task_summary_open: ongoing tasks too) are those in progress, the
    due soon among them; the other open tasks are overdue. The overdue rows, most of the open ones, and
    the closed tasks' months are never read.
    """
    return _today_rows(session, *_by_unit_selects(today, due_soon_until, lead_unit, published_only))


def _by_unit_selects(today: date, due_soon_until: date, lead_unit: Unit | None, published_only: bool):
    """The two selects of `_by_unit`: the unit totals by kind, the open rows not yet overdue."""
    totals = (select(UnitTotal.lead_unit_id, UnitTotal.kind, func.sum(UnitTotal.n)).where(UnitTotal.n != 0)
              .group_by(UnitTotal.kind, UnitTotal.lead_unit_id))  # the key's order
    soon = case((TaskSummary.deadline_key <= due_soon_until, TaskSummary.n), else_=0)
    pending = (select(TaskSummary.lead_unit_id, func.sum(TaskSummary.n), func.sum(soon))
               .where(TaskSummary.kind == "open", TaskSummary.deadline_key >= today, TaskSummary.n != 0)
               .group_by(TaskSummary.lead_unit_id))
    if published_only:
        totals = totals.where(UnitTotal.published.is_(True))
        pending = pending.where(TaskSummary.published.is_(True))
    return (in_subtree(totals, UnitTotal.lead_unit_id, lead_unit),
            in_subtree(pending, TaskSummary.lead_unit_id, lead_unit))


def count(session, today: date, statuses: list[str], *, lead_unit: Unit | None = None) -> int:
    """How many tasks (drafts' too) are led in `lead_unit`'s subtree with one of `statuses` today (all: [])."""
    whole = lead_unit is None or reach_sql.subtree_is_everything(lead_unit.path)
    table = TaskTotal if whole else TaskSummary  # the whole tree: the rows without the unit
    stmt = select(func.sum(table.n)).where(table.n != 0)
    if statuses:
        stmt = stmt.where(status_sql(today, table).in_(statuses))
    return int(session.scalar(in_subtree(stmt, TaskSummary.lead_unit_id, lead_unit)) or 0)


def answers_list(user, filters, today: date) -> bool:
    """True if the number of tasks a list `filters` shows `user` (its `total`) can be read from the summary.

    For users who see every task (admins, the leaders at the root of the only tree), a list narrowed
    by status and lead unit at most, today.
    """
    if not (reach.is_admin(user) or reach_sql.subtree_is_everything(reach.reach_path(user))):
        return False
    plain = (filters.view == "all" and filters.unit is None and filters.assignee is None and not filters.directive_id
             and not filters.doc.strip() and filters.due_after is None and filters.due_before is None
             and not filters.priority and not filters.q.strip() and not filters.tag.strip() and not filters.attention
             and filters.due_soon_until is None and not filters.top_level and not filters.lead_unit_only
             and filters.issuing_unit is None and filters.cooperating_unit is None and not filters.unassigned
             and filters.period_start is None and filters.period_end is None and filters.done_from is None
             and filters.done_to is None and not filters.published_only)
    return plain and (filters.as_of is None or filters.as_of == today)



def months(session, month_ends: list[date], *, lead_unit: Unit | None = None) -> dict[date, dict[str, int]]:
    """The trend's figures at each of `month_ends` (ascending, past month ends or the current month's),
    for the published tasks led in `lead_unit`'s subtree (None: all), from the monthly summary:
    {month end: {"overdue": n, "done_on_time": n, "done_late": n}}.

    Two sums: the rows of the months asked for, and what the earlier months carry on (`overdue_after`);
    for the whole tree, one read of the rollup's months up to the last (tracker.models.summary.MonthTotal).
    The caller has checked `holds` (a completion's status today is its kind).
    """
    if not month_ends:
        return {}
    first, last = month_ends[0], month_ends[-1]
    if lead_unit is None or reach_sql.subtree_is_everything(lead_unit.path):
        carried = 0
        rows = {}
        for day, at, after, on_time, late in session.connection().execute(
                select(MonthTotal.month_end, MonthTotal.overdue_at, MonthTotal.overdue_after, MonthTotal.done_on_time,
                       MonthTotal.done_late)
                .where(MonthTotal.published.is_(True), MonthTotal.month_end <= last)):
            if day < first:
                carried += after
            else:
                rows[day] = (at, after, on_time, late)
    else:
        scoped = (TaskMonth.published.is_(True), TaskMonth.lead_unit_id.in_(subtree_ids(lead_unit)))
        carried = int(session.scalar(select(func.sum(TaskMonth.overdue_after))
                                     .where(*scoped, TaskMonth.month_end < first)) or 0)
        rows = {day: (int(at or 0), int(after or 0), int(on_time or 0), int(late or 0))
                for day, at, after, on_time, late in session.execute(
                    select(TaskMonth.month_end, func.sum(TaskMonth.overdue_at), func.sum(TaskMonth.overdue_after),
                           func.sum(TaskMonth.done_on_time), func.sum(TaskMonth.done_late))
                    .where(*scoped, TaskMonth.month_end >= first, TaskMonth.month_end <= last)
                    .group_by(TaskMonth.month_end))}
    result = {}
    wanted = set(month_ends)
    for day in sorted(set(rows) | wanted):
        at, after, on_time, late = rows.get(day, (0, 0, 0, 0))
        if day in wanted:
            result[day] = {"overdue": at + carried, "done_on_time": on_time, "done_late": late}
        carried += after
    return result


def parts_hold(session, today: date, *, tasks_hold: bool | None = None) -> bool:
    """True if, besides `holds`, no task counts from a later day than `today` and no cooperating part was
    added or done after it (three index look-ups): then every part exists today and its row's kind is
    its status (tracker.rules.status.part_status_on). `tasks_hold`: what `holds` said, if already asked."""
    if not (holds(session, today) if tasks_hold is None else tasks_hold):
        return False
    return _none_after(session, today, PARTS_START_OR_CLOSE_ON)


def parts(session, today: date, *, lead_unit: Unit | None = None) -> list[tuple[int, str, int]]:
    """Rows (cooperating unit id, status today, count) of the parts of the published tasks led in
    `lead_unit`'s subtree (None: all); the caller has checked `parts_hold`.

    As `_by_unit` does for tasks: the part totals by kind, and the open parts not yet overdue (a range of
    ix_part_summary_open); the other open parts are overdue.
    """
    return [(unit_id, status, n) for unit_id, status, n, _soon in _today_rows(
        session, *_parts_selects(today, lead_unit))]


def _parts_selects(today: date, lead_unit: Unit | None):
    """The two selects of `parts`: the part totals by kind, the open parts not yet overdue."""
    totals = (select(PartTotal.unit_id, PartTotal.kind, func.sum(PartTotal.n))
              .where(PartTotal.n != 0, PartTotal.published.is_(True))
              .group_by(PartTotal.kind, PartTotal.unit_id))  # the key's order
    pending = (select(PartSummary.unit_id, func.sum(PartSummary.n))
               .where(PartSummary.kind == "open", PartSummary.published.is_(True),
                      PartSummary.deadline_key >= today, PartSummary.n != 0)
               .group_by(PartSummary.unit_id))
    return (in_subtree(totals, PartTotal.lead_unit_id, lead_unit),
            in_subtree(pending, PartSummary.lead_unit_id, lead_unit))


def list_counts(session, user, filters, today: date) -> dict[str, int] | None:
    """The counts by status (the status filter aside) of the task list `filters` shows `user`, read from
    the summary when it can answer exactly, else None.

    It can for users who see every task (admins, the leaders at the root of the only tree), the list of
    every task (view "all") of published directives, narrowed by status and a lead unit's subtree at most,
    today: then the list's tasks are the summary's published rows of that subtree.
    """
    from dataclasses import replace

    if filters.lead_unit_only or not filters.published_only:
        return None
    if not answers_list(user, replace(filters, lead_unit=None, status=[], published_only=False), today):
        return None
    counts = dict.fromkeys(STATUSES, 0)
    whole = filters.lead_unit is None or reach_sql.subtree_is_everything(filters.lead_unit.path)
    if whole and USE and closed_after_kept(session, today) is None:
        # Every unit's tasks, the first question of the request: the task total (the summary added up over
        # the units, ~10 times fewer rows) and whether it holds (`holds`) in one statement.
        rows = session.execute(_published_total_checked(today)).all()
        if rows:
            keep_closed_after(session, today, rows[0][2])
            if rows[0][2]:
                return None
            for status_name, n, _later in rows:
                counts[status_name] += int(n or 0)
            return counts
    if not holds(session, today):
        return None
    if whole:
        # Every unit's tasks: the task total (the summary added up over the units, ~10 times fewer rows).
        for status_name, n in session.execute(_published_total(today)):
            counts[status_name] += int(n or 0)
        return counts
    # The due-soon window does not matter here: only the statuses are read.
    for status_name, n, _soon in grouped(session, today, today, lead_unit=filters.lead_unit, by_unit=False):
        counts[status_name] += n
    return counts


@lru_cache(maxsize=16)
def _published_total(today: date):
    """SQL: (status today, count) of the published tasks, from the task total."""
    status = status_sql(today, TaskTotal).label("status")
    return (select(status, func.sum(TaskTotal.n)).where(TaskTotal.n != 0, TaskTotal.published.is_(True))
            .group_by(status))


@lru_cache(maxsize=16)
def _published_total_checked(today: date):
    """SQL: `_published_total`'s rows, each with `closed_after`'s answer (no row: not asked)."""
    return _published_total(today).add_columns(closed_after_sql(today).label("closed_after"))


def unit_list_exceeds(session, user, filters, today: date, limit: int) -> bool:
    """True if the list of a unit's tasks (`view=unit`, or the unit filter alone; published only or not) surely
    holds more than `limit` tasks whatever their status: the published tasks led in the unit's subtree, all
    visible to `user` (the subtree lies in their reach), are more than `limit` (a sum over the summary's rows
    of those units, instead of reading `limit` tasks). False means only "not known".
    """
    unit = list_unit(user, filters, today)
    if unit is None:
        return False
    if closed_after_kept(session, today) is not None:
        return int(session.scalar(_published_led(unit.path)) or 0) > limit
    # The request's first question: whether the summary holds (`holds`, asked next) read beside the sum.
    n, later = session.execute(_published_led_checked(unit.path, today)).one()
    keep_closed_after(session, today, later)
    return int(n or 0) > limit


@lru_cache(maxsize=64)
def _published_led(path: str):
    """SQL: how many published tasks are led in the subtree at `path`, from the summary."""
    led = select(TaskSummary.n).where(TaskSummary.published.is_(True),
                                      in_query(TaskSummary.lead_unit_id, subtree_ids_at(path)))
    return select(func.sum(led.subquery().c.n))


@lru_cache(maxsize=64)
def _published_led_checked(path: str, today: date):
    """SQL: `_published_led`'s sum and `closed_after`'s answer (one row)."""
    return _published_led(path).add_columns(closed_after_sql(today).label("closed_after"))


@lru_cache(maxsize=64)
def _cooperated_only_sql(path: str, today: date, statuses: tuple):
    """SQL: (status today, count) of the published tasks led outside the subtree at `path` with a cooperating
    part in it (a unit's list beside the tasks it leads), counted over those tasks; of `statuses` alone if
    any."""
    ids = subtree_ids_at(path)
    if statuses == ("overdue",):
        # The open tasks past their deadline (`holds`: an overdue task is one) with a part in the subtree, but
        # for those led in it: both read from indexes (the parts keep their task's state and deadline), the
        # tasks of drafts left out as a set (no task is looked up for its directive).
        only = (cooperated_overdue(ids, today).with_only_columns(task_cooperation.c.task_id)
                .except_(led_overdue(ids, today).with_only_columns(Task.id)).subquery())
        return (select(literal("overdue").label("status"), func.count()).select_from(only)
                .where(only.c.task_id.not_in(draft_tasks())))
    status = task_status_sql(today, historical=False).label("status")
    cooperated = select(task_cooperation.c.task_id).where(task_cooperation.c.unit_id.in_(ids))
    stmt = select(status, func.count()).where(
        in_query(Task.id, cooperated), Task.lead_unit_id.not_in(ids),
        exists().where(Directive.id == Task.directive_id, Directive.published_at.is_not(None)))
    if statuses:
        stmt = stmt.where(status.in_(statuses))
    return stmt.group_by(status)


def unit_counts(session, user, filters, today: date, statuses: list[str] | None = None) -> dict[str, int] | None:
    """The counts by status of a unit's task list (`view=unit`, or the unit filter alone, of published
    directives, today) that `filters` shows `user`, else None: the tasks led in the unit's subtree read
    from the summary, those it only cooperates on counted over the tasks (the two sets are disjoint).
    With `statuses`, only those are counted (the others are 0).
    """
    if not filters.published_only:
        return None
    unit = list_unit(user, filters, today)
    if unit is None or not holds(session, today):
        return None
    counts = dict.fromkeys(STATUSES, 0)
    for name, n in session.execute(_unit_counts_sql(unit.path, today, tuple(statuses or ()))):
        counts[name] += int(n or 0)
    return counts


@lru_cache(maxsize=64)
def _unit_counts_sql(path: str, today: date, statuses: tuple):
    """SQL: the led tasks' counts from the summary and the cooperated ones' over the tasks, in one round trip
    (rows of status and count; a status may come twice)."""
    return union_all(_unit_led_counts(path, today, statuses), _cooperated_only_sql(path, today, statuses))


@lru_cache(maxsize=64)
def _unit_led_counts(path: str, today: date, statuses: tuple):
    """SQL: (status today, count) of the published tasks led in the subtree at `path`, from the summary; of
    `statuses` alone if any."""
    status = status_sql(today).label("status")
    stmt = (select(status, func.sum(TaskSummary.n))
            .where(TaskSummary.n != 0, TaskSummary.published.is_(True),
                   in_query(TaskSummary.lead_unit_id, subtree_ids_at(path))))
    if statuses:  # as key ranges of the summary's primary key (lead unit, published, kind, deadline key)
        stmt = stmt.where(or_(*(and_(TaskSummary.kind == "open", TaskSummary.deadline_key < today) if name == "overdue"
                                else and_(TaskSummary.kind == "open", TaskSummary.deadline_key >= today)
                                if name == "in_progress" else TaskSummary.kind == name for name in statuses)))
    return stmt.group_by(status)


def led_directives(session) -> int:
    """How many published directives have a task with a lead unit (tracker.models.summary.DirectiveLed)."""
    return int(session.scalar(led_directives_sql()) or 0)


def led_directives_sql():
    """The select of `led_directives` (a caller may read it beside other columns: one round trip)."""
    return (select(func.count()).select_from(DirectiveLed)
            .join(Directive, Directive.id == DirectiveLed.directive_id)
            .where(DirectiveLed.n > 0, Directive.published_at.is_not(None)))
