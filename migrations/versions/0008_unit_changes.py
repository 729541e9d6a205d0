"""Units change on a date by a decision: unit_change, its members, task transfers; unit start and end dates

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-05 06:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'unit_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('decision', sa.String(length=120), nullable=False),
        sa.Column('former_name', sa.String(length=255), nullable=False),
        sa.Column('former_short_name', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_change')),
    )
    op.create_index(op.f('ix_unit_change_effective_on'), 'unit_change', ['effective_on'])
    op.create_table(
        'unit_change_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('change_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(['change_id'], ['unit_change.id'], name=op.f('fk_unit_change_member_change_id_unit_change'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_change_member_unit_id_unit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_change_member')),
    )
    op.create_index(op.f('ix_unit_change_member_change_id'), 'unit_change_member', ['change_id'])
    op.create_index(op.f('ix_unit_change_member_unit_id'), 'unit_change_member', ['unit_id'])
    op.create_table(
        'task_transfer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('change_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=12), nullable=False),
        sa.Column('from_unit_id', sa.Integer(), nullable=False),
        sa.Column('to_unit_id', sa.Integer(), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_transfer_task_id_task'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['change_id'], ['unit_change.id'], name=op.f('fk_task_transfer_change_id_unit_change')),
        sa.ForeignKeyConstraint(['from_unit_id'], ['unit.id'], name=op.f('fk_task_transfer_from_unit_id_unit')),
        sa.ForeignKeyConstraint(['to_unit_id'], ['unit.id'], name=op.f('fk_task_transfer_to_unit_id_unit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_transfer')),
    )
    for column in ('task_id', 'change_id', 'from_unit_id', 'to_unit_id'):
        op.create_index(op.f(f'ix_task_transfer_{column}'), 'task_transfer', [column])
    with op.batch_alter_table('unit') as batch:
        batch.add_column(sa.Column('started_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('ended_by_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_unit_ended_by_id_unit_change'), 'unit_change', ['ended_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('unit') as batch:
        batch.drop_constraint(op.f('fk_unit_ended_by_id_unit_change'), type_='foreignkey')
        batch.drop_column('ended_by_id')
        batch.drop_column('ended_on')
        batch.drop_column('started_on')
    op.drop_table('task_transfer')
    op.drop_table('unit_change_member')
    op.drop_table('unit_change')
