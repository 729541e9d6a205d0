"""Indexes for a unit's overdue list: open tasks by id with their deadline, cooperating parts by unit and task

A department's overdue list reads its overdue candidates only: the tasks it
leads from ix_task_state_lead_deadline, the tasks it cooperates on from its
parts (ix_task_cooperation_unit_task, read from the index alone) joined to
the open tasks (ix_task_open_deadline, partial: open and submitted tasks,
read from the index alone) with a deadline before the day.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 11:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    # IF NOT EXISTS: the benchmark database of a million tasks got them by hand while they were tried out.
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("CREATE INDEX IF NOT EXISTS ix_task_open_deadline ON task (id, deadline) "
                   "WHERE state IN ('open', 'submitted')")
        op.execute("CREATE INDEX IF NOT EXISTS ix_task_cooperation_unit_task ON task_cooperation (unit_id, task_id)")
    else:
        op.create_index('ix_task_open_deadline', 'task', ['id', 'deadline'],
                        sqlite_where=sa.text("state IN ('open', 'submitted')"))
        op.create_index('ix_task_cooperation_unit_task', 'task_cooperation', ['unit_id', 'task_id'])


def downgrade():
    op.drop_index('ix_task_cooperation_unit_task', table_name='task_cooperation')
    op.drop_index('ix_task_open_deadline', table_name='task')
