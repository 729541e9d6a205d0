"""Vietnamese first, English second: the default, the switch, the catalogue, dates."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import time_machine
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from sqlalchemy import select

from tests.pages import doc, h1, text_of
from tracker.models import User

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "tracker" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdif]")


@pytest.fixture
def demo(app):
    """The demo units and users (language and dates need no directives)."""
    from tracker.database import db
    from tracker.demo import load_demo

    counts = load_demo(directives=False)
    db.session.commit()
    return counts






def lang(response) -> str:
    return doc(response).xpath("/html/@lang")[0]




def catalogue(locale: str):
    with open(CATALOGUES / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def source_messages() -> set[str]:
    """Every message id the code and templates ask to translate (as `make extract-messages` finds them)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(ROOT / "babel.cfg"))
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


# --- the default and the switch -------------------------------------------------------

def test_the_interface_is_vietnamese_by_default(client, demo):
    page = client.get("/login")
    assert lang(page) == "vi"
    assert h1(page) == "Đăng nhập"
    assert text_of(doc(page).xpath("//button[@type='submit' and contains(@class, 'primary')]")[0]) == "Đăng nhập"
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"


def test_field_errors_are_in_vietnamese_too(client, demo):
    """WTForms' own messages ("This field is required.") must not leak English into the Vietnamese interface."""
    page = client.post("/login", data={"username": "", "password": ""})
    errors = [text_of(e) for e in doc(page).xpath("//p[@class='error']")]
    assert errors
    assert "This field is required." not in errors


def test_role_names_in_vietnamese_follow_the_glossary(login_as):
    """domain.md: Quản trị, Lãnh đạo, Chuyên viên theo dõi, Chuyên viên (the top bar says the person's title,
    its tooltip the role, the whole title and the unit's full name)."""
    expected = {"admin": "Quản trị", "hai.nv": "Lãnh đạo", "thu.lt": "Chuyên viên theo dõi", "lan.nt": "Chuyên viên"}
    for username, role in expected.items():
        page = login_as(username).get("/")
        top_bar = doc(page).xpath("//*[contains(@class, 'who-meta')]")[0]
        assert top_bar.get("title").startswith(role + " — "), (username, top_bar.get("title"))
    assert text_of(top_bar).startswith("Chuyên viên ·")  # lan.nt's title


