"""GET /api/v1/openapi.json, generated from the declarations of tracker.schemas and a table of paths.

The schemas of bodies, answers and query parameters come from the same
classes the API validates and answers with (pydantic's JSON Schema, written
in OpenAPI 3.0's dialect: `nullable` for null, `enum` for constants), so
the document cannot drift from what the server does; schemathesis holds the
app to it in tests/api/test_openapi.py. This module only says which path
takes and returns which declaration, with which status codes. Additions to
api.md (the contract allows extending it) are marked "Extension" in their
descriptions: `POST /directives/{id}/publish`, directive list filters,
extra read-only fields (`url`, `ongoing`, `extended`, `tags`, ...).
"""
from __future__ import annotations

from copy import deepcopy
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from tracker import schemas as s

# Declaration -> its name in the document (the names clients know).
NAMES: dict[type[BaseModel], str] = {
    s.ErrorOut: "Error", s.UnitOut: "Unit", s.UnitPage: "UnitPage", s.DirectiveOut: "Directive",
    s.DirectivePage: "DirectivePage", s.DirectiveDetailOut: "DirectiveDetail", s.DirectiveIn: "NewDirective",
    s.TaskOut: "Task", s.TaskPage: "TaskPage", s.TaskIn: "NewTask", s.TaskPatch: "TaskPatch",
    s.UpdateOut: "Update", s.UpdatePage: "UpdatePage", s.UpdateIn: "NewUpdate", s.NoteIn: "Note",
    s.ReasonIn: "Reason", s.CompletionIn: "Completion", s.AssignIn: "Assignment", s.ExtensionDecisionIn: "ExtensionDecision", s.EmptyIn: "Empty", s.ExtensionIn: "NewExtension", s.ExtensionOut: "Extension",
    s.CountsOut: "Counts", s.UnitCountsOut: "UnitCounts", s.StatsOut: "Stats", s.NotificationOut: "Notification",
    s.NotificationPage: "NotificationPage", s.ExtractIn: "ExtractInput", s.ProposedTaskOut: "ProposedTask",
    s.ExtractOut: "ExtractResult", s.ErrorBody: "ErrorBody", s.RecurrenceOut: "Recurrence",
    s.CooperatingPartOut: "CooperatingPart", s.CooperatingPartIn: "NewCooperatingPart",
    s.CooperationIn: "NewCooperationReport",
    s.PartCountsOut: "PartCounts", s.UnitPartCountsOut: "UnitPartCounts", s.CooperatingCountsOut: "CooperatingCounts",
    s.SearchHitOut: "SearchHit", s.SearchPage: "SearchPage", s.TaskDetailOut: "TaskDetail",
    s.RecurrenceIn: "NewRecurrence", s.TaskRecurrenceOut: "TaskRecurrence", s.OccurrenceOut: "Occurrence",
}
INPUTS = {s.DirectiveIn, s.TaskIn, s.RecurrenceIn, s.TaskPatch, s.UpdateIn, s.NoteIn, s.ReasonIn, s.CompletionIn,
          s.AssignIn, s.ExtensionDecisionIn, s.EmptyIn, s.ExtensionIn, s.ExtractIn, s.CooperatingPartIn,
          s.CooperationIn}

ERRORS = {
    400: "Malformed JSON, or a body that is not an object.",
    401: "No token, or an unknown or revoked one.",
    403: "Outside the caller's role or reach.",
    404: "No such thing, or one the caller may not see.",
    409: "A stale `version`, or a change the task's state does not allow.",
    413: "A JSON body over 1 MB.",
    422: "Invalid field values or parameters; `fields` says which and why.",
}
READ_ERRORS = (401, 404, 422)
WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 422)
ETAG = {"ETag": {"description": "The task's version, quoted: send it back as If-Match.",
                 "schema": {"type": "string"}}}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
            "description": "The task's version (its ETag), unless the body's `version` is sent."}


# --- JSON Schema (pydantic) to OpenAPI 3.0 ------------------------------------------------------

