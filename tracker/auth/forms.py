"""Sign-in and password forms."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from tracker.forms import Form
from tracker.services.passwords import password_problems

PROBLEM_MESSAGES = {
    "too_short": _l("Use at least 8 characters."),
    "too_long": _l("Use at most 128 characters."),
    "too_common": _l("This password is too common. Choose another."),
    "same_as_username": _l("The password must not be your username."),
}


class PasswordPolicy:
    """WTForms validator applying tracker.services.passwords."""

    def __init__(self, username_field: str | None = None):
        self.username_field = username_field

    def __call__(self, form, field):
        username = ""
        if self.username_field and self.username_field in form:
            username = form[self.username_field].data or ""
        elif getattr(form, "username_for_policy", None):
            username = form.username_for_policy
        for problem in password_problems(field.data or "", username):
            raise ValidationError(PROBLEM_MESSAGES[problem])


class LoginForm(Form):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Remember me on this computer"))
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), PasswordPolicy()])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords do not match."))])
    submit = SubmitField(_l("Change password"))
