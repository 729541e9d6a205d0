"""Task queries shared by the lists, the API, the exports and the dashboards.

`TaskFilters` is what a user can narrow a list by; `task_select` turns it
into one SELECT over the tasks visible to the user, with the status on the
chosen day as a column, so counting and paging happen in the database.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from sqlalchemy import Integer, Select, bindparam, case, exists, func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql import visitors

from tracker import params
from tracker.database import db
from tracker.models import (OPEN_STATES, CooperatingPart, DeadlineChange, Directive, Task, Unit, User,
                            task_cooperation)
from tracker.rules import reach
from tracker.rules.status import OPEN_STATUSES, STATUSES, deadline_extended
from tracker.services import reach_sql, read_once
from tracker.services.sql import in_query, json_list, json_rows
from tracker.services.status_sql import (
    CLOSED_ON,
    any_after,
    deadline_sql,
    existed_sql,
    open_state_sql,
    open_status_sql,
    status_sql,
)
from tracker.text import fold, like_pattern

FEW_ROWS = 500  # see few_rows

SORTS = {  # "priority" sorts by priority_order()
    "deadline": (Task.deadline.is_(None), Task.deadline, Task.id),
    "-deadline": (Task.deadline.is_(None), Task.deadline.desc(), Task.id.desc()),
    "updated": (Task.updated_at.desc(), Task.id.desc()),
    "title": (Task.search_text, Task.id),
    "directive": (Task.directive_id, Task.position, Task.id),
}


@dataclass
class TaskFilters:
    view: str = "all"  # mine, unit, all
    status: list[str] = field(default_factory=list)
    unit: Unit | None = None  # lead or cooperating, with sub-units
    lead_unit: Unit | None = None
    assignee: User | None = None
    directive_id: int | None = None
    doc: str = ""  # words of a document's number (số ký hiệu), as typed in the list's filter bar
    due_after: date | None = None
    due_before: date | None = None
    priority: str = ""
    q: str = ""
    tag: str = ""
    attention: bool = False
    due_soon_until: date | None = None  # deadline on or before this date, not closed
    as_of: date | None = None
    top_level: bool = False
    sort: str = "deadline"
    # Used by the dashboards' links (tracker.services.stats), so each figure opens its own list.
    lead_unit_only: bool = False  # the lead unit itself, not its sub-units
    issuing_unit: Unit | None = None  # the issuing unit itself
    cooperating_unit: Unit | None = None  # a cooperating unit in this unit's subtree
    unassigned: bool = False
    period_start: date | None = None  # the deadline in force on the status day lies in the period
    period_end: date | None = None
    done_from: date | None = None  # confirmed done (done_on) in this span
    done_to: date | None = None
    published_only: bool = False


# --- the query string of /tasks: one writer (dashboards' links, the list's own links) and one reader ------

VIEWS = ("all", "mine", "unit")
_UNIT_ARGS = ("unit", "lead_unit", "issuing_unit", "cooperating_unit")
_DATE_ARGS = ("due_after", "due_before", "as_of", "period_start", "period_end", "done_from", "done_to")
_TEXT_ARGS = ("priority", "q", "tag", "doc")
_FLAG_ARGS = {"lead_unit_only": "lead_unit_only", "attention": "attention", "published_only": "published"}


def to_args(filters: TaskFilters) -> dict[str, str | list[str]]:
    """Write `filters` as the query string of /tasks (`from_args` reads it back)."""
    if filters.due_soon_until is not None or filters.top_level:
        raise ValueError("due_soon_until and top_level have no query-string form")
    args: dict[str, str | list[str]] = {"view": filters.view}
    if filters.status:
        args["status"] = list(filters.status)
    for name in (*_UNIT_ARGS, "assignee"):
        obj = getattr(filters, name)
        if obj is not None:
            args[name] = str(obj.id)
    if filters.unassigned:
        args["assignee"] = "none"
    if filters.lead_unit_only:
        args["lead_unit_only"] = "1"
    if filters.directive_id:
        args["directive"] = str(filters.directive_id)
    for name in _DATE_ARGS:
        value = getattr(filters, name)
        if value is not None:
            args[name] = value.isoformat()
    for name in _TEXT_ARGS:
        value = getattr(filters, name).strip()
        if value:
            args[name] = value
    if filters.attention:
        args["attention"] = "1"
    if filters.published_only:
        args["published"] = "1"
    if filters.sort != "deadline":
        args["sort"] = filters.sort
    return args


def filters_key(filters: TaskFilters) -> tuple:
    """`filters` as a key of tracker.page_cache: their query string (`to_args`), sorted and hashable."""
    return tuple(sorted((name, tuple(v) if isinstance(v, list) else v) for name, v in to_args(filters).items()))


def number_pattern(text: str) -> str:
    """A LIKE pattern finding `text` in documents' folded numbers (Directive.number_key: no spaces)."""
    return like_pattern(text).replace(" ", "")


def directive_numbered(user: User, text: str) -> Directive | None:
    """The one document `user` may see whose number is `text` (spaces and accents aside), else None."""
    key = fold(text).replace(" ", "")[:80]
    if not key:
        return None
    found = [d for d in db.session.scalars(select(Directive).where(Directive.number_key == key).limit(20))
             if reach.can_view_directive(user, d)]
    return found[0] if len(found) == 1 else None


