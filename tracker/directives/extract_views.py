"""The conclusion assistant: from a notice's text to proposed tasks the user reviews, then saves.

Nothing is saved until the user confirms the rows; the rows are saved all
at once or not at all.
"""
from __future__ import annotations


from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from tracker import params
from tracker.database import db
from tracker.directives import bp
from tracker.models import Unit, load_calendar
from tracker.rules import reach
from tracker.rules import extract as conclusions  # its rules load on the first text read
from tracker.rules.extract import MAX_TEXT_CHARS, ExtractError
from tracker.rules.recurrence import EVERY, Recurrence
from tracker.rules.units import former_units_named
from tracker.services import workflow
from tracker.services.units import former_units
from tracker.services.documents import text_from_upload
from tracker.services.errors import ServiceError
from tracker.timeutil import format_date, today
from tracker.views_util import load_directive, unit_options

EXTRA_ROWS = 3

_EVERY = {"month": _l("monthly"), "quarter": _l("quarterly"), "half_year": _l("every six months"),
          "year": _l("yearly")}


def recurrence_text(recurrence: dict | None) -> str:
    """Say a proposed recurrence in words ("monthly, by day 20")."""
    if not recurrence:
        return ""
    every = str(_EVERY.get(recurrence.get("every"), recurrence.get("every")))
    if recurrence.get("day"):
        return _("%(every)s, by day %(day)d", every=every, day=recurrence["day"])
    return every


def recurrence_value(recurrence: dict | None) -> str:
    """A proposed recurrence as the review form carries it: "month:20", "quarter:" ("" for none)."""
    if not recurrence or recurrence.get("every") not in EVERY:
        return ""
    return f"{recurrence['every']}:{recurrence.get('day') or ''}"


def recurrence_of_value(value: str) -> Recurrence | None:
    """The recurrence a review row carries back ("month:20"); None if none or unreadable."""
    every, _sep, day = value.partition(":")
    if every not in EVERY:
        return None
    number = params.whole(day, 1, 31) if day else None
    return Recurrence(every, number)


def unit_refs() -> list[conclusions.UnitRef]:
    """The unit registry as the extractor reads it (active units only)."""
    return [conclusions.UnitRef(code=u.code, name=u.name, short_name=u.short_name or "", aliases=tuple(u.aliases or ()),
                    kind=u.kind)
            for u in db.session.scalars(select(Unit).where(Unit.active.is_(True)))]


def segments(text: str, proposals) -> list[tuple[str, int | None]]:
    """Cut the text into (piece, proposal number or None) for highlighting, spans in order."""
    pieces, pos = [], 0
    for number, proposal in sorted(enumerate(proposals, start=1), key=lambda p: p[1].start):
        start, end = max(proposal.start, pos), proposal.end
        if start > pos:
            pieces.append((text[pos:start], None))
        if end > start:
            pieces.append((text[start:end], number))
        pos = max(pos, end)
    pieces.append((text[pos:], None))
    return pieces


def _check(directive):
    if not reach.can_edit_directive(current_user, directive):
        abort(403)


@bp.route("/directives/<int:directive_id>/extract", methods=["GET", "POST"])
def extract_tasks(directive_id: int):
    """Show the text beside the proposed tasks (from the directive's text, pasted text or a file)."""
    directive = load_directive(directive_id)
    _check(directive)
    text = directive.text or ""
    uploaded = False
    if request.method == "POST":
        upload = request.files.get("document")
        try:
            if upload and upload.filename:
                text, uploaded = text_from_upload(upload), True
            else:
                text = request.form.get("text", "")
        except ServiceError as error:
            # The page says what was wrong, never what the file held (it may be megabytes).
            flash(error.message, "error")
            return render_template("directives/extract.html", directive=directive, text="",
                                   rows=None, pieces=None), 422
    if not text.strip():
        return render_template("directives/extract.html", directive=directive, text="", rows=None, pieces=None)
    cal = load_calendar()
    try:
        proposals = conclusions.extract(text, unit_refs(), issued_on=directive.issued_on, add_working_days=cal.add_working_days)
    except ExtractError as error:
        flash(str(error), "error")
        # Pasted text comes back to be corrected, unless it is past the limit; a file's text never does.
        kept = "" if uploaded or len(text) > MAX_TEXT_CHARS else text
        return render_template("directives/extract.html", directive=directive, text=kept, rows=None,
                               pieces=None), 422
    codes = {u.code: u for u in db.session.scalars(select(Unit))}
    formers = former_units()
    rows = []
    for number, p in enumerate(proposals, start=1):
        lead = codes.get(p.lead_unit) if p.lead_unit else None
        named = [f for f in former_units_named(text[p.start:p.end], formers)
                 if f.successor == p.lead_unit or f.successor in p.cooperating_units]
        notes = [_("%(former)s no longer exists (since %(day)s): its work passes to %(successor)s.",
                   former=codes[f.code].name, day=format_date(f.ended_on), successor=codes[f.successor].name)
                 for f in named]
        rows.append({"number": number, "title": p.title, "lead_unit_id": lead.id if lead else 0,
                     "cooperating": [codes[c].id for c in p.cooperating_units if c in codes],
                     "deadline": format_date(p.deadline), "ongoing": p.ongoing,
                     "unknown": p.unknown_units, "include": True, "collective": p.collective or "",
                     "cooperating_collective": p.cooperating_collective,
                     "recurrence": recurrence_text(p.recurrence), "recur": recurrence_value(p.recurrence),
                     "recur_on": bool(p.recurrence), "expand": [], "notes": notes})
    for _i in range(EXTRA_ROWS):
        rows.append({"number": None, "title": "", "lead_unit_id": 0, "cooperating": [], "deadline": "",
                     "ongoing": False, "unknown": [], "include": False, "collective": "",
                     "cooperating_collective": [], "recurrence": "", "recur": "", "recur_on": False, "expand": [],
                     "notes": []})
    return render_template("directives/extract.html", directive=directive, text=text, rows=rows,
                           pieces=segments(text, proposals), units=unit_options(directive.issuing_unit))


