"""The OpenAPI 3 description of /api/v1, written by hand from ../shared/design/api.md.

It is the contract the tests hold the app to (schemathesis): every path,
parameter, body, response and the error shape. Constraints declared here
are the ones the server enforces, no more and no less. Additions to api.md
(the contract allows extending it) are marked "Extension" in their
descriptions: `POST /directives/{id}/publish`, directive list filters,
extra read-only fields (`url`, `ongoing`, `extended`, `tags`, ...).
"""
from __future__ import annotations

from copy import deepcopy
from typing import Any

from tracker.models import DIRECTIVE_KINDS, PRIORITIES, TASK_STATES, UNIT_KINDS
from tracker.rules.status import STATUSES

TEXT_MAX = 100_000


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


STRING = {"type": "string"}
DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD, years 1900 to 2999."}
DATETIME = {"type": "string", "format": "date-time"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
RATE = {"type": "number", "minimum": 0, "maximum": 1, "nullable": True,
        "description": "Between 0 and 1; null when its denominator is 0."}


def obj(properties: dict, required: list[str] | None = None, closed: bool = False, description: str = "") -> dict:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if closed:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


def page_of(item: str) -> dict:
    return obj({
        "items": {"type": "array", "items": ref(item)},
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 200},
    }, ["items", "total", "page", "per_page"])


COUNT = {"type": "integer", "minimum": 0}
COUNT_NAMES = ["total", *STATUSES, "due_soon"]