def visible_directive(user: User, directive_id: int | None) -> Directive | None:
    """The directive of `directive_id` if `user` may see it (a filter must not name another)."""
    directive = db.session.get(Directive, directive_id) if directive_id else None
    return directive if directive is not None and reach.can_view_directive(user, directive) else None


def from_args(args, default_view: str = "all", ignored: list[str] | None = None) -> TaskFilters:
    """Read the list's filters from `args` (a query string's MultiDict); what cannot be read is left out.

    Ids and dates go through tracker.params (bounded, never an exception); a
    date that could not be read is appended to `ignored`, for the page to say
    so. A filter naming a document or person outside the viewer's reach
    matches only what the viewer may see anyway (the list's reach clause);
    pages name such objects only through `visible_directive` and the like.
    """
    def day(name: str) -> date | None:
        value = args.get(name, "")
        parsed = params.a_date(value)
        if value and parsed is None and ignored is not None:
            ignored.append(value)
        return parsed

    def unit(name: str) -> Unit | None:
        unit_id = params.an_id(args.get(name))
        return db.session.get(Unit, unit_id) if unit_id else None

    assignee_id = params.an_id(args.get("assignee"))
    view = args.get("view", default_view)
    return TaskFilters(
        view=view if view in VIEWS else default_view,
        status=[s for s in args.getlist("status") if s in STATUSES],
        unit=unit("unit"), lead_unit=unit("lead_unit"), issuing_unit=unit("issuing_unit"),
        cooperating_unit=unit("cooperating_unit"),
        assignee=db.session.get(User, assignee_id) if assignee_id else None,
        unassigned=args.get("assignee") == "none",
        directive_id=params.an_id(args.get("directive")),
        **{name: day(name) for name in _DATE_ARGS},
        **{name: args.get(name, "")[:200] for name in _TEXT_ARGS},
        **{name: args.get(arg) == "1" for name, arg in _FLAG_ARGS.items()},
        sort=args.get("sort") if args.get("sort") in (*SORTS, "priority") else "deadline",
    )


def _in_subtree(column, unit: Unit):
    if reach_sql.subtree_is_everything(unit.path):
        return column.is_not(None)  # the root of the only tree: every unit
    return in_query(column, subtree_ids(unit))


def priority_order():
    """Urgent first, then high, then normal."""
    return case((Task.priority == "urgent", 0), (Task.priority == "high", 1), else_=2)


def _historical(filters: TaskFilters, today: date) -> bool:
    """True if the list is of a past day (statuses from the deadline history)."""
    return filters.as_of is not None and filters.as_of < today


def status_column(filters: TaskFilters, today: date):
    """The status of each task on the list's day (today, or `as_of`), labelled "status"."""
    return _labelled_status(filters.as_of or today, _historical(filters, today))


@lru_cache(maxsize=16)
def _labelled_status(day: date, historical: bool):
    return status_sql(day, historical=historical).label("status")


def base_select(user: User, filters: TaskFilters, today: date, narrow: bool = False):
    """Return (select of Task and its status, status column) without ordering or paging.

    `narrow`: the caller filters by `filters.status` too, so a unit's overdue list may read only
    its overdue candidates (see _unit_clause); without it the status filter is left to the caller.
    """
    day = filters.as_of or today
    historical = _historical(filters, today)
    status = status_column(filters, today)
    stmt = select(Task, status)
    if not (filters.published_only and _unit_in_reach(user, filters)):
        # A published task led or cooperated on in a unit of one's reach is visible: the clause would be
        # true of every row of such a list (and costs a pass over every part of the reach at a million).
        stmt = stmt.where(reach_sql.task_visible_clause(user))
    if historical:
        stmt = stmt.where(existed_sql(day))
    overdue_on = day if narrow and _overdue_today(filters, today) else None
    if filters.view == "mine":
        stmt = stmt.where(Task.assignee_id == user.id)
    elif filters.view == "unit":
        stmt = stmt.where(_unit_clause(user.unit, overdue_on))
    if filters.unit is not None:
        stmt = stmt.where(_unit_clause(filters.unit, overdue_on))
    if filters.lead_unit is not None:
        stmt = stmt.where(Task.lead_unit_id == filters.lead_unit.id if filters.lead_unit_only
                          else _in_subtree(Task.lead_unit_id, filters.lead_unit))
    if filters.assignee is not None:
        stmt = stmt.where(Task.assignee_id == filters.assignee.id)
    if filters.directive_id:
        stmt = stmt.where(Task.directive_id == filters.directive_id)
    if filters.due_after:
        stmt = stmt.where(Task.deadline >= filters.due_after)
    if filters.due_before:
        stmt = stmt.where(Task.deadline <= filters.due_before)
    if filters.priority:
        stmt = stmt.where(Task.priority == filters.priority)
    if filters.doc.strip():
        stmt = stmt.where(Task.directive_id.in_(select(Directive.id).where(
            Directive.number_key.like(number_pattern(filters.doc), escape="\\"))))
    if filters.q.strip():
        stmt = stmt.where(Task.search_text.like(like_pattern(filters.q), escape="\\"))
    if filters.tag.strip():
        stmt = stmt.where(Task.tag_text.like(like_pattern("|" + fold(filters.tag) + "|"), escape="\\"))
    if filters.attention:
        stmt = stmt.where(Task.needs_attention.is_(True), Task.state.in_(OPEN_STATES))
    if filters.due_soon_until is not None:
        stmt = stmt.where(Task.state.in_(OPEN_STATES), Task.deadline >= day,
                          Task.deadline <= filters.due_soon_until)
    if filters.top_level:
        stmt = stmt.where(Task.parent_id.is_(None))
    if filters.issuing_unit is not None:
        stmt = stmt.where(Task.issuing_unit_id == filters.issuing_unit.id)
    if filters.cooperating_unit is not None:
        stmt = stmt.where(exists(select(task_cooperation.c.task_id).where(
            task_cooperation.c.task_id == Task.id,
            task_cooperation.c.unit_id.in_(subtree_ids(filters.cooperating_unit)))))
    if filters.unassigned:
        stmt = stmt.where(Task.assignee_id.is_(None))
    if filters.period_start or filters.period_end:
        deadline = deadline_sql(day if historical else None)
        if filters.period_start:
            stmt = stmt.where(deadline >= filters.period_start)
        if filters.period_end:
            stmt = stmt.where(deadline <= filters.period_end)
    if filters.done_from:
        stmt = stmt.where(Task.done_on >= filters.done_from)
    if filters.done_to:
        stmt = stmt.where(Task.done_on <= filters.done_to)
    if filters.published_only:
        stmt = stmt.where(exists().where(Directive.id == Task.directive_id, Directive.published_at.is_not(None)))
    return stmt, status


