"""Translatable text for code that runs without Flask: rules' and services' messages.

`_l("Enter the summary.")` marks a message for the catalogue (`make
extract-messages` collects `_l`) and translates it each time it is shown,
in the language of that moment: the web layer hands its translator in at
start-up (`use_translator`, from tracker.app); without one, for instance in
a plain script, the message is shown as written (English). Placeholders
work as in Flask-Babel: `_l("Outside %(unit)s", unit=name)`.
"""
from __future__ import annotations

from collections.abc import Callable

from markupsafe import escape

_translator: dict[str, Callable[[str], str]] = {"translate": lambda message: message}


def use_translator(translate: Callable[[str], str]) -> None:
    """Translate lazy texts with `translate` from now on (the app's gettext)."""
    _translator["translate"] = translate


class LazyText:
    """A message translated when turned into a string."""

    __slots__ = ("message", "values")

    def __init__(self, message: str, **values) -> None:
        self.message, self.values = message, values

    def __str__(self) -> str:
        text = _translator["translate"](self.message)
        return text % self.values if self.values else text

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"_l({self.message!r})"

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __len__(self) -> int:
        return len(str(self))

    def __add__(self, other) -> str:
        return str(self) + str(other)

    def __radd__(self, other) -> str:
        return str(other) + str(self)


def _l(message: str, **values) -> LazyText:
    return LazyText(message, **values)
