"""The dashboard after a change at 20,000 tasks: rollups of the summaries, their open rows by deadline

unit_total and part_total are the task and part summaries added up over the
deadline keys (tracker.models.summary.UnitTotal, PartTotal); month_total is
the monthly summary added up over the lead units (MonthTotal). Row triggers
on the summaries keep them; they are filled from the summaries here. With
the open rows not yet overdue, read through the new covering indexes
ix_task_summary_open and ix_part_summary_open, they give each unit's figures
of today and the whole tree's trend without scanning every summary row
(~12,000 of task_summary and of part_summary, ~6,000 of task_month at
20,000 tasks).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 12:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

OWN = ("unit_total", "part_total", "month_total")  # its rollups (task_total is 0020's)


def upgrade():
    from tracker.models.summary import rebuild_rollups, rollup_ddl

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
    op.create_table(
        'month_total',
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('month_end', sa.Date(), nullable=False),
        sa.Column('overdue_at', sa.Integer(), nullable=False),
        sa.Column('overdue_after', sa.Integer(), nullable=False),
        sa.Column('done_on_time', sa.Integer(), nullable=False),
        sa.Column('done_late', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('published', 'month_end', name=op.f('pk_month_total')),
        sqlite_with_rowid=False,
    )
    bind = op.get_bind()
    rebuild_rollups(bind, OWN)
    for statement in rollup_ddl(bind.dialect.name, OWN):
        op.execute(statement)


def downgrade():
    from tracker.models.summary import rollup_drop_ddl

    for statement in rollup_drop_ddl(op.get_bind().dialect.name, OWN):
        op.execute(statement)
    op.drop_table('month_total')
    op.drop_table('part_total')
    op.drop_table('unit_total')
    op.drop_index('ix_part_summary_open', table_name='part_summary')
    op.drop_index('ix_task_summary_open', table_name='task_summary')