SCHEMAS: dict[str, dict] = {
    "Error": obj({"error": obj({
        "code": {"type": "string", "description": "bad_request, unauthorized, forbidden, not_found, "
                                                  "method_not_allowed, conflict, request_entity_too_large, invalid"},
        "message": STRING,
        "fields": {"type": "object", "additionalProperties": STRING,
                   "description": "For 422: each invalid field (or parameter) and why."},
    }, ["code", "message", "fields"])}, ["error"]),
    "Unit": obj({
        "code": STRING, "name": STRING,
        "short_name": {**STRING, "description": "Extension."},
        "parent": nullable({**STRING, "description": "The parent unit's code; null for the root."}),
        "kind": {"type": "string", "enum": list(UNIT_KINDS)},
        "active": {**BOOLEAN, "description": "Extension: inactive units take no new tasks."},
    }, ["code", "name", "short_name", "parent", "kind", "active"]),
    "Directive": obj({
        "id": INTEGER, "number": STRING, "kind": {"type": "string", "enum": list(DIRECTIVE_KINDS)},
        "title": STRING, "issued_on": DATE, "issuing_unit": STRING, "signer": STRING, "text": STRING,
        "published": {**BOOLEAN, "description": "Extension: a draft's tasks are seen by the issuing side only."},
        "url": {**STRING, "description": "Extension: the directive's page."},
    }, ["id", "number", "kind", "title", "issued_on", "issuing_unit", "signer", "text", "published", "url"]),
    "DirectiveDetail": {"allOf": [ref("Directive"), obj({
        "tasks": {"type": "array", "items": ref("Task"),
                  "description": "The directive's tasks the caller may see, sub-tasks included, in order."},
    }, ["tasks"])]},
    "NewDirective": obj({
        "number": {"type": "string", "minLength": 1, "maxLength": 80, "example": "130/TB-UBND"},
        "kind": {"type": "string", "enum": list(DIRECTIVE_KINDS)},
        "title": {"type": "string", "minLength": 1, "maxLength": 1000},
        "issued_on": DATE,
        "issuing_unit": {"type": "string", "maxLength": 40,
                         "description": "Unit code; default: the caller's unit (one may only issue for it)."},
        "signer": {"type": "string", "maxLength": 255, "description": "Free text: name and title."},
        "text": STRING,
        "on_behalf_of": nullable({"type": "string", "maxLength": 80, "description":
                                  "Extension: username of the issuing unit's leader a secretary records for "
                                  "(a leader defaults to themself)."}),
    }, ["number", "kind", "title", "issued_on"], closed=True),
    "Task": obj({
        "id": INTEGER, "directive": INTEGER, "parent": nullable(INTEGER),
        "title": STRING, "description": STRING,
        "lead_unit": STRING, "cooperating_units": {"type": "array", "items": STRING},
        "assignee": nullable(STRING),
        "deadline": nullable({**DATE, "description": "The deadline in force now; null: ongoing."}),
        "original_deadline": nullable(DATE),
        "ongoing": {**BOOLEAN, "description": "Extension: no deadline (thường xuyên)."},
        "extended": {**BOOLEAN, "description": "Extension: the deadline was moved since publication."},
        "priority": {"type": "string", "enum": list(PRIORITIES)},
        "tags": {"type": "array", "items": STRING, "description": "Extension."},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        "state": {"type": "string", "enum": list(TASK_STATES)},
        "status": nullable({"type": "string", "enum": list(STATUSES),
                            "description": "On `as_of` (default today); null if the task did not exist then."}),
        "due_soon": {**BOOLEAN, "description": "Not done, and the deadline in force within the first reminder "
                                               "window (7 working days) of `as_of`."},
        "completed_on": nullable(DATE),
        "version": {**INTEGER, "description": "Send it back with PATCH (If-Match or `version`)."},
        "url": {**STRING, "description": "Extension: the task's page."},
    }, ["id", "directive", "parent", "title", "description", "lead_unit", "cooperating_units", "assignee",
        "deadline", "original_deadline", "ongoing", "extended", "priority", "tags", "progress", "state", "status",
        "due_soon", "completed_on", "version", "url"]),
    "NewTask": obj({
        "title": {"type": "string", "minLength": 1, "maxLength": 1000},
        "description": {"type": "string", "maxLength": TEXT_MAX},
        "lead_unit": {"type": "string", "maxLength": 40, "description": "Unit code, within the issuing unit."},
        "cooperating_units": {"type": "array", "maxItems": 100, "items": {"type": "string", "maxLength": 40}},
        "assignee": nullable({"type": "string", "maxLength": 80, "description": "Username in the lead unit."}),
        "deadline": nullable({**DATE, "description": "Null: ongoing (thường xuyên). Required: say which."}),
        "priority": {"type": "string", "enum": list(PRIORITIES)},
        "tags": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 100},
                 "description": "Extension."},
        "parent": nullable({"type": "integer", "description": "A task of this directive to split (sub-task)."}),
    }, ["title", "lead_unit", "deadline"], closed=True),
    "TaskPatch": obj({
        "title": {"type": "string", "minLength": 1, "maxLength": 1000},
        "description": {"type": "string", "maxLength": TEXT_MAX},
        "lead_unit": {"type": "string", "maxLength": 40},
        "cooperating_units": {"type": "array", "maxItems": 100, "items": {"type": "string", "maxLength": 40}},
        "assignee": nullable({"type": "string", "maxLength": 80}),
        "deadline": nullable(DATE),
        "priority": {"type": "string", "enum": list(PRIORITIES)},
        "tags": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 100}},
        "version": {**INTEGER, "description": "The version the change is based on, unless If-Match is sent."},
        "reason": {"type": "string", "maxLength": TEXT_MAX, "description": "Why the deadline changes (history)."},
    }, closed=True, description="Only the fields sent change. The issuing side may change any of them; the lead "
                                "unit's leaders and secretaries only `assignee`."),
    "Update": obj({
        "id": INTEGER, "task": INTEGER, "progress": nullable({"type": "integer", "minimum": 0, "maximum": 100}),
        "note": STRING, "difficulties": STRING, "proposals": STRING, "report_number": STRING,
        "contribution": {**BOOLEAN, "description": "From a cooperating unit (does not set the task's progress)."},
        "author": nullable(STRING), "unit": STRING, "reported_on": DATE, "created_at": DATETIME,
        "response": {**STRING, "description": "The issuer's answer to difficulties or proposals."},
    }, ["id", "task", "progress", "note", "difficulties", "proposals", "report_number", "contribution", "author",
        "unit", "reported_on", "created_at", "response"]),
    "NewUpdate": obj({
        "progress": nullable({"type": "integer", "minimum": 0, "maximum": 100,
                              "description": "Percent; required from the lead side, optional for a contribution."}),
        "note": {"type": "string", "maxLength": TEXT_MAX, "description": "The results."},
        "difficulties": {"type": "string", "maxLength": TEXT_MAX, "description": "Extension."},
        "proposals": {"type": "string", "maxLength": TEXT_MAX, "description": "Extension."},
        "report_number": {"type": "string", "maxLength": 80, "description": "Extension: the report's number."},
    }, closed=True),
    "Note": obj({"note": {"type": "string", "maxLength": TEXT_MAX}}, closed=True),
    "Reason": obj({"reason": {"type": "string", "minLength": 1, "maxLength": TEXT_MAX}}, ["reason"], closed=True),
    "Empty": obj({}, closed=True),
    "NewExtension": obj({"deadline": DATE, "reason": {"type": "string", "minLength": 1, "maxLength": TEXT_MAX}},
                        ["deadline", "reason"], closed=True),
    "Extension": obj({
        "id": INTEGER, "task": INTEGER, "deadline": {**DATE, "description": "The deadline asked for."},
        "old_deadline": nullable(DATE), "reason": STRING,
        "state": {"type": "string", "enum": ["pending", "approved", "rejected"]},
        "requested_by": nullable(STRING), "requested_at": DATETIME, "decided_by": nullable(STRING),
        "decision_note": STRING,
    }, ["id", "task", "deadline", "reason", "state"]),
    "Counts": obj({name: COUNT for name in COUNT_NAMES}, COUNT_NAMES,
                  description="`total` includes cancelled tasks."),
    "UnitCounts": obj({"unit": STRING, **{name: COUNT for name in COUNT_NAMES}, "completion_rate": RATE,
                       "on_time_rate": RATE}, ["unit", *COUNT_NAMES, "completion_rate", "on_time_rate"]),
    "Stats": obj({
        "as_of": DATE, "totals": ref("Counts"), "completion_rate": RATE, "on_time_rate": RATE,
        "by_unit": {"type": "array", "items": ref("UnitCounts"),
                    "description": "Each task counted under its lead unit."},
    }, ["as_of", "totals", "completion_rate", "on_time_rate", "by_unit"]),
    "Notification": obj({
        "id": INTEGER, "kind": STRING, "task": nullable(INTEGER), "title": STRING, "created_at": DATETIME,
        "read": BOOLEAN,
    }, ["id", "kind", "task", "title", "created_at", "read"]),
    "ExtractInput": obj({
        "text": {"type": "string", "minLength": 1, "description": "The conclusion notice's text."},
        "issued_on": nullable({**DATE, "description": "Extension: the notice's date, for relative deadlines "
                                                     "(default today)."}),
    }, ["text"], closed=True),
    "ProposedTask": obj({
        "title": STRING, "lead_unit": nullable(STRING), "cooperating_units": {"type": "array", "items": STRING},
        "deadline": nullable(DATE), "ongoing": BOOLEAN,
        "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0},
        "unknown_units": {"type": "array", "items": STRING,
                          "description": "Extension: unit-like names not in the registry."},
    }, ["title", "lead_unit", "cooperating_units", "deadline", "ongoing", "start", "end", "unknown_units"]),
    "ExtractResult": obj({"tasks": {"type": "array", "items": ref("ProposedTask")}}, ["tasks"]),
}
for _name in ("Unit", "Directive", "Task", "Update", "Notification"):
    SCHEMAS[_name + "Page"] = page_of(_name)

