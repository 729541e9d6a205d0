"""The reminder planner: which reminders are due today, to whom, queued once.

It asks the database only for the tasks whose deadline falls in today's
reminder windows (indexed on state and deadline), applies the pure rules of
tracker.rules.reminders, and queues an e-mail and an in-app notification
per (task, recipient, rule, occurrence, deadline in force). Running it
again the same day, or in two processes at once, queues nothing more.
Cooperating parts are reminded by the same rules against their own
deadline in force, to the person their unit put on them or the unit's
leaders, escalated to the issuing side; their keys also name the part's
unit, so each (part, recipient, rule, occurrence, deadline) is queued once.
Pending reminders that no longer apply (task closed, deadline moved,
before-deadline day passed, recipient deactivated) are cancelled first.

The e-mails are rendered by the `mailer` the caller hands in (a
tracker.mail.AppMailer: templates in the recipient's language, links under
BASE_URL, Message-IDs), so the planner itself needs no web framework.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import joinedload

from tracker.database import db
from tracker.models import (
    AuditEvent,
    CooperatingPart,
    Directive,
    Notification,
    OutboxMessage,
    ReminderSettings,
    Task,
    TaskOccurrence,
    Unit,
    User,
    load_calendar,
)
from tracker.rules.preferences import BELL, DIGEST, EMAIL, channel, wants_digest
from tracker.rules.reminders import (
    DUE_TODAY,
    TO_ASSIGNEE,
    TO_ASSIGNEE_AND_LEADERS,
    TO_ISSUER,
    ReminderRules,
    due_window_dates,
    reminders_due,
)
from tracker.rules.status import is_due_soon
from tracker.services import reach_sql, recurrence
from tracker.services.outbox import KEYS_PER_QUERY, enqueue_email, enqueue_notification, enqueue_rows, existing_keys
from tracker.services.status_sql import part_deadline_sql
from tracker.timeutil import utcnow

BEFORE_PREFIX = "due_in_"


def get_settings() -> ReminderSettings:
    """The reminder settings row (the defaults, unsaved, when the admin never changed them)."""
    return db.session.get(ReminderSettings, 1) or ReminderSettings.defaults()


def current_rules() -> ReminderRules:
    """The reminder rules in force: their first window is what "due soon" means everywhere."""
    return get_settings().rules()


@dataclass
class Planned:
    task_id: int
    user: str
    rule: str
    occurrence: int
    deadline: date | None
    email: bool
    unit: str | None = None  # a cooperating part's reminder: the part's unit code


def cancel_stale(today: date) -> int:
    """Cancel pending reminders that no longer apply; return how many."""
    reminder_kind = OutboxMessage.kind.like(BEFORE_PREFIX + "%") | OutboxMessage.kind.in_(
        (DUE_TODAY, "overdue", "escalation"))
    task = select(Task.id).where(Task.id == OutboxMessage.task_id)
    closed = exists(task.where(Task.state != "open"))
    moved = and_(OutboxMessage.part_unit_id.is_(None),
                 exists(task.where(or_(Task.deadline.is_(None), Task.deadline != OutboxMessage.deadline))))
    # A periodic task's reminders follow its open occurrences' deadlines.
    occurrence_open = exists(select(TaskOccurrence.id).where(
        TaskOccurrence.task_id == OutboxMessage.task_id, TaskOccurrence.deadline == OutboxMessage.deadline,
        TaskOccurrence.state == "open"))
    moved = and_(moved, ~occurrence_open)
    # A part's reminder: the part was removed or marked done, or its deadline in force moved.
    part = select(CooperatingPart.task_id).join(Task, Task.id == CooperatingPart.task_id).where(
        CooperatingPart.task_id == OutboxMessage.task_id, CooperatingPart.unit_id == OutboxMessage.part_unit_id,
        CooperatingPart.done_on.is_(None), part_deadline_sql() == OutboxMessage.deadline)
    part_gone = and_(OutboxMessage.part_unit_id.is_not(None), ~exists(part))
    inactive = exists(select(User.id).where(User.id == OutboxMessage.user_id, User.active.is_(False)))
    before_passed = and_(or_(OutboxMessage.kind.like(BEFORE_PREFIX + "%"), OutboxMessage.kind == DUE_TODAY),
                         OutboxMessage.deadline < today)
    stale = or_(inactive, and_(reminder_kind, or_(closed, moved, part_gone, before_passed)))
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.state == "pending", stale)
        .values(state="cancelled", last_error="no longer applies").execution_options(synchronize_session=False))
    return result.rowcount


class _Person(NamedTuple):
    """The columns of a user the planner needs (read as plain rows, not ORM objects)."""

    id: int
    username: str
    role: str
    unit_id: int
    active: bool
    email: str
    email_notifications: bool
    notification_prefs: dict | None
    language: str


_PERSON = (User.id, User.username, User.role, User.unit_id, User.active, User.email, User.email_notifications,
           User.notification_prefs, User.language)


class _Task(NamedTuple):
    """The columns of a due task (and of its directive) the planner needs."""

    id: int
    title: str
    lead_unit_id: int
    issuing_unit_id: int
    assignee_id: int | None
    parent_id: int | None
    created_by_id: int | None
    directive_on_behalf_of_id: int | None
    directive_created_by_id: int | None


_TASK = (Task.id, Task.title, Task.lead_unit_id, Task.issuing_unit_id, Task.assignee_id, Task.parent_id,
         Task.created_by_id, Directive.on_behalf_of_id, Directive.created_by_id)


class _Part(NamedTuple):
    """A due cooperating part: its unit (id and code) and the person that unit put on it."""

    unit_id: int
    unit_code: str
    assignee_id: int | None


def _people(unit_ids: set[int], roles: tuple[str, ...]) -> dict[int, list[_Person]]:
    if not unit_ids:
        return {}
    by_unit: dict[int, list[_Person]] = defaultdict(list)
    for row in db.session.execute(select(*_PERSON).where(User.unit_id.in_(unit_ids), User.role.in_(roles),
                                                         User.active.is_(True)).order_by(User.id)):
        by_unit[row.unit_id].append(_Person(*row))
    return by_unit


def _persons(user_ids: set[int]) -> dict[int, _Person]:
    """The active ones of `user_ids` (assignees: an inactive assignee is as nobody assigned)."""
    found: dict[int, _Person] = {}
    ids = sorted(user_ids)
    for start in range(0, len(ids), KEYS_PER_QUERY):
        for row in db.session.execute(select(*_PERSON).where(User.id.in_(ids[start:start + KEYS_PER_QUERY]),
                                                             User.active.is_(True))):
            found[row.id] = _Person(*row)
    return found


def _issuer_side(task: _Task, people: list[_Person]) -> list[_Person]:
    """The escalation's recipients: the leader who issued the task and the issuing unit's secretaries.

    The issuer is the leader a directive was recorded for (or who recorded
    it), or the leader who split off a sub-task; when that person is unknown
    or no longer an active leader of the unit, every leader of the unit.
    """
    leaders = [u for u in people if u.role == "leader"]
    secretaries = [u for u in people if u.role == "secretary"]
    if task.parent_id is None:
        issuer = task.directive_on_behalf_of_id or task.directive_created_by_id
    else:
        issuer = task.created_by_id
    named = [u for u in leaders if u.id == issuer]
    return (named or leaders) + secretaries


def plan_reminders(today: date, now: datetime | None = None, dry_run: bool = False, mailer=None) -> list[Planned]:
    """Queue today's deadline reminders (idempotent); return what this call queued (`mailer`: unless `dry_run`).

    Everything is read as plain rows of the few columns needed (no ORM
    objects), and each e-mail is queued with the data it is rendered from
    when it is sent (`render_reminder`), so planning costs a few queries
    and bulk inserts, whatever the number of reminders.
    """
    now = now or utcnow()
    settings = get_settings()
    rules = settings.rules()
    cal = load_calendar()
    if not dry_run:
        recurrence.materialise_all(today)  # the periods of periodic tasks up to today + the first window
    cancel_stale(today)
    windows = due_window_dates(today, cal, rules)
    if not windows.before and windows.overdue_until is None:
        return []
    published = Directive.published_at.is_not(None)
    ranges = [and_(Task.deadline >= w.first, Task.deadline <= w.last) for w in windows.before]
    if windows.overdue_until is not None:
        ranges.append(Task.deadline <= windows.overdue_until)
    # (task, part, deadline, period): the task's own deadline, each open period's, each cooperating part's.
    targets: list[tuple[_Task, _Part | None, date, str | None]] = [
        (_Task(*row[:-1]), None, row[-1], None) for row in db.session.execute(
            select(*_TASK, Task.deadline).join(Directive, Directive.id == Task.directive_id)
            .where(Task.state == "open", Task.deadline.is_not(None), or_(*ranges), published)
            .order_by(Task.deadline, Task.id))]
    occ_ranges = [and_(TaskOccurrence.deadline >= w.first, TaskOccurrence.deadline <= w.last) for w in windows.before]
    if windows.overdue_until is not None:
        occ_ranges.append(TaskOccurrence.deadline <= windows.overdue_until)
    targets += [(_Task(*row[:-2]), None, row[-2], row[-1]) for row in db.session.execute(
        select(*_TASK, TaskOccurrence.deadline, TaskOccurrence.period)
        .join(Task, Task.id == TaskOccurrence.task_id).join(Directive, Directive.id == Task.directive_id)
        .where(TaskOccurrence.state == "open", Task.state == "open", or_(*occ_ranges), published)
        .order_by(TaskOccurrence.deadline, TaskOccurrence.id))]
    targets += _parts_due(today, windows, published)
    due = [(task, part, deadline, period, r) for task, part, deadline, period in targets
           for r in reminders_due(deadline, today, cal, rules)]
    if not due:
        return []
    answering = {t.lead_unit_id if p is None else p.unit_id for t, p, *_rest in due}
    leaders = _people(answering, ("leader",))
    issuers = _people({t.issuing_unit_id for t, _p, _d, _per, r in due if r.audience == TO_ISSUER},
                      ("leader", "secretary"))
    assignees = _persons({t.assignee_id if p is None else p.assignee_id for t, p, *_rest in due} - {None})
    queue = _Queue(settings, today, now, dry_run, mailer, cal)
    for task, part, deadline, period, reminder in due:
        if part is None:
            assignee, unit_id = assignees.get(task.assignee_id), task.lead_unit_id
        else:
            assignee, unit_id = assignees.get(part.assignee_id), part.unit_id
        if reminder.audience == TO_ASSIGNEE:
            recipients = [assignee] if assignee else leaders.get(unit_id, [])
        elif reminder.audience == TO_ASSIGNEE_AND_LEADERS:
            recipients = ([assignee] if assignee else []) + leaders.get(unit_id, [])
        else:
            recipients = _issuer_side(task, issuers.get(task.issuing_unit_id, []))
        queue.send(task, part, deadline, reminder, recipients, period)
    return queue.flush()


def _parts_due(today: date, windows, published) -> list[tuple[_Task, _Part, date, None]]:
    """The open cooperating parts (of open, published tasks) whose deadline in force is in today's windows."""
    deadline = part_deadline_sql()
    ranges = [and_(deadline >= w.first, deadline <= w.last) for w in windows.before]
    if windows.overdue_until is not None:
        ranges.append(deadline <= windows.overdue_until)
    rows = db.session.execute(
        select(*_TASK, CooperatingPart.unit_id, Unit.code, CooperatingPart.assignee_id, deadline)
        .join(Task, Task.id == CooperatingPart.task_id).join(Directive, Directive.id == Task.directive_id)
        .join(Unit, Unit.id == CooperatingPart.unit_id)
        .where(Task.state == "open", CooperatingPart.done_on.is_(None), deadline.is_not(None), or_(*ranges),
               published, or_(CooperatingPart.added_on.is_(None), CooperatingPart.added_on <= today))
        .order_by(deadline, CooperatingPart.task_id, CooperatingPart.unit_id))
    return [(_Task(*row[:-4]), _Part(*row[-4:-1]), row[-1], None) for row in rows]


