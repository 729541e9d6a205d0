"""Dashboard figures: the one query layer behind the dashboards, the exports and the API's /stats.

Every figure is the size of a task list. A figure is described by a
`TaskFilters` (tracker.services.queries), counted in the database with
GROUP BY over the status rule `status_sql`, and the same filters, written
back as query-string arguments by `queries.to_args`, open the task list (/tasks)
that produced it: the number on the dashboard and the length of the list
are computed by the same `base_select`, so they cannot disagree. No figure
loads tasks into Python; only the short lists (the first overdue and
due-soon tasks, a page of directives) load rows.

Which tasks a dashboard counts, on the day D it shows ("as of", today by
default):

- visible to the user (reach_sql.task_visible_clause) and led by a unit in the
  user's reach (their unit's subtree; admins: every unit), so a department
  leader sees their department's figures, never the tasks of other
  departments they only cooperate on (the unit dashboard shows those);
- of published directives (a draft assigns nothing yet);
- that existed on D; statuses, deadlines in force and progress are those
  of D, so a past D reproduces the report of that day;
- narrowed by the filters: issuing unit (exactly that unit, e.g. UBND tỉnh
  for what the province committee assigned), lead unit (with its
  sub-units), unit (lead or cooperating, with sub-units), field tag,
  directive, and the period.

The period (month, quarter, year or custom start-end, both days included)
selects the tasks whose deadline in force on D falls within it: "the tasks
due in the third quarter". Ongoing tasks (no deadline) belong to no period
and leave the figures when a period is chosen. The period does not move D:
pick an as-of date at the period's end to see the period as it stood then.
The monthly trend has its own time axis and ignores the period.
"""
from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from urllib.parse import quote_plus

from sqlalchemy import and_, case, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from tracker.database import db
from tracker.models import (
    OPEN_STATES,
    CooperatingPart,
    DeadlineChange,
    Directive,
    ProgressUpdate,
    Task,
    TaskTransfer,
    Unit,
    User,
    load_calendar,
)
from tracker.rules import reach
from tracker.rules.reminders import DEFAULT_RULES, ReminderRules
from tracker.rules.status import DONE_STATUSES, JUDGED_STATUSES, OPEN_STATUSES, STATUSES, due_soon_until, rates
from tracker.services.errors import Forbidden
from tracker.services import reach_sql
from tracker.services import summary as task_summary
from tracker.services.planner import current_rules
from tracker.services.queries import TaskFilters, base_select, status_column, subtree_ids
from tracker.services.queries import to_args as list_args
from tracker.services.status_sql import deadline_sql, open_state_sql, open_status_sql, part_existed_sql, part_status_sql

_FILTER_FIELDS = frozenset(f.name for f in fields(TaskFilters))


def _but(filters: TaskFilters, **changes) -> TaskFilters:
    """`filters` with `changes`, as dataclasses.replace makes it, without its per-field work: a province's
    dashboard makes some 300 (a list's filters per figure)."""
    unknown = changes.keys() - _FILTER_FIELDS
    if unknown:
        raise TypeError(f"TaskFilters has no field {', '.join(sorted(unknown))}")
    made = object.__new__(TaskFilters)
    made.__dict__.update(filters.__dict__, **changes)
    return made


# --- what the figures are about ---------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """A span of deadlines: a month, a quarter, a year or custom days (both ends included)."""

    kind: str = ""  # "", "month", "quarter", "year", "custom"
    start: date | None = None
    end: date | None = None
    year: int | None = None
    number: int | None = None  # the month (1-12) or the quarter (1-4)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = _calendar.monthrange(year, month)[1]
        return cls("month", date(year, month, 1), date(year, month, last), year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        end = cls.month(year, first + 2).end
        return cls("quarter", date(year, first, 1), end, year, quarter)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls("year", date(year, 1, 1), date(year, 12, 31), year)

    @classmethod
    def custom(cls, start: date | None, end: date | None) -> Period:
        if start is None and end is None:
            return cls()
        return cls("custom", start, end)

    def __bool__(self) -> bool:
        return bool(self.kind)


@dataclass
class DashboardFilters:
    """The dashboard's filters (all optional)."""

    as_of: date | None = None
    period: Period = field(default_factory=Period)
    issuing_unit: Unit | None = None
    lead_unit: Unit | None = None  # with its sub-units; must lie in the user's reach
    unit: Unit | None = None  # lead or cooperating, with sub-units
    tag: str = ""
    directive_id: int | None = None


_PLAIN = re.compile(r"[A-Za-z0-9_.\-~]*\Z")


def _quote(text: str) -> str:
    """Encode one query-string key or value as werkzeug does (ids, dates and statuses need nothing)."""
    return text if _PLAIN.match(text) else quote_plus(text, safe="!$'()*,/:;?@")


def encode_args(args: dict) -> str:
    """The query string of `args` (lists repeat their key), as url_for would write it."""
    return "&".join(f"{_quote(k)}={_quote(str(x))}" for k, v in args.items()
                    for x in (v if isinstance(v, (list, tuple)) else (v,)) if x is not None)


class QueryArgs(dict):
    """Query-string args that carry their encoded form (a dashboard links ~2,000 figures)."""

    query: str

    @classmethod
    def of(cls, args: dict, query: str | None = None) -> QueryArgs:
        made = cls(args)
        made.query = encode_args(args) if query is None else query
        return made


# --- counts -----------------------------------------------------------------------------------

@dataclass
class PartCounts:
    """Status counts of cooperating parts (of one unit, or all): cancelled tasks' parts left out."""

    unit: Unit | None = None
    by_status: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STATUSES if s != "cancelled"})

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def overdue(self) -> int:
        return self.by_status["overdue"]

    @property
    def late(self) -> int:
        """Late now or done late."""
        return self.by_status["overdue"] + self.by_status["done_late"]

    def add(self, status: str, n: int) -> None:
        if status in self.by_status:
            self.by_status[status] += n

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, **self.by_status}


