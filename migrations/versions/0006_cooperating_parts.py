"""cooperating parts: each cooperating unit's duty, own deadline, assignee, done date and percent

task_cooperation (the link of a task to its cooperating units) gains the
columns of a cooperating part; outbox_message gains part_unit_id, which
tells a part's reminders from the task's own. Existing links become parts
with no duty, the task's deadline and nothing reported yet.

Revision ID: 0006
Revises: 0011
Create Date: 2026-12-05 06:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('task_cooperation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duty', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('deadline', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('done_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('progress', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_task_cooperation_assignee_id_user'), 'user', ['assignee_id'], ['id'])
        batch_op.create_check_constraint(
            batch_op.f('ck_task_cooperation_progress_range'),
            'progress IS NULL OR (progress >= 0 AND progress <= 100)')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('part_unit_id', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('part_unit_id')
    with op.batch_alter_table('task_cooperation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_task_cooperation_progress_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_task_cooperation_assignee_id_user'), type_='foreignkey')
        batch_op.drop_column('progress')
        batch_op.drop_column('done_on')
        batch_op.drop_column('added_on')
        batch_op.drop_column('assignee_id')
        batch_op.drop_column('deadline')
        batch_op.drop_column('duty')
