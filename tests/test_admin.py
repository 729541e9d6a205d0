"""Admin pages for units, users and the audit log, used as an administrator uses them."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.pages import doc, flashes, t, text_of
from tests.pages import errors_of as field_errors
from tracker.demo import DEMO_PASSWORD
from tracker.models import AuditEvent, Unit, User, UserSession
from tracker.rules.reach import in_reach

CORRECT_ERRORS = "Please correct the errors below."


# --- helpers --------------------------------------------------------------------------











def table_column(response, label: str) -> list[str]:
    """The cells of one column of the page's table, by their data-label."""
    return [text_of(td) for td in doc(response).xpath(f"//table//td[@data-label='{t(label)}']")]


def audit_actions(response) -> list[str]:
    """The action codes of the audit log page (each cell shows a label and the code)."""
    return [text_of(code) for code in doc(response).xpath(f"//table//td[@data-label='{t('Action')}']//code")]


def unit_codes(response) -> list[str]:
    return table_column(response, "Code")


def usernames(response) -> list[str]:
    return table_column(response, "Username")


def total(response) -> int:
    """The "N in total" under a list."""
    texts = [text_of(p) for p in doc(response).xpath("//p[contains(@class, 'small')]")]
    for n in range(0, 1000):
        if t("%(total)d in total", total=n) in texts:
            return n
    raise AssertionError(texts)


