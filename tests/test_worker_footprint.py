"""What a web worker holds: serving pages never loads the migration tools, the holiday tables' package,
lxml nor the conclusion assistant's rules.

Flask-Migrate (Alembic, Mako: ~11 MB) is set up on first use, and the
working-day calendar reads Vietnam's public holidays from
tracker/rules/vn_public_holidays.json instead of importing `holidays`
(~450 modules, ~19 MB). lxml (~4.6 MB resident) loads with the first
workbook or document read, the conclusion assistant's rules (~4 MB) with the
first text read. Each check runs in a fresh interpreter.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(code: str) -> list[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.splitlines()


def test_serving_pages_loads_no_rare_route_library(tmp_path):
    lines = run(f"""
import sys
from tracker import create_app
from tracker.demo import load_demo
from tracker.database import db
app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite:///{tmp_path / 'w.db'}")
with app.app_context():
    db.create_all()
    load_demo()
    db.session.commit()
client = app.test_client()
assert client.post("/login", data={{"username": "nga.tt", "password": "tracker-demo"}}).status_code == 302
for path in ("/tasks", "/tasks?view=mine", "/dashboard", "/directives", "/notifications"):
    assert client.get(path).status_code == 200, path
print("alembic", "alembic" in sys.modules)
print("holidays", "holidays" in sys.modules)
print("lxml", "lxml" in sys.modules)
print("assistant", "tracker.rules.extract._core" in sys.modules)
with app.app_context():
    print("migrations", app.extensions["migrate"].migrate.get_config().get_main_option("script_location"))
print("alembic later", "alembic" in sys.modules)
""")
    assert lines == ["alembic False", "holidays False", "lxml False", "assistant False", f"migrations {ROOT / 'migrations'}", "alembic later True"]


def test_a_preloaded_app_shares_no_connection_with_the_workers_forked_from_it(tmp_path):
    lines = run(f"""
import os
from sqlalchemy import text
from tracker import create_app
from tracker.database import db
app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite:///{tmp_path / 'f.db'}")
with app.app_context():
    print("opened at build", db.engine.pool.checkedin() + db.engine.pool.checkedout())
    db.session.execute(text("SELECT 1"))
    db.session.remove()
    parent = db.engine.pool.checkedin()
pid = os.fork()
if pid == 0:
    with app.app_context():
        os.write(1, f"child pool {{db.engine.pool.checkedin()}} {{db.session.scalar(text('SELECT 2'))}}\\n".encode())
    os._exit(0)
os.waitpid(pid, 0)
print("parent pool", parent)
""")
    assert lines == ["opened at build 0", "child pool 0 2", "parent pool 1"]
