"""A unit's cooperated overdue tasks from an index: each part keeps its task's state and deadline

task_cooperation.task_open (the task is open or submitted) and task_deadline
(its deadline in force) copy the task's beside each cooperating part, kept by
triggers (tracker.models.summary, "the parts' task columns"), with the index
(unit_id, task_open, task_deadline, task_id): a department's overdue list
reads its cooperated overdue tasks in deadline order from that index alone,
instead of probing each of its parts (~14,000 at a million tasks) against
the open tasks. The columns are filled from the tasks in one UPDATE. The
partial index ix_directive_draft holds the drafts' ids: the tasks of drafts
are left out of that list from it, not by looking up each candidate's
directive; ix_task_state_lead_deadline gets the task's id as its last column,
so that the led candidates are read from that index alone too (PostgreSQL;
SQLite's indexes hold the id already).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 13:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
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
    draft = sa.text("published_at IS NULL")
    op.drop_index('ix_task_state_lead_deadline', table_name='task')
    op.create_index('ix_task_state_lead_deadline', 'task', ['state', 'lead_unit_id', 'deadline', 'id'])
    op.create_index('ix_directive_draft', 'directive', ['id'], postgresql_where=draft, sqlite_where=draft)


def downgrade():
    from tracker.models.summary import part_task_drop_ddl

    for statement in part_task_drop_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index('ix_task_state_lead_deadline', table_name='task')
    op.create_index('ix_task_state_lead_deadline', 'task', ['state', 'lead_unit_id', 'deadline'])
    op.drop_index('ix_directive_draft', table_name='directive')
    op.drop_index('ix_task_cooperation_open_deadline', table_name='task_cooperation')
    # Plain ALTER TABLE (SQLite 3.35+): a batch copy of the table would break the part summary's triggers on task.
    op.execute("ALTER TABLE task_cooperation DROP COLUMN task_deadline")
    op.execute("ALTER TABLE task_cooperation DROP COLUMN task_open")
