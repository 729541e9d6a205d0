"""The task summary: how many tasks each unit leads, by what today's status needs to know.

One row per (lead unit, published directive or draft, kind, deadline key)
with a count `n`. `kind` is what a task's dates say without a day to judge
them on: `cancelled` (cancelled_on set), `done_on_time` or `done_late`
(done_on set; on time when there is no deadline or the completion date is
by the deadline), else `open`. The deadline key is the task's deadline (the
one in force today) for open tasks, so that today's overdue, in-progress
and due-soon counts are read from it; for closed tasks, the first day of the
deadline's month, enough for the dashboards' periods (months, quarters,
years), with far fewer rows. No deadline (an ongoing task): NO_DEADLINE.

The summary holds for today only while no task was closed or cancelled on a
later day than today (tracker.services.summary checks this before using it):
then a task's status today follows from its row alone.

It is kept by database triggers on `task` (and on `directive.published_at`)
in the very transaction of each change, whatever writes the task: the
workflow, the Core inserts of an import, unit changes, deletions. On
PostgreSQL they are statement triggers over the transition tables (a bulk
import adds its counts in one upsert per statement); on SQLite, row
triggers. Both are made with the table (here for create_all, and by
migration 0014); `rebuild` recomputes it from the tasks.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import DDL, Boolean, Date, Index, Integer, PrimaryKeyConstraint, String, event, text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import db

NO_DEADLINE = date(9999, 12, 31)  # the deadline key of ongoing tasks (no deadline)
KINDS = ("open", "done_on_time", "done_late", "cancelled")


class TaskSummary(db.Model):
    """How many tasks (n) a unit leads with one (published, kind, deadline key): see the module's docstring."""

    __tablename__ = "task_summary"
    # The open rows by deadline key, covering: today's not-yet-overdue tasks of every unit are a range of it
    # (tracker.services.summary.grouped), not a scan of every row.
    __table_args__ = (Index("ix_task_summary_open", "kind", "published", "deadline_key", "lead_unit_id", "n"),)

    lead_unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    published: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    deadline_key: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


def _key(t: str, dialect: str) -> str:
    """SQL for the summary key of the task row `t` (an alias, NEW or OLD): its four named columns."""
    if dialect == "postgresql":
        month, none = f"date_trunc('month', {t}.deadline)::date", "DATE '9999-12-31'"
    else:
        month, none = f"date({t}.deadline, 'start of month')", "'9999-12-31'"
    published = (f"EXISTS (SELECT 1 FROM directive d WHERE d.id = {t}.directive_id "
                 f"AND d.published_at IS NOT NULL)")
    kind = (f"CASE WHEN {t}.cancelled_on IS NOT NULL THEN 'cancelled' "
            f"WHEN {t}.done_on IS NOT NULL THEN CASE WHEN {t}.deadline IS NULL "
            f"OR COALESCE({t}.completed_on, {t}.done_on) <= {t}.deadline THEN 'done_on_time' ELSE 'done_late' END "
            f"ELSE 'open' END")
    key = (f"CASE WHEN {t}.deadline IS NULL THEN {none} "
           f"WHEN {t}.cancelled_on IS NOT NULL OR {t}.done_on IS NOT NULL THEN {month} "
           f"ELSE {t}.deadline END")
    return (f"{t}.lead_unit_id AS lead_unit_id, {published} AS published, {kind} AS kind, "
            f"{key} AS deadline_key")


_COLUMNS = "lead_unit_id, published, kind, deadline_key, n"
_GROUP = "lead_unit_id, published, kind, deadline_key"
_CONFLICT = (f"ON CONFLICT ({_GROUP}) DO UPDATE SET n = task_summary.n + excluded.n")
_KEYED = ("lead_unit_id", "directive_id", "deadline", "completed_on", "done_on", "cancelled_on")


def _grouped(rows: str, dialect: str, sign: str = "", where: str = "", flip: bool = False) -> str:
    """SQL: the keys of the task rows `rows` (a table or transition table) with sign * their count.

    With `flip`, under the other published flag (a directive's tasks before it was (un)published).
    """
    published = "NOT published" if flip else "published"
    return (f"SELECT lead_unit_id, {published} AS published, kind, deadline_key, {sign}count(*) AS n "
            f"FROM (SELECT {_key('t', dialect)} FROM {rows} t {where}) AS k GROUP BY {_GROUP}")


def _netted(*parts: str) -> str:
    """SQL: the sum per key of the signed counts `parts`, zeros left out, in key order (one lock order)."""
    return (f"INSERT INTO task_summary ({_COLUMNS}) SELECT {_GROUP}, sum(n) FROM ("
            f"{' UNION ALL '.join(parts)}) AS c GROUP BY {_GROUP} HAVING sum(n) <> 0 ORDER BY {_GROUP} {_CONFLICT}")


_OF_DIRECTIVE = "WHERE t.directive_id = NEW.id"

POSTGRES_DDL = [
    # One function for the three statement triggers over the transition tables: an update that moves no
    # task between keys (a progress report) writes nothing.
    f"""CREATE OR REPLACE FUNCTION task_summary_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_netted(_grouped('new_rows', 'postgresql'))};
  ELSIF TG_OP = 'DELETE' THEN
    {_netted(_grouped('old_rows', 'postgresql', '-'))};
  ELSE
    {_netted(_grouped('new_rows', 'postgresql'), _grouped('old_rows', 'postgresql', '-'))};
  END IF;
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER task_summary_ins AFTER INSERT ON task REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION task_summary_change()",
    "CREATE OR REPLACE TRIGGER task_summary_upd AFTER UPDATE ON task "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_summary_change()",
    "CREATE OR REPLACE TRIGGER task_summary_del AFTER DELETE ON task REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION task_summary_change()",
    # Publishing (or withdrawing) a directive moves its tasks between the published and the draft rows.
    f"""CREATE OR REPLACE FUNCTION task_summary_publish() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_netted(_grouped('task', 'postgresql', where=_OF_DIRECTIVE),
           _grouped('task', 'postgresql', '-', where=_OF_DIRECTIVE, flip=True))};
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER task_summary_publish AFTER UPDATE OF published_at ON directive FOR EACH ROW "
    "WHEN ((OLD.published_at IS NULL) IS DISTINCT FROM (NEW.published_at IS NULL)) "
    "EXECUTE FUNCTION task_summary_publish()",
]
POSTGRES_DROP = [  # the triggers go with their functions
    "DROP FUNCTION IF EXISTS task_summary_publish() CASCADE",
    "DROP FUNCTION IF EXISTS task_summary_change() CASCADE",
]


