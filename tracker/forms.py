"""Form helpers shared by the blueprints: the base form and select choices."""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice
from wtforms.validators import ValidationError

from tracker import params
from tracker.i18n import current_translations
from tracker.services.passwords import password_problems


class _BabelTranslations:
    """WTForms' own messages ("This field is required.") through our catalogue.

    WTForms fills the placeholders itself, so these only look the text up.
    """

    def gettext(self, string: str) -> str:
        return current_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        translations = current_translations()
        translated = translations.ungettext(singular, plural, n)
        if translated in (singular, plural):
            # Vietnamese has one form: the catalogue holds each English form as its own message.
            return translations.ugettext(singular if n == 1 else plural)
        return translated


_TRANSLATIONS = _BabelTranslations()

# Dates as typed in forms: dd/mm/yyyy as offices write them (and shown so), or YYYY-MM-DD.
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# A date box: text, not the browser's <input type="date"> (which shows mm/dd/yyyy in an English browser);
# static/js/datepicker.js adds the app's own calendar beside each.
DATE_INPUT = {"type": "text", "inputmode": "numeric", "autocomplete": "off", "placeholder": "dd/mm/yyyy",
              "data-datepicker": "", "size": 10}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters but tab and line breaks


class Form(FlaskForm):
    """Every form of the app: CSRF from Flask-WTF, messages in the user's language, no control characters.

    Text holding NUL or other control characters (tab and line breaks aside) is refused at its field, as
    the API refuses it: no database stores NUL, and nobody types it.
    """

    class Meta:
        owner = None  # the form these options belong to (each form has its own Meta instance)

        def get_translations(self, form):
            return _TRANSLATIONS

        def render_field(self, field, render_kw):
            """Render a control: the first invalid one of its form takes the focus (the page scrolls to it),
            an invalid one says so, and a limited one shows what is left (static/js/app.js) instead of the
            browser's `maxlength`, which cuts pasted text without a word: the server refuses it with a message."""
            render_kw = dict(render_kw)
            limit = getattr(field.flags, "maxlength", None)
            if limit and field.type in ("StringField", "TextAreaField"):
                render_kw.setdefault("maxlength", False)
                render_kw.setdefault("data-maxlength", limit)
                render_kw.setdefault("data-left", str(_l("%(count)s characters left")))
                render_kw.setdefault("data-over", str(_l("%(count)s characters too many: shorten the text")))
            if field.errors:
                render_kw.setdefault("aria-invalid", "true")
                render_kw.setdefault("aria-describedby", f"{field.id}-error")
                owner = self.owner
                if owner is not None and owner.first_invalid() is field:
                    render_kw.setdefault("autofocus", True)
            return super().render_field(field, render_kw)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.meta.owner = self

    def first_invalid(self):
        """The first field (in the form's order) showing an error, or None."""
        return next((f for f in self if f.errors and f.type not in ("HiddenField", "CSRFTokenField")), None)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and _CONTROL.search(field.data):
                field.errors = [*field.errors, _l("Must not contain control characters.")]
                valid = False
        return valid


def form_id(value) -> int:
    """Coerce a select's value to an id within the database's range (WTForms shows "Not a valid choice" else)."""
    number = params.an_id(str(value)) if value not in (None, "", 0, "0") else 0
    if number is None:
        raise ValueError("not an id")
    return number


class DateField(wtforms.DateField):
    """A date typed as dd/mm/yyyy (or YYYY-MM-DD), within the years 1900-2999 (as the API accepts)."""

    def __init__(self, label=None, validators=None, format=None, **kwargs):  # noqa: A002 - WTForms' name
        kwargs["render_kw"] = {**DATE_INPUT, **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, format=format or DATE_FORMATS, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not params.MIN_YEAR <= self.data.year <= params.MAX_YEAR:
            self.data = None
            raise ValueError(_l("The year must be between %(first)d and %(last)d.", first=params.MIN_YEAR,
                                last=params.MAX_YEAR))


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
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("'%(value)s' are not valid choices for this field."),
    _l("Not a valid datetime value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Invalid URL."),
    _l("Invalid UUID."),
    _l("Invalid IP address."),
    _l("Invalid Mac address."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("Field must be exactly %(max)d character long."),
    _l("Field must be exactly %(max)d characters long."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("CSRF token missing."),
    _l("CSRF token expired."),
    _l("CSRF failed."),
    _l("Invalid CSRF Token."),
)
