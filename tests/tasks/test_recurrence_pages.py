"""A periodic task through the pages: added with "Định kỳ", its periods as marks, one period reported done."""
from __future__ import annotations

import html as html_lib
import re
from datetime import date

import time_machine

from tests.tasks.pages import at, batch_rows, directive, errors_of, flashes, main_text, task_like, unit, user
from tests.tasks.test_workflow import record_directive, task_form
from tracker.services import recurrence


def period_marks(page) -> list[tuple[str, str]]:
    """(title, text) of each period mark on the task page."""
    html = page.get_data(as_text=True)
    return re.findall(r'<li class="badge [a-z_]+" title="([^"]*)">([^<]*)</li>', html)


def test_a_monthly_report_task_added_shown_and_reported(login_as, db):
    with time_machine.travel(at(date(2025, 3, 3)), tick=False):
        thu = login_as("thu.lt")
        assert record_directive(thu, db).status_code == 302
        d = directive(db, "45/TB-UBND")
        page = thu.get(f"/directives/{d.id}/tasks/new")
        assert "Recurrence (định kỳ)" in main_text(page)
        # A day out of range is refused beside the field.
        bad = thu.post(f"/directives/{d.id}/tasks/new", data=task_form(
            db, "Báo cáo tình hình", deadline=None, recur_every="month", recur_day="40"))
        assert bad.status_code == 200 and errors_of(bad, "recur_day")
        response = thu.post(f"/directives/{d.id}/tasks/new", data=task_form(
            db, "Báo cáo tình hình chuyển đổi số trước ngày 20 hằng tháng", deadline=None, assignee="hai.nv",
            recur_every="month", recur_day="20", recur_until="2025-12-31"))
        assert response.status_code == 302, main_text(response)
        assert thu.post(f"/directives/{d.id}/publish").status_code == 302
    task = task_like(db, "trước ngày 20 hằng tháng")
    assert (task.recur_every, task.recur_day, task.recur_until, task.deadline) == (
        "month", 20, date(2025, 12, 31), None)

    # In April (the daily reminder run has created April's period), March was never reported: late;
    # April is in progress.
    recurrence.materialise_all(date(2025, 4, 10))
    db.session.commit()
    with time_machine.travel(at(date(2025, 4, 10)), tick=False):
        hai = login_as("hai.nv")
        page = hai.get(f"/tasks/{task.id}")
        assert page.status_code == 200
        marks = period_marks(page)
        assert marks[:2] == [("2025-03 — Deadline 20/03/2025", "2025-03: Overdue"),
                             ("2025-04 — Deadline 20/04/2025", "2025-04: In progress")]
        # The lead unit reports March late, then April on time.
        response = hai.post(f"/tasks/{task.id}/periods/report", data={"period": "2025-03", "note": "Báo cáo số 12."},
                            follow_redirects=True)
        assert "The period has been reported done." in flashes(response)
    with time_machine.travel(at(date(2025, 4, 18)), tick=False):
        hai = login_as("hai.nv")
        response = hai.post(f"/tasks/{task.id}/periods/report", data={"note": "Báo cáo số 15."},
                            follow_redirects=True)
        assert "The period has been reported done." in flashes(response)
        marks = period_marks(hai.get(f"/tasks/{task.id}"))
        assert [text for _title, text in marks[:2]] == ["2025-03: Done late", "2025-04: Done on time"]
        # The leader's dashboard counts each period due as one unit of work.
        dashboard = login_as("nga.tt").get("/dashboard")
        line = re.search(r'<p class="rates periodic">(.*?)</p>', dashboard.get_data(as_text=True), re.S).group(1)
        text = " ".join(re.sub(r"<[^>]+>", " ", html_lib.unescape(line)).split())
        assert text == ("Periodic tasks' periods due (each counts once): Done on time 1 · Done late 1 · Overdue 0 "
                        "· On-time rate: 50%"), text
        # Nobody outside the lead unit may report a period.
        lan = login_as("khoa.dm")
        assert lan.post(f"/tasks/{task.id}/periods/report", data={"note": "x"}).status_code in (403, 404)
    assert [o.state for o in task.occurrences[:2]] == ["done", "done"]
    assert user(db, "hai.nv").id == task.occurrences[0].reported_by_id
    assert unit(db, "SKHCN").id == task.lead_unit_id


def test_the_directive_task_rows_offer_a_recurrence(login_as, db):
    with time_machine.travel(at(date(2025, 3, 3)), tick=False):
        thu = login_as("thu.lt")
        assert record_directive(thu, db).status_code == 302
        d = directive(db, "45/TB-UBND")
        rows = [{"title": "Báo cáo hằng quý tình hình cải cách hành chính", "lead_unit_id": unit(db, "SNV").id,
                 "recur_every": "quarter", "recur_day": "15"},
                {"title": "Tổ chức hội nghị", "lead_unit_id": unit(db, "SKHCN").id, "deadline": "2025-04-30"}]
        response = thu.post(f"/directives/{d.id}/tasks", data=batch_rows(thu.get(f"/directives/{d.id}"), d.id, rows),
                            follow_redirects=True)
        assert "2 tasks have been added." in flashes(response)
    task = task_like(db, "Báo cáo hằng quý")
    assert (task.recur_every, task.recur_day, task.deadline) == ("quarter", 15, None)
    assert [(o.period, o.deadline) for o in task.occurrences] == [("Q1/2025", date(2025, 3, 15))]