ERRORS = {
    400: "Malformed JSON, or a body that is not an object.",
    401: "No token, or an unknown or revoked one.",
    403: "Outside the caller's role or reach.",
    404: "No such thing, or one the caller may not see.",
    409: "A stale `version`, or a change the task's state does not allow.",
    413: "A JSON body over 1 MB.",
    422: "Invalid field values or parameters; `fields` says which and why.",
}


def error_responses(*codes: int) -> dict:
    return {str(code): {"description": ERRORS[code],
                        "content": {"application/json": {"schema": ref("Error")}}} for code in codes}


def json_ok(schema: dict, description: str = "OK", code: int = 200, headers: dict | None = None) -> dict:
    response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return {str(code): response}


def body(schema: str, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": ref(schema)}}}


def query(name: str, schema: dict, description: str = "") -> dict:
    param = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        param["description"] = description
    return param


def path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


PAGING = [
    query("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1}),
    query("per_page", {"type": "integer", "minimum": 1, "default": 50},
          "Items per page; values above 200 are served as 200."),
]
AS_OF = query("as_of", DATE, "Report status (and due_soon) as of this day; default today.")
UNIT_CODE = {"type": "string", "maxLength": 40}
ETAG = {"ETag": {"description": "The task's version, quoted: send it back as If-Match.", "schema": STRING}}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": STRING,
            "description": "The task's version (its ETag), unless the body's `version` is sent."}
READ_ERRORS = (401, 404, 422)
WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 422)


