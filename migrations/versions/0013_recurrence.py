"""Periodic tasks: task.recur_every/recur_day/recur_until, task_occurrence, reports and extensions per occurrence

Revision ID: 0013
Revises: 0007
Create Date: 2026-12-05 07:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTERs on task: rebuilding it (batch mode) would lose its expression index on SQLite.
    op.add_column('task', sa.Column('recur_every', sa.String(length=10), nullable=True))
    op.add_column('task', sa.Column('recur_day', sa.Integer(), nullable=True))
    op.add_column('task', sa.Column('recur_until', sa.Date(), nullable=True))
    op.create_table(
        'task_occurrence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=12), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('deadline', sa.Date(), nullable=False),
        sa.Column('original_deadline', sa.Date(), nullable=False),
        sa.Column('extended_on', sa.Date(), nullable=True),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('completed_on', sa.Date(), nullable=True),
        sa.Column('done_on', sa.Date(), nullable=True),
        sa.Column('cancelled_on', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('reported_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_occurrence_task_id_task'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reported_by_id'], ['user.id'], name=op.f('fk_task_occurrence_reported_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_occurrence')),
        sa.UniqueConstraint('task_id', 'period', name='uq_task_occurrence_period'),
    )
    op.create_index(op.f('ix_task_occurrence_deadline'), 'task_occurrence', ['deadline'])
    op.create_index('ix_task_occurrence_task_start', 'task_occurrence', ['task_id', 'starts_on'])
    for table in ('progress_update', 'extension_request'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('occurrence_id', sa.Integer(), nullable=True))
            batch.create_foreign_key(op.f(f'fk_{table}_occurrence_id_task_occurrence'), 'task_occurrence',
                                     ['occurrence_id'], ['id'])


def downgrade():
    for table in ('extension_request', 'progress_update'):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'fk_{table}_occurrence_id_task_occurrence'), type_='foreignkey')
            batch.drop_column('occurrence_id')
    op.drop_table('task_occurrence')
    op.execute("ALTER TABLE task DROP COLUMN recur_until")
    op.execute("ALTER TABLE task DROP COLUMN recur_day")
    op.execute("ALTER TABLE task DROP COLUMN recur_every")
