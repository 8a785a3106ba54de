"""Indexes for the deletes of the purge (activities by step, passkey challenges by person) and for staff's projects

Found by tests/test_indexes.py, which explains every query of every page on PostgreSQL and checks
that each delete of the purge, and each foreign key those deletes must check, has an index.
Deleting a step sets activities.step_id to NULL in the activities that name it: without an index
that read the whole activity log once per step. On PostgreSQL the index on 5 million activities
takes about half a minute to build and blocks writes to the table meanwhile: run the upgrade
outside working hours. Staff's projects are looked up by the person on every page a coach or
leader opens: project_staff had only its key (project, person), which cannot serve that lookup.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 14:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_step_id'), ['step_id'], unique=False)
    with op.batch_alter_table('passkey_challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passkey_challenges_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('project_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_staff_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('project_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_staff_user_id'))
    with op.batch_alter_table('passkey_challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passkey_challenges_user_id'))
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_step_id'))
