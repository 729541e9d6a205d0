"""The unit tree: adding units, what stops a unit from being deactivated or deleted, and units changing.

A change (rename, merge, split, dissolve) takes effect on a date by a
decision. Ending a unit hands its open tasks (lead), cooperating parts,
users, aliases and sub-units to its successor, each with an audit entry, and
tells the successor's leaders; closed tasks stay with the unit that did them,
and the former unit moves under its successor (greyed in the tree), so the
successor's people still see that history.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from tracker.database import db
from tracker.lazytext import _l
from tracker.models import (
    OPEN_STATES,
    CooperatingPart,
    Directive,
    ProgressUpdate,
    Task,
    TaskTransfer,
    Unit,
    UnitChange,
    UnitChangeMember,
    User,
    task_cooperation,
)
from tracker.rules.units import FormerUnit, kind_allowed, successor_chain
from tracker.services import audit, notices
from tracker.services.errors import Invalid
from tracker.services.workflow import unit_leaders
from tracker.text import fold

# A unit's code: what requests and the command line name it by.
CODE_RE = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"


def district_refused(kind: str, started_on: date | None, today: date) -> str | None:
    """The reason a unit of `kind` starting on `started_on` may not be created, or None."""
    if not kind_allowed(kind, started_on, today):
        return str(_l("Districts were abolished on 1 July 2025: create a commune or ward instead."))
    return None


def add_unit(code: str, name: str, *, short_name: str = "", kind: str = "department",
             parent: Unit | None = None, aliases: list[str] | None = None, email: str = "",
             started_on: date | None = None) -> Unit:
    """Create a unit under `parent` with its path and search columns (no commit)."""
    unit = Unit(code=code, name=name, short_name=short_name, kind=kind, aliases=aliases or [], email=email,
                started_on=started_on)
    unit.refresh_search()
    db.session.add(unit)
    db.session.flush()
    unit.set_parent(parent)
    return unit


def unit_blockers(unit: Unit, for_delete: bool) -> list[str]:
    """Say what stops `unit` from being deactivated (or, with `for_delete`, deleted).

    Active users and open tasks block deactivation; any user, sub-unit or
    piece of history blocks deletion, because history is never erased.
    """
    if unit.id is None:
        return []
    blockers = []
    user_filter = [User.unit_id == unit.id]
    if not for_delete:
        user_filter.append(User.active.is_(True))
    users = db.session.scalar(select(func.count()).select_from(User).where(*user_filter))
    if users:
        blockers.append(_l("%(n)d active users", n=users) if not for_delete else _l("%(n)d users", n=users))
    open_tasks = db.session.scalar(select(func.count()).select_from(Task).where(
        Task.lead_unit_id == unit.id, Task.state.in_(("open", "submitted"))))
    if open_tasks:
        blockers.append(_l("%(n)d open tasks", n=open_tasks))
    if for_delete:
        children = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == unit.id))
        if children:
            blockers.append(_l("%(n)d sub-units", n=children))
        history = sum(db.session.scalar(select(func.count()).select_from(table).where(condition)) or 0
                      for table, condition in (
                          (Task, (Task.lead_unit_id == unit.id) | (Task.issuing_unit_id == unit.id)),
                          (Directive, Directive.issuing_unit_id == unit.id),
                          (task_cooperation, task_cooperation.c.unit_id == unit.id),
                          (ProgressUpdate, ProgressUpdate.unit_id == unit.id)))
        if history and not open_tasks:
            blockers.append(_l("tasks or documents in its history"))
    return blockers


# --- units change: rename, merge, split, dissolve -------------------------------------------------


@dataclass
class ChangeResult:
    """What a change did, for the command line's line and the page's flash."""

    change: UnitChange
    tasks: int = 0  # open tasks whose lead unit passed on
    parts: int = 0  # cooperating memberships that passed on
    users: int = 0
    sub_units: int = 0


def _check_day(errors: dict, on: date | None, today: date, units: list[Unit]) -> None:
    if on is None:
        errors["on"] = _l("Enter the date the change takes effect.")
    elif on > today:
        errors["on"] = _l("The change must have taken effect: enter it on or after its date.")
    elif any(u.started_on and on <= u.started_on for u in units):
        errors["on"] = _l("The change must come after the unit started.")


def _check_living(errors: dict, field: str, units: list[Unit]) -> None:
    ended = [u.code for u in units if u.ended_on is not None]
    if ended:
        errors[field] = _l("%(codes)s no longer exists.", codes=", ".join(ended))


def _check_successors(errors: dict, ended: list[Unit], successors: list[Unit], on: date | None) -> None:
    _check_living(errors, "into", successors)
    for successor in successors:
        for unit in ended:
            if successor.id == unit.id or successor.is_within(unit):
                errors["into"] = _l("A successor cannot be %(code)s or one of its sub-units.", code=unit.code)
        if on is not None and successor.started_on and successor.started_on > on:
            errors["into"] = _l("%(code)s did not exist yet on that date.", code=successor.code)


def _new_change(kind: str, on: date, decision: str, ended: list[Unit], successors: list[Unit]) -> UnitChange:
    change = UnitChange(kind=kind, effective_on=on, decision=decision.strip()[:120])
    change.members = ([UnitChangeMember(unit=u, role="from") for u in ended]
                      + [UnitChangeMember(unit=u, role="to") for u in successors])
    db.session.add(change)
    db.session.flush()
    return change


def _add_aliases(unit: Unit, names: list[str]) -> None:
    """Let the texts that name a former unit find `unit` (the conclusion assistant, search)."""
    current = list(unit.aliases or [])
    taken = {fold(n) for n in (unit.name, unit.short_name, *current) if n}
    for name in names:
        if name and fold(name) not in taken:
            current.append(name)
            taken.add(fold(name))
    unit.aliases = current
    unit.refresh_search()


def _move_lead(actor, change: UnitChange, task: Task, target: Unit, ip: str | None) -> None:
    old = task.lead_unit
    db.session.add(TaskTransfer(task_id=task.id, change_id=change.id, role="lead", from_unit_id=old.id,
                                to_unit_id=target.id, effective_on=change.effective_on))
    task.lead_unit = target
    task.lead_unit_id = target.id
    for part in [p for p in task.cooperating_parts if p.unit_id == target.id]:  # now the lead: no longer a part
        task.cooperating_parts.remove(part)
    audit.record("task.transfer", actor=actor, obj=task, summary=f"{old.code} → {target.code}",
                 changes={"lead_unit": [old.code, target.code], "decision": change.decision,
                          "effective_on": change.effective_on}, ip=ip)


def _pass_part(task: Task, unit: Unit, successor: Unit) -> None:
    """The part of `unit` in `task` passes to `successor` with its duty, deadline, dates, percent and person
    (the unit's people pass to the successor too), unless the successor leads the task or has a part of
    its own already."""
    old = next(p for p in task.cooperating_parts if p.unit_id == unit.id)
    task.cooperating_parts.remove(old)
    db.session.flush()  # the row keyed (task, unit) goes before another may take the task's next key
    if task.lead_unit_id == successor.id or any(p.unit_id == successor.id for p in task.cooperating_parts):
        return
    task.cooperating_parts.append(CooperatingPart(
        unit_id=successor.id, unit=successor, duty=old.duty, deadline=old.deadline, added_on=old.added_on,
        done_on=old.done_on, progress=old.progress, assignee_id=old.assignee_id))


def _hand_over(actor, change: UnitChange, unit: Unit, successor: Unit, result: ChangeResult,
               task_targets: dict[int, Unit] | None = None, ip: str | None = None) -> None:
    """End `unit` on the change's date; its open work, people, names and sub-units pass on."""
    task_targets = task_targets or {}
    targets = {successor.id: successor, **{t.id: t for t in task_targets.values()}}
    for task in db.session.scalars(select(Task).where(Task.lead_unit_id == unit.id, Task.state.in_(OPEN_STATES))
                                   .order_by(Task.id)):
        _move_lead(actor, change, task, task_targets.get(task.id, successor), ip)
        result.tasks += 1
    cooperating = select(Task).join(task_cooperation, task_cooperation.c.task_id == Task.id).where(
        task_cooperation.c.unit_id == unit.id, Task.state.in_(OPEN_STATES)).order_by(Task.id)
    for task in db.session.scalars(cooperating):
        _pass_part(task, unit, successor)
        db.session.add(TaskTransfer(task_id=task.id, change_id=change.id, role="cooperating", from_unit_id=unit.id,
                                    to_unit_id=successor.id, effective_on=change.effective_on))
        audit.record("task.transfer", actor=actor, obj=task, summary=f"{unit.code} → {successor.code}",
                     changes={"cooperating_unit": [unit.code, successor.code], "decision": change.decision,
                              "effective_on": change.effective_on}, ip=ip)
        result.parts += 1
    for user in db.session.scalars(select(User).where(User.unit_id == unit.id).order_by(User.id)):
        user.unit = successor
        user.unit_id = successor.id
        audit.record("user.move", actor=actor, obj=user, summary=f"{unit.code} → {successor.code}",
                     changes={"unit": [unit.code, successor.code]}, ip=ip)
        result.users += 1
    for child in db.session.scalars(select(Unit).where(Unit.parent_id == unit.id, Unit.ended_on.is_(None))
                                    .order_by(Unit.id)):
        child.set_parent(successor)
        result.sub_units += 1
    _add_aliases(successor, [unit.name, unit.short_name, *(unit.aliases or [])])
    # The former unit sits under its successor: the tree shows it there, greyed, and the successor's
    # people keep seeing the history it leaves (its closed tasks) within their reach.
    unit.set_parent(successor)
    unit.active = False
    unit.ended_on = change.effective_on
    unit.ended_by = change
    audit.record(f"unit.{change.kind}", actor=actor, obj=unit,
                 summary=f"{unit.code} → {', '.join(sorted(t.code for t in targets.values()))}",
                 changes={"effective_on": change.effective_on, "decision": change.decision,
                          "successors": sorted(t.code for t in targets.values())}, ip=ip)
    for target in targets.values():
        notices.tell(db.session, unit_leaders(target), "unit_change", None,
                     title=_change_title(change, unit, target))


def _change_title(change: UnitChange, unit: Unit, successor: Unit) -> str:
    """The notice's text: which unit passed its work to which, when and by what decision."""
    title = f"{unit.name} → {successor.name} ({change.effective_on:%d/%m/%Y})"
    return f"{title}, {change.decision}" if change.decision else title


def rename_unit(actor, unit: Unit, name: str, *, short_name: str | None = None, on: date | None,
                decision: str = "", today: date, ip: str | None = None) -> ChangeResult:
    """Rename `unit` from `on`; its former name stays on record and still finds it in texts."""
    errors: dict = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _l("Enter the new name.")
    elif name == unit.name:
        errors["name"] = _l("The new name is the current name.")
    _check_day(errors, on, today, [unit])
    _check_living(errors, "unit", [unit])
    if errors:
        raise Invalid(_l("The change was not saved."), errors)
    change = _new_change("rename", on, decision, [unit], [unit])
    change.former_name, change.former_short_name = unit.name, unit.short_name
    former = [unit.name, unit.short_name]
    unit.name = name[:255]
    unit.short_name = (short_name if short_name is not None else "").strip()[:120]
    _add_aliases(unit, former)
    audit.record("unit.rename", actor=actor, obj=unit, summary=f"{change.former_name} → {unit.name}",
                 changes={"name": [change.former_name, unit.name], "effective_on": on, "decision": change.decision},
                 ip=ip)
    return ChangeResult(change)


def merge_units(actor, units: list[Unit], into: Unit, *, on: date | None, decision: str = "", today: date,
                ip: str | None = None) -> ChangeResult:
    """End `units` on `on`: their open tasks, cooperating parts, users, aliases and sub-units pass to `into`."""
    errors: dict = {}
    units = list(dict.fromkeys(units))
    if not units:
        errors["units"] = _l("Choose the units that merge.")
    _check_living(errors, "units", units)
    _check_successors(errors, units, [into], on)
    _check_day(errors, on, today, units)
    if errors:
        raise Invalid(_l("The change was not saved."), errors)
    change = _new_change("merge", on, decision, units, [into])
    result = ChangeResult(change)
    for unit in units:
        _hand_over(actor, change, unit, into, result, ip=ip)
    return result


def dissolve_unit(actor, unit: Unit, into: Unit, *, on: date | None, decision: str = "", today: date,
                  ip: str | None = None) -> ChangeResult:
    """End `unit` on `on`; its open work passes to `into`."""
    errors: dict = {}
    _check_living(errors, "unit", [unit])
    _check_successors(errors, [unit], [into], on)
    _check_day(errors, on, today, [unit])
    if errors:
        raise Invalid(_l("The change was not saved."), errors)
    change = _new_change("dissolve", on, decision, [unit], [into])
    result = ChangeResult(change)
    _hand_over(actor, change, unit, into, result, ip=ip)
    return result


def split_unit(actor, unit: Unit, into: list[Unit], *, on: date | None, decision: str = "", today: date,
               tasks_to: Unit | None = None, task_targets: dict[int, Unit] | None = None,
               ip: str | None = None) -> ChangeResult:
    """End `unit` on `on`, succeeded by several units; each open task goes to one of them.

    `task_targets` chooses per task id; the others go to `tasks_to` (by
    default the first successor), as do users, cooperating parts and sub-units.
    """
    errors: dict = {}
    into = list(dict.fromkeys(into))
    if len(into) < 2:
        errors["into"] = _l("A split needs at least two successors.")
    _check_living(errors, "unit", [unit])
    _check_successors(errors, [unit], into, on)
    _check_day(errors, on, today, [unit])
    main = tasks_to or (into[0] if into else None)
    if main is not None and main not in into:
        errors["tasks_to"] = _l("The open tasks must go to one of the successors.")
    if any(t not in into for t in (task_targets or {}).values()):
        errors["tasks_to"] = _l("The open tasks must go to one of the successors.")
    if errors:
        raise Invalid(_l("The change was not saved."), errors)
    change = _new_change("split", on, decision, [unit], into)
    result = ChangeResult(change)
    _hand_over(actor, change, unit, main, result, task_targets=task_targets, ip=ip)
    return result


def open_tasks_of(unit: Unit) -> list[Task]:
    """The open tasks `unit` leads: what a split must give to its successors."""
    return list(db.session.scalars(select(Task).where(Task.lead_unit_id == unit.id, Task.state.in_(OPEN_STATES))
                                   .order_by(Task.id)))


def unit_history(unit: Unit) -> list[UnitChange]:
    """The changes `unit` took part in, oldest first."""
    return list(db.session.scalars(select(UnitChange).join(UnitChangeMember).where(UnitChangeMember.unit_id == unit.id)
                                   .distinct().order_by(UnitChange.effective_on, UnitChange.id)))


def successor_codes() -> dict[str, list[str]]:
    """Each ended unit's code with its successors' codes (tracker.rules.units.successor_chain's map)."""
    return {unit.code: [s.code for s in unit.successors]
            for unit in db.session.scalars(select(Unit).where(Unit.ended_by_id.is_not(None)))}


def former_units() -> list[FormerUnit]:
    """The ended units with the living unit that carries on each one's work (the conclusion assistant's map)."""
    chains = successor_codes()
    result = []
    for unit in db.session.scalars(select(Unit).where(Unit.ended_on.is_not(None)).order_by(Unit.id)):
        living = successor_chain(unit.code, chains)
        if living:
            names = tuple(n for n in (unit.name, unit.short_name, *(unit.aliases or [])) if n)
            result.append(FormerUnit(unit.code, names, living[0], unit.ended_on))
    return result