def test_a_visitor_switches_the_sign_in_page_to_english_and_back(client, demo):
    assert lang(client.get("/login")) == "vi"
    response = client.post("/language", data={"lang": "en"}, headers={"Referer": "http://localhost/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "http://localhost/login"
    page = client.get("/login")
    assert lang(page) == "en"
    assert h1(page) == "Sign in"
    assert doc(page).xpath("//label[@for='username']/text()") == ["Username"]
    client.post("/language", data={"lang": "vi"})
    assert lang(client.get("/login")) == "vi"


def test_an_unknown_language_is_ignored(client, demo):
    client.post("/language", data={"lang": "fr"})
    assert lang(client.get("/login")) == "vi"


def test_the_language_switch_does_not_bounce_off_site(client, demo):
    response = client.post("/language", data={"lang": "en"}, headers={"Referer": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_a_user_switches_to_english_on_the_profile_page(app, db, demo, login_as):
    client = login_as("lan.nt")
    page = client.get("/profile")
    assert lang(page) == "vi"
    response = client.post("/profile", data={"language": "en", "email_notifications": "y"})
    assert response.status_code == 302
    page = client.get("/profile")
    assert lang(page) == "en"
    assert h1(page) == "Profile"
    assert "Your profile has been saved." in page.get_data(as_text=True)
    menu = [text_of(a) for a in doc(page).xpath("//nav[contains(@class, 'menu')]//a")]
    assert "Home" in menu
    assert text_of(doc(page).xpath("//form[@action='/logout']//button")[0]) == "Sign out"
    assert db.session.scalar(select(User.language).where(User.username == "lan.nt")) == "en"
    # The choice belongs to the user: another browser gets English after signing in.
    other = login_as("lan.nt")
    assert lang(other.get("/")) == "en"
    # Other users keep Vietnamese.
    assert lang(login_as("quang.dv").get("/")) == "vi"
    # And back.
    client.post("/profile", data={"language": "vi", "email_notifications": "y"})
    assert lang(client.get("/profile")) == "vi"


def test_the_footer_switch_also_saves_the_users_choice(db, demo, login_as):
    client = login_as("lan.nt")
    client.post("/language", data={"lang": "en"})
    assert db.session.scalar(select(User.language).where(User.username == "lan.nt")) == "en"
    assert lang(client.get("/profile")) == "en"


def test_the_profile_offers_both_languages(login_as):
    page = login_as("lan.nt").get("/profile")
    options = doc(page).xpath("//select[@name='language']/option")
    assert {o.get("value"): text_of(o) for o in options} == {"vi": "Tiếng Việt", "en": "English"}
    response = login_as("lan.nt").post("/profile", data={"language": "fr"})
    assert response.status_code == 200
    assert doc(response).xpath("//p[@id='language-error']")


# --- the catalogues -------------------------------------------------------------------

def test_the_vietnamese_catalogue_is_complete():
    """Every message has a Vietnamese translation, none fuzzy (compile with `make translations`)."""
    untranslated = []
    for message in catalogue("vi"):
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not all(s and s.strip() for s in strings) or message.fuzzy:
            untranslated.append(message.id if isinstance(message.id, str) else message.id[0])
    assert untranslated == [], f"{len(untranslated)} untranslated messages, e.g. {untranslated[:5]}"


def test_the_catalogues_cover_every_message_of_the_source():
    """`make extract-messages` has been run: nothing in the code or templates is missing from vi and en."""
    wanted = source_messages()
    assert "Sign in" in wanted and "Wrong username or password." in wanted
    for locale in ("vi", "en"):
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(locale) if m.id}
        missing = sorted(wanted - ids)
        assert missing == [], f"{locale}: {len(missing)} messages not in the catalogue, e.g. {missing[:5]}"


def test_translations_keep_the_placeholders():
    """A translation that drops or renames %(name)s would fail at run time."""
    for message in catalogue("vi"):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for translated in strings:
            if translated:
                assert set(PLACEHOLDER.findall(translated)) == wanted, (message.id, translated)


# --- dates ----------------------------------------------------------------------------

def test_date_filters_write_day_month_year_in_local_time(app):
    fmt_date = app.jinja_env.filters["date"]
    fmt_datetime = app.jinja_env.filters["datetime"]
    assert fmt_date(date(2026, 3, 5)) == "05/03/2026"
    assert fmt_date(None) == ""
    # 18:30 UTC is already the next morning in Hà Nội.
    moment = datetime(2026, 3, 5, 18, 30, tzinfo=timezone.utc)
    assert fmt_date(moment) == "06/03/2026"
    assert fmt_datetime(moment) == "06/03/2026 01:30"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_on_pages_are_dd_mm_yyyy(db, demo, login_as, language):
    admin = login_as("admin")
    db.session.execute(User.__table__.update().where(User.username == "admin").values(language=language))
    db.session.commit()
    with time_machine.travel(datetime(2026, 3, 5, 18, 30, tzinfo=timezone.utc), tick=False):
        staff = login_as("lan.nt")
        staff.post("/logout")
    page = admin.get("/admin/audit?action=auth.logout")
    times = [text_of(td) for td in doc(page).xpath("//td[@data-label]")
             if re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", text_of(td))]
    assert times == ["06/03/2026 01:30"]


def test_templates_switch_catalogue_inside_force_locale(app):
    """Templates look the translations up once per request; an e-mail in another language still switches."""
    from flask import render_template_string
    from flask_babel import force_locale

    source = '{{ _("Overdue") }} {{ status_badge("overdue", True) }}'
    with app.test_request_context("/"):
        assert render_template_string(source).split() == ["Quá", "hạn", "<span", 'class="badge', 'overdue">Quá',
                                                          "hạn</span>", "<span", 'class="badge', 'due_soon">Sắp',
                                                          "đến", "hạn</span>"]
        with force_locale("en"):  # the badges (tracker.templating, Python) switch too
            assert "Quá hạn" not in render_template_string(source)
            assert render_template_string(source).count("Overdue") == 2 and "Due soon" in render_template_string(source)
        assert render_template_string(source).count("Quá hạn") == 2