class _Queue:
    """Queues one day's reminders: an in-app notification and an e-mail per recipient, once per key."""

    def __init__(self, settings, today: date, now: datetime, dry_run: bool, mailer, cal) -> None:
        self.settings, self.today, self.now, self.dry_run, self.mailer, self.cal = \
            settings, today, now, dry_run, mailer, cal
        self.wanted: list[_Wanted] = []

    def send(self, task: _Task, part: _Part | None, deadline: date, reminder, recipients,
             period: str | None = None) -> None:
        """Queue `reminder` of `task` (or of its cooperating `part`, or its `period`) against `deadline` to each
        recipient once."""
        settings = self.settings
        seen: set[int] = set()
        where = f"{task.id}" if part is None else f"{task.id}:u{part.unit_id}"
        tail = f"{reminder.rule}:{reminder.occurrence}:{deadline.isoformat()}" + (f":{period}" if period else "")
        for user in recipients:
            if user.id in seen:
                continue
            seen.add(user.id)
            key = f"{'r' if part is None else 'p'}:{where}:{user.id}:{tail}"
            how = channel(user.role, user.notification_prefs, reminder.rule)
            if how == DIGEST:  # their weekly digest lists the task instead
                continue
            wants_email = how == EMAIL and settings.email_enabled and user.email_notifications and bool(user.email)
            self.wanted.append(_Wanted(task, part, deadline, reminder, user, key, wants_email, period))

    def flush(self) -> list[Planned]:
        """Queue what was asked for, skipping the keys that exist: a few queries, not one per reminder."""
        settings, today, now, mailer, cal = self.settings, self.today, self.now, self.mailer, self.cal
        keys = [w.key for w in self.wanted]
        mailed = existing_keys(OutboxMessage, keys)
        if self.dry_run:
            return [w.planned() for w in self.wanted if w.key[:200] not in mailed]
        notified = existing_keys(Notification, keys) if settings.inapp_enabled else set()
        notes, emails = [], []
        days_left: dict[date, int] = {}
        for w in self.wanted:
            if settings.inapp_enabled and w.key[:200] not in notified:
                title = f"{w.task.title} ({w.period})" if w.period else w.task.title
                notes.append(dict(user_id=w.user.id, kind="reminder", task_id=w.task.id, title=title[:500],
                                  created_at=now, dedupe_key=w.key[:200]))
            if w.wants_email and w.key[:200] not in mailed:  # rendered by the dispatcher, when it is sent
                if w.deadline not in days_left:
                    days_left[w.deadline] = cal.working_days_between(today, w.deadline)
                emails.append(dict(
                    dedupe_key=w.key[:200], kind=w.reminder.rule, occurrence=w.reminder.occurrence, task_id=w.task.id,
                    user_id=w.user.id, deadline=w.deadline, part_unit_id=w.part.unit_id if w.part else None,
                    planned_for=today, to_addr=w.user.email, subject="", body_text="", body_html="",
                    data={"template": "reminder", "days_left": days_left[w.deadline], "period": w.period},
                    message_id=mailer.new_message_id(), state="pending", attempts=0, next_attempt_at=now,
                    last_error="", attempt_log=[], created_at=now))
        queued = enqueue_rows(Notification, notes) | enqueue_rows(OutboxMessage, emails)
        return [w.planned() for w in self.wanted if w.key[:200] in queued]


