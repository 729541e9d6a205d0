"""The directive and task workflow: every change, its rules, its audit event.

Pages and the API call these functions, so both obey the same rules. They
check permissions and state, change rows, record audit events and in-app
notifications, and never commit: the caller owns the transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from tracker.database import db
from tracker.labels import STATE_LABELS
from tracker.lazytext import _l
from tracker.models import (
    DIRECTIVE_KINDS,
    PRIORITIES,
    Attachment,
    CompletionReport,
    CooperatingPart,
    DeadlineChange,
    Directive,
    ExtensionRequest,
    ProgressUpdate,
    Task,
    Unit,
    User,
)
from tracker.rules import reach
from tracker.rules import recurrence as recurrence_rules
from tracker.rules.recurrence import Recurrence
from tracker.rules.status import assignment_day
from tracker.services import audit, notices, recurrence
from tracker.services.errors import Conflict, Forbidden, Invalid
from tracker.text import fold
from tracker.timeutil import format_datetime, utcnow


@dataclass
class DirectiveData:
    number: str
    kind: str
    title: str
    issued_on: date
    issuing_unit: Unit
    signer: str = ""
    text: str = ""
    on_behalf_of: User | None = None
    tracker: User | None = None  # default: whoever records it


@dataclass
class PartData:
    """A cooperating unit's duty and own deadline (None: the task's)."""

    duty: str = ""
    deadline: date | None = None


@dataclass
class TaskData:
    title: str
    lead_unit: Unit
    description: str = ""
    cooperating_units: list[Unit] = field(default_factory=list)
    assignee: User | None = None
    deadline: date | None = None
    priority: str = "normal"
    tags: list[str] = field(default_factory=list)
    recurrence: Recurrence | None = None  # a periodic task (only when it is added): its deadline is ignored
    # Duty and deadline by cooperating unit id; a unit left out keeps what its part has (a new one: none).
    part_details: dict[int, PartData] = field(default_factory=dict)


@dataclass
class UpdateData:
    progress: int | None
    results: str = ""
    difficulties: str = ""
    proposals: str = ""
    report_number: str = ""
    part_done: bool = False  # a cooperating unit marks its part done


def _require(condition: bool, message=None) -> None:
    if not condition:
        raise Forbidden(message or _l("You do not have permission to do this."))


def notify(users, kind: str, task: Task | None, title: str | None = None, note: str = "") -> None:
    """Tell `users` of `kind` about `task` once the change is saved (tracker.services.notices)."""
    notices.tell(db.session, users, kind, task, title, note)


def unit_leaders(unit: Unit) -> list[User]:
    return list(db.session.scalars(select(User).where(User.unit_id == unit.id, User.role == "leader",
                                                      User.active.is_(True))))


def responsible_people(task: Task) -> list[User]:
    """The assignee, or the lead unit's leaders when nobody is assigned."""
    return [task.assignee] if task.assignee else unit_leaders(task.lead_unit)


def issuing_side(task: Task) -> list[User]:
    """Who is told of a task's completion report, extension request and difficulties awaiting a decision.

    For a directive's task: the leader it speaks for (`on_behalf_of`, or its
    recorder when a leader of the issuing unit) and the person tracking it
    (`tracker`, or its recorder). Other leaders of the issuing unit are not
    told; all of them are only when no such leader is named (or they left).
    For a sub-task: the leader who split it off, or else the unit's leaders.
    """
    if task.parent_id is not None:
        issuer = task.created_by
        named = issuer if issuer is not None and issuer.active and issuer.role == "leader" \
            and issuer.unit_id == task.issuing_unit_id else None
        return [named] if named else unit_leaders(task.issuing_unit)
    directive = task.directive
    recorder = directive.created_by
    leader = directive.on_behalf_of or (recorder if recorder is not None and recorder.role == "leader"
                                        and recorder.unit_id == directive.issuing_unit_id else None)
    leaders = [leader] if leader is not None and leader.active else unit_leaders(directive.issuing_unit)
    tracker = directive.tracker or recorder
    return leaders + ([tracker] if tracker is not None and tracker.active and tracker not in leaders else [])


def part_people(part: CooperatingPart) -> list[User]:
    """Who answers for a cooperating part: the person its unit put on it, or the unit's leaders."""
    return [part.assignee] if part.assignee and part.assignee.active else unit_leaders(part.unit)


def parties(tasks, *, lead: bool = True, parts=None) -> dict[int, tuple[User, list[notices.Item]]]:
    """Who new `tasks` concern and what each answers for in them: user id -> (user, items).

    A lead task concerns its assignee, or the lead unit's leaders when
    nobody is assigned (unless `lead` is False: only new parts are told); a
    cooperating part concerns the person its unit put on it, or the unit's
    leaders (every open part of the tasks, or only `parts`). This is the one
    place that gathers them: publishing a directive and adding tasks or
    parts later tell each person once, of all their items
    (tracker.services.notices.tell_items).
    """
    gathered: dict[int, tuple[User, list[notices.Item]]] = {}
    for task in tasks:
        if lead:
            for user in responsible_people(task):
                gathered.setdefault(user.id, (user, []))[1].append(notices.Item(task, "lead"))
        for part in (task.cooperating_parts if parts is None else parts):
            if part.done_on is not None or part.task is not task:
                continue
            for user in part_people(part):
                gathered.setdefault(user.id, (user, []))[1].append(
                    notices.Item(task, "cooperating", part.duty or "", part.deadline_in_force))
    return gathered


