"""Surveys and project goals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 02:21:44.384655

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('imported_questionnaires',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('imported_by_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_imported_questionnaires_imported_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_imported_questionnaires_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_questionnaires')),
    sa.UniqueConstraint('project_id', 'key', 'version', name=op.f('uq_imported_questionnaires_project_id'))
    )
    with op.batch_alter_table('imported_questionnaires', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_questionnaires_project_id'), ['project_id'], unique=False)

    op.create_table('project_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('share', 'count', name='goal_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('population', sa.String(length=64), nullable=False),
    sa.Column('condition', sa.String(length=64), nullable=False),
    sa.Column('item_key', sa.String(length=64), nullable=True),
    sa.Column('outcomes', sa.String(length=300), nullable=True),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_goals_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_goals'))
    )
    with op.batch_alter_table('project_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_goals_project_id'), ['project_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('participation_id', sa.Uuid(), nullable=False),
    sa.Column('occasion', sa.Enum('start', 'follow_up', 'exit', name='occasion', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('questionnaire_key', sa.String(length=64), nullable=False),
    sa.Column('questionnaire_version', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reopened_by_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_survey_responses_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['users.id'], name=op.f('fk_survey_responses_reopened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('participation_id', 'occasion', 'round', name=op.f('uq_survey_responses_participation_id'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_participation_id'), ['participation_id'], unique=False)

    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Uuid(), nullable=False),
    sa.Column('item_key', sa.String(length=64), nullable=False),
    sa.Column('value_int', sa.Integer(), nullable=True),
    sa.Column('value_text', sa.Text(), nullable=True),
    sa.Column('skipped', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_answers_response_id_survey_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers')),
    sa.UniqueConstraint('response_id', 'item_key', name=op.f('uq_survey_answers_response_id'))
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answers_item_value', ['item_key', 'value_int'], unique=False)

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_survey_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('follow_up_survey_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('follow_up_weeks', sa.Integer(), server_default='8', nullable=False))
        batch_op.add_column(sa.Column('exit_survey_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('suppression_threshold', sa.Integer(), server_default='5', nullable=False))
        batch_op.create_check_constraint('suppression_threshold', 'suppression_threshold >= 3')



def downgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_projects_suppression_threshold'), type_='check')
        batch_op.drop_column('suppression_threshold')
        batch_op.drop_column('exit_survey_key')
        batch_op.drop_column('follow_up_weeks')
        batch_op.drop_column('follow_up_survey_key')
        batch_op.drop_column('start_survey_key')

    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_answers_item_value')

    op.drop_table('survey_answers')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_participation_id'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('project_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_goals_project_id'))

    op.drop_table('project_goals')
    with op.batch_alter_table('imported_questionnaires', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_questionnaires_project_id'))

    op.drop_table('imported_questionnaires')
