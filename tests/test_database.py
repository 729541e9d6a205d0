"""The data layer: foreign keys, SQLite settings and time stamps stored as UTC on both backends."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, text
from sqlalchemy.exc import IntegrityError, StatementError

from tracker.database import deferred_transactions
from tracker.demo import add_unit, add_user
from tracker.models import LoginAttempt, Unit, User


def test_a_user_in_a_missing_unit_is_refused(db):
    db.session.add(User(username="ghost", full_name="Không có đơn vị", unit_id=9999, role="staff"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.query(User).count() == 0


def test_a_unit_under_a_missing_parent_is_refused(db):
    db.session.add(Unit(code="ORPHAN", name="Đơn vị mồ côi", parent_id=4242, path="/4242/1/"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_unit_with_users_cannot_be_deleted_behind_the_apps_back(db):
    unit = add_unit("SNV", "Sở Nội vụ")
    add_user("binh.lv", "Lê Văn Bình", unit, "leader")
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(delete(Unit).where(Unit.id == unit.id))
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Unit, unit.id) is not None


@pytest.mark.sqlite_only
def test_sqlite_connections_enforce_foreign_keys_and_use_wal(db):
    # Outside a request, transactions begin IMMEDIATE (a write lock): read in deferred mode,
    # as read-only jobs do, so that several connections can be open at once.
    with deferred_transactions():
        check_pragmas(db)


def check_pragmas(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    # Every pooled connection, not only the first.
    connections = [db.engine.connect() for _ in range(3)]
    try:
        assert [c.exec_driver_sql("PRAGMA foreign_keys").scalar() for c in connections] == [1, 1, 1]
    finally:
        for c in connections:
            c.close()


# --- time stamps ----------------------------------------------------------------------

def store_and_reload(db, moment: datetime) -> datetime:
    row = LoginAttempt(username="hypothesis", ip="", success=False, at=moment)
    db.session.add(row)
    db.session.commit()
    row_id = row.id
    db.session.expunge_all()  # read from the database, not from the identity map
    return db.session.get(LoginAttempt, row_id).at


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2200, 12, 31),
                           timezones=st.timezones(), allow_imaginary=False))
def test_aware_datetimes_round_trip_as_the_same_instant_in_utc(db, moment):
    loaded = store_and_reload(db, moment)
    # The same instant. (Compare in UTC: == between zones is always False for a wall time
    # that a DST change repeats or skips, PEP 495.)
    assert loaded == moment.astimezone(timezone.utc)
    assert loaded.tzinfo == timezone.utc
    assert loaded.utcoffset() == timedelta(0)
    assert loaded.timestamp() == moment.timestamp()


def test_a_naive_datetime_is_refused(db):
    db.session.add(LoginAttempt(username="naive", ip="", success=False, at=datetime(2026, 3, 5, 8, 0)))
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.commit()
    db.session.rollback()


def test_the_stored_value_is_utc(db):
    hanoi = timezone(timedelta(hours=7))
    store_and_reload(db, datetime(2026, 3, 6, 1, 30, 15, 123456, tzinfo=hanoi))
    if db.engine.dialect.name == "sqlite":
        stored = db.session.execute(text("SELECT at FROM login_attempt")).scalar()
        assert stored.startswith("2026-03-05 18:30:15.123456")
    else:
        stored = db.session.execute(text("SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') "
                                         "FROM login_attempt")).scalar()
        assert stored == "2026-03-05 18:30:15.123456"


def test_comparisons_in_sql_use_the_instant(db):
    """A UTC instant stored from +07:00 compares correctly with one given in UTC."""
    hanoi = timezone(timedelta(hours=7))
    store_and_reload(db, datetime(2026, 3, 6, 1, 30, tzinfo=hanoi))  # 18:30 UTC the day before
    before = datetime(2026, 3, 5, 18, 29, tzinfo=timezone.utc)
    after = datetime(2026, 3, 5, 18, 31, tzinfo=timezone.utc)
    assert db.session.query(LoginAttempt).filter(LoginAttempt.at > before).count() == 1
    assert db.session.query(LoginAttempt).filter(LoginAttempt.at > after).count() == 0


def test_compiled_statements_kept_per_worker_are_bounded(db):
    # ~54 KB each: SQLAlchemy's default of 500 would let a long-lived worker grow by ~27 MB.
    assert db.engine._compiled_cache.capacity == 150