def tell_parties(directive: Directive, tasks, *, lead: bool = True, parts=None) -> None:
    """Tell each party of `tasks` (see `parties`) once, when the change is saved: one message per person,
    "assigned" when they lead any of it, "cooperating" when they only cooperate."""
    gathered = parties(tasks, lead=lead, parts=parts).values()
    leading = [(user, items) for user, items in gathered if any(i.part == "lead" for i in items)]
    cooperating = [(user, items) for user, items in gathered if all(i.part != "lead" for i in items)]
    notices.tell_items(db.session, directive, leading, kind="assigned")
    notices.tell_items(db.session, directive, cooperating, kind="cooperating")


# --- directives -----------------------------------------------------------------------------

def _validate_directive(data: DirectiveData, directive: Directive | None, recorder: User | None) -> None:
    errors = {}
    if not data.number.strip():
        errors["number"] = _l("Enter the document number.")
    if data.kind not in DIRECTIVE_KINDS:
        errors["kind"] = _l("Choose a kind of document.")
    if not data.title.strip():
        errors["title"] = _l("Enter the summary.")
    if data.on_behalf_of is not None and (data.on_behalf_of.unit_id != data.issuing_unit.id
                                          or data.on_behalf_of.role != "leader"):
        errors["on_behalf_of"] = _l("Choose a leader of the issuing unit.")
    if data.tracker is not None and data.tracker is not recorder and (
            data.tracker.unit_id != data.issuing_unit.id or not data.tracker.active
            or data.tracker.role not in ("leader", "secretary")):
        errors["tracker"] = _l("Choose a secretary or leader of the issuing unit.")
    if not errors:
        key = fold(data.number).replace(" ", "")
        taken = db.session.scalar(select(Directive.id).where(
            Directive.issuing_unit_id == data.issuing_unit.id, Directive.year == data.issued_on.year,
            Directive.number_key == key, Directive.id != (directive.id if directive else 0)))
        if taken:
            errors["number"] = _l("This unit already has a document with this number in %(year)d.",
                                  year=data.issued_on.year)
    if errors:
        raise Invalid(_l("Please correct the errors below."), errors)


def _apply_directive(directive: Directive, data: DirectiveData) -> None:
    directive.number = data.number.strip()
    directive.kind = data.kind
    directive.title = data.title.strip()
    directive.issued_on = data.issued_on
    directive.issuing_unit = data.issuing_unit
    directive.issuing_unit_id = data.issuing_unit.id
    directive.signer = data.signer.strip()
    directive.text = data.text
    directive.on_behalf_of = data.on_behalf_of
    if data.tracker is not None:
        directive.tracker = data.tracker
    directive.refresh_search()


def create_directive(actor: User, data: DirectiveData) -> Directive:
    """Record a directive (a draft until published)."""
    _require(reach.can_issue_for(actor, data.issuing_unit),
             _l("You can only record documents of your own unit."))
    _validate_directive(data, None, actor)
    directive = Directive(created_by=actor, tracker=actor)
    _apply_directive(directive, data)
    db.session.add(directive)
    db.session.flush()
    audit.record("directive.create", actor=actor, obj=directive, summary=f"{directive.number}: {directive.title}")
    return directive


def update_directive(actor: User, directive: Directive, data: DirectiveData) -> None:
    _require(reach.can_edit_directive(actor, directive))
    if data.issuing_unit.id != directive.issuing_unit_id:
        _require(reach.can_issue_for(actor, data.issuing_unit))
        if directive.tasks:
            raise Invalid(_l("Please correct the errors below."),
                          {"issuing_unit": _l("The issuing unit cannot change once tasks exist.")})
    _validate_directive(data, directive, directive.created_by)
    changes = audit.diff(directive, {"number": data.number.strip(), "kind": data.kind, "title": data.title.strip(),
                                     "issued_on": data.issued_on, "signer": data.signer.strip()})
    if data.text != directive.text:
        changes["text"] = ["…", "…"]
    for name in ("on_behalf_of", "tracker"):
        old, new = getattr(directive, name), getattr(data, name)
        if new is not None and new is not old or (name == "on_behalf_of" and new is None and old is not None):
            changes[name] = [old.username if old else None, new.username if new else None]
    _apply_directive(directive, data)
    for task in directive.tasks:
        task.assigned_on = assignment_day(data.issued_on, _added_after_publication(task, directive), task.created_on)
        if task.deadline is not None and task.deadline < data.issued_on and not task.is_closed:
            raise Invalid(_l("Please correct the errors below."),
                          {"issued_on": _l("Task %(title)s has a deadline before this date.", title=task.title[:60])})
    audit.record("directive.update", actor=actor, obj=directive, summary=directive.number, changes=changes)


