"""The command line: `flask init-db`, `units`, `users`, as an operator types them."""
from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, inspect, select

from tests.conftest import flask_command
from tracker.database import db as _db
from tracker.demo import DEMO_PASSWORD
from tracker.models import AuditEvent, Unit, User, UserSession

pytestmark = pytest.mark.usefixtures("cli_context")
flask = flask_command


@pytest.fixture
def demo(app):
    """The demo units and users (the commands here need no directives)."""
    from tracker.demo import load_demo

    counts = load_demo(directives=False)
    _db.session.commit()
    return counts


def one_error_line(result) -> str:
    """A failed command prints exactly one line, "Error: ...", and exits non-zero."""
    assert result.exit_code != 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: "), lines[0]
    return lines[0].removeprefix("Error: ")


def wrong_password_page(response) -> bool:
    """The sign-in page answered "wrong username or password" (in the default language)."""
    with force_locale("vi"):
        message = gettext("Wrong username or password.")
    return response.status_code == 200 and message in response.get_data(as_text=True)


def count(model, *where) -> int:
    return _db.session.scalar(select(func.count()).select_from(model).where(*where))


def sign_in(app, username: str, password: str):
    return app.test_client().post("/login", data={"username": username, "password": password})


# --- init-db on a brand-new database --------------------------------------------------

@pytest.fixture
def fresh(make_app, tmp_path):
    """An app on an empty SQLite file that nothing has created yet."""
    return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}")


def test_init_db_creates_the_schema_and_no_account(fresh):
    result = flask(fresh, "init-db")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Database schema is up to date."
    with fresh.app_context():
        tables = set(inspect(_db.engine).get_table_names())
        assert {"unit", "user", "user_session", "login_attempt", "audit_event", "alembic_version"} <= tables
        assert count(User) == 0  # no default credentials
        assert count(Unit) == 0
        for username, password in [("admin", DEMO_PASSWORD), ("admin", "admin"), ("admin", "password")]:
            response = sign_in(fresh, username, password)
            assert wrong_password_page(response)
        assert fresh.test_client().get("/healthz").status_code == 200
    # Running it again changes nothing.
    again = flask(fresh, "init-db")
    assert again.exit_code == 0 and again.stdout.strip() == "Database schema is up to date."
    assert flask(fresh, "demo-logins").output.strip() == "No demo accounts in this database."


def test_init_db_demo_loads_into_an_empty_database_once(fresh):
    result = flask(fresh, "init-db", "--demo")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Demo data loaded: 16 units, 16 users")
    assert f"(demo password: {DEMO_PASSWORD})" in result.output
    with fresh.app_context():
        counts = (count(Unit), count(User))
        assert counts == (16, 16)  # with Sở KH&CN and the two communes of 2025
        assert sign_in(fresh, "admin", DEMO_PASSWORD).status_code == 302

    again = flask(fresh, "init-db", "--demo")
    assert again.stdout.strip() == "Database already has data; demo data not loaded."
    with fresh.app_context():
        assert (count(Unit), count(User)) == counts

    logins = flask(fresh, "demo-logins")
    assert logins.exit_code == 0
    assert logins.output.startswith(f"DEMO accounts (for trying the app only), password for all: {DEMO_PASSWORD}")
    assert "admin" in logins.output and "lan.nt" in logins.output


def test_init_db_demo_refuses_a_database_with_the_operators_own_units(fresh):
    assert flask(fresh, "init-db").exit_code == 0
    assert flask(fresh, "units", "create", "UBND", "--name", "Ủy ban nhân dân tỉnh", "--kind",
                 "province").exit_code == 0
    result = flask(fresh, "init-db", "--demo")
    assert "demo data not loaded" in result.output
    with fresh.app_context():
        assert count(Unit) == 1 and count(User) == 0


def test_the_first_admin_is_created_from_the_command_line(fresh):
    flask(fresh, "init-db")
    assert flask(fresh, "units", "create", "UBND", "--name", "Ủy ban nhân dân tỉnh", "--kind",
                 "province").exit_code == 0
    result = flask(fresh, "users", "create", "quantri", "--unit", "UBND", "--role", "admin",
                   "--email", "quantri@example.gov.vn", "--name", "Quản trị viên",
                   input="mat-khau-rieng-2026\nmat-khau-rieng-2026\n")
    assert result.exit_code == 0, result.output
    assert "Created user quantri (admin) in UBND" in result.output
    assert "mat-khau-rieng-2026" not in result.output  # the prompt does not echo it
    with fresh.app_context():
        client = fresh.test_client()
        assert client.post("/login", data={"username": "quantri", "password": "mat-khau-rieng-2026"}).status_code == 302
        assert client.get("/admin/units").status_code == 200


# --- units ----------------------------------------------------------------------------