@dataclass
class _Wanted:
    """One reminder for one person, before it is known whether its key exists."""

    task: _Task
    part: _Part | None
    deadline: date
    reminder: object
    user: _Person
    key: str
    wants_email: bool
    period: str | None = None  # a periodic task's period: its reminder names it

    def planned(self) -> Planned:
        return Planned(self.task.id, self.user.username, self.reminder.rule, self.reminder.occurrence, self.deadline,
                       self.wants_email, self.part.unit_code if self.part is not None else None)


def load_for_rendering(rows: list[OutboxMessage]) -> list:
    """Read what `render_reminder` shows of `rows` in a few queries; keep the list returned while rendering
    (the session holds the objects only as long as something refers to them, and until it commits)."""
    loaded: list = []
    task_ids = {r.task_id for r in rows if r.task_id is not None}
    if task_ids:
        loaded += db.session.scalars(select(Task).where(Task.id.in_(task_ids))
                                     .options(joinedload(Task.directive), joinedload(Task.lead_unit))).all()
    loaded += db.session.scalars(select(User).where(User.id.in_({r.user_id for r in rows}))).all()
    part_keys = {(r.task_id, r.part_unit_id) for r in rows if r.part_unit_id is not None}
    if part_keys:
        loaded += db.session.scalars(select(CooperatingPart).where(
            CooperatingPart.task_id.in_({t for t, _u in part_keys}),
            CooperatingPart.unit_id.in_({u for _t, u in part_keys})).options(joinedload(CooperatingPart.unit))).all()
    return loaded