def _added_after_publication(task: Task, directive: Directive) -> bool:
    return directive.published_at is not None and (task.created_at or utcnow()) > directive.published_at


def delete_directive(actor: User, directive: Directive) -> list[str]:
    """Delete a draft document with its tasks and files (one audit event lists them); whoever may edit it.

    A published document keeps its history. Returns the stored names of the files, for the caller to
    remove from the disk once the deletion is committed.
    """
    _require(reach.can_edit_directive(actor, directive))
    if directive.published:
        raise Conflict(_l("A published document keeps its history: it cannot be deleted."))
    attachments = list(db.session.scalars(select(Attachment).where(Attachment.directive_id == directive.id)))
    tasks = _deepest_first(directive.tasks)
    audit.record("directive.delete", actor=actor, obj=directive, summary=directive.number,
                 changes={"tasks": [t.title[:200] for t in tasks],
                          "files": [a.original_name for a in attachments]})
    stored = [a.stored_name for a in attachments]
    for attachment in attachments:
        db.session.delete(attachment)
    for task in tasks:
        task.cooperating_parts = []
        db.session.delete(task)
        db.session.flush()
    db.session.delete(directive)
    return stored


def _deepest_first(tasks: list[Task]) -> list[Task]:
    """Sub-tasks before their task (a task's row is referenced by its sub-tasks')."""
    def depth(task: Task) -> int:
        n = 0
        while task.parent is not None:
            task, n = task.parent, n + 1
        return n
    return sorted(tasks, key=lambda t: -depth(t))


def publish_directive(actor: User, directive: Directive, today: date) -> None:
    """Publish: its tasks become visible to their units and reminders start."""
    _require(reach.can_edit_directive(actor, directive))
    if directive.published:
        raise Conflict(_l("This document is already published."))
    active = [t for t in directive.tasks if t.state != "cancelled"]
    if not active:
        raise Conflict(_l("Add at least one task before publishing."))
    directive.published_at = utcnow()
    for task in directive.tasks:  # every task recorded so far was given on the document's date
        task.assigned_on = assignment_day(directive.issued_on, False, task.created_on)
    tell_parties(directive, active)
    audit.record("directive.publish", actor=actor, obj=directive, summary=directive.number)


# --- tasks: creating and editing ------------------------------------------------------------

def _validate_task(data: TaskData, issuing_unit: Unit, not_before: date | None, parent: Task | None) -> None:
    errors = {}
    if not data.title.strip():
        errors["title"] = _l("Enter what must be done.")
    if not data.lead_unit.path.startswith(issuing_unit.path):
        errors["lead_unit"] = _l("The lead unit must be within %(unit)s.", unit=issuing_unit.name)
    elif not data.lead_unit.active:
        errors["lead_unit"] = _l("This unit is inactive.")
    bad = [u.name for u in data.cooperating_units if not u.path.startswith(issuing_unit.path)]
    if bad:
        errors["cooperating_units"] = _l("Outside %(unit)s: %(names)s", unit=issuing_unit.name, names=", ".join(bad))
    elif any(u.id == data.lead_unit.id for u in data.cooperating_units):
        errors["cooperating_units"] = _l("The lead unit cannot also be a cooperating unit.")
    else:
        message = _part_deadline_error(data, not_before)
        if message:
            errors["cooperating_units"] = message
    if data.assignee is not None:
        if not data.assignee.active:
            errors["assignee"] = _l("This user is inactive.")
        elif not data.assignee.unit.path.startswith(data.lead_unit.path):
            errors["assignee"] = _l("The assignee must belong to the lead unit.")
    if parent is not None and data.lead_unit.id == issuing_unit.id and data.assignee is None:
        errors["assignee"] = _l("A sub-task kept in the unit must be assigned to a person.")
    if data.deadline is not None and not_before is not None and data.deadline < not_before:
        errors["deadline"] = _l("The deadline cannot be before the document's date (%(date)s).",
                                date=not_before.strftime("%d/%m/%Y"))
    if parent is not None and data.deadline is not None and parent.deadline is not None \
            and data.deadline > parent.deadline:
        errors["deadline"] = _l("A sub-task cannot be due after its task (%(date)s).",
                                date=parent.deadline.strftime("%d/%m/%Y"))
    if data.priority not in PRIORITIES:
        errors["priority"] = _l("Choose a priority.")
    tags = [t.strip() for t in data.tags if t.strip()]
    if len(tags) > 10 or any(len(t) > 40 for t in tags):
        errors["tags"] = _l("At most 10 field tags of at most 40 characters each.")
    if errors:
        raise Invalid(_l("Please correct the errors below."), errors)


