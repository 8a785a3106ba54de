"""Participant rights: erasure requests, retention per project, purge register

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'project_retention',
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('last_payment_on', sa.Date(), nullable=True),
        sa.Column('keep_years', sa.Integer(), server_default='5', nullable=False),
        sa.Column('decision_reference', sa.String(length=200), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('keep_years BETWEEN 1 AND 30', name=op.f('ck_project_retention_keep_years')),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_project_retention_project_id_projects'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('project_id', name=op.f('pk_project_retention')),
    )
    op.create_table(
        'erasure_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('participation_id', sa.Uuid(), nullable=False),
        sa.Column('requested_by_id', sa.Uuid(), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.Enum('open', 'kept', 'erased', name='erasure_status', native_enum=False,
                                    create_constraint=True, length=6), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Uuid(), nullable=True),
        sa.Column('kept_until', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_erasure_requests_decided_by_id_users')),
        sa.ForeignKeyConstraint(['participation_id'], ['participations.id'],
                                name=op.f('fk_erasure_requests_participation_id_participations')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_erasure_requests_requested_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_requests')),
    )
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_requests_participation_id'), ['participation_id'], unique=False)

    op.create_table(
        'purge_register',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('participation_id', sa.Uuid(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('purged_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.Enum('retention', 'erasure_request', name='purge_reason', native_enum=False,
                                    create_constraint=True, length=15), nullable=False),
        sa.Column('reference', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['participation_id'], ['participations.id'],
                                name=op.f('fk_purge_register_participation_id_participations')),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_purge_register_project_id_projects')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_purge_register')),
        sa.UniqueConstraint('participation_id', name=op.f('uq_purge_register_participation_id')),
    )
    with op.batch_alter_table('purge_register', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purge_register_project_id'), ['project_id'], unique=False)


def downgrade():
    with op.batch_alter_table('purge_register', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purge_register_project_id'))
    op.drop_table('purge_register')
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_requests_participation_id'))
    op.drop_table('erasure_requests')
    op.drop_table('project_retention')