def render_reminder(row: OutboxMessage, mailer) -> tuple[str, str, str]:
    """Render a reminder the planner queued unrendered (`row.data`), as the dispatcher sends it.

    The e-mail shows the task as it is when sent; what the reminder is
    (rule, repeat, deadline, days left, period, cooperating part) was fixed
    when it was planned.
    """
    data = row.data or {}
    task = db.session.get(Task, row.task_id)
    part = db.session.get(CooperatingPart, (row.task_id, row.part_unit_id)) if row.part_unit_id else None
    days_left = data.get("days_left")
    return mailer.render(
        data.get("template", "reminder"), locale=row.user.language, task=task, user=row.user, rule=row.kind,
        occurrence=row.occurrence, today=row.planned_for, url=mailer.task_url(row.task_id), part=part,
        days_left=days_left, late_days=-days_left if days_left is not None else None, deadline=row.deadline,
        period=data.get("period"))


def plan_digest(today: date, mailer, now: datetime | None = None) -> int:
    """Queue the weekly digest of due-soon and overdue tasks in their reach (once a week) to each leader, and to
    whoever chose "digest only" for some kind of message (tracker.rules.preferences)."""
    now = now or utcnow()
    settings = get_settings()
    if not settings.email_enabled:
        return 0
    rules = settings.rules()
    cal = load_calendar()
    horizon = cal.add_working_days(today, rules.due_soon_days) if rules.due_soon_days else today
    year, week, _ = today.isocalendar()
    queued = 0
    readers = db.session.scalars(select(User).where(User.active.is_(True), User.email_notifications.is_(True),
                                                    User.email != "")
                                 .options(joinedload(User.unit)).order_by(User.id)).all()
    for leader in (u for u in readers if wants_digest(u.role, u.notification_prefs)):
        key = f"digest:{leader.id}:{year}-W{week:02d}"
        if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
            continue
        published = exists().where(Directive.id == Task.directive_id, Directive.published_at.is_not(None))
        tasks = db.session.scalars(
            select(Task).where(reach_sql.task_visible_clause(leader), published, Task.state == "open",
                               Task.deadline.is_not(None), Task.deadline <= horizon)
            .options(joinedload(Task.lead_unit), joinedload(Task.assignee))
            .order_by(Task.deadline, Task.id)).all()
        if not tasks:
            continue
        groups: dict[str, list[Task]] = defaultdict(list)
        for task in tasks:
            groups[task.lead_unit.name].append(task)
        overdue = sum(1 for t in tasks if t.deadline < today)
        subject, text, html = mailer.render(
            "digest", locale=leader.language, user=leader, groups=sorted(groups.items()), today=today,
            overdue=overdue, due_soon=len(tasks) - overdue, task_url=mailer.task_url, window=rules.due_soon_days,
            due_soon_flags={t.id: is_due_soon(t.deadline, today, cal, rules) for t in tasks})
        if enqueue_email(key=key, kind="digest", user=leader, subject=subject, text=text, html=html,
                         message_id=mailer.new_message_id(), planned_for=today, now=now):
            queued += 1
    return queued


