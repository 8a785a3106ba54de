"""The goal report's look-up of steps that name who helps: an index of only those steps

The report asks, for each participation in the period, whether a step in its plan (not deleted)
names who helps. Before, it grouped every such step of the project and joined the result; over
100 000 participations that took about a third of the report's time. This partial index holds
only those steps (in the plan, not deleted, a helper chosen), so each participation is one
look-up in a small index. Building it reads the steps once (about a second for 300 000 steps).
On SQLite, a database that already has planner statistics (someone ran ANALYZE) gets them for
the new index too: with statistics for the other indexes of steps and none for this one, SQLite
chose the older index and the report was no faster.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-24 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# The same words as webapp.models.plan.STEP_WITH_HELPER (a migration does not import the app).
WHERE = "helper_id IS NOT NULL AND deleted_at IS NULL AND state = 'in_plan'"


def upgrade():
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.create_index('ix_steps_with_helper', ['participation_id'], unique=False,
                              sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.execute(
        sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ).first():
        op.execute("ANALYZE steps")


def downgrade():
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.drop_index('ix_steps_with_helper')
