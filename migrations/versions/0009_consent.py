"""Consent to share with a named organisation, and the shares made

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consents',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('participation_id', sa.Uuid(), nullable=False),
    sa.Column('recipient', sa.String(length=120), nullable=False),
    sa.Column('share_plan', sa.Boolean(), nullable=False),
    sa.Column('share_activity_summary', sa.Boolean(), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('on_paper', sa.Boolean(), nullable=False),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('given_by_id', sa.Uuid(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Uuid(), nullable=True),
    sa.CheckConstraint('share_plan OR share_activity_summary', name=op.f('ck_consents_some_part')),
    sa.CheckConstraint('(withdrawn_at IS NULL) = (withdrawn_by_id IS NULL)', name=op.f('ck_consents_withdrawn_complete')),
    sa.ForeignKeyConstraint(['given_by_id'], ['users.id'], name=op.f('fk_consents_given_by_id_users')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_consents_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_consents_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index('ix_consents_participation_given', ['participation_id', 'given_at'], unique=False)

    op.create_table('consent_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consent_id', sa.Uuid(), nullable=False),
    sa.Column('participation_id', sa.Uuid(), nullable=False),
    sa.Column('share_plan', sa.Boolean(), nullable=False),
    sa.Column('share_activity_summary', sa.Boolean(), nullable=False),
    sa.Column('shared_by_id', sa.Uuid(), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('share_plan OR share_activity_summary', name=op.f('ck_consent_shares_some_part')),
    sa.ForeignKeyConstraint(['consent_id'], ['consents.id'], name=op.f('fk_consent_shares_consent_id_consents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_consent_shares_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_consent_shares_shared_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_shares'))
    )
    with op.batch_alter_table('consent_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_shares_consent_id'), ['consent_id'], unique=False)
        batch_op.create_index('ix_consent_shares_participation_at', ['participation_id', 'shared_at'], unique=False)


def downgrade():
    with op.batch_alter_table('consent_shares', schema=None) as batch_op:
        batch_op.drop_index('ix_consent_shares_participation_at')
        batch_op.drop_index(batch_op.f('ix_consent_shares_consent_id'))

    op.drop_table('consent_shares')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index('ix_consents_participation_given')

    op.drop_table('consents')