def _unit_in_reach(user: User, filters: TaskFilters) -> bool:
    """True if the list is narrowed to a unit's tasks (led or cooperated on) inside `user`'s reach."""
    return filters.view == "unit" or (filters.unit is not None and reach.in_reach(user, filters.unit))


def subtree_ids(unit: Unit):
    """SQL subquery: ids of `unit` and the units under it."""
    return subtree_ids_at(unit.path)


@lru_cache(maxsize=256)
def subtree_ids_at(path: str):
    """SQL subquery: ids of the unit at `path` and the units under it, built once (an SQL expression is
    immutable, and SQLAlchemy keys a kept one once)."""
    return select(Unit.id).where(Unit.path.startswith(path, autoescape=True))


def _overdue_today(filters: TaskFilters, today: date) -> bool:
    """True if the list is of today's (or a later day's) overdue tasks of a unit alone, and each of them is
    an open task with a deadline before that day: no task was confirmed done or cancelled on a later day
    than today (such a task is closed but was still overdue today; closed_after)."""
    if filters.status != ["overdue"] or _historical(filters, today):
        return False
    if not (filters.view == "unit" or filters.unit is not None):
        return False
    return not closed_after(db.session, today)


def closed_after(session, today: date) -> bool:
    """True if some task was confirmed done or cancelled after `today` (a date typed ahead): two index
    look-ups in one statement, asked once per request (read_once: a list's counts ask it, then its page)."""
    value = closed_after_kept(session, today)
    if value is None:
        value = bool(session.scalar(_closed_after_sql(today)))
        keep_closed_after(session, today, value)
    return value


def closed_after_kept(session, today: date) -> bool | None:
    """What `closed_after` answered in this request, or the worker keeps for the data it sees (None: not
    asked yet)."""
    key = ("closed_after", today)
    kept = read_once.kept(session)
    if key not in kept:
        value = read_once.from_worker(session, key)  # kept by the worker until the data changes
        if value is None:
            return None
        kept[key] = value
    return kept[key]


def keep_closed_after(session, today: date, value) -> None:
    """Keep `closed_after`'s answer, read by another statement as a column `closed_after_sql(today)`."""
    read_once.kept(session)[("closed_after", today)] = bool(value)
    read_once.keep_in_worker(session, ("closed_after", today), bool(value))


def closed_after_sql(today: date):
    """SQL: `closed_after`'s question, for a statement that asks it beside its own columns."""
    return any_after(today, CLOSED_ON)


@lru_cache(maxsize=16)
def _closed_after_sql(today: date):
    return select(closed_after_sql(today))


def _unit_clause(unit: Unit, overdue_on: date | None = None):
    """SQL condition: the task is led or cooperated on in `unit`'s subtree.

    With `overdue_on` (see _overdue_today), only the open tasks with a deadline before that day:
    the union of unit_overdue_candidates, so that a department of 35,000 tasks at a million reads
    its 4,400 overdue candidates from two indexes, not all of its tasks.
    """
    ids = subtree_ids(unit)
    if overdue_on is not None:
        candidates = unit_overdue_candidates(unit, overdue_on).subquery()
        return in_query(Task.id, select(candidates.c.id))
    # Two IN terms (not IN-or-EXISTS) so that SQLite answers each from an index and unites them.
    coop = in_query(Task.id, select(task_cooperation.c.task_id).where(task_cooperation.c.unit_id.in_(ids)))
    return or_(in_query(Task.lead_unit_id, ids), coop)


def unit_overdue_candidates(unit: Unit, day: date):
    """SQL: (id, deadline) of the open tasks with a deadline before `day` led or cooperated on in `unit`'s
    subtree, each once: the led ones from ix_task_state_lead_deadline, the cooperated ones from the parts'
    copy of their task's state and deadline (ix_task_cooperation_open_deadline), both read from the index.
    """
    return _overdue_candidates(unit.path, day)


