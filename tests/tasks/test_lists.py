"""The task lists: the three views, every filter alone and combined, counts, paging, status as of a past day.

The demo directive 125/TB-UBND (of 29 May 2020, its story relative to today) holds, for the
Department of Information and Communications (STTTT), whose open tasks passed to the
Department of Science and Technology (SKHCN) on 1 March 2025:
  1 press guidance, ongoing, dung.tv, + radio-TV station      in progress
  2 radio-TV scheme, -8 days, + station and finance, asks +25   overdue, needs a decision
  3 seas-and-islands contest, -15, dung.tv, + culture           done on time
  4 IPv6 plan, +5, lan.nt                                      in progress (due soon)
  5 LGSP hub, -4 extended to +20 at -7, tuan.la, + home affairs in progress
  6 e-government, +60, + planning                              in progress
  7 steering committee, ongoing                                in progress
  8 IT plan review, +2, quang.dv, reported complete at -1      in progress
  9 IT plan 2021-2025, -30, + planning, finance, 2 districts    done late
 10 inspection, ongoing                                        in progress
 11 sub-task of 5 for the IT division, -4, quang.dv            overdue, needs a decision
"""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest

from tests.tasks.pages import doc, flashes, main_text, status_counts, task_like, task_rows, task_titles, unit, user
from tracker.demo import SEED_TASKS
from tracker.timeutil import today

WORDS = {  # a few words of each demo task's title
    1: "Hướng dẫn, theo dõi, đôn đốc", 2: "đề án phát thanh", 3: "hội thi tuyên truyền biển đảo",
    4: "ứng dụng IPv6", 5: "trục liên thông chia sẻ dữ liệu LGSP tỉnh", 6: "đô thị thông minh",
    7: "Ban Chỉ đạo chính quyền điện tử", 8: "Rà soát Kế hoạch", 9: "giai đoạn 2021-2025", 10: "kiểm tra, giám sát",
    11: "Cài đặt, kết nối thử nghiệm",
}
ALL = set(WORDS)


@pytest.fixture
def titles(demo, db):
    """Demo task number -> its title."""
    assert len(SEED_TASKS) == 10
    return {n: task_like(db, words).title for n, words in WORDS.items()}


def listed(client, titles, **args) -> set[int]:
    """The demo tasks a list shows (all pages: per_page=200)."""
    shown = task_titles(client.get("/tasks?" + urlencode({"per_page": 200, **args}, doseq=True)))
    by_title = {title: n for n, title in titles.items()}
    assert len(shown) == len(set(shown))
    return {by_title.get(title, title) for title in shown}


def days(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


# --- the three views -------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "mine", "unit_view", "everything"), [
    ("hai.nv", set(), ALL, ALL),
    ("lan.nt", {4}, {11}, {4, 11}),
    ("quang.dv", {8, 11}, {11}, {8, 11}),
    ("tuan.la", {5}, {11}, {5, 11}),
    ("dung.tv", {1, 3}, set(), {1, 3}),
    ("binh.lv", set(), {5}, {5}),
    ("an.pt", set(), {2, 9}, {2, 9}),
    ("phuc.nd", set(), {9}, {9}),
    ("nga.tt", set(), ALL, ALL),  # the committee's unit is the whole province
    ("khoa.dm", set(), set(), set()),
])
def test_my_tasks_my_units_tasks_all_in_reach(login_as, titles, username, mine, unit_view, everything):
    client = login_as(username)
    assert listed(client, titles, view="mine") == mine
    assert listed(client, titles, view="unit") == unit_view
    assert listed(client, titles, view="all") == everything


def test_staff_start_on_their_own_tasks_leaders_on_everything(login_as, titles):
    lan, hai = login_as("lan.nt"), login_as("hai.nv")
    page = lan.get("/tasks")
    assert set(task_titles(page)) == {titles[4]}
    assert doc(page).xpath("//nav[@class='tabs']/a[@aria-current='page']")[0].get("href").endswith("view=mine")
    assert set(task_titles(hai.get("/tasks?per_page=200"))) == set(titles.values())
    assert task_titles(lan.get("/tasks?view=nonsense")) == [titles[4]]


