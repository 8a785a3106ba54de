"""Coach workspace: comments, reviews, access log, end of participation, shares

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 01:47:47.136260

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('caseload_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('colleague_id', sa.Uuid(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['colleague_id'], ['users.id'], name=op.f('fk_caseload_shares_colleague_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_caseload_shares_created_by_id_users')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_caseload_shares_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_caseload_shares_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_caseload_shares'))
    )
    with op.batch_alter_table('caseload_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caseload_shares_colleague_id'), ['colleague_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_caseload_shares_project_id'), ['project_id'], unique=False)

    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=False),
    sa.Column('actor_role', sa.Enum('participant', 'coach', 'leader', name='actor_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('participation_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_access_log_actor_id_users')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_access_log_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log'))
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index('ix_access_log_participation_at', ['participation_id', 'at'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('4_weeks', '6_months', name='follow_up_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('outcome', sa.Enum('employment', 'supported_employment', 'own_business', 'studies', 'labour_market_training', 'job_seeking', 'sick_leave_or_rehabilitation', 'other', 'unknown', name='follow_up_outcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('by_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_follow_ups_by_id_users')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_follow_ups_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups')),
    sa.UniqueConstraint('participation_id', 'kind', name=op.f('uq_follow_ups_participation_id'))
    )
    op.create_table('participation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('end_reason', sa.Enum('completed', 'interrupted', name='event_end_reason', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('interruption_cause', sa.Enum('moved', 'illness', 'another_measure', 'other', 'unknown', name='event_interruption_cause', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('outcome', sa.Enum('employment', 'supported_employment', 'own_business', 'studies', 'labour_market_training', 'job_seeking', 'sick_leave_or_rehabilitation', 'other', 'unknown', name='event_outcome', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('by_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_participation_events_by_id_users')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_participation_events_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_events'))
    )
    with op.batch_alter_table('participation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_events_participation_id'), ['participation_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Uuid(), nullable=False),
    sa.Column('coach_id', sa.Uuid(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_reviews_coach_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_reviews_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('participation_id', 'coach_id', name=op.f('uq_reviews_participation_id'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_coach_id'), ['coach_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('participation_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('by_staff', sa.Boolean(), nullable=False),
    sa.Column('step_id', sa.Uuid(), nullable=True),
    sa.Column('activity_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_comments_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_comments_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_comments_step_id_steps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index('ix_comments_participation_created', ['participation_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_step_id'), ['step_id'], unique=False)

    with op.batch_alter_table('helpers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.Enum('completed', 'interrupted', name='end_reason', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('interruption_cause', sa.Enum('moved', 'illness', 'another_measure', 'other', 'unknown', name='interruption_cause', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('exit_outcome', sa.Enum('employment', 'supported_employment', 'own_business', 'studies', 'labour_market_training', 'job_seeking', 'sick_leave_or_rehabilitation', 'other', 'unknown', name='exit_outcome', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('comments_read_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            'end_complete',
            "(ended_on IS NULL AND end_reason IS NULL AND exit_outcome IS NULL AND interruption_cause IS NULL)"
            " OR (ended_on IS NOT NULL AND end_reason IS NOT NULL AND exit_outcome IS NOT NULL"
            " AND (end_reason = 'interrupted') = (interruption_cause IS NOT NULL))",
        )
        batch_op.create_check_constraint('end_after_enrolment', 'ended_on IS NULL OR ended_on >= enrolled_on')



def downgrade():
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_participations_end_after_enrolment'), type_='check')
        batch_op.drop_constraint(op.f('ck_participations_end_complete'), type_='check')
        # The enums' own CHECK constraints go first too: SQLite's table copy would keep them.
        for enum_check in ('ck_participations_exit_outcome', 'ck_participations_interruption_cause',
                           'ck_participations_end_reason'):
            batch_op.drop_constraint(op.f(enum_check), type_='check')
        batch_op.drop_column('comments_read_at')
        batch_op.drop_column('exit_outcome')
        batch_op.drop_column('interruption_cause')
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_on')

    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.drop_column('is_active')

    with op.batch_alter_table('helpers', schema=None) as batch_op:
        batch_op.drop_column('is_active')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_step_id'))
        batch_op.drop_index('ix_comments_participation_created')
        batch_op.drop_index(batch_op.f('ix_comments_activity_id'))

    op.drop_table('comments')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_coach_id'))

    op.drop_table('reviews')
    with op.batch_alter_table('participation_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participation_events_participation_id'))

    op.drop_table('participation_events')
    op.drop_table('follow_ups')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_access_log_participation_at')

    op.drop_table('access_log')
    with op.batch_alter_table('caseload_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caseload_shares_project_id'))
        batch_op.drop_index(batch_op.f('ix_caseload_shares_colleague_id'))

    op.drop_table('caseload_shares')
