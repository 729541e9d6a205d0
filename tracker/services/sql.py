"""SQL shapes that both databases answer from an index.

`in_query(column, select)` is `column IN (SELECT ...)`. SQLite reads such a
term from an index on `column`; PostgreSQL turns an IN-subquery inside an
OR into a hashed filter run on every row of the table (a sequential scan
of all tasks for one department's list), so there it is written
`column = ANY(ARRAY(SELECT ...))`: the subquery runs once, before the
scan, and the term becomes an index condition that the planner combines
with the others (BitmapOr, BitmapAnd).

`json_rows(...)` aggregates rows into one JSON value (a row's few related
rows read in the same statement, not a second round trip).
"""
from __future__ import annotations

import json

from sqlalchemy import any_, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from tracker.database import db


def in_query(column, query):
    """`column` is one of the values `query` selects (one column)."""
    if db.engine.dialect.name == "postgresql":
        return column == any_(func.array(query.scalar_subquery()))
    return column.in_(query)


class json_rows(FunctionElement):
    """SQL aggregate: one JSON array holding, per row, the JSON array of the arguments (PostgreSQL's json_agg,
    SQLite's json_group_array); no row gives NULL on PostgreSQL and "[]" on SQLite."""
    inherit_cache = True
    name = "json_rows"


@compiles(json_rows, "postgresql")
def _json_rows_postgresql(element, compiler, **kw) -> str:
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"


@compiles(json_rows)
def _json_rows_sqlite(element, compiler, **kw) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


def json_list(value) -> list:
    """A `json_rows` value as Python lists (psycopg parses JSON itself; sqlite3 gives the text)."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else value
