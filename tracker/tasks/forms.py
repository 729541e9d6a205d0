"""Forms of the task pages: the task itself, progress, completion, extension, decisions, assignment."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker.forms import DATE_FORMATS, DateField, Form, choices, form_id
from tracker.labels import PRIORITY_LABELS, RECURRENCE_LABELS


class ProgressForm(Form):
    progress = IntegerField(_l("Progress (%)"), validators=[Optional(), NumberRange(0, 100, _l(
        "Progress is a percentage from 0 to 100."))])
    results = TextAreaField(_l("Results achieved (Kết quả thực hiện)"), validators=[Optional(), Length(max=20_000)])
    difficulties = TextAreaField(_l("Difficulties (Khó khăn, vướng mắc)"), validators=[Optional(), Length(max=10_000)])
    proposals = TextAreaField(_l("Proposals to the leader (Đề xuất, kiến nghị)"),
                              validators=[Optional(), Length(max=10_000)])
    report_number = StringField(_l("Report document number, if any"), validators=[Optional(), Length(max=80)])
    attachments = MultipleFileField(_l("Attachments"))
    part_done = BooleanField(_l("Our unit's part is done"))
    submit = SubmitField(_l("Send progress report"))


class NoteForm(Form):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Send"))


class CompletionForm(Form):
    note = TextAreaField(_l("Results achieved"), validators=[Optional(), Length(max=20_000)])
    report_number = StringField(_l("Report number"), validators=[Optional(), Length(max=80)])
    report_date = DateField(_l("Report date"), validators=[Optional()], format=DATE_FORMATS,
                            render_kw={"type": "date"})
    attachments = MultipleFileField(_l("The signed report (files)"))
    submit = SubmitField(_l("Send completion report"))


class ReasonForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(_l("Give the reason.")), Length(max=5000)])
    submit = SubmitField(_l("Send"))


class ExtensionForm(Form):
    deadline = DateField(_l("New deadline"), validators=[DataRequired(_l("Enter a valid date."))],
                         format=DATE_FORMATS)
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(_l("Give the reason.")), Length(max=5000)])
    attachments = MultipleFileField(_l("The request letter, if any (files)"))
    submit = SubmitField(_l("Ask for an extension"))


class DecisionForm(Form):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    deadline = DateField(_l("Approve until (if not the date asked for)"), validators=[Optional()],
                         format=DATE_FORMATS, render_kw={"type": "date"})
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))


class AssignForm(Form):
    assignee_id = SelectField(_l("Assignee"), coerce=form_id, validate_choice=False)
    note = TextAreaField(_l("Instruction (ý kiến giao việc)"), validators=[Optional(), Length(max=5000)])
    version = HiddenField()
    submit = SubmitField(_l("Assign"))


class RespondForm(Form):
    response = TextAreaField(_l("Answer"), validators=[InputRequired(_l("Write the answer.")), Length(max=5000)])
    submit = SubmitField(_l("Answer"))


class TaskForm(Form):
    title = TextAreaField(_l("Task"), validators=[DataRequired(), Length(max=1000)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20_000)])
    lead_unit_id = SelectField(_l("Lead unit (chủ trì)"), coerce=form_id)
    cooperating_unit_ids = SelectMultipleField(_l("Cooperating units (phối hợp)"), coerce=form_id)
    assignee_id = SelectField(_l("Assignee"), coerce=form_id, validate_choice=False)
    deadline = DateField(_l("Deadline"), validators=[Optional()], format=DATE_FORMATS)
    ongoing = BooleanField(_l("Ongoing (no deadline)"))
    priority = SelectField(_l("Priority"), choices=choices(PRIORITY_LABELS.items()))
    # A periodic task (only when it is added): each period has its deadline, day `recur_day` of its last month.
    recur_every = SelectField(_l("Recurrence (định kỳ)"), choices=choices(RECURRENCE_LABELS.items()), default="",
                              validate_choice=False)  # checked by the service; the edit form (obj=task) omits it
    recur_day = IntegerField(_l("Due by day (of the period's last month)"),
                             validators=[Optional(), NumberRange(min=1, max=31)],
                             description=_l("\"trước ngày 20 hằng tháng\": 20. Empty: the period's last day."))
    recur_until = DateField(_l("Recurs until"), validators=[Optional()], format=DATE_FORMATS,
                            render_kw={"type": "date"})
    tags = StringField(_l("Field tags (comma-separated)"), validators=[Optional(), Length(max=300)])
    reason = StringField(_l("Reason for changing the deadline"), validators=[Optional(), Length(max=500)])
    version = HiddenField()
    submit = SubmitField(_l("Save"))