def _sqlite_add(row: str, sign: str) -> str:
    # "WHERE true": SQLite's upsert after a SELECT needs it to parse.
    return f"INSERT INTO task_summary ({_COLUMNS}) SELECT {_key(row, 'sqlite')}, {sign}1 WHERE true {_CONFLICT};"


SQLITE_DDL = [
    f"CREATE TRIGGER IF NOT EXISTS task_summary_ai AFTER INSERT ON task BEGIN {_sqlite_add('NEW', '')} END",
    f"CREATE TRIGGER IF NOT EXISTS task_summary_ad AFTER DELETE ON task BEGIN {_sqlite_add('OLD', '-')} END",
    f"CREATE TRIGGER IF NOT EXISTS task_summary_au AFTER UPDATE OF {', '.join(_KEYED)} ON task "
    f"BEGIN {_sqlite_add('OLD', '-')} {_sqlite_add('NEW', '')} END",
    f"CREATE TRIGGER IF NOT EXISTS task_summary_publish AFTER UPDATE OF published_at ON directive "
    f"WHEN (OLD.published_at IS NULL) <> (NEW.published_at IS NULL) BEGIN "
    f"{_netted(_grouped('task', 'sqlite', where=_OF_DIRECTIVE), _grouped('task', 'sqlite', '-', where=_OF_DIRECTIVE, flip=True))}; END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS task_summary_publish", "DROP TRIGGER IF EXISTS task_summary_au",
               "DROP TRIGGER IF EXISTS task_summary_ad", "DROP TRIGGER IF EXISTS task_summary_ai"]


def ddl(dialect: str) -> list[str]:
    return POSTGRES_DDL if dialect == "postgresql" else SQLITE_DDL


def drop_ddl(dialect: str) -> list[str]:
    return POSTGRES_DROP if dialect == "postgresql" else SQLITE_DROP


def rebuild(connection) -> None:
    """Recompute the summary from the tasks (the migration fills it so; the tests compare with it)."""
    dialect = connection.dialect.name
    connection.execute(text("DELETE FROM task_summary"))
    connection.execute(text(_netted(_grouped("task", dialect))))


# --- the monthly summary: the trend's months ------------------------------------------------------

class MonthEnd(db.Model):
    """The last day of every month from FIRST_MONTH to LAST_MONTH: the monthly summary's calendar."""

    __tablename__ = "month_end"

    day: Mapped[date] = mapped_column(Date, primary_key=True)


FIRST_MONTH, LAST_MONTH = date(1990, 1, 1), date(2100, 12, 1)


def month_ends() -> list[date]:
    """The last day of each month from FIRST_MONTH to LAST_MONTH."""
    days, year, month = [], FIRST_MONTH.year, FIRST_MONTH.month
    while (year, month) <= (LAST_MONTH.year, LAST_MONTH.month):
        nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        days.append(date.fromordinal(nxt.toordinal() - 1))
        year, month = nxt.year, nxt.month
    return days


class TaskMonth(db.Model):
    """The trend's figures per lead unit, published flag and month end: see `_month_rows`.

    A month's overdue count at its end L is the sum of `overdue_at` of the rows at L plus the sum of
    `overdue_after` of the rows before L; its completions are the `done_on_time` and `done_late`
    of the rows at L.
    """

    __tablename__ = "task_month"

    lead_unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    published: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    month_end: Mapped[date] = mapped_column(Date, primary_key=True)
    overdue_at: Mapped[int] = mapped_column(Integer, default=0)
    overdue_after: Mapped[int] = mapped_column(Integer, default=0)
    done_on_time: Mapped[int] = mapped_column(Integer, default=0)
    done_late: Mapped[int] = mapped_column(Integer, default=0)


_MONTH_COLUMNS = "lead_unit_id, published, month_end, overdue_at, overdue_after, done_on_time, done_late"
_MONTH_GROUP = "lead_unit_id, published, month_end"
_MONTH_SUMS = ("overdue_at", "overdue_after", "done_on_time", "done_late")
_MONTH_CONFLICT = (f"ON CONFLICT ({_MONTH_GROUP}) DO UPDATE SET "
                   + ", ".join(f"{c} = task_month.{c} + excluded.{c}" for c in _MONTH_SUMS))
# The task columns the monthly summary reads (a change of any other column moves nothing).
_MONTH_KEYED = ("lead_unit_id", "directive_id", "assigned_on", "original_deadline", "deadline", "completed_on",
                "done_on", "cancelled_on")
_TASK_FIELDS = ("id", *_MONTH_KEYED)


