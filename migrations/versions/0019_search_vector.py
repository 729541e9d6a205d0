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


# The statements as this revision made them (tracker.models.search holds today's; 0021 changed the index).
EXTENSION = "CREATE EXTENSION IF NOT EXISTS btree_gin"
COLUMN = "ALTER TABLE search_doc ADD COLUMN vector tsvector"
FUNCTION = ("CREATE OR REPLACE FUNCTION search_doc_vector() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN NEW.vector := to_tsvector('simple', NEW.folded); RETURN NEW; END $$")
TRIGGER = ("CREATE TRIGGER search_doc_vector BEFORE INSERT OR UPDATE OF folded ON search_doc "
           "FOR EACH ROW EXECUTE FUNCTION search_doc_vector()")
INDEX = "CREATE INDEX ix_search_doc_words ON search_doc USING gin ((id >> 16), vector)"


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    extension, column, function, trigger, index = EXTENSION, COLUMN, FUNCTION, TRIGGER, INDEX
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
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_search_doc_fts ON search_doc USING gin (to_tsvector('simple', folded))")
    for statement in ["DROP INDEX IF EXISTS ix_search_doc_words", "DROP TRIGGER IF EXISTS search_doc_vector ON search_doc",
                      "DROP FUNCTION IF EXISTS search_doc_vector()", "ALTER TABLE search_doc DROP COLUMN IF EXISTS vector"]:
        op.execute(statement)