# --- filters -----------------------------------------------------------------------------

def test_each_filter(login_as, titles, db):
    hai = login_as("hai.nv")
    d = task_like(db, WORDS[1]).directive_id
    cases = [
        ({"status": "overdue"}, {2, 11}),
        ({"status": "done_on_time"}, {3}),
        ({"status": "done_late"}, {9}),
        ({"status": ["done_on_time", "done_late"]}, {3, 9}),
        ({"status": "in_progress"}, {1, 4, 5, 6, 7, 8, 10}),
        ({"status": "cancelled"}, set()),
        ({"unit": unit(db, "STC").id}, {2, 9}),  # cooperating
        ({"unit": unit(db, "STTTT-CNTT").id}, {11}),  # lead, a division
        ({"unit": unit(db, "SKHCN").id}, ALL),  # lead, with its divisions
        ({"unit": unit(db, "SNV").id}, {5}),
        ({"assignee": user(db, "dung.tv").id}, {1, 3}),
        ({"assignee": user(db, "quang.dv").id}, {8, 11}),
        ({"directive": d}, ALL),
        ({"directive": d + 1000}, set()),
        ({"due_after": days(0)}, {4, 5, 6, 8}),  # today's deadlines onwards (ongoing tasks have none)
        ({"due_before": days(-5)}, {2, 3, 9}),
        ({"due_after": days(-8), "due_before": days(-4)}, {2, 11}),  # both ends included
        ({"priority": "high"}, {2, 3, 4, 5, 8, 9}),
        ({"priority": "normal"}, {1, 6, 7, 10, 11}),
        ({"priority": "urgent"}, set()),
        ({"q": "truyen hinh"}, {2}),
        ({"q": "TRUYỀN HÌNH"}, {2}),
        ({"q": "truyền hinh"}, {2}),
        ({"q": "IPV6"}, {4}),
        ({"q": "lgsp"}, {5, 11}),
        ({"q": "đề án"}, {2, 10}),
        ({"q": "de an"}, {2, 10}),
        ({"q": "100%_"}, set()),  # LIKE wildcards are plain characters
        ({"tag": "chuyen doi so"}, {4, 5, 6, 7, 8, 9}),
        ({"tag": "Chuyển đổi số"}, {4, 5, 6, 7, 8, 9}),
        ({"tag": "chuyển đổi"}, set()),  # a tag matches whole
        ({"attention": "1"}, {2, 11}),
    ]
    shown = [(args, listed(hai, titles, **args)) for args, _ in cases]
    assert [(args, got) for args, got in shown] == [(args, expected) for args, expected in cases]


def test_filters_combine(login_as, titles, db):
    hai = login_as("hai.nv")
    cases = [
        ({"status": "overdue", "unit": unit(db, "STC").id}, {2}),
        ({"status": "overdue", "attention": "1", "priority": "high"}, {2}),
        ({"priority": "high", "q": "ke hoach"}, {4, 5, 8, 9}),
        ({"priority": "high", "q": "ke hoach", "status": "in_progress"}, {4, 5, 8}),
        ({"assignee": user(db, "dung.tv").id, "status": "in_progress"}, {1}),
        ({"tag": "chuyen doi so", "due_before": days(10)}, {4, 8, 9}),  # 5 moved to +20
        ({"unit": unit(db, "SKHDT").id, "status": ["in_progress", "done_late"]}, {6, 9}),
        ({"q": "ke hoach", "view": "unit"}, {4, 5, 8, 9}),
        ({"q": "ke hoach", "view": "mine"}, set()),
    ]
    shown = [(args, listed(hai, titles, **args)) for args, _ in cases]
    assert [(args, got) for args, got in shown] == [(args, expected) for args, expected in cases]
    # The same filters for a user who sees less give less, never more.
    lan = login_as("lan.nt")
    assert listed(lan, titles, view="all", tag="chuyen doi so") == {4}  # the sub-task has no tag
    assert listed(lan, titles, view="all", status="overdue") == {11}


