"""Admin forms for units and users."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from tracker.forms import DateField, Form, PasswordPolicy, choices, form_id
from tracker.labels import LANGUAGE_LABELS, ROLE_LABELS, UNIT_KIND_LABELS
from tracker.services.units import CODE_RE
from tracker.services.users import USERNAME_RE


class UnitForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40),
                                                Regexp(CODE_RE, message=_l("Letters, digits, dot, dash and underscore only."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=255)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=choices(UNIT_KIND_LABELS.items()))
    parent_id = SelectField(_l("Parent unit"), coerce=form_id, validate_choice=True)
    aliases = TextAreaField(_l("Other names (one per line)"), validators=[Optional(), Length(max=2000)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(check_deliverability=False), Length(max=255)])
    active = BooleanField(_l("Active"), default=True)
    started_on = DateField(_l("In existence since"), validators=[Optional()],
                           description=_l("Needed only for a district, which must have existed before 1 July 2025."))
    submit = SubmitField(_l("Save"))


class UnitChangeForm(Form):
    """What every unit change says: from when, and by which decision."""

    on = DateField(_l("Effective date"), validators=[DataRequired(message=_l("Enter the date the change takes effect."))])
    decision = StringField(_l("Decision number"), validators=[Optional(), Length(max=120)],
                           description=_l("For example: 25/QĐ-UBND"))
    submit = SubmitField(_l("Save the change"))


class RenameForm(UnitChangeForm):
    name = StringField(_l("New name"), validators=[DataRequired(), Length(max=255)])
    short_name = StringField(_l("New short name"), validators=[Optional(), Length(max=120)])


class MergeForm(UnitChangeForm):
    into = SelectField(_l("Merged into"), coerce=form_id, validate_choice=True)


class DissolveForm(UnitChangeForm):
    into = SelectField(_l("Its work passes to"), coerce=form_id, validate_choice=True)


class SplitForm(UnitChangeForm):
    into = SelectMultipleField(_l("Successors"), coerce=form_id, validate_choice=True)
    tasks_to = SelectField(_l("Open tasks, users and sub-units go to"), coerce=form_id, validate_choice=True,
                           description=_l("Each open task can be given to another successor below."))


CHANGE_FORMS = {"rename": RenameForm, "merge": MergeForm, "split": SplitForm, "dissolve": DissolveForm}


class UserForm(Form):
    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=2, max=80),
        Regexp(USERNAME_RE, message=_l("Lower-case letters, digits, dot, dash and underscore only."))])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=255)])
    unit_id = SelectField(_l("Unit"), coerce=form_id)
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))
    position_title = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_LABELS.items()))
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Temporary password"), validators=[Optional(), PasswordPolicy("username")],
                             description=_l("The user must change it at the next sign-in."))
    submit = SubmitField(_l("Save"))


class TemporaryPasswordForm(Form):
    password = PasswordField(_l("Temporary password"), validators=[DataRequired(), PasswordPolicy()])
    submit = SubmitField(_l("Set temporary password"))
