"""The dashboard's short lists: the open tasks by deadline (ix_task_open_by_deadline)

The overdue and due-soon lists of the leader dashboard take their first ten
ids from a walk of this partial index (open and submitted tasks, by deadline
then id) that stops at the tenth, instead of sorting every overdue task.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 13:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    # IF NOT EXISTS: the benchmark database got it by hand while it was tried out.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX IF NOT EXISTS ix_task_open_by_deadline ON task (deadline, id) "
                   "WHERE state IN ('open', 'submitted')")
    else:
        op.create_index('ix_task_open_by_deadline', 'task', ['deadline', 'id'],
                        sqlite_where=sa.text("state IN ('open', 'submitted')"))


def downgrade():
    op.drop_index('ix_task_open_by_deadline', table_name='task')