@lru_cache(maxsize=64)
def _overdue_candidates(path: str, day: date):
    """`unit_overdue_candidates` of the unit at `path`, built once per day."""
    ids = subtree_ids_at(path)
    return led_overdue(ids, day).union(cooperated_overdue(ids, day))


def led_overdue(ids, day: date):
    """SQL: (id, deadline) of the open tasks with a deadline before `day` led by the units `ids` (a
    subquery), read from ix_task_state_lead_deadline alone."""
    return select(Task.id.label("id"), Task.deadline.label("deadline")).where(
        *open_state_sql(day, ["overdue"]), Task.lead_unit_id.in_(ids))


def cooperated_overdue(ids, day: date):
    """SQL: (task id, deadline) of the open tasks with a deadline before `day` with a cooperating part in
    the units `ids`, from the parts' copy of their task's state and deadline (ix_task_cooperation_open_deadline)."""
    return select(task_cooperation.c.task_id, task_cooperation.c.task_deadline).where(
        task_cooperation.c.unit_id.in_(ids), task_cooperation.c.task_open == true(),
        task_cooperation.c.task_deadline < day)


ROW_OPTIONS = (joinedload(Task.lead_unit), joinedload(Task.assignee), joinedload(Task.directive),
               selectinload(Task.cooperating_parts).joinedload(CooperatingPart.unit))  # what a row of a list shows


def task_select(user: User, filters: TaskFilters, today: date, expected: int | None = None) -> Select:
    """The filtered, sorted list of (Task, status) rows, with what a row shows loaded eagerly."""
    return _ordered(user, filters, today, expected).options(*ROW_OPTIONS)


def _ordered(user: User, filters: TaskFilters, today: date, expected: int | None = None,
             gather: bool | None = None) -> Select:
    """The filtered, sorted (Task, status) rows, nothing loaded beyond the task.

    `expected` is how many rows match, when the caller already counted them: for a few
    (a unit's overdue tasks) the rows are ordered by an expression no index covers, so the
    database gathers them through the filters' own indexes and sorts them, instead of walking
    the deadline index over every task to find the few that match (1 ms instead of 4 ms at
    20,000 tasks, and the walk grows with the table). For many, walking that index is the
    fast way: it stops after a page of rows.
    """
    stmt, status = base_select(user, filters, today, narrow=True)
    dated = False
    if filters.status:
        wanted = [s for s in filters.status if s in STATUSES]
        day = filters.as_of or today
        if wanted and set(wanted) <= set(OPEN_STATUSES) and day >= today and not _narrowed_by_index(
                user, replace(filters, status=[]), today):
            # Nothing else narrows the rows (a unit's tasks are reached through their own indexes): on today
            # or a later day, the open tasks of those statuses, as plain comparisons of the columns that
            # ix_task_state_deadline and ix_task_open_by_deadline answer and the planner can estimate (the
            # CASE it cannot: it guessed 18 overdue tasks of 2,774 and sorted them all for a page).
            stmt = stmt.where(*open_status_sql(day, wanted))
            dated = wanted == ["overdue"]  # every row has a deadline
        else:
            stmt = stmt.where(status.in_(wanted))
    if filters.sort == "priority":
        order = (priority_order(), Task.deadline.is_(None), Task.deadline, Task.id)
    elif dated and filters.sort in ("deadline", "-deadline"):
        # The order of SORTS (no row is ongoing) as ix_task_open_by_deadline keeps it: a walk that stops after
        # the page, with no count of the tasks first (few_rows).
        order = ((Task.deadline, Task.id) if filters.sort == "deadline"
                 else (Task.deadline.desc(), Task.id.desc()))
    elif filters.sort in ("deadline", "-deadline") and (
            gather if gather is not None else gathers(user, filters, today, expected)):
        order = ((func.coalesce(Task.deadline, date.max), Task.id) if filters.sort == "deadline"
                 else (func.coalesce(Task.deadline, date.min).desc(), Task.id.desc()))  # same order as SORTS
    else:
        order = SORTS.get(filters.sort, SORTS["deadline"])
    return stmt.order_by(*order)


@dataclass(frozen=True, slots=True)
class RowUnit:
    name: str
    short_name: str | None

    @property
    def display_name(self) -> str:  # as Unit.display_name
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class RowDirective:
    number: str
    published: bool


@dataclass(frozen=True, slots=True)
class RowPerson:
    full_name: str


@dataclass(frozen=True, slots=True)
class TaskRow:
    """What a row of the HTML list shows of a task, read as plain columns (no ORM object: 4 times cheaper)."""
    id: int
    title: str
    directive_id: int
    deadline: date | None
    original_deadline: date | None
    state: str
    needs_attention: bool
    priority: str
    progress: int
    directive: RowDirective
    lead_unit: RowUnit
    assignee: RowPerson | None
    cooperating_units: list[RowUnit]

    @property
    def extended(self) -> bool:  # as Task.extended
        return deadline_extended(self.original_deadline, self.deadline)


