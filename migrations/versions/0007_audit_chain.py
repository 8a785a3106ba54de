"""Audit log: hash chain, security events, append-only

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 09:00:00

The access log becomes the audit log (same table, access_log). A row is a read (kind "read",
as before) or a security event (kind "event", with its name and a short detail code). Every row
is linked into a SHA-256 hash chain; the rows already there are linked here, oldest first.
Triggers refuse UPDATE always and DELETE of rows younger than 5 years, on SQLite and PostgreSQL.
A participation with audit rows can no longer be deleted (the foreign key loses ON DELETE CASCADE).

Down: the events are deleted (the old table has no place for them); the reads stay.
"""
import datetime as dt
import enum
import hashlib
import json
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# A frozen copy of the chain in webapp/models/audit.py (migrations do not import app code).
# tests/audit/test_migration.py checks that the app's verifier accepts what this writes.
GENESIS = "0" * 64
FORMAT = "stegvis-audit-1"
FIELDS = ("at", "kind", "event", "actor_id", "actor_role", "participation_id", "project_id", "action", "detail",
          "request_id")

KIND_CHECK = ("(kind = 'read' AND event IS NULL AND actor_id IS NOT NULL AND participation_id IS NOT NULL)"
              " OR (kind = 'event' AND event IS NOT NULL)")

SQLITE_TRIGGERS = {
    "access_log_no_update": (
        "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
        "BEGIN SELECT RAISE(ABORT, 'access_log is append-only: a row cannot be changed'); END"
    ),
    "access_log_no_early_delete": (
        "CREATE TRIGGER access_log_no_early_delete BEFORE DELETE ON access_log "
        "WHEN OLD.at > datetime('now', '-5 years') "
        "BEGIN SELECT RAISE(ABORT, 'access_log rows are kept for 5 years'); END"
    ),
}
POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.at <= now() - interval '5 years' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'access_log rows are kept for 5 years';
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'access_log is append-only: a row cannot be changed';
END
$$
"""
POSTGRESQL_TRIGGERS = {
    "access_log_append_only": (
        "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
        "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()"
    ),
    "access_log_no_truncate": (
        "CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()"
    ),
}


def _plain(value):
    if value is None or isinstance(value, int | str) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value)


def _hash(prev_hash, values):
    content = json.dumps([FORMAT, *(_plain(values.get(name)) for name in FIELDS)], separators=(",", ":"),
                         ensure_ascii=True)
    return hashlib.sha256(f"{prev_hash}\n{content}".encode("ascii")).hexdigest()


def _link_existing_rows():
    bind = op.get_bind()
    log = sa.table(
        "access_log",
        sa.column("id", sa.Integer()), sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor_id", sa.Uuid()), sa.column("actor_role", sa.String()),
        sa.column("participation_id", sa.Uuid()), sa.column("action", sa.String()),
        sa.column("kind", sa.String()), sa.column("project_id", sa.Integer()),
        sa.column("prev_hash", sa.String()), sa.column("hash", sa.String()),
    )
    participations = sa.table("participations", sa.column("id", sa.Uuid()), sa.column("project_id", sa.Integer()))
    rows = bind.execute(
        sa.select(log.c.id, log.c.at, log.c.actor_id, log.c.actor_role, log.c.participation_id, log.c.action,
                  participations.c.project_id)
        .select_from(log.outerjoin(participations, participations.c.id == log.c.participation_id))
        .order_by(log.c.id)
    ).all()
    prev_hash = GENESIS
    for row in rows:
        values = {"at": row.at, "kind": "read", "event": None, "actor_id": row.actor_id,
                  "actor_role": row.actor_role, "participation_id": row.participation_id,
                  "project_id": row.project_id, "action": row.action, "detail": None, "request_id": None}
        row_hash = _hash(prev_hash, values)
        bind.execute(log.update().where(log.c.id == row.id)
                     .values(kind="read", project_id=row.project_id, prev_hash=prev_hash, hash=row_hash))
        prev_hash = row_hash


def upgrade():
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('event', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('project_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('detail', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('request_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.alter_column('actor_id', existing_type=sa.Uuid(), nullable=True)
        batch_op.alter_column('actor_role', existing_type=sa.String(length=11), nullable=True)
        batch_op.alter_column('participation_id', existing_type=sa.Uuid(), nullable=True)
        batch_op.alter_column('action', existing_type=sa.String(length=64), nullable=True)
        batch_op.drop_constraint('fk_access_log_participation_id_participations', type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_access_log_participation_id_participations'), 'participations',
                                    ['participation_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_access_log_project_id_projects'), 'projects',
                                    ['project_id'], ['id'])

    _link_existing_rows()

    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=8), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_access_log_prev_hash'), ['prev_hash'])
        batch_op.create_unique_constraint(batch_op.f('uq_access_log_hash'), ['hash'])
        batch_op.create_check_constraint(batch_op.f('ck_access_log_kind'), KIND_CHECK)
        batch_op.create_index('ix_access_log_project_at', ['project_id', 'at'], unique=False)
        batch_op.create_index('ix_access_log_actor_at', ['actor_id', 'at'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for ddl in POSTGRESQL_TRIGGERS.values():
            op.execute(ddl)
    else:
        for ddl in SQLITE_TRIGGERS.values():
            op.execute(ddl)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in POSTGRESQL_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON access_log")
        op.execute("DROP FUNCTION IF EXISTS access_log_append_only()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DELETE FROM access_log WHERE kind <> 'read'")

    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_access_log_actor_at')
        batch_op.drop_index('ix_access_log_project_at')
        batch_op.drop_constraint(batch_op.f('ck_access_log_kind'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_access_log_hash'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_access_log_prev_hash'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_access_log_project_id_projects'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_access_log_participation_id_participations'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_access_log_participation_id_participations'), 'participations',
                                    ['participation_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('request_id')
        batch_op.drop_column('detail')
        batch_op.drop_column('project_id')
        batch_op.drop_column('event')
        batch_op.drop_column('kind')
        batch_op.alter_column('action', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('participation_id', existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column('actor_role', existing_type=sa.String(length=11), nullable=False)
        batch_op.alter_column('actor_id', existing_type=sa.Uuid(), nullable=False)
