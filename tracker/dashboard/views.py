"""Dashboard pages and exports: thin views over tracker.services.stats.

Every view: read the filters, check the user may see a dashboard (staff:
only the unit dashboard), compute the figures through DashboardStats (which
keeps them within the user's reach), render or send the file.
"""
from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from tracker import params
from tracker.dashboard import bp, charts, exports, render
from tracker.database import db
from tracker.models import Unit, User
from tracker.page_cache import page_cache
from tracker.rules import reach
from tracker.rules.status import JUDGED_STATUSES, STATUSES
from tracker.services import recurrence
from tracker.services.errors import Forbidden
from tracker.services.queries import visible_directive
from tracker.services.stats import DashboardFilters, DashboardStats, Period, encode_args
from tracker.timeutil import local_now, today
from tracker.views_util import due_soon_rules, options_html, unit_options

MAX_PRINTED_OVERDUE = 500


# --- reading the filters ----------------------------------------------------------------------

def _date_arg(name: str) -> date | None:
    value = request.args.get(name, "").strip()
    day = params.a_date(value)
    if value and day is None:
        flash(_("Ignored an invalid date: %(value)s", value=value[:40]), "warning")
    return day


def _unit_arg(name: str) -> Unit | None:
    unit_id = params.an_id(request.args.get(name))
    return db.session.get(Unit, unit_id) if unit_id else None


def _period(day: date) -> Period:
    """The period chosen in the query string: period=month|quarter|year|custom with year, month, quarter, start, end."""
    kind = request.args.get("period", "")
    year = params.whole(request.args.get("year"), 2000, 2100) or day.year
    if not 2000 <= year <= 2100:
        year = day.year
    if kind == "month":
        month = params.whole(request.args.get("month"), 1, 12) or day.month
        return Period.month(year, min(max(month, 1), 12))
    if kind == "quarter":
        quarter = params.whole(request.args.get("quarter"), 1, 4) or (day.month - 1) // 3 + 1
        return Period.quarter(year, min(max(quarter, 1), 4))
    if kind == "year":
        return Period.whole_year(year)
    if kind == "custom":
        start, end = _date_arg("start"), _date_arg("end")
        if start and end and start > end:
            flash(_("The period's start is after its end; the dates were swapped."), "warning")
            start, end = end, start
        return Period.custom(start, end)
    return Period()


def _filters(day: date) -> DashboardFilters:
    as_of = _date_arg("as_of")
    if as_of is not None and as_of > day:
        flash(_("The as-of date cannot be in the future; showing today."), "warning")
        as_of = None
    return DashboardFilters(
        as_of=as_of, period=_period(as_of or day), issuing_unit=_unit_arg("issuing_unit"),
        lead_unit=_unit_arg("lead_unit"), tag=request.args.get("tag", "").strip()[:100],
        # Narrowed to a document the viewer may not see, the figures count nothing and never name it
        # (`visible_directive` below): as for a document that does not exist.
        directive_id=params.an_id(request.args.get("directive")))


def _stats(filters: DashboardFilters, day: date) -> DashboardStats:
    try:
        calendar, rules = due_soon_rules()  # kept per worker until the reference data changes
        return DashboardStats(db.session, current_user, filters, day, calendar=calendar, rules=rules)
    except Forbidden:
        abort(403)


def _require_dashboard() -> None:
    if not reach.can_view_dashboard(current_user):
        abort(403)


def period_label(period: Period) -> str:
    if period.kind == "month":
        return _("Month %(month)02d/%(year)d", month=period.number, year=period.year)
    if period.kind == "quarter":
        return _("Quarter %(quarter)d/%(year)d", quarter=period.number, year=period.year)
    if period.kind == "year":
        return _("Year %(year)d", year=period.year)
    if period.kind == "custom":
        start = period.start.strftime("%d/%m/%Y") if period.start else "…"
        end = period.end.strftime("%d/%m/%Y") if period.end else "…"
        return _("%(start)s to %(end)s", start=start, end=end)
    return ""


