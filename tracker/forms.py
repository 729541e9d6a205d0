"""Form helpers shared by the blueprints: the base form and select choices."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice
from wtforms.validators import ValidationError

from tracker.i18n import current_translations
from tracker.services.passwords import password_problems


class _BabelTranslations:
    """WTForms' own messages ("This field is required.") through our catalogue.

    WTForms fills the placeholders itself, so these only look the text up.
    """

    def gettext(self, string: str) -> str:
        return current_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return current_translations().ungettext(singular, plural, n)


_TRANSLATIONS = _BabelTranslations()

# Dates as typed in forms: what a date box sends (ISO), or dd/mm/yyyy as offices write them.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class Form(FlaskForm):
    """Every form of the app: CSRF from Flask-WTF, messages in the user's language."""

    class Meta:
        def get_translations(self, form):
            return _TRANSLATIONS


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


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


# WTForms' built-in messages, listed so that `make extract-messages` puts them in the catalogue.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Not a valid integer value."),
    _l("Not a valid date value."),
    _l("Invalid email address."),
    _l("Invalid input."),
    _l("Field must be at least %(min)d character long."),
    _l("Field must be at least %(min)d characters long."),
    _l("Field cannot be longer than %(max)d character."),
    _l("Field cannot be longer than %(max)d characters."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be equal to %(other_name)s."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("'%(value)s' is not a valid choice for this field."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
)
