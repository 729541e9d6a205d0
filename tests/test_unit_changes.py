"""Units change on a date by a decision: rename, merge, split, dissolve (services and command line)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

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
    assert "STTTT\tSở Thông tin và Truyền thông\tUBND\tdepartment\tended 2025-03-01" in flask(app, "units",
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
