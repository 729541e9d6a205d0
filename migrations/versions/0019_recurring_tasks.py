"""An index of the periodic tasks, for the dashboard's periodic figures

The dashboard reads the periodic tasks in reach (recur_every set) on every
computation; without an index that was a scan of every task (~145 ms at a
million tasks). The partial index holds the periodic ones only.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 11:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    where = sa.text("recur_every IS NOT NULL")
    op.create_index('ix_task_recurring', 'task', ['id'], postgresql_where=where, sqlite_where=where)


def downgrade():
    op.drop_index('ix_task_recurring', table_name='task')