@lru_cache(maxsize=16)
def _row_statements(day: date, historical: bool) -> tuple[Select, Select]:
    """The queries of `_task_rows` for the list's day, built once (SQLAlchemy then knows them by their
    cached key, not rebuilt and keyed again on every page): the rows with no condition yet, then the rows of
    the ids of an expanding parameter, `page_ids`. Each row brings its cooperating units' names, aggregated
    (one round trip, not a second statement for the parts)."""
    lead = Unit.__table__.alias("lead")
    page_ids = bindparam("page_ids", expanding=True)
    parts = (select(json_rows(Unit.name, Unit.short_name, Unit.sort_key, Unit.id))
             .select_from(task_cooperation).join(Unit, Unit.id == task_cooperation.c.unit_id)
             .where(task_cooperation.c.task_id == Task.id).correlate(Task).scalar_subquery())
    columns = (select(Task.id, Task.title, Task.directive_id, Task.deadline, Task.original_deadline, Task.state,
                      Task.needs_attention, Task.priority, Task.progress, Directive.number, Directive.published_at,
                      lead.c.name, lead.c.short_name, User.full_name, _labelled_status(day, historical), parts)
               .join(Directive, Directive.id == Task.directive_id).join(lead, lead.c.id == Task.lead_unit_id)
               .outerjoin(User, User.id == Task.assignee_id))
    return columns, columns.where(Task.id.in_(page_ids))


def _row_parts(value) -> list[RowUnit]:
    """The cooperating units of a row's aggregate, in the tree's order (as Task.cooperating_units)."""
    units = sorted(json_list(value), key=lambda u: (u[2], u[3]))
    return [RowUnit(name, short_name) for name, short_name, _key, _id in units]


def _task_rows(session, page: list[int] | Select, filters: TaskFilters, today: date, params: dict | None = None) -> list:
    """(TaskRow, status) of the ids `page` (a list, or a select of them with its `params`: then read in the
    statement of the rows, one round trip fewer), in no order: one query of plain columns (run as a Core
    statement: no ORM object is made, so the ORM's result machinery is not needed)."""
    columns, rows_stmt = _row_statements(filters.as_of or today, _historical(filters, today))
    connection = session.connection()
    if isinstance(page, list):
        rows = connection.execute(rows_stmt, {"page_ids": page}).all()
    else:
        # A page with parameters is a kept statement (unit_overdue_page, every_overdue_page): so is its join.
        rows = connection.execute(_rows_of(columns, page) if params else columns.where(Task.id.in_(page)),
                                  params or {}).all()
    return [(TaskRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], RowDirective(r[9], r[10] is not None),
                     RowUnit(r[11], r[12]), RowPerson(r[13]) if r[13] is not None else None, _row_parts(r[15])),
             r[14]) for r in rows]


@dataclass(frozen=True, slots=True)
class Coded:
    """A unit by its code and a person by their username, as the API names them (a unit with its path, for
    the reach rules: tracker.rules.reach.in_reach)."""
    code: str | None = None
    username: str | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class DeadlineMove:
    effective_on: date
    new_deadline: date | None


@dataclass(frozen=True, slots=True)
class PartRecord:
    """A cooperating part as the API shows it, under CooperatingPart's names (read as plain columns)."""
    unit: Coded
    unit_id: int
    sort_key: str
    duty: str
    deadline: date | None
    added_on: date | None
    done_on: date | None
    progress: int | None
    assignee: Coded | None


@dataclass(slots=True)
class TaskRecord:
    """A task as the API's lists show it, under Task's names, so that tracker.api.serialize and the status
    rules read it as they read a Task; read as plain columns (`task_records`), no ORM object made."""
    id: int
    directive_id: int
    parent_id: int | None
    title: str
    description: str
    deadline: date | None
    original_deadline: date | None
    priority: str
    tags: list[str] | None
    progress: int
    state: str
    completed_on: date | None
    version: int
    assigned_on: date
    done_on: date | None
    cancelled_on: date | None
    lead_unit: Coded
    assignee: Coded | None
    parts_in_order: list[PartRecord]  # in the unit tree's order, as Task.parts_in_order
    deadline_changes: list[DeadlineMove]  # read only for a past day, else empty (tracker.api.serialize.facts_on)
    # What tracker.rules.reach.can_view_task reads (one task's answer checks it on the record), and whether
    # the task is periodic (Task.recurring: its answer then reads its periods from the Task).
    assignee_id: int | None
    issuing_unit: Coded
    directive: RowDirective  # its number and whether it is published (tracker.rules.reach.can_view_task)
    recur_every: str | None

    @property
    def recurring(self) -> bool:
        return self.recur_every is not None

    @property
    def extended(self) -> bool:
        return deadline_extended(self.original_deadline, self.deadline)

    @property
    def cooperating_units(self) -> list[Coded]:
        return [p.unit for p in self.parts_in_order]


