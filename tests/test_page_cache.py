"""The dashboard kept rendered, the task lists' counts kept, per worker (tracker.page_cache): never older than the data.

Each test drives the demo province as its users do and checks what the
leader sees right after a change, beside the cache's own hit and miss
counts (a figure that happened to be right by chance would not prove the
cache was used or bypassed).
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.tasks.pages import doc, main_text, status_counts, task_like
from tracker.models import DataVersion
from tracker.page_cache import DATA_ROW, REFERENCE_ROW, count_cache, page_cache, reference_cache

FIGURE = re.compile(r'class="figure fig-(\w+)"[^>]*><span class="n">(\d+)</span>')


def figures(response) -> dict[str, int]:
    assert response.status_code == 200
    return {name: int(n) for name, n in FIGURE.findall(response.get_data(as_text=True))}


def version(db) -> str:
    db.session.rollback()  # read what is committed now
    return db.session.scalar(select(DataVersion.value).where(DataVersion.id == DATA_ROW))


def reference(db) -> str:
    db.session.rollback()
    return db.session.scalar(select(DataVersion.value).where(DataVersion.id == REFERENCE_ROW))


@pytest.fixture
def nga(login_as):
    return login_as("nga.tt")  # the Vice-Chair: the whole province, and the issuer of the demo directive


def test_an_unchanged_dashboard_is_served_from_the_cache(app, nga):
    cache = page_cache()
    first = nga.get("/dashboard")
    hits, misses = cache.hits, cache.misses
    again = nga.get("/dashboard")
    assert (cache.hits, cache.misses) == (hits + 1, misses)
    assert _without_csrf(again) == _without_csrf(first)  # the token is signed with the time: it may move on


def test_a_change_shows_on_the_next_view(app, db, nga):
    cache = page_cache()
    before = figures(nga.get("/dashboard"))
    task = task_like(db, "ứng dụng IPv6")  # in progress
    old = version(db)
    response = nga.post(f"/tasks/{task.id}/cancel", data={"reason": "Gộp vào kế hoạch chung"})
    assert response.status_code == 302
    assert version(db) != old
    misses = cache.misses
    after = figures(nga.get("/dashboard"))
    assert cache.misses == misses + 1
    assert after["cancelled"] == before["cancelled"] + 1
    assert after["in_progress"] == before["in_progress"] - 1
    assert after["total"] == before["total"]


def test_a_progress_report_through_the_api_changes_the_version(app, db, demo):
    from tracker.models import User
    from tracker.services.tokens import create_token

    dung = db.session.scalar(select(User).where(User.username == "dung.tv"))
    _row, token = create_token(dung, "test", actor=dung, ip="test")
    db.session.commit()
    task = task_like(db, "Hướng dẫn, theo dõi, đôn đốc")  # dung.tv's, in progress
    old = version(db)
    response = app.test_client().post(f"/api/v1/tasks/{task.id}/updates", json={"progress": 70, "note": "Đã xong phần lớn"},
                                      headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()
    assert version(db) != old


def test_signing_in_and_reading_notifications_leave_the_version_alone(app, db, nga, login_as):
    nga.get("/dashboard")
    old = version(db)
    hai = login_as("hai.nv")  # a session row and a sign-in attempt
    hai.get("/notifications")
    assert hai.post("/notifications/read-all").status_code in (302, 303)
    assert version(db) == old
    cache = page_cache()
    hits = cache.hits
    nga.get("/dashboard")
    assert cache.hits == hits + 1


def test_a_refused_action_leaves_the_version_alone(app, db, login_as):
    hai = login_as("hai.nv")  # a department leader: not the issuer, may not cancel
    task = task_like(db, "ứng dụng IPv6")
    old = version(db)
    assert hai.post(f"/tasks/{task.id}/cancel", data={"reason": "Không cần"}).status_code == 403
    nga = login_as("nga.tt")
    assert nga.post(f"/tasks/{task.id}/cancel", data={"reason": ""}).status_code == 422  # no reason: refused at the field
    assert version(db) == old


def test_each_user_and_language_gets_their_own_dashboard(app, db, nga, login_as):
    hai = login_as("hai.nv")
    province, department = nga.get("/dashboard").get_data(as_text=True), hai.get("/dashboard").get_data(as_text=True)
    assert province != department  # the scope sentence and the unit table differ
    assert nga.post("/language", data={"lang": "en"}).status_code in (302, 303)
    english = nga.get("/dashboard").get_data(as_text=True)
    assert "Tasks by status" in english and "Nhiệm vụ theo trạng thái" not in english
    assert "Nhiệm vụ theo trạng thái" in hai.get("/dashboard").get_data(as_text=True)


def test_a_database_without_the_version_row_is_not_cached(app, db, nga):
    db.session.execute(DataVersion.__table__.delete())
    db.session.commit()
    cache = page_cache()
    hits, misses = cache.hits, cache.misses
    assert figures(nga.get("/dashboard"))["total"] > 0
    assert figures(nga.get("/dashboard"))["total"] > 0
    assert (cache.hits, cache.misses) == (hits, misses)
    task = task_like(db, "ứng dụng IPv6")
    assert nga.post(f"/tasks/{task.id}/cancel", data={"reason": "Gộp"}).status_code == 302
    assert version(db) is not None  # the next change writes the row back


def test_the_unit_picker_of_the_task_list_follows_a_renamed_unit(app, db, login_as):
    from lxml import html as lxml_html

    from tests.tasks.pages import unit

    hai = login_as("hai.nv")

    def picker() -> list[str]:
        page = lxml_html.fromstring(hai.get("/tasks").get_data(as_text=True))
        return [o.text_content().strip() for o in page.xpath("//select[@name='unit']/option")]

    before = picker()
    division = unit(db, "STTTT-CNTT")
    assert division.name in before
    cache = reference_cache()
    hits = cache.hits
    assert picker() == before and cache.hits > hits  # kept while nothing changes
    units_version = reference(db)
    division.name = "Phòng Chuyển đổi số"
    division.refresh_search()
    db.session.commit()
    assert reference(db) != units_version
    after = picker()
    assert "Phòng Chuyển đổi số" in after and len(after) == len(before)
    selected = lxml_html.fromstring(hai.get(f"/tasks?unit={division.id}").get_data(as_text=True))
    assert selected.xpath("//select[@name='unit']/option[@selected]/text()") == ["\u2003Phòng Chuyển đổi số"]


def test_a_task_change_leaves_what_comes_from_the_units_and_rules_kept(app, db, nga):
    """A task's change gives the data a new version (the counts are made again) but not the reference data
    (units, reminder rules, calendar): the unit picker and what "due soon" means stay kept."""
    first = nga.get("/tasks").get_data(as_text=True)
    data_before, reference_before = version(db), reference(db)
    cache = reference_cache()
    task = task_like(db, "ứng dụng IPv6")
    assert nga.post(f"/tasks/{task.id}/cancel", data={"reason": "Gộp vào kế hoạch chung"}).status_code == 302
    assert version(db) != data_before and reference(db) == reference_before
    hits, misses = cache.hits, cache.misses
    again = nga.get("/tasks").get_data(as_text=True)
    assert cache.hits > hits and cache.misses == misses
    picker = re.compile(r'<select[^>]*name="unit".*?</select>', re.S)
    assert picker.search(again).group(0) == picker.search(first).group(0)


def test_a_new_day_off_and_new_reminder_rules_change_the_reference_version(app, db, nga):
    from datetime import date

    from tracker.models import CalendarDay, ReminderSettings

    before = reference(db)
    db.session.add(CalendarDay(day=date(2031, 1, 2), kind="off", name="Nghỉ bù"))
    db.session.commit()
    after_day = reference(db)
    assert after_day != before
    settings = db.session.scalar(select(ReminderSettings))
    if settings is None:
        db.session.add(ReminderSettings(before_days=[5, 1]))
    else:
        settings.before_days = [*settings.before_days, 9]
    db.session.commit()
    assert reference(db) != after_day


def test_a_change_not_yet_committed_is_not_served_from_the_kept_reference(app, db, demo):
    """Within the transaction that renames a unit, what is computed from the units is computed again."""
    from tests.tasks.pages import unit
    from tracker.models import Unit
    from tracker.views_util import unit_options_html

    province = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)))
    with app.test_request_context():
        kept = str(unit_options_html(province, None))
        division = unit(db, "STTTT-CNTT")
        division.name = "Phòng Chuyển đổi số"
        db.session.flush()
        assert "Phòng Chuyển đổi số" in str(unit_options_html(province, None)) and "Phòng Chuyển đổi số" not in kept
        db.session.rollback()


def row_count(response) -> int:
    return len(doc(response).xpath("//table[@class='table']/tbody/tr"))


def _without_csrf(response) -> str:
    return re.sub(r'name="csrf_token"[^>]*', "", response.get_data(as_text=True))


def test_a_task_list_counts_once_until_the_data_changes(app, db, nga, login_as):
    """The list's counts (by status, and the filtered total) are kept: paging, switching statuses
    and opening the list again read only the page's rows; a change is counted on the next view."""
    cache = count_cache()
    first = nga.get("/tasks?per_page=200")
    before = status_counts(first)
    assert before["in_progress"] > 0 and f"Tổng cộng {row_count(first)}" in main_text(first)
    hits, misses = cache.hits, cache.misses
    again = nga.get("/tasks?per_page=200")
    assert cache.hits > hits and cache.misses == misses
    assert _without_csrf(again) == _without_csrf(first)  # the token is signed with the time: it may move on
    assert status_counts(nga.get("/tasks?per_page=3&page=2")) == before  # another page of the same list
    assert cache.misses == misses
    # Another user's list is counted for them (their reach), never served from nga's counts.
    hai = login_as("hai.nv")
    theirs = hai.get("/tasks?per_page=200")
    assert cache.misses == misses + 1 and sum(status_counts(theirs).values()) == row_count(theirs)
    task = task_like(db, "ứng dụng IPv6")  # in progress
    assert nga.post(f"/tasks/{task.id}/cancel", data={"reason": "Gộp vào kế hoạch chung"}).status_code == 302
    misses = cache.misses
    after = nga.get("/tasks?per_page=200")
    assert cache.misses > misses  # counted again
    counts = status_counts(after)
    assert counts["cancelled"] == before["cancelled"] + 1 and counts["in_progress"] == before["in_progress"] - 1
    assert f"Tổng cộng {row_count(after)}" in main_text(after)
    in_progress = nga.get("/tasks?status=in_progress&per_page=200")  # the same counts, the filtered total
    assert f"Tổng cộng {counts['in_progress']}" in main_text(in_progress)
    assert row_count(in_progress) == counts["in_progress"]


def test_the_count_limit_is_part_of_what_is_kept(app, nga):
    nga.get("/tasks?status=overdue")
    app.config["TASK_LIST_COUNT_LIMIT"] = 1  # a worker configured otherwise: never the other's figures
    page = nga.get("/tasks?status=overdue")
    assert status_counts(page) == {} and "Có hơn 1 nhiệm vụ khớp" in main_text(page)


def test_a_statement_written_through_the_session_changes_the_version_unless_bookkeeping(app, db, nga):
    """An UPDATE run as a statement (not through an object) changes the data's version like an object's
    change, so the counts and answers kept under it are not served after it; bookkeeping rows do not."""
    from sqlalchemy import update

    from tracker.models import Notification, Task

    before = version(db)
    db.session.execute(update(Notification).values(read_at=None))
    db.session.commit()
    assert version(db) == before
    task = task_like(db, "ứng dụng IPv6")
    db.session.execute(update(Task).where(Task.id == task.id).values(priority="high"))
    db.session.commit()
    assert version(db) != before
