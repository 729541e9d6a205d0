"""User-facing names of enumerations, through the translation catalogue."""
from tracker.lazytext import _l

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "leader": _l("Leader"),
    "secretary": _l("Monitoring officer"),
    "staff": _l("Staff"),
}

UNIT_KIND_LABELS = {
    "province": _l("Province committee"),
    "department": _l("Department"),
    "agency": _l("Agency"),
    "commune": _l("Commune or ward"),
    "district": _l("District"),
    "division": _l("Division"),
}

LANGUAGE_LABELS = {"vi": "Tiếng Việt", "en": "English"}

STATUS_LABELS = {
    "done_on_time": _l("Done on time"),
    "done_late": _l("Done late"),
    "in_progress": _l("In progress"),
    "overdue": _l("Overdue"),
    "cancelled": _l("Cancelled"),
}

STATE_LABELS = {
    "open": _l("Open"),
    "submitted": _l("Completion reported"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}

SEARCH_WHERE_LABELS = {
    "task": _l("Task"),
    "directive": _l("Directive"),
    "update": _l("Progress report"),
    "completion": _l("Completion report"),
    "attachment": _l("Attached file"),
}

PRIORITY_LABELS = {"normal": _l("Normal"), "high": _l("High"), "urgent": _l("Urgent")}

# A periodic task's recurrence ("" = a one-off task).
RECURRENCE_LABELS = {"": _l("None (one-off task)"), "month": _l("Monthly"), "quarter": _l("Quarterly"),
                     "half_year": _l("Half-yearly"), "year": _l("Yearly")}

DIRECTIVE_KIND_LABELS = {
    "conclusion": _l("Conclusion notice"),
    "official_letter": _l("Official letter"),
    "decision": _l("Decision"),
    "plan": _l("Plan"),
    "other": _l("Other"),
}

EXTENSION_STATE_LABELS = {"pending": _l("Waiting for decision"), "approved": _l("Approved"),
                          "rejected": _l("Rejected")}
REPORT_STATE_LABELS = {"pending": _l("Waiting for confirmation"), "confirmed": _l("Confirmed"),
                       "returned": _l("Returned")}

# How a person is told, per kind of message (tracker.rules.preferences).
CHANNEL_LABELS = {
    "email": _l("E-mail and bell"),
    "bell": _l("Bell only"),
    "digest": _l("Weekly digest only"),
}

MESSAGE_GROUP_LABELS = {
    "new_work": _l("New tasks for me or my unit"),
    "reminders": _l("Deadline reminders"),
    "awaiting": _l("Reports awaiting my decision"),
    "answers": _l("Answers to my reports"),
}

NOTIFICATION_LABELS = {
    "assigned": _l("New task for you"),
    "cooperating": _l("New cooperating part for your unit"),
    "response": _l("Answer to your report"),
    "submitted": _l("Completion reported"),
    "confirmed": _l("Completion confirmed"),
    "returned": _l("Completion report returned"),
    "extension_requested": _l("Extension requested"),
    "difficulty": _l("Difficulty or proposal awaiting a decision"),
    "extension_approved": _l("Extension approved"),
    "extension_rejected": _l("Extension rejected"),
    "reminder": _l("Reminder"),
    "unit_change": _l("Work taken over from a former unit"),
}

UNIT_CHANGE_LABELS = {
    "rename": _l("Renamed"),
    "merge": _l("Merged"),
    "split": _l("Split"),
    "dissolve": _l("Dissolved"),
}

AUDIT_LABELS = {
    "auth.login": _l("Signed in"),
    "auth.login_failed": _l("Failed sign-in"),
    "auth.logout": _l("Signed out"),
    "auth.password_changed": _l("Changed password"),
    "directive.create": _l("Recorded the document"),
    "directive.update": _l("Edited the document"),
    "directive.publish": _l("Published the document"),
    "directive.import": _l("Imported the document from a spreadsheet"),
    "tasks.import": _l("Imported a spreadsheet of tasks"),
    "directive.delete": _l("Deleted a draft document"),
    "task.create": _l("Created the task"),
    "task.update": _l("Edited the task"),
    "task.move": _l("Reordered the task"),
    "task.delete": _l("Deleted the task"),
    "task.assign": _l("Assigned the task"),
    "task.assign_part": _l("Assigned the unit's cooperating part"),
    "task.progress": _l("Reported progress"),
    "task.respond": _l("Answered a report"),
    "task.submit": _l("Reported completion"),
    "task.confirm": _l("Confirmed completion"),
    "task.return": _l("Returned the completion report"),
    "task.cancel": _l("Cancelled the task"),
    "task.extension_request": _l("Asked for an extension"),
    "task.extension_approved": _l("Approved the extension"),
    "task.extension_rejected": _l("Rejected the extension"),
    "task.remind": _l("Sent a reminder"),
    "auth.denied": _l("Was refused access"),
    "user.create": _l("Created a user"),
    "user.update": _l("Edited a user"),
    "user.role_change": _l("Changed a user's role"),
    "user.activate": _l("Activated a user"),
    "user.deactivate": _l("Deactivated a user"),
    "user.temporary_password": _l("Set a temporary password"),
    "user.password_set": _l("Set a password"),
    "user.profile": _l("Changed their preferences"),
    "unit.create": _l("Created a unit"),
    "unit.update": _l("Edited a unit"),
    "unit.delete": _l("Deleted a unit"),
    "unit.rename": _l("Renamed a unit"),
    "unit.merge": _l("Merged a unit into another"),
    "unit.split": _l("Split a unit"),
    "unit.dissolve": _l("Dissolved a unit"),
    "task.transfer": _l("Passed the task to a successor unit"),
    "user.move": _l("Moved a user to a successor unit"),
    "calendar.add": _l("Added a day to the calendar"),
    "calendar.remove": _l("Removed a day from the calendar"),
    "reminders.settings": _l("Changed the reminder rules"),
    "outbox.retry": _l("Queued failed e-mails again"),
    "reminder.failed": _l("An e-mail could not be delivered"),
}

OUTBOX_STATE_LABELS = {
    "pending": _l("Pending"), "sending": _l("Sending"), "sent": _l("Sent"), "failed": _l("Failed"),
    "cancelled": _l("Cancelled"),
}

FIELD_LABELS = {
    "instruction": _l("Instruction"),
    "asked": _l("Asked for"),
    "title": _l("Title"), "description": _l("Description"), "priority": _l("Priority"), "deadline": _l("Deadline"),
    "lead_unit": _l("Lead unit"), "cooperating_units": _l("Cooperating units"), "assignee": _l("Assignee"),
    "cooperating_parts": _l("Cooperating parts"), "part_done": _l("Part done"),
    "state": _l("State"), "progress": _l("Progress"), "reason": _l("Reason"), "note": _l("Note"),
    "completed_on": _l("Completed on"), "contribution": _l("Contribution"),
    "tasks": _l("Tasks"), "files": _l("Files"),
    "decision": _l("Decision"), "effective_on": _l("Effective on"), "cooperating_unit": _l("Cooperating unit"),
    "period": _l("Period"),
}


def names(mapping: dict) -> dict[str, str]:
    """`mapping` with its labels translated now: for a template that shows them many times."""
    return {key: str(label) for key, label in mapping.items()}