def test_the_page_shows_each_tasks_status_and_keeps_the_filters(login_as, titles, db):
    hai = login_as("hai.nv")
    page = hai.get("/tasks?" + urlencode({"q": "truyen hinh", "status": "overdue", "per_page": 200}))
    assert task_rows(page) == [(titles[2], "Overdue")]
    form = doc(page).xpath("//form[@role='search'][.//input[@name='status']]")[0]
    assert form.xpath(".//input[@name='q']/@value") == ["truyen hinh"]
    assert form.xpath(".//input[@name='status' and @checked]/@value") == ["overdue"]
    rows = dict(task_rows(hai.get("/tasks?per_page=200")))
    assert {rows[titles[n]] for n in (3,)} == {"Done on time"}
    assert rows[titles[9]] == "Done late" and rows[titles[1]] == "In progress"


def test_bad_dates_in_filters_are_ignored_with_a_warning(login_as, titles):
    hai = login_as("hai.nv")
    page = hai.get("/tasks?due_after=31/02/2025&per_page=200")
    assert "Ignored an invalid date: 31/02/2025" in flashes(page)
    assert len(task_titles(page)) == len(ALL)


def test_sorting(login_as, titles, db):
    hai = login_as("hai.nv")
    by_deadline = listed_in_order(hai, titles, sort="deadline")
    assert by_deadline[:8] == [9, 3, 2, 11, 8, 4, 5, 6]  # -30, -15, -8, -4, +2, +5, +20 (extended), +60
    assert set(by_deadline[-3:]) == {1, 7, 10}  # ongoing last
    assert listed_in_order(hai, titles, sort="-deadline")[:2] == [6, 5]
    by_priority = listed_in_order(hai, titles, sort="priority")
    assert set(by_priority[:6]) == {2, 3, 4, 5, 8, 9}
    from tracker.text import fold

    by_title = listed_in_order(hai, titles, sort="title")
    assert [fold(titles[n]) for n in by_title] == sorted(fold(titles[n]) for n in by_title)


def listed_in_order(client, titles, **args) -> list[int]:
    by_title = {title: n for n, title in titles.items()}
    return [by_title[t] for t in task_titles(client.get("/tasks?" + urlencode({"per_page": 200, **args})))]


# --- counts and paging ---------------------------------------------------------------------

COUNTED = [
    {}, {"unit": "STC"}, {"q": "ke hoach"}, {"status": "overdue"}, {"priority": "high", "tag": "chuyen doi so"},
    {"view": "mine", "who": "quang.dv"}, {"view": "all", "who": "lan.nt"}, {"as_of": -20}, {"as_of": -45},
]


def test_counts_in_the_filter_bar_match_the_rows(login_as, titles, db):
    clients = {}
    for args in COUNTED:
        args = dict(args)
        who = args.pop("who", "hai.nv")
        client = clients.setdefault(who, login_as(who))
        if "unit" in args:
            args["unit"] = unit(db, args["unit"]).id
        if "as_of" in args:
            args["as_of"] = days(args["as_of"])
        page = client.get("/tasks?" + urlencode({"per_page": 200, **args}))
        counts = status_counts(page)
        # The counts ignore the status filter itself: each checkbox says what ticking it would show.
        for status, n in counts.items():
            shown = task_rows(client.get("/tasks?" + urlencode({"per_page": 200, **args, "status": status})))
            assert len(shown) == n, (args, status)
            assert all(label == LABELS[status] for _, label in shown), (args, status)
        rows = task_rows(page)
        assert f"{len(rows)} in total" in main_text(page), args
        if "status" not in args:
            assert sum(counts.values()) == len(rows), args


