"""SQL shapes that both databases answer from an index.

`in_query(column, select)` is `column IN (SELECT ...)`. SQLite reads such a
term from an index on `column`; PostgreSQL turns an IN-subquery inside an
OR into a hashed filter run on every row of the table (a sequential scan
of all tasks for one department's list), so there it is written
`column = ANY(ARRAY(SELECT ...))`: the subquery runs once, before the
scan, and the term becomes an index condition that the planner combines
with the others (BitmapOr, BitmapAnd).
"""
from __future__ import annotations

from sqlalchemy import any_, func

from tracker.database import db


def in_query(column, query):
    """`column` is one of the values `query` selects (one column)."""
    if db.engine.dialect.name == "postgresql":
        return column == any_(func.array(query.scalar_subquery()))
    return column.in_(query)
