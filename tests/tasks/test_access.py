"""Who reaches what: every task and directive page and action, for every demo user.

Outside one's reach a task or a directive does not exist (404, whatever
the method); on a visible object, an action one may not take is 403. In
both cases the response holds none of the object's data and nothing
changes in the database.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import Factory
from tests.tasks.pages import download, main_text, task_like, task_titles
from tracker.demo import USERS
from tracker.models import AuditEvent, Notification, ProgressUpdate, Task
from tracker.timeutil import today

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(login_as, db):
    """The demo, plus a committee draft and a department's internal plan, with attachments everywhere."""
    day = today()
    make = Factory()
    # A draft of the committee: only the committee sees it.
    draft = make.directive("thu.lt", "77/TB-UBND", title="Kết luận chưa ban hành về quy hoạch đô thị",
                           issued_on=day - timedelta(days=2), on_behalf_of="hung.nv")
    draft_task = make.add_task(draft, "Lập quy hoạch đô thị bí mật", lead="SKHCN", deadline=day + timedelta(days=30),
                               on=day)
    # The department's internal plan for its press division, published.
    plan = make.directive("hai.nv", "9/KH-STTTT", kind="plan", title="Kế hoạch nội bộ của Sở về báo chí",
                          issued_on=day - timedelta(days=5), issuing_unit="SKHCN", on_behalf_of="hai.nv")
    plan_task = make.add_task(plan, "Tổng hợp dư luận báo chí hằng tuần", lead="STTTT-BCXB", assignee="dung.tv",
                              deadline=day + timedelta(days=10), on=day - timedelta(days=5))
    make.publish(plan, on=day - timedelta(days=5))
    # Reports with attachments, and a pending extension on each task.
    press = task_like(db, "Hướng dẫn, theo dõi, đôn đốc")  # demo: lead STTTT, cooperating DPTTH, dung.tv
    objects = {}
    for name, task, directive_ in [("draft", draft_task, draft), ("plan", plan_task, plan), ("press", press, None)]:
        update = None
        if name != "draft":
            update = make.report(task, "dung.tv", on=day, progress=50, results="Đã tổng hợp.",
                                 difficulties="Thiếu nhân lực.")
            if task.deadline:
                make.extend(task, "dung.tv", to=task.deadline + timedelta(days=10), asked=day, reason="Thiếu nhân lực.")
        file = make.attach("bao-cao.pdf", "dung.tv", update=update, directive=None if update else directive_, data=PDF)
        objects[name] = {"task": task, "directive": task.directive, "update": update, "file": file,
                         "extension": task.pending_extension}
    # The directive attachments of the plan.
    objects["plan"]["directive_file"] = make.attach("bao-cao.pdf", "hai.nv", directive=plan, data=PDF)
    objects["draft"]["directive_file"] = objects["draft"]["file"]
    objects["press"]["directive_file"] = make.attach("bao-cao.pdf", "thu.lt", directive=press.directive, data=PDF)
    db.session.commit()
    return objects


def task_endpoints(o) -> list[tuple[str, str, dict]]:
    """Every page and action of a task (with plausible form data, so only the rule can refuse)."""
    t = o["task"].id
    u = o["update"].id if o["update"] else 999999
    e = o["extension"].id if o["extension"] else 999999
    deadline = (o["task"].deadline or today()) + timedelta(days=40)
    task_form = {"title": "x", "lead_unit_id": o["task"].lead_unit_id, "deadline": deadline.isoformat(),
                 "priority": "normal", "assignee_id": 0, "version": o["task"].version}
    return [
        ("GET", f"/tasks/{t}", {}),
        ("GET", f"/tasks/{t}?as_of=2020-01-01", {}),
        ("GET", f"/tasks/{t}/edit", {}),
        ("POST", f"/tasks/{t}/edit", task_form),
        ("GET", f"/tasks/{t}/subtasks/new", {}),
        ("POST", f"/tasks/{t}/subtasks/new", task_form),
        ("POST", f"/tasks/{t}/assign", {"assignee_id": 0}),
        ("POST", f"/tasks/{t}/updates", {"progress": 10, "results": "x"}),
        ("POST", f"/tasks/{t}/updates/{u}/respond", {"response": "x"}),
        ("POST", f"/tasks/{t}/complete", {"note": "x"}),
        ("POST", f"/tasks/{t}/confirm", {"note": "x"}),
        ("POST", f"/tasks/{t}/return", {"reason": "x"}),
        ("POST", f"/tasks/{t}/cancel", {"reason": "x"}),
        ("POST", f"/tasks/{t}/extensions", {"deadline": deadline.isoformat(), "reason": "x"}),
        ("POST", f"/tasks/{t}/extensions/{e}/decide", {"approve": "1"}),
        ("POST", f"/tasks/{t}/move", {"direction": "up"}),
        ("POST", f"/tasks/{t}/delete", {}),
        ("GET", f"/attachments/{o['file'].id}", {}),
    ]


