"""Read pages as a user reads them: the parsed page, its text, messages and field errors.

Shared by every test module that looks at pages (tests/tasks/pages.py adds the task-side
helpers on top).
"""
from __future__ import annotations

from flask_babel import force_locale, gettext
from lxml import html as lxml_html


def t(message: str, **variables) -> str:
    """`message` as the interface shows it by default: in Vietnamese, through the catalogue."""
    with force_locale("vi"):
        return gettext(message, **variables)


def doc(response):
    assert not (response.status_code == 302 and "/login" in response.headers.get("Location", "")), \
        "the client was signed out (a time jump past the idle timeout?)"
    return lxml_html.fromstring(response.get_data(as_text=True))


def squash(text: str) -> str:
    return " ".join(text.split())


def text_of(element) -> str:
    return squash(element.text_content())


def main_text(response) -> str:
    """The visible text of the page's main part."""
    main = doc(response).xpath("//main")
    return squash(" ".join(main[0].itertext()) if main else response.get_data(as_text=True))


def h1(response) -> str:
    return text_of(doc(response).xpath("//h1")[0])


def flashes(response) -> list[str]:
    return [text_of(e) for e in doc(response).xpath("//div[contains(concat(' ', @class, ' '), ' flash ')]")]


def errors_of(response, field_id: str) -> list[str]:
    """The error messages shown beside a form field."""
    return [text_of(e) for e in doc(response).xpath(f"//p[@class='error' and @id='{field_id}-error']")]
