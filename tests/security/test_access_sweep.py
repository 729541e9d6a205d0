"""The access sweep: every route of the URL map, every method, called by people who must not get through.

Rules are read from `app.url_map`, so a route added later is swept without
touching this file; a route whose URL names a kind of object the sweep does
not know fails `test_every_route_argument_is_understood` until it is taught.

- Anonymous: every method of every non-public route answers 302 to /login
  (pages) or 401 JSON (/api/v1), and reveals nothing.
- Signed in (each role, and a leader of a sibling department), with the ids
  of objects OUTSIDE the caller's reach filled in: 403 or 404 for every
  method, pages and API alike; the body never contains a foreign title; the
  database is not written (only the `auth.denied` audit row is allowed).
- Lists and exports (routes without ids), asked with foreign ids and words
  in the query string, never show a foreign object.
- Objects the caller may see but not act on: every action the reach
  predicates refuse answers 403 and writes nothing.
- Staff get 403 on the dashboards (and on /admin/*, see tests/test_reach.py).

tests/test_reach.py walks the same map with objects the caller may see;
this file is about objects they may not.
"""
from __future__ import annotations

import secrets
from datetime import date

import pytest
from flask import url_for
from sqlalchemy import select

from tests.security.helpers import (
    SWEEP_TEXT,
    ApiBodies,
    count_writes,
    form_payload,
    is_public,
    json_payload,
    readable_text,
    rules,
)
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
from tracker.services.tokens import create_token

# Signed-in callers: every role, at the root and in a department, a division, and a sibling department.
CALLERS = ["admin", "nga.tt", "thu.lt", "hai.nv", "tuan.la", "lan.nt", "binh.lv"]
KNOWN_ARGUMENTS = {"task_id", "directive_id", "attachment_id", "update_id", "extension_id", "notification_id",
                   "token_id", "feed_id", "unit_id", "user_id", "day", "secret", "filename"}
REFUSED = (403, 404)


def test_every_route_argument_is_understood(app):
    unknown = {(rule.rule, arg) for rule, _e, _m in rules(app) for arg in rule.arguments if arg not in KNOWN_ARGUMENTS}
    assert not unknown, f"teach tests/security/test_access_sweep.py which objects these name: {sorted(unknown)}"


# --- anonymous ----------------------------------------------------------------------------------

def test_anonymous_gets_sign_in_or_401_on_every_method_of_every_route(app, db, world):
    """Every method, not only the first (tests/test_reach.py calls one per route)."""
    task, directive = world.tasks["SNV"], world.directives["SNV"]
    values = {"task_id": task.id, "directive_id": directive.id, "attachment_id": directive.attachments[0].id,
              "update_id": task.updates[0].id, "extension_id": task.extensions[0].id,
              "notification_id": db.session.scalar(select(Notification.id).limit(1)),
              "token_id": db.session.scalar(select(ApiToken.id).limit(1)),
              "feed_id": db.session.scalar(select(CalendarFeed.id).limit(1)), "unit_id": task.lead_unit_id,
              "user_id": world.user("binh.lv").id, "day": "2030-01-02", "secret": secrets.token_urlsafe(32)}
    client = app.test_client()
    markers = list(world.markers.values()) + ["125/TB-UBND"]
    checked = 0
    with count_writes(db) as writes:
        for rule, endpoint, methods in rules(app):
            url = rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]
            for method in methods:
                response = client.open(url, method=method, data={"title": SWEEP_TEXT})
                where = (method, url, response.status_code)
                body = response.get_data(as_text=True)
                assert not any(m in body for m in markers), where
                if is_public(app, endpoint):
                    assert response.status_code < 500, where
                    if rule.arguments & {"secret"}:
                        assert response.status_code == 404, where  # a wrong secret shows nothing
                    continue
                checked += 1
                if url.startswith("/api/"):
                    assert response.status_code == 401, where
                    assert response.is_json and response.get_json()["error"]["code"] == "unauthorized", where
                    assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), where
                else:
                    assert response.status_code == 302, where
                    assert response.headers["Location"].startswith("/login?next="), where
    assert writes == [], writes[:5]
    assert checked > 60


# --- signed in, objects out of reach ------------------------------------------------------------