LABELS = {"in_progress": "In progress", "overdue": "Overdue", "done_on_time": "Done on time",
          "done_late": "Done late", "cancelled": "Cancelled"}


def test_paging(login_as, titles):
    hai = login_as("hai.nv")
    seen = []
    for number in (1, 2, 3, 4):
        page = hai.get(f"/tasks?per_page=3&page={number}&sort=title")
        rows = task_titles(page)
        assert len(rows) == (3 if number < 4 else 2), number
        assert "11 in total" in main_text(page)
        seen += rows
    assert sorted(seen) == sorted(titles.values())
    first = hai.get("/tasks?per_page=3&sort=title")
    pager = doc(first).xpath("//nav[@class='pager']")[0]
    assert pager.xpath(".//span[@aria-current='page']/text()") == ["1"]
    next_link = pager.xpath(".//a[@rel='next']/@href")[0]
    assert "page=2" in next_link and "sort=title" in next_link and "per_page=3" in next_link
    assert task_titles(hai.get(next_link)) == seen[3:6]
    assert task_titles(hai.get("/tasks?per_page=3&page=99")) == []
    assert task_titles(hai.get("/tasks?per_page=100000&page=-2")) != []


# --- status as of a past day -------------------------------------------------------------

def test_status_as_of_a_past_day(login_as, titles, db):
    hai, nga, thu = login_as("hai.nv"), login_as("nga.tt"), login_as("thu.lt")
    scheme = task_like(db, WORDS[2])  # deadline -8, extension to +25 waiting
    ext = scheme.pending_extension
    response = nga.post(f"/tasks/{scheme.id}/extensions/{ext.id}/decide", data={"approve": "1"},
                        follow_redirects=True)
    assert "The extension has been approved." in flashes(response)
    # A task recorded today.
    d = scheme.directive
    assert thu.post(f"/directives/{d.id}/tasks/new", data={
        "title": "Báo cáo sơ kết 6 tháng", "lead_unit_id": unit(db, "SKHCN").id, "deadline": days(30),
        "priority": "normal", "assignee_id": 0}).status_code == 302

    def statuses(on=None):
        args = {"per_page": 200, "view": "all"}
        if on is not None:
            args["as_of"] = days(on)
        return dict(task_rows(hai.get("/tasks?" + urlencode(args))))

    now = statuses()
    assert now[titles[2]] == "In progress" and "Báo cáo sơ kết 6 tháng" in now
    assert statuses(0) == now
    before = statuses(-3)  # between the old deadline (-8) and the approval (today)
    assert before[titles[2]] == "Overdue"
    assert "Báo cáo sơ kết 6 tháng" not in before
    assert before[titles[5]] == "In progress"  # its extension was approved at -7
    assert statuses(-5)[titles[5]] == "In progress"
    assert statuses(-8)[titles[5]] == "In progress"  # the old deadline, -4, not yet passed anyway
    assert before[titles[11]] == "Overdue"
    assert statuses(-8)[titles[2]] == "In progress"  # its deadline day
    assert statuses(-7)[titles[2]] == "Overdue"
    assert statuses(-16)[titles[3]] == "In progress"  # reported at -17, confirmed at -14
    assert statuses(-14)[titles[3]] == "Done on time"
    assert statuses(-28)[titles[9]] == "Overdue"
    assert statuses(-24)[titles[9]] == "Done late"
    earlier = statuses(-45)
    assert titles[11] not in earlier and len(earlier) == 10  # the sub-task was split off at -40
    assert len(statuses(-51)) == 10  # the notice of 29 May 2020 (held by Sở TT&TT until 1 March 2025)
    assert hai.get("/tasks?" + urlencode({"as_of": "2020-05-28", "per_page": 200})).status_code == 200
    assert dict(task_rows(hai.get("/tasks?" + urlencode({"as_of": "2020-05-28", "per_page": 200})))) == {}
    # The filter bar and the status filter use the same day.
    page = hai.get("/tasks?" + urlencode({"as_of": days(-3), "status": "overdue", "per_page": 200}))
    assert set(task_titles(page)) == {titles[2], titles[11]}
    assert status_counts(page)["overdue"] == 2
    # The task page follows the list's as_of link.
    page = main_text(hai.get(f"/tasks/{scheme.id}?as_of={days(-3)}"))
    assert "Overdue" in page and "In progress" not in page


