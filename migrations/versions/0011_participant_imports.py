"""Participant lists on their way in: the uploaded file between upload, mapping, preview and confirm

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('participant_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.Uuid(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('mapping', sa.Text(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('imported_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('participation_ids', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['users.id'], name=op.f('fk_participant_imports_leader_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_participant_imports_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_imports')),
    sa.UniqueConstraint('public_id', name=op.f('uq_participant_imports_public_id'))
    )
    with op.batch_alter_table('participant_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_imports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_participant_imports_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participant_imports_project_id'), ['project_id'], unique=False)


def downgrade():
    with op.batch_alter_table('participant_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_imports_project_id'))
        batch_op.drop_index(batch_op.f('ix_participant_imports_leader_id'))
        batch_op.drop_index(batch_op.f('ix_participant_imports_created_at'))

    op.drop_table('participant_imports')