def _month_rows(rows: str, dialect: str, sign: str = "", flip: bool = False) -> str:
    """SQL: the monthly figures of the task rows `rows` (a table, a transition table or a derived table).

    The tasks are judged by the status rule (tracker.rules.status) on each month end L from the month
    they were assigned in: overdue on L if assigned by L, neither confirmed done nor cancelled by L, and
    the deadline in force on L (the latest change effective by L, else the original deadline) is
    before L. After the month end following the task's last dated event (assignment, deadlines,
    changes, completion, cancellation) nothing changes any more: that month's row carries the task in
    `overdue_after` too, for every later month. A task confirmed done and not cancelled counts in
    the month of its confirmation, on time or late as its status today says (the task summary's kind).
    """
    if dialect == "postgresql":
        plus_day, biggest = "({e}) + 1", "GREATEST({args})"
    else:
        plus_day, biggest = "date({e}, '+1 day')", "max({args})"
    published = ("EXISTS (SELECT 1 FROM directive d WHERE d.id = t.directive_id "
                 "AND d.published_at IS NOT NULL)")
    if flip:
        published = f"NOT {published}"
    changes = "FROM deadline_change dc WHERE dc.task_id = t.id"
    last_event = biggest.format(args=", ".join(
        f"COALESCE({x}, t.assigned_on)" for x in (
            "t.assigned_on", "t.original_deadline", "t.done_on", "t.cancelled_on",
            f"(SELECT max(dc.effective_on) {changes})", f"(SELECT max(dc.new_deadline) {changes})")))
    settled = f"(SELECT min(me.day) FROM month_end me WHERE me.day >= {plus_day.format(e=last_event)})"
    first = "CASE WHEN t.done_on IS NOT NULL AND t.done_on < t.assigned_on THEN t.done_on ELSE t.assigned_on END"
    in_force = (f"CASE WHEN EXISTS (SELECT 1 {changes} AND dc.effective_on <= m.day) THEN "
                f"(SELECT dc.new_deadline {changes} AND dc.effective_on <= m.day "
                f"ORDER BY dc.effective_on DESC, dc.id DESC LIMIT 1) ELSE t.original_deadline END")
    overdue = (f"CASE WHEN t.assigned_on <= m.day AND (t.done_on IS NULL OR t.done_on > m.day) "
               f"AND (t.cancelled_on IS NULL OR t.cancelled_on > m.day) AND {in_force} < m.day THEN 1 ELSE 0 END")
    if dialect == "postgresql":
        month_start = "date_trunc('month', m.day)::date"
    else:
        month_start = "date(m.day, 'start of month')"
    done_here = (f"t.cancelled_on IS NULL AND t.done_on IS NOT NULL AND t.done_on <= m.day "
                 f"AND t.done_on >= {month_start}")
    on_time = "(t.deadline IS NULL OR COALESCE(t.completed_on, t.done_on) <= t.deadline)"
    inner = (f"SELECT t.lead_unit_id AS lead_unit_id, {published} AS published, m.day AS month_end, "
             f"{overdue} AS ov, CASE WHEN m.day = t.settled THEN 1 ELSE 0 END AS is_last, "
             f"CASE WHEN {done_here} AND {on_time} THEN 1 ELSE 0 END AS dot, "
             f"CASE WHEN {done_here} AND NOT {on_time} THEN 1 ELSE 0 END AS dl "
             f"FROM (SELECT t.*, {settled} AS settled, {first} AS first_day FROM {rows} t) t "
             f"JOIN month_end m ON m.day >= t.first_day AND m.day <= t.settled")
    return (f"SELECT lead_unit_id, published, month_end, {sign}sum(ov) AS overdue_at, "
            f"{sign}sum(ov * is_last) AS overdue_after, {sign}sum(dot) AS done_on_time, {sign}sum(dl) AS done_late "
            f"FROM ({inner}) AS k GROUP BY {_MONTH_GROUP}")


def _month_netted(*parts: str) -> str:
    """SQL: the sums per key of the signed figures `parts`, all-zero keys left out, in key order."""
    sums = ", ".join(f"sum({c})" for c in _MONTH_SUMS)
    nonzero = " OR ".join(f"sum({c}) <> 0" for c in _MONTH_SUMS)
    return (f"INSERT INTO task_month ({_MONTH_COLUMNS}) SELECT {_MONTH_GROUP}, {sums} FROM ("
            f"{' UNION ALL '.join(parts)}) AS c GROUP BY {_MONTH_GROUP} HAVING {nonzero} "
            f"ORDER BY {_MONTH_GROUP} {_MONTH_CONFLICT}")


def _one_task(ref: str) -> str:
    """SQL: a derived table of the one task row `ref` (NEW or OLD in a SQLite row trigger)."""
    return "(SELECT " + ", ".join(f"{ref}.{c} AS {c}" for c in _TASK_FIELDS) + ")"


def _changed_rows(side: str) -> str:
    """PostgreSQL: the rows of the transition table `side` whose monthly figures may have moved."""
    cols = ", ".join(f"n.{c}" for c in _MONTH_KEYED)
    olds = ", ".join(f"o.{c}" for c in _MONTH_KEYED)
    pick = "n" if side == "new_rows" else "o"
    return (f"(SELECT {pick}.* FROM new_rows n JOIN old_rows o ON o.id = n.id "
            f"WHERE ({cols}) IS DISTINCT FROM ({olds}))")


_TASK_OF_CHANGE = "(SELECT * FROM task WHERE id = {ref}.task_id)"
_OTHER_TASK_OF_CHANGE = "(SELECT * FROM task WHERE id = NEW.task_id AND NEW.task_id <> OLD.task_id)"
_TASKS_OF_DIRECTIVE = "(SELECT * FROM task WHERE directive_id = NEW.id)"

MONTH_POSTGRES_DDL = [
    f"""CREATE OR REPLACE FUNCTION task_month_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_month_netted(_month_rows('new_rows', 'postgresql'))};
  ELSIF TG_OP = 'DELETE' THEN
    {_month_netted(_month_rows('old_rows', 'postgresql', '-'))};
  ELSE
    {_month_netted(_month_rows(_changed_rows('new_rows'), 'postgresql'),
                   _month_rows(_changed_rows('old_rows'), 'postgresql', '-'))};
  END IF;
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER task_month_ins AFTER INSERT ON task REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION task_month_change()",
    "CREATE OR REPLACE TRIGGER task_month_upd AFTER UPDATE ON task "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_month_change()",
    "CREATE OR REPLACE TRIGGER task_month_del AFTER DELETE ON task REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION task_month_change()",
    # A deadline change moves its task's months: taken out before the row changes, put back after.
    f"""CREATE OR REPLACE FUNCTION task_month_deadline_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    {_month_netted(_month_rows(_TASK_OF_CHANGE.format(ref='OLD'), 'postgresql', '-'))};
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR OLD.task_id <> NEW.task_id) THEN
    {_month_netted(_month_rows(_TASK_OF_CHANGE.format(ref='NEW'), 'postgresql', '-'))};
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    f"""CREATE OR REPLACE FUNCTION task_month_deadline_after() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    {_month_netted(_month_rows(_TASK_OF_CHANGE.format(ref='OLD'), 'postgresql'))};
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR OLD.task_id <> NEW.task_id) THEN
    {_month_netted(_month_rows(_TASK_OF_CHANGE.format(ref='NEW'), 'postgresql'))};
  END IF;
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER task_month_dc_before BEFORE INSERT OR UPDATE OR DELETE ON deadline_change "
    "FOR EACH ROW EXECUTE FUNCTION task_month_deadline_before()",
    "CREATE OR REPLACE TRIGGER task_month_dc_after AFTER INSERT OR UPDATE OR DELETE ON deadline_change "
    "FOR EACH ROW EXECUTE FUNCTION task_month_deadline_after()",
    f"""CREATE OR REPLACE FUNCTION task_month_publish() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_month_netted(_month_rows(_TASKS_OF_DIRECTIVE, 'postgresql'),
                 _month_rows(_TASKS_OF_DIRECTIVE, 'postgresql', '-', flip=True))};
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER task_month_publish AFTER UPDATE OF published_at ON directive FOR EACH ROW "
    "WHEN ((OLD.published_at IS NULL) IS DISTINCT FROM (NEW.published_at IS NULL)) "
    "EXECUTE FUNCTION task_month_publish()",
]
MONTH_POSTGRES_DROP = [
    "DROP FUNCTION IF EXISTS task_month_publish() CASCADE",
    "DROP FUNCTION IF EXISTS task_month_deadline_after() CASCADE",
    "DROP FUNCTION IF EXISTS task_month_deadline_before() CASCADE",
    "DROP FUNCTION IF EXISTS task_month_change() CASCADE",
]