# --- counting stops at a limit (a province's root list) --------------------------------------

def test_counting_stops_at_the_limit_and_paging_goes_on(app, login_as, titles):
    hai = login_as("hai.nv")  # 11 tasks in reach
    app.config["TASK_LIST_COUNT_LIMIT"] = 4
    page = hai.get("/tasks?per_page=3&sort=title")
    assert status_counts(page) == {}  # no partial figure beside the checkboxes
    text = main_text(page)
    assert "More than 4 tasks match: they are not counted by status here." in text
    assert "More than 4 in total" in text
    assert doc(page).xpath("//a[@href='/dashboard']")  # the leader is sent where every figure is
    seen, url = [], "/tasks?per_page=3&sort=title"
    while url:  # the pager goes on past the counted pages to the last row
        response = hai.get(url)
        seen += task_titles(response)
        url = (doc(response).xpath("//nav[@class='pager']//a[@rel='next']/@href") or [None])[0]
    assert sorted(seen) == sorted(titles.values())
    # A status filter is counted on its own, under the limit: an exact total.
    overdue = hai.get("/tasks?status=overdue&per_page=200")
    assert len(task_rows(overdue)) == 2 and "2 in total" in main_text(overdue)
    assert status_counts(overdue) == {}
    app.config["TASK_LIST_COUNT_LIMIT"] = 11  # exactly as many as match: exact counts again
    page = hai.get("/tasks?per_page=200")
    assert sum(status_counts(page).values()) == 11 and "11 in total" in main_text(page)
    assert "More than" not in main_text(page)


@pytest.mark.parametrize("sort", ["deadline", "-deadline"])
@pytest.mark.parametrize("args", [{"view": "unit"}, {"view": "all", "status": "in_progress"}, {"view": "mine"}])
def test_few_rows_are_sorted_as_the_index_would(monkeypatch, login_as, titles, sort, args):
    """Below few_rows() matches the list sorts by another expression (see task_select): same order, ties and blanks."""
    from tracker.services import queries

    who = login_as("quang.dv" if args["view"] == "mine" else "nga.tt")
    url = "/tasks?" + urlencode({"per_page": 200, "sort": sort, **args})
    monkeypatch.setattr(queries, "few_rows", lambda: 0)
    walked = task_rows(who.get(url))
    monkeypatch.setattr(queries, "few_rows", lambda: 10**6)
    gathered = task_rows(who.get(url))
    assert len(walked) >= 2 and gathered == walked


@pytest.mark.parametrize("who", ["nga.tt", "hai.nv"])
def test_a_units_overdue_list_is_its_overdue_rows(monkeypatch, login_as, titles, who):
    """The unit's overdue list (its overdue candidates alone, led or cooperated on) shows the very rows
    its whole list marks overdue, counted alike, whether or not the status counts are skipped."""
    from tracker.services import summary

    user = login_as(who)
    whole = doc(user.get("/tasks?view=unit&per_page=200"))
    marked = sorted(" ".join(tr.xpath(".//td[@data-label='Task']/a")[0].text_content().split())
                    for tr in whole.xpath("//table//tbody/tr")
                    if "overdue" in " ".join(tr.xpath(".//td[@data-label='Status']")[0].text_content().split()))
    assert marked  # the demo's units have overdue tasks: the comparison is not of two empty lists
    overdue = user.get("/tasks?view=unit&status=overdue&per_page=200")
    assert sorted(task_titles(overdue)) == marked
    monkeypatch.setattr(summary, "unit_list_exceeds", lambda *a: True)
    assert sorted(task_titles(user.get("/tasks?view=unit&status=overdue&per_page=200"))) == marked