def _validate_recurrence(data: TaskData, starts_on: date, parent: Task | None) -> None:
    rec = data.recurrence
    if rec is None:
        return
    problems = recurrence_rules.validate(rec.every, rec.day, rec.until, starts_on)
    messages = {
        "every": _l("Choose how often: monthly, quarterly, half-yearly or yearly."),
        "day": _l("The day is a number from 1 to 31."),
        "until": _l("The end date must be on or after the first deadline (%(date)s).",
                    date=recurrence_rules.first_deadline(rec, starts_on).strftime("%d/%m/%Y")
                    if "until" in problems else ""),
    }
    errors = {f"recurrence_{name}": messages[name] for name in problems}
    if parent is not None:
        errors["recurrence_every"] = _l("A sub-task cannot recur; make its task periodic.")
    if errors:
        raise Invalid(_l("Please correct the errors below."), errors)


def _part_deadline_error(data: TaskData, not_before: date | None):
    """Why a cooperating part's own deadline is refused (after the task's, or before the document), or None."""
    names = {u.id: u.name for u in data.cooperating_units}
    for unit_id, details in data.part_details.items():
        if unit_id not in names or details.deadline is None:
            continue
        if data.deadline is not None and details.deadline > data.deadline:
            return _l("The deadline of %(unit)s (%(date)s) cannot be after the task's (%(task_date)s).",
                      unit=names[unit_id], date=details.deadline.strftime("%d/%m/%Y"),
                      task_date=data.deadline.strftime("%d/%m/%Y"))
        if not_before is not None and details.deadline < not_before:
            return _l("The deadline of %(unit)s cannot be before the document's date (%(date)s).",
                      unit=names[unit_id], date=not_before.strftime("%d/%m/%Y"))
    return None


def _set_parts(task: Task, data: TaskData, today: date) -> tuple[list[CooperatingPart], dict]:
    """Make the task's cooperating parts those of `data`; return the new parts and what changed.

    An own deadline equal to the task's is stored as none, so that the part
    follows the task's deadline when it is extended.
    """
    kept = {p.unit_id: p for p in task.cooperating_parts}
    wanted = {u.id: u for u in data.cooperating_units}
    added, changes = [], {}
    for unit_id, unit in wanted.items():
        part = kept.get(unit_id)
        if part is None:
            added_on = today if task.id and task.directive.published else None  # before: from the task's day
            part = CooperatingPart(unit=unit, unit_id=unit_id, added_on=added_on)
            task.cooperating_parts.append(part)
            added.append(part)
        details = data.part_details.get(unit_id)
        if details is None:
            continue
        duty = (details.duty or "").strip()
        deadline = None if details.deadline == data.deadline else details.deadline
        if part not in added and (duty != part.duty or deadline != part.deadline):
            changes[unit.code] = [{"duty": part.duty, "deadline": part.deadline},
                                  {"duty": duty, "deadline": deadline}]
        part.duty, part.deadline = duty, deadline
    for unit_id, part in kept.items():
        if unit_id not in wanted:
            task.cooperating_parts.remove(part)
    return added, changes


def _set_fields(task: Task, data: TaskData) -> None:
    task.title = data.title.strip()
    task.description = (data.description or "").strip()
    task.lead_unit = data.lead_unit
    task.lead_unit_id = data.lead_unit.id
    task.assignee = data.assignee
    task.assignee_id = data.assignee.id if data.assignee else None
    task.priority = data.priority
    task.tags = [t.strip() for t in data.tags if t.strip()]
    task.refresh_search()


def add_task(actor: User, directive: Directive, data: TaskData, today: date, parent: Task | None = None) -> Task:
    """Add a task to a directive, or a sub-task under `parent` (its lead unit becomes the issuer)."""
    if parent is None:
        _require(reach.can_edit_directive(actor, directive))
        issuing_unit = directive.issuing_unit
    else:
        _require(reach.can_split(actor, parent), _l("Only the lead unit's leaders can split this task."))
        if parent.is_closed:
            raise Conflict(_l("This task is closed."))
        issuing_unit = parent.lead_unit
    _validate_task(data, issuing_unit, directive.issued_on, parent)
    assigned_on = assignment_day(directive.issued_on, directive.published, today)
    _validate_recurrence(data, assigned_on, parent)
    rec = data.recurrence
    if rec is not None:
        data.deadline = None  # a periodic task is ongoing; each period has its deadline
    siblings = Task.parent_id == parent.id if parent else Task.parent_id.is_(None)
    position = db.session.scalar(select(func.coalesce(func.max(Task.position), 0)).where(
        Task.directive_id == directive.id, siblings)) or 0
    task = Task(directive=directive, parent=parent, issuing_unit_id=issuing_unit.id, issuing_unit=issuing_unit,
                position=position + 1, created_on=today,
                assigned_on=assigned_on, created_by=actor, updated_by=actor, deadline=data.deadline, original_deadline=data.deadline,
                state="open", progress=0)
    if rec is not None:
        task.recur_every, task.recur_day, task.recur_until = rec.every, rec.day, rec.until
    _set_fields(task, data)
    parts, _changes = _set_parts(task, data, today)
    db.session.add(task)
    db.session.flush()
    if rec is not None:
        recurrence.materialise(task, recurrence.horizon(today))
    changes = {"lead_unit": task.lead_unit.code, "deadline": task.deadline,
               "assignee": task.assignee.username if task.assignee else None}
    if rec is not None:
        changes["recurrence"] = {"every": rec.every, "day": rec.day, "until": rec.until}
    audit.record("task.create", actor=actor, obj=task, summary=task.title[:200], changes=changes)
    if directive.published:
        tell_parties(directive, [task])
    return task


