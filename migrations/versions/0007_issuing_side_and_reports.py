"""Who is told what: directive.tracker_id, notification.directive_id, user.notification_prefs

completion_report.report_number and report_date carry the signed report;
extension_request.approved_deadline is the date granted (maybe not the one asked);
attachment.completion_report_id and extension_id hold the signed report and the request letter;
user.notification_prefs holds each person's channel per kind of message;
directive.tracker_id is the Office person who tracks a directive (with the
leader it speaks for, its issuing side); notification.directive_id lets a
directive's publication tell each person once, of all their tasks in it.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-05 06:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attachment') as batch:
        batch.add_column(sa.Column('completion_report_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('extension_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_attachment_completion_report_id'), ['completion_report_id'])
        batch.create_index(batch.f('ix_attachment_extension_id'), ['extension_id'])
        batch.create_foreign_key(batch.f('fk_attachment_completion_report_id_completion_report'),
                                 'completion_report', ['completion_report_id'], ['id'])
        batch.create_foreign_key(batch.f('fk_attachment_extension_id_extension_request'), 'extension_request',
                                 ['extension_id'], ['id'])
    with op.batch_alter_table('extension_request') as batch:
        batch.add_column(sa.Column('approved_deadline', sa.Date(), nullable=True))
    with op.batch_alter_table('completion_report') as batch:
        batch.add_column(sa.Column('report_number', sa.String(length=80), nullable=False, server_default=''))
        batch.add_column(sa.Column('report_date', sa.Date(), nullable=True))
    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('notification_prefs', sa.JSON(), nullable=True))
    with op.batch_alter_table('directive') as batch:
        batch.add_column(sa.Column('tracker_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_directive_tracker_id_user'), 'user', ['tracker_id'], ['id'])
    with op.batch_alter_table('notification') as batch:
        batch.add_column(sa.Column('directive_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_notification_directive_id_directive'), 'directive',
                                 ['directive_id'], ['id'])


def downgrade():
    with op.batch_alter_table('notification') as batch:
        batch.drop_constraint(batch.f('fk_notification_directive_id_directive'), type_='foreignkey')
        batch.drop_column('directive_id')
    with op.batch_alter_table('directive') as batch:
        batch.drop_constraint(batch.f('fk_directive_tracker_id_user'), type_='foreignkey')
        batch.drop_column('tracker_id')
    with op.batch_alter_table('user') as batch:
        batch.drop_column('notification_prefs')
    with op.batch_alter_table('completion_report') as batch:
        batch.drop_column('report_date')
        batch.drop_column('report_number')
    with op.batch_alter_table('extension_request') as batch:
        batch.drop_column('approved_deadline')
    with op.batch_alter_table('attachment') as batch:
        batch.drop_constraint(batch.f('fk_attachment_extension_id_extension_request'), type_='foreignkey')
        batch.drop_constraint(batch.f('fk_attachment_completion_report_id_completion_report'), type_='foreignkey')
        batch.drop_index(batch.f('ix_attachment_extension_id'))
        batch.drop_index(batch.f('ix_attachment_completion_report_id'))
        batch.drop_column('extension_id')
        batch.drop_column('completion_report_id')
