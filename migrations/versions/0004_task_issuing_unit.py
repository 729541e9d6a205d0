"""task.issuer_unit_id is renamed issuing_unit_id: one name with directive.issuing_unit_id

Both databases rename the column in place (SQLite 3.25+ and PostgreSQL keep
its data, indexes and foreign key); the index and constraint named after the
old column take the new name.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 03:00:00

"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _rename(old: str, new: str) -> None:
    op.execute(f"ALTER TABLE task RENAME COLUMN {old}_unit_id TO {new}_unit_id")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX ix_task_{old}_unit_id RENAME TO ix_task_{new}_unit_id")
        op.execute(f"ALTER TABLE task RENAME CONSTRAINT fk_task_{old}_unit_id_unit TO fk_task_{new}_unit_id_unit")
    else:  # SQLite cannot rename an index; the constraint keeps its name inside the table's SQL
        op.execute(f"DROP INDEX ix_task_{old}_unit_id")
        op.execute(f"CREATE INDEX ix_task_{new}_unit_id ON task ({new}_unit_id)")


def upgrade():
    _rename("issuer", "issuing")


def downgrade():
    _rename("issuing", "issuer")