def _sqlite_month(rows: str, sign: str = "", flip: bool = False) -> str:
    return _month_netted(_month_rows(rows, "sqlite", sign, flip)) + ";"


MONTH_SQLITE_DDL = [
    f"CREATE TRIGGER IF NOT EXISTS task_month_ai AFTER INSERT ON task BEGIN {_sqlite_month(_one_task('NEW'))} END",
    f"CREATE TRIGGER IF NOT EXISTS task_month_ad AFTER DELETE ON task BEGIN "
    f"{_sqlite_month(_one_task('OLD'), '-')} END",
    f"CREATE TRIGGER IF NOT EXISTS task_month_au AFTER UPDATE OF {', '.join(_MONTH_KEYED)} ON task BEGIN "
    f"{_sqlite_month(_one_task('OLD'), '-')} {_sqlite_month(_one_task('NEW'))} END",
    f"CREATE TRIGGER IF NOT EXISTS task_month_dc_bi BEFORE INSERT ON deadline_change BEGIN "
    f"{_sqlite_month(_TASK_OF_CHANGE.format(ref='NEW'), '-')} END",
    f"CREATE TRIGGER IF NOT EXISTS task_month_dc_ai AFTER INSERT ON deadline_change BEGIN "
    f"{_sqlite_month(_TASK_OF_CHANGE.format(ref='NEW'))} END",
    f"CREATE TRIGGER IF NOT EXISTS task_month_dc_bd BEFORE DELETE ON deadline_change BEGIN "
    f"{_sqlite_month(_TASK_OF_CHANGE.format(ref='OLD'), '-')} END",
    f"CREATE TRIGGER IF NOT EXISTS task_month_dc_ad AFTER DELETE ON deadline_change BEGIN "
    f"{_sqlite_month(_TASK_OF_CHANGE.format(ref='OLD'))} END",
    f"CREATE TRIGGER IF NOT EXISTS task_month_dc_bu BEFORE UPDATE ON deadline_change BEGIN "
    f"{_sqlite_month(_TASK_OF_CHANGE.format(ref='OLD'), '-')} "
    f"{_sqlite_month(_OTHER_TASK_OF_CHANGE, '-')} END",
    f"CREATE TRIGGER IF NOT EXISTS task_month_dc_au AFTER UPDATE ON deadline_change BEGIN "
    f"{_sqlite_month(_TASK_OF_CHANGE.format(ref='OLD'))} "
    f"{_sqlite_month(_OTHER_TASK_OF_CHANGE)} END",
    f"CREATE TRIGGER IF NOT EXISTS task_month_publish AFTER UPDATE OF published_at ON directive "
    f"WHEN (OLD.published_at IS NULL) <> (NEW.published_at IS NULL) BEGIN "
    f"{_sqlite_month(_TASKS_OF_DIRECTIVE)} {_sqlite_month(_TASKS_OF_DIRECTIVE, '-', flip=True)} END",
]
MONTH_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in (
    "task_month_publish", "task_month_dc_au", "task_month_dc_bu", "task_month_dc_ad", "task_month_dc_bd",
    "task_month_dc_ai", "task_month_dc_bi", "task_month_au", "task_month_ad", "task_month_ai")]


def month_ddl(dialect: str) -> list[str]:
    return MONTH_POSTGRES_DDL if dialect == "postgresql" else MONTH_SQLITE_DDL


def month_drop_ddl(dialect: str) -> list[str]:
    return MONTH_POSTGRES_DROP if dialect == "postgresql" else MONTH_SQLITE_DROP


def fill_month_ends(connection) -> None:
    """Write the calendar of month ends (once, with the table)."""
    if connection.execute(text("SELECT count(*) FROM month_end")).scalar():
        return
    connection.execute(MonthEnd.__table__.insert(), [{"day": d} for d in month_ends()])


def rebuild_months(connection) -> None:
    """Recompute the monthly summary from the tasks and their deadline changes."""
    connection.execute(text("DELETE FROM task_month"))
    connection.execute(text(_month_netted(_month_rows("task", connection.dialect.name))))


def month_rebuilt_sql(dialect: str) -> str:
    """SQL: the monthly summary as recomputed from the tasks (the tests compare it with the kept one)."""
    return _month_rows("task", dialect)


# --- the part summary: the cooperating parts by the unit that cooperates -----------------------------

class PartSummary(db.Model):
    """How many cooperating parts (n) a unit holds in tasks led by `lead_unit_id`, by (published, kind,
    deadline key), as TaskSummary does for tasks: `kind` is `cancelled` (the task is cancelled), `done_on_time`
    or `done_late` (the part is done, by its deadline in force or after it), else `open`; the deadline key
    is an open part's deadline in force (its own, capped by the task's; NO_DEADLINE without one), and
    NO_DEADLINE for a closed part. Kept by triggers on task_cooperation, on task (its lead unit, directive,
    deadline and cancellation) and on directive.published_at."""

    __tablename__ = "part_summary"
    # As ix_task_summary_open: today's parts not yet overdue are a range of it.
    __table_args__ = (Index("ix_part_summary_open", "kind", "published", "deadline_key", "unit_id", "lead_unit_id",
                            "n"),)

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    lead_unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    published: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    deadline_key: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