def test_units_list(app, demo):
    result = flask(app, "units", "list")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert len(rows) == 13
    assert rows[0] == ["UBND", "Ủy ban nhân dân tỉnh", "-", "province"]
    by_code = {row[0]: row for row in rows}
    assert by_code["STTTT-CNTT"] == ["STTTT-CNTT", "Phòng Công nghệ thông tin", "STTTT", "division"]
    assert by_code["DPTTH"][2:] == ["UBND", "agency"]


def test_units_list_reads_as_a_tree(app, demo):
    """Each unit comes right after its parent's other sub-units, never before its parent, siblings by name."""
    codes = [line.split("\t")[0] for line in flask(app, "units", "list").output.splitlines()]
    assert codes == ["UBND", "DPTTH", "SKHDT", "SNV", "STC",
                     "STTTT", "STTTT-BCVT", "STTTT-CNTT", "STTTT-BCXB", "STTTT-VP",
                     "SVHTTDL", "H-PHULOC", "TX-HUONGTRA"]


def test_units_list_marks_inactive_units(app, db, demo):
    db.session.scalar(select(Unit).where(Unit.code == "STC")).active = False
    db.session.commit()
    line = [row for row in flask(app, "units", "list").output.splitlines() if row.startswith("STC\t")][0]
    assert line.endswith("\tinactive")


def test_units_create(app, db, demo):
    result = flask(app, "units", "create", "STTTT-TTCNTT", "--name", "Trung tâm CNTT và Truyền thông",
                   "--short-name", "TT CNTT", "--parent", "stttt", "--kind", "agency",
                   "--alias", "Trung tâm Công nghệ thông tin", "--alias", "TTCNTT",
                   "--email", "ttcntt@example.gov.vn")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created unit STTTT-TTCNTT: Trung tâm CNTT và Truyền thông"
    unit = db.session.scalar(select(Unit).where(Unit.code == "STTTT-TTCNTT"))
    parent = db.session.scalar(select(Unit).where(Unit.code == "STTTT"))
    assert unit.parent_id == parent.id and unit.path == f"{parent.path}{unit.id}/"
    assert unit.aliases == ["Trung tâm Công nghệ thông tin", "TTCNTT"] and unit.kind == "agency"
    assert "trung tam cong nghe thong tin" in unit.search_text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.create"))
    assert event.object_id == unit.id and event.ip == "cli"
    # The new unit is usable from the admin pages at once.
    assert "STTTT-TTCNTT" in flask(app, "units", "list").output


def test_units_create_top_level_with_defaults(app, db, demo):
    assert flask(app, "units", "create", "TINHUY", "--name", "Tỉnh ủy").exit_code == 0
    unit = db.session.scalar(select(Unit).where(Unit.code == "TINHUY"))
    assert unit.parent_id is None and unit.kind == "department" and unit.path == f"/{unit.id}/"


UNITS_CREATE_ERRORS = [
    (["NEW", "--name", "Đơn vị mới", "--parent", "NOPE"], "unknown unit: NOPE"),
    (["STTTT", "--name", "Trùng mã"], "unit code already taken: STTTT"),
    (["stttt", "--name", "Trùng mã"], "unit code already taken: stttt"),
    (["NEW", "--name", "Đơn vị mới", "--kind", "planet"],
     "bad kind: planet (one of province, department, agency, commune, district, division)"),
    (["NEW", "--name", "   "], "the name must not be empty"),
]


def test_units_create_errors(app, db, demo):
    for args, message in UNITS_CREATE_ERRORS:
        assert one_error_line(flask(app, "units", "create", *args)) == message
    assert count(Unit) == 13


def test_units_create_refuses_codes_the_admin_pages_would_refuse(app, db, demo):
    """The admin form allows letters, digits, dot, dash and underscore; so must the command."""
    created = [code for code in ["bad code", "ma/xau", "Sở-TT"]
               if flask(app, "units", "create", code, "--name", "Đơn vị mới").exit_code == 0]
    assert created == []
    assert count(Unit) == 13


# --- users ----------------------------------------------------------------------------

def test_users_create_with_a_password(app, db, demo):
    result = flask(app, "users", "create", "Mai.TT", "--unit", "STTTT-CNTT", "--role", "staff",
                   "--email", "mai.tt@example.gov.vn", "--name", "Trịnh Thị Mai",
                   "--position", "Chuyên viên", "--password", "mat-khau-cua-mai")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created user mai.tt (staff) in STTTT-CNTT"
    mai = db.session.scalar(select(User).where(User.username == "mai.tt"))
    assert (mai.full_name, mai.unit.code, mai.role, mai.email, mai.position_title) == (
        "Trịnh Thị Mai", "STTTT-CNTT", "staff", "mai.tt@example.gov.vn", "Chuyên viên")
    assert mai.password_hash.startswith("scrypt:")
    assert "mai.tt" in mai.search_text and "trinh thi mai" in mai.search_text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create")).object_id == mai.id
    assert sign_in(app, "mai.tt", "mat-khau-cua-mai").status_code == 302


