"""The task summary: counts per lead unit, published flag, kind and deadline key, kept by triggers

The table is filled from the existing tasks; its triggers (on task and on
directive.published_at) keep it in the transaction of every change from
then on. Two indexes tell whether any task was closed after a given day.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 09:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    from tracker.models.summary import ddl, rebuild

    op.create_table(
        'task_summary',
        sa.Column('lead_unit_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('deadline_key', sa.Date(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('lead_unit_id', 'published', 'kind', 'deadline_key', name=op.f('pk_task_summary')),
    )
    op.create_index('ix_task_done_on', 'task', ['done_on'])
    op.create_index('ix_task_cancelled_on', 'task', ['cancelled_on'])
    bind = op.get_bind()
    for statement in ddl(bind.dialect.name):
        op.execute(statement)
    rebuild(bind)


def downgrade():
    from tracker.models.summary import drop_ddl

    for statement in drop_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index('ix_task_cancelled_on', table_name='task')
    op.drop_index('ix_task_done_on', table_name='task')
    op.drop_table('task_summary')
