"""Full-text search: the search_doc table, its index (FTS5 on SQLite, GIN on PostgreSQL), attachment text

The index is filled from the existing tasks, directives, reports and
attachments (the text of files uploaded before this version is not
extracted again: they are found by their names).

Revision ID: 0011
Revises: 0004
Create Date: 2026-12-05 06:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


POSTGRES_DDL = ["CREATE INDEX ix_search_doc_fts ON search_doc USING gin (to_tsvector('simple', folded))"]
POSTGRES_DROP = ["DROP INDEX IF EXISTS ix_search_doc_fts"]  # (0019 stores the vector and indexes it otherwise)


def upgrade():
    from tracker.models.search import SQLITE_DDL
    from tracker.services.search import rebuild

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.Text(), nullable=False, server_default=''))
    op.create_table(
        'search_doc',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=True),
        sa.Column('directive_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('folded', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_doc')),
    )
    with op.batch_alter_table('search_doc', schema=None) as batch_op:
        batch_op.create_index('ix_search_doc_kind_ref', ['kind', 'ref_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_search_doc_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_doc_directive_id'), ['directive_id'], unique=False)
    bind = op.get_bind()
    for statement in (POSTGRES_DDL if bind.dialect.name == "postgresql" else SQLITE_DDL):  # as of this version
        op.execute(statement)
    rebuild(bind)


def downgrade():
    from tracker.models.search import SQLITE_DROP

    for statement in (POSTGRES_DROP if op.get_bind().dialect.name == "postgresql" else SQLITE_DROP):
        op.execute(statement)
    with op.batch_alter_table('search_doc', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_doc_directive_id'))
        batch_op.drop_index(batch_op.f('ix_search_doc_task_id'))
        batch_op.drop_index('ix_search_doc_kind_ref')
    op.drop_table('search_doc')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_column('text')
