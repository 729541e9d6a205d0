"""`flask backup PATH` and `flask restore PATH`: a consistent copy of the database and the uploads.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the
database in one step into PATH/tracker.db while the app keeps running: the
copy is a snapshot of one instant, whatever is being written meanwhile.
PostgreSQL: `pg_dump -Fc` into PATH/tracker.dump, taken in an exported
snapshot so the row counts of the manifest describe exactly the dump.

The uploads are copied into PATH/uploads *after* the database: a file is
written before the row that names it is committed, so every attachment in
the copy has its file. PATH/manifest.json records the time, the backend,
the schema revision and the row count of each table; `flask restore`
checks the copy against it before and after restoring.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, text

from tracker.database import db
from tracker.timeutil import utcnow

MANIFEST = "manifest.json"
SQLITE_FILE = "tracker.db"
PG_FILE = "tracker.dump"
UPLOADS = "uploads"
FORMAT = 1


class BackupError(click.ClickException):
    """A backup or restore that cannot be done; the message says why."""


# --- helpers --------------------------------------------------------------------------------

def _sqlite_path() -> Path:
    url = db.engine.url
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database).resolve()


def _libpq_url() -> str:
    """The database URL as pg_dump and pg_restore understand it (no SQLAlchemy driver name)."""
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not on PATH: install the PostgreSQL client tools "
                          f"(Debian: apt-get install postgresql-client) matching the server's version")
    return path


def sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _sqlite_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _sql_counts(conn) -> dict[str, int]:
    names = sorted(inspect(conn).get_table_names())
    return {name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names}


def _sql_revision(conn) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _copy_uploads(source: Path, target: Path) -> dict[str, int]:
    """Copy the stored files (not half-written `.part` files); return how many and their size."""
    files = size = 0
    target.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        for item in sorted(source.iterdir()):
            if item.is_file() and not item.name.endswith(".part"):
                shutil.copy2(item, target / item.name)
                files += 1
                size += item.stat().st_size
    return {"files": files, "bytes": size}


def _check_empty_dir(path: Path, what: str) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{what} {path} is not an empty directory: choose a new one "
                          f"(for example one named after today's date)")


def read_manifest(path: Path) -> dict:
    file = path / MANIFEST
    if not file.is_file():
        raise BackupError(f"{file} not found: {path} is not a backup made by `flask backup`")
    manifest = json.loads(file.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} in {file}")
    return manifest


def check_sqlite_copy(file: Path, manifest: dict) -> None:
    """Refuse a copy that is damaged or does not hold what its manifest says."""
    conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"{file} is damaged: integrity_check says {result}")
        counts = sqlite_counts(conn)
    finally:
        conn.close()
    if counts != manifest["tables"]:
        raise BackupError(f"{file} does not match {MANIFEST}: row counts differ")


# --- backup ---------------------------------------------------------------------------------

def backup(path: Path) -> dict:
    """Write a backup of the database and the uploads into `path` (new or empty); return the manifest."""
    path = Path(path)
    _check_empty_dir(path, "the backup directory")
    path.mkdir(parents=True, exist_ok=True)
    backend = db.engine.dialect.name
    manifest = {"format": FORMAT, "created_at": utcnow().isoformat(), "backend": backend}
    if backend == "sqlite":
        source_file = _sqlite_path()
        if not source_file.exists():
            raise BackupError(f"database file {source_file} not found")
        target_file = path / SQLITE_FILE
        source = sqlite3.connect(str(source_file), timeout=30)
        target = sqlite3.connect(str(target_file))
        try:
            source.execute("PRAGMA busy_timeout=30000")
            source.backup(target)  # all pages in one step: one consistent instant, writers go on (WAL)
        finally:
            source.close()
        try:
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            manifest["schema_revision"] = _sqlite_revision(target)
            manifest["tables"] = sqlite_counts(target)
        finally:
            target.close()
        manifest["database"] = SQLITE_FILE
    elif backend == "postgresql":
        pg_dump = _tool("pg_dump")
        target_file = path / PG_FILE
        with db.engine.connect() as conn:
            conn.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            manifest["schema_revision"] = _sql_revision(conn)
            manifest["tables"] = _sql_counts(conn)
            # pg_dump reads the very snapshot the counts were taken in (kept alive by this transaction).
            result = subprocess.run([pg_dump, "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                                     "-f", str(target_file), "-d", _libpq_url()],
                                    capture_output=True, text=True, check=False)
            conn.exec_driver_sql("COMMIT")
        if result.returncode != 0:
            raise BackupError("pg_dump failed: " + (result.stderr.strip().splitlines() or ["?"])[-1])
        manifest["database"] = PG_FILE
    else:
        raise BackupError(f"no backup method for the {backend} backend")
    manifest["uploads"] = _copy_uploads(Path(current_app.config["UPLOAD_FOLDER"]), path / UPLOADS)
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    return manifest


# --- restore --------------------------------------------------------------------------------

def _target_has_rows() -> bool:
    with db.engine.connect() as conn:
        counts = _sql_counts(conn)
    return any(n for name, n in counts.items() if name != "alembic_version")


def restore(path: Path, force: bool = False) -> dict:
    """Bring back the backup in `path` into the configured database and upload folder; return its manifest."""
    path = Path(path)
    manifest = read_manifest(path)
    backend = db.engine.dialect.name
    if manifest["backend"] != backend:
        raise BackupError(f"this backup is of a {manifest['backend']} database; the app uses {backend}")
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    if backend == "sqlite":
        _sqlite_path().parent.mkdir(parents=True, exist_ok=True)  # a fresh place: its folder may not exist yet
    if not force:
        if _target_has_rows():
            raise BackupError("the target database is not empty: restoring would replace its data "
                              "(add --force to do that)")
        if uploads.is_dir() and any(uploads.iterdir()):
            raise BackupError(f"the upload folder {uploads} is not empty (add --force to replace its files)")
    db.session.remove()
    db.engine.dispose()
    if backend == "sqlite":
        source_file = path / manifest["database"]
        check_sqlite_copy(source_file, manifest)
        target_file = _sqlite_path()
        source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
        target = sqlite3.connect(str(target_file), timeout=30)
        try:
            source.backup(target)
            result = target.execute("PRAGMA integrity_check").fetchone()[0]
            counts = sqlite_counts(target)
        finally:
            source.close()
            target.close()
        if result != "ok" or counts != manifest["tables"]:
            raise BackupError(f"the restored database does not match the backup (integrity_check: {result})")
    elif backend == "postgresql":
        pg_restore = _tool("pg_restore")
        result = subprocess.run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                                 "--single-transaction", "--exit-on-error", "-d", _libpq_url(),
                                 str(path / manifest["database"])],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError("pg_restore failed: " + (result.stderr.strip().splitlines() or ["?"])[-1])
        with db.engine.connect() as conn:
            counts = _sql_counts(conn)
        missing = {name: n for name, n in manifest["tables"].items() if counts.get(name) != n}
        if missing:
            raise BackupError(f"the restored database does not match the backup: {sorted(missing)}")
    else:
        raise BackupError(f"no restore method for the {backend} backend")
    if force and uploads.is_dir():
        for item in uploads.iterdir():
            if item.is_file():
                item.unlink()
    _copy_uploads(path / UPLOADS, uploads)
    return manifest


# --- commands -------------------------------------------------------------------------------

@click.command("backup")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Back up the database and the uploaded files into PATH (a new or empty directory)."""
    manifest = backup(path)
    rows = sum(manifest["tables"].values())
    click.echo(f"Backup written to {path}: {manifest['database']} ({len(manifest['tables'])} tables, {rows} rows), "
               f"{manifest['uploads']['files']} uploaded files.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the data of a database (and upload folder) that is not empty.")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Restore the database and the uploaded files from a backup made by `flask backup`."""
    manifest = restore(path, force=force)
    rows = sum(manifest["tables"].values())
    click.echo(f"Restored {path} (made {manifest['created_at']}): {rows} rows, "
               f"{manifest['uploads']['files']} uploaded files.")

