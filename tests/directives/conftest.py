"""Fixtures of the directive page tests: the same as the task page tests'."""
from tests.tasks.conftest import demo, demo_databases, login_as  # noqa: F401
