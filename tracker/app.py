"""The Flask app, built by `create_app()` in named steps (tracker/__init__.py hands over to `build`).

Building has no other side effects: no scheduler, no database access, no
clock reads. The steps wire, in order: the settings the models read
(time zone, password hashing), the extensions and database, the
translations of the Flask-free layers, the commit hooks (the dashboards'
data version, the workflow's notices), the blueprints, the request hooks,
the error pages, the template helpers and the commands.
"""
from __future__ import annotations

import gc
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, DEV_SECRET_KEY
from tracker import lazytext, mail, page_cache
from tracker.admin import bp as admin_bp
from tracker.api import bp as api_bp
from tracker.auth import bp as auth_bp
from tracker.auth.sessions import init_login
from tracker.cli import init_commands
from tracker.dashboard import bp as dashboard_bp
from tracker.database import configure_engine, db
from tracker.directives import bp as directives_bp
from tracker.errors import init_errorhandlers
from tracker.extensions import babel, csrf, init_migrate
from tracker.feeds import bp as feeds_bp
from tracker.i18n import fast_gettext, select_locale, select_timezone
from tracker.main import bp as main_bp
from tracker.models.user import use_password_method
from tracker.notifications import bp as notifications_bp
from tracker.security import init_request_hooks
from tracker.services import read_once
from tracker.tasks import bp as tasks_bp
from tracker.templating import init_templating
from tracker.timeutil import use_zone

ROOT = Path(__file__).resolve().parent.parent


def build(config: str | type, **overrides) -> Flask:
    """Build the app for `config` ("development", "testing", "production" or a class)."""
    app = Flask("tracker", template_folder=str(ROOT / "templates"), static_folder="static",
                instance_relative_config=True, instance_path=str(ROOT / "instance"))
    app.config.from_object(CONFIGS[config] if isinstance(config, str) else config)
    app.config.update(overrides)
    check_config(app)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    init_request_hooks(app)
    init_errorhandlers(app)
    init_templating(app)
    init_commands(app)
    settle_heap(app)
    return app


def settle_heap(app: Flask) -> None:
    """Move the objects the app is built of (~150,000: modules, models, mappers) out of the garbage
    collector's reach (gc.freeze): a request's allocations trigger full collections that would walk them
    all each time (~5 ms a leader dashboard, on average); a worker forked from a preloaded app also
    leaves their pages shared. Not for tests, which build many apps and drop them."""
    if not app.testing:
        gc.collect()
        gc.freeze()


def check_config(app: Flask) -> None:
    """Refuse to start production with the development secret or no public address; hand settings on."""
    production = app.config.get("SESSION_COOKIE_SECURE")
    if production and app.config["SECRET_KEY"] in ("", DEV_SECRET_KEY):
        raise RuntimeError("SECRET_KEY must be set to a long random value in production")
    base_url = app.config.get("BASE_URL") or ""
    if production and not base_url:
        raise RuntimeError("BASE_URL must be set in production: the public address e-mail links start with, "
                           "e.g. https://tracker.example.gov.vn")
    parts = urlsplit(base_url)
    if base_url and (parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment):
        raise RuntimeError(f"BASE_URL must be an http(s) address such as https://tracker.example.gov.vn, "
                           f"not {base_url!r}")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    use_zone(app.config["TIMEZONE"])
    use_password_method(app.config["PASSWORD_HASH_METHOD"])


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and scheme from their headers."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # PostgreSQL compiles "expensive" queries to machine code first (JIT): ~30 ms a dashboard or
        # task-list query pays to save less; a web app's short queries run faster without it.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options["connect_args"] = {**options.get("connect_args", {}), "options": "-c jit=off"}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    init_migrate(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    page_cache.init_app(app, Session)
    read_once.install(Session)
    mail.init_notices(Session)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    lazytext.use_translator(fast_gettext)
    init_login(app)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(directives_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # token requests carry no cookie, so CSRF cannot apply