def _root(every_unit: list[Unit] | None = None) -> Unit | None:
    if every_unit is not None:  # every unit already loaded: the first root among them
        return min((u for u in every_unit if u.parent_id is None), key=lambda u: u.id, default=None)
    return db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))


def _filter_args(*drop: str) -> dict:
    """The current query string (minus `drop`), for links that keep the filters."""
    args = request.args.to_dict(flat=False)
    for name in drop:
        args.pop(name, None)
    return args


def _common(filters: DashboardFilters, stats: DashboardStats) -> dict:
    directive = visible_directive(current_user, filters.directive_id)
    every_unit = stats.every_unit  # the whole tree's dashboard loaded them: no other read
    root = _root(every_unit)
    own = root if reach.is_admin(current_user) else current_user.unit
    issuing = unit_options(root, every_unit) if root else []
    # A province's 170 units listed once.
    lead = issuing if own is root else unit_options(own, every_unit) if own else []
    return {
        "filters": filters, "stats": stats, "day": stats.day, "today": stats.today,
        "period_label": period_label(filters.period), "directive": directive,
        "lead_options": options_html(lead, filters.lead_unit.id if filters.lead_unit else None),
        "issuing_options": options_html(issuing, filters.issuing_unit.id if filters.issuing_unit else None),
        "filter_args": _filter_args("dpage"), "without_directive_args": _filter_args("dpage", "directive"),
        "statuses": STATUSES, "presets": _presets(stats.today),
    }


def _presets(day: date) -> list[tuple[str, dict]]:
    """Quick periods: this month, this quarter, last quarter as it stood at its end, this year."""
    quarter = (day.month - 1) // 3 + 1
    last = Period.quarter(day.year, quarter - 1) if quarter > 1 else Period.quarter(day.year - 1, 4)
    keep = {k: v for k, v in request.args.items() if k == "unit"}
    return [
        (_("This month"), {**keep, "period": "month", "year": day.year, "month": day.month}),
        (_("This quarter"), {**keep, "period": "quarter", "year": day.year, "quarter": quarter}),
        (_("Last quarter, as it stood at its end"),
         {**keep, "period": "quarter", "year": last.year, "quarter": last.number, "as_of": last.end.isoformat()}),
        (_("This year"), {**keep, "period": "year", "year": day.year}),
    ]


@bp.app_template_global()
def tasks_url(args: dict) -> str:
    """The task list (/tasks) for the query-string args of a figure.

    The same URL as url_for("tasks.index", **args), built without the route
    map for each of the hundreds of links a dashboard shows (the base path
    is looked up once per request).
    """
    base = g.get("_tasks_index_url")
    if base is None:
        base = g._tasks_index_url = url_for("tasks.index")
    query = getattr(args, "query", None)
    if query is None:
        query = encode_args(args)
    return f"{base}?{query}" if query else base


@bp.app_template_global()
def rows_chart(chart: charts.Chart, id: str, title: str, desc: str) -> Markup:
    """The SVG of a chart of unit rows (~15 rows of 5 linked bars), written in Python (render.rows_chart)."""
    return render.rows_chart(chart, id, title, desc, tasks_url)


bp.add_app_template_filter(render.percent, "percent")  # one rate format for the templates and render.py


# --- pages -------------------------------------------------------------------------------------

@bp.route("/")
def home():
    """The home page is a dashboard: the leader one for leaders, secretaries and admins, the unit one for staff."""
    return index() if reach.can_view_dashboard(current_user) else unit()


@bp.route("/dashboard")
def index():
    """The leader dashboard: totals, units, ranking, overdue and due-soon tasks, trend, directives."""
    _require_dashboard()
    day = today()
    filters = _filters(day)  # reads (and flashes about) the arguments on every request
    key = ("dashboard.index", request.endpoint, day, current_user.id, str(get_locale()),
           tuple(sorted(request.args.items(multi=True))))
    body = page_cache().get_or_render(db.session, key, lambda: _index_body(filters, day))
    return render_template("dashboard/index.html", body=body, filter_args=_filter_args("dpage"))


