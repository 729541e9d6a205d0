"""Who reaches what: every route of the URL map as anonymous and as each demo role, and the reach predicates.

The walk reads `app.url_map`, so a route added later is covered without
touching this file: its `<int:NAME_id>` arguments are filled with the id of
an existing row of the matching table (NAME, or a table named NAME_* / *_NAME).
"""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask import url_for
from sqlalchemy import event, func, select

from tracker.demo import add_unit
from tracker.models import AuditEvent, Unit, User
from tracker.rules.reach import in_reach, is_admin, reach_path
from tracker.services.reach_sql import unit_in_reach_clause

# Endpoints anyone may reach without signing in; any other route must ask for it. Adding one here is a
# security decision: say why.
PUBLIC_ENDPOINTS = {
    "auth.login", "main.healthz", "main.set_language", "static",
    "api.openapi",      # the API's description; every other /api/ route wants a bearer token
    "feeds.calendar",   # an .ics feed: the long random secret in its URL is the credential
    "main.favicon",     # the app's icon (a static file browsers ask for at /favicon.ico), also on sign-in
}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# One signed-in user per role, and leaders at two levels of the tree and outside the demo directive's units.
ROLE_USERS = {"admin": "admin", "leader": "hai.nv", "province leader": "nga.tt", "other leader": "binh.lv",
              "secretary": "thu.lt", "staff": "lan.nt"}


# --- the URL map ----------------------------------------------------------------------

# Route arguments whose name more than one table uses: the table the routes mean.
ROUTE_ARGUMENT_TABLES = {"day": "calendar_day"}  # month_end.day is the dashboard trend's own calendar


def _table_for(argument: str, tables: dict):
    """The table an URL argument points into: NAME_id -> NAME (or NAME_*, *_NAME); other names -> the table
    whose primary key (or else only column) has that name."""
    if argument in ROUTE_ARGUMENT_TABLES:
        return tables[ROUTE_ARGUMENT_TABLES[argument]], argument
    if argument.endswith("_id"):
        stem = argument.removesuffix("_id")
        if stem in tables:
            return tables[stem], "id"
        candidates = [t for t in tables if t.startswith(stem + "_") or t.endswith("_" + stem)]
    else:
        candidates = [t for t in tables if argument in tables[t].c and tables[t].c[argument].primary_key] or \
            [t for t in tables if argument in tables[t].c]
    if not candidates and not argument.endswith("_id"):
        return None, argument  # not stored as such (a secret kept hashed): any value will do
    assert len(candidates) == 1, (
        f"route argument <{argument}> matches tables {candidates}: teach tests/test_reach.py::_table_for about it")
    table = tables[candidates[0]]
    return table, "id" if argument.endswith("_id") else argument


def _placeholder(column):
    """A well-formed value for an argument whose table is empty (the route should answer 404)."""
    from datetime import date

    python_type = column.type.python_type
    if python_type is date:
        return date(2020, 1, 1).isoformat()
    return 1 if python_type is int else "x"


def route_cases(app, db) -> list[tuple[str, str, frozenset[str], bool]]:
    """(endpoint, url, methods, all arguments are existing rows) for every rule but static files.

    A URL without arguments counts as "existing".
    """
    tables = db.metadata.tables
    cases = []
    db.session.commit()  # a SQLite transaction held by the caller would block the one opened below
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static":
                continue
            values, existing = {}, True
            # The argument whose table refers to the others decides (an extension and the task it belongs to).
            def refers_to_others(argument):
                table = _table_for(argument, tables)[0]
                return sum(other in table.c for other in rule.arguments if table is not None and other != argument)

            arguments = sorted(rule.arguments, key=refers_to_others, reverse=True)
            for argument in arguments:
                if argument in values:
                    continue
                table, column = _table_for(argument, tables)
                if table is None:
                    values[argument], existing = "not-a-real-" + argument, False
                    continue
                row = db.session.execute(select(table).order_by(table.c[column]).limit(1)).mappings().first()
                if row is None:
                    values[argument], existing = _placeholder(table.c[column]), False
                    continue
                value = row[column]
                values[argument] = value.isoformat() if hasattr(value, "isoformat") else value
                for other in rule.arguments:
                    if other != argument and other not in values and other in row:
                        values[other] = row[other]
            methods = frozenset(rule.methods - {"HEAD", "OPTIONS"})
            cases.append((rule.endpoint, url_for(rule.endpoint, **values), methods, existing))
    assert cases
    return cases