def _foreign_unit(world, username: str) -> Unit:
    """A unit outside the user's reach (their own unit when everything is in reach)."""
    me = world.user(username)
    for code in ("SNV", "STTTT-BCXB", "SKHCN"):
        if not reach.in_reach(me, world.units[code]):
            return world.units[code]
    return me.unit


def _foreign_cases(db, world, username: str, arguments: frozenset[str]) -> list[tuple[dict, str]]:
    """URL values naming objects `username` may not reach, with a description; [] if there are none."""
    me = world.user(username)
    hidden_tasks = world.invisible_tasks(username)
    # One published task of another unit; and the draft for its own lead unit, who must not see it yet.
    picked = [t for t in hidden_tasks if t.title.startswith("FOREIGN-") and t.directive.published][:1] + \
             [t for t in hidden_tasks if not t.directive.published and t.lead_unit_id == me.unit_id][:1]
    visible_task = next((t for t in db.session.scalars(select(Task).order_by(Task.id))
                         if reach.can_view_task(me, t) and t.updates and t.extensions), None)
    args = set(arguments) - {"filename"}
    if not args:
        return []
    if args <= {"task_id", "update_id", "extension_id"} and "task_id" in args:
        cases = []
        for task in picked:
            values = {"task_id": task.id}
            if "update_id" in args:
                if not task.updates:
                    continue
                values["update_id"] = task.updates[0].id
            if "extension_id" in args:
                if not task.extensions:
                    continue
                values["extension_id"] = task.extensions[0].id
            cases.append((values, f"task {task.title[:20]}"))
        # A visible task with a foreign task's update or extension: the pair must be checked too.
        child = "update_id" if "update_id" in args else "extension_id" if "extension_id" in args else None
        if child and visible_task is not None:
            for task in picked:
                rows = task.updates if child == "update_id" else task.extensions
                if rows:
                    cases.append(({"task_id": visible_task.id, child: rows[0].id},
                                  f"visible task {visible_task.id} with a foreign {child}"))
                    break
        return cases
    if args == {"task_id", "unit_id"}:  # a cooperating part: a hidden task's part, or the user's own unit's
        return [({"task_id": t.id, "unit_id": t.cooperating_parts[0].unit_id if t.cooperating_parts else me.unit_id},
                 f"part of {t.title[:20]}") for t in picked]
    if args == {"extension_id"}:
        return [({"extension_id": t.extensions[0].id}, f"extension of {t.title[:20]}") for t in picked if t.extensions]
    if args == {"directive_id"}:
        hidden = world.invisible_directives(username)
        chosen = [d for d in hidden if d.published and d.title.startswith("FOREIGN-")][:1] + \
                 [d for d in hidden if not d.published and any(t.lead_unit_id == me.unit_id for t in d.tasks)][:1]
        return [({"directive_id": d.id}, f"directive {d.title[:20]}") for d in chosen]
    if args == {"attachment_id"}:
        hidden_t = {t.id for t in hidden_tasks}
        hidden_d = {d.id for d in world.invisible_directives(username)}
        found = []
        for item in db.session.scalars(select(Attachment).order_by(Attachment.id)):
            owner_hidden = (item.update.task_id in hidden_t) if item.update_id else (item.directive_id in hidden_d)
            if owner_hidden:
                found.append(({"attachment_id": item.id}, f"attachment {item.original_name}"))
        return found[:2]
    if args == {"notification_id"}:
        other = db.session.scalar(select(Notification.id).where(Notification.user_id != me.id).limit(1))
        return [({"notification_id": other}, "another user's notification")]
    if args == {"token_id"}:
        other = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id != me.id).limit(1))
        return [({"token_id": other}, "another user's API token")]
    if args == {"feed_id"}:
        other = db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id != me.id).limit(1))
        return [({"feed_id": other}, "another user's calendar feed")]
    if args <= {"unit_id", "user_id", "day"}:
        return []  # admin-only routes: tests/test_reach.py checks that non-admins get 403 there
    if args == {"secret"}:
        return [({"secret": secrets.token_urlsafe(32)}, "a guessed secret")]
    raise AssertionError(f"no foreign values for {sorted(args)}: teach _foreign_cases")


def _version(db, values: dict) -> int:
    task = db.session.get(Task, values["task_id"]) if "task_id" in values else None
    return task.version if task else 1