def check_version(task: Task, expected_version: int | None) -> None:
    """Refuse to save over a newer version: somebody changed the task since it was loaded."""
    if expected_version is not None and expected_version != task.version:
        who = task.updated_by.full_name if task.updated_by else "?"
        raise Conflict(_l("This task was changed by %(who)s at %(when)s. Reload the page to see the change, "
                          "then make yours again.", who=who, when=format_datetime(task.updated_at)))


def update_task(actor: User, task: Task, data: TaskData, today: date, expected_version: int | None,
                reason: str = "") -> None:
    """Edit a task (the issuing side). A changed deadline is kept in the deadline history."""
    _require(reach.is_issuer(actor, task))
    check_version(task, expected_version)
    if task.is_closed:
        raise Conflict(_l("This task is closed."))
    _validate_task(data, task.issuing_unit, task.directive.issued_on, task.parent)
    changes = audit.diff(task, {"title": data.title.strip(), "description": (data.description or "").strip(),
                                "priority": data.priority, "deadline": data.deadline})
    if data.lead_unit.id != task.lead_unit_id:
        changes["lead_unit"] = [task.lead_unit.code, data.lead_unit.code]
    old_coop = sorted(u.code for u in task.cooperating_units)
    new_coop = sorted(u.code for u in data.cooperating_units)
    if old_coop != new_coop:
        changes["cooperating_units"] = [old_coop, new_coop]
    old_assignee = task.assignee
    if (old_assignee.id if old_assignee else None) != (data.assignee.id if data.assignee else None):
        changes["assignee"] = [old_assignee.username if old_assignee else None,
                               data.assignee.username if data.assignee else None]
    old_deadline = task.deadline
    _set_fields(task, data)
    added, part_changes = _set_parts(task, data, today)
    if part_changes:
        changes["cooperating_parts"] = part_changes
    if data.deadline != old_deadline:
        _change_deadline(actor, task, data.deadline, today, reason or str(_l("Edited by the issuer")))
    if not task.directive.published:
        task.original_deadline = task.deadline
    _touch(task, actor)
    audit.record("task.update", actor=actor, obj=task, summary=task.title[:200], changes=changes)
    lead_changed = "assignee" in changes or "lead_unit" in changes
    if task.directive.published and (lead_changed or added):
        # the new parties: the assignee or the new lead unit's leaders, and the units added to cooperate
        tell_parties(task.directive, [task], lead=lead_changed, parts=added)


def _change_deadline(actor: User, task: Task, new_deadline: date | None, today: date, reason: str,
                     extension: ExtensionRequest | None = None) -> None:
    if task.directive.published:
        db.session.add(DeadlineChange(task=task, effective_on=today, old_deadline=task.deadline,
                                      new_deadline=new_deadline, reason=reason, extension_id=extension.id
                                      if extension else None, changed_by_id=actor.id))
    task.deadline = new_deadline


def _touch(task: Task, actor: User) -> None:
    task.updated_by = actor
    task.updated_by_id = actor.id
    task.updated_at = utcnow()


def move_task(actor: User, task: Task, direction: int) -> None:
    """Move a task one place up (-1) or down (+1) among its siblings."""
    _require(reach.is_issuer(actor, task))
    siblings = [t for t in task.directive.tasks if t.parent_id == task.parent_id]
    siblings.sort(key=lambda t: (t.position, t.id))
    index = siblings.index(task)
    other = index + direction
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for number, sibling in enumerate(siblings, start=1):
            sibling.position = number
        audit.record("task.move", actor=actor, obj=task, summary=task.title[:200])


def remove_task(actor: User, task: Task) -> None:
    """Delete a task of an unpublished directive; published tasks are cancelled, never erased."""
    _require(reach.is_issuer(actor, task))
    if task.directive.published or task.subtasks or task.updates:
        raise Conflict(_l("A published task keeps its history: cancel it instead of deleting it."))
    audit.record("task.delete", actor=actor, obj=task, summary=task.title[:200])
    db.session.delete(task)