@bp.route("/directives/<int:directive_id>/extract/save", methods=["POST"])
def extract_save(directive_id: int):
    """Save the rows the user kept, all at once, or none with the errors shown."""
    directive = load_directive(directive_id)
    _check(directive)
    form = request.form
    count = (params.whole(form.get("count"), 0, 1000) or 0)
    day = today()
    rows, errors, lead_errors, saved = [], {}, {}, 0
    for i in range(min(count, 300)):
        row = {"number": form.get(f"rows-{i}-number") or None, "title": form.get(f"rows-{i}-title", "").strip(),
               "lead_unit_id": (params.an_id(form.get(f"rows-{i}-lead_unit_id")) or 0),
               "cooperating": [int(v) for v in form.getlist(f"rows-{i}-cooperating") if v.isdigit()],
               "deadline": form.get(f"rows-{i}-deadline", ""), "ongoing": bool(form.get(f"rows-{i}-ongoing")),
               "unknown": [], "include": bool(form.get(f"rows-{i}-include")),
               "collective": form.get(f"rows-{i}-collective", ""), "cooperating_collective": [],
               "recurrence": form.get(f"rows-{i}-recurrence", ""), "recur": form.get(f"rows-{i}-recur", "")[:20],
               "recur_on": bool(form.get(f"rows-{i}-recur_on")),
               "expand": [int(v) for v in form.getlist(f"rows-{i}-expand") if v.isdigit()]}
        rows.append(row)
        if not row["include"]:
            continue
        if not row["title"]:
            errors[i] = _("Write the task or untick it.")
            continue
        # A collective addressee: one task per unit the user ticked, or one task with the lead they chose.
        leads = [u for u in (db.session.get(Unit, uid) for uid in row["expand"]) if u is not None]
        if not leads:
            lead = db.session.get(Unit, row["lead_unit_id"]) if row["lead_unit_id"] else None
            if lead is None:
                lead_errors[i] = (_("Choose the lead unit, or tick the units to give one task each.")
                                  if row["collective"] else _("Choose the lead unit."))
                continue
            leads = [lead]
        deadline = None
        # A proposed recurrence kept ticked: a periodic task (each period has its deadline; none asked).
        recur = recurrence_of_value(row["recur"]) if row["recur_on"] else None
        if not row["ongoing"] and recur is None:
            deadline = params.a_date(row["deadline"])  # dd/mm/yyyy as typed (or ISO)
            if deadline is None:
                errors[i] = _("Enter a deadline or tick \"Ongoing\".")
                continue
        try:
            for lead in leads:
                coop = [u for u in (db.session.get(Unit, uid) for uid in row["cooperating"]) if u and u.id != lead.id]
                workflow.add_task(current_user, directive, workflow.TaskData(
                    title=row["title"], lead_unit=lead, cooperating_units=coop, deadline=deadline,
                    recurrence=recur), day)
                saved += 1
        except ServiceError as error:
            errors[i] = "; ".join(error.fields.values()) or error.message
    if errors or lead_errors or not saved:
        db.session.rollback()
        flash(_("No task was saved: please correct the rows marked below.") if errors or lead_errors
              else _("Tick at least one task to save."), "error")
        return render_template("directives/extract.html", directive=directive, text=form.get("text", ""),
                               rows=rows, errors=errors, lead_errors=lead_errors, pieces=[(form.get("text", ""), None)],
                               units=unit_options(directive.issuing_unit)), 422
    db.session.commit()
    flash(_("%(n)d tasks have been added.", n=saved), "success")
    return redirect(url_for("directives.show", directive_id=directive.id) + "#tasks")
