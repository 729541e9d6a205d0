"""Flask extensions, created unbound and initialised by `create_app` (the database's `db` lives in
tracker.database, where models and services take it from)."""
import click
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class LazyMigrate:
    """Flask-Migrate, set up the first time something asks for it.

    It stands in `app.extensions["migrate"]`, where `flask db …`, flask_migrate.upgrade()
    and migrations/env.py look; Flask-Migrate pulls in Alembic and Mako (~11 MB), which a
    web worker, that never migrates, then does not hold.
    """

    def __init__(self, app, database, **options):
        self._app, self._db, self._options = app, database, options

    def set_up(self):
        """Set Flask-Migrate up (it replaces this stand-in and registers `flask db`); return its config."""
        from flask_migrate import Migrate

        Migrate(self._app, self._db, **self._options)
        return self._app.extensions["migrate"]

    def __getattr__(self, name: str):
        return getattr(self.set_up(), name)


class _LazyDbCommands(click.Group):
    """`flask db …`: Flask-Migrate's command group, imported when a command is looked up."""

    def __init__(self, migrate: LazyMigrate):
        super().__init__("db", help="Perform database migrations.")
        self._migrate = migrate

    def _real(self) -> click.Group:
        self._migrate.set_up()
        return self._migrate._app.cli.commands["db"]

    def make_context(self, info_name, args, parent=None, **extra):
        return self._real().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        return self._real().invoke(ctx)


def init_migrate(app, database, **options) -> None:
    stand_in = LazyMigrate(app, database, **options)
    app.extensions["migrate"] = stand_in
    app.cli.add_command(_LazyDbCommands(stand_in))