def assign(actor: User, task: Task, assignee: User | None, expected_version: int | None = None,
           note: str = "") -> None:
    """Give the task to a person of the lead unit (or to nobody: the unit's leaders answer for it).

    `note` is the instruction that goes with it (ý kiến giao việc): kept in
    the history and told to the assignee.
    """
    _require(reach.can_assign(actor, task))
    check_version(task, expected_version)
    if task.is_closed:
        raise Conflict(_l("This task is closed."))
    if assignee is not None and (not assignee.active or not assignee.unit.path.startswith(task.lead_unit.path)):
        raise Invalid(_l("Please correct the errors below."),
                      {"assignee": _l("The assignee must be an active member of the lead unit.")})
    note = (note or "").strip()
    if len(note) > 5000:
        raise Invalid(_l("Please correct the errors below."), {"note": _l("At most 5000 characters.")})
    old = task.assignee
    task.assignee = assignee
    task.assignee_id = assignee.id if assignee else None
    _touch(task, actor)
    changes = {"assignee": [old.username if old else None, assignee.username if assignee else None]}
    if note:
        changes["instruction"] = note
    audit.record("task.assign", actor=actor, obj=task, summary=task.title[:200], changes=changes)
    if assignee is not None and task.directive.published:
        notify([assignee], "assigned", task, title=f"{task.title} — {note}" if note else None, note=note)


def assign_part(actor: User, task: Task, part: CooperatingPart, assignee: User | None) -> None:
    """A cooperating unit puts one of its people on its part (or nobody: its leaders answer for it)."""
    _require(task.directive.published and reach.can_assign_part(actor, part),
             _l("Only the cooperating unit's leaders and secretaries assign its part."))
    if task.is_closed:
        raise Conflict(_l("This task is closed."))
    if assignee is not None and (not assignee.active or not assignee.unit.path.startswith(part.unit.path)):
        raise Invalid(_l("Please correct the errors below."),
                      {"assignee": _l("Choose an active member of %(unit)s.", unit=part.unit.name)})
    old = part.assignee
    part.assignee = assignee
    part.assignee_id = assignee.id if assignee else None
    _touch(task, actor)
    audit.record("task.assign_part", actor=actor, obj=task, summary=task.title[:200],
                 changes={"cooperating_parts": {part.unit.code: [old.username if old else None,
                                                                 assignee.username if assignee else None]}})
    if assignee is not None:
        notify([assignee], "cooperating", task)


# --- progress -------------------------------------------------------------------------------

def post_update(actor: User, task: Task, data: UpdateData, today: date) -> ProgressUpdate:
    """Record a progress report; the lead side's percent becomes the task's, contributions do not."""
    lead = reach.can_report(actor, task)
    contribution = not lead and reach.can_contribute(actor, task)
    _require(lead or contribution, _l("Only the lead unit, the assignee or a cooperating unit can report progress."))
    if task.is_closed:
        raise Conflict(_l("This task is closed."))
    errors = {}
    if data.progress is not None and not 0 <= data.progress <= 100:
        errors["progress"] = _l("Progress is a percentage from 0 to 100.")
    if lead and data.progress is None:
        errors["progress"] = _l("Enter the progress in percent.")
    if data.part_done and not contribution:
        errors["part_done"] = _l("Only a cooperating unit marks its part done.")
    if not (data.results.strip() or data.difficulties.strip() or data.proposals.strip()):
        errors["results"] = _l("Describe the results, difficulties or proposals.")
    if errors:
        raise Invalid(_l("Please correct the errors below."), errors)
    update = ProgressUpdate(task=task, author_id=actor.id, unit_id=actor.unit_id, contribution=contribution,
                            reported_on=today, progress=data.progress,
                            results=data.results.strip(), difficulties=data.difficulties.strip(),
                            proposals=data.proposals.strip(), report_number=data.report_number.strip())
    if task.recurring and task.current_occurrence is not None:
        update.occurrence_id = task.current_occurrence.id  # a periodic task's report is on its current period
    db.session.add(update)
    if lead:
        task.progress = data.progress
        task.needs_attention = update.raises_issue
        _touch(task, actor)
        _roll_up(task.parent)
    else:
        part = reach.cooperating_part(actor, task)
        if data.progress is not None:
            part.progress = data.progress
        if data.part_done and part.done_on is None:
            part.done_on = today
        if update.raises_issue:
            task.needs_attention = True
        _touch(task, actor)
    db.session.flush()
    audit.record("task.progress", actor=actor, obj=task, summary=task.title[:200],
                 changes={"progress": data.progress, "contribution": contribution,
                          "part_done": True if data.part_done else None})
    if update.raises_issue and task.directive.published:
        notify(issuing_side(task), "difficulty", task)
    return update


def report_part(actor: User, task: Task, data: UpdateData, today: date) -> ProgressUpdate:
    """A cooperating unit reports on its part (and may mark it done): only that unit's people."""
    _require(reach.can_contribute(actor, task), _l("Only the cooperating units of this task report on a part."))
    if not data.results.strip():
        raise Invalid(_l("Please correct the errors below."),
                      {"results": _l("Say what your unit did on its part.")})
    return post_update(actor, task, data, today)


def _roll_up(parent: Task | None) -> None:
    """A task split into sub-tasks shows their average progress (done ones count as 100)."""
    while parent is not None:
        children = [c for c in parent.subtasks if c.state != "cancelled"]
        if not children:
            return
        parent.progress = round(sum(100 if c.state == "done" else c.progress for c in children) / len(children))
        parent = parent.parent


