"""The migrations build the models' schema from nothing, on SQLite and PostgreSQL, and undo it."""
from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, make_url, text

from config import database_url
from tests.conftest import flask_command
from tracker.database import db as _db
from tracker.models.search import include_name

PG_URL = database_url(os.environ.get("TEST_DATABASE_URL", ""))

pytestmark = pytest.mark.usefixtures("cli_context")


def flask(app, *args: str):
    result = flask_command(app, *args)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def drift(app) -> list:
    """What autogenerate would still change: [] when the migrations match the models."""
    with app.app_context(), _db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True,
                                                                "include_name": include_name})
        return compare_metadata(context, _db.metadata)


def tables(app) -> set[str]:
    with app.app_context():
        return {t for t in inspect(_db.engine).get_table_names() if include_name(t, "table", {})}


def revision(app) -> str | None:
    with app.app_context(), _db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def heads(app) -> str:
    from alembic.script import ScriptDirectory

    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    found = script.get_heads()
    assert len(found) == 1, f"the migrations must have one head, not {found}"
    return found[0]


def check_round_trip(app) -> None:
    model_tables = set(_db.metadata.tables)
    assert tables(app) == set()

    flask(app, "db", "upgrade")
    assert tables(app) == model_tables | {"alembic_version"}
    assert revision(app) == heads(app)
    assert drift(app) == []
    flask(app, "db", "check")  # what CI runs: "No new upgrade operations detected."

    # One step back and forward again.
    flask(app, "db", "downgrade")  # the default: -1
    flask(app, "db", "upgrade")
    assert drift(app) == []

    # All the way down: nothing of the app remains, and it comes back identical.
    flask(app, "db", "downgrade", "base")
    assert tables(app) <= {"alembic_version"}
    assert revision(app) is None
    flask(app, "db", "upgrade", "head")
    assert tables(app) == model_tables | {"alembic_version"}
    assert drift(app) == []


def test_migrations_on_an_empty_sqlite_file(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'migrations.db'}")
    check_round_trip(app)


def test_the_migrated_sqlite_schema_enforces_foreign_keys(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'migrations.db'}")
    flask(app, "db", "upgrade")
    with app.app_context(), _db.engine.connect() as conn:
        fks = inspect(conn).get_foreign_keys("user")
        assert any(fk["referred_table"] == "unit" and fk["constrained_columns"] == ["unit_id"] for fk in fks)
        uniques = inspect(conn).get_unique_constraints("user")
        assert any(u["column_names"] == ["username"] for u in uniques)


@pytest.fixture
def empty_postgres_database():
    """A database of its own on the test server (the other tests share TEST_DATABASE_URL's)."""
    import psycopg

    server = make_url(PG_URL)
    name = f"tracker_migrations_{uuid.uuid4().hex[:8]}"
    admin_dsn = server.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres_only
def test_migrations_on_an_empty_postgres_database(make_app, empty_postgres_database):
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_postgres_database)
    try:
        check_round_trip(app)
    finally:
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()  # let the database be dropped



def check_assigned_on_backfill(app) -> None:
    """0009 gives existing tasks the day they were assigned: the issue date unless added after publication."""
    from alembic.script import ScriptDirectory

    from tracker.demo import load_demo

    flask(app, "db", "upgrade")
    with app.app_context():
        load_demo()
        _db.session.commit()
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        before = script.get_revision("0009").down_revision
        issued = _db.session.execute(text("SELECT issued_on FROM directive")).scalar()
        _db.session.remove()
    flask(app, "db", "downgrade", before)
    with app.app_context(), _db.engine.begin() as conn:
        # Recorded 40 days late: the notice and its first tasks typed in today, one task added a week later.
        conn.execute(text("UPDATE directive SET published_at = :at"), {"at": "2030-01-01 10:00:00"})
        conn.execute(text("UPDATE task SET created_on = '2030-01-01', created_at = '2030-01-01 09:00:00'"))
        conn.execute(text("UPDATE task SET created_on = '2030-01-08', created_at = '2030-01-08 09:00:00' "
                          "WHERE id = (SELECT MAX(id) FROM task)"))
    flask(app, "db", "upgrade")
    with app.app_context(), _db.engine.connect() as conn:
        rows = conn.execute(text("SELECT assigned_on FROM task ORDER BY id")).scalars().all()
    as_dates = [str(r) for r in rows]
    assert as_dates[:-1] == [str(issued)] * (len(rows) - 1)
    assert as_dates[-1] == "2030-01-08"


def test_assigned_on_backfill_on_sqlite(make_app, tmp_path):
    check_assigned_on_backfill(make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'backfill.db'}"))


@pytest.mark.postgres_only
def test_assigned_on_backfill_on_postgres(make_app, empty_postgres_database):
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_postgres_database)
    try:
        check_assigned_on_backfill(app)
    finally:
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()
