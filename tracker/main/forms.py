"""Profile form."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SubmitField

from tracker.forms import Form, choices
from tracker.labels import LANGUAGE_LABELS


class ProfileForm(Form):
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_LABELS.items()))
    email_notifications = BooleanField(_l("Send me reminders by e-mail"))
    submit = SubmitField(_l("Save"))
