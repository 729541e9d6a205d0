"""Cooperating parts through the pages: each cooperating unit's duty and deadline, its reports, the table.

The issuer gives each cooperating unit its duty and own deadline on the task
form (never after the task's); the unit reports on its part and marks it
done; the lead unit and the issuer follow every part in a table, by the
same status rules as tasks. Only the cooperating unit's people report on it.
"""
from __future__ import annotations

from datetime import date

import time_machine

from tests.pages import doc, text_of
from tests.tasks.pages import at, errors_of, flashes, main_text, notifications, refresh, unit, user
from tests.tasks.test_workflow import DEADLINE, ISSUED, directive, post, record_directive, task_form
from tracker.models import CooperatingPart, ProgressUpdate

PART_DEADLINE = date(2025, 3, 20)


def parts_table(response) -> list[list[str]]:
    """The rows of the task page's cooperating parts table (unit, duty, deadline, last report, status)."""
    return [[text_of(td) for td in tr.xpath("./td")] for tr in doc(response).xpath("//section[@id='parts']//tbody/tr")]


def reload_part(db, part) -> CooperatingPart:
    db.session.expire_all()
    return db.session.get(CooperatingPart, (part.task_id, part.unit_id))


def part_fields(db, **parts) -> dict[str, str]:
    """The form fields of each cooperating unit's row: part-ID-duty and part-ID-deadline."""
    fields = {}
    for code, (duty, deadline) in parts.items():
        unit_id = unit(db, code).id
        fields[f"part-{unit_id}-duty"] = duty
        fields[f"part-{unit_id}-deadline"] = deadline
    return fields


def new_task(client, db, d, **parts):
    return client.post(f"/directives/{d.id}/tasks/new", data={
        **task_form(db, "Triển khai kế hoạch ứng dụng IPv6 cho các cơ quan nhà nước", coop=list(parts)),
        **part_fields(db, **parts)})


def test_the_issuer_gives_each_cooperating_unit_its_duty_and_own_deadline(login_as, db):
    with time_machine.travel(at(ISSUED), tick=False):
        thu = login_as("thu.lt")
        record_directive(thu, db)
        d = directive(db, "45/TB-UBND")
        form = thu.get(f"/directives/{d.id}/tasks/new")
        assert "Duty and deadline of each cooperating unit" in main_text(form)

        # A part's deadline after the task's is refused beside the units, and nothing is saved.
        response = new_task(thu, db, d, SNV=("Thẩm định vị trí việc làm", "2025-04-05"), STC=("", ""))
        assert response.status_code == 200
        assert errors_of(response, "cooperating_unit_ids") == [
            "The deadline of Sở Nội vụ (05/04/2025) cannot be after the task's (31/03/2025)."]
        assert not refresh(db, d).tasks
        # What was typed is still there.
        assert doc(response).xpath(f"//textarea[@name='part-{unit(db, 'SNV').id}-duty']")[0].text == \
            "Thẩm định vị trí việc làm"
        response = new_task(thu, db, d, SNV=("Thẩm định", "31/02/2025"))
        assert errors_of(response, "cooperating_unit_ids") == [
            "Enter a valid date for each cooperating unit's deadline."]

        response = new_task(thu, db, d, SNV=("Thẩm định vị trí việc làm", "2025-03-20"), STC=("", ""))
        assert response.status_code == 302
        task = refresh(db, d).tasks[0]
        parts = {p.unit.code: (p.duty, p.deadline, p.deadline_in_force) for p in task.cooperating_parts}
        assert parts == {"SNV": ("Thẩm định vị trí việc làm", PART_DEADLINE, PART_DEADLINE),
                         "STC": ("", None, DEADLINE)}

        # The edit form shows each unit's row as saved; a change is kept in the history.
        edit = thu.get(f"/tasks/{task.id}/edit")
        snv = unit(db, "SNV").id
        assert doc(edit).xpath(f"//input[@name='part-{snv}-deadline']/@value") == ["2025-03-20"]
        data = {**task_form(db, task.title, coop=["SNV", "STC"]), "version": task.version,
                **part_fields(db, SNV=("Thẩm định và góp ý", "2025-03-25"), STC=("Bố trí kinh phí", ""))}
        assert thu.post(f"/tasks/{task.id}/edit", data=data).status_code == 302
        parts = {p.unit.code: (p.duty, p.deadline) for p in refresh(db, task).cooperating_parts}
        assert parts == {"SNV": ("Thẩm định và góp ý", date(2025, 3, 25)), "STC": ("Bố trí kinh phí", None)}
        history = main_text(thu.get(f"/tasks/{task.id}"))
        assert "Cooperating parts" in history and "Thẩm định và góp ý" in history