@pytest.fixture
def tokens(db, world):
    found = {}
    for username in CALLERS:
        _row, token = create_token(world.user(username), "sweep")
        found[username] = token
    db.session.commit()
    return found


def test_nobody_reaches_objects_outside_their_reach(app, db, world, login_as, tokens):
    """Every route naming an object, every method, for every caller, with that caller's foreign objects."""
    bodies = ApiBodies(app)
    failures: list[str] = []
    checked = 0
    for username in CALLERS:
        client = login_as(username)
        api = app.test_client()
        auth = {"Authorization": f"Bearer {tokens[username]}"}
        me = world.user(username)
        markers = world.foreign_markers(username)
        unit = _foreign_unit(world, username)
        cases: dict[frozenset, list] = {}  # the same objects for every route naming the same kinds
        for rule, endpoint, methods in rules(app):
            if not rule.arguments or rule.rule.startswith("/admin/") or is_public(app, endpoint) \
                    and "secret" not in rule.arguments:
                continue
            kinds = frozenset(rule.arguments)
            if kinds not in cases:
                cases[kinds] = _foreign_cases(db, world, username, kinds)
            for values, what in cases[kinds]:
                url = rule.build(values, append_unknown=False)[1]
                version = _version(db, values)
                for method in methods:
                    with count_writes(db) as writes:
                        if url.startswith("/api/"):
                            body = None if method == "GET" else bodies.body(
                                rule.rule, method, json_payload(unit.code, me.username, version))
                            response = api.open(url, method=method, json=body, headers=auth)
                        else:
                            data = None if method == "GET" else form_payload(unit.id, me.id, version)
                            response = client.open(url, method=method, data=data)
                    checked += 1
                    where = f"{username} {method} {url} ({what}) -> {response.status_code}"
                    text = readable_text(response)
                    if response.status_code not in REFUSED:
                        failures.append(where)
                    elif url.startswith("/api/") and not (response.is_json and "error" in response.get_json()):
                        failures.append(where + ": not a JSON error")
                    if any(m in text for m in markers):
                        failures.append(where + ": shows a foreign title")
                    if writes:
                        failures.append(where + f": wrote {writes[:2]}")
        # The caller's session survived the sweep (nothing signed them out or broke it).
        assert client.get("/").status_code == 200, username
    assert not failures, "\n".join(failures)
    assert checked > 150
    # Nothing anywhere carries the sweep's text.
    for model, column in ((Task, Task.title), (Directive, Directive.title), (ProgressUpdate, ProgressUpdate.results),
                          (ExtensionRequest, ExtensionRequest.reason)):
        assert db.session.scalar(select(model.id).where(column.contains(SWEEP_TEXT))) is None, model


def test_lists_and_exports_never_show_foreign_objects(app, db, world, login_as, tokens):
    """Routes without ids, asked with foreign ids and words in the query string."""
    failures, checked = [], 0
    for username in ("hai.nv", "lan.nt", "binh.lv"):  # a department, a division's staff, a sibling department
        markers = world.foreign_markers(username)
        assert markers, username
        client = login_as(username)
        api = app.test_client()
        unit = _foreign_unit(world, username)
        hidden = world.invisible_tasks(username)[0]
        query = {"q": "FOREIGN", "view": "all", "unit": unit.id, "lead_unit": unit.id, "issuing_unit": unit.id,
                 "cooperating_unit": unit.id, "directive": hidden.directive_id, "state": "draft",
                 "assignee": hidden.assignee_id or "", "as_of": date.today().isoformat()}
        for rule, endpoint, methods in rules(app):
            if rule.arguments or "GET" not in methods or is_public(app, endpoint) or rule.rule.startswith("/admin"):
                continue
            # All at once, then each alone (one refused filter must not hide another's leak).
            for args in ({}, query, *({name: value} for name, value in query.items())):
                if rule.rule.startswith("/api/"):
                    response = api.get(rule.rule, query_string=args,
                                       headers={"Authorization": f"Bearer {tokens[username]}"})
                else:
                    response = client.get(rule.rule, query_string=args)
                checked += 1
                where = f"{username} GET {rule.rule} {args and 'with foreign filters'} -> {response.status_code}"
                if response.status_code >= 500:
                    failures.append(where)
                text = readable_text(response)
                leaked = [m for m in markers if m in text]
                if leaked:
                    failures.append(f"{where}: shows {leaked}")
    assert not failures, "\n".join(failures)
    assert checked > 20


