"""Full-text search on PostgreSQL: the words' tsvector stored, indexed with the row's id bucket

search_doc gets a `vector` column (to_tsvector('simple', folded)), kept by
a trigger on every insert and on every change of `folded`, filled here in
batches of BATCH rows (each committed: the table stays usable), then a GIN
index on (id >> 16, vector) (btree_gin, a contrib extension shipped with
PostgreSQL's contrib package, as unaccent is) replaces the expression index
of 0011. SQLite (FTS5) is unchanged.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 12:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

BATCH = 50000


def upgrade():
    from tracker.models.search import POSTGRES_DDL

    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    extension, column, function, trigger, index = POSTGRES_DDL
    op.execute(extension)
    op.execute(column)
    op.execute(function)
    op.execute(trigger)  # rows written from now on are filled as they are written
    top = bind.scalar(sa.text("SELECT max(id) FROM search_doc")) or 0
    with op.get_context().autocommit_block():
        for start in range(0, top, BATCH):
            bind.execute(sa.text("UPDATE search_doc SET vector = to_tsvector('simple', folded) "
                                 "WHERE id > :start AND id <= :end AND vector IS NULL"),
                         {"start": start, "end": start + BATCH})
        bind.execute(sa.text("VACUUM search_doc"))  # the old row versions' room is reused
    op.execute(index)
    op.execute("DROP INDEX IF EXISTS ix_search_doc_fts")
    op.execute("ANALYZE search_doc")


def downgrade():
    from tracker.models.search import POSTGRES_DROP

    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_search_doc_fts ON search_doc USING gin (to_tsvector('simple', folded))")
    for statement in POSTGRES_DROP:
        op.execute(statement)
