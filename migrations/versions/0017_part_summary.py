"""The part summary: cooperating parts per unit, lead unit, published flag, kind and deadline key, kept by triggers

part_summary counts the cooperating parts as task_summary counts the tasks,
so that the dashboard's "Cooperating parts by unit" is read from a few
hundred rows instead of every part. Triggers on task_cooperation, task and
directive.published_at keep it in the transaction of every change; it is
filled from the existing parts here. Three indexes tell whether any part was
added or done, or any task assigned, after a given day.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 10:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    from tracker.models.summary import part_ddl, rebuild_parts

    op.create_table(
        'part_summary',
        sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('lead_unit_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('deadline_key', sa.Date(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('unit_id', 'lead_unit_id', 'published', 'kind', 'deadline_key',
                                name=op.f('pk_part_summary')),
    )
    op.create_index('ix_task_assigned_on', 'task', ['assigned_on'])
    op.create_index('ix_task_cooperation_added_on', 'task_cooperation', ['added_on'])
    op.create_index('ix_task_cooperation_done_on', 'task_cooperation', ['done_on'])
    bind = op.get_bind()
    for statement in part_ddl(bind.dialect.name):
        op.execute(statement)
    rebuild_parts(bind)


def downgrade():
    from tracker.models.summary import part_drop_ddl

    for statement in part_drop_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index('ix_task_cooperation_done_on', table_name='task_cooperation')
    op.drop_index('ix_task_cooperation_added_on', table_name='task_cooperation')
    op.drop_index('ix_task_assigned_on', table_name='task')
    op.drop_table('part_summary')