def _dialect(schema: Any, names: dict[str, str]) -> Any:
    """OpenAPI 3.0's dialect of a JSON Schema: `nullable`, `enum` for `const`, component refs by name."""
    if isinstance(schema, list):
        return [_dialect(item, names) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {k: v for k, v in schema.items() if k != "title"}
    if "$ref" in schema:
        return {"$ref": "#/components/schemas/" + names[schema["$ref"].rsplit("/", 1)[-1]]}
    options = schema.get("anyOf")
    if options and {"type": "null"} in options:
        rest = [o for o in options if o != {"type": "null"}]
        inner = rest[0] if len(rest) == 1 else {"anyOf": rest}
        if "$ref" in inner:
            inner = {"allOf": [inner]}
        merged = {**{k: v for k, v in schema.items() if k != "anyOf"}, **inner, "nullable": True}
        return _dialect(merged, names)
    if "const" in schema:
        schema["enum"] = [schema.pop("const")]
    converted = {}
    for key, value in schema.items():
        if key in ("properties", "$defs"):  # names of fields, not keywords ("title" is a field of a task)
            converted[key] = {name: _dialect(sub, names) for name, sub in value.items()}
        elif key in ("default", "example", "enum"):
            converted[key] = value
        else:
            converted[key] = _dialect(value, names)
    return converted


@cache
def _components() -> dict[str, dict]:
    pairs = [(model, "validation" if model in INPUTS else "serialization") for model in NAMES]
    keys, top = models_json_schema(pairs, ref_template="#/$defs/{model}")
    defs = top.get("$defs", {})
    names = {ref["$ref"].rsplit("/", 1)[-1]: NAMES[model] for (model, _mode), ref in keys.items()}
    for key in defs:
        names.setdefault(key, key)
    inputs = {NAMES[model] for model in INPUTS}
    components = {names[key]: _dialect(schema, names) for key, schema in defs.items()}
    for name in inputs:  # a field left out of a body keeps its value (PATCH) or the workflow's: no default shown
        for prop in components[name].get("properties", {}).values():
            prop.pop("default", None)
    return components


def ref(model: type[BaseModel]) -> dict:
    return {"$ref": f"#/components/schemas/{NAMES[model]}"}


def parameters(model: type[s.Query]) -> list[dict]:
    """The query parameters a query declaration reads (absent means "not given": never null)."""
    schema = _dialect(model.model_json_schema(mode="validation", ref_template="#/$defs/{model}"), {})
    params = []
    for name, field_schema in schema["properties"].items():
        field_schema = {k: v for k, v in field_schema.items() if k not in ("nullable", "description")}
        if field_schema.get("default") in (None, []):
            field_schema.pop("default", None)
        param: dict[str, Any] = {"name": name, "in": "query", "required": model.model_fields[name].is_required(),
                                 "schema": field_schema}
        description = model.model_fields[name].description
        if description:
            param["description"] = description
        if field_schema.get("type") == "array":
            param.update(style="form", explode=True)
        params.append(param)
    return params


def path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


def error_responses(*codes: int) -> dict:
    return {str(code): {"description": ERRORS[code], "content": {"application/json": {"schema": ref(s.ErrorOut)}}}
            for code in codes}


def json_ok(model: type[BaseModel], description: str = "OK", code: int = 200, headers: dict | None = None) -> dict:
    response: dict[str, Any] = {"description": description,
                                "content": {"application/json": {"schema": ref(model)}}}
    if headers:
        response["headers"] = headers
    return {str(code): response}


def op(summary: str, responses: dict, *, tag: str, operation_id: str, path: list | None = None,
       query: type[s.Query] | None = None, headers: list | None = None, request: type[BaseModel] | None = None,
       required: bool = True, errors=(), description: str = "") -> dict:
    operation: dict[str, Any] = {"summary": summary, "operationId": operation_id, "tags": [tag],
                                 "responses": {**responses, **error_responses(*errors)}}
    if description:
        operation["description"] = description
    params = [*(path or []), *(parameters(query) if query else []), *(headers or [])]
    if params:
        operation["parameters"] = params
    if request is not None:
        operation["requestBody"] = {"required": required, "content": {"application/json": {"schema": ref(request)}}}
    return operation


def task_action(summary: str, request: type[BaseModel], operation_id: str, description: str = "",
                required: bool = True) -> dict:
    return {"post": op(summary, json_ok(s.TaskDetailOut, "The task after the change.", headers=ETAG),
                       path=[path_id("task_id")], query=s.AsOf, request=request, required=required, tag="tasks",
                       errors=WRITE_ERRORS, description=description, operation_id=operation_id)}


def paths() -> dict[str, dict]:
    return {
        "/openapi.json": {"get": {
            "summary": "This description", "operationId": "openapi", "tags": ["meta"], "security": [],
            "responses": {"200": {"description": "OpenAPI 3 document",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/units": {"get": op("The unit tree", json_ok(s.UnitPage), query=s.UnitsQuery, tag="units", errors=(401, 422),
                             operation_id="listUnits", description="Every unit, depth first, siblings by name.")},
        "/directives": {
            "get": op("Directives the caller may see, newest first", json_ok(s.DirectivePage), tag="directives",
                      query=s.DirectiveListQuery, errors=(401, 422), operation_id="listDirectives"),
            "post": op("Record a directive (a draft until published)",
                       json_ok(s.DirectiveDetailOut, "Created", 201,
                               {"Location": {"schema": {"type": "string"}, "description": "The new directive."}}),
                       request=s.DirectiveIn, tag="directives", errors=(400, 401, 403, 413, 422),
                       operation_id="createDirective",
                       description="Leaders and secretaries, for their own unit (admins for any)."),
        },
        "/directives/{directive_id}": {"get": op(
            "One directive with its tasks", json_ok(s.DirectiveDetailOut), tag="directives",
            path=[path_id("directive_id")], query=s.AsOf, errors=READ_ERRORS, operation_id="getDirective")},
        "/directives/{directive_id}/publish": {"post": op(
            "Extension: publish a draft", json_ok(s.DirectiveDetailOut), tag="directives",
            path=[path_id("directive_id")], query=s.AsOf, request=s.EmptyIn, required=False, errors=WRITE_ERRORS,
            operation_id="publishDirective",
            description="Its tasks become visible to their units, their people are notified and reminders start.")},
        "/directives/{directive_id}/tasks": {"post": op(
            "Add a task (or, with `parent`, a sub-task)",
            json_ok(s.TaskDetailOut, "Created", 201, {**ETAG, "Location": {"schema": {"type": "string"}}}), tag="tasks",
            path=[path_id("directive_id")], query=s.AsOf, request=s.TaskIn, errors=WRITE_ERRORS,
            operation_id="addTask",
            description="The issuing side adds tasks; the lead unit's leaders and secretaries split their task.")},
        "/tasks": {"get": op(
            "Tasks in the caller's reach", json_ok(s.TaskPage), tag="tasks", operation_id="listTasks",
            description="Ordered by deadline (ongoing last), then id.", query=s.TaskListQuery, errors=READ_ERRORS)},
        "/tasks/{task_id}": {
            "get": op("One task", json_ok(s.TaskDetailOut, headers=ETAG), tag="tasks", path=[path_id("task_id")],
                      query=s.AsOf, errors=READ_ERRORS, operation_id="getTask"),
            "patch": op("Edit a task", json_ok(s.TaskDetailOut, "The task after the change.", headers=ETAG), tag="tasks",
                        path=[path_id("task_id")], query=s.AsOf, headers=[IF_MATCH], request=s.TaskPatch,
                        errors=WRITE_ERRORS, operation_id="patchTask",
                        description="Send the version you read (If-Match or `version`): 409 if the task changed "
                                    "since. Progress, state and completion change through their own endpoints."),
        },
        "/tasks/{task_id}/updates": {
            "get": op("The task's progress reports, newest first", json_ok(s.UpdatePage), tag="tasks",
                      path=[path_id("task_id")], query=s.Paging, errors=READ_ERRORS, operation_id="listUpdates"),
            "post": op("Report progress", json_ok(s.UpdateOut, "Created", 201), tag="tasks",
                       path=[path_id("task_id")], request=s.UpdateIn, errors=WRITE_ERRORS, operation_id="postUpdate",
                       description="The lead side sets the task's progress; a cooperating unit posts a "
                                   "contribution."),
        },
        "/tasks/{task_id}/cooperation": {"post": op(
            "A cooperating unit reports on its part", json_ok(s.CooperatingPartOut, "Created: the part after the "
                                                                                    "report", 201),
            tag="tasks", path=[path_id("task_id")], request=s.CooperationIn, errors=WRITE_ERRORS,
            operation_id="reportCooperation",
            description="Only the people of that cooperating unit (403 for others who see the task). The report "
                        "is added to the task's history as a contribution; `done` marks the part done.")},
        "/tasks/{task_id}/assign": task_action(
            "Assign the task to a person of the lead unit, with an instruction", s.AssignIn, "assignTask",
            "The lead unit's leaders (and whoever may assign on the page)."),
        "/tasks/{task_id}/completion": task_action(
            "Report completion (state becomes submitted)", s.CompletionIn, "submitCompletion",
            "The lead side, with the results achieved (an empty `note` is 422) and the report's number and date; "
            "the issuer then confirms or returns it. On a periodic task it reports one period (`period`, default "
            "the earliest still open) done at once; the task stays open."),
        "/tasks/{task_id}/confirm": task_action("Confirm completion (state becomes done)", s.NoteIn,
                                                "confirmCompletion", "The issuing unit's leaders.", required=False),
        "/tasks/{task_id}/return": task_action("Return a completion report (state becomes open)", s.ReasonIn,
                                               "returnCompletion", "The issuing unit's leaders, with a reason."),
        "/tasks/{task_id}/cancel": task_action("Cancel the task (and its open sub-tasks)", s.ReasonIn, "cancelTask",
                                               "The issuing unit's leaders, with a reason."),
        "/tasks/{task_id}/extensions": {"post": op(
            "Ask for a later deadline", json_ok(s.ExtensionOut, "Created (state pending)", 201), tag="tasks",
            path=[path_id("task_id")], request=s.ExtensionIn, errors=WRITE_ERRORS, operation_id="requestExtension")},
        "/extensions/{extension_id}/approve": {"post": op(
            "Approve an extension (the deadline moves: to the date asked for, or to `deadline` with a `note`)",
            json_ok(s.ExtensionOut), tag="tasks",
            path=[path_id("extension_id")], request=s.ExtensionDecisionIn, required=False, errors=WRITE_ERRORS,
            operation_id="approveExtension")},
        "/extensions/{extension_id}/reject": {"post": op(
            "Reject an extension", json_ok(s.ExtensionOut), tag="tasks", path=[path_id("extension_id")],
            request=s.ExtensionDecisionIn, required=False, errors=WRITE_ERRORS, operation_id="rejectExtension")},
        "/stats": {"get": op(
            "The dashboard's figures", json_ok(s.StatsOut), tag="stats", operation_id="getStats",
            description="With no filter: every task led in the caller's reach, of published directives, as of "
                        "today. Leaders, secretaries and admins (staff: 403).",
            query=s.StatsQuery, errors=(401, 403, 422))},
        "/notifications": {"get": op(
            "The caller's notifications, newest first", json_ok(s.NotificationPage), tag="notifications",
            query=s.Paging, errors=(401, 422), operation_id="listNotifications")},
        "/search": {"get": op(
            "Full-text search", json_ok(s.SearchPage), tag="search", operation_id="search",
            description="Tasks (title, description), directives (number, title, signer, text), progress and "
                        "completion reports and the text of attached .docx, .xlsx and PDF files, "
                        "accent-insensitive, whole words, best matches first, within the caller's reach (what "
                        "the lists show). Words found in more than 2,000 texts are ranked among the newest "
                        "2,000 (unless the page asked for lies beyond them); `total` then counts those.",
            query=s.SearchQuery, errors=(401, 422))},
        "/extract": {"post": op(
            "Propose the tasks of a conclusion text", json_ok(s.ExtractOut), tag="directives", request=s.ExtractIn,
            errors=(400, 401, 403, 413, 422), operation_id="extractTasks",
            description="Nothing is saved. `start`/`end` are character offsets in `text`. Leaders, secretaries and "
                        "admins.")},
    }


@cache
def _document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Tracker API",
            "version": "1",
            "description": "Directives and tasks of the provincial administration (see README, \"JSON API\"). "
                           "Units are named by code, users by username; dates are YYYY-MM-DD, timestamps ISO "
                           "8601 with offset. Every request but this description needs `Authorization: Bearer "
                           "<token>`; a token acts with its user's role and reach.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": n} for n in ("units", "directives", "tasks", "stats", "notifications", "search", "meta")],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "A token from the profile page or "
                                                              "`flask users token USERNAME`."}},
            "schemas": _components(),
        },
    }


def spec() -> dict:
    """The document (a copy: callers may change it)."""
    return deepcopy(_document())
