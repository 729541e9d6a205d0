"""The reference data's version: a second row of data_version

The units, the reminder rules and the calendar change far more rarely than
tasks; what is computed from them alone (unit pickers, what "due soon"
means) is kept per worker under a version of their own (tracker.page_cache),
row 2 of data_version. A database without the row caches nothing of it
until its first change of such data: this adds it.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 18:30:00

"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM data_version WHERE id = 2")).scalar() == 0:
        bind.execute(sa.text("INSERT INTO data_version (id, value) VALUES (2, :value)"), {"value": uuid.uuid4().hex})


def downgrade():
    op.execute("DELETE FROM data_version WHERE id = 2")
