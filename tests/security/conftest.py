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

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import Factory
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
from tracker.services.feeds import create_feed
from tracker.services.tokens import create_token
from tracker.timeutil import today

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


def build_world() -> World:
    make = Factory()
    users, units = make.users(), make.units()
    day = today()
    world = World(users=users, units=units)

    def directive(key, actor, unit, number, publish, tasks):
        d = make.directive(actor, number, kind="official_letter", title=f"FOREIGN-{key}-DIRECTIVE {number}",
                           issued_on=day - timedelta(days=5), issuing_unit=unit, text=f"FOREIGN-{key}-TEXT")
        world.directives[key] = d
        world.markers[f"directive:{key}"] = f"FOREIGN-{key}-DIRECTIVE"
        world.markers[f"number:{key}"] = number  # a filter must not show a foreign document's number either
        for task_key, lead, assignee in tasks:
            world.tasks[task_key] = make.add_task(d, f"FOREIGN-{task_key}-TASK", lead=lead, assignee=assignee,
                                                  deadline=day + timedelta(days=20), on=day - timedelta(days=5))
            world.markers[f"task:{task_key}"] = f"FOREIGN-{task_key}-TASK"
        if publish:
            make.publish(d, on=day - timedelta(days=5))
        return d

    binh, hai, dung = users["binh.lv"], users["hai.nv"], users["dung.tv"]
    snv = directive("SNV", binh, units["SNV"], "7/SNV-VP", True, [("SNV", units["SNV"], None)])
    make.attach("FOREIGN-SNV-FILE.png", binh, directive=snv)
    update = make.report(world.tasks["SNV"], binh, on=day, progress=40, results="FOREIGN-SNV-UPDATE",
                         difficulties="FOREIGN-SNV-DIFFICULTY")
    make.attach("FOREIGN-SNV-UPDATE-FILE.png", binh, update=update)
    make.extend(world.tasks["SNV"], binh, to=day + timedelta(days=40), asked=day, reason="FOREIGN-SNV-REASON")

    directive("BCXB", hai, units["SKHCN"], "9/STTTT-VP", True, [("BCXB", units["STTTT-BCXB"], dung)])
    update = make.report(world.tasks["BCXB"], dung, on=day, progress=20, results="FOREIGN-BCXB-UPDATE")
    make.attach("FOREIGN-BCXB-UPDATE-FILE.png", dung, update=update)
    make.extend(world.tasks["BCXB"], dung, to=day + timedelta(days=40), asked=day, reason="FOREIGN-BCXB-REASON")

    directive("DRAFT", hai, units["SKHCN"], "11/STTTT-VP", False, [("DRAFT", units["STTTT-CNTT"], users["lan.nt"])])

    for username in ("binh.lv", "lan.nt"):
        create_token(users[username], f"token of {username}", actor=users[username])
        create_feed(users[username], "mine")
    make.commit()
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
