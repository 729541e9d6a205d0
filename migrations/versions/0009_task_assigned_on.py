"""task.assigned_on: the day a task counts from (its directive's issue date, or the day added after publication)

Until now a task existed from the day it was typed in (`created_on`), so a
notice recorded 40 days after its issue date had no status for those 40
days. Existing tasks get the issue date of their directive when they were
recorded before it was published (or it is still a draft), else the day they
were recorded; never a day after they were recorded.

Revision ID: 0009
Revises: 0004
Create Date: 2026-12-05 06:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0004'
branch_labels = None
depends_on = None


# Added after publication: the day it was added; else the issue date, never after the day it was recorded.
BACKFILL = (
    "UPDATE task SET assigned_on = ("
    " SELECT CASE WHEN d.published_at IS NOT NULL AND task.created_at > d.published_at THEN task.created_on"
    " WHEN d.issued_on < task.created_on THEN d.issued_on ELSE task.created_on END"
    " FROM directive d WHERE d.id = task.directive_id)")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a NOT NULL column only with a default; rebuilding the table instead (batch
        # mode) would lose its expression index. The app always writes the column.
        op.execute("ALTER TABLE task ADD COLUMN assigned_on DATE NOT NULL DEFAULT '1970-01-01'")
        op.execute(BACKFILL)
    else:
        op.add_column('task', sa.Column('assigned_on', sa.Date(), nullable=True))
        op.execute(BACKFILL)
        op.alter_column('task', 'assigned_on', existing_type=sa.Date(), nullable=False)


def downgrade():
    op.execute("ALTER TABLE task DROP COLUMN assigned_on")