def request(client, url: str, methods: frozenset[str], method: str | None = None, **kwargs):
    """Send the request and read the whole answer, as a browser does (streamed downloads included)."""
    method = method or ("GET" if "GET" in methods else sorted(methods)[0])
    if method != "GET":
        kwargs.setdefault("data", {})
    # buffered: the body is read inside the request, while its app context (and database session) lives.
    response = client.open(url, method=method, buffered=True, **kwargs)
    response.close()
    return response


@contextmanager
def count_writes(db):
    """Count INSERT/UPDATE/DELETE statements reaching the database."""
    writes: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        words = statement.split()
        if words[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            if words[:3] == ["INSERT", "INTO", "audit_event"]:
                return  # the audit log of refusals (auth.denied): checked by the callers
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield writes
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def check_security_headers(response, where):
    headers = response.headers
    assert "max-age=31536000" in headers.get("Strict-Transport-Security", "") and \
        "includeSubDomains" in headers["Strict-Transport-Security"], where
    assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy"), where


def test_the_walk_covers_the_foundation_routes(app, db, demo):
    endpoints = {endpoint for endpoint, *_ in route_cases(app, db)}
    assert {"dashboard.home", "main.profile", "auth.login", "auth.logout", "auth.change_password", "admin.units",
            "admin.unit_edit", "admin.unit_delete", "admin.users", "admin.user_edit", "admin.user_set_active",
            "admin.audit_log", "main.healthz"} <= endpoints


def test_anonymous_visitors_are_sent_to_sign_in_everywhere_but_the_public_pages(app, client, db, demo):
    for endpoint, url, methods, _ in route_cases(app, db):
        response = request(client, url, methods)
        where = (endpoint, url)
        if endpoint in PUBLIC_ENDPOINTS:
            assert response.status_code in (200, 302, 404), where  # 404: a made-up secret
            if response.status_code == 302:
                assert not response.headers["Location"].startswith("/login"), where
        elif url.startswith("/api/"):
            assert response.status_code == 401, where  # the API answers tokens, never redirects
        else:
            assert response.status_code == 302, where
            assert response.headers["Location"].startswith("/login?next="), where
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200


def test_anonymous_requests_reveal_nothing_and_change_nothing(app, client, db, demo):
    last_event = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    with count_writes(db) as writes:
        for endpoint, url, methods, _ in route_cases(app, db):
            if endpoint in PUBLIC_ENDPOINTS:
                continue
            response = request(client, url, methods)
            body = response.get_data(as_text=True)
            assert "125/TB-UBND" not in body and "Nguyễn Văn Hải" not in body, endpoint
    assert writes == []
    assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > last_event)).all() == []


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_each_role_on_every_route(app, db, demo, login_as, role):
    username = ROLE_USERS[role]
    client = login_as(username)
    me = db.session.scalar(select(User).where(User.username == username))
    cases = route_cases(app, db)
    last_event = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    with count_writes(db) as writes:
        for endpoint, url, methods, existing in cases:
            if "GET" not in methods:
                continue
            response = request(client, url, methods, "GET")
            where = (role, endpoint, url, response.status_code)
            assert response.status_code < 500, where
            check_security_headers(response, where)
            if url.startswith("/api/"):
                continue  # the API authenticates tokens (issue 6)
            if endpoint == "auth.login":
                assert response.status_code == 302, where  # already signed in
            elif url.startswith("/admin/"):
                assert response.status_code == (200 if is_admin(me) else 403), where
            elif is_admin(me):
                assert response.status_code == (200 if existing else 404), where
            else:
                # Not an admin: allowed, refused, or (for an object outside their reach) not found.
                assert response.status_code in (200, 403, 404), where
    assert writes == [], f"GET requests wrote to the database as {role}: {writes[:3]}"
    # The only thing a GET may record is a refusal.
    logged = db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > last_event)).all()
    assert set(logged) <= {"auth.denied"}, logged
    # Non-admins cannot change anything in the admin area.
    if not is_admin(me):
        before = {(u.id, u.active, u.role, u.password_hash) for u in db.session.scalars(select(User))}
        units_before = {(u.id, u.active, u.name) for u in db.session.scalars(select(Unit))}
        for endpoint, url, methods, _ in cases:
            if url.startswith("/admin/") and methods & STATE_CHANGING:
                for method in sorted(methods & STATE_CHANGING):
                    response = request(client, url, methods, method, data={
                        "active": "0", "password": "a-new-secret-9", "code": "X", "name": "X", "kind": "agency"})
                    assert response.status_code == 403, (role, method, url)
        db.session.expire_all()
        assert {(u.id, u.active, u.role, u.password_hash) for u in db.session.scalars(select(User))} == before
        assert {(u.id, u.active, u.name) for u in db.session.scalars(select(Unit))} == units_before
    assert client.get("/profile").status_code == 200  # still signed in