_PART_GROUP = "unit_id, lead_unit_id, published, kind, deadline_key"
_PART_COLUMNS = f"{_PART_GROUP}, n"
_PART_CONFLICT = f"ON CONFLICT ({_PART_GROUP}) DO UPDATE SET n = part_summary.n + excluded.n"
_PART_KEYED = ("task_id", "unit_id", "deadline", "done_on")  # the part's columns its key reads
_PART_TASK_KEYED = ("lead_unit_id", "directive_id", "deadline", "cancelled_on")  # and its task's


def _part_key(p: str, t: str, dialect: str, flip: bool = False) -> str:
    """SQL for the part summary's key of the part `p` in the task `t` (aliases, or NEW / OLD)."""
    none = "DATE '9999-12-31'" if dialect == "postgresql" else "'9999-12-31'"
    deadline = (f"(CASE WHEN {p}.deadline IS NULL THEN {t}.deadline WHEN {t}.deadline IS NULL THEN {p}.deadline "
                f"WHEN {p}.deadline < {t}.deadline THEN {p}.deadline ELSE {t}.deadline END)")
    published = f"EXISTS (SELECT 1 FROM directive d WHERE d.id = {t}.directive_id AND d.published_at IS NOT NULL)"
    kind = (f"CASE WHEN {t}.cancelled_on IS NOT NULL THEN 'cancelled' WHEN {p}.done_on IS NOT NULL THEN "
            f"CASE WHEN {deadline} IS NULL OR {p}.done_on <= {deadline} THEN 'done_on_time' ELSE 'done_late' END "
            f"ELSE 'open' END")
    key = (f"CASE WHEN {t}.cancelled_on IS NOT NULL OR {p}.done_on IS NOT NULL THEN {none} "
           f"ELSE COALESCE({deadline}, {none}) END")
    return (f"{p}.unit_id AS unit_id, {t}.lead_unit_id AS lead_unit_id, "
            f"{'NOT ' if flip else ''}{published} AS published, {kind} AS kind, {key} AS deadline_key")


def _part_rows(p: str, t: str, source: str, dialect: str, sign: str = "", flip: bool = False) -> str:
    """SQL: the keys of the parts `p` in tasks `t` given by `source` (a FROM ... WHERE ...), with sign * count."""
    return (f"SELECT {_PART_GROUP}, {sign}count(*) AS n FROM (SELECT {_part_key(p, t, dialect, flip)} "
            f"{source}) AS k GROUP BY {_PART_GROUP}")


def _part_netted(*parts: str) -> str:
    return (f"INSERT INTO part_summary ({_PART_COLUMNS}) SELECT {_PART_GROUP}, sum(n) FROM ("
            f"{' UNION ALL '.join(parts)}) AS c GROUP BY {_PART_GROUP} HAVING sum(n) <> 0 "
            f"ORDER BY {_PART_GROUP} {_PART_CONFLICT}")


def _part_of(ref: str, dialect: str, sign: str = "") -> str:
    """The part row `ref` (NEW or OLD) in its task, if the task is still there."""
    return _part_rows(ref, "t", f"FROM task t WHERE t.id = {ref}.task_id", dialect, sign)


def _parts_of_task(ref: str, dialect: str, sign: str = "") -> str:
    """The parts of the task row `ref` (NEW or OLD), keyed by that row's values."""
    return _part_rows("p", ref, f"FROM task_cooperation p WHERE p.task_id = {ref}.id", dialect, sign)


def _parts_of_directive(dialect: str, sign: str = "", flip: bool = False) -> str:
    return _part_rows("p", "t", "FROM task t JOIN task_cooperation p ON p.task_id = t.id WHERE t.directive_id = NEW.id",
                      dialect, sign, flip)


def _changed(ref_old: str, ref_new: str, columns: tuple[str, ...]) -> str:
    return " OR ".join(f"{ref_old}.{c} IS DISTINCT FROM {ref_new}.{c}" for c in columns)


PART_POSTGRES_DDL = [
    f"""CREATE OR REPLACE FUNCTION part_summary_part() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_part_netted(_part_of('NEW', 'postgresql'))};
  ELSIF TG_OP = 'DELETE' THEN
    {_part_netted(_part_of('OLD', 'postgresql', '-'))};
  ELSE
    {_part_netted(_part_of('NEW', 'postgresql'), _part_of('OLD', 'postgresql', '-'))};
  END IF;
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER part_summary_ins AFTER INSERT ON task_cooperation FOR EACH ROW "
    "EXECUTE FUNCTION part_summary_part()",
    "CREATE OR REPLACE TRIGGER part_summary_del AFTER DELETE ON task_cooperation FOR EACH ROW "
    "EXECUTE FUNCTION part_summary_part()",
    f"CREATE OR REPLACE TRIGGER part_summary_upd AFTER UPDATE ON task_cooperation FOR EACH ROW "
    f"WHEN ({_changed('OLD', 'NEW', _PART_KEYED)}) EXECUTE FUNCTION part_summary_part()",
    # A task's change of lead unit, directive, deadline or cancellation moves its parts.
    f"""CREATE OR REPLACE FUNCTION part_summary_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_part_netted(_parts_of_task('NEW', 'postgresql'), _parts_of_task('OLD', 'postgresql', '-'))};
  RETURN NULL;
END $$""",
    f"CREATE OR REPLACE TRIGGER part_summary_task_upd AFTER UPDATE ON task FOR EACH ROW "
    f"WHEN ({_changed('OLD', 'NEW', _PART_TASK_KEYED)}) EXECUTE FUNCTION part_summary_task()",
    # A task deleted: its parts go first, while the task still tells their keys (the cascade finds none).
    """CREATE OR REPLACE FUNCTION part_summary_task_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_cooperation WHERE task_id = OLD.id;
  RETURN OLD;
