"""Steps and goals count their changes (a version): a stale save from another device is a conflict

Two devices editing the same step cannot silently overwrite each other (REL-05).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('goals', 'steps'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    for table in ('steps', 'goals'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