@dataclass
class Counts:
    """Status counts of one task list, with the filters that select it (for the links)."""

    filters: TaskFilters
    by_status: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STATUSES})
    due_soon: int = 0
    due_soon_filters: TaskFilters | None = None

    def __getitem__(self, status: str) -> int:
        return self.by_status.get(status, 0)

    @property
    def total(self) -> int:
        """Every task, cancelled ones included."""
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return self["done_on_time"] + self["done_late"]

    @property
    def active(self) -> int:
        """The completion rate's denominator: all but the cancelled."""
        return self.total - self["cancelled"]

    @property
    def judged(self) -> int:
        """The on-time rate's denominator: done (on time or late) and overdue."""
        return sum(self[s] for s in JUDGED_STATUSES)

    @property
    def completion_rate(self) -> float | None:
        return rates(self.by_status)["completion_rate"]

    @property
    def on_time_rate(self) -> float | None:
        return rates(self.by_status)["on_time_rate"]

    def add(self, status: str, n: int, due_soon: int = 0) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + n
        self.due_soon += due_soon

    def list_filters(self, statuses: str | tuple[str, ...] | list[str] | None = None) -> TaskFilters:
        """The filters of the list behind one figure: all tasks, or those with `statuses`."""
        if statuses is None:
            return self.filters
        if isinstance(statuses, str):
            statuses = [statuses]
        return _but(self.filters, status=list(statuses))

    def link(self, statuses: str | tuple[str, ...] | list[str] | None = None) -> dict:
        """Query-string args of /tasks for the figure (e.g. link("overdue"), link(JUDGED_STATUSES)).

        The same as list_args(self.list_filters(statuses)); the args without the status are
        worked out once per figure (a province dashboard links each unit's row a dozen times).
        """
        if statuses is None:
            return QueryArgs.of(list_args(self.filters))
        view, rest = self._args_but_status
        statuses = [statuses] if isinstance(statuses, str) else list(statuses)
        query = "&".join(q for q in (view.query, encode_args({"status": statuses}), rest.query) if q)
        return QueryArgs.of({**view, "status": statuses, **rest}, query)

    def link_query(self, statuses: str | tuple[str, ...] | list[str] | None = None) -> str:
        """The query string of `link(statuses)`, without building its args (a unit row writes a dozen)."""
        if statuses is None:
            query = self.__dict__.get("_all_query")
            if query is None:
                query = self.__dict__["_all_query"] = encode_args(list_args(self.filters))
            return query
        view, rest = self._args_but_status
        statuses = [statuses] if isinstance(statuses, str) else statuses
        return "&".join(q for q in (view.query, encode_args({"status": statuses}), rest.query) if q)

    @cached_property
    def _args_but_status(self) -> tuple[QueryArgs, QueryArgs]:
        """The list's args without the status, split where the status goes ("view" first: list_args's order)."""
        view, *rest = list_args(_but(self.filters, status=[])).items()
        return QueryArgs.of(dict([view])), QueryArgs.of(dict(rest))

    def due_soon_link(self) -> dict:
        return list_args(self.due_soon_filters or _but(self.filters, status=["in_progress"]))

    def as_dict(self) -> dict:
        """The counts and rates in the API's shape (api.md, GET /stats)."""
        return {"total": self.total, **{s: self[s] for s in STATUSES}, "due_soon": self.due_soon}


@dataclass
class UnitRow:
    unit: Unit
    counts: Counts
    taken_over_from: list[Unit] = field(default_factory=list)  # former units whose tasks it counts
    below: bool = False  # the unit has sub-units (its row can open the level below)
    own: bool = False  # the row of the dashboard's unit itself: the tasks it leads itself


@dataclass
class TaskRow:
    """One task of a short list, as of the dashboard's day."""

    task: Task
    status: str
    deadline: date | None  # in force on the day
    progress: int
    days_late: int = 0
    working_days_left: int | None = None
    difficulties: str = ""


@dataclass
class MonthRow:
    """One month of the trend: tasks confirmed done in it (by status on the as-of day), tasks overdue at its end."""

    start: date
    end: date  # the month's last day, or the as-of day for its month
    done_on_time: int
    done_late: int
    overdue: int
    done_filters: TaskFilters
    overdue_filters: TaskFilters

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    def link(self, which: str) -> dict:
        """Args of the list behind "done", "done_on_time", "done_late" or "overdue"."""
        if which == "overdue":
            return list_args(self.overdue_filters)
        statuses = list(DONE_STATUSES) if which == "done" else [which]
        return list_args(_but(self.done_filters, status=statuses))


@dataclass
class DirectiveRow:
    directive: Directive
    counts: Counts