@lru_cache(maxsize=16)
def _record_statements(day: date, historical: bool) -> tuple[Select, Select, Select]:
    """The three queries of `task_records` for the day, built once (as `_row_statements`)."""
    lead, part_assignee = Unit.__table__.alias("lead"), User.__table__.alias("part_assignee")
    issuing = Unit.__table__.alias("issuing")
    ids = bindparam("ids", expanding=True)
    tasks = (select(Task.id, Task.directive_id, Task.parent_id, Task.title, Task.description, Task.deadline,
                    Task.original_deadline, Task.priority, Task.tags, Task.progress, Task.state, Task.completed_on,
                    Task.version, Task.assigned_on, Task.done_on, Task.cancelled_on, lead.c.code, User.username,
                    _labelled_status(day, historical), lead.c.path, Task.assignee_id, issuing.c.path,
                    Directive.published_at, Task.recur_every, Directive.number)
             .join(lead, lead.c.id == Task.lead_unit_id).outerjoin(User, User.id == Task.assignee_id)
             .join(issuing, issuing.c.id == Task.issuing_unit_id).join(Directive, Directive.id == Task.directive_id)
             .where(Task.id.in_(ids)))
    parts = (select(task_cooperation.c.task_id, Unit.code, Unit.id, Unit.sort_key, task_cooperation.c.duty,
                    task_cooperation.c.deadline, task_cooperation.c.added_on, task_cooperation.c.done_on,
                    task_cooperation.c.progress, part_assignee.c.username, Unit.path)
             .join(Unit, Unit.id == task_cooperation.c.unit_id)
             .outerjoin(part_assignee, part_assignee.c.id == task_cooperation.c.assignee_id)
             .where(task_cooperation.c.task_id.in_(ids)))
    changes = (select(DeadlineChange.task_id, DeadlineChange.effective_on, DeadlineChange.new_deadline)
               .where(DeadlineChange.task_id.in_(ids)).order_by(DeadlineChange.effective_on, DeadlineChange.id))
    return tasks, parts, changes


def task_records(session, ids: list[int], day: date, today: date) -> list[tuple[TaskRecord, str | None]]:
    """(TaskRecord, status on `day`) of the tasks `ids`, in that order: one query for the tasks, one for
    their cooperating parts and, for a past day, one for their deadline changes (Core statements, as
    `_task_rows`)."""
    if not ids:
        return []
    historical = day < today
    tasks_stmt, parts_stmt, changes_stmt = _record_statements(day, historical)
    connection = session.connection()
    parts: dict[int, list[PartRecord]] = {}
    for r in connection.execute(parts_stmt, {"ids": ids}):
        parts.setdefault(r[0], []).append(PartRecord(Coded(code=r[1], path=r[10]), r[2], r[3], r[4], r[5], r[6], r[7], r[8],
                                                     Coded(username=r[9]) if r[9] is not None else None))
    changes: dict[int, list[DeadlineMove]] = {}
    if historical:
        for task_id, effective_on, new_deadline in connection.execute(changes_stmt, {"ids": ids}):
            changes.setdefault(task_id, []).append(DeadlineMove(effective_on, new_deadline))
    found = {}
    for r in connection.execute(tasks_stmt, {"ids": ids}):
        own = parts.get(r[0], [])
        own.sort(key=lambda p: (p.sort_key, p.unit_id))  # as Task.parts_in_order, whatever the collation
        found[r[0]] = (TaskRecord(*r[:16], Coded(code=r[16], path=r[19]),
                                  Coded(username=r[17]) if r[17] is not None else None, own, changes.get(r[0], []),
                                  r[20], Coded(path=r[21]), RowDirective(r[24], r[22] is not None), r[23]), r[18])
    return [found[i] for i in ids if i in found]


@lru_cache(maxsize=32)
def _rows_of(columns: Select, page: Select) -> Select:
    """The rows `columns` of the ids `page` selects, built once for a page's select that is kept."""
    return written_in(columns.where(Task.id.in_(page)))


def written_in(stmt):
    """`stmt` with its values written into its SQL when it runs (literal_execute), for a statement kept and
    run on every page: PostgreSQL then plans it once per connection (a statement without parameters has
    one plan), where with parameters it planned each page again (the plan it would keep for any value of
    the day and the page sorts every overdue task: ten times slower)."""
    return visitors.cloned_traverse(stmt, {}, {"bindparam": _literal_execute})


def _literal_execute(bind) -> None:
    bind.literal_execute = True


def list_page(session, user: User, filters: TaskFilters, today: date, number: int, per_page: int,
              total: int | None, limit: int, plain: bool = False) -> tuple[list, int]:
    """One page of (Task, status) rows, and how many tasks match (at most `limit` + 1 when `total` is None).

    The page's ids come first (`_page_of_ids`), then its rows are read by id with what they show.
    `plain`: the rows are TaskRow (what the HTML list shows), not Task objects; in deadline order (an
    overdue list), read with their ids in one statement.
    """
    page, params, ids, total = _page_of_ids(session, user, filters, today, number, per_page, total, limit)
    if page is not None:
        if plain and _by_deadline(filters, today):
            rows = _task_rows(session, page, filters, today, params)
            return sorted(rows, key=lambda row: (row[0].deadline, row[0].id), reverse=filters.sort == "-deadline"), total
        ids = list(session.scalars(page, params))
    if not ids:
        return [], total
    if plain:
        rows = _task_rows(session, ids, filters, today)
    else:
        rows = session.execute(select(Task, status_column(filters, today)).where(Task.id.in_(ids))
                               .options(*ROW_OPTIONS)).all()
    place = {task_id: i for i, task_id in enumerate(ids)}
    return sorted(rows, key=lambda row: place[row[0].id]), total


