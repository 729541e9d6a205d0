"""No input gives a server error (reliability row 51).

Hypothesis sends hostile values to every parameter of every route taken from
the URL map: the route's own arguments (ids of 2**63 and -1, strings with NUL
or CR/LF), and, in the query string and the form, every name the pages and
the API read (ids, pages, dates of year 1 and 9999, enums, free text, `next`).
It does so signed in as each role (pages through the session, the API through
a bearer token). Every answer must be below 500; unexpected errors are
raised by the test app, so a failure shows its traceback. The same test runs
on SQLite and on PostgreSQL (make test runs both).
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.helpers import rules
from tracker.services.tokens import create_token

ROLES = ["admin", "nga.tt", "thu.lt", "hai.nv", "lan.nt"]
# Routes that end the caller's session or would lock the sweep out of the next requests.
SKIP = {"auth.logout", "auth.change_password", "auth.login"}

HOSTILE_IDS = ["9223372036854775808", "18446744073709551616", "-1", "0", "2147483648", "1e9", "0x10", " 1",
               "99999999999999999999999999999", "1.5", ""]
HOSTILE_DATES = ["0001-06-01", "9999-12-31", "2026-02-30", "31/02/2026", "10000-01-01", "-2026-01-01",
                 "2026-13-01", "1899-12-31", "3000-01-01"]
HOSTILE_TEXT = ["\x00", "a\x00b", "\r\nSet-Cookie: x=1", "%00", "<script>alert(1)</script>", "' OR 1=1 --",
                "𝕏" * 50, "x" * 5000, "\u202e", "../../etc/passwd", "None", "null", "[]"]
HOSTILE_NEXT = ["/\r\nLocation: https://evil.example", "//evil.example", "https://evil.example", "/\x00",
                "\\\\evil.example", "/tasks\r\n"]
# Names the pages and the API read from query strings and forms.
ID_NAMES = ["page", "per_page", "dpage", "unit", "lead_unit", "issuing_unit", "cooperating_unit", "assignee",
            "directive", "year", "month", "quarter", "parent", "object_id", "count", "progress", "version",
            "lead_unit_id", "assignee_id", "issuing_unit_id", "on_behalf_of_id", "unit_id", "parent_id",
            "cooperating_unit_ids", "digest_weekday", "send_hour", "digest_hour", "digest_minute",
            "overdue_first", "overdue_every", "escalate_after", "rows-0-lead_unit_id"]
DATE_NAMES = ["as_of", "due_before", "due_after", "start", "end", "period_start", "period_end", "done_from",
              "done_to", "deadline", "issued_on", "day", "rows-0-deadline", "since", "until"]
TEXT_NAMES = ["q", "tag", "view", "sort", "status", "period", "kind", "state", "priority", "title", "description",
              "results", "difficulties", "proposals", "report_number", "note", "reason", "response", "number",
              "signer", "text", "tags", "name", "code", "username", "email", "full_name", "role", "scope", "lang",
              "language", "action", "rows-0-title", "before_days", "approve", "direction"]


def _values():
    return st.fixed_dictionaries({}, optional={
        **{name: st.sampled_from(HOSTILE_IDS) for name in ID_NAMES},
        **{name: st.sampled_from(HOSTILE_DATES) for name in DATE_NAMES},
        **{name: st.sampled_from(HOSTILE_TEXT) for name in TEXT_NAMES},
        "next": st.sampled_from(HOSTILE_NEXT),
    })


def _path_values(rule):
    """Hostile values for each argument of the route (ints for <int:...>, strings otherwise)."""
    strategies = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if type(converter).__name__ == "IntegerConverter":
            strategies[name] = st.sampled_from([2**63, 2**64, 2**31, 10**20, 1, 0])
        else:
            strategies[name] = st.sampled_from(["x" * 300, "%00", "..", "a\x00b", "secret"])
    return st.fixed_dictionaries(strategies)


@pytest.fixture
def callers(app, demo, login_as):
    from sqlalchemy import select

    from tracker.database import db
    from tracker.models import User

    clients = {}
    for username in ROLES:
        user = db.session.scalar(select(User).where(User.username == username))
        _row, token = create_token(user, "no-500", actor=user)
        db.session.commit()
        clients[username] = (login_as(username), token)
    return clients


EXAMPLES = 2  # per route, method and role: hostile values drawn by Hypothesis


def _call(client, token, rule, method, path_args, values):
    url = rule.build(path_args, append_unknown=False)[1]
    if rule.rule.startswith("/api/"):
        body = values if method in ("POST", "PATCH", "PUT") else None
        response = client.open(url, method=method, query_string=values, json=body,
                               headers={"Authorization": f"Bearer {token}"})
    elif method == "GET":
        response = client.open(url, method=method, query_string=values)
    else:
        response = client.open(url, method=method, query_string={"next": values.get("next", "")}, data=values)
    return url, response


@pytest.mark.slow
@pytest.mark.parametrize("username", ROLES)
def test_no_input_gives_a_server_error(app, callers, username):
    client, token = callers[username]
    routes = [(rule, endpoint, methods) for rule, endpoint, methods in rules(app) if endpoint not in SKIP]
    assert len(routes) > 60
    checked = 0
    for rule, _endpoint, methods in routes:
        for method in methods:
            @given(path_args=_path_values(rule), values=_values())
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def sweep(path_args, values):
                url, response = _call(client, token, rule, method, path_args, values)
                assert response.status_code < 500, (method, url, values, response.status_code)

            sweep()
            checked += 1
    assert checked >= len(routes)
