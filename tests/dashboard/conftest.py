"""A hand-built world for the dashboard tests, with explicit dates and a frozen today.

Today is Friday 14 June 2024; PAST is Sunday 31 March 2024 (a quarter's
end). Every task is made through the workflow (tracker.services.workflow) on
the day it happened, so the deadline history and the state dates are the
real ones. The expected figures below are worked out by hand from this
table, not by the code under test.

    task directive lead        deadline (changes)         what happened                    PAST (31/3)     TODAY (14/6)
    T1   D1 UBND   STTTT       15/03                      reported 10/03, confirmed 12/03  on time         on time
    T2   D1        STTTT       20/03                      reported 02/04, confirmed 05/04  overdue         late
    T3   D1        STTTT(+SNV) 25/03 -> 20/06 on 22/03    extended before PAST             in progress     due soon
    T4   D1        SNV         28/03 -> 31/07 on 10/04    extended after PAST              overdue         in progress
    T5   D1        SNV         10/06                      difficulties reported            in progress     overdue, 4 d
    T6   D1        DPTTH       none (ongoing)                                              in progress     in progress
    T7   D1        STC         05/04                      cancelled 15/04                  in progress,    cancelled
                                                                                           due soon
    T8   D1        STTTT       25/06 (last due-soon day)  lan.nt's, title "=HYPERLINK.."   in progress     due soon
    T9   D1        STTTT       26/06 (the day after)      title "@SUM..."                  in progress     in progress
    T10  D1        STTTT       31/05                      created 01/05 (after PAST)       (absent)        overdue, 14 d
    T11  D1        H-PHULOC    28/02                      reported 27/02, confirmed 03/04  overdue         on time
    T12  D2 STTTT  STTTT-CNTT  15/05                      lan.nt's, confirmed 21/05        in progress     late
    T13  D3 draft  SNV         01/06                      never published                  (left out)      (left out)

Tags: T1, T3 and T8 are "chuyển đổi số", the others "hành chính".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.factories import Factory
from tracker.database import db as _db

TODAY = date(2024, 6, 14)
PAST = date(2024, 3, 31)


def d(text: str) -> date:
    """'15/03' -> 15 March 2024."""
    day, month = text.split("/")
    return date(2024, int(month), int(day))


@dataclass
class World:
    units: dict
    users: dict
    tasks: dict  # "T1" -> Task
    directives: dict  # "D1" -> Directive

    def ids(self, *names: str) -> set[int]:
        return {self.tasks[n].id for n in names}


def _freeze(monkeypatch) -> None:
    """Freeze the local clock at 09:00 on TODAY (every `today()` reads local_now)."""
    from tracker import timeutil

    moment = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(timeutil, "local_now", lambda: moment)


@pytest.fixture(scope="module")
def world_app(tmp_path_factory):
    """One app and one world per test module: the dashboard tests only read it (quicker than one per test)."""
    from tests.conftest import PG_URL, RequestScopedClient, _reset_postgres
    from tracker import create_app

    folder = tmp_path_factory.mktemp("dashboard")
    patcher = pytest.MonkeyPatch()
    _freeze(patcher)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=PG_URL or f"sqlite:///{folder / 'test.db'}",
                     UPLOAD_FOLDER=str(folder / "uploads"), OUTBOX_FOLDER=str(folder / "outbox"))
    app.test_client_class = RequestScopedClient
    if PG_URL:
        _reset_postgres(app)
    with app.app_context():
        if not PG_URL:
            _db.create_all()
        world = build_world()
        ids = ({k: t.id for k, t in world.tasks.items()}, {k: x.id for k, x in world.directives.items()})
        _db.session.remove()
    yield app, ids
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()
    patcher.undo()


@pytest.fixture
def app(world_app):
    """The module's app, with an app context for the test (overrides the root conftest's)."""
    app, _ids = world_app
    with app.app_context():
        yield app
        _db.session.remove()


@pytest.fixture
def frozen_today(monkeypatch):
    _freeze(monkeypatch)
    return TODAY


@pytest.fixture
def world(app, world_app, frozen_today) -> World:
    """The world's rows, loaded in the test's session."""
    from tracker.models import Directive, Task, Unit, User

    task_ids, directive_ids = world_app[1]
    return World(units={u.code: u for u in _db.session.scalars(select(Unit))},
                 users={u.username: u for u in _db.session.scalars(select(User))},
                 tasks={k: _db.session.get(Task, i) for k, i in task_ids.items()},
                 directives={k: _db.session.get(Directive, i) for k, i in directive_ids.items()})


def build_world() -> World:
    """Make the table above through the workflow, on the days it happened (commits)."""
    from tracker.demo import load_demo

    load_demo(directives=False)
    make = Factory()
    units, users = make.units(), make.users()
    secretary, vice_chair, director = users["thu.lt"], users["nga.tt"], users["hai.nv"]

    def directive(number, issued, unit, actor):
        return make.directive(actor, number, issued_on=issued, issuing_unit=unit)

    def task(doc, actor, title, lead, deadline, created, coop=(), assignee=None, tags=("hành chính",)):
        return make.add_task(doc, title, actor=actor, lead=lead, deadline=deadline, on=created, coop=coop,
                             assignee=assignee, tags=tags)

    def report(t, who, on, progress, difficulties=""):
        make.report(t, who, on=on, progress=progress, difficulties=difficulties)

    def done(t, reported, confirmed, who="hai.nv", decider=vice_chair):
        make.complete(t, who, reported=reported, decider=decider, confirmed=confirmed)

    def extend(t, to, asked, approved, who="hai.nv"):
        make.extend(t, who, to=to, asked=asked, decider=vice_chair, decided=approved)

    jan10 = date(2024, 1, 10)
    d1 = directive("12/TB-UBND", jan10, "UBND", secretary)
    t = {}
    t["T1"] = task(d1, secretary, "Xây dựng kế hoạch chuyển đổi số năm 2024", "STTTT", d("15/03"), jan10,
                   tags=("chuyển đổi số",))
    t["T2"] = task(d1, secretary, "Tổng kết công tác thông tin cơ sở", "STTTT", d("20/03"), jan10)
    t["T3"] = task(d1, secretary, "Triển khai trục LGSP giai đoạn 2", "STTTT", d("25/03"), jan10, coop=("SNV",),
                   tags=("chuyển đổi số",))
    t["T4"] = task(d1, secretary, "Rà soát vị trí việc làm", "SNV", d("28/03"), jan10)
    t["T5"] = task(d1, secretary, "Sắp xếp đơn vị sự nghiệp công lập", "SNV", d("10/06"), jan10)
    t["T6"] = task(d1, secretary, "Thường xuyên tuyên truyền chủ trương của tỉnh", "DPTTH", None, jan10)
    t["T7"] = task(d1, secretary, "Thẩm định kinh phí đề án", "STC", d("05/04"), jan10)
    t["T8"] = task(d1, secretary, "=HYPERLINK(\"http://evil.example\",\"Bấm\") Cập nhật cổng dữ liệu", "STTTT",
                   d("25/06"), jan10, assignee="lan.nt", tags=("chuyển đổi số",))
    t["T9"] = task(d1, secretary, "@SUM(1+1) Báo cáo an toàn thông tin", "STTTT", d("26/06"), jan10)
    t["T11"] = task(d1, secretary, "Hoàn thiện hạ tầng mạng huyện", "H-PHULOC", d("28/02"), jan10)
    make.publish(d1, on=jan10)

    feb1 = date(2024, 2, 1)
    d2 = directive("05/KH-STTTT", feb1, "STTTT", director)
    t["T12"] = task(d2, director, "+Nâng cấp phần mềm một cửa", "STTTT-CNTT", d("15/05"), feb1, assignee="lan.nt")
    make.publish(d2, on=feb1)

    d3 = directive("99/TB-UBND", d("01/05"), "UBND", secretary)  # a draft: counted nowhere
    t["T13"] = task(d3, secretary, "Dự thảo chưa ban hành", "SNV", d("01/06"), d("01/05"))

    # What happened, in date order.
    report(t["T11"], "phuc.nd", d("20/02"), 90)
    make.submit(t["T11"], "phuc.nd", on=d("27/02"))
    done(t["T1"], d("10/03"), d("12/03"))
    extend(t["T3"], d("20/06"), d("20/03"), d("22/03"))
    done(t["T2"], d("02/04"), d("05/04"))
    make.complete(t["T11"], "phuc.nd", reported=None, decider=vice_chair, confirmed=d("03/04"))
    extend(t["T4"], date(2024, 7, 31), d("05/04"), d("10/04"), who="binh.lv")
    make.cancel(t["T7"], vice_chair, on=d("15/04"))
    t["T10"] = task(d1, secretary, "Báo cáo sơ kết 6 tháng", "STTTT", d("31/05"), d("01/05"))
    report(t["T5"], "binh.lv", d("20/05"), 40, difficulties="Chờ ý kiến thẩm định của Sở Tài chính.")
    done(t["T12"], d("20/05"), d("21/05"), who="lan.nt", decider=director)
    report(t["T5"], "binh.lv", d("05/06"), 50, difficulties="-Thiếu biên chế để triển khai.")
    report(t["T8"], "lan.nt", d("03/06"), 60)
    _db.session.commit()
    return World(units, users, t, {"D1": d1, "D2": d2, "D3": d3})


@pytest.fixture
def client_for(app, world):
    """A fresh test client signed in as `username` (demo password)."""
    from tests.conftest import signed_in_client

    return lambda username: signed_in_client(app, username)


TASK_LINK = re.compile(r'href="/tasks/(\d+)(?:\?[^"]*)?"')


def listed_ids(client, url: str) -> set[int]:
    """The ids of the tasks the task list at `url` shows (all on one page)."""
    sep = "&" if "?" in url else "?"
    response = client.get(url + sep + "per_page=200")
    assert response.status_code == 200, url
    return {int(i) for i in TASK_LINK.findall(response.get_data(as_text=True))}
