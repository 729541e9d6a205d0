"""Jinja filters and globals: dates as dd/mm/yyyy, labels, paging links."""
from __future__ import annotations

from datetime import date

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from tracker import labels
from tracker.i18n import current_translations
from tracker.rules import reach
from tracker.rules.status import STATUSES
from tracker.timeutil import format_date, format_datetime
from tracker.urls import id_url


def change_text(change) -> str:
    """Show an audit change ([old, new] or a value) with dates as dd/mm/yyyy and states by name."""
    def one(value):
        if value is None or value == "":
            return "—"
        if isinstance(value, str) and value in labels.STATE_LABELS:
            return str(labels.STATE_LABELS[value])
        if isinstance(value, bool):
            return "✓" if value else "✗"
        if isinstance(value, list):
            return ", ".join(one(v) for v in value) or "—"
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                return value
        return str(value)

    if isinstance(change, list) and len(change) == 2:
        return f"{one(change[0])} → {one(change[1])}"
    return one(change)


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


def init_templating(app: Flask) -> None:
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
        field_attrs=field_attrs,
        get_locale=get_locale,
        reach=reach,
        labels=labels,
        STATUSES=STATUSES,
    )

    @app.context_processor
    def inject_user():
        return {"current_user": current_user}
