"""The leader's services on their own, without requests."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from tests.leader.support import share
from webapp import clock
from webapp.auth import services as auth
from webapp.extensions import db
from webapp.leader import caseloads, coaches, lists, services
from webapp.models import AuthSession, CaseloadShare, Helper, Municipality, Participation, Project, User


def _project(world) -> Project:
    return db.session.get(Project, world.project.id)


def _user(staff) -> User:
    return db.session.get(User, staff.id)


def test_a_leader_gets_only_the_projects_they_work_in(app_context, world):
    leader = _user(world.leader)
    assert services.get_project(leader, world.project.public_id).name == "Norrskan"
    assert services.get_project(leader, world.project_b.public_id) is None
    assert services.get_project(leader, uuid.uuid4()) is None


def test_coaches_are_counted_with_their_participations_in_this_project_only(app_context, world):
    rows = coaches.coaches(_project(world))
    assert {row.coach.id: row.participations for row in rows} == {world.coach.id: 2, world.other_coach.id: 0}


def test_active_coaches_leave_out_stopped_accounts_and_other_projects(app_context, world):
    _user(world.other_coach).is_active = False
    assert [c.id for c in coaches.active_coaches(_project(world))] == [world.coach.id]
    assert coaches.get_coach(_project(world), world.coach_b.id) is None
    assert coaches.get_coach(_project(world), world.leader.id) is None, "a leader is not a coach"


def test_a_new_coach_has_a_working_code_and_no_password(app_context, world):
    coach, code = coaches.add_coach(_project(world), _user(world.leader), "Nina Berg", " Nina@Example.se ")
    assert (coach.login_name, coach.password_hash) == ("nina@example.se", None)
    assert auth.valid_activation_code(code).user_id == coach.id
    assert coaches.login_taken("NINA@example.se ")
    assert not coaches.login_taken("nina2@example.se")


def test_stopping_a_coach_ends_every_open_session(app_context, world):
    coach = _user(world.coach)
    auth.start_session(coach)
    auth.start_session(coach)
    coaches.set_active(coach, False)
    open_sessions = db.session.scalars(
        select(AuthSession).where(AuthSession.user_id == coach.id, AuthSession.ended_at.is_(None))).all()
    assert (coach.is_active, open_sessions) == (False, [])


def test_participations_come_with_participant_municipality_and_coach(app_context, world):
    rows = caseloads.participations(_project(world))
    assert [p.participant.name for p in rows] == ["Amina Hassan", "Erik Lind"]
    assert caseloads.get_participation(_project(world), world.r.participation_id) is None


def test_a_move_changes_the_coach(app_context, world):
    participation = db.session.get(Participation, world.p.participation_id)
    caseloads.move(participation, _user(world.other_coach))
    db.session.flush()
    assert participation.coach_id == world.other_coach.id


def test_only_shares_in_force_are_active(app_context, world, monkeypatch):
    today = clock.today()
    open_ended = share(world)
    until_today = share(world, colleague=world.coach, owner=world.other_coach, until=today)
    share(world, ended=True)
    share(world, until=today - dt.timedelta(days=1))
    project = _project(world)
    assert {s.id for s in caseloads.active_shares(project)} == {open_ended, until_today}
    assert caseloads.is_shared(project, _user(world.coach), _user(world.other_coach))
    monkeypatch.setattr("webapp.clock.today", lambda: today + dt.timedelta(days=1))
    assert {s.id for s in caseloads.active_shares(project)} == {open_ended}
    assert caseloads.get_active_share(project, until_today) is None


def test_ending_a_share_stamps_the_time(app_context, world):
    item = db.session.get(CaseloadShare, share(world))
    caseloads.end_share(item)
    assert item.ended_at is not None
    assert caseloads.active_shares(_project(world)) == []


def test_names_are_taken_whatever_the_case_but_not_by_the_entry_itself(app_context, world):
    project = _project(world)
    helper = db.session.get(Helper, world.project.helper_id)
    assert lists.name_taken(Helper, project, "ARBETSFÖRMEDLINGEN")
    assert not lists.name_taken(Helper, project, "arbetsförmedlingen", keep=helper)
    assert not lists.name_taken(Municipality, project, "Arbetsförmedlingen")
    assert not lists.name_taken(Helper, db.session.get(Project, world.project_b.id), "Ny hjälp")


def test_a_new_helper_goes_before_other(app_context, world):
    project = _project(world)
    entry = lists.add_entry(Helper, project, "Region Norrbotten")
    names = [h.name for h in lists.entries(Helper, project)]
    assert names[-2:] == ["Region Norrbotten", "Annan"]
    assert entry.is_active


def test_the_other_helper_cannot_be_hidden_but_others_can(app_context, world):
    other = db.session.get(Helper, world.project.other_helper_id)
    with pytest.raises(lists.OtherCannotBeHidden):
        lists.set_shown(other, False)
    assert other.is_active
    municipality = db.session.get(Municipality, world.project.municipality_id)
    lists.set_shown(municipality, False)
    assert not municipality.is_active
    assert lists.get_entry(Municipality, _project(world), municipality.public_id) is municipality
    assert lists.get_entry(Municipality, db.session.get(Project, world.project_b.id), municipality.public_id) is None

