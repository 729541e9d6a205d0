"""The leader dashboard's long parts written in Python, not Jinja macros (as tracker.templating does for the
task badges): a province's dashboard shows ~170 unit rows of a dozen links each and as many cooperating units,
and a macro call or a url_for per link cost more than the figures behind them.

Each helper writes the HTML its template wrote (the same elements, attributes and text), with every string
translated once per page and every link one string join (`Counts.link_query`).
"""
from __future__ import annotations

from markupsafe import Markup, escape

from collections.abc import Callable

from tracker import labels
from tracker.dashboard.charts import Chart
from tracker.i18n import current_translations
from tracker.rules.status import STATUSES
from tracker.services.stats import Counts, PartCounts, UnitRow, encode_args


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def unit_rows(units: list[UnitRow], tasks_base: str, dashboard_base: str, filter_args: dict) -> Markup:
    """The rows of the table "Status by lead unit": the unit (its level below, the units it took over
    from), its total and each status linking to its task list, its on-time rate."""
    gettext = current_translations().ugettext
    names = labels.names(labels.STATUS_LABELS)
    l_lead, l_total, l_on_time = escape(gettext("Lead unit")), escape(gettext("Total")), escape(gettext("On time"))
    l_itself, l_below = escape(gettext("led by the unit itself")), escape(gettext("units under it"))
    taken_text = Markup(escape(gettext("includes tasks taken over from %(units)s")))
    cells = [(s, escape(names[s])) for s in STATUSES]
    below_args = {k: v for k, v in filter_args.items() if k != "lead_unit"}
    keep_place = "lead_unit" in filter_args
    out = []
    for row in units:
        counts: Counts = row.counts
        name = escape(row.unit.display_name)
        head = [f'<tr><td data-label="{l_lead}">{name}']
        if row.own:
            head.append(f' <span class="small muted">({l_itself})</span>')
        elif row.below:
            if keep_place:  # url_for keeps an argument where the query string had it
                args = {k: (row.unit.id if k == "lead_unit" else v) for k, v in filter_args.items()}
            else:
                args = {**below_args, "lead_unit": row.unit.id}
            query = encode_args(args)
            href = escape(f"{dashboard_base}?{query}" if query else dashboard_base)
            head.append(f' <a class="small below" href="{href}" title="{l_below}" aria-label="{l_below}: {name}">'
                        f'{l_below} ›</a>')
        if row.taken_over_from:
            head.append(f' <span class="small muted taken-over">'
                        f'{taken_text % {"units": ", ".join(u.name for u in row.taken_over_from)}}</span>')
        head.append(f'</td><td data-label="{l_total}" class="num"><a href="'
                    f'{escape(_url(tasks_base, counts.link_query()))}">{counts.total}</a></td>')
        for status, label in cells:
            n = counts[status]
            zero = ' class="zero"' if not n else ""
            head.append(f'<td data-label="{label}" class="num"><a{zero} href="'
                        f'{escape(_url(tasks_base, counts.link_query(status)))}">{n}</a></td>')
        head.append(f'<td data-label="{l_on_time}" class="num">{percent(counts.on_time_rate)}</td></tr>\n')
        out.append("".join(head))
    return Markup("".join(out))


def rows_chart(chart: Chart, id: str, title: str, desc: str, url: Callable[[dict], str]) -> Markup:
    """The SVG of a chart of rows (charts.units_chart, charts.ranking_chart): each unit's name linking to its
    tasks, its bars linking to theirs, its figure at the end; as the Jinja macro wrote it, whitespace included.
    `url` makes a bar's link from its args (views.tasks_url)."""
    gettext = current_translations().ugettext
    names = {key: escape(label) for key, label in labels.names(labels.STATUS_LABELS).items()}
    names["track"] = escape(gettext("Judged (done or overdue)"))
    out = [f'\n<svg class="chart chart-rows" viewBox="0 0 {chart.width} {chart.height}" width="100%" role="group" '
           f'aria-labelledby="{id}-t {id}-d">\n  <title id="{id}-t">{escape(title)}</title>\n'
           f'  <desc id="{id}-d">{escape(desc)}</desc>\n  \n  \n  ']
    for row in chart.rows:
        out.append(f'\n    <a href="{escape(url(row.args))}"><text class="row-label" x="0" y="{row.y}" font-size="14">'
                   f'{escape(row.label)}</text></a>\n    ')
        for bar in row.bars:
            css = "track" if bar.status == "track" else f"st-{bar.status}"
            out.append(f'\n      <a href="{escape(url(bar.args))}"><rect class="{css}" x="{bar.x}" y="{bar.y}" '
                       f'width="{bar.width}" height="{bar.height}" fill="{bar.fill}"><title>{names[bar.status]}: '
                       f'{bar.count}</title></rect></a>\n    ')
        out.append("\n    ")
        if row.bars:
            out.append(f'<text class="row-value" x="{row.text_x}" y="{row.bars[0].y + 12}" font-size="13">'
                       f'{escape(row.text)}</text>')
        out.append("\n  ")
    out.append("\n</svg>\n")
    return Markup("".join(out))


PART_STATUSES = ("overdue", "done_late", "done_on_time", "in_progress")


def part_rows(rows: list[PartCounts]) -> Markup:
    """The rows of the table "Cooperating parts by unit": the unit, its parts, by status."""
    gettext = current_translations().ugettext
    names = labels.names(labels.STATUS_LABELS)
    l_unit, l_parts = escape(gettext("Cooperating unit")), escape(gettext("Parts"))
    cells = [(s, escape(names[s])) for s in PART_STATUSES]
    out = []
    for row in rows:
        figures = "".join(f'<td data-label="{label}" class="num">{row.by_status[s]}</td>' for s, label in cells)
        out.append(f'<tr><td data-label="{l_unit}">{escape(row.unit.display_name)}</td>'
                   f'<td data-label="{l_parts}" class="num">{row.total}</td>{figures}</tr>\n')
    return Markup("".join(out))


def _url(base: str, query: str) -> str:
    return f"{base}?{query}" if query else base