def ordered_ids(session, user: User, filters: TaskFilters, today: date) -> list[int]:
    """The ids of every task matching `filters`, in the list's order (for a list read whole: a directive's tasks)."""
    return list(session.scalars(_ordered(user, filters, today).with_only_columns(Task.id)))


def page_ids(session, user: User, filters: TaskFilters, today: date, number: int, per_page: int,
             total: int | None, limit: int | None) -> tuple[list[int], int]:
    """The ids of one page of the list, in its order, and how many tasks match (see `_page_of_ids`)."""
    page, params, ids, total = _page_of_ids(session, user, filters, today, number, per_page, total, limit)
    return (list(session.scalars(page, params)) if page is not None else ids), total


def _page_of_ids(session, user: User, filters: TaskFilters, today: date, number: int, per_page: int,
                 total: int | None, limit: int | None) -> tuple[Select | None, dict, list[int], int]:
    """How one page of the list is read: (the select of its ids, its parameters, None, total), or (None, {},
    the ids, total) when they are already read.

    The ids come from a query of ids alone that the indexes often answer without
    reading a row (the deadline order, a unit's status aggregate). `total` is what
    `match_count` or the status counts gave; more than `limit` with a status filter
    (the matches counted alone, up to the limit) gathers the ids through the filters'
    indexes when a unit or person narrows them; `limit` None: `total` is every match
    (the API counts them all). Without `total` (an export: a page of `limit` rows) the
    ids query, cut at `limit` + 1, gives the page and its count at once.
    """
    offset = (number - 1) * per_page
    at = {"page_offset": offset, "page_size": per_page}
    unit = _overdue_unit(user, filters, today) if total is not None else None
    if unit is not None:
        return unit_overdue_page(unit, today, filters.sort == "-deadline"), at, [], total
    if total is None:
        gather = _narrowed_by_index(user, replace(filters, status=[]), today)
        ids_stmt = _ordered(user, filters, today, gather=gather).with_only_columns(Task.id)
        found = list(session.scalars(ids_stmt.limit(limit + 1)))
        total = len(found)
        ids = (found[offset:offset + per_page] if offset + per_page <= total or total <= limit
               else list(session.scalars(ids_stmt.offset(offset).limit(per_page))))
        return None, {}, ids, total
    beyond = limit is not None and total > limit
    if not (offset < total or beyond):
        return None, {}, [], total
    if _every_overdue(user, filters, today):
        return every_overdue_page(user, today, filters.sort), at, [], total
    if beyond and filters.status:
        gather = _narrowed_by_index(user, replace(filters, status=[]), today)
        ids_stmt = _ordered(user, filters, today, gather=gather).with_only_columns(Task.id)
    else:
        ids_stmt = _ordered(user, filters, today, expected=total).with_only_columns(Task.id)
    return ids_stmt.offset(offset).limit(per_page), {}, [], total


def list_unit(user: User, filters: TaskFilters, today: date) -> Unit | None:
    """The unit whose led and cooperated tasks the list `filters` shows `user` (`view=unit`, or the unit
    filter alone; the status, the sort and the published flag aside), if its subtree lies in the user's
    reach, so that every such task of a published directive is visible to them; else None."""
    if filters.view == "unit" and filters.unit is None:
        unit = user.unit
    elif filters.view == "all" and filters.unit is not None:
        unit = filters.unit
    else:
        return None
    rest = replace(filters, view="all", unit=None, status=[], sort="deadline", published_only=False,
                   as_of=None if filters.as_of == today else filters.as_of)
    if unit is None or rest != TaskFilters() or not reach.in_reach(user, unit):
        return None
    return unit


def _overdue_unit(user: User, filters: TaskFilters, today: date) -> Unit | None:
    """The unit whose published overdue tasks today, in deadline order, are all the list shows `user`
    (list_unit), if one is and each of them is open (_overdue_today); else None."""
    if not (filters.published_only and filters.status == ["overdue"] and filters.sort in ("deadline", "-deadline")):
        return None
    unit = list_unit(user, filters, today)
    return unit if unit is not None and _overdue_today(filters, today) else None


def _by_deadline(filters: TaskFilters, today: date) -> bool:
    """True if the list's rows are in the order of (deadline, id), or its reverse: its overdue tasks today (or on
    a later day; each has a deadline, so the order of SORTS comes to that) by deadline."""
    return filters.status == ["overdue"] and filters.sort in ("deadline", "-deadline") and not _historical(
        filters, today)


def _every_overdue(user: User, filters: TaskFilters, today: date) -> bool:
    """True if the list is today's overdue tasks of every published directive by deadline, nothing else
    narrowing it, and `user` sees every task."""
    rest = replace(filters, status=[], sort="deadline", published_only=False,
                   as_of=None if filters.as_of == today else filters.as_of)
    return (filters.published_only and filters.status == ["overdue"] and filters.sort in ("deadline", "-deadline")
            and rest == TaskFilters()
            and (reach.is_admin(user) or reach_sql.subtree_is_everything(reach.reach_path(user))))


_EVERY_OVERDUE_PAGES: dict[tuple[date, str], Select] = {}


