"""The monthly summary for the dashboard's trend (task_month, month_end), kept by triggers

task_month holds, per lead unit, published flag and month end, the tasks
overdue at that month end (and from it on, once nothing changes any more)
and those confirmed done in that month; month_end is its calendar. Triggers
on task, deadline_change and directive.published_at keep it in the
transaction of every change; it is filled from the existing tasks here.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    from tracker.models.summary import fill_month_ends, month_ddl, rebuild_months

    op.create_table(
        'month_end',
        sa.Column('day', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_month_end')),
    )
    op.create_table(
        'task_month',
        sa.Column('lead_unit_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('month_end', sa.Date(), nullable=False),
        sa.Column('overdue_at', sa.Integer(), nullable=False),
        sa.Column('overdue_after', sa.Integer(), nullable=False),
        sa.Column('done_on_time', sa.Integer(), nullable=False),
        sa.Column('done_late', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('lead_unit_id', 'published', 'month_end', name=op.f('pk_task_month')),
    )
    bind = op.get_bind()
    fill_month_ends(bind)
    for statement in month_ddl(bind.dialect.name):
        op.execute(statement)
    rebuild_months(bind)


def downgrade():
    from tracker.models.summary import month_drop_ddl

    for statement in month_drop_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('task_month')
    op.drop_table('month_end')