def test_users_create_prompts_for_the_password_twice(app, db, demo):
    result = flask(app, "users", "create", "mai.tt", "--unit", "STTTT-CNTT", "--role", "staff",
                   "--email", "mai.tt@example.gov.vn", "--name", "Trịnh Thị Mai",
                   input="mat-khau-cua-mai\nkhac-han-nhau-1\nmat-khau-cua-mai\nmat-khau-cua-mai\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output and "mat-khau-cua-mai" not in result.output
    assert sign_in(app, "mai.tt", "mat-khau-cua-mai").status_code == 302


USERS_CREATE_ERRORS = [
    ({"--unit": "NOPE"}, "unknown unit: NOPE"),
    ({"username": "lan.nt"}, "username already taken: lan.nt"),
    ({"username": "LAN.NT"}, "username already taken: lan.nt"),
    ({"--role": "superuser"}, "bad role: superuser (one of admin, leader, secretary, staff)"),
    ({"--email": "not-an-address"}, "bad e-mail address: not-an-address"),
    ({"--password": "short"}, "password rejected: too short"),
    ({"--password": "password1"}, "password rejected: too common"),
    ({"--password": "mai.tt.2026", "username": "mai.tt.2026"}, "password rejected: same as username"),
]


def test_users_create_errors(app, db, demo):
    for changes, message in USERS_CREATE_ERRORS:
        options = {"username": "mai.tt", "--unit": "STTTT-CNTT", "--role": "staff",
                   "--email": "mai.tt@example.gov.vn", "--name": "Trịnh Thị Mai", "--password": "mat-khau-cua-mai"}
        options.update(changes)
        args = ["users", "create", options.pop("username")]
        for option, value in options.items():
            args += [option, value]
        assert one_error_line(flask(app, *args)) == message
    assert count(User) == 16


def test_users_create_refuses_usernames_the_admin_pages_would_refuse(app, db, demo):
    """The admin form allows lower-case letters, digits, dot, dash and underscore; so must the command."""
    created = []
    for username in ["Mai TT", "mai/tt", ".mai"]:
        result = flask(app, "users", "create", username, "--unit", "STTTT-CNTT", "--role", "staff",
                       "--email", "mai.tt@example.gov.vn", "--name", "Trịnh Thị Mai",
                       "--password", "mat-khau-cua-mai")
        if result.exit_code == 0:
            created.append(username)
    assert created == []
    assert count(User) == 16


def test_users_set_password_signs_out_and_replaces_the_password(app, db, demo, login_as):
    browser = login_as("lan.nt")
    result = flask(app, "users", "set-password", "lan.nt", "--password", "mat-khau-moi-42")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Password set for lan.nt"
    assert browser.get("/").status_code == 302  # signed out
    assert sign_in(app, "lan.nt", DEMO_PASSWORD).status_code == 200
    response = sign_in(app, "lan.nt", "mat-khau-moi-42")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_set")).ip == "cli"


def test_users_set_password_temporary_forces_a_change(app, db, demo):
    result = flask(app, "users", "set-password", "LAN.NT", "--temporary",
                   input="tam-thoi-12345\ntam-thoi-12345\n")
    assert result.exit_code == 0, result.output
    assert "Password set for lan.nt (temporary)" in result.output
    response = sign_in(app, "lan.nt", "tam-thoi-12345")
    assert response.headers["Location"] == "/password"


def test_users_set_password_errors(app, db, demo):
    for args, message in [
        (["nobody", "--password", "mat-khau-moi-42"], "unknown user: nobody"),
        (["lan.nt", "--password", "1234567"], "password rejected: too short"),
        (["lan.nt", "--password", "lan.nt"], "password rejected: too short, same as username"),
    ]:
        assert one_error_line(flask(app, "users", "set-password", *args)) == message
    assert sign_in(app, "lan.nt", DEMO_PASSWORD).status_code == 302


def test_users_deactivate(app, db, demo, login_as):
    browser = login_as("lan.nt")
    result = flask(app, "users", "deactivate", "lan.nt")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Deactivated lan.nt"
    assert browser.get("/").status_code == 302
    lan = db.session.scalar(select(User).where(User.username == "lan.nt"))
    assert lan.active is False
    assert count(UserSession, UserSession.user_id == lan.id, UserSession.revoked_at.is_(None)) == 0
    response = sign_in(app, "lan.nt", DEMO_PASSWORD)
    assert wrong_password_page(response)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.deactivate")).object_id == lan.id
    assert count(User) == 16  # history stays


def test_users_deactivate_unknown_user(app, demo):
    assert one_error_line(flask(app, "users", "deactivate", "nobody")) == "unknown user: nobody"