def test_the_admin_menu_is_shown_to_admins_only(login_as):
    assert 'href="/admin/"' in login_as("admin").get("/").get_data(as_text=True)  # one entry: its home page
    assert 'href="/admin/units"' in login_as("admin").get("/admin/").get_data(as_text=True)
    for username in ("nga.tt", "thu.lt", "lan.nt"):
        body = login_as(username).get("/").get_data(as_text=True)
        assert 'href="/admin/' not in body


# --- the predicates -------------------------------------------------------------------

@pytest.fixture
def people(app):
    """The demo units and users (the predicates need no directives)."""
    from tracker.database import db as _db
    from tracker.demo import load_demo

    load_demo(directives=False)
    _db.session.commit()


def unit(db, code):
    return db.session.scalar(select(Unit).where(Unit.code == code))


def user(db, username):
    return db.session.scalar(select(User).where(User.username == username))


def units_in_reach(db, u: User) -> set[str]:
    return set(db.session.scalars(select(Unit.code).where(unit_in_reach_clause(u, Unit.path))))


ALL_UNITS = {"UBND", "STTTT", "STTTT-VP", "STTTT-BCXB", "STTTT-CNTT", "STTTT-BCVT", "SNV", "STC", "SKHDT",
             "SVHTTDL", "DPTTH", "H-PHULOC", "TX-HUONGTRA"}
STTTT_TREE = {"STTTT", "STTTT-VP", "STTTT-BCXB", "STTTT-CNTT", "STTTT-BCVT"}


def test_reach_is_the_subtree_of_ones_unit(db, people):
    expected = {
        "admin": ALL_UNITS,
        "nga.tt": ALL_UNITS,                 # a Vice-Chair: the province committee is the root
        "thu.lt": ALL_UNITS,
        "hai.nv": STTTT_TREE,                # a department director: the department and its divisions
        "hoa.nt": STTTT_TREE,
        "tuan.la": {"STTTT-CNTT"},           # a division head: the division only
        "lan.nt": {"STTTT-CNTT"},
        "binh.lv": {"SNV"},
        "son.hx": {"DPTTH"},
        "phuc.nd": {"H-PHULOC"},
    }
    for username, reach in expected.items():
        u = user(db, username)
        assert units_in_reach(db, u) == reach, username
        for code in ALL_UNITS:
            assert in_reach(u, unit(db, code)) is (code in reach), (username, code)


def test_admins_reach_everything_wherever_they_sit(db, people):
    admin = user(db, "admin")
    admin.unit = unit(db, "STTTT-CNTT")
    db.session.flush()
    assert reach_path(admin) == "/"
    assert units_in_reach(db, admin) == ALL_UNITS
    assert all(in_reach(admin, unit(db, code)) for code in ALL_UNITS)


def test_nothing_is_in_reach_of_nothing(db, people):
    assert in_reach(user(db, "lan.nt"), None) is False
    assert in_reach(user(db, "admin"), None) is False


def test_sibling_ids_sharing_a_prefix_are_not_in_reach(db, people):
    """/1/2/ must not reach /1/21/ nor /1/2x/: paths end with a slash."""
    root, stttt = unit(db, "UBND"), unit(db, "STTTT")
    created = [add_unit(f"X{i}", f"Đơn vị thử {i}", parent=root) for i in range(20)]
    lookalikes = [u for u in created if str(u.id).startswith(str(stttt.id))]
    assert lookalikes, [u.id for u in created]
    director = user(db, "hai.nv")
    for lookalike in lookalikes:
        assert not in_reach(director, lookalike)
    assert units_in_reach(db, director) == STTTT_TREE


def test_reach_follows_a_move_in_the_tree(db, people):
    cntt, snv = unit(db, "STTTT-CNTT"), unit(db, "SNV")
    cntt.set_parent(snv)
    db.session.flush()
    assert "STTTT-CNTT" in units_in_reach(db, user(db, "binh.lv"))
    assert "STTTT-CNTT" not in units_in_reach(db, user(db, "hai.nv"))
    assert in_reach(user(db, "binh.lv"), cntt) and not in_reach(user(db, "hai.nv"), cntt)
    # Its members' own reach moves with it.
    assert in_reach(user(db, "lan.nt"), cntt)
    assert units_in_reach(db, user(db, "lan.nt")) == {"STTTT-CNTT"}


def test_reach_of_an_inactive_unit_is_unchanged(db, people):
    """Deactivating a unit hides nothing: history stays in reach of those above it."""
    bcvt = unit(db, "STTTT-BCVT")
    bcvt.active = False
    db.session.flush()
    assert "STTTT-BCVT" in units_in_reach(db, user(db, "hai.nv"))