def directive_endpoints(o) -> list[tuple[str, str, dict]]:
    d = o["directive"].id
    return [
        ("GET", f"/directives/{d}", {}),
        ("GET", f"/directives/{d}/edit", {}),
        ("POST", f"/directives/{d}/edit", {"number": "1/X", "kind": "plan", "issued_on": "2025-01-01", "title": "x"}),
        ("GET", f"/directives/{d}/tasks/new", {}),
        ("POST", f"/directives/{d}/tasks/new", {"title": "x", "lead_unit_id": o["task"].lead_unit_id,
                                                "ongoing": "y", "priority": "normal"}),
        ("POST", f"/directives/{d}/tasks", {"rows-0-title": "x", "rows-0-lead_unit_id": o["task"].lead_unit_id,
                                            "rows-0-ongoing": "y", "rows-0-priority": "normal", "submit": "1"}),
        ("POST", f"/directives/{d}/publish", {}),
        ("GET", f"/attachments/{o['directive_file'].id}", {}),
    ]


def state(db) -> tuple:
    """What an action could change, in a few numbers."""
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(AuditEvent).where(~AuditEvent.action.like("auth.%"))),
            db.session.scalar(select(func.count()).select_from(Task)),
            db.session.scalar(select(func.sum(Task.version))),
            db.session.scalar(select(func.count()).select_from(ProgressUpdate)),
            db.session.scalar(select(func.count()).select_from(Notification)))


def request(client, method, url, data):
    response = download(client, url) if method == "GET" else client.post(url, data=data)
    return response


# Who does NOT see each object (written out by hand from domain.md, not computed from the code).
OUT_OF_REACH = {
    # a committee draft: nobody outside the committee
    "draft": ["hai.nv", "minh.pq", "hoa.nt", "tuan.la", "lan.nt", "quang.dv", "dung.tv", "khoa.dm", "binh.lv",
              "an.pt", "son.hx", "phuc.nd"],
    # the department's plan for its press division: not the other divisions, not the other departments
    "plan": ["tuan.la", "lan.nt", "quang.dv", "khoa.dm", "binh.lv", "an.pt", "son.hx", "phuc.nd"],
    # a committee task of the department with the radio-television station, assigned to dung.tv
    "press": ["tuan.la", "lan.nt", "quang.dv", "khoa.dm", "binh.lv", "an.pt", "phuc.nd"],
}
DIRECTIVE_OUT_OF_REACH = {
    "draft": OUT_OF_REACH["draft"],
    "plan": OUT_OF_REACH["plan"],
    "press": ["khoa.dm"],  # the demo directive: every other unit has a task of it in reach
}
ALL = [u.username for u in USERS]


