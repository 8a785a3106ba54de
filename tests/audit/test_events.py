"""LOG-04 (first half): security events are in the audit log, with who, what and a short code."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.audit.support import events
from webapp.extensions import db
from webapp.models import AccessLog, AuditEvent, Role


def _one(read, name: str) -> AuditEvent:
    found = events(read, name)
    assert len(found) == 1, [(e.event, e.detail) for e in events(read)]
    return found[0]


def test_a_sign_in_is_recorded_with_its_method(client, world, read):
    client.sign_in(world.p.login)
    row = _one(read, "sign_in")
    assert (row.actor_id, row.actor_role, row.detail, row.action) == (
        world.p.user_id, Role.PARTICIPANT, "password", "auth.sign_in")


def test_a_failed_sign_in_names_the_account_when_it_exists(client, world, read):
    assert client.post_form("/sign-in", {"login_name": world.p.login, "password": "nej"}).status_code == 422
    row = _one(read, "sign_in_failed")
    assert (row.actor_id, row.detail) == (world.p.user_id, "password")


def test_a_failed_sign_in_for_a_name_nobody_has_stores_no_name(client, read):
    client.post_form("/sign-in", {"login_name": "nobody.here@example.se", "password": "nej"})
    row = _one(read, "sign_in_failed")
    assert row.actor_id is None and row.detail == "password"
    stored = " ".join(str(getattr(row, c.key)) for c in AuditEvent.__table__.columns)
    assert "nobody" not in stored


def test_a_wrong_activation_code_is_recorded(client, read):
    client.post_form("/activate", {"code": "ABCD-EFGH"})
    row = _one(read, "sign_in_failed")
    assert row.actor_id is None and row.detail == "activation_code"


def test_signing_out_is_recorded(client, world, read):
    client.sign_in(world.p.login)
    client.sign_out()
    assert _one(read, "sign_out").actor_id == world.p.user_id


def test_a_rate_limit_hit_is_recorded_once_with_the_account(client, world, read, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_SIGN_IN_ACCOUNT", "2 per minute")
    statuses = [client.post_form("/sign-in", {"login_name": world.q.login, "password": "nej"}).status_code
                for _ in range(3)]
    assert statuses == [422, 422, 429]
    row = _one(read, "rate_limited")
    assert (row.actor_id, row.detail) == (world.q.user_id, "auth.sign_in")
    assert len(events(read, "sign_in_failed")) == 2


def test_a_csrf_failure_is_recorded_with_who_sent_it(client, world, read):
    client.sign_in(world.p.login)
    assert client.post("/plan/goals/new", data={"text": "Ett mål"}).status_code == 400
    row = _one(read, "csrf_failed")
    assert (row.actor_id, row.detail) == (world.p.user_id, "plan.new_goal")


def test_opening_another_coachs_participant_is_recorded_as_denied(client, world, read):
    client.sign_in(world.coach_b.email)
    assert client.get(f"/coach/participants/{world.p.participation_id}").status_code == 404
    row = _one(read, "access_denied")
    assert (row.actor_id, row.participation_id, row.project_id, row.action) == (
        world.coach_b.id, world.p.participation_id, world.project.id, "coach.participant")
    # Not a read: the participant's "who has looked" list stays empty.
    assert read(lambda: db.session.scalar(select(func.count()).select_from(AccessLog))) == 0


def test_an_id_that_matches_nothing_is_not_recorded(client, world, read):
    client.sign_in(world.coach.email)
    assert client.get("/coach/participants/00000000-0000-4000-8000-000000000000").status_code == 404
    assert events(read, "access_denied") == []


def test_a_coach_closing_and_opening_an_account_is_recorded(client, world, read):
    client.sign_in(world.coach.email)
    base = f"/coach/participants/{world.p.participation_id}"
    assert client.post_form(f"{base}/deactivate").status_code == 303
    assert client.post_form(f"{base}/reactivate").status_code == 303
    closed, opened = _one(read, "account_disabled"), _one(read, "account_enabled")
    for row in (closed, opened):
        assert (row.actor_id, row.participation_id, row.detail) == (world.coach.id, world.p.participation_id,
                                                                   "participant")


def test_a_leader_switching_a_coach_off_is_recorded(client, world, read):
    client.sign_in(world.leader.email)
    url = f"/project/{world.project.public_id}/coaches/{world.other_coach.id}/deactivate"
    assert client.post_form(url).status_code == 303
    row = _one(read, "account_disabled")
    assert (row.actor_id, row.project_id, row.detail) == (world.leader.id, world.project.id,
                                                          f"coach:{world.other_coach.id.hex}")


def test_each_export_is_recorded_with_which_file(client, world, read):
    client.sign_in(world.leader.email)
    for path in ("report.csv", "report.xlsx", "report/anonymised.csv"):
        assert client.get(f"/project/{world.project.public_id}/{path}").status_code == 200
    rows = events(read, "export")
    assert [r.detail for r in rows] == ["goals.report_csv", "goals.report_xlsx", "goals.anonymised_csv"]
    assert {(r.actor_id, r.project_id) for r in rows} == {(world.leader.id, world.project.id)}