class DashboardStats:
    """The figures of one user's dashboard for one set of filters, computed on demand."""

    def __init__(self, session, user: User, filters: DashboardFilters, today: date, calendar=None,
                 rules: ReminderRules = DEFAULT_RULES):
        if filters.lead_unit is not None and not reach.in_reach(user, filters.lead_unit):
            raise Forbidden("This unit is outside your reach.")
        if calendar is None:
            calendar = load_calendar()
        self.session, self.user, self.filters, self.today = session, user, filters, today
        self.calendar, self.rules = calendar, rules
        self.day = filters.as_of or today
        self.historical = self.day < today
        self.due_soon_until = due_soon_until(self.day, calendar, rules)
        self.scope_unit = filters.lead_unit or (None if reach.is_admin(user) else user.unit)

    # --- the lists behind the figures ---

    def task_filters(self, **changes) -> TaskFilters:
        """The filters of every task the dashboard counts, with `changes`."""
        f = self.filters
        base = TaskFilters(
            view="all", lead_unit=self.scope_unit, unit=f.unit, issuing_unit=f.issuing_unit, tag=f.tag,
            directive_id=f.directive_id, period_start=f.period.start, period_end=f.period.end,
            as_of=self.day if self.day != self.today else None, published_only=True)
        return _but(base, **changes)

    def due_soon_filters(self, filters: TaskFilters) -> TaskFilters:
        """Narrow `filters` to the due-soon tasks: in progress, deadline within the first reminder window."""
        start = max(filter(None, (filters.period_start, self.day)))
        end = min(filter(None, (filters.period_end, self.due_soon_until)))
        return _but(filters, status=["in_progress"], period_start=start, period_end=end)

    def _select(self, filters: TaskFilters):
        return base_select(self.user, filters, self.today)

    def _deadline(self):
        return deadline_sql(self.day if self.historical else None)

    def _progress(self):
        """SQL for the progress on the day: the latest lead-side report by then (100 once done)."""
        if not self.historical:
            return Task.progress
        latest = (select(ProgressUpdate.progress)
                  .where(ProgressUpdate.task_id == Task.id, ProgressUpdate.contribution.is_(False),
                         ProgressUpdate.progress.is_not(None), ProgressUpdate.reported_on <= self.day)
                  .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()).limit(1)
                  .scalar_subquery())
        return case((and_(Task.done_on.is_not(None), Task.done_on <= self.day), 100),
                    else_=func.coalesce(latest, 0))

    def _grouped(self, filters: TaskFilters, *keys) -> list[tuple]:
        """Rows (key..., status, due_soon flag, count) of the list `filters`, grouped in SQL."""
        stmt, status = self._select(filters)
        sub = stmt.with_only_columns(*keys, status, self._deadline().label("deadline_in_force")).subquery()
        key_cols = [sub.c[k.key] for k in keys]
        soon = case((and_(sub.c.status == "in_progress", sub.c.deadline_in_force >= self.day,
                          sub.c.deadline_in_force <= self.due_soon_until), 1), else_=0)
        query = select(*key_cols, sub.c.status, func.count(), func.sum(soon)).group_by(*key_cols, sub.c.status)
        return self.session.execute(query).all()

    def counts(self, filters: TaskFilters | None = None) -> Counts:
        """Status counts (and due soon) of the list `filters` (default: every task counted)."""
        rows = self._summary_rows(by_unit=False) if filters is None and self.from_summary else None
        filters = filters or self.task_filters()
        result = Counts(filters, due_soon_filters=self.due_soon_filters(filters))
        for status, n, soon in rows if rows is not None else self._grouped(filters):
            result.add(status, n, int(soon or 0))
        return result

    @cached_property
    def from_summary(self) -> bool:
        """True if the dashboard's own figures (every task it counts, by lead unit) are read from the
        task summary (tracker.services.summary): today, narrowed by the user's scope (or a lead unit
        in reach) and whole months of deadlines at most.

        The tasks counted (published, led in the scope, itself within the user's reach) are then
        all visible to the user (reach_sql.task_visible_clause), so the summary's rows count them.
        """
        f = self.filters
        return self._summaries_answer and task_summary.period_fits(f.period.start, f.period.end)

    @cached_property
    def _summaries_answer(self) -> bool:
        """True if the summaries can count the dashboard's tasks, its period aside: today's, narrowed by the
        user's scope (or a lead unit in reach) at most, and no task closed after today."""
        return (self._today_by_scope and (self.scope_unit is None or reach.in_reach(self.user, self.scope_unit))
                and self._summary_holds)

    @cached_property
    def _today_by_scope(self) -> bool:
        """True if the dashboard is today's, narrowed by the user's scope (or a lead unit) and a period at
        most: no issuing unit, unit, tag or directive, which the summaries do not keep."""
        f = self.filters
        return (self.day == self.today and f.issuing_unit is None and f.unit is None and not f.tag.strip()
                and not f.directive_id)

    @cached_property
    def _summary_read(self) -> tuple[bool, bool, list[tuple] | None, list[tuple] | None, list[tuple] | None]:
        """Whether the task summary and the part summary hold today, and, for a dashboard without a period,
        their rows by unit too and the transfers of the tasks they count (the whole read in one statement:
        `task_summary.today_figures`)."""
        f = self.filters
        if (f.period.start is None and f.period.end is None and self._today_by_scope
                and (self.scope_unit is None or reach.in_reach(self.user, self.scope_unit))):
            self._scope_load  # noqa: B018 -- it answers whether the scope is the whole tree, which the read asks
            return task_summary.today_figures(self.session, self.today, self.due_soon_until,
                                              lead_unit=self.scope_unit, pairs=self._summary_transfers())
        return (*task_summary.checks(self.session, self.today), None, None, None)

    @property
    def _summary_checks(self) -> tuple[bool, bool]:
        """Whether the task summary and the part summary hold today (one statement for both)."""
        return self._summary_read[0], self._summary_read[1]

    @property
    def _summary_holds(self) -> bool:
        return self._summary_checks[0]

    @cached_property
    def _summary_unit_rows(self) -> list[tuple]:
        """The summary's rows (lead unit id, status, count, due soon), read once per page."""
        if self._summary_read[2] is not None:  # read with the checks
            return self._summary_read[2]
        return task_summary.grouped(self.session, self.today, self.due_soon_until, lead_unit=self.scope_unit,
                                    published_only=True, period_start=self.filters.period.start,
                                    period_end=self.filters.period.end, by_unit=True)

    def _summary_rows(self, by_unit: bool) -> list[tuple]:
        """The summary's rows by lead unit, or (status, count, due soon) added up over the units."""
        return self._summary_unit_rows if by_unit else task_summary.add_up(self._summary_unit_rows)

    # --- the figures ---

    def totals(self) -> Counts:
        """Totals by status with the completion and on-time rates."""
        return self.counts()

    def summary(self, rollup: bool = False) -> tuple[Counts, list[UnitRow]]:
        """The totals and the counts by lead unit, from one grouped query (the totals add the units up).

        With `rollup`, the rows are the units directly under the dashboard's unit, each counting its
        whole subtree (`by_child_unit`), as the pages show them; else each task under its own lead unit.
        """
        rows = self.by_child_unit() if rollup else self.by_unit()
        totals = Counts(self.task_filters(), due_soon_filters=self.due_soon_filters(self.task_filters()))
        for row in rows:
            for status, n in row.counts.by_status.items():
                totals.add(status, n)
            totals.due_soon += row.counts.due_soon
        return totals, rows

    @cached_property
    def _scope_load(self) -> tuple[dict[int, Unit], set[int]]:
        """The units of the dashboard's scope (its subtree, every unit for the admin) and the scope's
        ancestors, loaded once (the unit rows, their tree order and the level below read them);
        and the ids of the subtree's."""
        root = self.scope_unit
        # Under a unit: its subtree, in a statement that also answers whether that is the whole tree (which
        # the summaries' reads and the reach conditions ask next).
        loaded = self.session.scalars(select(Unit)) if root is None else reach_sql.load_subtree(root)
        units = {u.id: u for u in loaded}
        return units, {i for i, u in units.items() if root is None or u.path.startswith(root.path)}

    @property
    def every_unit(self) -> list[Unit] | None:
        """Every unit of the tree, if the scope's load read them all (a dashboard of the whole tree),
        else None: the page's unit pickers are then made from them, with no other read."""
        root = self.scope_unit
        if "_scope_load" not in self.__dict__ or not (
                root is None or reach_sql.subtree_is_everything(root.path)):
            return None
        return list(self._known_units.values())

    @property
    def _known_units(self) -> dict[int, Unit]:
        return self._scope_load[0]

    @property
    def _scope_unit_ids(self) -> set[int]:
        return self._scope_load[1]

    def _units(self, ids) -> dict[int, Unit]:
        """The units `ids` (from those loaded once; any other looked up)."""
        known = self._known_units
        missing = [i for i in ids if i not in known]
        if missing:
            known.update({u.id: u for u in self.session.scalars(select(Unit).where(Unit.id.in_(missing)))})
        return {i: known[i] for i in ids}

    def _holder(self):
        """SQL for the unit that led the task on the day: before a unit change, the unit it passed from."""
        if not self.historical:
            return Task.lead_unit_id
        earlier = (select(TaskTransfer.from_unit_id)
                   .where(TaskTransfer.task_id == Task.id, TaskTransfer.role == "lead",
                          TaskTransfer.effective_on > self.day)
                   .order_by(TaskTransfer.effective_on, TaskTransfer.id).limit(1).scalar_subquery())
        return func.coalesce(earlier, Task.lead_unit_id)

    def by_unit(self, links: bool = True) -> list[UnitRow]:
        """Counts per lead unit (each task under the unit that led it on the day), in tree order.

        Before a unit change the former unit holds its tasks; from the change
        on, the successor does, and its row names the units it took over from.
        Without `links`, the rows' counts keep the dashboard's filters and come in no order (the
        rows by child unit add them up and link their own lists).
        """
        base = self.task_filters()
        grouped: dict[int, Counts] = {}
        rows = (self._summary_rows(by_unit=True) if self.from_summary
                else self._grouped(base, self._holder().label("holder_id")))
        unit_filters = _but(base, lead_unit=None, lead_unit_only=True)
        for unit_id, status, n, soon in rows:
            if unit_id not in grouped:
                grouped[unit_id] = Counts(unit_filters)
            grouped[unit_id].add(status, n, int(soon or 0))
        units = self._units(list(grouped))
        taken = self._taken_over(base, list(grouped))
        if not links:
            return [UnitRow(units[unit_id], counts, taken.get(unit_id, [])) for unit_id, counts in grouped.items()]
        rows = []
        for unit_id, counts in grouped.items():
            counts.filters = _but(counts.filters, lead_unit=units[unit_id])
            counts.due_soon_filters = self.due_soon_filters(counts.filters)
            rows.append(UnitRow(units[unit_id], counts, taken.get(unit_id, [])))
        keys = self._tree_keys([r.unit for r in rows])
        return sorted(rows, key=lambda r: keys[r.unit.id])

    def _taken_over(self, filters: TaskFilters, unit_ids: list[int]) -> dict[int, list[Unit]]:
        """For each unit, the former units whose counted tasks it took over by the day."""
        if not unit_ids:
            return {}
        if self.from_summary and self._summary_read[4] is not None:  # read with the summaries' rows
            wanted = set(unit_ids)
            pairs = [(to_id, from_id) for to_id, from_id in self._summary_read[4] if to_id in wanted]
        elif self.from_summary:
            pairs = self.session.execute(
                self._summary_transfers().where(TaskTransfer.to_unit_id.in_(unit_ids))).all()
        else:
            stmt, _status = self._select(filters)
            counted = stmt.with_only_columns(Task.id).subquery()
            pairs = self.session.execute(self._transfers().where(
                TaskTransfer.to_unit_id.in_(unit_ids), TaskTransfer.task_id.in_(select(counted.c.id)))).all()
        if not pairs:
            return {}
        formers = self._units({f for _t, f in pairs})
        result: dict[int, list[Unit]] = {}
        for to_id, from_id in pairs:
            result.setdefault(to_id, []).append(formers[from_id])
        for units in result.values():
            units.sort(key=lambda u: u.sort_key)
        return result

    def _transfers(self):
        """The select of the pairs (to unit, from unit) of the lead transfers made by the day."""
        return (select(TaskTransfer.to_unit_id, TaskTransfer.from_unit_id).distinct()
                .where(TaskTransfer.role == "lead", TaskTransfer.effective_on <= self.day))

    def _summary_transfers(self):
        """`_transfers` of the tasks the summaries count: the published ones led in the scope (all visible),
        each transfer joined to its task, never the tasks scanned: found by unit (the index on to_unit_id),
        those to a unit of the scope (the callers want the units with counted tasks, all in it)."""
        scope = self.scope_unit
        transfers = (self._transfers().join(Task, Task.id == TaskTransfer.task_id)
                     .join(Directive, Directive.id == Task.directive_id)
                     .where(Directive.published_at.is_not(None),
                            TaskTransfer.to_unit_id.in_(select(Unit.id) if scope is None else subtree_ids(scope))))
        return task_summary.in_subtree(transfers, Task.lead_unit_id, scope)

    def by_child_unit(self) -> list[UnitRow]:
        """The units directly under the dashboard's unit (the top units for the admin), each counting the
        tasks led anywhere in its subtree; those with no task show zeros (and stay out of the ranking).

        The dashboard's unit leads tasks itself too: they come first, on a row of its own. A division
        is thus counted under its department, the department under the province. Sub-units with tasks
        that are no longer active still get their row, so that the rows add up to the totals.
        """
        root = self.scope_unit
        if root is None:  # the admin: the province's committee when it is the one top unit
            tops = list(self.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).limit(2)))
            root = tops[0] if len(tops) == 1 else None
        base = self.task_filters()
        leaves = self.by_unit(links=False)
        if any(leaf.taken_over_from for leaf in leaves):  # the former units named in tree order
            keys = self._tree_keys([leaf.unit for leaf in leaves])
            leaves.sort(key=lambda leaf: keys[leaf.unit.id])
        root_id = root.id if root is not None else None
        children = {u.id: u for u in self._known_units.values() if u.parent_id == root_id}
        counts: dict[int, Counts] = {}
        taken: dict[int, list[Unit]] = {}
        for leaf in leaves:
            ids = [int(p) for p in leaf.unit.path.strip("/").split("/") if p]
            if root is not None:
                at = ids.index(root.id) if root.id in ids else -1
                key = ids[at + 1] if 0 <= at < len(ids) - 1 else root.id
            else:
                key = ids[0] if ids else leaf.unit.id
            if key not in counts:
                counts[key] = Counts(_but(base, lead_unit=None))
            for former in leaf.taken_over_from:
                taken.setdefault(key, [])
                if former not in taken[key]:
                    taken[key].append(former)
            for status, n in leaf.counts.by_status.items():
                counts[key].add(status, n)
            counts[key].due_soon += leaf.counts.due_soon
        missing = [k for k in counts if k not in children and (root is None or k != root.id)]
        if missing:
            children.update(self._units(missing))
        # Whether a child has sub-units: the subtree loaded once holds all of theirs; others are looked up.
        loaded = self._scope_unit_ids
        with_children = {u.parent_id for i, u in self._known_units.items() if i in loaded} & set(children)
        elsewhere = [k for k in children if k not in loaded]
        if elsewhere:
            with_children |= set(self.session.scalars(select(Unit.parent_id).where(
                Unit.parent_id.in_(elsewhere)).distinct()))
        rows = []
        if root is not None and root.id in counts:
            own = counts[root.id]
            own.filters = _but(base, lead_unit=root, lead_unit_only=True)
            own.due_soon_filters = self.due_soon_filters(own.filters)
            rows.append(UnitRow(root, own, taken_over_from=taken.get(root.id, []), own=True))
        for unit in sorted(children.values(), key=lambda u: (u.sort_key, u.id)):
            if not unit.active and unit.id not in counts:
                continue
            c = counts.get(unit.id) or Counts(base)
            c.filters = _but(base, lead_unit=unit, lead_unit_only=False)
            c.due_soon_filters = self.due_soon_filters(c.filters)
            rows.append(UnitRow(unit, c, taken_over_from=taken.get(unit.id, []), below=unit.id in with_children))
        return rows

    def _tree_keys(self, units: list[Unit]) -> dict[int, tuple]:
        """Sort keys that put units depth-first, siblings by name."""
        ids = {int(p) for u in units for p in u.path.strip("/").split("/") if p}
        names = {i: u.sort_key for i, u in self._units(ids).items()}
        return {u.id: tuple((names.get(int(p), ""), int(p)) for p in u.path.strip("/").split("/") if p)
                for u in units}

    @staticmethod
    def ranking(rows: list[UnitRow]) -> list[UnitRow]:
        """Units with an on-time rate, best first (ties: more judged tasks first, then name)."""
        ranked = [r for r in rows if r.counts.on_time_rate is not None]
        return sorted(ranked, key=lambda r: (-r.counts.on_time_rate, -r.counts.judged, r.unit.sort_key))

    def _task_rows(self, filters: TaskFilters, limit: int | None, with_difficulties: bool = False) -> list[TaskRow]:
        return list(self._iter_rows(filters, limit, with_difficulties))

    def _short_lists(self, lists: list[TaskFilters], limit: int) -> list[list[TaskRow]]:
        """The first `limit` rows of each of `lists` (as `_task_rows` reads them), in one statement: each
        list's first ids, united, then their rows joined to their units, people and documents once."""
        columns, order = self._row_columns(lists[0], with_difficulties=False)  # one day: one status
        firsts = union_all(*(select(self._first_ids(filters, limit).c.id, literal(i).label("list"))
                             for i, filters in enumerate(lists))).subquery()
        stmt = self._with_row_loads(select(*columns, firsts.c.list).join(firsts, firsts.c.id == Task.id)
                                    .order_by(*order))
        result: list[list[TaskRow]] = [[] for _ in lists]
        for row in self.session.execute(stmt):
            result[row[-1]].append(self._task_row(row, with_difficulties=False))
        return result

    def _row_columns(self, filters: TaskFilters, with_difficulties: bool) -> tuple[list, tuple]:
        """The columns of the rows of the list `filters` (the task, its status, deadline and progress on the
        day[, its difficulties]) and their order (by deadline)."""
        status = status_column(filters, self.today)
        deadline = self._deadline().label("deadline_in_force")
        columns = [Task, status, deadline, self._progress().label("progress_on_day")]
        if with_difficulties:
            columns.append(self._difficulties().label("difficulties"))
        return columns, (deadline.is_(None), deadline, Task.id)

    def _open_only(self, filters: TaskFilters) -> bool:
        """True if the list is of today's open statuses only (read from ix_task_state_deadline)."""
        return bool(filters.status) and not self.historical and set(filters.status) <= set(OPEN_STATUSES)

    def _filtered(self, filters: TaskFilters):
        """The select of the list `filters` (its status filter applied) and the one without it."""
        stmt, status = self._select(filters)
        unfiltered = stmt
        if filters.status:
            stmt = stmt.where(status.in_(filters.status))
            if self._open_only(filters):
                # Redundant with the status, but read from ix_task_state_deadline: today, a task in progress
                # or overdue is one not yet done nor cancelled (as the lists do, queries._ordered).
                stmt = stmt.where(*open_state_sql(self.day, filters.status))
        return stmt, unfiltered

    def _first_ids(self, filters: TaskFilters, limit: int):
        """Subquery: the ids of the list's first `limit` rows, by deadline (no row joined to its unit, person
        and document before the cut)."""
        stmt, unfiltered = self._filtered(filters)
        if self._open_only(filters):
            # Today's open statuses without the status CASE (whose selectivity the planner cannot
            # guess: it would sort every overdue task for ten), and, when every row has a deadline,
            # in the order of ix_task_open_by_deadline: a walk of that index that stops at `limit`.
            first = unfiltered.where(*open_status_sql(self.day, filters.status))
            dated = list(filters.status) == ["overdue"] or filters.period_start or filters.period_end
            deadline = self._deadline()
            order = (Task.deadline, Task.id) if dated else (deadline.is_(None), deadline, Task.id)
            return first.with_only_columns(Task.id).order_by(*order).limit(limit).subquery()
        deadline = self._deadline()
        return (stmt.with_only_columns(Task.id).order_by(deadline.is_(None), deadline, Task.id)
                .limit(limit).subquery())

    @staticmethod
    def _with_row_loads(stmt):
        return stmt.options(joinedload(Task.lead_unit), joinedload(Task.assignee), joinedload(Task.directive))

    def _task_row(self, row, with_difficulties: bool) -> TaskRow:
        task, st, dl, progress = row[0], row[1], row[2], row[3]
        item = TaskRow(task, st, dl, int(progress or 0))
        if dl is not None and st == "overdue":
            item.days_late = (self.day - dl).days
        if dl is not None and st == "in_progress":
            item.working_days_left = self.calendar.working_days_between(self.day, dl)
        if with_difficulties:
            item.difficulties = row[4] or ""
        return item

    def _iter_rows(self, filters: TaskFilters, limit: int | None = None, with_difficulties: bool = False,
                   stream: bool = False) -> Iterator[TaskRow]:
        """The rows of the list `filters` with their status, deadline and progress on the day, by deadline."""
        columns, order = self._row_columns(filters, with_difficulties)
        if limit is not None and not stream:
            # A short list: the first ids first, then those rows. Those ids are the list's first rows: the
            # statement that reads them needs none of its conditions again (half the planning).
            stmt = select(*columns).where(Task.id.in_(select(self._first_ids(filters, limit).c.id)))
            limit = None
        else:
            stmt = self._filtered(filters)[0].with_only_columns(*columns)
        stmt = self._with_row_loads(stmt.order_by(*order))
        if stream:
            stmt = stmt.options(selectinload(Task.cooperating_parts).joinedload(CooperatingPart.unit)).execution_options(yield_per=500)
        if limit is not None:
            stmt = stmt.limit(limit)
        for row in self.session.execute(stmt):
            yield self._task_row(row, with_difficulties)

    def export_rows(self, statuses: list[str] | None = None) -> Iterator[TaskRow]:
        """Every task of the dashboard's list (optionally of some statuses), streamed for the exports."""
        return self._iter_rows(self.task_filters(status=list(statuses or [])), stream=True)

    def _difficulties(self):
        """SQL: the difficulties of the latest progress report (by the day) that reported any."""
        return (select(ProgressUpdate.difficulties)
                .where(ProgressUpdate.task_id == Task.id, ProgressUpdate.reported_on <= self.day,
                       ProgressUpdate.difficulties != "")
                .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()).limit(1)
                .scalar_subquery())

    def pending_proposals(self, limit: int = 50) -> list[ProgressUpdate]:
        """Proposals (kiến nghị, đề xuất) of the dashboard's open tasks still awaiting the issuer's answer,
        oldest first: what the report's section IV asks the leader to decide."""
        stmt, _status = self._select(self.task_filters())
        ids = stmt.with_only_columns(Task.id).where(Task.state.in_(OPEN_STATES))
        return list(self.session.scalars(
            select(ProgressUpdate).where(ProgressUpdate.task_id.in_(ids), ProgressUpdate.proposals != "",
                                         func.coalesce(ProgressUpdate.response, "") == "",
                                         ProgressUpdate.reported_on <= self.day)
            .options(joinedload(ProgressUpdate.task), joinedload(ProgressUpdate.unit))
            .order_by(ProgressUpdate.reported_on, ProgressUpdate.id).limit(limit)))

    def overdue(self, limit: int | None = 10, with_difficulties: bool = False) -> list[TaskRow]:
        """Overdue tasks, most overdue first."""
        return self._task_rows(self.task_filters(status=["overdue"]), limit, with_difficulties)

    def due_soon(self, limit: int | None = 10) -> list[TaskRow]:
        """Tasks due within the next working days of the first reminder window (7 by default), soonest first."""
        return self._task_rows(self.due_soon_filters(self.task_filters()), limit)

    def overdue_and_due_soon(self, limit: int = 10) -> tuple[list[TaskRow], list[TaskRow]]:
        """`overdue(limit)` and `due_soon(limit)`, read in one statement (the leader dashboard shows both)."""
        overdue, due_soon = self._short_lists(
            [self.task_filters(status=["overdue"]), self.due_soon_filters(self.task_filters())], limit)
        return overdue, due_soon

    def trend(self, months: int = 12) -> list[MonthRow]:
        """Per month, the last `months` up to the day's: completions in it and tasks overdue at its end.

        A month's completions are the tasks confirmed done (done_on) in it,
        split by their status on the as-of day (done on time or late); its
        overdue count is the tasks overdue on its last day (on the as-of day
        for the current month). The period filter does not apply; the others
        do. Two queries: completions grouped by month, overdue counts summed per month.
        """
        spans = []
        year, month = self.day.year, self.day.month
        for _ in range(months):
            spans.append((date(year, month, 1), min(Period.month(year, month).end, self.day)))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        spans.reverse()
        done_base = self.task_filters(period_start=None, period_end=None)
        rows = [MonthRow(first, last, 0, 0, 0,
                         done_filters=_but(done_base, done_from=first, done_to=last, status=list(DONE_STATUSES)),
                         overdue_filters=self.task_filters(period_start=None, period_end=None, status=["overdue"],
                                                           as_of=last if last != self.today else None))
                for first, last in spans]
        if self.trend_from_summary:
            return self._trend_from_summary(rows)
        # Completions: one grouped query over the tasks done in the months, by month and status on the day.
        stmt, status = self._select(done_base)
        which = case(*[(and_(Task.done_on >= first, Task.done_on <= last), i)
                       for i, (first, last) in enumerate(spans)], else_=-1).label("month")
        sub = (stmt.with_only_columns(which, status)
               .where(Task.done_on >= spans[0][0], Task.done_on <= self.day).subquery())
        query = (select(sub.c.month, sub.c.status, func.count())
                 .where(sub.c.status.in_(DONE_STATUSES), sub.c.month >= 0).group_by(sub.c.month, sub.c.status))
        for i, st, n in self.session.execute(query).all():
            setattr(rows[int(i)], st, n)
        # Overdue at each month's end: one pass, a sum per month. The filters do not depend on the day
        # (as_of=None); each sum applies the rule on its own day, as the linked lists (as_of=that day) do.
        # Tasks whose deadline never changed (most) are judged on their columns alone.
        stmt, _status = base_select(self.user, self.task_filters(period_start=None, period_end=None, as_of=None),
                                    self.today)
        changed = select(DeadlineChange.task_id).group_by(DeadlineChange.task_id).subquery("changed")
        sums = [func.sum(case((self._overdue_on(last, changed.c.task_id.is_not(None)), 1), else_=0))
                for _first, last in spans]
        stmt = stmt.with_only_columns(*sums).outerjoin(changed, changed.c.task_id == Task.id)
        # Only the tasks that can be overdue on one of the days are summed (most tasks are long done).
        first_day = spans[0][1]
        stmt = stmt.where(Task.assigned_on <= self.day,
                          or_(Task.done_on.is_(None), Task.done_on > first_day),
                          or_(Task.cancelled_on.is_(None), Task.cancelled_on > first_day),
                          or_(changed.c.task_id.is_not(None), Task.original_deadline < self.day,
                              Task.deadline < self.day))
        for row, n in zip(rows, self.session.execute(stmt).one()):
            row.overdue = int(n or 0)
        return rows

    @cached_property
    def trend_from_summary(self) -> bool:
        """True if the trend is read from the monthly summary (tracker.models.summary.TaskMonth): today,
        narrowed by the user's scope (or a lead unit in reach) at most (the trend ignores the period)."""
        return self._summaries_answer

    def _trend_from_summary(self, rows: list[MonthRow]) -> list[MonthRow]:
        """The trend from the monthly summary: past months at their ends; the current month's completions
        at its end (none is dated after today), its overdue count today's (from the task summary)."""
        ends = [Period.month(r.start.year, r.start.month).end for r in rows]
        figures = task_summary.months(self.session, ends, lead_unit=self.scope_unit)
        for row, end in zip(rows, ends):
            row.done_on_time = figures[end]["done_on_time"]
            row.done_late = figures[end]["done_late"]
            row.overdue = figures[end]["overdue"]
        current = rows[-1]
        if self.filters.period.start is None and self.filters.period.end is None:  # the rows the page read
            today_rows = self._summary_rows(by_unit=False)
        else:
            today_rows = task_summary.grouped(self.session, self.today, self.due_soon_until,
                                              lead_unit=self.scope_unit, by_unit=False)
        current.overdue = sum(n for status, n, _soon in today_rows if status == "overdue")
        return rows

    def _overdue_on(self, day: date, changed):
        """SQL condition: the task was overdue on `day`; `changed` says whether its deadline ever changed.

        The status rule's overdue branch (tracker.rules.status): it existed,
        was neither cancelled nor confirmed done by then, and the deadline in
        force on that day had passed, which is the original deadline unless a
        change was made (only then is the history looked up).
        """
        if day >= self.today:  # today's deadline in force is the task's deadline (as in the status rule)
            in_force = Task.deadline
        else:
            in_force = case((changed, deadline_sql(day)), else_=Task.original_deadline)
        return and_(Task.assigned_on <= day,
                    or_(Task.done_on.is_(None), Task.done_on > day),
                    or_(Task.cancelled_on.is_(None), Task.cancelled_on > day),
                    in_force < day)

    @property
    def _directives_from_summary(self) -> bool:
        """True if the number of directives listed is read from tracker.models.summary.DirectiveLed: for a user
        who sees every task, the whole tree's dashboard of today without filters (every task led counts)."""
        f = self.filters
        everything = reach.is_admin(self.user) or reach_sql.subtree_is_everything(reach.reach_path(self.user))
        return (task_summary.USE and everything and self._today_by_scope
                and (self.scope_unit is None or reach_sql.subtree_is_everything(self.scope_unit.path))
                and f.period.start is None and f.period.end is None)

    def directives(self, page: int = 1, per_page: int = 10) -> tuple[list[DirectiveRow], int]:
        """Per-directive status counts, newest directive first; returns (one page, number of directives)."""
        base = self.task_filters()
        stmt, _status = self._select(base)
        # A directive is listed if one of its tasks is counted: probed per directive through the index on
        # task.directive_id (never every task read to find their directives), the page walked newest first.
        counted = exists(stmt.with_only_columns(Task.id).where(Task.directive_id == Directive.id)
                         .correlate(Directive))
        # Each listed directive's counts by status beside its row (one round trip): a count per status,
        # probed through the index on task.directive_id, of the counted tasks (the directive filter aside).
        stmt, status = self._select(_but(base, directive_id=None))
        by_status = [stmt.with_only_columns(func.count()).where(Task.directive_id == Directive.id, status == st)
                     .correlate(Directive).scalar_subquery() for st in STATUSES]
        page_stmt = (select(Directive, *by_status).where(counted)
                     .order_by(Directive.issued_on.desc(), Directive.id.desc())
                     .limit(per_page).offset((max(page, 1) - 1) * per_page))
        if self._directives_from_summary:
            # The number read beside the page's rows; on a page past the last, alone.
            rows = self.session.execute(page_stmt.add_columns(
                task_summary.led_directives_sql().scalar_subquery())).all()
            total = int(rows[0][-1] or 0) if rows else task_summary.led_directives(self.session)
        else:
            total = self.session.scalar(select(func.count()).select_from(Directive).where(counted)) or 0
            rows = self.session.execute(page_stmt).all()
        result = []
        for row in rows:
            directive_row = DirectiveRow(row[0], Counts(_but(base, directive_id=row[0].id)))
            directive_row.counts.due_soon_filters = self.due_soon_filters(directive_row.counts.filters)
            for st, n in zip(STATUSES, row[1:1 + len(STATUSES)]):
                if n:
                    directive_row.counts.add(st, n)
            result.append(directive_row)
        return result, total

    # --- the unit dashboard ---

    def unit_filters(self, unit: Unit, **changes) -> TaskFilters:
        """Tasks of `unit` (with its sub-units), as lead (default) or, with cooperating_unit, as cooperating."""
        return self.task_filters(lead_unit=unit, **changes)

    def parts(self, within: Unit | None = None) -> tuple[PartCounts, list[PartCounts]]:
        """Cooperating parts of the tasks the dashboard counts, on D, by the part's unit.

        Returns the totals and the counts by the part's unit, in tree order.
        With `within`, the parts of that unit and its sub-units in any task
        the user sees, whatever unit leads it (the unit dashboard). The status
        of a part follows the task rules against its own deadline in force
        today (tracker.rules.status.part_status_on); parts of cancelled
        tasks are left out.
        """
        if within is None and self.parts_from_summary:
            totals, grouped = PartCounts(), {}
            rows = self._summary_read[3]  # read with the checks (no period: always, when the summaries answer)
            if rows is None:
                rows = task_summary.parts(self.session, self.today, lead_unit=self.scope_unit)
            for unit_id, status, n in rows:
                if status != "cancelled" and n:
                    grouped.setdefault(unit_id, PartCounts()).add(status, n)
                    totals.add(status, n)
            return totals, self._part_rows(grouped)
        stmt, _status = self._select(self.task_filters() if within is None else self.task_filters(lead_unit=None))
        ids = stmt.with_only_columns(Task.id)
        query = (select(CooperatingPart.unit_id, part_status_sql(self.day).label("status"))
                 .join(Task, Task.id == CooperatingPart.task_id)
                 .where(CooperatingPart.task_id.in_(ids), part_existed_sql(self.day)))
        if within is not None:
            query = query.where(CooperatingPart.unit_id.in_(
                select(Unit.id).where(Unit.path.startswith(within.path, autoescape=True))))
        sub = query.subquery()
        totals, grouped = PartCounts(), {}
        for unit_id, status, n in self.session.execute(
                select(sub.c.unit_id, sub.c.status, func.count()).group_by(sub.c.unit_id, sub.c.status)):
            grouped.setdefault(unit_id, PartCounts()).add(status, n)
            totals.add(status, n)
        return totals, self._part_rows(grouped)

    def _part_rows(self, grouped: dict[int, PartCounts]) -> list[PartCounts]:
        """The counts by cooperating unit, with their units, in tree order (those with no part left out)."""
        units = self._units(list(grouped))
        for unit_id, counts in grouped.items():
            counts.unit = units[unit_id]
        keys = self._tree_keys(list(units.values()))
        return sorted((c for c in grouped.values() if c.total), key=lambda c: keys[c.unit.id])

    @cached_property
    def parts_from_summary(self) -> bool:
        """True if the cooperating parts of the tasks the dashboard counts are read from the part summary
        (tracker.models.summary.PartSummary): as `from_summary`, without a period (a part's row keeps its
        own deadline, not its task's)."""
        return (self.from_summary and self.filters.period.start is None and self.filters.period.end is None
                and self._summary_checks[1])

    def as_cooperating(self, unit: Unit) -> Counts:
        """Tasks led by other units in which `unit` (or a sub-unit) cooperates (any lead unit)."""
        return self.counts(self.task_filters(lead_unit=None, cooperating_unit=unit))

    def by_assignee(self, unit: Unit) -> list[tuple[User | None, Counts]]:
        """Counts per assignee of the tasks `unit` leads (None: nobody assigned, the unit's leaders answer)."""
        base = self.task_filters(lead_unit=unit)
        grouped: dict[int | None, Counts] = {}
        for user_id, status, n, soon in self._grouped(base, Task.assignee_id):
            grouped.setdefault(user_id, Counts(base)).add(status, n, int(soon or 0))
        users = {u.id: u for u in self.session.scalars(
            select(User).where(User.id.in_([i for i in grouped if i is not None])))}
        rows = []
        for user_id, counts in grouped.items():
            person = users.get(user_id)
            counts.filters = (_but(base, assignee=person) if person is not None
                              else _but(base, unassigned=True))
            counts.due_soon_filters = self.due_soon_filters(counts.filters)
            rows.append((person, counts))
        rows.sort(key=lambda r: (r[0] is None, r[0].search_text if r[0] else ""))
        return rows

    def mine(self) -> Counts:
        """The user's own tasks (assigned to them), whatever unit leads them."""
        return self.counts(self.task_filters(view="mine", lead_unit=None))

    def my_open_tasks(self, limit: int | None = 20) -> list[TaskRow]:
        """The user's unfinished tasks: overdue and due soon first, then by deadline."""
        rows = self._task_rows(self.task_filters(view="mine", lead_unit=None, status=list(OPEN_STATUSES)), limit)
        soon = self.rules.due_soon_days

        def urgency(row: TaskRow):
            if row.status == "overdue":
                return (0, row.deadline)
            if row.working_days_left is not None and row.working_days_left <= soon:
                return (1, row.deadline)
            return (2, row.deadline or date.max)
        return sorted(rows, key=urgency)


