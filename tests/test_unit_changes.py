"""Units change on a date by a decision: rename, merge, split, dissolve (services and command line)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.api.conftest import Api
from tests.conftest import flask_command
from tracker.database import db as _db
from tracker.models import AuditEvent, Notification, Task, TaskTransfer, Unit, User
from tracker.services import units as changes
from tracker.services.errors import Invalid
from tracker.services.units import add_unit
from tracker.timeutil import today as local_today


def unit(code: str) -> Unit:
    return _db.session.scalar(select(Unit).where(Unit.code == code))


def user(username: str) -> User:
    return _db.session.scalar(select(User).where(User.username == username))


def lead_codes(*states: str) -> dict[str, int]:
    rows = _db.session.execute(select(Unit.code, func.count()).join(Task, Task.lead_unit_id == Unit.id)
                               .where(Task.state.in_(states)).group_by(Unit.code)).all()
    return dict(rows)


@pytest.fixture
def demo(app):
    """The demo's story as if the units had never changed: the changes here are the tests'."""
    from tracker.demo import load_demo

    counts = load_demo(reorganised=False)
    _db.session.commit()
    return counts


@pytest.fixture
def api(app, demo, client):
    return Api(app, client)


@pytest.fixture
def skhcn(app, db, demo):
    """The Department of Science and Technology, before Sở TT&TT merges into it."""
    created = add_unit("SKHCN", "Sở Khoa học và Công nghệ", short_name="Sở KH&CN", parent=unit("UBND"))
    add_unit("SKHCN-VP", "Văn phòng Sở Khoa học và Công nghệ", kind="division", parent=created)
    db.session.commit()
    return created


def test_merge_hands_open_work_to_the_successor_and_keeps_closed_tasks(app, db, skhcn):
    today = local_today()
    open_before = lead_codes("open", "submitted")["STTTT"]
    closed_before = lead_codes("done", "cancelled")["STTTT"]
    on = today - timedelta(days=10)
    result = changes.merge_units(None, [unit("STTTT")], skhcn, on=on, decision="25/QĐ-UBND", today=today)
    db.session.commit()

    assert (result.tasks, result.users) == (open_before, 3)
    assert lead_codes("open", "submitted")["SKHCN"] == open_before
    assert "STTTT" not in lead_codes("open", "submitted")
    assert lead_codes("done", "cancelled")["STTTT"] == closed_before  # done by the unit that did them
    stttt = unit("STTTT")
    assert stttt.ended_on == on and not stttt.active and stttt.successors == [skhcn]
    assert stttt.parent == skhcn  # shown under its successor, whose people keep its history in reach
    assert stttt.ended_by.decision == "25/QĐ-UBND"
    assert user("hai.nv").unit == skhcn and user("lan.nt").unit.code == "STTTT-CNTT"
    assert unit("STTTT-CNTT").parent == skhcn and unit("STTTT-CNTT").path.startswith(skhcn.path)
    assert {"Sở Thông tin và Truyền thông", "Sở TT&TT", "Sở TTTT"} <= set(skhcn.aliases)
    transfers = db.session.scalars(select(TaskTransfer)).all()
    assert len([t for t in transfers if t.role == "lead"]) == open_before
    assert all(t.effective_on == on and t.from_unit == stttt for t in transfers)
    moved = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task.transfer")).all()
    assert len(moved) == open_before and moved[0].changes["decision"] == "25/QĐ-UBND"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.merge")).object_id == stttt.id
    told = db.session.scalars(select(Notification).where(Notification.kind == "unit_change")).all()
    assert {n.user.username for n in told} == {"hai.nv", "minh.pq"}  # the successor's leaders, moved with it
    assert "Sở Thông tin và Truyền thông → Sở Khoa học và Công nghệ" in told[0].title
    assert "25/QĐ-UBND" in told[0].title


def test_merge_passes_cooperating_parts_on(app, db, demo):
    today = local_today()
    stc, skhdt = unit("STC"), unit("SKHDT")
    open_with_skhdt = [t for t in db.session.scalars(select(Task)) if skhdt in t.cooperating_units and not t.is_closed]
    closed_with_skhdt = [t for t in db.session.scalars(select(Task)) if skhdt in t.cooperating_units and t.is_closed]
    assert open_with_skhdt and closed_with_skhdt
    result = changes.merge_units(None, [skhdt], stc, on=today - timedelta(days=1), today=today)
    db.session.commit()
    assert result.parts == len(open_with_skhdt)
    for task in open_with_skhdt:
        assert skhdt not in task.cooperating_units and stc in task.cooperating_units
    for task in closed_with_skhdt:
        assert skhdt in task.cooperating_units


def test_split_gives_each_open_task_to_one_successor(app, db, demo):
    today = local_today()
    district = unit("H-PHULOC")
    a = add_unit("X-PHULOC", "Ủy ban nhân dân xã Phú Lộc", kind="commune", parent=unit("UBND"))
    b = add_unit("X-LOCAN", "Ủy ban nhân dân xã Lộc An", kind="commune", parent=unit("UBND"))
    directive = db.session.scalars(select(Task)).first().directive
    from tracker.services import workflow
    tasks = [workflow.add_task(user("thu.lt"), directive, workflow.TaskData(
        title=f"Rà soát hộ nghèo {i}", lead_unit=district, deadline=today + timedelta(days=30)), today)
        for i in range(3)]
    db.session.commit()
    result = changes.split_unit(None, district, [a, b], on=today, decision="1678/NQ-UBTVQH15", today=today,
                                tasks_to=b, task_targets={tasks[0].id: a})
    db.session.commit()
    assert result.tasks == 3
    assert [t.lead_unit.code for t in tasks] == ["X-PHULOC", "X-LOCAN", "X-LOCAN"]
    assert user("phuc.nd").unit == b
    assert district.successors == [a, b]


def test_rename_keeps_the_unit_and_its_former_name(app, db, demo):
    today = local_today()
    snv = unit("SNV")
    changes.rename_unit(None, snv, "Sở Nội vụ và Lao động", short_name="Sở NV&LĐ", on=today, decision="12/QĐ-UBND",
                        today=today)
    db.session.commit()
    assert snv.name == "Sở Nội vụ và Lao động" and snv.active and snv.ended_on is None
    assert "Sở Nội vụ" in snv.aliases
    history = changes.unit_history(snv)
    assert [(c.kind, c.former_name) for c in history] == [("rename", "Sở Nội vụ")]


@pytest.mark.parametrize("make, field", [
    (lambda u, t: changes.merge_units(None, [u("STC")], u("STC"), on=t, today=t), "into"),
    (lambda u, t: changes.merge_units(None, [u("STTTT")], u("STTTT-CNTT"), on=t, today=t), "into"),
    (lambda u, t: changes.merge_units(None, [u("STC")], u("SNV"), on=t + timedelta(days=1), today=t), "on"),
    (lambda u, t: changes.merge_units(None, [u("STC")], u("SNV"), on=None, today=t), "on"),
    (lambda u, t: changes.split_unit(None, u("STC"), [u("SNV")], on=t, today=t), "into"),
    (lambda u, t: changes.split_unit(None, u("STC"), [u("SNV"), u("SKHDT")], tasks_to=u("DPTTH"), on=t, today=t),
     "tasks_to"),
    (lambda u, t: changes.rename_unit(None, u("STC"), "  ", on=t, today=t), "name"),
])
def test_changes_refuse_bad_input(app, db, demo, make, field):
    with pytest.raises(Invalid) as refused:
        make(unit, local_today())
    assert field in refused.value.fields


def test_an_ended_unit_cannot_change_again(app, db, demo):
    today = local_today()
    changes.dissolve_unit(None, unit("SKHDT"), unit("STC"), on=today, today=today)
    db.session.commit()
    with pytest.raises(Invalid) as refused:
        changes.dissolve_unit(None, unit("SKHDT"), unit("SNV"), on=today, today=today)
    assert "unit" in refused.value.fields
    with pytest.raises(Invalid) as refused:
        changes.merge_units(None, [unit("SNV")], unit("SKHDT"), on=today, today=today)
    assert "into" in refused.value.fields


# --- the command line ------------------------------------------------------------------

def one_error_line(result) -> str:
    assert result.exit_code != 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0].removeprefix("Error: ")


@pytest.mark.usefixtures("cli_context")
def test_cli_merge_split_rename_dissolve(app, db, skhcn):
    flask = flask_command
    result = flask(app, "units", "merge", "STTTT", "--into", "SKHCN", "--on", "2025-03-01",
                   "--decision", "25/QĐ-UBND")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Merged STTTT into SKHCN on 2025-03-01 (25/QĐ-UBND): ")
    assert "3 users" in result.output
    db.session.expire_all()
    assert unit("STTTT").ended_on.isoformat() == "2025-03-01"
    assert "STTTT\tSở Thông tin và Truyền thông\tSKHCN\tdepartment\tended 2025-03-01" in flask(app, "units",
                                                                                              "list").output

    result = flask(app, "units", "rename", "SNV", "--name", "Sở Nội vụ và Lao động", "--on", "2025-03-01")
    assert result.output.strip() == "Renamed SNV: Sở Nội vụ → Sở Nội vụ và Lao động on 2025-03-01"

    for code, name in (("X-A", "Xã A"), ("X-B", "Xã B")):
        assert flask(app, "units", "create", code, "--name", name, "--kind", "commune", "--parent", "UBND").exit_code == 0
    result = flask(app, "units", "split", "H-PHULOC", "--into", "X-A,X-B", "--on", "2025-07-01", "--tasks-to", "X-B")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Split H-PHULOC into X-A, X-B on 2025-07-01: ")
    assert result.output.strip().endswith("to X-B")

    result = flask(app, "units", "dissolve", "TX-HUONGTRA", "--into", "X-A", "--on", "2025-07-01")
    assert result.output.startswith("Dissolved TX-HUONGTRA into X-A on 2025-07-01: "), result.output


@pytest.mark.usefixtures("cli_context")
@pytest.mark.parametrize("args, expected", [
    (("merge", "NOPE", "--into", "STC", "--on", "2025-03-01"), "unknown unit: NOPE"),
    (("merge", "SKHDT", "--into", "STC", "--on", "1/3/2025"), "bad date: 1/3/2025 (use YYYY-MM-DD)"),
    (("merge", "SKHDT", "--into", "SKHDT", "--on", "2025-03-01"), "into: "),
    (("merge", "SKHDT", "--into", "STC", "--on", "2999-01-01"), "on: "),
    (("split", "SKHDT", "--into", "STC", "--on", "2025-03-01"), "into: "),
    (("dissolve", "SKHDT", "--into", "NOPE", "--on", "2025-03-01"), "unknown unit: NOPE"),
    (("rename", "SKHDT", "--name", "Sở Kế hoạch và Đầu tư", "--on", "2025-03-01"), "name: "),
    (("create", "H-NEW", "--name", "UBND huyện Mới", "--kind", "district"), "01/7/2025"),  # in the default language
])
def test_cli_refuses_bad_input_in_one_line(app, db, demo, args, expected):
    line = one_error_line(flask_command(app, "units", *args))
    assert line.startswith(expected) or expected in line, line


@pytest.mark.usefixtures("cli_context")
def test_cli_creates_a_district_that_existed_before_july_2025(app, db, demo):
    result = flask_command(app, "units", "create", "H-OLD", "--name", "UBND huyện Cũ", "--kind", "district",
                           "--since", "2010-01-01")
    assert result.exit_code == 0, result.output


# --- figures, API -------------------------------------------------------------------------

def merged(db, skhcn, days_ago: int = 10):
    today = local_today()
    changes.merge_units(None, [unit("STTTT")], skhcn, on=today - timedelta(days=days_ago), decision="25/QĐ-UBND",
                        today=today)
    db.session.commit()
    return today - timedelta(days=days_ago)


def by_unit(api, as_of=None) -> dict[str, dict]:
    query = f"/stats?as_of={as_of.isoformat()}" if as_of else "/stats"
    return {row["unit"]: row for row in api.get("nga.tt", query).get_json()["by_unit"]}


def test_figures_before_the_change_show_the_former_unit_and_after_it_the_successor(app, db, skhcn, api):
    before_change = {k: v for k, v in by_unit(api, local_today() - timedelta(days=11)).items()}
    on = merged(db, skhcn)
    before = by_unit(api, on - timedelta(days=1))
    assert before == before_change  # last month's report reads as it did
    assert "SKHCN" not in before and before["STTTT"]["taken_over_from"] == []
    after = by_unit(api)
    assert after["SKHCN"]["taken_over_from"] == ["STTTT"]
    assert after["SKHCN"]["in_progress"] + after["SKHCN"]["overdue"] == before["STTTT"]["in_progress"] + \
        before["STTTT"]["overdue"]
    assert after["STTTT"]["done_on_time"] + after["STTTT"]["done_late"] == 2  # closed tasks stay with their unit
    assert after["STTTT"]["in_progress"] == after["STTTT"]["overdue"] == 0
    on_the_day = by_unit(api, on)
    assert on_the_day["SKHCN"]["taken_over_from"] == ["STTTT"]


def test_dashboard_rows_say_whose_tasks_a_successor_took_over(app, db, skhcn, login_as):
    merged(db, skhcn)
    page = login_as("nga.tt").get("/dashboard").get_data(as_text=True)
    assert "gồm nhiệm vụ tiếp nhận từ Sở Thông tin và Truyền thông" in page
    old = login_as("nga.tt").get(f"/dashboard?as_of={(local_today() - timedelta(days=20)).isoformat()}")
    assert "tiếp nhận từ" not in old.get_data(as_text=True)


def test_api_units_lists_former_units_on_request(app, db, skhcn, api):
    on = merged(db, skhcn)
    codes = [u["code"] for u in api.get("admin", "/units?per_page=200").get_json()["items"]]
    assert "STTTT" not in codes and "SKHCN" in codes and "STTTT-CNTT" in codes
    everything = {u["code"]: u for u in api.get("admin", "/units?per_page=200&include_former=1").get_json()["items"]}
    assert everything["STTTT"]["ended_on"] == on.isoformat() and everything["STTTT"]["successors"] == ["SKHCN"]
    assert everything["STTTT-CNTT"]["parent"] == "SKHCN" and everything["STTTT"]["parent"] == "SKHCN"
    assert everything["SKHCN"]["ended_on"] is None and everything["SKHCN"]["successors"] == []
    assert api.get("admin", "/units?include_former=maybe").status_code == 422


# --- admin pages -----------------------------------------------------------------------

def test_admin_merges_a_unit_from_its_page_and_the_tree_shows_the_former_unit(app, db, skhcn, login_as):
    from tests.pages import doc, errors_of, flashes, t, text_of

    admin = login_as("admin")
    stttt = unit("STTTT")
    page = admin.get("/admin/units")
    assert f"/admin/units/{stttt.id}/rename" in page.get_data(as_text=True)
    form = admin.get(f"/admin/units/{stttt.id}/merge")
    assert form.status_code == 200
    offered = doc(form).xpath("//select[@name='into']/option/@value")
    assert str(skhcn.id) in offered and str(unit("STTTT-CNTT").id) not in offered  # not its own sub-units

    refused = admin.post(f"/admin/units/{stttt.id}/merge", data={"into": skhcn.id, "on": "01/03/2999"})
    assert refused.status_code == 200
    assert errors_of(refused, "on") == [t("The change must have taken effect: enter it on or after its date.")]
    assert unit("STTTT").ended_on is None

    done = admin.post(f"/admin/units/{stttt.id}/merge",
                      data={"into": skhcn.id, "on": "01/03/2025", "decision": "25/QĐ-UBND"})
    assert done.status_code == 302, done.get_data(as_text=True)
    tree = admin.get("/admin/units")
    assert flashes(tree)[0].startswith(t("The change of %(name)s has been saved: %(tasks)d open tasks, %(users)d "
                                         "users and %(units)d sub-units passed on.", name="Sở Thông tin và Truyền "
                                         "thông", tasks=8, users=3, units=4)[:20])
    row = doc(tree).xpath("//tr[td/code='STTTT']")[0]
    assert "former" in row.get("class")
    assert "Sở Khoa học và Công nghệ" in text_of(row) and "01/03/2025" in text_of(row) and "25/QĐ-UBND" in text_of(row)
    successor_row = text_of(doc(tree).xpath("//tr[td/code='SKHCN']")[0])
    assert "Sở Thông tin và Truyền thông" in successor_row
    assert unit_codes_of(admin.get("/admin/units?status=former")) == ["STTTT"]
    # An ended unit changes no more.
    again = admin.get(f"/admin/units/{stttt.id}/dissolve")
    assert again.status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.merge")).actor.username == "admin"


def unit_codes_of(response) -> list[str]:
    from tests.pages import doc, t, text_of

    return [text_of(td) for td in doc(response).xpath(f"//table//td[@data-label='{t('Code')}']")]


def test_admin_splits_a_district_choosing_each_tasks_successor(app, db, demo, login_as):
    from tracker.services import workflow

    today = local_today()
    district = unit("H-PHULOC")
    a = add_unit("X-PHULOC", "Ủy ban nhân dân xã Phú Lộc", kind="commune", parent=unit("UBND"))
    b = add_unit("X-LOCAN", "Ủy ban nhân dân xã Lộc An", kind="commune", parent=unit("UBND"))
    directive = db.session.scalars(select(Task)).first().directive
    tasks = [workflow.add_task(user("thu.lt"), directive, workflow.TaskData(
        title=f"Rà soát hộ nghèo {i}", lead_unit=district, deadline=today + timedelta(days=30)), today)
        for i in range(2)]
    db.session.commit()
    admin = login_as("admin")
    page = admin.get(f"/admin/units/{district.id}/split")
    assert "Rà soát hộ nghèo 0" in page.get_data(as_text=True)
    response = admin.post(f"/admin/units/{district.id}/split", data={
        "into": [a.id, b.id], "tasks_to": a.id, "on": "01/07/2025", "decision": "1678/NQ-UBTVQH15",
        f"task-{tasks[1].id}": b.id})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert [t.lead_unit.code for t in tasks] == ["X-PHULOC", "X-LOCAN"]


def test_admin_renames_a_unit_and_refuses_a_new_district(app, db, demo, login_as):
    from tests.pages import errors_of, t

    admin = login_as("admin")
    snv = unit("SNV")
    response = admin.post(f"/admin/units/{snv.id}/rename",
                          data={"name": "Sở Nội vụ và Lao động", "on": "01/03/2025"})
    assert response.status_code == 302
    assert t("Named %(name)s until %(day)s", name="Sở Nội vụ", day="28/02/2025") in \
        admin.get("/admin/units").get_data(as_text=True)
    db.session.expire_all()
    assert unit("SNV").name == "Sở Nội vụ và Lao động"
    new = {"code": "H-MOI", "name": "UBND huyện Mới", "kind": "district", "parent_id": unit("UBND").id,
           "active": "y"}
    refused = admin.post("/admin/units/new", data=new)
    assert errors_of(refused, "kind") == [t("Districts were abolished on 1 July 2025: create a commune or ward "
                                             "instead.")]
    accepted = admin.post("/admin/units/new", data={**new, "started_on": "01/01/2010"})
    assert accepted.status_code == 302
    assert admin.get("/admin/units/%d/explode" % snv.id).status_code == 404
    assert admin.get("/admin/units/999999/merge").status_code == 404
    assert login_as("nga.tt").get(f"/admin/units/{snv.id}/rename").status_code == 403


# --- the conclusion assistant ------------------------------------------------------------

def test_the_assistant_gives_a_former_units_task_to_its_successor_and_says_so(app, db, skhcn, login_as):
    from tests.pages import t
    from tracker.models import Directive

    merged(db, skhcn)
    directive = db.session.scalar(select(Directive).where(Directive.number == "125/TB-UBND"))
    page = login_as("thu.lt").post(f"/directives/{directive.id}/extract", data={
        "text": "Giao Sở Thông tin và Truyền thông triển khai kế hoạch ứng dụng IPv6, hoàn thành trước ngày 30/12/2026."})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<option value="{skhcn.id}" selected>' in html
    stttt = unit("STTTT")
    assert t("%(former)s no longer exists (since %(day)s): its work passes to %(successor)s.",
             former="Sở Thông tin và Truyền thông", day=stttt.ended_on.strftime("%d/%m/%Y"),
             successor="Sở Khoa học và Công nghệ") in html


def test_former_units_named_in_a_text():
    from datetime import date

    from tracker.rules.units import FormerUnit, former_units_named

    formers = [FormerUnit("STTTT", ("Sở Thông tin và Truyền thông", "Sở TT&TT"), "SKHCN", date(2025, 3, 1)),
               FormerUnit("SKHDT", ("Sở Kế hoạch và Đầu tư",), "STC", date(2025, 3, 1))]
    assert former_units_named("Giao SỞ THONG TIN VA TRUYEN THONG chủ trì", formers) == formers[:1]
    assert former_units_named("phối hợp Sở TT&TT, Sở Kế hoạch và Đầu tư", formers) == formers
    assert former_units_named("Bộ Thông tin và Truyền thông", formers) == []


def test_the_successors_leader_still_sees_the_former_units_closed_tasks(app, db, skhcn, api):
    before = {t["id"] for t in api.get("hai.nv", "/tasks?per_page=200").get_json()["items"]}
    merged(db, skhcn)
    after = api.get("hai.nv", "/tasks?per_page=200").get_json()["items"]
    assert {t["id"] for t in after} == before
    assert {t["lead_unit"] for t in after if t["state"] == "done"} == {"STTTT"}
    assert {t["lead_unit"] for t in after if t["state"] in ("open", "submitted") and t["parent"] is None} == {"SKHCN"}


# --- the demo data: today's province ------------------------------------------------------

def test_the_demo_is_todays_province_with_its_history(app, db):
    """The 2020 notice to Sở TT&TT; its open tasks with Sở KH&CN from 1 March 2025; communes for districts."""
    from tracker.demo import load_demo
    from tracker.models import Directive

    load_demo()
    db.session.commit()
    notice = db.session.scalar(select(Directive).where(Directive.number == "125/TB-UBND"))
    assert notice.issued_on.isoformat() == "2020-05-29"
    stttt, skhcn = unit("STTTT"), unit("SKHCN")
    assert stttt.ended_on.isoformat() == "2025-03-01" and stttt.successors == [skhcn]
    assert stttt.ended_by.decision == "25/QĐ-UBND"
    assert {t.lead_unit.code for t in notice.tasks if t.parent_id is None} == {"SKHCN"}
    assert user("hai.nv").unit == skhcn and unit("STTTT-CNTT").parent == skhcn
    for district, commune in (("H-PHULOC", "X-PHULOC"), ("TX-HUONGTRA", "P-HUONGTRA")):
        assert unit(district).ended_on.isoformat() == "2025-07-01" and unit(district).successors == [unit(commune)]
        assert unit(commune).kind == "commune"
    assert user("phuc.nd").unit.code == "X-PHULOC"
    assert not db.session.scalar(select(func.count()).select_from(Notification)
                                 .where(Notification.kind == "unit_change"))  # history: nobody told today
    api = Api(app, app.test_client())
    before = by_unit(api, date(2025, 2, 28))
    assert "STTTT" in before and "SKHCN" not in before
    after = by_unit(api)
    assert after["SKHCN"]["taken_over_from"] == ["STTTT"]
