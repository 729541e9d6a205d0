"""data_version: one row that changes with every commit changing what pages show

The dashboards keep their rendered figures per worker under this value
(tracker.services.page_cache).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 06:00:00

"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )
    op.bulk_insert(table, [{"id": 1, "value": uuid.uuid4().hex}])


def downgrade():
    op.drop_table('data_version')