# --- the API ----------------------------------------------------------------------------------

def _resolve_unit(session, value) -> Unit | None:
    if value is None or isinstance(value, Unit):
        return value
    unit = session.scalar(select(Unit).where(Unit.code == str(value)))
    if unit is None:
        raise LookupError(f"unknown unit: {value}")
    return unit


def stats_payload(user: User, as_of: date | None, unit=None, directive_id: int | None = None,
                  issuing_unit=None, *, today: date) -> dict:
    """The body of GET /api/v1/stats (api.md): the figures the leader dashboard opens with.

    `unit` (lead or cooperating, with sub-units) and `issuing_unit` are Unit
    rows or unit codes (an unknown code raises LookupError); `as_of` None
    means today. Raises Forbidden for users without dashboards (staff), as
    the pages do. `by_unit` counts each task under its own lead unit.
    """
    if not reach.can_view_dashboard(user):
        raise Forbidden("Dashboards are for leaders and monitoring officers.")
    session = db.session
    filters = DashboardFilters(as_of=as_of, unit=_resolve_unit(session, unit), directive_id=directive_id,
                               issuing_unit=_resolve_unit(session, issuing_unit))
    stats = DashboardStats(session, user, filters, today, rules=current_rules())
    totals, units = stats.summary()
    by_unit = []
    for row in units:
        by_unit.append({"unit": row.unit.code, **row.counts.as_dict(),
                        "taken_over_from": [u.code for u in row.taken_over_from],
                        "completion_rate": row.counts.completion_rate,
                        "on_time_rate": row.counts.on_time_rate})
    parts, part_rows = stats.parts()
    return {
        "cooperating": {**parts.as_dict(), "by_unit": [{"unit": row.unit.code, **row.as_dict()} for row in part_rows]},
        "as_of": stats.day.isoformat(),
        "totals": totals.as_dict(),
        "completion_rate": totals.completion_rate,
        "on_time_rate": totals.on_time_rate,
        "by_unit": by_unit,
    }
