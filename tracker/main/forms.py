"""Profile form."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SubmitField

from tracker.forms import Form, choices
from tracker.labels import CHANNEL_LABELS, LANGUAGE_LABELS, MESSAGE_GROUP_LABELS
from tracker.rules.preferences import GROUPS


class ProfileForm(Form):
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_LABELS.items()))
    email_notifications = BooleanField(_l("Send me e-mails"),
                                       description=_l("Unticked: nothing by e-mail, whatever is chosen below."))
    submit = SubmitField(_l("Save"))


# One "how to tell me" choice per kind of message: pref_new_work, pref_reminders, pref_awaiting, pref_answers.
for _group in GROUPS:
    setattr(ProfileForm, f"pref_{_group}", SelectField(MESSAGE_GROUP_LABELS[_group],
                                                       choices=choices(CHANNEL_LABELS.items())))