END $$""",
    "CREATE OR REPLACE TRIGGER part_summary_task_del BEFORE DELETE ON task FOR EACH ROW "
    "EXECUTE FUNCTION part_summary_task_delete()",
    f"""CREATE OR REPLACE FUNCTION part_summary_publish() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_part_netted(_parts_of_directive('postgresql'), _parts_of_directive('postgresql', '-', flip=True))};
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER part_summary_publish AFTER UPDATE OF published_at ON directive FOR EACH ROW "
    "WHEN ((OLD.published_at IS NULL) IS DISTINCT FROM (NEW.published_at IS NULL)) "
    "EXECUTE FUNCTION part_summary_publish()",
]
PART_POSTGRES_DROP = [f"DROP FUNCTION IF EXISTS {name}() CASCADE" for name in (
    "part_summary_publish", "part_summary_task_delete", "part_summary_task", "part_summary_part")]

PART_SQLITE_DDL = [
    f"CREATE TRIGGER IF NOT EXISTS part_summary_ai AFTER INSERT ON task_cooperation BEGIN "
    f"{_part_netted(_part_of('NEW', 'sqlite'))}; END",
    f"CREATE TRIGGER IF NOT EXISTS part_summary_ad AFTER DELETE ON task_cooperation BEGIN "
    f"{_part_netted(_part_of('OLD', 'sqlite', '-'))}; END",
    f"CREATE TRIGGER IF NOT EXISTS part_summary_au AFTER UPDATE OF {', '.join(_PART_KEYED)} ON task_cooperation "
    f"BEGIN {_part_netted(_part_of('NEW', 'sqlite'), _part_of('OLD', 'sqlite', '-'))}; END",
    f"CREATE TRIGGER IF NOT EXISTS part_summary_task_au AFTER UPDATE OF {', '.join(_PART_TASK_KEYED)} ON task "
    f"BEGIN {_part_netted(_parts_of_task('NEW', 'sqlite'), _parts_of_task('OLD', 'sqlite', '-'))}; END",
    "CREATE TRIGGER IF NOT EXISTS part_summary_task_bd BEFORE DELETE ON task BEGIN "
    "DELETE FROM task_cooperation WHERE task_id = OLD.id; END",
    f"CREATE TRIGGER IF NOT EXISTS part_summary_publish AFTER UPDATE OF published_at ON directive "
    f"WHEN (OLD.published_at IS NULL) <> (NEW.published_at IS NULL) BEGIN "
    f"{_part_netted(_parts_of_directive('sqlite'), _parts_of_directive('sqlite', '-', flip=True))}; END",
]
PART_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in (
    "part_summary_publish", "part_summary_task_bd", "part_summary_task_au", "part_summary_au", "part_summary_ad",
    "part_summary_ai")]


def part_ddl(dialect: str) -> list[str]:
    return PART_POSTGRES_DDL if dialect == "postgresql" else PART_SQLITE_DDL


def part_drop_ddl(dialect: str) -> list[str]:
    return PART_POSTGRES_DROP if dialect == "postgresql" else PART_SQLITE_DROP


def part_rebuilt_sql(dialect: str) -> str:
    """SQL: the part summary as recomputed from the parts and their tasks (the tests compare it with the kept one)."""
    return _part_rows("p", "t", "FROM task_cooperation p JOIN task t ON t.id = p.task_id", dialect)


def rebuild_parts(connection) -> None:
    """Recompute the part summary from the parts and their tasks."""
    connection.execute(text("DELETE FROM part_summary"))
    connection.execute(text(_part_netted(part_rebuilt_sql(connection.dialect.name))))


# --- the task total: the task summary without the unit ---------------------------------------------

class TaskTotal(db.Model):
    """The task summary added up over the lead units: n per (published, kind, deadline key), a couple of
    thousand rows whatever the number of units (`GET /api/v1/tasks`'s total for a user who sees every task).
    Kept by row triggers on task_summary itself (a rollup: ROLLUPS), so whatever changes the summary changes it."""

    __tablename__ = "task_total"

    published: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    deadline_key: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


# Kept as a rollup of task_summary (ROLLUPS, below).


# --- the directives' led tasks: which directives the dashboard lists -------------------------------

class DirectiveLed(db.Model):
    """How many tasks with a lead unit (n) a directive has: the dashboard's directive table lists, for a user
    who sees every task, the published directives with one (their number read here, not probed per directive
    over the tasks). Kept by triggers on task; a directive's row may hold 0."""

    __tablename__ = "directive_led"

    directive_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer, default=0)


_LED_CONFLICT = "ON CONFLICT (directive_id) DO UPDATE SET n = directive_led.n + excluded.n"


def _led_rows(rows: str, sign: str = "") -> str:
    return (f"SELECT directive_id, {sign}count(*) AS n FROM {rows} WHERE lead_unit_id IS NOT NULL "
            f"AND directive_id IS NOT NULL GROUP BY directive_id")


def _led_netted(*parts: str) -> str:
    return (f"INSERT INTO directive_led (directive_id, n) SELECT directive_id, sum(n) FROM ("
            f"{' UNION ALL '.join(parts)}) AS c GROUP BY directive_id HAVING sum(n) <> 0 ORDER BY directive_id "
            f"{_LED_CONFLICT}")