# --- signed in, objects in sight but not theirs to act on --------------------------------------

def _respond_ok(user, task):
    return reach.is_issuer(user, task) or (user.role == "leader" and reach.in_reach(user, task.lead_unit))


# What each action on a task asks of its caller (tracker/rules/reach.py). A new action on a task,
# an update or an extension must be added here.
TASK_ACTIONS = {
    "tasks.post_update": lambda u, t: reach.can_report(u, t) or reach.can_contribute(u, t),
    "api.post_update": lambda u, t: reach.can_report(u, t) or reach.can_contribute(u, t),
    "tasks.complete": reach.can_report, "api.submit_completion": reach.can_report,
    "tasks.report_period": reach.can_report,
    "tasks.request_extension": reach.can_report, "api.request_extension": reach.can_report,
    "tasks.confirm": reach.can_decide, "api.confirm": reach.can_decide,
    "tasks.return_report": reach.can_decide, "api.return_report": reach.can_decide,
    "tasks.cancel": reach.can_decide, "api.cancel": reach.can_decide,
    "tasks.decide_extension": reach.can_decide, "api.approve_extension": reach.can_decide,
    "api.reject_extension": reach.can_decide,
    "tasks.edit": reach.is_issuer, "tasks.move": reach.is_issuer, "tasks.delete": reach.is_issuer,
    "api.patch_task": reach.is_issuer,
    "tasks.assign": reach.can_assign, "api.assign": reach.can_assign, "tasks.new_subtask": reach.can_split, "tasks.respond": _respond_ok,
    "notifications.remind_now": reach.can_remind,
    "api.report_cooperation": reach.can_contribute,
    # (the sweep acts on the task's first cooperating part)
    "tasks.assign_part": lambda u, t: bool(t.cooperating_parts) and t.directive.published
    and reach.can_assign_part(u, t.cooperating_parts[0]),
}
DIRECTIVE_ACTIONS = {"directives.edit", "directives.extract_tasks", "directives.extract_save", "directives.publish", "directives.delete",
                     "directives.add_tasks", "tasks.new", "api.publish_directive", "api.add_task"}
READ_ONLY = {"tasks.show", "api.get_task", "api.list_updates", "directives.show", "api.get_directive",
             "directives.attachment"}


def test_every_action_on_a_task_or_directive_has_a_known_rule(app):
    missing = []
    for rule, endpoint, _methods in rules(app):
        if rule.arguments & {"task_id", "extension_id", "update_id"} and endpoint not in TASK_ACTIONS | \
                dict.fromkeys(READ_ONLY):
            missing.append(endpoint)
        if "directive_id" in rule.arguments and endpoint not in DIRECTIVE_ACTIONS | READ_ONLY:
            missing.append(endpoint)
    assert not missing, f"add these to TASK_ACTIONS or DIRECTIVE_ACTIONS with their rule: {missing}"


