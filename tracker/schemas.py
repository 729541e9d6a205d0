"""What the JSON API reads and returns, declared once per resource (api.md in code).

Each class is used three times: the API validates request bodies and query
strings with the input declarations (tracker.api.inputs), builds every
answer through the output declarations (tracker.api.serialize), and
`/api/v1/openapi.json` is generated from both (tracker.api.openapi). A field
added here is therefore validated, returned and documented at once.

Conventions of the contract: units are named by code, users by username,
dates are YYYY-MM-DD (years 1900-2999), timestamps ISO 8601 with offset.
Text may not hold NUL characters. Values are not coerced: a number sent
as a string is refused. Where the workflow checks a value with a message of
its own (an empty title, an unknown kind or priority), the declaration
documents the constraint (`minLength`, `enum`) and leaves the check, and its
message, to the workflow, so the pages and the API say the same thing.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

from tracker.lazytext import _l
from tracker.models import DIRECTIVE_KINDS, PRIORITIES, TASK_STATES, UNIT_KINDS
from tracker.rules.status import STATUSES

MIN_YEAR, MAX_YEAR = 1900, 2999  # dates outside make no sense here and overflow calendar arithmetic
MAX_ID = 2**31 - 1  # ids are 32-bit integers on every backend; larger ones name nothing
TITLE_MAX = 1000
TEXT_MAX = 100_000
MAX_PAGE = 1_000_000
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- value types --------------------------------------------------------------------------------

def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored (NUL characters, lone surrogates), or None."""
    if "\x00" in value:
        return str(_l("Must not contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return str(_l("Must be valid Unicode text."))
    return None


def _storable(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def parse_day(value: Any) -> date:
    """A date as YYYY-MM-DD within the supported years; ValueError with the user's message otherwise."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif not isinstance(value, str) or not _DATE.match(value):
        raise ValueError(str(_l("Must be a date as YYYY-MM-DD.")))
    else:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(str(_l("This date does not exist."))) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(str(_l("The year must be between %(first)d and %(last)d.", first=MIN_YEAR, last=MAX_YEAR)))
    return day


def Text(max_length: int | None = None, **schema: Any) -> Any:  # noqa: N802 - a type, spelled as one
    """A string field: strict (no coercion), storable, at most `max_length` characters."""
    return Annotated[str, Strict(), StringConstraints(max_length=max_length), AfterValidator(_storable),
                     Field(json_schema_extra=schema or None)]


Day = Annotated[date, BeforeValidator(parse_day), PlainSerializer(date.isoformat, return_type=str),
                WithJsonSchema({"type": "string", "format": "date",
                                "description": "YYYY-MM-DD, years 1900 to 2999."})]
Moment = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str),
                   WithJsonSchema({"type": "string", "format": "date-time"})]
Whole = Annotated[int, Strict()]
UnitCode = Text(40)
Username = Text(80)
Rate = Annotated[float | None, Field(ge=0, le=1, description="Between 0 and 1; null when its denominator is 0.")]
Count = Annotated[int, Field(ge=0)]
Status = Literal[STATUSES]  # type: ignore[valid-type]


class Input(BaseModel):
    """A request body: unknown fields refused, nothing coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=False, hide_input_in_errors=True,
                              defer_build=True)


class Output(BaseModel):
    """An answer: every field always present."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


# --- units --------------------------------------------------------------------------------------

class UnitOut(Output):
    code: str
    name: str
    short_name: str = Field(description="Extension.")
    parent: str | None = Field(description="The parent unit's code; null for the root.")
    kind: Literal[UNIT_KINDS]  # type: ignore[valid-type]
    active: bool = Field(description="Extension: inactive units take no new tasks.")
    ended_on: Day | None = Field(description="The first day the unit no longer existed (merged, split or dissolved); "
                                             "null for a living unit.")
    successors: list[str] = Field(description="Codes of the units that took over its work when it ended.")


# --- directives ---------------------------------------------------------------------------------

class DirectiveOut(Output):
    id: int
    number: str
    kind: Literal[DIRECTIVE_KINDS]  # type: ignore[valid-type]
    title: str
    issued_on: Day
    issuing_unit: str
    signer: str
    text: str
    published: bool = Field(description="Extension: a draft's tasks are seen by the issuing side only.")
    on_behalf_of: str | None = Field(description="Username of the leader the directive speaks for.")
    tracker: str | None = Field(description="Username of the person who tracks it (by default its recorder). "
                                            "With `on_behalf_of`, they receive its tasks' completion reports, "
                                            "extension requests and difficulties awaiting a decision.")
    url: str = Field(description="Extension: the directive's page.")


class DirectiveIn(Input):
    """A directive to record (a draft until published)."""

    number: Text(80, minLength=1, example="130/TB-UBND")
    kind: Text(enum=list(DIRECTIVE_KINDS))
    title: Text(TITLE_MAX, minLength=1)
    issued_on: Day
    issuing_unit: UnitCode = Field(None, description="Unit code; default: the caller's unit (one may only issue "
                                                     "for it).")
    signer: Text(255) = Field("", description="Free text: name and title.")
    text: Text() = ""
    on_behalf_of: Username | None = Field(None, description="Username of the issuing unit's leader the directive "
                                                            "speaks for (a leader defaults to themself).")
    tracker: Username | None = Field(None, description="Username of the issuing unit's secretary or leader who "
                                                       "tracks it; default: whoever records it.")


# --- tasks --------------------------------------------------------------------------------------

class CooperatingPartOut(Output):
    """A cooperating unit's part of a task (phần phối hợp)."""

    unit: str
    duty: str = Field(description="Its duty (nội dung phối hợp); empty: the task as a whole.")
    deadline: Day | None = Field(description="Its deadline in force: its own, never after the task's; null: ongoing.")
    status: Status | None = Field(description="By the task rules against its own deadline, on `as_of`.")
    done_on: Day | None = Field(description="The day the unit marked its part done.")
    progress: int | None = Field(ge=0, le=100, description="Extension: the unit's last percent, if it gave one.")
    assignee: str | None = Field(description="Extension: the person the unit put on it (null: its leaders).")


class TaskOut(Output):
    id: int
    directive: int
    parent: int | None
    title: str
    description: str
    lead_unit: str
    cooperating_units: list[str]
    assignee: str | None
    deadline: Day | None = Field(description="The deadline in force now; null: ongoing.")
    original_deadline: Day | None
    ongoing: bool = Field(description="Extension: no deadline (thường xuyên).")
    extended: bool = Field(description="Extension: the deadline was moved since publication.")
    priority: Literal[PRIORITIES]  # type: ignore[valid-type]
    tags: list[str] = Field(description="Extension.")
    progress: int = Field(ge=0, le=100)
    state: Literal[TASK_STATES]  # type: ignore[valid-type]
    status: Status | None = Field(description="On `as_of` (default today); null if the task did not exist then.")
    due_soon: bool = Field(description="Not done, and the deadline in force within the first reminder window "
                                       "(7 working days unless the admin changed it) of `as_of`.")
    completed_on: Day | None
    version: int = Field(description="Send it back with PATCH (If-Match or `version`).")
    url: str = Field(description="Extension: the task's page.")
    cooperating_parts: list[CooperatingPartOut] = Field(description="Each cooperating unit's part, in the unit "
                                                                    "tree's order.")


class TaskRecurrenceOut(Output):
    every: Literal["month", "quarter", "half_year", "year"]
    day: int | None = Field(description="The day of the period's last month each period is due by (clamped to "
                                        "the month's end); null: the period's last day.")
    until: Day | None = Field(description="No period is due after this day; null: no end.")


class OccurrenceOut(Output):
    period: str = Field(description="\"2026-11\" (month), \"Q4/2026\", \"6T1/2026\" (half year), \"2026\".")
    deadline: Day = Field(description="The period's deadline in force (after an approved extension).")
    state: Literal["open", "done", "cancelled"]
    status: Status | None = Field(description="On `as_of` (default today), by the rules of tasks.")
    completed_on: Day | None = Field(description="The date of the period's report.")


class TaskDetailOut(TaskOut):
    recurrence: TaskRecurrenceOut | None = Field(description="A periodic task (định kỳ); null for a one-off task.")
    occurrences: list[OccurrenceOut] = Field(description="A periodic task's periods so far (up to today + the first "
                                                         "reminder window), oldest first; empty for a one-off task.")


class DirectiveDetailOut(DirectiveOut):
    tasks: list[TaskOut] = Field(description="The directive's tasks the caller may see, sub-tasks included, in "
                                             "order.")


class CooperatingPartIn(Input):
    """A cooperating unit with its duty and own deadline."""

    unit: UnitCode
    duty: Text(5000) = Field("", description="Its duty (nội dung phối hợp).")
    deadline: Day | None = Field(None, description="Its own deadline, not after the task's; null: the task's.")


class _TaskFields(Input):
    """The fields of a task that the issuing side writes."""

    description: Text(TEXT_MAX) = ""
    cooperating_units: list[UnitCode | CooperatingPartIn] = Field(
        [], max_length=100, description="Unit codes, or objects with a duty and own deadline. A code alone keeps "
                                        "the duty and deadline the unit's part already has (none for a new one).")
    assignee: Username | None = Field(None, description="Username in the lead unit.")
    priority: Text(enum=list(PRIORITIES)) = "normal"
    tags: list[Text(100)] = Field([], max_length=20, description="Extension.")


class RecurrenceIn(Input):
    """How a periodic task recurs: "báo cáo trước ngày 20 hằng tháng" is {"every": "month", "day": 20}."""

    every: Text(enum=["month", "quarter", "half_year", "year"])
    day: Annotated[Whole, Field(ge=1, le=31)] | None = Field(
        None, description="The day of the period's last month each period is due by (clamped to the month's end); "
                          "null: the period's last day.")
    until: Day | None = Field(None, description="No period is due after this day; on or after the first deadline.")


class TaskIn(_TaskFields):
    """A task to add to a directive (or, with `parent`, a sub-task)."""

    title: Text(TITLE_MAX, minLength=1)
    lead_unit: UnitCode = Field(description="Unit code, within the issuing unit.")
    deadline: Day | None = Field(description="Null: ongoing (thường xuyên). Required: say which.")
    parent: Whole | None = Field(None, description="A task of this directive to split (sub-task).")
    recurrence: RecurrenceIn | None = Field(None, description="A periodic task: each period has its deadline, "
                                                              "reports and reminders; `deadline` is then ignored.")


class TaskPatch(_TaskFields):
    """Only the fields sent change. The issuing side may change any of them; the lead unit's leaders and
    secretaries only `assignee`."""

    title: Text(TITLE_MAX, minLength=1) = ""
    lead_unit: UnitCode = ""
    deadline: Day | None = None
    version: Whole = Field(0, description="The version the change is based on, unless If-Match is sent.")
    reason: Text(TEXT_MAX) = Field("", description="Why the deadline changes (history).")


class UpdateOut(Output):
    id: int
    task: int
    progress: int | None = Field(ge=0, le=100)
    note: str
    difficulties: str
    proposals: str
    report_number: str
    contribution: bool = Field(description="From a cooperating unit (does not set the task's progress).")
    author: str | None
    unit: str
    reported_on: Day
    created_at: Moment
    response: str = Field(description="The issuer's answer to difficulties or proposals.")


class UpdateIn(Input):
    """A progress report."""

    progress: Whole | None = Field(None, json_schema_extra={"minimum": 0, "maximum": 100},  # the workflow's check
                                   description="Percent; required from the lead side, optional for a contribution.")
    note: Text(TEXT_MAX) = Field("", description="The results.")
    difficulties: Text(TEXT_MAX) = Field("", description="Extension.")
    proposals: Text(TEXT_MAX) = Field("", description="Extension.")
    report_number: Text(80) = Field("", description="Extension: the report's number.")


class CooperationIn(Input):
    """A cooperating unit's report on its part."""

    note: Text(TEXT_MAX, minLength=1) = Field(description="What the unit did on its part (required).")
    done: bool = Field(False, description="The unit's part is done (it stays done).")
    progress: Whole | None = Field(None, json_schema_extra={"minimum": 0, "maximum": 100},
                                   description="Percent of the part, optional.")
    difficulties: Text(TEXT_MAX) = Field("", description="Extension.")
    proposals: Text(TEXT_MAX) = Field("", description="Extension.")
    report_number: Text(80) = Field("", description="Extension: the report's number.")


class NoteIn(Input):
    note: Text(TEXT_MAX) = ""


class AssignIn(Input):
    """A leader of the lead unit gives the task to one of its people, with the instruction that goes with it."""

    assignee: Username | None = Field(None, description="Username of a person of the lead unit; null: nobody (the "
                                                         "lead unit's leaders answer for it).")
    unit: UnitCode | None = Field(None, description="Or the code of a sub-unit of the lead unit: it gets a sub-task "
                                                    "of this task (same title and deadline, the instruction as its "
                                                    "description), as the page's \"split\" does. Not with `assignee`.")
    note: Text(5000) = Field("", description="The instruction (ý kiến giao việc): in the history and the "
                                            "assignee's notification.")
    version: int | None = Field(None, description="The task's version as loaded (or If-Match): 409 when stale.")


class ExtensionDecisionIn(Input):
    note: Text(TEXT_MAX) = ""
    deadline: Day | None = Field(None, description="Approve only: another date than the one asked for (then "
                                                   "`note` is required).")


class CompletionIn(Input):
    """A completion report: the results achieved (required: an empty one is 422) and the signed report."""

    note: Text(TEXT_MAX) = Field("", description="The results achieved (required).")
    report_number: Text(80) = Field("", description="The report's number, e.g. 620/BC-STTTT.")
    report_date: Day | None = Field(None, description="The report's date (not after today).")
    period: Text(12) | None = Field(None, description="Extension: for a periodic task, the period reported done "
                                                      "(default: the earliest still open); it is done at once.")


class ReasonIn(Input):
    reason: Text(TEXT_MAX, minLength=1)


class EmptyIn(Input):
    pass


class ExtensionIn(Input):
    deadline: Day
    reason: Text(TEXT_MAX, minLength=1)


class ExtensionOut(Output):
    id: int
    task: int
    deadline: Day = Field(description="The deadline asked for.")
    approved_deadline: Day | None = Field(description="The deadline granted (null until approved): the one asked "
                                                      "for, or another.")
    old_deadline: Day | None
    reason: str
    state: Literal["pending", "approved", "rejected"]
    requested_by: str | None
    requested_at: Moment
    decided_by: str | None
    decision_note: str


# --- stats, notifications, extraction -----------------------------------------------------------

class CountsOut(Output):
    """`total` includes cancelled tasks."""

    total: Count
    done_on_time: Count
    done_late: Count
    in_progress: Count
    overdue: Count
    cancelled: Count
    due_soon: Count


class UnitCountsOut(CountsOut):
    unit: str
    taken_over_from: list[str] = Field(description="Extension: codes of the former units whose tasks this unit "
                                                   "took over by `as_of` and counts here.")
    completion_rate: Rate
    on_time_rate: Rate


class PartCountsOut(Output):
    """Cooperating parts by status (parts of cancelled tasks left out)."""

    total: Count
    done_on_time: Count
    done_late: Count
    in_progress: Count
    overdue: Count


class UnitPartCountsOut(PartCountsOut):
    unit: str


class CooperatingCountsOut(PartCountsOut):
    by_unit: list[UnitPartCountsOut] = Field(description="Each part counted under its cooperating unit.")


class StatsOut(Output):
    as_of: Day
    totals: CountsOut
    completion_rate: Rate
    on_time_rate: Rate
    by_unit: list[UnitCountsOut] = Field(description="Each task counted under its lead unit.")
    cooperating: CooperatingCountsOut = Field(description="Extension: the cooperating parts of the tasks the "
                                                          "caller sees (any lead unit), by the task rules against "
                                                          "each part's own deadline in force today.")


class NotificationOut(Output):
    id: int
    kind: str
    task: int | None
    directive: int | None = Field(description="The directive it is about (its publication may concern several "
                                              "of the reader's tasks: then `task` is null).")
    title: str
    created_at: Moment
    read: bool


class SearchHitOut(Output):
    task: int | None = Field(description="The task the text belongs to; null for a directive's own texts.")
    directive: int
    where: Literal["task", "directive", "update", "completion", "attachment"] = Field(
        description="Where the words were found: the task's title or description, the directive (number, title, "
                    "signer, text), a progress report, a completion report, an attached file (name or text).")
    snippet: str = Field(description="The matching passage as HTML: the matching words in <mark>, every other "
                                     "character escaped.")
    title: str = Field(description="Extension: the task's title, or the directive's number and title.")
    url: str = Field(description="Extension: the page of the task or directive.")


class ExtractIn(Input):
    text: Text(minLength=1, description="The conclusion notice's text.")
    issued_on: Day | None = Field(None, description="Extension: the notice's date, for relative deadlines "
                                                    "(default today).")


class RecurrenceOut(Output):
    every: Literal["month", "quarter", "half_year", "year"]
    day: int | None = Field(ge=1, le=31, description="The day of the period the report is due by, if stated.")


class ProposedTaskOut(Output):
    title: str
    lead_unit: str | None = Field(description="Null when the text names no single unit (see `collective`) or no "
                                              "actor at all: the user chooses one before saving.")
    cooperating_units: list[str]
    deadline: Day | None
    ongoing: bool
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    unknown_units: list[str] = Field(description="Extension: unit-like names not in the registry.")
    collective: str | None = Field(description="Extension: a collective addressee as written (\"các sở, ban, "
                                               "ngành\"); the user expands it into one task per unit or keeps one.")
    cooperating_collective: list[str] = Field(description="Extension: collective cooperating phrases as written "
                                                          "(\"các sở, ngành liên quan\"), never expanded.")
    recurrence: RecurrenceOut | None = Field(description="Extension: the recurrence the text states (\"hằng "
                                                         "tháng\", \"trước ngày 20 hằng tháng\").")


class ExtractOut(Output):
    tasks: list[ProposedTaskOut]


class ErrorBody(Output):
    code: str = Field(description="bad_request, unauthorized, forbidden, not_found, method_not_allowed, conflict, "
                                  "request_entity_too_large, invalid")
    message: str
    fields: dict[str, str] = Field(description="For 422: each invalid field (or parameter) and why.")


class ErrorOut(Output):
    error: ErrorBody


# --- lists and their query strings --------------------------------------------------------------

def page_of(item: type[Output], name: str) -> type[Output]:
    """The contract's list shape around `item`."""
    return type(name, (Output,), {"__annotations__": {
        "items": list[item], "total": Annotated[int, Field(ge=0)],
        "page": Annotated[int, Field(ge=1)], "per_page": Annotated[int, Field(ge=1, le=MAX_PER_PAGE)]},
        "__module__": __name__})


UnitPage = page_of(UnitOut, "UnitPage")
DirectivePage = page_of(DirectiveOut, "DirectivePage")
TaskPage = page_of(TaskOut, "TaskPage")
UpdatePage = page_of(UpdateOut, "UpdatePage")
NotificationPage = page_of(NotificationOut, "NotificationPage")
SearchPage = page_of(SearchHitOut, "SearchPage")

QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Query(BaseModel):
    """A query string: each field a parameter; numbers are written as digits."""

    model_config = ConfigDict(extra="ignore", defer_build=True)


class Paging(Query):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(DEFAULT_PER_PAGE, ge=1, description="Items per page; values above 200 are served as 200.")


class UnitsQuery(Paging):
    include_former: bool = Field(False, description="Also list the former units (merged, split or dissolved).")


class AsOf(Query):
    as_of: Day | None = Field(None, description="Report status (and due_soon) as of this day; default today.")


class TaskListQuery(Paging, AsOf):
    status: list[Status] = Field([], description="Status on `as_of`; repeat (or comma-separate) for several.")
    unit: UnitCode | None = Field(None, description="Lead or cooperating unit, with its sub-units.")
    lead_unit: UnitCode | None = Field(None, description="Lead unit, with its sub-units.")
    assignee: Username | None = Field(None, description="Username.")
    directive: QueryId | None = None
    due_before: Day | None = Field(None, description="Deadline on or before.")
    due_after: Day | None = Field(None, description="Deadline on or after.")
    q: Text(200) | None = Field(None, description="Title or description, accent-insensitive.")


class DirectiveListQuery(Paging):
    q: Text(200) | None = Field(None, description="Extension: number, summary or signer (accent-insensitive).")
    kind: Literal[DIRECTIVE_KINDS] | None = Field(None, description="Extension.")  # type: ignore[valid-type]
    year: Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)] | None = Field(None, description="Extension.")


class SearchQuery(Paging):
    q: Text(200, minLength=1) = Field(description="Words to find, accent-insensitive; every word must occur, as a "
                                                  "whole word. Best matches first.")


class StatsQuery(AsOf):
    unit: UnitCode | None = Field(None, description="Lead or cooperating unit, with its sub-units.")
    directive: QueryId | None = None
    issuing_unit: UnitCode | None = Field(None, description="Tasks issued by exactly this unit.")