LED_POSTGRES_DDL = [
    f"""CREATE OR REPLACE FUNCTION directive_led_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_led_netted(_led_rows('new_rows'))};
  ELSIF TG_OP = 'DELETE' THEN
    {_led_netted(_led_rows('old_rows', '-'))};
  ELSE
    {_led_netted(_led_rows('new_rows'), _led_rows('old_rows', '-'))};
  END IF;
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER directive_led_ins AFTER INSERT ON task REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION directive_led_change()",
    "CREATE OR REPLACE TRIGGER directive_led_upd AFTER UPDATE ON task "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directive_led_change()",
    "CREATE OR REPLACE TRIGGER directive_led_del AFTER DELETE ON task REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION directive_led_change()",
]
LED_POSTGRES_DROP = ["DROP FUNCTION IF EXISTS directive_led_change() CASCADE"]


def _led_sqlite_add(row: str, sign: str) -> str:
    return (f"INSERT INTO directive_led (directive_id, n) SELECT {row}.directive_id, {sign}1 "
            f"WHERE {row}.lead_unit_id IS NOT NULL AND {row}.directive_id IS NOT NULL {_LED_CONFLICT};")


LED_SQLITE_DDL = [
    f"CREATE TRIGGER IF NOT EXISTS directive_led_ai AFTER INSERT ON task BEGIN {_led_sqlite_add('NEW', '')} END",
    f"CREATE TRIGGER IF NOT EXISTS directive_led_ad AFTER DELETE ON task BEGIN {_led_sqlite_add('OLD', '-')} END",
    "CREATE TRIGGER IF NOT EXISTS directive_led_au AFTER UPDATE OF directive_id, lead_unit_id ON task "
    f"BEGIN {_led_sqlite_add('OLD', '-')} {_led_sqlite_add('NEW', '')} END",
]
LED_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in ("directive_led_au", "directive_led_ad",
                                                                  "directive_led_ai")]


def led_ddl(dialect: str) -> list[str]:
    return LED_POSTGRES_DDL if dialect == "postgresql" else LED_SQLITE_DDL


def led_drop_ddl(dialect: str) -> list[str]:
    return LED_POSTGRES_DROP if dialect == "postgresql" else LED_SQLITE_DROP


def led_rebuilt_sql() -> str:
    """SQL: the directives' led task counts as recomputed from the tasks (the tests compare them)."""
    return _led_rows("task")


def rebuild_led(connection) -> None:
    connection.execute(text("DELETE FROM directive_led"))
    connection.execute(text(_led_netted(led_rebuilt_sql())))


# --- the rollups: the summaries added up over part of their key ---------------------------------------------

class UnitTotal(db.Model):
    """The task summary added up over the deadline keys: n per (lead unit, published, kind), a few hundred rows.

    With the open rows not yet overdue (a range of ix_task_summary_open), it gives each unit's figures
    of today (tracker.services.summary.grouped) without reading the open rows already overdue or the
    closed tasks' months. Kept by row triggers on task_summary itself, as TaskTotal is."""

    __tablename__ = "unit_total"
    # Clustered by published flag and kind (SQLite: WITHOUT ROWID): the figures, grouped by kind and unit,
    # are read in the key's order, no sort.
    __table_args__ = (PrimaryKeyConstraint("published", "kind", "lead_unit_id"), {"sqlite_with_rowid": False})

    lead_unit_id: Mapped[int] = mapped_column(Integer, autoincrement=False)
    published: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(12))
    n: Mapped[int] = mapped_column(Integer, default=0)


class PartTotal(db.Model):
    """The part summary added up over the deadline keys: n per (cooperating unit, lead unit, published, kind),
    at most a row per pair of units and kind. Kept by row triggers on part_summary, as UnitTotal is."""

    __tablename__ = "part_total"
    __table_args__ = (PrimaryKeyConstraint("published", "kind", "unit_id", "lead_unit_id"),
                      {"sqlite_with_rowid": False})  # as UnitTotal's

    unit_id: Mapped[int] = mapped_column(Integer, autoincrement=False)
    lead_unit_id: Mapped[int] = mapped_column(Integer, autoincrement=False)
    published: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(12))
    n: Mapped[int] = mapped_column(Integer, default=0)


class MonthTotal(db.Model):
    """The monthly summary added up over the lead units: the trend's figures per (published, month end), a
    row per month, for a dashboard of the whole tree (TaskMonth's ~6,000 rows at 20,000 tasks read as ~60).
    Kept by row triggers on task_month, as UnitTotal is on task_summary."""

    __tablename__ = "month_total"
    __table_args__ = (PrimaryKeyConstraint("published", "month_end"), {"sqlite_with_rowid": False})

    published: Mapped[bool] = mapped_column(Boolean)
    month_end: Mapped[date] = mapped_column(Date)
    overdue_at: Mapped[int] = mapped_column(Integer, default=0)
    overdue_after: Mapped[int] = mapped_column(Integer, default=0)
    done_on_time: Mapped[int] = mapped_column(Integer, default=0)
    done_late: Mapped[int] = mapped_column(Integer, default=0)


# The rollups: (table, the summary it adds up, the key it keeps, the sums it keeps).
ROLLUPS = (("task_total", "task_summary", ("published", "kind", "deadline_key"), ("n",)),  # migration 0020
           ("unit_total", "task_summary", ("published", "kind", "lead_unit_id"), ("n",)),  # 0022, and the next two
           ("part_total", "part_summary", ("published", "kind", "unit_id", "lead_unit_id"), ("n",)),
           ("month_total", "task_month", ("published", "month_end"), _MONTH_SUMS))


def _rollup_add(table: str, keys: tuple[str, ...], sums: tuple[str, ...], row: str, sign: str) -> str:
    columns = ", ".join(keys + sums)
    values = ", ".join([f"{row}.{k}" for k in keys] + [f"{sign}{row}.{c}" for c in sums])
    added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sums)
    return (f"INSERT INTO {table} ({columns}) SELECT {values} WHERE true "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added};")


def _rollups(tables: tuple[str, ...] | None) -> list[tuple]:
    """The entries of ROLLUPS (those of `tables` only, if given: a migration makes its own)."""
    return [rollup for rollup in ROLLUPS if tables is None or rollup[0] in tables]


def rollup_ddl(dialect: str, tables: tuple[str, ...] | None = None) -> list[str]:
    statements = []
    for table, source, keys, sums in _rollups(tables):
        add, take = _rollup_add(table, keys, sums, "NEW", ""), _rollup_add(table, keys, sums, "OLD", "-")
        if dialect == "postgresql":
            statements += [
                f"""CREATE OR REPLACE FUNCTION {table}_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {take}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {add}
  END IF;
  RETURN NULL;
END $$""",
                f"CREATE OR REPLACE TRIGGER {table}_change AFTER INSERT OR UPDATE OR DELETE ON {source} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_change()"]
        else:
            statements += [
                f"CREATE TRIGGER IF NOT EXISTS {table}_ai AFTER INSERT ON {source} BEGIN {add} END",
                f"CREATE TRIGGER IF NOT EXISTS {table}_ad AFTER DELETE ON {source} BEGIN {take} END",
                f"CREATE TRIGGER IF NOT EXISTS {table}_au AFTER UPDATE ON {source} BEGIN {take} {add} END"]
    return statements


def rollup_drop_ddl(dialect: str, tables: tuple[str, ...] | None = None) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP FUNCTION IF EXISTS {rollup[0]}_change() CASCADE" for rollup in _rollups(tables)]
    return [f"DROP TRIGGER IF EXISTS {rollup[0]}_{suffix}" for rollup in _rollups(tables)
            for suffix in ("au", "ad", "ai")]