@pytest.mark.parametrize("username", [name for name in ALL if any(name in v for v in OUT_OF_REACH.values())])
def test_out_of_reach_is_not_found(world, login_as, db, username):
    """Every endpoint on one object out of the user's reach, the pages and files of the others."""
    client = login_as(username)
    before = state(db)
    hidden = [name for name in ("press", "plan", "draft") if username in OUT_OF_REACH[name]]
    wrong = []
    for name in hidden:
        o = world[name]
        endpoints = task_endpoints(o)
        if username in DIRECTIVE_OUT_OF_REACH[name]:
            endpoints += directive_endpoints(o)
        if name != hidden[0]:  # the pages and the files are enough for the others
            endpoints = [e for e in endpoints if e[0] == "GET" and "/edit" not in e[1] and "/new" not in e[1]]
        secrets_ = [o["task"].title, o["directive"].number, "Thiếu nhân lực"]
        for method, url, data in endpoints:
            response = request(client, method, url, data)
            body = response.get_data(as_text=True)
            if response.status_code != 404 or any(s in body for s in secrets_) or PDF in response.data:
                wrong.append((method, url, response.status_code))
    assert wrong == []
    assert state(db) == before


@pytest.mark.parametrize("username", ["admin", "nga.tt", "hung.nv", "thu.lt"])
def test_the_committee_and_the_admin_see_everything(world, login_as, username):
    client = login_as(username)
    for o in world.values():
        for url in (f"/tasks/{o['task'].id}", f"/directives/{o['directive'].id}"):
            response = client.get(url)
            assert response.status_code == 200 and o["task"].title in main_text(response), url
        assert download(client, f"/attachments/{o['file'].id}").status_code == 200


@pytest.mark.parametrize(("username", "visible"), [
    ("hai.nv", {"plan", "press"}), ("hoa.nt", {"plan", "press"}), ("dung.tv", {"plan", "press"}),
    ("son.hx", {"press"}), ("tuan.la", set()), ("binh.lv", set()),
])
def test_lists_show_only_what_is_in_reach(world, login_as, username, visible):
    client = login_as(username)
    titles = task_titles(client.get("/tasks?view=all&per_page=200"))
    directives = main_text(client.get("/directives"))
    for name, o in world.items():
        assert (o["task"].title in titles) == (name in visible), name
        shown = o["directive"].number in directives
        assert shown == (username not in DIRECTIVE_OUT_OF_REACH[name]), name
        if name == "draft":  # nor by asking for its tasks by number
            assert task_titles(client.get(f"/tasks?directive={o['directive'].id}")) == []


# Actions on objects the user sees but may not act on: 403, nothing changes.
FORBIDDEN = [
    # a staff member on her own task (demo: IPv6, assigned to lan.nt)
    ("lan.nt", "IPv6", ["GET edit", "POST edit", "GET subtasks/new", "POST subtasks/new", "POST assign",
                        "POST confirm", "POST return", "POST cancel", "POST move", "POST delete"]),
    # the lead department's director on a task reported complete to the committee
    ("hai.nv", "Rà soát Kế hoạch", ["GET edit", "POST edit", "POST confirm", "POST return", "POST cancel",
                                    "POST move", "POST delete"]),
    # the committee's secretary records but does not decide (by default)
    ("thu.lt", "Rà soát Kế hoạch", ["POST confirm", "POST return", "POST cancel"]),
    # a cooperating unit contributes, nothing more
    ("son.hx", "Hướng dẫn, theo dõi", ["GET edit", "GET subtasks/new", "POST assign", "POST complete",
                                       "POST extensions", "POST confirm", "POST cancel"]),
    ("an.pt", "đề án phát thanh", ["POST complete", "POST extensions", "POST decide", "POST respond", "POST assign"]),
    # the assignee is not the one who assigns
    ("dung.tv", "Hướng dẫn, theo dõi", ["POST assign", "GET subtasks/new", "POST confirm"]),
    # the department cannot decide its own extension request
    ("hai.nv", "đề án phát thanh", ["POST decide"]),
]


