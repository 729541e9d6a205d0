"""The task list's rows written in Python, not Jinja (as tracker.dashboard.render does for the dashboard):
each row's six cells cost ~15 template calls and escapes, a third of a list page's time through HTTP.

`task_rows` writes what tasks/index.html's loop wrote, byte for byte (the same elements, attributes, text
and whitespace), with every label translated once per page.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

from tracker.i18n import current_translations
from tracker.templating import status_badge, task_deadline, task_flags


def _label(gettext: Callable[[str], str], message: str) -> Markup:
    """`_("…")` in a template: the translation, taken as markup (Jinja's new-style gettext)."""
    return Markup(gettext(message)) % {}


def task_rows(rows: Iterable, task_url: Callable[[int], str], directive_url: Callable[[int], str], as_of_arg: str,
              due_soon: set[int], days_overdue: dict[int, int]) -> Markup:
    """The <tr>s of the list's (task, status) rows, each with the newline and indentation the loop gave it."""
    gettext = current_translations().ugettext
    l_task, l_doc, l_lead, l_deadline, l_progress, l_status = (
        _label(gettext, m) for m in ("Task", "Document", "Lead unit", "Deadline", "Progress", "Status"))
    late = Markup(gettext("%(days)d days overdue"))
    as_of = escape(as_of_arg)
    out = []
    for task, status in rows:
        lead = [escape(task.lead_unit.display_name)]
        if task.assignee:
            lead.append(f'<br><span class="small muted">{escape(task.assignee.full_name)}</span>')
        if task.cooperating_units:
            names = ", ".join(escape(u.display_name) for u in task.cooperating_units)
            lead.append(f'<br><span class="small muted">+ {names}</span>')
        badge = status_badge(status, task.id in due_soon, draft=not task.directive.published)
        if task.id in days_overdue:
            badge += Markup('<br><span class="small days-overdue">{}</span>').format(
                late % {"days": days_overdue[task.id]})
        out.append(
            f'\n    <tr>\n'
            f'      <td data-label="{l_task}"><a href="{escape(task_url(task.id))}{as_of}">{escape(task.title)}</a>'
            f' {task_flags(task)}</td>\n'
            f'      <td data-label="{l_doc}"><a href="{escape(directive_url(task.directive_id))}">'
            f'{escape(task.directive.number)}</a></td>\n'
            f'      <td data-label="{l_lead}">{"".join(lead)}</td>\n'
            f'      <td data-label="{l_deadline}">{task_deadline(task)}</td>\n'
            f'      <td data-label="{l_progress}" class="num">{escape(task.progress)}%</td>\n'
            f'      <td data-label="{l_status}">{badge}</td>\n'
            f'    </tr>\n  ')
    return Markup("".join(out))
