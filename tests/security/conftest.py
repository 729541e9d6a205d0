"""Fixtures of the security tests: a world with objects outside each demo user's reach.

`world` adds, on top of the demo data, objects a given user must never
see or touch, each with a unique marker in its title so a leak is easy to
spot in any response:

- an SNV directive and task (a sibling department of SKHCN), with a progress
  update, a pending extension request, attachments and a notification;
- a published SKHCN-internal directive whose task is led by STTTT-BCXB (a
  division Sở KH&CN took over from Sở TT&TT; outside the reach of
  STTTT-CNTT and of SNV);
- an unpublished SKHCN draft whose task is led by STTTT-CNTT (its lead unit
  must not see it before publication);
- an API token and a calendar feed of binh.lv and of lan.nt.

`world.foreign(username)` lists what that user may not see, computed with
the reach predicates (tracker/rules/reach.py).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from tracker import uploads
from tracker.database import db as _db
from tracker.models import (
    ApiToken,
    Attachment,
    CalendarFeed,
    Directive,
    ExtensionRequest,
    Notification,
    ProgressUpdate,
    Task,
    Unit,
    User,
)
from tracker.rules import reach
from tracker.services import workflow
from tracker.timeutil import today

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class World:
    users: dict[str, User]
    units: dict[str, Unit]
    tasks: dict[str, Task] = field(default_factory=dict)
    directives: dict[str, Directive] = field(default_factory=dict)
    markers: dict[str, str] = field(default_factory=dict)  # key -> marker in the title of that object

    def user(self, username: str) -> User:
        return self.users[username]

    def invisible_tasks(self, username: str) -> list[Task]:
        me = self.users[username]
        return [t for t in _db.session.scalars(select(Task).order_by(Task.id)) if not reach.can_view_task(me, t)]

    def invisible_directives(self, username: str) -> list[Directive]:
        me = self.users[username]
        return [d for d in _db.session.scalars(select(Directive).order_by(Directive.id))
                if not reach.can_view_directive(me, d)]

    def foreign_markers(self, username: str) -> list[str]:
        """Markers of the objects `username` may not see (empty for those who see everything)."""
        hidden = {t.id for t in self.invisible_tasks(username)}
        hidden_d = {d.id for d in self.invisible_directives(username)}
        found = [m for key, m in self.markers.items()
                 if (key.startswith("task:") and self.tasks[key[5:]].id in hidden)
                 or (key.startswith("directive:") and self.directives[key[10:]].id in hidden_d)
                 or (key.startswith("number:") and self.directives[key[7:]].id in hidden_d)]
        return sorted(set(found))


def _attach(storage_name: str, user: User, *, directive=None, update=None) -> Attachment:
    attachment, data = uploads.store(FileStorage(io.BytesIO(PNG), filename=storage_name), user.id)
    attachment.directive = directive
    attachment.update = update
    _db.session.add(attachment)
    _db.session.flush()
    uploads.write_file(attachment, data)
    return attachment


def build_world() -> World:
    users = {u.username: u for u in _db.session.scalars(select(User))}
    units = {u.code: u for u in _db.session.scalars(select(Unit))}
    day = today()
    world = World(users=users, units=units)

    def directive(key, actor, unit, number, publish, tasks):
        d = workflow.create_directive(actor, workflow.DirectiveData(
            number=number, kind="official_letter", title=f"FOREIGN-{key}-DIRECTIVE {number}",
            issued_on=day - timedelta(days=5), issuing_unit=unit, text=f"FOREIGN-{key}-TEXT"))
        world.directives[key] = d
        world.markers[f"directive:{key}"] = f"FOREIGN-{key}-DIRECTIVE"
        world.markers[f"number:{key}"] = number  # a filter must not show a foreign document's number either
        for task_key, lead, assignee in tasks:
            t = workflow.add_task(actor, d, workflow.TaskData(title=f"FOREIGN-{task_key}-TASK", lead_unit=lead, assignee=assignee,
                                                  deadline=day + timedelta(days=20)), day - timedelta(days=5))
            world.tasks[task_key] = t
            world.markers[f"task:{task_key}"] = f"FOREIGN-{task_key}-TASK"
        if publish:
            workflow.publish_directive(actor, d, day - timedelta(days=5))
        return d

    binh, hai, dung = users["binh.lv"], users["hai.nv"], users["dung.tv"]
    snv = directive("SNV", binh, units["SNV"], "7/SNV-VP", True, [("SNV", units["SNV"], None)])
    _attach("FOREIGN-SNV-FILE.png", binh, directive=snv)
    update = workflow.post_update(binh, world.tasks["SNV"], workflow.UpdateData(progress=40, results="FOREIGN-SNV-UPDATE",
                                                                    difficulties="FOREIGN-SNV-DIFFICULTY"), day)
    _attach("FOREIGN-SNV-UPDATE-FILE.png", binh, update=update)
    workflow.request_extension(binh, world.tasks["SNV"], day + timedelta(days=40), "FOREIGN-SNV-REASON", day)

    directive("BCXB", hai, units["SKHCN"], "9/STTTT-VP", True, [("BCXB", units["STTTT-BCXB"], dung)])
    update = workflow.post_update(dung, world.tasks["BCXB"], workflow.UpdateData(progress=20, results="FOREIGN-BCXB-UPDATE"), day)
    _attach("FOREIGN-BCXB-UPDATE-FILE.png", dung, update=update)
    workflow.request_extension(dung, world.tasks["BCXB"], day + timedelta(days=40), "FOREIGN-BCXB-REASON", day)

    directive("DRAFT", hai, units["SKHCN"], "11/STTTT-VP", False, [("DRAFT", units["STTTT-CNTT"], users["lan.nt"])])

    from tracker.services.feeds import create_feed
    from tracker.services.tokens import create_token

    for username in ("binh.lv", "lan.nt"):
        create_token(users[username], f"token of {username}", actor=users[username])
        create_feed(users[username], "mine")
    _db.session.commit()
    return world


@pytest.fixture
def world(app, demo) -> World:
    return build_world()


def first_id(model, **where) -> int:
    stmt = select(model.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return _db.session.scalar(stmt.order_by(model.id).limit(1))


__all__ = ["World", "build_world", "first_id", "Attachment", "ExtensionRequest", "Notification", "ProgressUpdate",
           "ApiToken", "CalendarFeed"]