def rollup_rebuilt_sql(table: str) -> str:
    """SQL: the rollup `table` as recomputed from its summary (the tests compare it with the kept one)."""
    _table, source, keys, sums = next(r for r in ROLLUPS if r[0] == table)
    added = ", ".join(f"sum({c}) AS {c}" for c in sums)
    return f"SELECT {', '.join(keys)}, {added} FROM {source} GROUP BY {', '.join(keys)}"


def rebuild_rollups(connection, tables: tuple[str, ...] | None = None) -> None:
    """Recompute the rollups (those of `tables`) from their summaries."""
    for table, _source, keys, sums in _rollups(tables):
        nonzero = " OR ".join(f"sum({c}) <> 0" for c in sums)
        connection.execute(text(f"DELETE FROM {table}"))
        connection.execute(text(f"INSERT INTO {table} ({', '.join(keys + sums)}) {rollup_rebuilt_sql(table)} "
                                f"HAVING {nonzero}"))


# --- the parts' task columns: a unit's cooperated overdue tasks from an index ----------------------------
# task_cooperation.task_open and task_deadline copy the task's state (open or submitted: not closed) and deadline
# beside each of its parts (tracker.models.task.CooperatingPart), kept by triggers: a part takes its task's when
# it is written, and a task's parts follow it when its state opens or closes or its deadline moves.

_OPEN = "('open', 'submitted')"
_PART_TASK_CHANGED = (f"(OLD.state IN {_OPEN}) IS DISTINCT FROM (NEW.state IN {_OPEN}) "
                      "OR OLD.deadline IS DISTINCT FROM NEW.deadline")

PART_TASK_POSTGRES_DDL = [
    f"""CREATE OR REPLACE FUNCTION part_task_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT t.state IN {_OPEN}, t.deadline INTO NEW.task_open, NEW.task_deadline FROM task t WHERE t.id = NEW.task_id;
  NEW.task_open := coalesce(NEW.task_open, false);
  RETURN NEW;
END $$""",
    "CREATE OR REPLACE TRIGGER part_task_fill BEFORE INSERT OR UPDATE OF task_id ON task_cooperation "
    "FOR EACH ROW EXECUTE FUNCTION part_task_fill()",
    f"""CREATE OR REPLACE FUNCTION part_task_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_cooperation SET task_open = NEW.state IN {_OPEN}, task_deadline = NEW.deadline WHERE task_id = NEW.id;
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER part_task_follow AFTER UPDATE OF state, deadline ON task FOR EACH ROW "
    f"WHEN ({_PART_TASK_CHANGED}) EXECUTE FUNCTION part_task_follow()",
]
PART_TASK_POSTGRES_DROP = ["DROP FUNCTION IF EXISTS part_task_follow() CASCADE",
                           "DROP FUNCTION IF EXISTS part_task_fill() CASCADE"]
_PART_TASK_FILL = (f"UPDATE task_cooperation SET task_open = coalesce((SELECT state IN {_OPEN} FROM task "
                   "WHERE id = NEW.task_id), 0), task_deadline = (SELECT deadline FROM task WHERE id = NEW.task_id) "
                   "WHERE task_id = NEW.task_id AND unit_id = NEW.unit_id;")
PART_TASK_SQLITE_DDL = [
    f"CREATE TRIGGER IF NOT EXISTS part_task_ai AFTER INSERT ON task_cooperation BEGIN {_PART_TASK_FILL} END",
    f"CREATE TRIGGER IF NOT EXISTS part_task_au AFTER UPDATE OF task_id ON task_cooperation BEGIN {_PART_TASK_FILL} END",
    f"CREATE TRIGGER IF NOT EXISTS part_task_follow AFTER UPDATE OF state, deadline ON task WHEN {_PART_TASK_CHANGED} "
    f"BEGIN UPDATE task_cooperation SET task_open = NEW.state IN {_OPEN}, task_deadline = NEW.deadline "
    "WHERE task_id = NEW.id; END",
]
PART_TASK_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in ("part_task_follow", "part_task_au",
                                                                       "part_task_ai")]


def part_task_ddl(dialect: str) -> list[str]:
    return PART_TASK_POSTGRES_DDL if dialect == "postgresql" else PART_TASK_SQLITE_DDL


def part_task_drop_ddl(dialect: str) -> list[str]:
    return PART_TASK_POSTGRES_DROP if dialect == "postgresql" else PART_TASK_SQLITE_DROP


PART_TASK_DIFFERENT_SQL = (  # the parts whose copied columns differ from their task's (the tests expect none)
    f"SELECT c.task_id, c.unit_id FROM task_cooperation c JOIN task t ON t.id = c.task_id "
    f"WHERE c.task_open <> (t.state IN {_OPEN}) OR c.task_deadline IS DISTINCT FROM t.deadline")


def rebuild_part_tasks(connection) -> None:
    """Copy each task's state and deadline beside its parts (the migration and the bulk load fill them so)."""
    connection.execute(text(f"UPDATE task_cooperation SET task_open = t.state IN {_OPEN}, task_deadline = t.deadline "
                            "FROM task t WHERE t.id = task_cooperation.task_id AND "
                            f"(task_cooperation.task_open <> (t.state IN {_OPEN}) "
                            "OR task_cooperation.task_deadline IS DISTINCT FROM t.deadline)"))


# The triggers go with the schema wherever create_all makes it (the tests, `flask init-db`): on the
# metadata, once `task` and `directive` exist (the summary table, with no foreign key, may come first).
@event.listens_for(db.metadata, "after_create")
def _create_triggers(_target, connection, **_kw) -> None:
    dialect = connection.dialect.name
    for statement in (ddl(dialect) + month_ddl(dialect) + part_ddl(dialect) + led_ddl(dialect)
                      + rollup_ddl(dialect) + part_task_ddl(dialect)):
        connection.execute(DDL(statement))
    fill_month_ends(connection)


@event.listens_for(db.metadata, "before_drop")
def _drop_triggers(_target, connection, **_kw) -> None:
    dialect = connection.dialect.name
    for statement in (part_task_drop_ddl(dialect) + rollup_drop_ddl(dialect) + led_drop_ddl(dialect)
                      + part_drop_ddl(dialect) + month_drop_ddl(dialect) + drop_ddl(dialect)):
        connection.execute(DDL(statement))