def test_a_cooperating_unit_reports_on_its_part_and_the_issuer_follows_the_table(login_as, db):
    with time_machine.travel(at(ISSUED), tick=False):
        thu = login_as("thu.lt")
        record_directive(thu, db)
        d = directive(db, "45/TB-UBND")
        assert new_task(thu, db, d, DPTTH=("Phát sóng chuyên mục IPv6", "2025-03-20"),
                        STC=("Bố trí kinh phí", "")).status_code == 302
        assert thu.post(f"/directives/{d.id}/publish").status_code == 302
        task = d.tasks[0]
        assert parts_table(thu.get(f"/tasks/{task.id}")) == [  # in the unit tree's order
            ["Đài Phát thanh và Truyền hình tỉnh", "Phát sóng chuyên mục IPv6", "20/03/2025", "No report yet",
             "In progress"],
            ["Sở Tài chính", "Bố trí kinh phí", "31/03/2025", "No report yet", "In progress"]]

    # The station's director sees his unit's duty, reports on it and marks the part done, a day late.
    with time_machine.travel(at(date(2025, 3, 21)), tick=False):
        son = login_as("son.hx")
        page = son.get(f"/tasks/{task.id}")
        assert "Your unit's duty: Phát sóng chuyên mục IPv6 · Deadline: 20/03/2025" in main_text(page)
        assert [row[0] for row in parts_table(page)] == ["Đài Phát thanh và Truyền hình tỉnh"]  # its own part only
        assert parts_table(page)[0][-1] == "Overdue"
        response = post(son, f"/tasks/{task.id}/updates", {
            "progress": 100, "results": "Đã phát sóng 4 chuyên mục về IPv6.", "part_done": "y"})
        assert "Your unit's report on its part has been recorded." in flashes(response)
        part = db.session.get(CooperatingPart, (task.id, unit(db, "DPTTH").id))
        assert (part.done_on, part.progress, refresh(db, task).progress) == (date(2025, 3, 21), 100, 0)
        assert "Our unit's part is done" not in main_text(son.get(f"/tasks/{task.id}"))  # done stays done

    # The issuer and the lead unit see every part: unit, duty, deadline, last report, status.
    with time_machine.travel(at(date(2025, 4, 2)), tick=False):
        for who in ("thu.lt", "hai.nv"):
            rows = {row[0]: row for row in parts_table(login_as(who).get(f"/tasks/{task.id}"))}
            assert rows["Đài Phát thanh và Truyền hình tỉnh"][1:] == [
                "Phát sóng chuyên mục IPv6", "20/03/2025", "21/03/2025 · 100%Đã phát sóng 4 chuyên mục về IPv6.",
                "Done late done 21/03/2025"]
            assert rows["Sở Tài chính"][1:] == ["Bố trí kinh phí", "31/03/2025", "No report yet", "Overdue"]
    # As of a past day, as then.
    with time_machine.travel(at(date(2025, 4, 2)), tick=False):
        rows = {row[0]: row for row in parts_table(login_as("thu.lt").get(f"/tasks/{task.id}?as_of=2025-03-15"))}
        assert rows["Sở Tài chính"][-1] == "In progress"


def test_only_the_cooperating_units_people_report_on_a_part(login_as, db):
    with time_machine.travel(at(ISSUED), tick=False):
        thu = login_as("thu.lt")
        record_directive(thu, db)
        d = directive(db, "45/TB-UBND")
        new_task(thu, db, d, DPTTH=("Phát sóng", ""))
        thu.post(f"/directives/{d.id}/publish")
        task = d.tasks[0]
        before = db.session.query(ProgressUpdate).count()
        # The lead unit's report cannot mark a part done: it is the task's own progress report.
        hai = login_as("hai.nv")
        assert "Our unit's part is done" not in main_text(hai.get(f"/tasks/{task.id}"))
        # A department that is not a party does not even see the task.
        assert login_as("binh.lv").post(f"/tasks/{task.id}/updates", data={
            "results": "Không liên quan", "part_done": "y"}).status_code == 404
        assert db.session.query(ProgressUpdate).count() == before
        assert db.session.get(CooperatingPart, (task.id, unit(db, "DPTTH").id)).done_on is None


def test_a_cooperating_units_leader_puts_a_person_on_its_part(login_as, db):
    with time_machine.travel(at(ISSUED), tick=False):
        thu = login_as("thu.lt")
        record_directive(thu, db)
        d = directive(db, "45/TB-UBND")
        # Led by Home Affairs; the department of Information and Communications cooperates.
        assert thu.post(f"/directives/{d.id}/tasks/new", data={
            **task_form(db, "Chuẩn hóa dữ liệu cán bộ, công chức", lead="SNV", coop=["STTTT"]),
            **part_fields(db, STTTT=("Kết nối cơ sở dữ liệu", ""))}).status_code == 302
        thu.post(f"/directives/{d.id}/publish")
        task = d.tasks[0]
        sttt = unit(db, "STTTT").id
        lan = user(db, "lan.nt")

        hai = login_as("hai.nv")
        assert "Person in charge of the part" in main_text(hai.get(f"/tasks/{task.id}"))
        response = post(hai, f"/tasks/{task.id}/parts/{sttt}/assign", {"assignee_id": lan.id})
        assert "The person in charge of your unit's part has been saved." in flashes(response)
        part = db.session.get(CooperatingPart, (task.id, sttt))
        assert part.assignee.username == "lan.nt"
        assert [n.task_id for n in notifications(db, "lan.nt", "cooperating")] == [task.id]
        assert "Nguyễn Thị Lan" in parts_table(thu.get(f"/tasks/{task.id}"))[0][0]

        # Someone outside the unit cannot (the lead unit's director included); nor a person of another unit.
        assert login_as("binh.lv").post(f"/tasks/{task.id}/parts/{sttt}/assign",
                                        data={"assignee_id": 0}).status_code == 403
        assert reload_part(db, part).assignee_id == lan.id
        response = post(hai, f"/tasks/{task.id}/parts/{sttt}/assign", {"assignee_id": user(db, "binh.lv").id})
        assert flashes(response) == [
            "Please correct the errors below. Choose an active member of Sở Thông tin và Truyền thông."]
        assert reload_part(db, part).assignee_id == lan.id
        assert hai.post(f"/tasks/{task.id}/parts/999999/assign", data={"assignee_id": 0}).status_code == 404
