"""Configuration classes, read from environment variables.

`create_app()` picks one by name (``APP_ENV`` or the argument): development
(the default, used by ``make run``), testing, production.
"""
import os
import socket
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"

DEV_SECRET_KEY = "dev-not-secret"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def local_base_url() -> str:
    """The address `flask serve` answers on, from HOST and PORT (what `make run` passes it)."""
    host = os.environ.get("HOST") or "127.0.0.1"
    if host in {"0.0.0.0", "::"}:  # listening everywhere: links should name this machine
        host = socket.gethostname()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{os.environ.get('PORT') or '5000'}"


def database_url(value: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    return value


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'tracker.db'}"))
    # SQLAlchemy keeps each distinct statement compiled, ~54 KB apiece: the pages people use hold ~60-80 of
    # them; its default of 500 would let a long-lived worker grow by ~27 MB with rarely used pages.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "query_cache_size": 150}
    TIMEZONE = os.environ.get("TIMEZONE", "Asia/Ho_Chi_Minh")

    # Mail: with no MAIL_SERVER, messages are written as .eml files under instance/outbox/.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "tracker@localhost")
    # The public address that links in e-mails (and feeds) start with, e.g. https://tracker.example.gov.vn;
    # required in production, derived from HOST and PORT elsewhere.
    BASE_URL = os.environ.get("BASE_URL") or local_base_url()

    # Sessions: server-side rows (tracker.models.UserSession) make them revocable.
    SESSION_COOKIE_NAME = "tracker_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_TIMEOUT = timedelta(hours=2)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    REMEMBER_ME_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    # Sign-in limits, kept in the database so every worker shares them (tracker.rules.signin).
    LOGIN_MAX_FAILURES = 10  # per account and address (or device cookie): then locked for LOGIN_LOCK_MINUTES
    LOGIN_SLOW_AFTER = 5  # failures per account and address before each next attempt waits 1, 2, 4... s
    LOGIN_LOCK_MINUTES = 15  # the window every count covers
    LOGIN_MAX_FAILURES_PER_IP = 50  # failures from one address without a device cookie, any accounts: 429
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 30  # failures at one account without a device cookie, any addresses
    # A browser that signed in as someone keeps a signed cookie naming them: its next sign-ins as that
    # person are limited per device, so no one sharing the office's address can lock them out.
    DEVICE_COOKIE_NAME = "tracker_device"
    DEVICE_COOKIE_LIFETIME = timedelta(days=365)
    PASSWORD_HASH_METHOD = "scrypt:32768:8:1"  # ASVS: scrypt N=2^15, r=8, p=1 (reliability row 31)

    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # uploads; JSON bodies have their own 1 MB limit
    UPLOAD_MAX_BYTES = 15 * 1024 * 1024
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE / "uploads"))
    OUTBOX_FOLDER = os.environ.get("OUTBOX_FOLDER", str(INSTANCE / "outbox"))
    # Compiled templates kept as files (tracker.templating.TemplateCache): workers load them instead of
    # compiling each page again, which leaves ~3.6 MB of heap behind per worker. "" compiles in memory only.
    TEMPLATE_CACHE_FOLDER = os.environ.get("TEMPLATE_CACHE_FOLDER", str(INSTANCE / "template-cache"))

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Ho_Chi_Minh")
    LANGUAGES = ("vi", "en")

    PER_PAGE = 25
    # The task list counts matching tasks (by status, for its filters and pager) up to this many;
    # past it the page says "more than" instead of reading every task of a province on each view.
    TASK_LIST_COUNT_LIMIT = int(os.environ.get("TASK_LIST_COUNT_LIMIT", 5_000))
    # No configuration starts the scheduler in a web process: only `flask serve` (make run) and
    # `flask scheduler` do (reliability row 1); tests read this to say so.
    RUN_SCHEDULER = False
    # Keep the dashboards' rendered figures per worker until the data changes (tracker.page_cache).
    PAGE_CACHE = _bool("PAGE_CACHE", True)
    # Keep what comes from the units, the reminder rules and the calendar alone (the unit pickers, what
    # "due soon" means) per worker until one of those changes; a task's change leaves it (tracker.page_cache).
    REFERENCE_CACHE = _bool("REFERENCE_CACHE", True)
    # Let the issuing unit's secretaries (the Office) confirm, return, cancel and decide extensions too,
    # where a province delegates that to them; by default only its leaders decide.
    SECRETARIES_DECIDE = _bool("SECRETARIES_DECIDE", False)
    # Reverse proxies in front of the app (nginx: 1). Their X-Forwarded-For/-Proto/-Host headers then give
    # the client's address and scheme, which sign-in throttling and the audit log use; with 0 (no proxy)
    # those headers are ignored, since anyone could send them.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))


class DevelopmentConfig(Config):
    """`make run`: SQLite in instance/, demo data, scheduler in-process."""

    DEBUG = False


class TestingConfig(Config):
    """Each test gets its own database; CSRF off unless a test turns it on."""

    TESTING = True
    SECRET_KEY = "testing"
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    WTF_CSRF_ENABLED = False
    MAIL_SERVER = ""
    LOGIN_MAX_FAILURES_PER_IP = 1000
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # cheap for speed; production uses scrypt:32768:8:1
    TEMPLATE_CACHE_FOLDER = ""  # each test's app compiles its templates; tests/test_templating.py tries the cache
    # A test sees the exception of an unexpected error (False: the generic 500 page, as users get it).
    PROPAGATE_TEST_ERRORS = True


class ProductionConfig(Config):
    """Behind gunicorn over HTTPS, PostgreSQL, one separate scheduler process."""

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-tracker_session"
    DEVICE_COOKIE_NAME = "__Host-tracker_device"
    BASE_URL = os.environ.get("BASE_URL", "")  # no guess: the app refuses to start without it
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
