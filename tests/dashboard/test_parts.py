"""Cooperating parts on the dashboards and in /stats: how many parts each unit has, how many are late.

The world's only part is SNV's in T3 (led by STTTT, due 20/06 after its extension). Here the issuer
gives SNV its own deadline, 10/06: on TODAY (14/06) the part is overdue while the task is not.
"""
from __future__ import annotations

import html
import re

import pytest
from lxml import html as lxml_html

from tests.dashboard.conftest import PAST, TODAY, d
from tracker.database import db as _db
from tracker.services.stats import stats_payload


@pytest.fixture
def own_deadline(world):
    """Give SNV's part its own deadline for one test (the module's world is shared: put it back after)."""
    (part,) = world.tasks["T3"].cooperating_parts

    def give(day) -> None:
        part.deadline = day
        _db.session.commit()

    yield give
    give(None)


def parts_table(page: str) -> list[list[str]]:
    rows = lxml_html.fromstring(page).xpath("//table[@id='parts-table']/tbody/tr")
    return [[" ".join(td.text_content().split()) for td in row.xpath("./td")] for row in rows]


def test_the_leader_dashboard_and_stats_count_each_units_parts_and_the_late_ones(world, client_for, own_deadline):
    own_deadline(d("10/06"))
    page = client_for("nga.tt").get("/dashboard").get_data(as_text=True)
    # Unit, parts, overdue, done late, done on time, in progress.
    assert parts_table(page) == [["Sở Nội vụ", "1", "1", "0", "0", "0"]]
    cooperating = stats_payload(world.users["nga.tt"], None, today=TODAY)["cooperating"]
    assert (cooperating["total"], cooperating["overdue"]) == (1, 1)
    assert cooperating["by_unit"] == [{"unit": "SNV", "total": 1, "done_on_time": 0, "done_late": 0,
                                       "in_progress": 0, "overdue": 1}]
    # Before the part existed... it did (added with the task); on PAST it was in progress.
    assert stats_payload(world.users["nga.tt"], PAST, today=TODAY)["cooperating"]["in_progress"] == 1
    # The STTTT director's dashboard counts the parts in his department's tasks.
    assert parts_table(client_for("hai.nv").get("/dashboard").get_data(as_text=True)) == [
        ["Sở Nội vụ", "1", "1", "0", "0", "0"]]


def test_a_units_own_dashboard_says_how_many_tasks_it_cooperates_on_and_how_many_are_late(world, client_for, own_deadline):
    binh = client_for("binh.lv")
    line = re.search(r'<p class="parts-line" id="parts-line">(.*?)</p>',
                     html.unescape(binh.get("/dashboard/unit").get_data(as_text=True)), re.S)
    assert re.sub(r"<[^>]+>", "", line.group(1)).strip() == "Phối hợp 1 nhiệm vụ, 0 quá hạn"
    own_deadline(d("10/06"))
    line = re.search(r'<p class="parts-line" id="parts-line">(.*?)</p>',
                     html.unescape(binh.get("/dashboard/unit").get_data(as_text=True)), re.S)
    assert re.sub(r"<[^>]+>", "", line.group(1)).strip() == "Phối hợp 1 nhiệm vụ, 1 quá hạn"
    # The department's own leader dashboard counts the tasks it leads: SNV leads none with a part.
    assert parts_table(binh.get("/dashboard").get_data(as_text=True)) == []