def _index_body(filters: DashboardFilters, day: date) -> str:
    stats = _stats(filters, day)
    totals, units = stats.summary(rollup=True)
    ranked = stats.ranking(units)
    best = ranked[:5]
    worst = [r for r in reversed(ranked) if r not in best][:5]
    trend = stats.trend()
    dpage = max(params.whole(request.args.get("dpage"), 1, params.MAX_PAGE) or 1, 1)
    directive_rows, directive_total = stats.directives(dpage, 10)
    parts, part_rows = stats.parts()
    report_unit = filters.lead_unit or current_user.unit
    common = _common(filters, stats)
    overdue, due_soon = stats.overdue_and_due_soon(10)
    return render_template(
        "dashboard/_index_body.html", **common, totals=totals, units=units, best=best, worst=worst,
        parts=parts, part_rows=part_rows, signers=report_signers(report_unit),
        unit_rows_html=render.unit_rows(units, url_for("tasks.index"), url_for("dashboard.index"),
                                        common["filter_args"]),
        part_rows_html=render.part_rows(part_rows), part_statuses=render.PART_STATUSES,
        overdue=overdue, due_soon=due_soon, trend=trend,
        directive_rows=directive_rows, directive_total=directive_total, dpage=dpage,
        totals_strip=charts.status_strip(totals),
        units_chart=charts.units_chart([r for r in units if r.counts.total]),
        best_chart=charts.ranking_chart(best), worst_chart=charts.ranking_chart(worst),
        trend_chart=charts.trend_chart(trend), judged=JUDGED_STATUSES,
        directive_strips={row.directive.id: charts.status_strip(row.counts, height=14) for row in directive_rows},
        # The periods of periodic tasks, each one unit of work (shown without unit or document filters).
        periodic=None if (filters.unit or filters.lead_unit or filters.issuing_unit or filters.directive_id
                          or filters.tag) else recurrence.periodic_figures(current_user, stats.day))


@bp.route("/dashboard/unit")
def unit():
    """The unit dashboard: the unit's tasks as lead and as cooperating unit, by status and assignee; my tasks."""
    day = today()
    chosen = _unit_arg("unit") or current_user.unit
    if not reach.in_reach(current_user, chosen):
        abort(403)
    base = _filters(day)
    filters = DashboardFilters(as_of=base.as_of, period=base.period, tag=base.tag)
    stats = _stats(filters, day)
    lead = stats.counts(stats.unit_filters(chosen))
    cooperating = stats.as_cooperating(chosen)
    parts, _part_rows = stats.parts(within=chosen)
    assignees = stats.by_assignee(chosen)
    mine = stats.mine()
    return render_template(
        "dashboard/unit.html", **_common(filters, stats), unit=chosen, lead=lead, cooperating=cooperating,
        parts=parts,
        assignees=assignees, mine=mine, my_tasks=stats.my_open_tasks(20), my_first=current_user.role == "staff",
        unit_choices=unit_options(current_user.unit) if not reach.is_admin(current_user)
        else unit_options(_root()),
        lead_strip=charts.status_strip(lead), coop_strip=charts.status_strip(cooperating),
        mine_strip=charts.status_strip(mine),
        assignee_strips=[charts.status_strip(c, height=14) for _person, c in assignees])


@bp.route("/dashboard/print")
def print_view():
    """The print-friendly report: summary, table by unit, overdue tasks with their reasons."""
    _require_dashboard()
    day = today()
    filters = _filters(day)
    stats = _stats(filters, day)
    totals, units = stats.summary(rollup=True)
    return render_template("dashboard/print.html", **_common(filters, stats), totals=totals, units=units,
                           overdue=stats.overdue(MAX_PRINTED_OVERDUE, with_difficulties=True),
                           totals_strip=charts.status_strip(totals))