def test_actions_the_rules_refuse_answer_403_and_change_nothing(app, db, world, login_as, tokens):
    """Staff, a division leader and a sibling department's leader on the tasks they may see but not manage."""
    bodies = ApiBodies(app)
    failures, checked = [], 0
    for username in ("lan.nt", "tuan.la", "binh.lv"):
        me = world.user(username)
        client = login_as(username)
        api = app.test_client()
        auth = {"Authorization": f"Bearer {tokens[username]}"}
        unit = _foreign_unit(world, username)
        visible = [t for t in db.session.scalars(select(Task).order_by(Task.id)) if reach.can_view_task(me, t)]
        assert visible, username
        for rule, endpoint, methods in rules(app):
            if endpoint in READ_ONLY or not rule.arguments & {"task_id", "extension_id", "directive_id"}:
                continue
            for task in visible:
                if endpoint in DIRECTIVE_ACTIONS:
                    if reach.can_edit_directive(me, task.directive) or task.parent_id:
                        continue
                    values = {"directive_id": task.directive_id}
                elif TASK_ACTIONS[endpoint](me, task):
                    continue
                else:
                    values = {"task_id": task.id}
                    if "update_id" in rule.arguments:
                        if not task.updates:
                            continue
                        values["update_id"] = task.updates[0].id
                    if "extension_id" in rule.arguments:
                        if not task.extensions:
                            continue
                        values["extension_id"] = task.extensions[0].id
                    if "unit_id" in rule.arguments:  # a cooperating part
                        if not task.cooperating_parts:
                            continue
                        values["unit_id"] = task.cooperating_parts[0].unit_id
                    if "task_id" not in rule.arguments:
                        values.pop("task_id")
                url = rule.build(values, append_unknown=False)[1]
                for method in methods:
                    with count_writes(db) as writes:
                        if url.startswith("/api/"):
                            body = None if method == "GET" else bodies.body(
                                rule.rule, method, json_payload(unit.code, me.username, task.version))
                            response = api.open(url, method=method, json=body, headers=auth)
                        else:
                            data = None if method == "GET" else form_payload(unit.id, me.id, task.version)
                            response = client.open(url, method=method, data=data)
                    checked += 1
                    where = f"{username} {method} {url} ({endpoint} on task {task.id}) -> {response.status_code}"
                    if response.status_code != 403:
                        failures.append(where)
                    if writes:
                        failures.append(where + f": wrote {writes[:2]}")
    assert not failures, "\n".join(failures)
    assert checked > 40


# --- function level --------------------------------------------------------------------------------

# The unit dashboard shows staff their own unit (domain.md), and the home page is that dashboard for them;
# the others are the leaders' dashboards and reports.
STAFF_DASHBOARDS = {"dashboard.unit", "dashboard.home"}


def test_staff_get_403_on_every_leader_dashboard_and_admin_page(app, db, world, login_as):
    client = login_as("lan.nt")
    seen = []
    for rule, endpoint, methods in rules(app):
        if not (endpoint.startswith("dashboard.") or rule.rule.startswith("/admin/")) or rule.arguments - {"day"} \
                or endpoint in STAFF_DASHBOARDS:
            continue
        url = rule.build({"day": "2030-01-02"}, append_unknown=False)[1]
        for method in methods:
            response = client.open(url, method=method, data={"title": SWEEP_TEXT})
            assert response.status_code == 403, (method, url, response.status_code)
            seen.append(endpoint)
    assert any(e.startswith("dashboard.") for e in seen) and any(e.startswith("admin.") for e in seen)
    # The unit dashboard is theirs, but only for units in their reach.
    for endpoint in STAFF_DASHBOARDS:
        with app.test_request_context():
            mine, foreign = url_for(endpoint), url_for(endpoint, unit=world.units["SNV"].id)
        assert client.get(mine).status_code == 200
        assert client.get(foreign).status_code == 403


def test_a_denial_is_audited_with_its_path(app, db, world, login_as):
    from tracker.models import AuditEvent

    client = login_as("lan.nt")
    assert client.get("/dashboard").status_code == 403
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.denied")
                              .order_by(AuditEvent.id.desc()))
    assert event is not None
    assert event.actor_id == world.user("lan.nt").id
    assert event.changes["path"] == "/dashboard" and event.changes["method"] == "GET"
    assert event.summary == "GET /dashboard"
    assert event.at.utcoffset().total_seconds() == 0


def test_ids_of_missing_objects_are_not_errors(app, db, world, login_as, tokens):
    """Ids that exist nowhere (or overflow the database's integer) give 404, never 500."""
    client = login_as("nga.tt")
    auth = {"Authorization": f"Bearer {tokens['nga.tt']}"}
    api = app.test_client()
    failures = []
    for rule, endpoint, methods in rules(app):
        ints = {a for a in rule.arguments if a.endswith("_id")}
        if not ints or rule.rule.startswith("/admin/") or rule.arguments - ints:
            continue
        for big in (999_999, 2**31, 2**63):
            url = rule.build({a: big for a in ints}, append_unknown=False)[1]
            for method in methods:
                if url.startswith("/api/"):
                    response = api.open(url, method=method, json={} if method != "GET" else None, headers=auth)
                else:
                    response = client.open(url, method=method, data={})
                if response.status_code not in (404, 422):
                    failures.append(f"{method} {url} -> {response.status_code}")
    assert not failures, "\n".join(failures)
    assert db.session.scalar(select(User.id).where(User.username == "nga.tt"))