@pytest.mark.parametrize("sort", ["deadline", "-deadline"])
def test_a_task_closed_on_a_later_day_is_still_overdue_today_on_its_units_list(login_as, titles, db, sort):
    """A task confirmed done with a date typed ahead (tomorrow) was still overdue today: a unit's overdue list
    (read from its overdue candidates, with no check of such closures first) shows it beside the open ones,
    in deadline order, page by page, and counts it."""
    from sqlalchemy import update

    from tracker.models import Task

    an = login_as("hai.nv")  # the committee's unit: every task (overdue: 2 and 11)
    before = task_titles(an.get("/tasks?view=unit&status=overdue&per_page=200"))
    assert titles[2] in before and len(before) >= 2
    task = task_like(db, WORDS[2])
    db.session.execute(update(Task).where(Task.id == task.id).values(
        state="done", completed_on=today(), done_on=today() + timedelta(days=1)))
    db.session.commit()
    page = an.get(f"/tasks?view=unit&status=overdue&per_page=200&sort={sort}")
    assert task_titles(page) == (before if sort == "deadline" else before[::-1])
    assert status_counts(page)["overdue"] == len(before)
    one_by_one = [t for n in range(1, len(before) + 1)
                  for t in task_titles(an.get(f"/tasks?view=unit&status=overdue&per_page=1&page={n}&sort={sort}"))]
    assert one_by_one == task_titles(page)


# --- what the list shows, said and exported (issue 17) ---------------------------------------------

def test_filter_by_document_number_names_it_in_the_heading(login_as, titles, db):
    hai = login_as("hai.nv")
    d = task_like(db, WORDS[1]).directive
    for typed in ("125/TB-UBND", "125/tb-ubnd", " 125/TB - UBND "):  # the number as people type it
        page = hai.get("/tasks?" + urlencode({"view": "all", "doc": typed, "per_page": 200}))
        assert set(task_titles(page)) == set(titles.values()), typed
        assert " ".join(doc(page).xpath("//h1")[0].text_content().split()) == "Tasks: 125/TB-UBND"
        assert doc(page).xpath("//input[@name='doc']/@value") == ["125/TB-UBND"]
        assert doc(page).xpath(f"//p[contains(@class, 'list-subject')]//a[@href='/directives/{d.id}']")
    assert listed(hai, titles, view="all", doc="125/TB") == ALL  # part of a number finds it too
    assert listed(hai, titles, view="all", doc="999/TB-UBND") == set()
    # From a dashboard's link (by id), the bar shows the number, and the unit and person are named.
    page = hai.get("/tasks?" + urlencode({"view": "all", "directive": d.id, "unit": unit(db, "SKHCN").id,
                                          "assignee": user(db, "lan.nt").id}))
    assert " ".join(doc(page).xpath("//h1")[0].text_content().split()) == (
        f"Tasks: 125/TB-UBND · {unit(db, 'SKHCN').name} · {user(db, 'lan.nt').full_name}")
    assert task_titles(page) == [titles[4]]
    # A document out of reach is not named.
    page = login_as("lan.nt").get(f"/tasks?view=all&directive={d.id + 1000}")
    assert doc(page).xpath("//h1")[0].text_content().strip() == "Tasks"


def test_overdue_rows_say_how_many_days(login_as, titles):
    page = login_as("hai.nv").get("/tasks?view=all&status=overdue&per_page=200")
    rows = {" ".join(tr.xpath(".//td[@data-label='Task']/a")[0].text_content().split()):
            " ".join(tr.xpath(".//td[@data-label='Status']")[0].text_content().split())
            for tr in doc(page).xpath("//table//tbody/tr")}
    assert rows[titles[2]].endswith("8 days overdue")
    assert rows[titles[11]].endswith("4 days overdue")


