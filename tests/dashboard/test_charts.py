"""Chart geometry: the units chart of a province draws its busiest units, in the table's order."""
from __future__ import annotations

from tracker.dashboard.charts import CHART_UNITS, units_chart
from tracker.models import Unit
from tracker.services.queries import TaskFilters
from tracker.services.stats import Counts, UnitRow


def row(name: str, total: int) -> UnitRow:
    counts = Counts(TaskFilters())
    counts.add("in_progress", total)
    return UnitRow(Unit(code=name, name=name, short_name=name), counts)


def test_past_fifteen_units_the_chart_draws_the_busiest_in_table_order():
    rows = [row(f"U{i:02d}", total) for i, total in enumerate([5, 40, 0, 12, 33, 7, 21, 9, 50, 2, 18, 26, 3, 44,
                                                                 15, 38, 11, 29, 1, 8])]
    chart = units_chart(rows)
    busiest = sorted(rows, key=lambda r: -r.counts.total)[:CHART_UNITS]
    assert [r.label for r in chart.rows] == [r.unit.display_name for r in rows if r in busiest]
    assert len(chart.rows) == CHART_UNITS == 15
    assert min(int(r.text) for r in chart.rows) == 7  # 5, 0, 3, 2 and 1 are left to the table


def test_a_few_units_are_all_drawn():
    rows = [row("A", 3), row("B", 0), row("C", 9)]
    assert [r.label for r in units_chart(rows).rows] == ["A", "B", "C"]
