"""The data model, one module per aggregate."""
from tracker.models.audit import AuditEvent
from tracker.models.calendar import CalendarDay, load_calendar
from tracker.models.directive import DIRECTIVE_KINDS, Attachment, Directive
from tracker.models.notification import Notification
from tracker.models.outbox import OutboxMessage
from tracker.models.reminder import ReminderSettings
from tracker.models.scheduler import SchedulerLease
from tracker.models.search import SearchDoc
from tracker.models.summary import DirectiveLed, MonthEnd, MonthTotal, PartSummary, PartTotal, TaskMonth, TaskSummary, TaskTotal, UnitTotal
from tracker.models.task import (
                                 PRIORITIES,
                                 OPEN_STATES,
                                 TASK_STATES,
                                 CompletionReport,
                                 CooperatingPart,
                                 DeadlineChange,
                                 ExtensionRequest,
                                 ProgressUpdate,
                                 Task,
                                 TaskOccurrence,
                                 task_cooperation,
)
from tracker.models.token import ApiToken, CalendarFeed
from tracker.models.unit import UNIT_CHANGE_KINDS, UNIT_KINDS, TaskTransfer, Unit, UnitChange, UnitChangeMember
from tracker.models.user import ROLES, LoginAttempt, User, UserSession
from tracker.models.version import DataVersion

__all__ = [
    "ApiToken", "AuditEvent", "Attachment", "CalendarFeed", "CalendarDay", "load_calendar", "CompletionReport", "CooperatingPart", "DataVersion", "DIRECTIVE_KINDS", "DeadlineChange", "Directive",
    "ExtensionRequest", "LoginAttempt", "Notification", "OutboxMessage", "PRIORITIES", "ReminderSettings", "SchedulerLease", "SearchDoc", "ProgressUpdate", "ROLES", "OPEN_STATES", "TASK_STATES",
    "DirectiveLed", "MonthEnd", "MonthTotal", "PartSummary", "PartTotal", "Task", "TaskMonth", "TaskOccurrence", "TaskSummary", "TaskTotal", "TaskTransfer", "UnitTotal", "UNIT_CHANGE_KINDS", "UNIT_KINDS", "Unit", "UnitChange", "UnitChangeMember", "User", "UserSession", "task_cooperation",
]
