"""Locale and time-zone selection: Vietnamese first, English second."""
from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_translations
from flask_login import current_user


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated:
        return current_user.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    lang = session.get("lang") or request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def current_translations():
    """The request's translations, looked up once per request and locale instead of on every call.

    Flask-Babel's own template callables resolve the domain, the locale and the translations
    cache through several context proxies on each string (a list page asks for ~200 strings);
    this keeps the answer on `g` beside the locale it was found for, so `force_locale` (e-mails
    in the recipient's language) still switches catalogues.
    """
    def locale():  # Flask-Babel keeps the request's (or force_locale's) locale there
        return getattr(g.get("_flask_babel"), "babel_locale", None)

    cached = g.get("_tracker_translations")
    if cached is not None and cached[0] is not None and cached[0] is locale():
        return cached[1]
    translations = get_translations()  # settles the locale when it was not yet
    g._tracker_translations = (locale(), translations)
    return translations


def fast_gettext(message: str) -> str:
    """gettext through `current_translations` (the message itself outside an app context)."""
    return current_translations().ugettext(message) if has_app_context() else message
