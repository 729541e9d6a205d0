"""Form helpers shared by the blueprints: the base form and select choices."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from tracker.i18n import current_translations


class _BabelTranslations:
    """WTForms' own messages ("This field is required.") through our catalogue.

    WTForms fills the placeholders itself, so these only look the text up.
    """

    def gettext(self, string: str) -> str:
        return current_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return current_translations().ungettext(singular, plural, n)


_TRANSLATIONS = _BabelTranslations()


class Form(FlaskForm):
    """Every form of the app: CSRF from Flask-WTF, messages in the user's language."""

    class Meta:
        def get_translations(self, form):
            return _TRANSLATIONS


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


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
