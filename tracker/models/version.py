"""The data version: one row whose value changes with every commit that changes what pages show.

tracker.page_cache keys its cached page parts on it, so every
worker process sees a change at its next request (see that module). A
second row (id 2) is the reference data's version: it changes only with the
units, the reminder rules or the calendar.
"""
from __future__ import annotations

import uuid

from sqlalchemy import Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import db


class DataVersion(db.Model):
    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[str] = mapped_column(String(32))


def new_version() -> str:
    """A value never used before: a database restored to an older state brings back that state's own value."""
    return uuid.uuid4().hex


@event.listens_for(DataVersion.__table__, "after_create")
def _first_version(table, connection, **kw) -> None:
    connection.execute(table.insert(), [{"id": 1, "value": new_version()}, {"id": 2, "value": new_version()}])
