"""task lists: (state, lead unit, deadline) index for a unit's open and overdue tasks

Replaces ix_task_lead_state (lead unit, state): a unit's overdue count and list (state open or
submitted, deadline before today) are then read from the index alone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:40:00

"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


# Plain index operations (no batch mode: SQLite creates and drops indexes in place, and a
# batch copy of the task table would have to rebuild its expression index by hand).
def upgrade():
    op.create_index('ix_task_state_lead_deadline', 'task', ['state', 'lead_unit_id', 'deadline'], unique=False)
    op.drop_index('ix_task_lead_state', table_name='task')


def downgrade():
    op.create_index('ix_task_lead_state', 'task', ['lead_unit_id', 'state'], unique=False)
    op.drop_index('ix_task_state_lead_deadline', table_name='task')
