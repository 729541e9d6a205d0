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

from sqlalchemy import DDL, Boolean, Date, Integer, String, event, text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import db

NO_DEADLINE = date(9999, 12, 31)  # the deadline key of ongoing tasks (no deadline)
KINDS = ("open", "done_on_time", "done_late", "cancelled")


class TaskSummary(db.Model):
    """How many tasks (n) a unit leads with one (published, kind, deadline key): see the module's docstring."""

    __tablename__ = "task_summary"

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


# The triggers go with the schema wherever create_all makes it (the tests, `flask init-db`): on the
# metadata, once `task` and `directive` exist (the summary table, with no foreign key, may come first).
@event.listens_for(db.metadata, "after_create")
def _create_triggers(_target, connection, **_kw) -> None:
    for statement in ddl(connection.dialect.name):
        connection.execute(DDL(statement))


@event.listens_for(db.metadata, "before_drop")
def _drop_triggers(_target, connection, **_kw) -> None:
    for statement in drop_ddl(connection.dialect.name):
        connection.execute(DDL(statement))
