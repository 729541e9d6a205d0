"""Test data, one home: directives, tasks, reports and decisions made as users make them.

Every object goes through the workflow (tracker.services.workflow) on the
day it happened, so deadline histories, state dates, audit entries and
notices are the real ones. Users and units may be given as objects or by
username and code; the demo data (tracker.demo) provides them.

    make = Factory()
    doc = make.directive("thu.lt", "12/TB-UBND", issued_on=date(2024, 1, 10))
    task = make.add_task(doc, "Xây dựng kế hoạch", lead="STTTT", deadline=date(2024, 3, 15), on=date(2024, 1, 10))
    make.publish(doc, on=date(2024, 1, 10))
    make.report(task, "hai.nv", on=date(2024, 3, 1), progress=60)
    make.complete(task, "hai.nv", reported=date(2024, 3, 10), decider="nga.tt", confirmed=date(2024, 3, 12))

`Factory.published_tasks` makes a whole published directive in one call
(the reminder tests' shape). Nothing here commits except `published_tasks`
and `commit()`: a test decides when its world is saved.
"""
from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from tracker import uploads
from tracker.database import db
from tracker.models import Attachment, Directive, ProgressUpdate, Task, Unit, User
from tracker.services import workflow

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Factory:
    """Makes test data through the workflow; see the module docstring."""

    def __init__(self) -> None:
        self._numbers = 0

    # Lookups ---------------------------------------------------------------------------------------

    def user(self, who: User | str | None) -> User | None:
        if who is None or isinstance(who, User):
            return who
        found = db.session.scalar(select(User).where(User.username == who))
        assert found is not None, f"no user {who!r} in the test data"
        return found

    def unit(self, which: Unit | str) -> Unit:
        if isinstance(which, Unit):
            return which
        found = db.session.scalar(select(Unit).where(Unit.code == which))
        assert found is not None, f"no unit {which!r} in the test data"
        return found

    def users(self) -> dict[str, User]:
        return {u.username: u for u in db.session.scalars(select(User))}

    def units(self) -> dict[str, Unit]:
        return {u.code: u for u in db.session.scalars(select(Unit))}

    # Directives and tasks --------------------------------------------------------------------------

    def directive(self, actor: User | str, number: str | None = None, *, issued_on: date,
                  issuing_unit: Unit | str = "UBND", kind: str = "conclusion", title: str | None = None,
                  signer: str = "", text: str = "", on_behalf_of: User | str | None = None) -> Directive:
        """A draft directive recorded by `actor`."""
        if number is None:
            self._numbers += 1
            number = f"{self._numbers}/TB-{self.unit(issuing_unit).code}"
        return workflow.create_directive(self.user(actor), workflow.DirectiveData(
            number=number, kind=kind, title=title if title is not None else f"Thông báo kết luận {number}",
            issued_on=issued_on, issuing_unit=self.unit(issuing_unit), signer=signer, text=text,
            on_behalf_of=self.user(on_behalf_of)))

    def add_task(self, directive: Directive, title: str = "Nhiệm vụ", *, lead: Unit | str, on: date,
             actor: User | str | None = None, deadline: date | None = None, coop=(), assignee: User | str | None = None,
             description: str = "", priority: str = "normal", tags=()) -> Task:
        """A task of `directive` added on day `on` (by `actor`, default the directive's recorder).

        `coop`: cooperating unit codes, or (code, duty, own deadline or None) for a part with its details.
        """
        parts = [(c, "", None) if isinstance(c, str) else c for c in coop]
        return workflow.add_task(self.user(actor) or directive.created_by, directive, workflow.TaskData(
            title=title, lead_unit=self.unit(lead), description=description,
            cooperating_units=[self.unit(c) for c, _duty, _own in parts], assignee=self.user(assignee),
            deadline=deadline, priority=priority, tags=list(tags),
            part_details={self.unit(c).id: workflow.PartData(duty, own) for c, duty, own in parts
                          if duty or own}), on)

    def publish(self, directive: Directive, *, on: date, actor: User | str | None = None) -> None:
        workflow.publish_directive(self.user(actor) or directive.created_by, directive, on)

    def published_tasks(self, specs: list[dict], *, issuer: str = "UBND", recorder: str = "thu.lt",
                        on_behalf_of: str | None = "nga.tt", issued_on: date | None = None,
                        publish: bool = True) -> list[Task]:
        """One directive of `issuer` with a task per spec (title, deadline, lead, assignee), published
        on its issue date (default 2 January of the first deadline's year) and committed."""
        deadlines = [s["deadline"] for s in specs if s.get("deadline")]
        issued_on = issued_on or (min(deadlines) if deadlines else date(2025, 1, 2)).replace(month=1, day=2)
        self._numbers += 1
        directive = self.directive(recorder, f"{self._numbers}/TB-{issuer}", issued_on=issued_on, issuing_unit=issuer,
                                   title=f"Kết luận số {self._numbers}", on_behalf_of=on_behalf_of)
        made = [self.add_task(directive, spec.get("title", "Nhiệm vụ"), lead=spec.get("lead", "STTTT-CNTT"),
                          assignee=spec.get("assignee", "lan.nt"), deadline=spec.get("deadline"), on=issued_on,
                          coop=spec.get("coop", ()))
                for spec in specs]
        if publish:
            self.publish(directive, on=issued_on)
        db.session.commit()
        return made

    # What happens to a task ------------------------------------------------------------------------

    def report(self, task: Task, who: User | str, *, on: date, progress: int | None, results: str = "Đã triển khai.",
               difficulties: str = "", proposals: str = "", report_number: str = "") -> ProgressUpdate:
        return workflow.post_update(self.user(who), task, workflow.UpdateData(
            progress=progress, results=results, difficulties=difficulties, proposals=proposals,
            report_number=report_number), on)

    def submit(self, task: Task, who: User | str, *, on: date, note: str = "Đã hoàn thành.") -> None:
        workflow.submit_completion(self.user(who), task, note, on)

    def complete(self, task: Task, who: User | str, *, reported: date | None, decider: User | str,
                 confirmed: date) -> None:
        """The lead unit reports the task done on `reported` (None: it already has); `decider` confirms
        it on `confirmed`."""
        if reported is not None:
            self.submit(task, who, on=reported)
        workflow.confirm_completion(self.user(decider), task, "", confirmed)

    def extend(self, task: Task, who: User | str, *, to: date, asked: date, decider: User | str | None = None,
               decided: date | None = None, reason: str = "Chờ ý kiến các sở.") -> None:
        """Ask for `to` on `asked`; with a `decider`, approved on `decided`."""
        workflow.request_extension(self.user(who), task, to, reason, asked)
        if decider is not None:
            workflow.decide_extension(self.user(decider), task.pending_extension, True, "Đồng ý.", decided or asked)

    def cancel(self, task: Task, who: User | str, *, on: date, reason: str = "Không còn phù hợp.") -> None:
        workflow.cancel_task(self.user(who), task, reason, on)

    def attach(self, storage_name: str, user: User | str, *, directive: Directive | None = None,
               update: ProgressUpdate | None = None, data: bytes = PNG) -> Attachment:
        """A file (a PNG by default) stored as `user` would upload it, on a directive or a report."""
        user = self.user(user)
        attachment, content = uploads.store(FileStorage(io.BytesIO(data), filename=storage_name), user.id)
        attachment.directive = directive
        attachment.update = update
        db.session.add(attachment)
        db.session.flush()
        uploads.write_file(attachment, content)
        return attachment

    def commit(self) -> None:
        db.session.commit()
