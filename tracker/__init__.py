"""Tracker: directives and tasks of a provincial administration.

`create_app()` builds the Flask app in named steps and has no other side
effects: no scheduler, no database access, no clock reads at import.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from config import CONFIGS, DEV_SECRET_KEY


def create_app(config: str | type | None = None, **overrides) -> Flask:
    """Build the app for `config` ("development", "testing", "production" or a class)."""
    app = Flask(
        __name__,
        template_folder="../templates",
        instance_relative_config=True,
        instance_path=str(Path(__file__).resolve().parent.parent / "instance"),
    )
    if config is None:
        config = os.environ.get("APP_ENV", "development")
    app.config.from_object(CONFIGS[config] if isinstance(config, str) else config)
    app.config.update(overrides)
    check_config(app)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def check_config(app: Flask) -> None:
    """Refuse to start production with the development secret."""
    if app.config.get("SESSION_COOKIE_SECURE") and app.config["SECRET_KEY"] in ("", DEV_SECRET_KEY):
        raise RuntimeError("SECRET_KEY must be set to a long random value in production")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and scheme from their headers."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401  (register the tables)
    from tracker.auth.sessions import init_login
    from tracker.database import configure_engine
    from tracker.extensions import babel, csrf, db, init_migrate
    from tracker.i18n import select_locale, select_timezone

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # PostgreSQL compiles "expensive" queries to machine code first (JIT): ~30 ms a dashboard or
        # task-list query pays to save less; a web app's short queries run faster without it.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options["connect_args"] = {**options.get("connect_args", {}), "options": "-c jit=off"}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    init_migrate(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    from sqlalchemy.orm import Session

    from tracker.services import page_cache

    page_cache.init_app(app, Session)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    init_login(app)


def register_blueprints(app: Flask) -> None:
    from tracker.admin import bp as admin_bp
    from tracker.api import bp as api_bp
    from tracker.auth import bp as auth_bp
    from tracker.dashboard import bp as dashboard_bp
    from tracker.directives import bp as directives_bp
    from tracker.main import bp as main_bp
    from tracker.notifications import bp as notifications_bp
    from tracker.tasks import bp as tasks_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(directives_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    from tracker.api.tokens_views import bp as tokens_bp
    from tracker.feeds import bp as feeds_bp

    app.register_blueprint(tokens_bp)
    app.register_blueprint(feeds_bp)
    from tracker.extensions import csrf

    csrf.exempt(api_bp)  # token requests carry no cookie, so CSRF cannot apply


def register_request_hooks(app: Flask) -> None:
    from tracker.security import init_request_hooks

    init_request_hooks(app)


def register_errorhandlers(app: Flask) -> None:
    from tracker.errors import init_errorhandlers

    init_errorhandlers(app)


def register_template_helpers(app: Flask) -> None:
    from tracker.templating import init_templating

    init_templating(app)


def register_commands(app: Flask) -> None:
    from tracker.cli import init_commands

    init_commands(app)