def action_url(task: Task, action: str) -> tuple[str, str, dict]:
    method, name = action.split()
    data = {"edit": {"title": "x", "lead_unit_id": task.lead_unit_id, "ongoing": "y", "priority": "normal",
                     "assignee_id": 0, "version": task.version},
            "subtasks/new": {"title": "x", "lead_unit_id": task.lead_unit_id, "ongoing": "y", "priority": "normal",
                             "assignee_id": 0},
            "assign": {"assignee_id": 0}, "confirm": {}, "return": {"reason": "x"}, "cancel": {"reason": "x"},
            "move": {"direction": "up"}, "delete": {}, "complete": {"note": "x"},
            "extensions": {"deadline": "2099-01-01", "reason": "x"}, "respond": {"response": "x"},
            "decide": {"approve": "1"}}[name]
    if name == "decide":
        return method, f"/tasks/{task.id}/extensions/{task.pending_extension.id}/decide", data
    if name == "respond":
        return method, f"/tasks/{task.id}/updates/{task.updates[0].id}/respond", data
    return method, f"/tasks/{task.id}/{name}", data


@pytest.mark.parametrize(("username", "words", "actions"), FORBIDDEN, ids=[f"{u}-{w}" for u, w, _ in FORBIDDEN])
def test_forbidden_actions_on_visible_tasks(login_as, db, username, words, actions):
    client = login_as(username)
    task = task_like(db, words)
    assert client.get(f"/tasks/{task.id}").status_code == 200
    before = state(db)
    wrong = []
    for action in actions:
        method, url, data = action_url(task, action)
        response = download(client, url) if method == "GET" else client.post(url, data=data)
        # 403 with the rule's own reason ("Only the issuer can ...") or the generic one
        text = main_text(response)
        if response.status_code != 403 or not ("You do not have permission" in text or "Only " in text):
            wrong.append((action, response.status_code))
    assert wrong == []
    assert state(db) == before


@pytest.mark.parametrize("username", ["lan.nt", "binh.lv", "son.hx", "dung.tv"])
def test_editing_a_visible_directive_is_forbidden(login_as, db, username):
    client = login_as(username)
    d = task_like(db, "IPv6").directive
    assert client.get(f"/directives/{d.id}").status_code == 200
    before = state(db)
    for method, url, data in [("GET", f"/directives/{d.id}/edit", {}),
                              ("POST", f"/directives/{d.id}/edit", {"number": "1/X", "title": "x"}),
                              ("GET", f"/directives/{d.id}/tasks/new", {}),
                              ("POST", f"/directives/{d.id}/tasks/new", {"title": "x"}),
                              ("POST", f"/directives/{d.id}/tasks", {"rows-0-title": "x", "submit": "1"}),
                              ("POST", f"/directives/{d.id}/publish", {})]:
        assert request(client, method, url, data).status_code == 403, url
    assert state(db) == before


def test_sibling_department_gets_not_found_never_data(world, login_as, db):
    binh = login_as("binh.lv")  # home affairs; the press task involves information and the station only
    o = world["press"]
    task = o["task"]
    for url in (f"/tasks/{task.id}", f"/tasks/{task.id}/edit", f"/attachments/{o['file'].id}"):
        response = download(binh, url)
        assert response.status_code == 404, url
        assert "This page does not exist, or you may not see it." in main_text(response)
        assert task.title not in response.get_data(as_text=True) and PDF not in response.data
    # The demo directive is visible to him through his own task, which shows only that task.
    lgsp = task_like(db, "trục liên thông chia sẻ dữ liệu LGSP tỉnh")
    response = binh.get(f"/directives/{task.directive_id}")
    assert task_titles(response) == [lgsp.title]
    assert task.title not in task_titles(response)
    # Its sub-task, split off for the IT division, is not his to see, on either page.
    sub = lgsp.subtasks[0]
    assert binh.get(f"/tasks/{sub.id}").status_code == 404
    assert sub.title not in main_text(binh.get(f"/tasks/{lgsp.id}"))
    assert sub.title in main_text(login_as("hai.nv").get(f"/tasks/{lgsp.id}"))


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    o = world["press"]
    for method, url, data in task_endpoints(o) + directive_endpoints(o)[:-1]:
        response = request(client, method, url, data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