def test_the_list_exports_exactly_what_it_shows(login_as, titles, db):
    import csv
    import io

    from openpyxl import load_workbook

    hai = login_as("hai.nv")
    query = urlencode({"view": "all", "status": ["in_progress", "overdue"], "unit": unit(db, "SKHCN").id,
                       "sort": "title", "per_page": 3, "page": 2}, doseq=True)
    page = hai.get("/tasks?" + query)
    (xlsx_link,) = doc(page).xpath("//p[@class='exports']/a[1]/@href")
    (csv_link,) = doc(page).xpath("//p[@class='exports']/a[2]/@href")
    assert "page=" not in xlsx_link and "status=overdue" in xlsx_link
    shown = task_titles(hai.get("/tasks?" + query.replace("per_page=3", "per_page=200").replace("&page=2", "")))
    rows = list(csv.reader(io.StringIO(hai.get(csv_link).get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["STT", "Số, ký hiệu văn bản", "Ngày văn bản", "Nhiệm vụ"]
    assert [r[3] for r in rows[1:]] == shown, (csv_link, [r[3][:20] for r in rows[1:]], [s[:20] for s in shown])  # every page, in the list's order
    overdue = {r[3]: r for r in rows[1:]}[titles[2]]
    assert (overdue[9], overdue[10]) == ("Quá hạn", "8")
    response = hai.get(xlsx_link)
    assert response.headers["Content-Disposition"].startswith('attachment; filename="danh-sach-nhiem-vu-')
    ws = load_workbook(io.BytesIO(response.get_data()))["Danh sách nhiệm vụ"]
    assert [ws.cell(row=r, column=4).value for r in range(2, ws.max_row + 1)] == shown


def test_a_directives_page_links_to_its_list_and_dashboard(login_as, db):
    d = task_like(db, WORDS[1]).directive
    page = login_as("nga.tt").get(f"/directives/{d.id}")
    links = doc(page).xpath("//p[@class='doc-links']/a/@href")
    assert links == [f"/tasks?view=all&directive={d.id}", f"/dashboard?directive={d.id}"]


@pytest.mark.parametrize("limit", [5_000, 4])
def test_the_province_leaders_counts_come_from_the_summary_and_equal_the_tasks(app, db, login_as, titles, limit):
    """For whoever sees every task, a list narrowed by status and lead unit at most is counted from the task
    summary (no task read): the same counts and total as counting the tasks, with and without the limit."""
    from dataclasses import replace

    from flask import request

    from tracker.services import summary as task_summary
    from tracker.services.queries import from_args

    nga = login_as("nga.tt")  # the province's vice chair: every task in reach
    app.config["PAGE_CACHE"] = False
    app.config["TASK_LIST_COUNT_LIMIT"] = limit
    skhcn = unit(db, "SKHCN").id
    for args in ({}, {"status": "overdue"}, {"status": ["in_progress", "done_late"]}, {"lead_unit": skhcn},
                 {"lead_unit": skhcn, "status": "overdue"}):
        url = "/tasks?" + urlencode({"per_page": 200, **args}, doseq=True)
        with app.test_request_context(url):
            filters = replace(from_args(request.args, "all", []), published_only=True)
            assert task_summary.list_counts(db.session, user(db, "nga.tt"), filters, today()) is not None
        fast = nga.get(url)
        task_summary.USE = False
        try:
            slow = nga.get(url)
        finally:
            task_summary.USE = True
        assert status_counts(fast) == status_counts(slow)
        assert task_titles(fast) == task_titles(slow)
        said = [line for line in main_text(fast).splitlines() if "in total" in line]
        assert said == [line for line in main_text(slow).splitlines() if "in total" in line] and said