def enqueue_event_email(user: User, kind: str, task: Task, today: date, mailer, note: str = "") -> None:
    """E-mail for an event (assignment, return, decision), sent after the request commits."""
    settings = get_settings()
    if not (settings.email_enabled and user.email_notifications and user.email and user.active):
        return
    subject, text, html = mailer.render("event", locale=user.language, task=task, user=user, kind=kind,
                                        url=mailer.task_url(task.id), note=note)
    message_id = mailer.new_message_id()
    enqueue_email(key=f"e:{kind}:{task.id}:{user.id}:{message_id}", kind=kind, user=user, subject=subject,
                  text=text, html=html, message_id=message_id, planned_for=today, task_id=task.id,
                  deadline=task.deadline)


def enqueue_items_email(user: User, kind: str, directive: Directive, items, today: date, mailer) -> None:
    """One e-mail telling `user` of all their new `items` (tracker.services.notices.Item) in `directive`."""
    settings = get_settings()
    if not (settings.email_enabled and user.email_notifications and user.email and user.active):
        return
    items = sorted(items, key=lambda i: (i.task.position, i.task.id, i.part))
    subject, text, html = mailer.render("items", locale=user.language, directive=directive, items=items, user=user,
                                        kind=kind, task_url=mailer.task_url,
                                        list_url=mailer.directive_tasks_url(directive.id))
    message_id = mailer.new_message_id()
    single = len({i.task.id for i in items}) == 1
    enqueue_email(key=f"e:{kind}:d{directive.id}:{user.id}:{message_id}", kind=kind, user=user, subject=subject,
                  text=text, html=html, message_id=message_id, planned_for=today,
                  task_id=items[0].task.id if single else None, deadline=items[0].task.deadline if single else None)


