"""No N+1: the number of SQL statements of a page or API list does not depend on how many rows it shows.

Two databases are filled by the benchmark's generator (bench/generate.py),
one with a handful of tasks and one with several times more; each page is
requested in both as the same kind of user and its statements are counted
with a `before_cursor_execute` listener. Counts, not timings.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select

from tracker.database import db

pytestmark = pytest.mark.sqlite_only  # two SQLite files side by side

PASSWORD = "bench-password"
PAGES = ("task list", "my tasks", "directive page", "dashboard", "api tasks", "api directives")


def _fill(make_app, path, tasks: int):
    """An app on a fresh database at `path` holding `tasks` generated tasks; return (app, who and what)."""
    from bench.generate import generate
    from tracker.models import Directive, Task, Unit, User
    from tracker.services.tokens import create_token

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.create_all()
        generate(tasks, today=date.today(), users_per_unit=5)
        root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
        leader = db.session.scalar(select(User).where(User.unit_id == root.id, User.role == "leader"))
        staff_id = db.session.execute(
            select(Task.assignee_id).join(User, User.id == Task.assignee_id).where(User.role == "staff")
            .group_by(Task.assignee_id).order_by(func.count().desc(), Task.assignee_id)).first()[0]
        directive_id = db.session.execute(
            select(Task.directive_id).join(Directive).where(Directive.published_at.is_not(None))
            .group_by(Task.directive_id).order_by(func.count().desc(), Task.directive_id)).first()[0]
        _row, token = create_token(leader, "counts", actor=leader, ip="test")
        db.session.commit()
        info = {"leader": leader.username, "staff": db.session.get(User, staff_id).username,
                "directive": directive_id, "token": token,
                "tasks": db.session.scalar(select(func.count()).select_from(Task))}
    return app, info


def _counts(app, info) -> dict[str, tuple[int, int]]:
    """Per page: (statements, size of the response) of one request after a warm-up."""
    statements = []

    def count(conn, cursor, statement, params, context, executemany):
        statements.append(statement)

    def signed_in(username):
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302
        return client

    context = app.app_context()  # the test clients commit the test's session around each request
    context.push()
    leader, staff, anonymous = signed_in(info["leader"]), signed_in(info["staff"]), app.test_client()
    bearer = {"Authorization": f"Bearer {info['token']}"}
    requests = {
        "task list": (leader, "/tasks?per_page=100", {}),
        "my tasks": (staff, "/tasks?view=mine&per_page=100", {}),
        "directive page": (leader, f"/directives/{info['directive']}", {}),
        "dashboard": (leader, "/dashboard", {}),
        "api tasks": (anonymous, "/api/v1/tasks?per_page=100", {"headers": bearer}),
        "api directives": (anonymous, "/api/v1/directives?per_page=100", {"headers": bearer}),
    }
    result = {}
    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for name, (client, path, kw) in requests.items():
            assert client.get(path, **kw).status_code == 200, name  # warm-up: caches filled
            statements.clear()
            response = client.get(path, **kw)
            assert response.status_code == 200, name
            result[name] = (len(statements), len(response.data))
    finally:
        event.remove(engine, "before_cursor_execute", count)
        db.session.remove()
        context.pop()
    return result


def test_statements_per_page_do_not_grow_with_rows(make_app, tmp_path):
    small_app, small = _fill(make_app, tmp_path / "small.db", 5)
    large_app, large = _fill(make_app, tmp_path / "large.db", 40)
    assert large["tasks"] >= 5 * small["tasks"] // 2
    few, many = _counts(small_app, small), _counts(large_app, large)
    for name in ("task list", "dashboard", "api tasks", "api directives"):  # these show every task or directive
        assert many[name][1] > few[name][1], f"{name}: the larger page shows no more"
    assert {n: few[n][0] for n in PAGES} == {n: many[n][0] for n in PAGES}


def test_leader_dashboard_after_a_change_in_eight_statements(make_app, tmp_path):
    """The province leader's dashboard counted and rendered again (the page cache off, as after a task's change)
    reads in 8 statements: each is a round trip on PostgreSQL (issue 20). The session with the data and
    reference versions and the bell's count; the units; the summaries' checks, rows and transfers; the trend;
    the directives with their counts; the overdue and due-soon lists; the report's signers; the periodic tasks.
    The reminder rules and the calendar are kept until the reference data changes (a task's change leaves
    them)."""
    app, info = _fill(make_app, tmp_path / "bench.db", 40)
    statements = []

    def count(conn, cursor, statement, params, context, executemany):
        if not statement.startswith("BEGIN"):  # SQLite's transaction start (tracker.database), no read
            statements.append(statement)

    with app.app_context():
        client = app.test_client()
        assert client.post("/login", data={"username": info["leader"], "password": PASSWORD}).status_code == 302
        app.config["PAGE_CACHE"] = False
        assert client.get("/dashboard").status_code == 200  # warm-up
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = client.get("/dashboard")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
            db.session.remove()
    assert response.status_code == 200
    assert len(statements) <= 8, "\n".join(s.split("\n")[0][:100] for s in statements)


def test_overdue_lists_in_few_statements(make_app, tmp_path):
    """The overdue lists of the province (its leader) and of a department (its leader), with their counts kept
    and right after a task's change (the page cache off): the session with the versions, (the counts,) the
    page's rows with their cooperating units; right after a change a department's list also asks whether a
    task was closed after today (the summary's check, then kept by the worker until the data changes)
    (issue 20: each statement is a round trip on PostgreSQL)."""
    from tracker.models import Unit, User

    app, info = _fill(make_app, tmp_path / "bench.db", 400)
    with app.app_context():
        root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
        department = db.session.scalar(select(Unit).where(Unit.parent_id == root.id, Unit.kind == "department")
                                       .order_by(Unit.id))
        dept_leader = db.session.scalar(select(User.username).where(User.unit_id == department.id,
                                                                     User.role == "leader"))
        db.session.remove()
    statements = []

    def count(conn, cursor, statement, params, context, executemany):
        if not statement.startswith("BEGIN"):
            statements.append(statement.split("\n")[0][:100])

    def read(client, path, kept: bool) -> list[str]:
        app.config["PAGE_CACHE"] = kept
        try:
            assert client.get(path).status_code == 200  # warm-up: what is kept, kept
            statements.clear()
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                response = client.get(path)
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            assert response.status_code == 200 and "<tbody" in response.get_data(as_text=True)
            return list(statements)
        finally:
            app.config["PAGE_CACHE"] = True
            db.session.remove()

    with app.app_context():
        clients = {}
        for name in (info["leader"], dept_leader):
            clients[name] = app.test_client()
            assert clients[name].post("/login", data={"username": name, "password": PASSWORD}).status_code == 302
        province, unit = "/tasks?view=all&status=overdue", "/tasks?view=unit&status=overdue"
        assert len(read(clients[info["leader"]], province, kept=True)) <= 2
        assert len(read(clients[info["leader"]], province, kept=False)) <= 3
        assert len(read(clients[dept_leader], unit, kept=True)) <= 2
        assert len(read(clients[dept_leader], unit, kept=False)) <= 4
