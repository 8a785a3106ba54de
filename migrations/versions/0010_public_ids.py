"""Random public ids for rows whose key is a counter, so URLs never show a sequential id

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 10:00:00

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TABLES = ('projects', 'helpers', 'municipalities', 'project_goals', 'erasure_requests', 'passkeys', 'devices')


def upgrade():
    connection = op.get_bind()
    for name in TABLES:
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column('public_id', sa.Uuid(), nullable=True))
        table = sa.table(name, sa.column('id', sa.Integer()), sa.column('public_id', sa.Uuid()))
        for (row_id,) in connection.execute(sa.select(table.c.id)).all():
            connection.execute(table.update().where(table.c.id == row_id).values(public_id=uuid.uuid4()))
        with op.batch_alter_table(name) as batch:
            batch.alter_column('public_id', existing_type=sa.Uuid(), nullable=False)
            batch.create_unique_constraint(f'uq_{name}_public_id', ['public_id'])


def downgrade():
    for name in reversed(TABLES):
        with op.batch_alter_table(name) as batch:
            batch.drop_constraint(f'uq_{name}_public_id', type_='unique')
            batch.drop_column('public_id')