# --- exports -----------------------------------------------------------------------------------

def _scope(filters: DashboardFilters, stats: DashboardStats) -> exports.Scope:
    directive = visible_directive(current_user, filters.directive_id)
    return exports.Scope(
        user_name=current_user.full_name, unit_name=(filters.lead_unit or current_user.unit).name, as_of=stats.day,
        period=_period_vi(filters.period), issuer=filters.issuing_unit.name if filters.issuing_unit else "",
        lead_unit=filters.lead_unit.name if filters.lead_unit else "", tag=filters.tag,
        directive=directive.number if directive else "", made_at=local_now())


def _period_vi(period: Period) -> str:
    """The period in the documents' language."""
    if period.kind == "month":
        return f"tháng {period.number:02d}/{period.year}"
    if period.kind == "quarter":
        return f"quý {('I', 'II', 'III', 'IV')[period.number - 1]} năm {period.year}"
    if period.kind == "year":
        return f"năm {period.year}"
    if period.kind == "custom":
        start = period.start.strftime("%d/%m/%Y") if period.start else "…"
        end = period.end.strftime("%d/%m/%Y") if period.end else "…"
        return f"từ {start} đến {end}"
    return ""


def _download(data: bytes | str, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _export_setup():
    _require_dashboard()
    day = today()
    filters = _filters(day)
    return filters, _stats(filters, day)


def _statuses() -> list[str]:
    return [s for s in request.args.getlist("status") if s in STATUSES]


@bp.route("/dashboard/export.xlsx")
def export_xlsx():
    """The filtered task list and the statistics by unit as an Excel workbook."""
    filters, stats = _export_setup()
    totals, units = stats.summary(rollup=True)
    data = exports.xlsx(_scope(filters, stats), stats.export_rows(_statuses()), totals, units)
    return _download(data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"nhiem-vu-{stats.day.isoformat()}.xlsx")


@bp.route("/dashboard/export.csv")
def export_csv():
    """The filtered task list (or, with table=units, the statistics by unit) as CSV, UTF-8 with BOM."""
    filters, stats = _export_setup()
    if request.args.get("table") == "units":
        totals, units = stats.summary(rollup=True)
        text = "".join(exports.csv_units(units, totals))
        name = f"thong-ke-don-vi-{stats.day.isoformat()}.csv"
    else:
        text = "".join(exports.csv_tasks(stats.export_rows(_statuses())))
        name = f"nhiem-vu-{stats.day.isoformat()}.csv"
    return _download(text.encode("utf-8"), "text/csv; charset=utf-8", name)


def report_signers(unit: Unit) -> list[User]:
    """Who may sign the report of `unit`: its active leaders (the one chosen at export signs it)."""
    return list(db.session.scalars(select(User).where(User.unit_id == unit.id, User.role == "leader",
                                                      User.active.is_(True)).order_by(User.sort_key, User.id)))


@bp.route("/dashboard/report.docx")
def report_docx():
    """The periodic report "Báo cáo tình hình thực hiện nhiệm vụ", ready for the Office to edit and sign."""
    filters, stats = _export_setup()
    unit = filters.lead_unit or current_user.unit
    totals, units = stats.summary(rollup=True)
    chosen = params.an_id(request.args.get("signer"))
    signer = next((u for u in report_signers(unit) if u.id == chosen), None)
    data = exports.report_docx(
        _scope(filters, stats), totals, units,
        stats.overdue(None, with_difficulties=True), parent_name=unit.parent.name if unit.parent else "",
        unit_code=unit.code, today=stats.today, due_soon_days=stats.rules.due_soon_days,
        proposals=stats.pending_proposals(), signer=(signer.position_title or "", signer.full_name) if signer else None)
    return _download(data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     f"bao-cao-nhiem-vu-{stats.day.isoformat()}.docx")