def unit(db, code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def user(db, username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def unit_form(u: Unit, **changes) -> dict:
    data = {"code": u.code, "name": u.name, "short_name": u.short_name, "kind": u.kind,
            "parent_id": u.parent_id or 0, "aliases": "\n".join(u.aliases or []), "email": u.email}
    if u.active:
        data["active"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def new_unit_form(**changes) -> dict:
    data = {"code": "TTCNTT", "name": "Trung tâm Công nghệ thông tin và Truyền thông", "short_name": "TT CNTT",
            "kind": "agency", "parent_id": 0, "aliases": "", "email": "", "active": "y"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def user_form(u: User, **changes) -> dict:
    data = {"username": u.username, "full_name": u.full_name, "email": u.email, "unit_id": u.unit_id,
            "role": u.role, "position_title": u.position_title, "language": u.language, "password": ""}
    if u.active:
        data["active"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def new_user_form(db, **changes) -> dict:
    data = {"username": "mai.tt", "full_name": "Trịnh Thị Mai", "email": "mai.tt@example.gov.vn",
            "unit_id": unit(db, "STTTT-CNTT").id, "role": "staff", "position_title": "Chuyên viên",
            "language": "vi", "active": "y", "password": "first-secret-1"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def demo(app):
    """The demo units and users only: the admin pages need no directives."""
    from tracker.database import db as _db
    from tracker.demo import load_demo

    counts = load_demo(directives=False)
    _db.session.commit()
    return counts


@pytest.fixture
def admin(login_as):
    return login_as("admin")


# --- units: list and create -----------------------------------------------------------

def test_units_page_shows_the_tree_in_order(admin, db):
    response = admin.get("/admin/units")
    assert response.status_code == 200
    # Top-down, siblings in name order.
    assert unit_codes(response) == [
        "UBND", "DPTTH", "SKHDT", "SNV", "STC",
        "STTTT", "STTTT-BCVT", "STTTT-CNTT", "STTTT-BCXB", "STTTT-VP",
        "SVHTTDL", "H-PHULOC", "TX-HUONGTRA"]
    indents = doc(response).xpath(f"//td[@data-label='{t('Name')}']/span[1]/@class")
    assert indents[:7] == ["indent-0", "indent-1", "indent-1", "indent-1", "indent-1", "indent-1", "indent-2"]
    assert "Sở Thông tin và Truyền thông (Sở TT&TT)" in table_column(response, "Name")
    assert table_column(response, "Kind")[0] == t("Province committee")


def test_create_unit(admin, db):
    stttt = unit(db, "STTTT")
    form = new_unit_form(parent_id=stttt.id, aliases="Trung tâm CNTT\n\nTTCNTT-TT ", email="ttcntt@example.gov.vn")
    response = admin.post("/admin/units/new", data=form)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/units"
    assert flashes(admin.get("/admin/units")) == [
        t("Unit %(name)s has been created.", name="Trung tâm Công nghệ thông tin và Truyền thông")]
    created = unit(db, "TTCNTT")
    assert created.parent_id == stttt.id
    assert created.path == f"{stttt.path}{created.id}/"
    assert created.aliases == ["Trung tâm CNTT", "TTCNTT-TT"]
    assert created.kind == "agency" and created.active
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.create"))
    assert event.object_id == created.id and event.actor.username == "admin"
    # The new unit is offered as a parent and found by its other name.
    assert "TTCNTT" in unit_codes(admin.get("/admin/units?q=trung+tam+cntt"))


def test_new_unit_form_preselects_the_parent(admin, db):
    stttt = unit(db, "STTTT")
    response = admin.get(f"/admin/units/new?parent={stttt.id}")
    selected = doc(response).xpath("//select[@name='parent_id']/option[@selected]/@value")
    assert selected == [str(stttt.id)]


def test_unit_code_taken_is_a_clear_form_error(admin, db):
    for code in ["STTTT", "stttt", "SttTT"]:  # codes are unique whatever their case
        response = admin.post("/admin/units/new", data=new_unit_form(code=code))
        assert response.status_code == 200, code
        assert t(CORRECT_ERRORS) in flashes(response), code
        assert field_errors(response, "code") == [
            t("This code is already used by %(name)s.", name="Sở Thông tin và Truyền thông")], code
    assert count(db, Unit) == 13


def test_editing_a_unit_to_another_units_code_is_refused(admin, db):
    cntt = unit(db, "STTTT-CNTT")
    response = admin.post(f"/admin/units/{cntt.id}/edit", data=unit_form(cntt, code="SNV"))
    assert response.status_code == 200
    assert field_errors(response, "code") == [t("This code is already used by %(name)s.", name="Sở Nội vụ")]
    assert unit(db, "STTTT-CNTT") is not None


def test_keeping_its_own_code_is_fine(admin, db):
    cntt = unit(db, "STTTT-CNTT")
    response = admin.post(f"/admin/units/{cntt.id}/edit", data=unit_form(cntt, name="Phòng Chuyển đổi số"))
    assert response.status_code == 302
    db.session.refresh(cntt)
    assert cntt.name == "Phòng Chuyển đổi số"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.update"))
    assert event.changes == {"name": ["Phòng Công nghệ thông tin", "Phòng Chuyển đổi số"]}
    assert "Phòng Chuyển đổi số" in table_column(admin.get("/admin/units?q=chuyen+doi+so"), "Name")[0]


UNIT_FORM_ERRORS = [
    ({"code": "bad code!"}, "code", "Letters, digits, dot, dash and underscore only."),
    ({"code": "-dash-first"}, "code", "Letters, digits, dot, dash and underscore only."),
    ({"code": "X" * 41}, "code", "Trường này không được dài quá 40 ký tự."),
    ({"email": "not-an-address"}, "email", "Invalid email address."),
    ({"kind": "planet"}, "kind", "Not a valid choice."),
    ({"parent_id": 9999}, "parent_id", "Not a valid choice."),
    ({"parent_id": "abc"}, "parent_id", "Invalid Choice: could not coerce."),
]


def test_unit_form_validation_errors(admin, db):
    """Each bad value gets its error beside its field, and nothing is saved."""
    wrong = []
    for changes, field, error in UNIT_FORM_ERRORS:
        response = admin.post("/admin/units/new", data=new_unit_form(**changes))
        shown = field_errors(response, field)
        if response.status_code != 200 or t(CORRECT_ERRORS) not in flashes(response) or t(error) not in shown:
            wrong.append((changes, field, t(error), shown))
    assert wrong == []
    assert count(db, Unit) == 13


def test_required_fields_say_so_in_the_interface_language(admin, db):
    """WTForms' own "This field is required." must come out in Vietnamese like every other message."""
    wrong = []
    for url, form, fields in [("/admin/units/new", new_unit_form(), ["code", "name"]),
                              ("/admin/users/new", new_user_form(db), ["username", "full_name", "email"])]:
        for field in fields:
            response = admin.post(url, data={**form, field: "  " if field == "name" else ""})
            shown = field_errors(response, field)
            if shown != [t("This field is required.")]:
                wrong.append((url, field, shown))
    assert wrong == []
    assert count(db, Unit) == 13 and count(db, User) == 16


# --- units: the tree ------------------------------------------------------------------

def test_edit_form_does_not_offer_the_unit_or_its_sub_units_as_parent(admin, db):
    stttt = unit(db, "STTTT")
    response = admin.get(f"/admin/units/{stttt.id}/edit")
    offered = {int(v) for v in doc(response).xpath("//select[@name='parent_id']/option/@value")}
    subtree = {u.id for u in db.session.scalars(select(Unit).where(Unit.path.startswith(stttt.path)))}
    assert offered & subtree == set()
    assert unit(db, "UBND").id in offered and unit(db, "SNV").id in offered


def test_a_unit_cannot_be_moved_under_itself_or_its_descendants(admin, db):
    # A grandchild makes the cycle two levels deep.
    admin.post("/admin/units/new", data=new_unit_form(code="GRANDCHILD", name="Tổ Hạ tầng",
                                                      parent_id=unit(db, "STTTT-CNTT").id, kind="division"))
    admin.get("/admin/units")  # read the "created" message
    stttt = unit(db, "STTTT")
    before = {u.code: (u.parent_id, u.path) for u in db.session.scalars(select(Unit))}
    for new_parent in ["STTTT", "STTTT-CNTT", "GRANDCHILD"]:
        response = admin.post(f"/admin/units/{stttt.id}/edit",
                              data=unit_form(stttt, parent_id=unit(db, new_parent).id))
        assert response.status_code == 200, new_parent
        assert t(CORRECT_ERRORS) in flashes(response), new_parent
        assert field_errors(response, "parent_id") == [
            t("A unit cannot be placed under itself or one of its sub-units.")], new_parent
        # The form shows the current parent again, not the refused one.
        assert doc(response).xpath("//select[@name='parent_id']/option[@selected]/@value") == [
            str(stttt.parent_id)], new_parent
        db.session.expire_all()
        assert {u.code: (u.parent_id, u.path) for u in db.session.scalars(select(Unit))} == before


def test_moving_a_unit_moves_its_subtree_and_changes_reach(admin, db):
    admin.post("/admin/units/new", data=new_unit_form(code="GRANDCHILD", name="Tổ Hạ tầng",
                                                      parent_id=unit(db, "STTTT-CNTT").id, kind="division"))
    cntt, snv = unit(db, "STTTT-CNTT"), unit(db, "SNV")
    response = admin.post(f"/admin/units/{cntt.id}/edit", data=unit_form(cntt, parent_id=snv.id))
    assert response.status_code == 302
    db.session.expire_all()
    assert unit(db, "STTTT-CNTT").path == f"{snv.path}{cntt.id}/"
    assert unit(db, "GRANDCHILD").path == f"{snv.path}{cntt.id}/{unit(db, 'GRANDCHILD').id}/"
    assert in_reach(user(db, "binh.lv"), unit(db, "GRANDCHILD"))
    assert not in_reach(user(db, "hai.nv"), unit(db, "GRANDCHILD"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.update"))
    assert event.changes["parent"] == ["STTTT", "SNV"]
    # The units page shows it under its new parent.
    codes = unit_codes(admin.get("/admin/units"))
    assert codes.index("STTTT-CNTT") == codes.index("SNV") + 1


def test_a_unit_can_become_top_level(admin, db):
    dpth = unit(db, "DPTTH")
    assert admin.post(f"/admin/units/{dpth.id}/edit", data=unit_form(dpth, parent_id=0)).status_code == 302
    db.session.refresh(dpth)
    assert dpth.parent_id is None and dpth.path == f"/{dpth.id}/"


# --- units: deactivate and delete -----------------------------------------------------

def test_a_unit_with_active_users_cannot_be_deactivated(admin, db):
    cntt = unit(db, "STTTT-CNTT")
    response = admin.post(f"/admin/units/{cntt.id}/edit", data=unit_form(cntt, active=None))
    assert response.status_code == 200
    assert field_errors(response, "active") == [t("This unit still has %(what)s; move or close them first.",
                                                           what=t("%(n)d active users", n=3))]
    db.session.refresh(cntt)
    assert cntt.active is True


def test_a_unit_whose_users_are_all_inactive_can_be_deactivated(admin, db):
    bcvt = unit(db, "STTTT-BCVT")
    khoa = user(db, "khoa.dm")
    assert admin.post(f"/admin/users/{khoa.id}/active", data={"active": "0"}).status_code == 302
    response = admin.post(f"/admin/units/{bcvt.id}/edit", data=unit_form(bcvt, active=None))
    assert response.status_code == 302
    db.session.refresh(bcvt)
    assert bcvt.active is False
    listing = admin.get("/admin/units?status=inactive")
    assert unit_codes(listing) == ["STTTT-BCVT"]
    assert table_column(listing, "Status") == [t("Inactive")]
    # An inactive unit takes no new users.
    response = admin.post("/admin/users/new", data=new_user_form(db, unit_id=bcvt.id))
    assert field_errors(response, "unit_id") == [t("This unit is inactive.")]


def test_a_unit_with_users_cannot_be_deleted(admin, db):
    bcvt = unit(db, "STTTT-BCVT")
    edit_page = admin.get(f"/admin/units/{bcvt.id}/edit")
    assert t("This unit cannot be deleted because it has %(what)s. Deactivate it instead; its history stays.",
             what=t("%(n)d users", n=1)) in text_of(doc(edit_page))
    assert not doc(edit_page).xpath(f"//form[@action='/admin/units/{bcvt.id}/delete']")
    response = admin.post(f"/admin/units/{bcvt.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/units/{bcvt.id}/edit"
    assert flashes(admin.get(response.headers["Location"])) == [
        t("%(name)s cannot be deleted because it has %(what)s. Deactivate it instead.",
          name="Phòng Bưu chính - Viễn thông", what=t("%(n)d users", n=1))]
    assert unit(db, "STTTT-BCVT") is not None


def test_a_unit_with_only_inactive_users_still_cannot_be_deleted(admin, db):
    bcvt = unit(db, "STTTT-BCVT")
    user(db, "khoa.dm").active = False
    db.session.commit()
    admin.post(f"/admin/units/{bcvt.id}/delete")
    assert unit(db, "STTTT-BCVT") is not None  # history is never erased


def test_a_unit_with_sub_units_cannot_be_deleted(admin, db):
    admin.post("/admin/units/new", data=new_unit_form(code="PARENT", name="Ban Chỉ đạo"))
    parent = unit(db, "PARENT")
    admin.post("/admin/units/new", data=new_unit_form(code="CHILD", name="Tổ giúp việc", parent_id=parent.id))
    admin.get("/admin/units")  # read the "created" messages
    response = admin.post(f"/admin/units/{parent.id}/delete")
    assert flashes(admin.get(response.headers["Location"])) == [
        t("%(name)s cannot be deleted because it has %(what)s. Deactivate it instead.",
          name="Ban Chỉ đạo", what=t("%(n)d sub-units", n=1))]
    assert unit(db, "PARENT") is not None


def test_deleting_an_empty_unit(admin, db):
    admin.post("/admin/units/new", data=new_unit_form(code="EMPTY", name="Ban Quản lý dự án"))
    admin.get("/admin/units")
    empty = unit(db, "EMPTY")
    edit_page = admin.get(f"/admin/units/{empty.id}/edit")
    assert doc(edit_page).xpath(f"//form[@action='/admin/units/{empty.id}/delete']")
    response = admin.post(f"/admin/units/{empty.id}/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/units"
    assert flashes(admin.get("/admin/units")) == [t("Unit %(name)s has been deleted.", name="Ban Quản lý dự án")]
    assert unit(db, "EMPTY") is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.delete"))
    assert event.changes == {"code": "EMPTY"} and event.summary == "Ban Quản lý dự án"


def test_unknown_unit_gives_404(admin):
    assert admin.get("/admin/units/9999/edit").status_code == 404
    assert admin.post("/admin/units/9999/delete").status_code == 404


# --- users ----------------------------------------------------------------------------

def test_create_user_who_must_change_the_password(app, admin, db):
    response = admin.post("/admin/users/new", data=new_user_form(db))
    assert response.status_code == 302
    assert flashes(admin.get("/admin/users")) == [t("User %(name)s has been created.", name="mai.tt")]
    mai = user(db, "mai.tt")
    assert mai.full_name == "Trịnh Thị Mai" and mai.unit.code == "STTTT-CNTT" and mai.role == "staff"
    assert mai.must_change_password is True
    assert mai.password_hash.startswith("scrypt:")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event.object_id == mai.id and event.changes == {"role": "staff", "unit": mai.unit_id}
    # The new user signs in and is sent to change the temporary password.
    client = app.test_client()
    response = client.post("/login", data={"username": "mai.tt", "password": "first-secret-1"})
    assert response.headers["Location"] == "/password"


def test_new_user_form_preselects_the_unit(admin, db):
    cntt = unit(db, "STTTT-CNTT")
    response = admin.get(f"/admin/users/new?unit={cntt.id}")
    assert doc(response).xpath("//select[@name='unit_id']/option[@selected]/@value") == [str(cntt.id)]


def test_username_taken_is_a_clear_form_error(admin, db):
    response = admin.post("/admin/users/new", data=new_user_form(db, username="lan.nt"))
    assert response.status_code == 200
    assert t(CORRECT_ERRORS) in flashes(response)
    assert field_errors(response, "username") == [t("This username is already taken.")]
    assert count(db, User) == 16


USER_FORM_ERRORS = [
    ({"username": "Mai TT"}, "username", "Lower-case letters, digits, dot, dash and underscore only."),
    ({"username": "LAN.NT"}, "username", "Lower-case letters, digits, dot, dash and underscore only."),
    ({"username": "m"}, "username", ("Field must be between %(min)d and %(max)d characters long.",
                                     {"min": 2, "max": 80})),
    ({"email": "mai.tt"}, "email", "Invalid email address."),
    ({"role": "superuser"}, "role", "Not a valid choice."),
    ({"language": "fr"}, "language", "Not a valid choice."),
    ({"unit_id": 9999}, "unit_id", "Not a valid choice."),
    ({"password": ""}, "password", "Give a temporary password; the user changes it at first sign-in."),
    ({"password": "short"}, "password", "Use at least 8 characters."),
    ({"password": "12345678"}, "password", "This password is too common. Choose another."),
    ({"password": "mai.tt.vn", "username": "mai.tt.vn"}, "password", "The password must not be your username."),
]


def test_user_form_validation_errors(admin, db):
    """Each bad value gets its error beside its field, and nobody is created."""
    wrong = []
    for changes, field, error in USER_FORM_ERRORS:
        if isinstance(error, tuple):  # WTForms fills the placeholders of its own messages
            error = t(error[0]) % error[1]
        response = admin.post("/admin/users/new", data=new_user_form(db, **changes))
        shown = field_errors(response, field)
        if response.status_code != 200 or t(CORRECT_ERRORS) not in flashes(response) or t(error) not in shown:
            wrong.append((changes, field, t(error), shown))
    assert wrong == []
    assert count(db, User) == 16


def test_edit_user(admin, db):
    lan = user(db, "lan.nt")
    bcxb = unit(db, "STTTT-BCXB")
    response = admin.post(f"/admin/users/{lan.id}/edit",
                          data=user_form(lan, unit_id=bcxb.id, position_title="Chuyên viên chính",
                                         email="lan.nt@stttt.gov.vn"))
    assert response.status_code == 302
    assert flashes(admin.get("/admin/users")) == [t("User %(name)s has been saved.", name="lan.nt")]
    db.session.refresh(lan)
    assert lan.unit_id == bcxb.id and lan.position_title == "Chuyên viên chính"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.update"))
    assert event.changes["position_title"] == ["Chuyên viên", "Chuyên viên chính"]
    assert event.changes["email"] == ["lan.nt@example.gov.vn", "lan.nt@stttt.gov.vn"]
    assert "lan.nt" in usernames(admin.get("/admin/users?q=chuyen+vien+chinh"))


def test_edit_user_keeps_the_password_and_sessions(login_as, admin, db):
    staff = login_as("lan.nt")
    lan = user(db, "lan.nt")
    old_hash = lan.password_hash
    admin.post(f"/admin/users/{lan.id}/edit", data=user_form(lan, full_name="Nguyễn Thị Lan Anh"))
    db.session.refresh(lan)
    assert lan.full_name == "Nguyễn Thị Lan Anh" and lan.password_hash == old_hash
    assert lan.must_change_password is False
    assert staff.get("/").status_code == 200


def test_renaming_a_user_to_a_taken_username_is_refused(admin, db):
    lan = user(db, "lan.nt")
    response = admin.post(f"/admin/users/{lan.id}/edit", data=user_form(lan, username="quang.dv"))
    assert response.status_code == 200
    assert field_errors(response, "username") == [t("This username is already taken.")]
    assert user(db, "lan.nt") is not None


def test_a_role_change_is_audited_and_signs_the_user_out(login_as, admin, db):
    staff = login_as("lan.nt")
    lan = user(db, "lan.nt")
    response = admin.post(f"/admin/users/{lan.id}/edit", data=user_form(lan, role="secretary"))
    assert response.status_code == 302
    db.session.refresh(lan)
    assert lan.role == "secretary"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_change"))
    assert event.changes == {"role": ["staff", "secretary"]}
    assert staff.get("/").status_code == 302


def test_an_admin_cannot_demote_or_deactivate_themself(admin, db):
    me = user(db, "admin")
    for changes in ({"role": "leader"}, {"active": None}):
        response = admin.post(f"/admin/users/{me.id}/edit", data=user_form(me, **changes))
        assert response.status_code == 200
        assert field_errors(response, "role") == [
            t("You cannot remove your own administrator rights or deactivate yourself.")]
    response = admin.post(f"/admin/users/{me.id}/active", data={"active": "0"})
    assert flashes(admin.get(response.headers["Location"])) == [t("You cannot deactivate yourself.")]
    db.session.refresh(me)
    assert me.role == "admin" and me.active


def test_deactivate_and_reactivate_a_user_from_the_list(app, login_as, admin, db):
    staff = login_as("lan.nt")
    lan = user(db, "lan.nt")
    listing = admin.get("/admin/users?q=lan.nt")
    form = doc(listing).xpath(f"//form[@action='/admin/users/{lan.id}/active']")[0]
    fields = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
    assert fields["active"] == "0" and text_of(form.xpath(".//button")[0]) == t("Deactivate")
    response = admin.post(f"/admin/users/{lan.id}/active", data=fields)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users?q=lan.nt"  # back to the same list
    page = admin.get(response.headers["Location"])
    assert flashes(page) == [t("User %(name)s has been deactivated and signed out.", name="lan.nt")]
    assert table_column(page, "Status") == [t("Inactive")]
    assert staff.get("/").status_code == 302
    assert count(db, UserSession, UserSession.user_id == lan.id, UserSession.revoked_at.is_(None)) == 0
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.deactivate")).object_id == lan.id
    # History stays: the user still exists, and can be brought back.
    response = admin.post(f"/admin/users/{lan.id}/active", data={"active": "1"})
    assert flashes(admin.get(response.headers["Location"])) == [t("User %(name)s has been activated.", name="lan.nt")]
    assert app.test_client().post("/login", data={"username": "lan.nt", "password": DEMO_PASSWORD}).status_code == 302


def test_deactivate_through_the_edit_form_signs_the_user_out(login_as, admin, db):
    staff = login_as("lan.nt")
    lan = user(db, "lan.nt")
    assert admin.post(f"/admin/users/{lan.id}/edit", data=user_form(lan, active=None)).status_code == 302
    db.session.refresh(lan)
    assert lan.active is False
    assert staff.get("/").status_code == 302


def test_the_back_link_after_deactivation_stays_in_admin(admin, db):
    lan = user(db, "lan.nt")
    response = admin.post(f"/admin/users/{lan.id}/active", data={"active": "0", "back": "https://evil.example/"})
    assert response.headers["Location"] == "/admin/users"


def test_temporary_password_form_errors(admin, db):
    lan = user(db, "lan.nt")
    for password, error in [("short", "Use at least 8 characters."),
                            ("password1", "This password is too common. Choose another."),
                            ("lan.nt.lan", None)]:
        old_hash = lan.password_hash
        response = admin.post(f"/admin/users/{lan.id}/password", data={"password": password})
        assert response.headers["Location"] == f"/admin/users/{lan.id}/edit"
        page = admin.get(response.headers["Location"])
        db.session.refresh(lan)
        if error:
            assert flashes(page) == [t(error)]
            assert lan.password_hash == old_hash
        else:
            assert lan.password_hash != old_hash and lan.must_change_password
            assert flashes(page) == [t("A temporary password has been set for %(name)s; they must change it "
                                       "at the next sign-in.", name="lan.nt")]
    lan2 = user(db, "quang.dv")
    response = admin.post(f"/admin/users/{lan2.id}/password", data={"password": "quang.dv"})
    assert t("The password must not be your username.") in flashes(admin.get(response.headers["Location"]))


def test_unknown_user_gives_404(admin):
    assert admin.get("/admin/users/9999/edit").status_code == 404
    assert admin.post("/admin/users/9999/active", data={"active": "0"}).status_code == 404
    assert admin.post("/admin/users/9999/password", data={"password": "long-enough-1"}).status_code == 404


# --- search, filters, paging ----------------------------------------------------------

UNIT_SEARCHES = [
    ("truyen hinh", ["DPTTH"]),
    ("Truyền hình", ["DPTTH"]),
    ("TRUYỀN HÌNH", ["DPTTH"]),
    ("so thong tin", ["STTTT", "STTTT-VP"]),  # "Văn phòng Sở Thông tin..." too
    ("Sở Thông tin", ["STTTT", "STTTT-VP"]),
    ("dai ptth", ["DPTTH"]),            # another name (alias)
    ("phu loc", ["H-PHULOC"]),
    ("huong tra", ["TX-HUONGTRA"]),
    ("stttt-cntt", ["STTTT-CNTT"]),     # the code
    ("ke hoach va dau tu", ["SKHDT"]),  # "Đầu tư": đ folds to d
    ("zzz", []),
    ("%", []),
    ("_", []),
]


def test_unit_search_ignores_accents_and_case(admin):
    wrong = []
    for query, expected in UNIT_SEARCHES:
        response = admin.get("/admin/units", query_string={"q": query})
        found = unit_codes(response)
        if response.status_code != 200 or found != expected:
            wrong.append((query, expected, found))
        if not expected and t("No unit matches these filters.") not in text_of(doc(response)):
            wrong.append((query, "no empty-list message"))
    assert wrong == []


def test_unit_filters(admin):
    assert unit_codes(admin.get("/admin/units?kind=district")) == ["H-PHULOC", "TX-HUONGTRA"]
    assert unit_codes(admin.get("/admin/units?kind=division&q=phong+cong+nghe")) == ["STTTT-CNTT"]
    assert unit_codes(admin.get("/admin/units?status=inactive")) == []


USER_SEARCHES = [
    ("truyen hinh", {"son.hx"}),                 # by unit name
    ("so thong tin", {"hai.nv", "minh.pq", "hoa.nt"}),
    ("nguyen thi", {"hoa.nt", "lan.nt"}),
    ("Nguyễn Văn", {"hai.nv", "hung.nv"}),
    ("lan.nt", {"lan.nt"}),
    ("pho giam doc", {"minh.pq"}),              # position title
    ("đặng minh", {"khoa.dm"}),
    ("nobody at all", set()),
]


def test_user_search_ignores_accents(admin):
    wrong = []
    for query, expected in USER_SEARCHES:
        found = set(usernames(admin.get("/admin/users", query_string={"q": query, "per_page": 100})))
        if found != expected:
            wrong.append((query, expected, found))
    assert wrong == []


def test_user_filters(admin, db):
    stttt = unit(db, "STTTT")
    in_stttt = set(usernames(admin.get(f"/admin/users?unit={stttt.id}&per_page=100")))
    assert in_stttt == {"hai.nv", "minh.pq", "hoa.nt", "tuan.la", "lan.nt", "quang.dv", "dung.tv", "khoa.dm"}
    leaders = set(usernames(admin.get(f"/admin/users?unit={stttt.id}&role=leader")))
    assert leaders == {"hai.nv", "minh.pq", "tuan.la"}
    user(db, "dung.tv").active = False
    db.session.commit()
    assert usernames(admin.get("/admin/users?status=inactive")) == ["dung.tv"]
    assert "dung.tv" not in usernames(admin.get("/admin/users?status=active&per_page=100"))


def test_users_are_sorted_by_given_name(admin):
    """Vietnamese names sort by the given name (the last word): An, Bình, Dũng, Hải..."""
    assert usernames(admin.get("/admin/users?per_page=100")) == [
        "an.pt", "binh.lv", "dung.tv", "hai.nv", "hoa.nt", "hung.nv", "khoa.dm", "lan.nt", "minh.pq", "nga.tt",
        "phuc.nd", "quang.dv", "son.hx", "admin", "thu.lt", "tuan.la"]  # admin is "Quản trị hệ thống"


def test_users_are_sorted_in_vietnamese_alphabetical_order(admin, db):
    """Vietnamese orders d < đ, a < ă < â, o < ô < ơ, u < ư (so Dung, Duy, then Đức)."""
    cntt = unit(db, "STTTT-CNTT").id
    for username, full_name in [("duc.nv", "Nguyễn Văn Đức"), ("dung.tt", "Trần Thị Dung"), ("duy.lv", "Lê Văn Duy"),
                                ("uyen.tt", "Tạ Thị Uyên"), ("ung.lv", "Lê Văn Ưng"), ("ut.nt", "Ngô Thị Út")]:
        response = admin.post("/admin/users/new", data=new_user_form(db, username=username, full_name=full_name,
                                                                     email=f"{username}@example.gov.vn",
                                                                     unit_id=cntt))
        assert response.status_code == 302
    listed = usernames(admin.get("/admin/users?per_page=100"))
    d_names = [u for u in listed if u in ("duc.nv", "dung.tt", "duy.lv")]
    assert d_names == ["dung.tt", "duy.lv", "duc.nv"]
    u_names = [u for u in listed if u in ("uyen.tt", "ung.lv", "ut.nt")]
    assert u_names == ["ut.nt", "uyen.tt", "ung.lv"]


def test_paging_units(admin):
    first = admin.get("/admin/units?per_page=5")
    assert unit_codes(first) == ["UBND", "DPTTH", "SKHDT", "SNV", "STC"]
    assert total(first) == 13
    pager = doc(first).xpath("//nav[@class='pager']")[0]
    assert pager.xpath(".//span[@aria-current='page']/text()") == ["1"]
    next_link = pager.xpath(".//a[@rel='next']/@href")[0]
    assert "per_page=5" in next_link and "page=2" in next_link
    second = admin.get(next_link)
    assert unit_codes(second) == ["STTTT", "STTTT-BCVT", "STTTT-CNTT", "STTTT-BCXB", "STTTT-VP"]
    third = admin.get("/admin/units?per_page=5&page=3")
    assert unit_codes(third) == ["SVHTTDL", "H-PHULOC", "TX-HUONGTRA"]
    assert not doc(third).xpath("//a[@rel='next']")
    assert doc(third).xpath("//a[@rel='prev']")
    beyond = admin.get("/admin/units?per_page=5&page=9")
    assert beyond.status_code == 200 and unit_codes(beyond) == []


def test_paging_keeps_the_filters(admin):
    first = admin.get("/admin/users?q=nguyen&per_page=2")
    assert total(first) == 5
    assert len(usernames(first)) == 2
    links = doc(first).xpath("//nav[@class='pager']//a/@href")
    assert links and all("q=nguyen" in link and "per_page=2" in link for link in links)
    seen = []
    for page in (1, 2, 3):
        seen += usernames(admin.get(f"/admin/users?q=nguyen&per_page=2&page={page}"))
    assert sorted(seen) == ["hai.nv", "hoa.nt", "hung.nv", "lan.nt", "phuc.nd"]


def test_one_page_shows_no_pager(admin):
    response = admin.get("/admin/units")
    assert not doc(response).xpath("//nav[@class='pager']")
    assert total(response) == 13


def test_bad_paging_arguments_are_harmless(admin):
    for query in ("page=abc", "page=-3", "per_page=0", "per_page=100000", "per_page=x"):
        assert admin.get(f"/admin/units?{query}").status_code == 200, query


# --- audit log ------------------------------------------------------------------------

def test_admin_actions_are_audited_and_shown(admin, db):
    admin.post("/admin/units/new", data=new_unit_form())
    admin.post("/admin/users/new", data=new_user_form(db))
    mai = user(db, "mai.tt")
    admin.post(f"/admin/users/{mai.id}/password", data={"password": "another-secret-2"})
    admin.post(f"/admin/users/{mai.id}/active", data={"active": "0"})

    page = admin.get("/admin/audit")
    assert page.status_code == 200
    actions = audit_actions(page)
    assert actions[:4] == ["user.deactivate", "user.temporary_password", "user.create", "unit.create"]
    assert set(table_column(page, "User")) == {"Quản trị hệ thống admin"}
    objects = table_column(page, "Object")
    assert objects[0] == f"user #{mai.id}"
    details = table_column(page, "Details")
    assert details[2].startswith("mai.tt")
    assert "Trung tâm Công nghệ thông tin và Truyền thông" in details[3]

    only_users = admin.get("/admin/audit?action=user.")
    assert audit_actions(only_users) == ["user.deactivate", "user.temporary_password", "user.create"]
    by_object = admin.get(f"/admin/audit?object_type=user&object_id={mai.id}")
    assert len(audit_actions(by_object)) == 3
    by_actor = admin.get("/admin/audit?actor=ADMIN")
    assert "unit.create" in audit_actions(by_actor)
    nobody = admin.get("/admin/audit?actor=lan.nt")
    assert t("Nothing recorded matches these filters.") in text_of(doc(nobody))


def test_audit_log_pages(admin, db):
    for i in range(4):
        admin.post("/admin/units/new", data=new_unit_form(code=f"U{i}", name=f"Ban số {i}"))
    first = admin.get("/admin/audit?action=unit.&per_page=3")
    assert audit_actions(first) == ["unit.create"] * 3
    assert total(first) == 4
    assert len(audit_actions(admin.get("/admin/audit?action=unit.&per_page=3&page=2"))) == 1