def awaits_decision(task: Task) -> bool:
    """True while a report raising a difficulty or a proposal is unanswered.

    The lead side's latest report stands for the task: the ones before it
    no longer count. Contributions made since then count until answered.
    """
    for update in task.updates:  # newest first
        if update.raises_issue and not update.response:
            return True
        if not update.contribution:
            return False
    return False


def respond_to_update(actor: User, update: ProgressUpdate, response: str) -> None:
    """The issuer answers the difficulties or proposals of a report."""
    task = update.task
    _require(reach.is_issuer(actor, task) or (actor.role == "leader" and reach.in_reach(actor, task.lead_unit)))
    if not response.strip():
        raise Invalid(_l("Please correct the errors below."), {"response": _l("Write the answer.")})
    update.response = response.strip()
    update.responded_by_id = actor.id
    update.responded_at = utcnow()
    task.needs_attention = awaits_decision(task)
    _touch(task, actor)
    audit.record("task.respond", actor=actor, obj=task, summary=task.title[:200])
    if update.author_id:
        notify([update.author], "response", task)


# --- completion -----------------------------------------------------------------------------

def submit_completion(actor: User, task: Task, note: str, today: date, report_number: str = "",
                      report_date: date | None = None) -> CompletionReport:
    """The lead unit reports the task done: the results achieved (required), the report's number and date."""
    _require(reach.can_report(actor, task), _l("Only the lead unit can report completion."))
    if task.state != "open":
        raise Conflict(_l("Only an open task can be reported complete (this one is: %(state)s).",
                          state=state_label(task.state)))
    errors = {}
    if not note.strip():
        errors["note"] = _l("Describe the results achieved: the issuer decides on them.")
    if report_date is not None and report_date > today:
        errors["report_date"] = _l("The report's date cannot be in the future.")
    if len(report_number.strip()) > 80:
        errors["report_number"] = _l("At most 80 characters.")
    if errors:
        raise Invalid(_l("Please correct the errors below."), errors)
    report = CompletionReport(task=task, submitted_by_id=actor.id, submitted_on=today, note=note.strip(),
                              report_number=report_number.strip(), report_date=report_date)
    db.session.add(report)
    task.state = "submitted"
    _touch(task, actor)
    db.session.flush()
    audit.record("task.submit", actor=actor, obj=task, summary=task.title[:200], changes={"state": ["open", "submitted"]})
    notify(issuing_side(task), "submitted", task)
    return report


def confirm_completion(actor: User, task: Task, note: str, today: date, secretaries_decide: bool = False) -> None:
    _require(reach.can_decide(actor, task, secretaries_decide), _l("Only the issuer can confirm completion."))
    report = task.pending_report
    if task.state != "submitted" or report is None:
        raise Conflict(_l("Only a task whose completion was reported can be confirmed."))
    report.state = "confirmed"
    report.decided_by_id = actor.id
    report.decided_at = utcnow()
    report.decision_note = note.strip()
    task.state = "done"
    task.completed_on = report.submitted_on
    task.done_on = today
    task.progress = 100
    task.needs_attention = False
    _touch(task, actor)
    _roll_up(task.parent)
    audit.record("task.confirm", actor=actor, obj=task, summary=task.title[:200],
                 changes={"state": ["submitted", "done"], "completed_on": task.completed_on})
    notify(responsible_people(task), "confirmed", task)


def return_completion(actor: User, task: Task, reason: str, today: date, secretaries_decide: bool = False) -> None:
    _require(reach.can_decide(actor, task, secretaries_decide), _l("Only the issuer can return a report."))
    report = task.pending_report
    if task.state != "submitted" or report is None:
        raise Conflict(_l("Only a task whose completion was reported can be returned."))
    if not reason.strip():
        raise Invalid(_l("Please correct the errors below."), {"reason": _l("Say why the report is returned.")})
    report.state = "returned"
    report.decided_by_id = actor.id
    report.decided_at = utcnow()
    report.decision_note = reason.strip()
    task.state = "open"
    _touch(task, actor)
    audit.record("task.return", actor=actor, obj=task, summary=task.title[:200],
                 changes={"state": ["submitted", "open"], "reason": reason.strip()})
    people = responsible_people(task)
    if report.submitted_by_id:
        people.append(db.session.get(User, report.submitted_by_id))
    notify(people, "returned", task)


def cancel_task(actor: User, task: Task, reason: str, today: date, secretaries_decide: bool = False) -> None:
    """The issuer cancels a task (and its open sub-tasks); it leaves every rate."""
    _require(reach.can_decide(actor, task, secretaries_decide), _l("Only the issuer can cancel a task."))
    if task.state == "cancelled":
        raise Conflict(_l("This task is already cancelled."))
    if task.state == "done":
        raise Conflict(_l("A task whose completion was confirmed cannot be cancelled."))
    if not reason.strip():
        raise Invalid(_l("Please correct the errors below."), {"reason": _l("Say why the task is cancelled.")})
    _cancel(actor, task, reason.strip(), today)
    _roll_up(task.parent)


