"""outbox_message.data: what a reminder queued unrendered is rendered from when it is sent

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('outbox_message', sa.Column('data', sa.JSON(), nullable=True))


def downgrade():
    # Reminders still waiting to be rendered would go out empty with the older code: they are dropped, which
    # frees their keys, so the same day's next planning run queues them again, rendered the older way.
    op.execute("DELETE FROM outbox_message WHERE data IS NOT NULL AND state IN ('pending', 'sending')")
    with op.batch_alter_table('outbox_message') as batch:
        batch.drop_column('data')
