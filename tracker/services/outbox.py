"""The e-mail outbox and in-app notifications: each queued once per key, never committed here.

A key is queued once however often or in how many processes the planner
runs (a unique key and INSERT ... ON CONFLICT DO NOTHING: reliability.md
row 4). The dispatcher that sends the rows, with its leases, retries and
per-row commits, is tracker.dispatch; its timings are defined here, beside
the rows they govern.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import String, any_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tracker.database import db
from tracker.models import Notification, OutboxMessage, User
from tracker.timeutil import utcnow

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
           timedelta(hours=4))
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = timedelta(minutes=5)
BATCH = 50


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model))


def enqueue_email(*, key: str, kind: str, user: User, subject: str, text: str, html: str, message_id: str,
                  planned_for: date, task_id: int | None = None, deadline: date | None = None,
                  occurrence: int = 1, now: datetime | None = None, part_unit_id: int | None = None) -> bool:
    """Queue an e-mail unless one with `key` exists; return True if this call queued it.

    `part_unit_id` marks a cooperating part's reminder (the part of that unit in task `task_id`).
    """
    now = now or utcnow()
    stmt = _insert(OutboxMessage).values(
        dedupe_key=key[:200], kind=kind, occurrence=occurrence, task_id=task_id, user_id=user.id, deadline=deadline,
        part_unit_id=part_unit_id,
        planned_for=planned_for, to_addr=user.email, subject=subject[:500], body_text=text, body_html=html,
        message_id=message_id, state="pending", attempts=0, next_attempt_at=now, last_error="", attempt_log=[],
        created_at=now,
    ).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OutboxMessage.id)
    return db.session.execute(stmt).scalar() is not None  # (rowcount is -1 here with psycopg 3)


def enqueue_notification(*, key: str, kind: str, user: User, task_id: int | None, title: str,
                         now: datetime | None = None) -> bool:
    """Add an in-app notification unless one with `key` exists."""
    stmt = _insert(Notification).values(
        user_id=user.id, kind=kind, task_id=task_id, title=title[:500], created_at=now or utcnow(), dedupe_key=key[:200],
    ).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(Notification.id)
    return db.session.execute(stmt).scalar() is not None


def retry_failed() -> int:
    """Put failed rows back in the queue (admin's "retry failed" button)."""
    result = db.session.execute(update(OutboxMessage).where(OutboxMessage.state == "failed")
                                .values(state="pending", attempts=0, next_attempt_at=utcnow(), lease_until=None))
    return result.rowcount


KEYS_PER_QUERY = 500


def existing_keys(model, keys: list[str]) -> set[str]:
    """Which of `keys` already have a row of `model` (an outbox message or a notification).

    PostgreSQL: one query with the keys as one array parameter (`= ANY(...)`),
    not long IN lists; SQLite: IN lists of KEYS_PER_QUERY keys.
    """
    keys = [k[:200] for k in keys]
    if not keys:
        return set()
    if db.session.get_bind().dialect.name == "postgresql":
        wanted = bindparam("keys", keys, type_=postgresql.ARRAY(String))
        return set(db.session.scalars(select(model.dedupe_key).where(model.dedupe_key == any_(wanted))))
    found: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        found.update(db.session.scalars(select(model.dedupe_key).where(
            model.dedupe_key.in_(keys[start:start + KEYS_PER_QUERY]))))
    return found


def enqueue_rows(model, rows: list[dict]) -> set[str]:
    """Insert many outbox messages or notifications (dicts of the same columns), each unless its key exists.

    No ORM objects, and still once per key across processes (ON CONFLICT DO
    NOTHING on the unique key). PostgreSQL: one statement, `INSERT ...
    SELECT FROM unnest(...)` with one array parameter per column, so its
    text is short whatever the number of rows (a multi-row VALUES list costs
    the driver more to parse than the server to insert). SQLite: one Core
    INSERT sent with many rows per round trip (SQLAlchemy's
    "insertmanyvalues"). Return the keys this call queued.
    """
    if not rows:
        return set()
    table = model.__table__
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return _insert_unnest(connection, table, rows)
    stmt = _insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.dedupe_key)
    return set(connection.execute(stmt, rows).scalars())


def _insert_unnest(connection, table, rows: list[dict]) -> set[str]:
    """PostgreSQL: `rows` in one INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING RETURNING.

    Each column's values go through its type's bind processing (JSON,
    UTCDateTime) and are sent as one array in binary (no quoting to do), cast
    to the column's type; a value the same in every row (empty bodies, the
    state, the time queued) is sent once.
    """
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    varying, fixed, arrays, constants, params = [], [], [], [], {}
    for position, name in enumerate(rows[0]):
        column = table.c[name]
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        sql_type = column.type.compile(dialect=dialect)
        first = rows[0][name]
        if all(row[name] == first for row in rows):
            fixed.append(quote(name))
            params[f"p{position}"] = process(first) if process else first
            constants.append(f"%(p{position})s::{sql_type}")
        else:
            varying.append(quote(name))
            values = [row[name] for row in rows]
            params[f"p{position}"] = [process(v) for v in values] if process else values
            arrays.append(f"%(p{position})b::{sql_type}[]")
    selected = ", ".join((["*"] if arrays else []) + constants)
    source = f" FROM unnest({', '.join(arrays)})" if arrays else ""
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({', '.join(varying + fixed)}) "
           f"SELECT {selected}{source} ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key")
    return set(connection.exec_driver_sql(sql, params).scalars())