def _cancel(actor: User, task: Task, reason: str, today: date) -> None:
    old_state = task.state
    task.state = "cancelled"
    task.cancelled_on = today
    for occ in task.occurrences if task.recurring else ():
        if occ.state == "open":
            occ.state, occ.cancelled_on = "cancelled", today
    for ext in task.extensions:
        if ext.state == "pending":
            ext.state = "rejected"
            ext.decision_note = reason
            ext.decided_by_id = actor.id
            ext.decided_at = utcnow()
    _touch(task, actor)
    audit.record("task.cancel", actor=actor, obj=task, summary=task.title[:200],
                 changes={"state": [old_state, "cancelled"], "reason": reason})
    for sub in task.subtasks:
        if sub.state not in ("cancelled", "done"):
            _cancel(actor, sub, reason, today)


# --- extensions -----------------------------------------------------------------------------

def request_extension(actor: User, task: Task, new_deadline: date | None, reason: str,
                      today: date) -> ExtensionRequest:
    _require(reach.can_report(actor, task), _l("Only the lead unit can ask for an extension."))
    if task.is_closed:
        raise Conflict(_l("A closed task cannot be extended."))
    occurrence = task.current_occurrence if task.recurring else None
    current = occurrence.deadline if occurrence is not None else task.deadline
    if current is None:
        raise Conflict(_l("An ongoing task has no deadline to extend."))
    if task.pending_extension is not None:
        raise Conflict(_l("An extension request is already waiting for a decision."))
    errors = {}
    if new_deadline is None:
        errors["deadline"] = _l("Enter the new deadline.")
    elif (problem := _new_deadline_problem(task, new_deadline, current)) is not None:
        errors["deadline"] = problem
    if not reason.strip():
        errors["reason"] = _l("Give the reason for the extension.")
    if errors:
        raise Invalid(_l("Please correct the errors below."), errors)
    # A periodic task's extension moves one period's deadline (its current one).
    ext = ExtensionRequest(task=task, requested_by_id=actor.id, old_deadline=current, new_deadline=new_deadline,
                           reason=reason.strip(), occurrence=occurrence)
    db.session.add(ext)
    _touch(task, actor)
    db.session.flush()
    audit.record("task.extension_request", actor=actor, obj=task, summary=task.title[:200],
                 changes={"deadline": [current, new_deadline], "reason": reason.strip(),
                          **({"period": occurrence.period} if occurrence is not None else {})})
    notify(issuing_side(task), "extension_requested", task)
    return ext


def _new_deadline_problem(task: Task, new_deadline: date, current: date | None):
    """Why `new_deadline` cannot replace `current` (None when it can): it must be later, and a sub-task's
    no later than its task's."""
    if current is not None and new_deadline <= current:
        return _l("The new deadline must be after the current one (%(date)s).", date=current.strftime("%d/%m/%Y"))
    if task.parent is not None and task.parent.deadline is not None and new_deadline > task.parent.deadline:
        return _l("A sub-task cannot be due after its task (%(date)s).", date=task.parent.deadline.strftime("%d/%m/%Y"))
    return None


def decide_extension(actor: User, ext: ExtensionRequest, approve: bool, note: str, today: date,
                     secretaries_decide: bool = False, deadline: date | None = None) -> None:
    """Approve (the date asked for, or `deadline`, with a note saying why) or reject an extension request."""
    task = ext.task
    _require(reach.can_decide(actor, task, secretaries_decide), _l("Only the issuer can decide an extension."))
    if ext.state != "pending":
        raise Conflict(_l("This request has already been decided."))
    if approve and task.is_closed:
        raise Conflict(_l("A closed task cannot be extended."))
    granted = deadline or ext.new_deadline
    if approve and granted != ext.new_deadline:
        errors = {}
        current = ext.occurrence.deadline if ext.occurrence is not None else task.deadline
        if (problem := _new_deadline_problem(task, granted, current)) is not None:
            errors["deadline"] = problem
        if not note.strip():
            errors["note"] = _l("Say why another date than the one asked for is approved.")
        if errors:
            raise Invalid(_l("Please correct the errors below."), errors)
    ext.state = "approved" if approve else "rejected"
    ext.decided_by_id = actor.id
    ext.decided_at = utcnow()
    ext.decision_note = note.strip()
    if approve:
        ext.approved_deadline = granted
    if approve and ext.occurrence is not None:  # a periodic task's extension moves that period's deadline only
        ext.occurrence.deadline = granted
        ext.occurrence.extended_on = today
    elif approve:
        _change_deadline(actor, task, granted, today, ext.reason, extension=ext)
    _touch(task, actor)
    changes = {"deadline": [ext.old_deadline, granted if approve else ext.new_deadline], "note": note.strip()}
    if approve and granted != ext.new_deadline:
        changes["asked"] = ext.new_deadline
    audit.record("task.extension_" + ext.state, actor=actor, obj=task, summary=task.title[:200], changes=changes)
    people = responsible_people(task)
    if ext.requested_by_id:
        people.append(db.session.get(User, ext.requested_by_id))
    notify(people, "extension_approved" if approve else "extension_rejected", task)


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))
