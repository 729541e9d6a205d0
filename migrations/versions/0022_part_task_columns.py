"""A unit's cooperated overdue tasks from an index: each part keeps its task's state and deadline

task_cooperation.task_open (the task is open or submitted) and task_deadline
(its deadline in force) copy the task's beside each cooperating part, kept by
triggers (tracker.models.summary, "the parts' task columns"), with the index
(unit_id, task_open, task_deadline, task_id): a department's overdue list
reads its cooperated overdue tasks in deadline order from that index alone,
instead of probing each of its parts (~14,000 at a million tasks) against
the open tasks. The columns are filled from the tasks in one UPDATE.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 13:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    from tracker.models.summary import part_task_ddl, rebuild_part_tasks

    op.add_column('task_cooperation', sa.Column('task_open', sa.Boolean(), server_default=sa.false(),
                                                nullable=False))
    op.add_column('task_cooperation', sa.Column('task_deadline', sa.Date(), nullable=True))
    bind = op.get_bind()
    for statement in part_task_ddl(bind.dialect.name):
        op.execute(statement)
    rebuild_part_tasks(bind)
    op.create_index('ix_task_cooperation_open_deadline', 'task_cooperation',
                    ['unit_id', 'task_open', 'task_deadline', 'task_id'])


def downgrade():
    from tracker.models.summary import part_task_drop_ddl

    for statement in part_task_drop_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index('ix_task_cooperation_open_deadline', table_name='task_cooperation')
    with op.batch_alter_table('task_cooperation') as batch:
        batch.drop_column('task_deadline')
        batch.drop_column('task_open')
