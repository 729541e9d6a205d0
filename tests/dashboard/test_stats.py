"""The figures of tracker.services.stats against the hand-built world (see conftest.py)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from tests.dashboard.conftest import PAST, TODAY, d
from tracker.database import db
from tracker.models import Task, Unit, User
from tracker.services.errors import Forbidden
from tracker.services.stats import DashboardFilters, DashboardStats, Period, list_args, stats_payload


def stats_for(world, username="nga.tt", **filters) -> DashboardStats:
    return DashboardStats(db.session, world.users[username], DashboardFilters(**filters), TODAY)


def counts_of(c) -> dict:
    return {"total": c.total, **c.by_status, "due_soon": c.due_soon}


def ids_of(rows) -> list[str]:
    return [row.task.title for row in rows]


# --- totals -------------------------------------------------------------------------------------

def test_totals_today(world):
    totals = stats_for(world).totals()
    assert counts_of(totals) == {"total": 12, "done_on_time": 2, "done_late": 2, "in_progress": 5, "overdue": 2,
                                 "cancelled": 1, "due_soon": 2}
    assert totals.completion_rate == pytest.approx(4 / 11)
    assert totals.on_time_rate == pytest.approx(2 / 6)


@pytest.mark.parametrize("as_of", [None, PAST])
def test_summary_adds_the_units_up_to_the_totals(world, as_of):
    stats = stats_for(world, as_of=as_of)
    totals, rows = stats.summary()
    assert counts_of(totals) == counts_of(stats.totals())
    assert totals.link("overdue") == stats.totals().link("overdue")
    assert totals.due_soon_link() == stats.totals().due_soon_link()


def test_totals_as_of_a_past_day(world):
    """31/03: T10 did not exist; T2 and T11 (confirmed later) were overdue; T4 (extended later) was overdue;
    T3 (extended before) was in progress; T7 (cancelled later) was in progress and due soon."""
    totals = stats_for(world, as_of=PAST).totals()
    assert counts_of(totals) == {"total": 11, "done_on_time": 1, "done_late": 0, "in_progress": 7, "overdue": 3,
                                 "cancelled": 0, "due_soon": 1}
    assert totals.completion_rate == pytest.approx(1 / 11)
    assert totals.on_time_rate == pytest.approx(1 / 4)


def test_past_lists_show_the_deadline_and_progress_in_force_then(world):
    stats = stats_for(world, as_of=PAST)
    overdue = stats.overdue()
    assert ids_of(overdue) == [world.tasks[n].title for n in ("T11", "T2", "T4")]  # most overdue first
    t4 = overdue[2]
    assert t4.deadline == d("28/03") and t4.days_late == 3  # the extension of 10/04 was not in force yet
    assert overdue[0].days_late == 32  # T11: 28/02 -> 31/03 (2024 is a leap year)
    soon = stats.due_soon()
    assert [(r.task.title, r.deadline, r.working_days_left) for r in soon] == [(world.tasks["T7"].title, d("05/04"), 5)]
    # T5's progress on 31/03 was 0 (first report on 20/05); done tasks count 100.
    progress = {r.task.title: r.progress for r in stats._task_rows(stats.task_filters(), None)}
    assert progress[world.tasks["T5"].title] == 0


def test_lists_today(world):
    stats = stats_for(world)
    overdue = stats.overdue()
    assert ids_of(overdue) == [world.tasks["T10"].title, world.tasks["T5"].title]
    assert [r.days_late for r in overdue] == [14, 4]
    soon = stats.due_soon()
    assert ids_of(soon) == [world.tasks["T3"].title, world.tasks["T8"].title]  # T9 (26/06) is one day too late
    assert stats.due_soon_until == d("25/06")
    assert [r.progress for r in soon] == [0, 60]
    with_reasons = stats.overdue(with_difficulties=True)
    assert with_reasons[1].difficulties == "-Thiếu biên chế để triển khai."


def test_short_lists_are_the_first_rows_of_the_whole_lists(world):
    """The short lists take their ids from plain column comparisons in deadline order (the open tasks'
    index): the same rows, in the same order, as the first of the whole lists with the status rule."""
    stats = stats_for(world)
    overdue = stats.task_filters(status=["overdue"])
    soon = stats.due_soon_filters(stats.task_filters())
    for filters in (overdue, soon):
        whole = ids_of(stats._task_rows(filters, None))
        for limit in (1, 2, 10):
            assert ids_of(stats._task_rows(filters, limit)) == whole[:limit]


# --- by unit and ranking -----------------------------------------------------------------------

def test_by_unit_counts_each_task_under_its_own_lead_unit(world):
    rows = stats_for(world).by_unit()
    got = {r.unit.code: counts_of(r.counts) for r in rows}
    zero = {"done_on_time": 0, "done_late": 0, "in_progress": 0, "overdue": 0, "cancelled": 0, "due_soon": 0}
    assert got == {
        "STTTT": {**zero, "total": 6, "done_on_time": 1, "done_late": 1, "in_progress": 3, "overdue": 1,
                  "due_soon": 2},
        "STTTT-CNTT": {**zero, "total": 1, "done_late": 1},
        "SNV": {**zero, "total": 2, "in_progress": 1, "overdue": 1},
        "DPTTH": {**zero, "total": 1, "in_progress": 1},
        "STC": {**zero, "total": 1, "cancelled": 1},
        "H-PHULOC": {**zero, "total": 1, "done_on_time": 1},
    }
    codes = [r.unit.code for r in rows]
    assert codes.index("STTTT-CNTT") == codes.index("STTTT") + 1  # tree order: a division under its department
    assert sum(r.counts.total for r in rows) == 12


def test_ranking_by_on_time_rate(world):
    stats = stats_for(world)
    ranked = stats.ranking(stats.by_unit())
    assert [(r.unit.code, round(r.counts.on_time_rate, 3)) for r in ranked] == [
        ("H-PHULOC", 1.0), ("STTTT", 0.333), ("STTTT-CNTT", 0.0), ("SNV", 0.0)]  # DPTTH, STC: nothing judged


# --- filters -----------------------------------------------------------------------------------

def test_period_selects_the_deadline_in_force_on_the_as_of_day(world):
    q1 = Period.quarter(2024, 1)
    assert (q1.start, q1.end) == (date(2024, 1, 1), date(2024, 3, 31))
    today_q1 = stats_for(world, period=q1).totals()
    assert counts_of(today_q1) == {"total": 3, "done_on_time": 2, "done_late": 1, "in_progress": 0, "overdue": 0,
                                   "cancelled": 0, "due_soon": 0}  # T1, T2, T11; T3 and T4 are due later now
    past_q1 = stats_for(world, period=q1, as_of=PAST).totals()
    assert counts_of(past_q1) == {"total": 4, "done_on_time": 1, "done_late": 0, "in_progress": 0, "overdue": 3,
                                  "cancelled": 0, "due_soon": 0}  # T1, T2, T4 (not yet extended), T11
    q2 = stats_for(world, period=Period.quarter(2024, 2)).totals()
    assert counts_of(q2) == {"total": 7, "done_on_time": 0, "done_late": 1, "in_progress": 3, "overdue": 2,
                             "cancelled": 1, "due_soon": 2}  # T3 T5 T7 T8 T9 T10 T12; T6 (ongoing) left out
    june = stats_for(world, period=Period.month(2024, 6)).totals()
    assert june.total == 4  # T3, T5, T8, T9
    custom = stats_for(world, period=Period.custom(d("20/06"), d("25/06"))).totals()
    assert custom.total == 2 and custom.due_soon == 2
    assert stats_for(world, period=Period.whole_year(2023)).totals().total == 0


def test_issuing_unit_tag_lead_unit_and_directive_filters(world):
    u = world.units
    assert stats_for(world, issuing_unit=u["STTTT"]).totals().total == 1  # T12 only: D2
    assert stats_for(world, issuing_unit=u["UBND"]).totals().total == 11
    tagged = stats_for(world, tag="chuyen doi so").totals()
    assert (tagged.total, tagged["done_on_time"], tagged.due_soon) == (3, 1, 2)
    assert stats_for(world, lead_unit=u["STTTT"]).totals().total == 7  # with its division
    assert stats_for(world, directive_id=world.directives["D2"].id).totals().total == 1
    assert stats_for(world, unit=u["SNV"]).totals().total == 3  # lead or cooperating: T3, T4, T5


def test_reach_a_department_leader_sees_only_their_department(world):
    binh = stats_for(world, "binh.lv")
    assert counts_of(binh.totals()) == {"total": 2, "done_on_time": 0, "done_late": 0, "in_progress": 1,
                                        "overdue": 1, "cancelled": 0, "due_soon": 0}  # T4, T5 (not T3, not T13)
    assert [r.unit.code for r in binh.by_unit()] == ["SNV"]
    assert ids_of(binh.overdue()) == [world.tasks["T5"].title]
    assert binh.directives()[1] == 1
    hai = stats_for(world, "hai.nv").totals()
    assert hai.total == 7
    with pytest.raises(Forbidden):
        stats_for(world, "binh.lv", lead_unit=world.units["STTTT"])


def test_unit_dashboard_figures(world):
    stats = stats_for(world, "binh.lv")
    snv = world.units["SNV"]
    assert stats.counts(stats.unit_filters(snv)).total == 2
    coop = stats.as_cooperating(snv)
    assert (coop.total, coop["in_progress"], coop.due_soon) == (1, 1, 1)  # T3, led by STTTT
    hai = stats_for(world, "hai.nv")
    people = {(p.username if p else None): c.total for p, c in hai.by_assignee(world.units["STTTT"])}
    assert people == {"lan.nt": 2, None: 5}  # T8, T12 / T1 T2 T3 T9 T10
    lan = stats_for(world, "lan.nt")
    mine = lan.mine()
    assert (mine.total, mine["in_progress"], mine["done_late"], mine.due_soon) == (2, 1, 1, 1)
    assert ids_of(lan.my_open_tasks()) == [world.tasks["T8"].title]


def test_trend_over_twelve_months(world):
    months = stats_for(world).trend()
    assert len(months) == 12 and months[0].start == date(2023, 7, 1) and months[-1].end == TODAY
    got = {m.start.strftime("%Y-%m"): (m.done_on_time, m.done_late, m.overdue) for m in months
           if m.done or m.overdue}
    assert got == {"2024-02": (0, 0, 1),  # T11 overdue on 29/02
                   "2024-03": (1, 0, 3),  # T1 done; T2, T4, T11 overdue on 31/03
                   "2024-04": (1, 1, 0),  # T11 on time (reported 27/02), T2 late
                   "2024-05": (0, 1, 0),  # T12 late; T10 (due 31/05) not yet late on 31/05
                   "2024-06": (0, 0, 2)}  # T5, T10 on 14/06
    past = stats_for(world, as_of=PAST).trend()
    assert past[-1].end == PAST and past[-1].overdue == 3 and past[-1].done_on_time == 1


def test_per_directive_progress(world):
    rows, total = stats_for(world).directives()
    assert total == 2  # the draft D3 is left out
    assert [r.directive.number for r in rows] == ["05/KH-STTTT", "12/TB-UBND"]  # newest first
    assert (rows[1].counts.total, rows[1].counts["overdue"], rows[0].counts["done_late"]) == (11, 2, 1)


# --- links and the API ---------------------------------------------------------------------------

def test_list_args_round_trip_through_the_task_list_filters(app, world):
    from flask import request

    from tracker.services.queries import from_args

    stats = stats_for(world, as_of=PAST, period=Period.quarter(2024, 1), issuing_unit=world.units["UBND"],
                      tag="hành chính")
    filters = stats.due_soon_filters(stats.task_filters(assignee=world.users["lan.nt"]))
    args = list_args(filters)
    with app.test_request_context("/tasks", query_string=args):
        back = from_args(request.args)
    assert list_args(back) == args


def test_stats_payload_has_the_api_shape(world):
    payload = stats_payload(world.users["nga.tt"], None, today=TODAY)
    assert set(payload) == {"as_of", "totals", "completion_rate", "on_time_rate", "by_unit", "cooperating"}
    # SNV's part in T3 follows the task's extended deadline (20/06): in progress.
    assert payload["cooperating"] == {"total": 1, "done_on_time": 0, "done_late": 0, "in_progress": 1, "overdue": 0,
                                      "by_unit": [{"unit": "SNV", "total": 1, "done_on_time": 0, "done_late": 0,
                                                   "in_progress": 1, "overdue": 0}]}
    assert payload["as_of"] == "2024-06-14"
    assert payload["totals"] == {"total": 12, "done_on_time": 2, "done_late": 2, "in_progress": 5, "overdue": 2,
                                 "cancelled": 1, "due_soon": 2}
    assert payload["completion_rate"] == pytest.approx(4 / 11)
    row = next(r for r in payload["by_unit"] if r["unit"] == "SNV")
    assert row == {"unit": "SNV", "total": 2, "done_on_time": 0, "done_late": 0, "in_progress": 1, "overdue": 1,
                   "cancelled": 0, "due_soon": 0, "completion_rate": 0.0, "on_time_rate": 0.0,
                   "taken_over_from": []}
    stc = next(r for r in payload["by_unit"] if r["unit"] == "STC")
    assert stc["completion_rate"] is None and stc["on_time_rate"] is None  # only a cancelled task
    past = stats_payload(world.users["nga.tt"], PAST, unit="SNV", today=TODAY)
    assert past["as_of"] == "2024-03-31" and past["totals"]["total"] == 3 and past["totals"]["overdue"] == 1
    assert stats_payload(world.users["nga.tt"], None, issuing_unit="STTTT", today=TODAY)["totals"]["total"] == 1
    assert stats_payload(world.users["nga.tt"], None, directive_id=world.directives["D2"].id,
                         today=TODAY)["totals"]["total"] == 1
    assert stats_payload(world.users["binh.lv"], None, today=TODAY)["totals"]["total"] == 2
    with pytest.raises(LookupError):
        stats_payload(world.users["nga.tt"], None, unit="NOPE", today=TODAY)
    with pytest.raises(Forbidden):
        stats_payload(world.users["lan.nt"], None, today=TODAY)


def test_no_figure_loads_tasks_into_python(world):
    """Counts, units, trend and directives are SQL aggregates; the short lists load at most their limit."""
    loaded = []

    def on_load(target, _context):
        loaded.append(target.id)

    event.listen(Task, "load", on_load)
    try:
        ids = {"nga": world.users["nga.tt"].id, "SNV": world.units["SNV"].id, "STTTT": world.units["STTTT"].id}
        db.session.expunge_all()  # nothing loaded before counts
        stats = DashboardStats(db.session, db.session.get(User, ids["nga"]), DashboardFilters(as_of=PAST), TODAY)
        stats.totals(), stats.by_unit(), stats.trend()
        stats.as_cooperating(db.session.get(Unit, ids["SNV"])), stats.by_assignee(db.session.get(Unit, ids["STTTT"]))
        stats.directives()
        assert loaded == []
        stats.overdue(limit=1)
        assert len(loaded) == 1
    finally:
        event.remove(Task, "load", on_load)
