"""Jinja filters and globals: dates as dd/mm/yyyy, labels, paging links; compiled templates kept as files."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from datetime import date

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket
from markupsafe import Markup

from tracker import labels
from tracker.i18n import current_translations
from tracker.lazytext import _l
from tracker.rules import reach
from tracker.rules.status import STATUSES
from tracker.timeutil import format_date, format_datetime
from tracker.urls import id_url


def change_text(change, field: str | None = None, names: dict | None = None) -> str:
    """Show an audit change ([old, new] or a value) in people's words.

    Dates as dd/mm/yyyy, states and priorities by name, yes/no as words, progress with %, and,
    given `names` (services.audit.people_names), units and people by name instead of code.
    """
    names = names or {}
    units = names.get("unit", {}) if field in ("lead_unit", "cooperating_units", "unit") else None
    users = names.get("user", {}) if field == "assignee" else None

    def one(value):
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return str(_l("Yes") if value else _l("No"))
        if isinstance(value, list):
            return ", ".join(one(v) for v in value) or "—"
        if units is not None and isinstance(value, str):
            return units.get(value, value)
        if users is not None and isinstance(value, str):
            return users.get(value, value)
        if field == "progress" and isinstance(value, (int, float)):
            return f"{value}%"
        if field == "priority" and value in labels.PRIORITY_LABELS:
            return str(labels.PRIORITY_LABELS[value])
        if isinstance(value, str) and value in labels.STATE_LABELS:
            return str(labels.STATE_LABELS[value])
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                return value
        return str(value)

    if isinstance(change, list) and len(change) == 2:
        return f"{one(change[0])} → {one(change[1])}"
    return one(change)


# --- a task's badges and deadline, for every template: Python, not Jinja macros, because a list page shows
# them 25 to 200 times and a macro call costs ~15 µs (a millisecond of a 25-row page).

_BADGE = Markup('<span class="badge {}">{}</span>')
_SPACE = Markup(" ")


def _spaced(html: Markup) -> Markup:
    """With a space either side, as the macros had (text read from the page keeps its words apart)."""
    return _SPACE + html + _SPACE


def status_badge(status: str | None, due_soon: bool = False, draft: bool = False) -> Markup:
    """The status badge (or "Draft": a draft document's task has no status yet), with "Due soon" beside it."""
    gettext = current_translations().ugettext
    if draft:
        return _spaced(_BADGE.format("draft", gettext("Draft")))
    badge = _BADGE.format(status, labels.STATUS_LABELS[status]) if status else Markup("")
    return _spaced(badge + _SPACE + _BADGE.format("due_soon", gettext("Due soon")) if due_soon else badge)


def task_flags(task) -> Markup:
    """The flags beside a task's title: ongoing, extended, reported complete, needs a decision, priority."""
    gettext = current_translations().ugettext
    flags = []
    if task.deadline is None:
        flags.append(_BADGE.format("flag", gettext("Ongoing")))
    if task.extended:
        flags.append(_BADGE.format("flag", gettext("Extended")))
    if task.state == "submitted":
        flags.append(_BADGE.format("flag", labels.STATE_LABELS["submitted"]))
    if task.needs_attention and task.state in ("open", "submitted"):
        flags.append(_BADGE.format("flag attention", gettext("Needs a decision")))
    if task.priority != "normal":
        flags.append(_BADGE.format(f"flag priority-{task.priority}", labels.PRIORITY_LABELS[task.priority]))
    return _spaced(_SPACE.join(flags))


def task_deadline(task) -> Markup:
    """The deadline in force, with the original one when it was extended; "Ongoing" without one."""
    gettext = current_translations().ugettext
    if not task.deadline:
        return _spaced(Markup('<span class="muted">{}</span>').format(gettext("Ongoing")))
    if task.extended:
        return _spaced(Markup('{} <span class="muted small" title="{}">({} {})</span>').format(
            format_date(task.deadline), gettext("Original deadline"), gettext("was"), format_date(task.original_deadline)))
    return _spaced(Markup(format_date(task.deadline)))


def page_url(page: int) -> str:
    """Return the current URL with `page` replaced, keeping the other filters."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def field_attrs(field, placeholder: str | None = None, autofocus: bool = False) -> dict:
    """HTML attributes of a form control: placeholder, autofocus and the error description."""
    attrs: dict = {}
    if placeholder:
        attrs["placeholder"] = placeholder
    if autofocus:
        attrs["autofocus"] = True
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.id}-error"
    return attrs


class TemplateCache(FileSystemBytecodeCache):
    """Compiled templates as files in `folder`, private to the app's user, shared by its workers.

    A worker loads a template's code instead of compiling it: compiling the task page's templates
    leaves megabytes of freed but held heap in every worker (~3.6 MB of its resident size). Jinja checks
    each file against its template's source and the Python version, so a changed template is compiled
    again. A folder that cannot be read or written, or a damaged file, only means compiling, as without it.
    """

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - unreadable or damaged (pickle, marshal raise many kinds): compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass  # read-only or full: the template is compiled and works, it is only not kept
        _release_freed_heap()  # Jinja calls this right after compiling: give back what compiling used


def _release_freed_heap() -> None:
    """Return the C heap's free pages to the system (glibc's malloc_trim; nothing elsewhere)."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            _malloc_trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


def init_templating(app: Flask) -> None:
    if app.config.get("TEMPLATE_CACHE_FOLDER"):
        app.jinja_env.bytecode_cache = TemplateCache(app.config["TEMPLATE_CACHE_FOLDER"])
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["change_text"] = change_text
    app.jinja_env.filters["role_label"] = lambda role: labels.ROLE_LABELS.get(role, role)
    app.jinja_env.filters["unit_kind_label"] = lambda kind: labels.UNIT_KIND_LABELS.get(kind, kind)
    app.jinja_env.globals.update(
        page_url=page_url,
        id_url=id_url,
        status_badge=status_badge,
        task_flags=task_flags,
        task_deadline=task_deadline,
        field_attrs=field_attrs,
        get_locale=get_locale,
        reach=reach,
        labels=labels,
        STATUSES=STATUSES,
    )

    @app.context_processor
    def inject_user():
        return {"current_user": current_user}
