"""Forms as a Vietnamese office meets them: errors beside the fields, in Vietnamese (WTForms' own messages
included), the first invalid field focused, and limited fields that count instead of cutting."""
from __future__ import annotations

from tests.pages import doc, errors_of, flashes, t
from tests.tasks.pages import form_values, task_like


def test_a_too_long_title_is_refused_whole_in_vietnamese_at_its_field(login_as, db):
    task = task_like(db, "đô thị thông minh")
    thu = login_as("thu.lt")
    page = thu.get(f"/tasks/{task.id}/edit")
    (title,) = doc(page).xpath("//textarea[@id='title']")
    # No browser cut: the page counts (static/js/app.js) and the server refuses with a message.
    assert title.get("maxlength") is None and title.get("data-maxlength") == "1000"
    assert title.get("data-left") == t("%(count)s characters left")
    data = form_values(page, f"/tasks/{task.id}/edit")
    long_title = ("Triển khai các giải pháp đô thị thông minh " * 40)[:1440]
    data["title"] = [long_title]
    response = thu.post(f"/tasks/{task.id}/edit", data=data)
    assert response.status_code in (200, 422)
    assert errors_of(response, "title") == [t("Field cannot be longer than %(max)d characters.", max=1000)]
    assert errors_of(response, "title")[0] == "Trường này không được dài quá 1000 ký tự."
    assert flashes(response) == [t("Please correct the errors below.")]
    (title,) = doc(response).xpath("//textarea[@id='title']")
    assert title.text_content().strip() == long_title.strip()  # kept whole, to be shortened by the user
    assert title.get("aria-invalid") == "true" and title.get("autofocus") is not None
    db.session.refresh(task)
    assert task.title != long_title


def test_one_character_limits_are_translated_too(app):
    from tracker.forms import _TRANSLATIONS
    with app.test_request_context(), __import__("flask_babel").force_locale("vi"):
        assert _TRANSLATIONS.ngettext("Field cannot be longer than %(max)d character.",
                                      "Field cannot be longer than %(max)d characters.", 80) == \
            "Trường này không được dài quá %(max)d ký tự."


def test_every_wtforms_message_reads_in_vietnamese(app):
    """WTForms' own messages (its catalogue template lists them) all have a Vietnamese text in ours."""
    import re
    from pathlib import Path

    import wtforms
    from flask_babel import force_locale

    from tracker.forms import _TRANSLATIONS
    pot = (Path(wtforms.__file__).parent / "locale" / "wtforms.pot").read_text(encoding="utf-8")
    ids = set(re.findall(r'^msgid(?:_plural)? "(.+)"$', pot, re.MULTILINE))
    ids -= {"Choices cannot be None.", "Invalid field name '%s'."}  # programming errors, never shown
    with app.test_request_context(), force_locale("vi"):
        untranslated = sorted(m for m in ids if _TRANSLATIONS.gettext(m.replace('\\"', '"')) == m)
    assert untranslated == []
