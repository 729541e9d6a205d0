"""The dashboard after a change at 20,000 tasks: the unit totals and the summaries' open rows by deadline

unit_total and part_total are the task and part summaries added up over the
deadline keys (tracker.models.summary.UnitTotal, PartTotal), kept by row
triggers on the summaries and filled from them here. With the open rows not
yet overdue, read through the new covering indexes ix_task_summary_open and
ix_part_summary_open, they give each unit's figures of today without
scanning every summary row (~12,000 of each at 20,000 tasks).

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


def upgrade():
    from tracker.models.summary import rebuild_unit_totals, unit_total_ddl

    op.create_index('ix_task_summary_open', 'task_summary',
                    ['kind', 'published', 'deadline_key', 'lead_unit_id', 'n'])
    op.create_index('ix_part_summary_open', 'part_summary',
                    ['kind', 'published', 'deadline_key', 'unit_id', 'lead_unit_id', 'n'])
    op.create_table(
        'unit_total',
        sa.Column('lead_unit_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('published', 'kind', 'lead_unit_id', name=op.f('pk_unit_total')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'part_total',
        sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('lead_unit_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('published', 'kind', 'unit_id', 'lead_unit_id', name=op.f('pk_part_total')),
        sqlite_with_rowid=False,
    )
    bind = op.get_bind()
    rebuild_unit_totals(bind)
    for statement in unit_total_ddl(bind.dialect.name):
        op.execute(statement)


def downgrade():
    from tracker.models.summary import unit_total_drop_ddl

    for statement in unit_total_drop_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('part_total')
    op.drop_table('unit_total')
    op.drop_index('ix_part_summary_open', table_name='part_summary')
    op.drop_index('ix_task_summary_open', table_name='task_summary')