def remind_now(actor: User, task: Task, today: date, mailer, now: datetime | None = None) -> int:
    """Queue a manual reminder ("remind now") to the people answering for the task.

    The caller enforces the limit of one an hour per task (see `last_manual_reminder`).
    """
    now = now or utcnow()
    stamp = now.strftime("%Y%m%dT%H%M%S")
    recipients = [task.assignee] if task.assignee and task.assignee.active else \
        db.session.scalars(select(User).where(User.unit_id == task.lead_unit_id, User.role == "leader",
                                              User.active.is_(True)).order_by(User.id)).all()
    queued = 0
    for user in recipients:
        # Someone pressed "remind now" for this person: "digest only" still shows it in the bell.
        how = BELL if channel(user.role, user.notification_prefs, "manual") == DIGEST else \
            channel(user.role, user.notification_prefs, "manual")
        key = f"m:{task.id}:{user.id}:{stamp}"
        if enqueue_notification(key=key, kind="reminder", user=user, task_id=task.id, title=task.title, now=now):
            queued += 1
        if how == EMAIL and get_settings().email_enabled and user.email_notifications and user.email:
            subject, text, html = mailer.render("reminder", locale=user.language, task=task, user=user,
                                                rule="manual", occurrence=1, today=today, url=mailer.task_url(task.id),
                                               days_left=None, sender=actor)
            enqueue_email(key=key, kind="manual", user=user, subject=subject, text=text, html=html,
                          message_id=mailer.new_message_id(), planned_for=today, task_id=task.id, deadline=task.deadline,
                          now=now)
    return queued


def last_manual_reminder(task: Task) -> datetime | None:
    """When someone last pressed "remind now" on this task."""
    return db.session.scalar(select(AuditEvent.at).where(
        AuditEvent.object_type == "task", AuditEvent.object_id == task.id, AuditEvent.action == "task.remind")
        .order_by(AuditEvent.at.desc()).limit(1))