def op(summary: str, responses: dict, *, parameters: list | None = None, request: dict | None = None,
       tag: str, errors=(), description: str = "", operation_id: str) -> dict:
    operation: dict[str, Any] = {"summary": summary, "operationId": operation_id, "tags": [tag],
                                 "responses": {**responses, **error_responses(*errors)}}
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = parameters
    if request:
        operation["requestBody"] = request
    return operation


def task_action(summary: str, schema: str, operation_id: str, description: str = "", required: bool = True) -> dict:
    return {"post": op(summary, json_ok(ref("Task"), "The task after the change.", headers=ETAG),
                       parameters=[path_id("task_id"), AS_OF], request=body(schema, required), tag="tasks",
                       errors=WRITE_ERRORS, description=description, operation_id=operation_id)}


PATHS: dict[str, dict] = {
    "/openapi.json": {"get": {
        "summary": "This description", "operationId": "openapi", "tags": ["meta"], "security": [],
        "responses": {"200": {"description": "OpenAPI 3 document",
                              "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/units": {"get": op("The unit tree", json_ok(ref("UnitPage")), parameters=PAGING, tag="units",
                         errors=(401, 422), operation_id="listUnits",
                         description="Every unit, depth first, siblings by name.")},
    "/directives": {
        "get": op("Directives the caller may see, newest first", json_ok(ref("DirectivePage")), tag="directives",
                  parameters=[*PAGING, query("q", {"type": "string", "maxLength": 200},
                                             "Extension: number, summary or signer (accent-insensitive)."),
                              query("kind", {"type": "string", "enum": list(DIRECTIVE_KINDS)}, "Extension."),
                              query("year", {"type": "integer", "minimum": 1900, "maximum": 2999}, "Extension.")],
                  errors=(401, 422), operation_id="listDirectives"),
        "post": op("Record a directive (a draft until published)",
                   json_ok(ref("DirectiveDetail"), "Created", 201,
                           {"Location": {"schema": STRING, "description": "The new directive."}}),
                   request=body("NewDirective"), tag="directives", errors=(400, 401, 403, 413, 422),
                   operation_id="createDirective",
                   description="Leaders and secretaries, for their own unit (admins for any)."),
    },
    "/directives/{directive_id}": {"get": op(
        "One directive with its tasks", json_ok(ref("DirectiveDetail")), tag="directives",
        parameters=[path_id("directive_id"), AS_OF], errors=READ_ERRORS, operation_id="getDirective")},
    "/directives/{directive_id}/publish": {"post": op(
        "Extension: publish a draft", json_ok(ref("DirectiveDetail")), tag="directives",
        parameters=[path_id("directive_id"), AS_OF], request=body("Empty", required=False),
        errors=WRITE_ERRORS, operation_id="publishDirective",
        description="Its tasks become visible to their units, their people are notified and reminders start.")},
    "/directives/{directive_id}/tasks": {"post": op(
        "Add a task (or, with `parent`, a sub-task)",
        json_ok(ref("Task"), "Created", 201, {**ETAG, "Location": {"schema": STRING}}), tag="tasks",
        parameters=[path_id("directive_id"), AS_OF], request=body("NewTask"), errors=WRITE_ERRORS,
        operation_id="addTask",
        description="The issuing side adds tasks; the lead unit's leaders and secretaries split their task.")},
    "/tasks": {"get": op(
        "Tasks in the caller's reach", json_ok(ref("TaskPage")), tag="tasks", operation_id="listTasks",
        description="Ordered by deadline (ongoing last), then id.",
        parameters=[
            *PAGING,
            {"name": "status", "in": "query", "required": False, "style": "form", "explode": True,
             "schema": {"type": "array", "items": {"type": "string", "enum": list(STATUSES)}},
             "description": "Status on `as_of`; repeat (or comma-separate) for several."},
            query("unit", UNIT_CODE, "Lead or cooperating unit, with its sub-units."),
            query("lead_unit", UNIT_CODE, "Lead unit, with its sub-units."),
            query("assignee", {"type": "string", "maxLength": 80}, "Username."),
            query("directive", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}),
            query("due_before", DATE, "Deadline on or before."),
            query("due_after", DATE, "Deadline on or after."),
            query("q", {"type": "string", "maxLength": 200}, "Title or description, accent-insensitive."),
            AS_OF,
        ], errors=READ_ERRORS)},
    "/tasks/{task_id}": {
        "get": op("One task", json_ok(ref("Task"), headers=ETAG), tag="tasks",
                  parameters=[path_id("task_id"), AS_OF], errors=READ_ERRORS, operation_id="getTask"),
        "patch": op("Edit a task", json_ok(ref("Task"), "The task after the change.", headers=ETAG), tag="tasks",
                    parameters=[path_id("task_id"), AS_OF, IF_MATCH], request=body("TaskPatch"),
                    errors=WRITE_ERRORS, operation_id="patchTask",
                    description="Send the version you read (If-Match or `version`): 409 if the task changed "
                                "since. Progress, state and completion change through their own endpoints."),
    },
    "/tasks/{task_id}/updates": {
        "get": op("The task's progress reports, newest first", json_ok(ref("UpdatePage")), tag="tasks",
                  parameters=[path_id("task_id"), *PAGING], errors=READ_ERRORS, operation_id="listUpdates"),
        "post": op("Report progress", json_ok(ref("Update"), "Created", 201), tag="tasks",
                   parameters=[path_id("task_id")], request=body("NewUpdate"), errors=WRITE_ERRORS,
                   operation_id="postUpdate",
                   description="The lead side sets the task's progress; a cooperating unit posts a contribution."),
    },
    "/tasks/{task_id}/completion": task_action(
        "Report completion (state becomes submitted)", "Note", "submitCompletion",
        "The lead side; the issuer then confirms or returns it.", required=False),
    "/tasks/{task_id}/confirm": task_action("Confirm completion (state becomes done)", "Note", "confirmCompletion",
                                            "The issuing unit's leaders.", required=False),
    "/tasks/{task_id}/return": task_action("Return a completion report (state becomes open)", "Reason",
                                           "returnCompletion", "The issuing unit's leaders, with a reason."),
    "/tasks/{task_id}/cancel": task_action("Cancel the task (and its open sub-tasks)", "Reason", "cancelTask",
                                           "The issuing unit's leaders, with a reason."),
    "/tasks/{task_id}/extensions": {"post": op(
        "Ask for a later deadline", json_ok(ref("Extension"), "Created (state pending)", 201), tag="tasks",
        parameters=[path_id("task_id")], request=body("NewExtension"), errors=WRITE_ERRORS,
        operation_id="requestExtension")},
    "/extensions/{extension_id}/approve": {"post": op(
        "Approve an extension (the deadline moves)", json_ok(ref("Extension")), tag="tasks",
        parameters=[path_id("extension_id")], request=body("Note", required=False), errors=WRITE_ERRORS,
        operation_id="approveExtension")},
    "/extensions/{extension_id}/reject": {"post": op(
        "Reject an extension", json_ok(ref("Extension")), tag="tasks",
        parameters=[path_id("extension_id")], request=body("Note", required=False), errors=WRITE_ERRORS,
        operation_id="rejectExtension")},
    "/stats": {"get": op(
        "The dashboard's figures", json_ok(ref("Stats")), tag="stats", operation_id="getStats",
        description="With no filter: every task led in the caller's reach, of published directives, as of "
                    "today. Leaders, secretaries and admins (staff: 403).",
        parameters=[AS_OF, query("unit", UNIT_CODE, "Lead or cooperating unit, with its sub-units."),
                    query("directive", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}),
                    query("issuing_unit", UNIT_CODE, "Tasks issued by exactly this unit.")],
        errors=(401, 403, 422))},
    "/notifications": {"get": op(
        "The caller's notifications, newest first", json_ok(ref("NotificationPage")), tag="notifications",
        parameters=PAGING, errors=(401, 422), operation_id="listNotifications")},
    "/extract": {"post": op(
        "Propose the tasks of a conclusion text", json_ok(ref("ExtractResult")), tag="directives",
        request=body("ExtractInput"), errors=(400, 401, 403, 413, 422), operation_id="extractTasks",
        description="Nothing is saved. `start`/`end` are character offsets in `text`. Leaders, secretaries and "
                    "admins.")},
}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "Tracker API",
        "version": "1",
        "description": "Directives and tasks of the provincial administration (see README, \"JSON API\"). "
                       "Units are named by code, users by username; dates are YYYY-MM-DD, timestamps ISO 8601 "
                       "with offset. Every request but this description needs `Authorization: Bearer <token>`; "
                       "a token acts with its user's role and reach.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "tags": [{"name": n} for n in ("units", "directives", "tasks", "stats", "notifications", "meta")],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                           "description": "A token from the profile page or "
                                                          "`flask users token USERNAME`."}},
        "schemas": SCHEMAS,
    },
}


def spec() -> dict:
    """The document (a copy: callers may change it)."""
    return deepcopy(DOCUMENT)
