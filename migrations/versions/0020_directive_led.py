"""The dashboard after a change: an index of the periodic tasks, each directive's number of led tasks, the task total

The dashboard reads the periodic tasks in reach (recur_every set) on every
computation; without an index that was a scan of every task (~145 ms at a
million tasks): the partial index holds the periodic ones only.

directive_led counts, per directive, its tasks with a lead unit, kept by
triggers on task (tracker.models.summary.DirectiveLed): the number of
directives the dashboard lists for a user who sees every task is read from
it instead of probing every directive's tasks (~300 ms at a million tasks).
It is filled from the existing tasks here.

task_total is the task summary added up over the lead units (a couple of
thousand rows instead of ~128,000 at a million tasks), kept by row triggers
on task_summary: `GET /api/v1/tasks`'s total for a user who sees every task.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 11:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    from tracker.models.summary import led_ddl, rebuild_led, rebuild_rollups, rollup_ddl

    where = sa.text("recur_every IS NOT NULL")
    op.create_index('ix_task_recurring', 'task', ['id'], postgresql_where=where, sqlite_where=where)
    op.create_table(
        'directive_led',
        sa.Column('directive_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('directive_id', name=op.f('pk_directive_led')),
    )
    bind = op.get_bind()
    for statement in led_ddl(bind.dialect.name):
        op.execute(statement)
    rebuild_led(bind)
    op.create_table(
        'task_total',
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('deadline_key', sa.Date(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('published', 'kind', 'deadline_key', name=op.f('pk_task_total')),
    )
    rebuild_rollups(bind, ("task_total",))
    for statement in rollup_ddl(bind.dialect.name, ("task_total",)):
        op.execute(statement)


def downgrade():
    from tracker.models.summary import led_drop_ddl, rollup_drop_ddl

    for statement in rollup_drop_ddl(op.get_bind().dialect.name, ("task_total",)):
        op.execute(statement)
    op.drop_table('task_total')
    for statement in led_drop_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('directive_led')
    op.drop_index('ix_task_recurring', table_name='task')