def every_overdue_page(user: User, today: date, sort: str) -> Select:
    """SQL: ids of a page of the overdue list of every published task (see _every_overdue: the same for
    whoever sees every task), in the `sort` by deadline, from the parameters `page_offset` and `page_size`:
    the list's own query (_ordered), built once per day (building it and keying it for SQLAlchemy's
    cache cost more than running it: a walk of ix_task_open_by_deadline that stops after the page)."""
    key = (today, sort)
    page = _EVERY_OVERDUE_PAGES.get(key)
    if page is None:
        filters = TaskFilters(status=["overdue"], published_only=True, sort=sort)
        page = written_in(_ordered(user, filters, today).with_only_columns(Task.id)
                          .offset(bindparam("page_offset", type_=Integer)).limit(bindparam("page_size", type_=Integer)))
        if len(_EVERY_OVERDUE_PAGES) >= 8:
            _EVERY_OVERDUE_PAGES.clear()
        _EVERY_OVERDUE_PAGES[key] = page
    return page


def unit_overdue_page(unit: Unit, today: date, descending: bool) -> Select:
    """SQL: ids of a page of `unit`'s published overdue tasks today (see _overdue_unit) in deadline order,
    from the parameters `page_offset` and `page_size`; built once per unit and day.

    The candidates come from index reads (unit_overdue_candidates), the tasks of drafts (a
    few) left out as a set: no candidate is looked up for its directive.
    """
    return _unit_overdue_page(unit.path, today, descending)


@lru_cache(maxsize=64)
def _unit_overdue_page(path: str, today: date, descending: bool) -> Select:
    candidates = _overdue_candidates(path, today).subquery()
    order = ((candidates.c.deadline.desc(), candidates.c.id.desc()) if descending
             else (candidates.c.deadline, candidates.c.id))
    return written_in(select(candidates.c.id).where(candidates.c.id.not_in(draft_tasks()))
                      .order_by(*order).offset(bindparam("page_offset", type_=Integer)).limit(bindparam("page_size", type_=Integer)))


def draft_tasks():
    """SQL: ids of the tasks of unpublished directives, read from the drafts' index (ix_directive_draft)."""
    return select(Task.id).where(Task.directive_id.in_(select(Directive.id).where(Directive.published_at.is_(None))))


def match_count(session, user: User, filters: TaskFilters, today: date, limit: int | None = None) -> int:
    """How many tasks match `filters`, counted up to `limit` + 1 (None: all) in the database (neither sorted
    nor read).

    SQLite counts the 4,400 open tasks of 20,000 in 6 ms, where bringing their ids to Python
    in the list's order took 20 ms.
    """
    stmt = _ordered(user, filters, today, gather=False).with_only_columns(Task.id)  # the order is dropped
    return count_rows(session, stmt, None if limit is None else limit + 1)


def count_rows(session, stmt: Select, at_most: int | None = None) -> int:
    """How many rows `stmt` gives (at most `at_most`), counted in the database without ordering them."""
    inner = stmt.order_by(None)
    if at_most is not None:
        inner = inner.limit(at_most)
    return session.scalar(select(func.count()).select_from(inner.subquery())) or 0


def gathers(user: User, filters: TaskFilters, today: date, expected: int | None) -> bool:
    """True if a list of `expected` matching rows is ordered so as to gather them (see _ordered)."""
    return (filters.sort in ("deadline", "-deadline") and expected is not None
            and _narrowed_by_index(user, filters, today) and (expected <= FEW_ROWS or expected <= few_rows()))


def few_rows() -> int:
    """Below this many matches, gathering and sorting them beats walking the deadline index.

    Walking reads about 25 x tasks / matches rows to fill a page, gathering reads the matches:
    they cost the same at matches = 5 x sqrt(tasks), taken from the highest task id (one
    index look-up), and never fewer than FEW_ROWS.
    """
    tasks = db.session.scalar(select(func.max(Task.id))) or 0
    return max(FEW_ROWS, 5 * math.isqrt(tasks))


def _narrowed_by_index(user: User, filters: TaskFilters, today: date) -> bool:
    """True if an indexed condition (a unit, a person, a document, open tasks) narrows the rows.

    Text, tag and priority filters alone are read row by row: walking the deadline index
    then stops after a page of matches, where gathering every match would read every task.
    """
    open_only = (bool(filters.status) and set(filters.status) <= set(OPEN_STATUSES)
                 and (filters.as_of is None or filters.as_of >= today))
    return (filters.view != "all" or open_only or any(
        (filters.unit, filters.lead_unit, filters.assignee, filters.directive_id, filters.issuing_unit))
            or not (reach.is_admin(user) or reach_sql.subtree_is_everything(reach.reach_path(user))))


def status_counts(session, user: User, filters: TaskFilters, today: date,
                  limit: int | None = None) -> tuple[dict[str, int], bool]:
    """Count the filtered tasks by status (the status filter itself is ignored), in SQL.

    With `limit`, at most `limit` + 1 tasks are read: returns (counts, complete), where
    `complete` is False when more tasks match than `limit` (the counts are then partial).
    """
    stmt, status = base_select(user, filters, today)
    inner = stmt.with_only_columns(status)
    if limit is not None:
        inner = inner.limit(limit + 1)
    sub = inner.subquery()
    rows = session.execute(select(sub.c.status, func.count()).group_by(sub.c.status)).all()
    counts = {s: 0 for s in STATUSES}
    counts.update({s: n for s, n in rows})
    return counts, limit is None or sum(counts.values()) <= limit
