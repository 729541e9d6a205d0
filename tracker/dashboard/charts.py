"""Chart geometry for the dashboards: plain numbers the SVG templates draw.

The templates (templates/dashboard/_charts.html) render inline SVG: no
script, no CDN, no inline style (the CSP forbids them). Colours come from
CSS classes sharing app.css's status variables; `FILLS` repeats them as
presentation attributes so a chart saved on its own keeps its colours.
Every bar carries the query-string args of the task list it counts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tracker.rules.status import STATUSES
from tracker.services.stats import Counts, MonthRow, UnitRow

# The values of --ok, --late, --progress, --overdue, --cancelled, --soon in app.css.
FILLS = {"done_on_time": "#1e7d32", "done_late": "#8a6d00", "in_progress": "#0b5cad", "overdue": "#c62828",
         "cancelled": "#6b7280", "due_soon": "#b45309", "track": "#eef1f5"}


@dataclass
class Bar:
    status: str  # a status, or "done" / "due_soon" / "rate"
    x: float
    y: float
    width: float
    height: float
    count: int
    args: dict
    fill: str = ""

    def __post_init__(self):
        self.fill = self.fill or FILLS.get(self.status, FILLS["in_progress"])


@dataclass
class Row:
    label: str
    y: float
    bars: list[Bar] = field(default_factory=list)
    text: str = ""  # shown at the end of the row
    text_x: float = 0
    args: dict | None = None


@dataclass
class Chart:
    width: int
    height: int
    rows: list[Row] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, label) of the value axis
    labels: list[tuple[float, str]] = field(default_factory=list)  # (x, label) of the category axis
    values: list[tuple[float, float, str]] = field(default_factory=list)  # (x, y, text) above bars
    baseline: float = 0


def _segments(counts: Counts, x0: float, y: float, width: float, height: float, scale_total: int) -> list[Bar]:
    bars, x = [], x0
    for status in STATUSES:
        n = counts[status]
        if not n:
            continue
        w = width * n / scale_total if scale_total else 0
        bars.append(Bar(status, round(x, 2), y, round(w, 2), height, n, counts.link(status)))
        x += w
    return bars


def status_strip(counts: Counts, width: int = 600, height: int = 24) -> Chart:
    """One horizontal bar of the statuses, proportional to their counts."""
    return Chart(width, height, bars=_segments(counts, 0, 0, width, height, counts.total))


CHART_UNITS = 15  # a province has ~170 units: the chart draws the busiest, the table beside it lists them all


def units_chart(rows: list[UnitRow], width: int = 360, most: int = CHART_UNITS) -> Chart:
    """A stacked bar per unit, lengths on a common scale; the unit name sits above its bar.

    Past `most` units, only the `most` leading the most tasks are drawn, in the table's order.
    """
    if len(rows) > most:
        busiest = {id(r) for r in sorted(rows, key=lambda r: -r.counts.total)[:most]}
        rows = [r for r in rows if id(r) in busiest]
    longest = max((r.counts.total for r in rows), default=0)
    bar_width = width - 48
    chart = Chart(width, 0)
    y = 0.0
    for row in rows:
        label_y = y + 14
        bar_y = y + 20
        bars = _segments(row.counts, 0, bar_y, bar_width, 14, longest)
        end = sum(b.width for b in bars)
        chart.rows.append(Row(row.unit.display_name, label_y, bars, str(row.counts.total), end + 6,
                              row.counts.link()))
        y += 42
    chart.height = int(y) + 4
    return chart


def ranking_chart(rows: list[UnitRow], width: int = 360) -> Chart:
    """On-time rate bars (0-100 %) per unit, the name above the bar."""
    bar_width = width - 60
    chart = Chart(width, 0)
    y = 0.0
    for row in rows:
        rate = row.counts.on_time_rate or 0
        bar = Bar("done_on_time", 0, y + 20, round(bar_width * rate, 2), 14, row.counts["done_on_time"],
                  row.counts.link("done_on_time"))
        track = Bar("track", 0, y + 20, bar_width, 14, row.counts.judged,
                    row.counts.link(["done_on_time", "done_late", "overdue"]))
        chart.rows.append(Row(row.unit.display_name, y + 14, [track, bar], f"{rate * 100:.0f}%", bar_width + 6,
                              row.counts.link()))
        y += 42
    chart.height = int(y) + 4
    return chart


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 5:
            return step
    return max(1, top // 5)


def trend_chart(months: list[MonthRow], width: int = 900, height: int = 250) -> Chart:
    """Per month: completions (on time below, late above) and, beside them, tasks overdue at month end."""
    left, right, top, bottom = 36, 8, 16, 36
    plot_h = height - top - bottom
    peak = max([m.done for m in months] + [m.overdue for m in months] + [1])
    step = _nice_step(peak)
    scale_top = -(-peak // step) * step
    chart = Chart(width, height, baseline=top + plot_h)
    for k in range(0, scale_top + 1, step):
        chart.ticks.append((round(top + plot_h - plot_h * k / scale_top, 2), str(k)))
    slot = (width - left - right) / max(len(months), 1)
    bar_w = min(24.0, slot / 2 - 4)

    def h(n: int) -> float:
        return plot_h * n / scale_top

    for i, month in enumerate(months):
        x = left + i * slot + (slot - 2 * bar_w - 2) / 2
        base = top + plot_h
        on_time_h, late_h = h(month.done_on_time), h(month.done_late)
        if month.done_on_time:
            chart.bars.append(Bar("done_on_time", round(x, 2), round(base - on_time_h, 2), round(bar_w, 2),
                                  round(on_time_h, 2), month.done_on_time, month.link("done_on_time")))
        if month.done_late:
            chart.bars.append(Bar("done_late", round(x, 2), round(base - on_time_h - late_h, 2), round(bar_w, 2),
                                  round(late_h, 2), month.done_late, month.link("done_late")))
        if month.done:
            chart.values.append((round(x + bar_w / 2, 2), round(base - on_time_h - late_h - 3, 2), str(month.done)))
        ox = x + bar_w + 2
        if month.overdue:
            oh = h(month.overdue)
            chart.bars.append(Bar("overdue", round(ox, 2), round(base - oh, 2), round(bar_w, 2), round(oh, 2),
                                  month.overdue, month.link("overdue")))
            chart.values.append((round(ox + bar_w / 2, 2), round(base - oh - 3, 2), str(month.overdue)))
        chart.labels.append((round(left + i * slot + slot / 2, 2), month.start.strftime("%m/%y")))
    return chart
