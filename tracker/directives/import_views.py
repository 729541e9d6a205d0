"""Import the Office's spreadsheet: upload, check the columns and every row's problems, then confirm.

The uploaded file waits in the instance's upload folder under a random name
tied to its uploader until it is imported (or replaced by the next upload);
the preview (a GET, the column mapping in its query string) writes nothing.
The confirmation imports every row, or those without problems when the user
says so, in one transaction.
"""
from __future__ import annotations

import json
import re
import secrets
import time
from io import BytesIO
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker import params
from tracker.database import db
from tracker.directives import bp
from tracker.models import Unit
from tracker.rules import reach
from tracker.rules.imports import FIELDS, cell_text
from tracker.services import imports
from tracker.services.errors import ServiceError
from tracker.timeutil import today
from tracker.views_util import tree_order

_TOKEN = re.compile(r"[0-9a-f]{32}\Z")
KEEP_SECONDS = 24 * 3600
SHOWN_PROBLEMS = 500
SHOWN_ROWS = 100


def _require_recorder() -> None:
    if not reach.can_record_directive(current_user):
        abort(403)


def _issuing_units() -> list[Unit]:
    if reach.is_admin(current_user):
        return tree_order(list(db.session.scalars(select(Unit).where(Unit.active.is_(True)))))
    return [current_user.unit]


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "imports"


def _save_pending(data: bytes, name: str, unit: Unit) -> str:
    """Keep the upload for the preview and the confirmation; forget the user's older ones and stale files."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for meta in folder.glob("*.json"):
        try:
            info = json.loads(meta.read_text())
            stale = info.get("user_id") == current_user.id or now - meta.stat().st_mtime > KEEP_SECONDS
        except (OSError, ValueError):
            stale = True
        if stale:
            meta.with_suffix(".data").unlink(missing_ok=True)
            meta.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.data").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"user_id": current_user.id, "name": name, "unit_id": unit.id}))
    return token


def _load_pending(token: str) -> tuple[bytes, dict]:
    """The upload `token` names, if it is the current user's; else 404."""
    if not _TOKEN.match(token or ""):
        abort(404)
    folder = _folder()
    try:
        info = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}.data").read_bytes()
    except (OSError, ValueError):
        abort(404)
    if info.get("user_id") != current_user.id:
        abort(404)
    return data, info


def _drop_pending(token: str) -> None:
    folder = _folder()
    (folder / f"{token}.data").unlink(missing_ok=True)
    (folder / f"{token}.json").unlink(missing_ok=True)


def _mapping_from(args, columns: int) -> dict[str, int | None] | None:
    """The user's column mapping from the form (column numbers from 1; 0 for none), or None to guess."""
    if not any(f"col_{f}" in args for f in FIELDS):
        return None
    mapping = {}
    for name in FIELDS:
        col = params.whole(args.get(f"col_{name}"), 0, columns)
        mapping[name] = col - 1 if col else None
    return mapping


def _plan(token: str, args):
    data, info = _load_pending(token)
    unit = db.session.get(Unit, info.get("unit_id") or 0)
    if unit is None or not reach.can_issue_for(current_user, unit):
        abort(403)
    try:
        sheet = imports.read_sheet(data, info.get("name", ""))
    except ServiceError:
        abort(404)
    mapping = _mapping_from(args, len(sheet.headers))
    return imports.plan_import(db.session, sheet, unit, today(), mapping), info


@bp.route("/directives/import", methods=["GET", "POST"])
def import_upload():
    """Upload the spreadsheet (.xlsx or .csv)."""
    _require_recorder()
    units = _issuing_units()
    if request.method == "POST":
        unit_id = params.an_id(request.form.get("issuing_unit_id"))
        unit = next((u for u in units if u.id == unit_id), units[0])
        upload = request.files.get("file")
        error = None
        if upload is None or not upload.filename:
            error = _("Choose the spreadsheet to import.")
        else:
            data = upload.stream.read(imports.MAX_BYTES + 1)
            try:
                imports.read_sheet(data, upload.filename)
            except ServiceError as failure:
                error = failure.message
        if error:
            flash(error, "error")
            return render_template("directives/import.html", units=units, unit_id=unit.id), 422
        token = _save_pending(data, Path(upload.filename.replace("\\", "/")).name[:200], unit)
        return redirect(url_for("directives.import_preview", secret=token))
    return render_template("directives/import.html", units=units, unit_id=units[0].id)


@bp.route("/directives/import/template.xlsx")
def import_template():
    """The empty list with the columns the import recognises."""
    _require_recorder()

    return send_file(BytesIO(imports.template_workbook()), as_attachment=True,
                     download_name="mau-nhap-nhiem-vu.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _render_preview(plan, info, token, status=200):
    headers = plan.sheet.headers
    columns = [(i + 1, f"{_column_letter(i)}: {cell_text(h) or '—'}") for i, h in enumerate(headers)]
    problems = plan.problem_rows
    return render_template(
        "directives/import_preview.html", plan=plan, token=token, name=info.get("name", ""), columns=columns,
        labels=imports.FIELD_LABELS, fields=FIELDS, problems=problems[:SHOWN_PROBLEMS],
        more_problems=max(0, len(problems) - SHOWN_PROBLEMS), new_rows=plan.new_rows[:SHOWN_ROWS],
        more_rows=max(0, len(plan.new_rows) - SHOWN_ROWS), changed=plan.changed_rows[:SHOWN_ROWS],
        describe=imports.describe), status


def _column_letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@bp.route("/directives/import/<secret>")
def import_preview(secret: str):
    """What the import would do with these columns: every row's problems; nothing is written."""
    _require_recorder()
    plan, info = _plan(secret, request.args)
    return _render_preview(plan, info, secret)


@bp.route("/directives/import/<secret>", methods=["POST"])
def import_confirm(secret: str):
    """Import the rows (or only those without problems, when asked) in one transaction."""
    _require_recorder()
    token = secret
    plan, info = _plan(token, request.form)
    skip = bool(request.form.get("skip_invalid"))
    try:
        result = imports.apply_import(db.session, plan, current_user, today(), skip_invalid=skip)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render_preview(plan, info, token, 422)
    _drop_pending(token)
    flash(_("Imported %(tasks)d tasks in %(directives)d new documents; %(existing)d rows were already imported, "
            "%(skipped)d rows with problems were left out.", tasks=result.tasks, directives=result.directives,
            existing=result.existing, skipped=result.skipped), "success")
    return redirect(url_for("directives.index"))
