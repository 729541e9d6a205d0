"""Full-text search on PostgreSQL: the id bucket indexed as one more word of each row

The GIN index of 0019 on (id >> 16, vector) made each bucket a btree_gin
key, which GIN matches as a partial match: every bucket probed read the
whole list of its 65,536 rows (~125 index pages), empty or not. The new
index holds the bucket as a word of the row's vector ("~15"), so a bucket
and the searched words are one ordinary GIN intersection, read from the
rarer side (tracker.models.search.BUCKETED). It is built CONCURRENTLY
(the table stays writable), then the old one is dropped the same way.
SQLite (FTS5) is unchanged.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 12:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

OLD_INDEX = "ix_search_doc_words ON search_doc USING gin ((id >> 16), vector)"  # 0019's
NEW_INDEX = ("ix_search_doc_bucket_words ON search_doc "  # as tracker.models.search.WORDS_INDEX
             "USING gin ((vector || array_to_tsvector(ARRAY['~' || (id >> 16)::text])))")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction
        # A concurrent build that failed leaves an invalid index behind, which IF NOT EXISTS would keep.
        if bind.scalar(sa.text("SELECT NOT indisvalid FROM pg_index "
                               "WHERE indexrelid = to_regclass('ix_search_doc_bucket_words')")):
            op.execute("DROP INDEX CONCURRENTLY ix_search_doc_bucket_words")
        op.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NEW_INDEX}")
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_search_doc_words")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    with op.get_context().autocommit_block():
        op.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {OLD_INDEX}")
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_search_doc_bucket_words")
