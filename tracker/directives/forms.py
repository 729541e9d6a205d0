"""Forms to record a directive and to add its tasks."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.forms import DATE_FORMATS, DateField, Form, choices, form_id
from tracker.labels import DIRECTIVE_KIND_LABELS, PRIORITY_LABELS, RECURRENCE_LABELS


class DirectiveForm(Form):
    number = StringField(_l("Number (số ký hiệu)"), validators=[DataRequired(), Length(max=80)],
                         description=_l("For example 125/TB-UBND"))
    kind = SelectField(_l("Kind of document"), choices=choices(DIRECTIVE_KIND_LABELS.items()))
    issued_on = DateField(_l("Date issued"), validators=[DataRequired(message=_l("Enter a valid date."))],
                          format=DATE_FORMATS)
    future_ok = BooleanField(_l("Yes, the document is dated in the future"))
    issuing_unit_id = SelectField(_l("Issuing unit"), coerce=form_id)
    on_behalf_of_id = SelectField(_l("On behalf of (leader)"), coerce=form_id,
                                  description=_l("Receives the completion reports, extension requests and "
                                                 "difficulties of its tasks, with the person tracking it."))
    tracker_id = SelectField(_l("Tracked by (Office)"), coerce=form_id, default=0,
                             description=_l("The person who follows the document for the issuing unit; "
                                            "by default whoever records it."))
    signer = StringField(_l("Signed by (name and title)"), validators=[Optional(), Length(max=255)])
    title = TextAreaField(_l("Summary (trích yếu)"), validators=[DataRequired(), Length(max=1000)])
    text = TextAreaField(_l("Full text"), validators=[Optional(), Length(max=200_000)])
    attachments = MultipleFileField(_l("Attachments (PDF, Word, Excel, images)"))
    submit = SubmitField(_l("Save"))


class TaskRowForm(Form):
    """One row of the "add several tasks" table (no CSRF of its own: the outer form has it)."""

    class Meta:
        csrf = False

    title = TextAreaField(_l("Task"), validators=[Optional(), Length(max=1000)])
    lead_unit_id = SelectField(_l("Lead unit"), coerce=form_id, validate_choice=False)
    deadline = DateField(_l("Deadline"), validators=[Optional()], format=DATE_FORMATS)
    ongoing = BooleanField(_l("Ongoing"))
    priority = SelectField(_l("Priority"), choices=choices(PRIORITY_LABELS.items()), default="normal",
                           validate_choice=False)  # checked by the service for the rows that are saved
    recur_every = SelectField(_l("Recurrence (định kỳ)"), choices=choices(RECURRENCE_LABELS.items()), default="",
                              validate_choice=False)  # checked by the service
    recur_day = IntegerField(_l("Due by day (of the period's last month)"),
                             validators=[Optional(), NumberRange(min=1, max=31)])


class TaskBatchForm(Form):
    rows = FieldList(FormField(TaskRowForm), min_entries=5, max_entries=60)
    add_rows = SubmitField(_l("More rows"))
    submit = SubmitField(_l("Add these tasks"))
