"""Which surveys are due: the start survey from enrolment, the latest follow-up round every N
weeks while active, the exit survey once ended; overdue after 14 days; one query for many."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tests import factories
from tests.surveys.support import TODAY, end_participation, use_shipped_questionnaires
from webapp import clock
from webapp.extensions import db
from webapp.models import Occasion, Participation, SurveyResponse
from webapp.surveys.services import due_surveys

START, FOLLOW_UP, EXIT = Occasion.START, Occasion.FOLLOW_UP, Occasion.EXIT


def _person(build, world, days_ago: int):
    return build(factories.participant, world.project, world.coach, enrolled_on=TODAY - dt.timedelta(days=days_ago))


def _response(participation_id, occasion, round_=0, sent=False, reopened=False, key="stegvis-start"):
    """A factory: a response, begun (and sent, or sent and reopened)."""
    response = SurveyResponse(participation_id=participation_id, occasion=occasion, round=round_,
                              questionnaire_key=key, questionnaire_version=1, due_on=TODAY - dt.timedelta(days=3),
                              submitted_at=clock.now() if sent and not reopened else None,
                              reopened_at=clock.now() if reopened else None)
    db.session.add(response)
    db.session.flush()
    return response.id


def _due(read, person, today=TODAY):
    def run():
        p = db.session.get(Participation, person.participation_id)
        return [(d.occasion, d.round, d.due_on, d.overdue, d.response_id) for d in due_surveys([p], today)[p.id]]

    return read(run)


@pytest.fixture
def project(build, world):
    build(use_shipped_questionnaires, world.project.id, 6)
    return world


def test_nothing_is_due_when_the_project_has_chosen_no_questionnaires(build, world, read):
    person = _person(build, world, 100)
    assert _due(read, person) == []


def test_the_start_survey_is_due_from_the_day_of_enrolment(build, project, read):
    person = _person(build, project, 0)
    assert _due(read, person) == [(START, 0, TODAY, False, None)]
    later = _person(build, project, -3)  # enrolled in three days: nothing yet
    assert _due(read, later) == []


def test_the_start_survey_is_overdue_after_fourteen_days(build, project, read):
    assert _due(read, _person(build, project, 14))[0][3] is False
    assert _due(read, _person(build, project, 15))[0][3] is True


def test_follow_up_n_is_due_n_times_the_weeks_after_enrolment(build, project, read):
    person = _person(build, project, 41)
    assert [d[:2] for d in _due(read, person)] == [(START, 0)]
    person = _person(build, project, 42)
    assert _due(read, person)[1] == (FOLLOW_UP, 1, TODAY, False, None)


def test_only_the_latest_follow_up_round_is_offered_and_a_missed_one_is_skipped(build, project, read):
    person = _person(build, project, 90)  # rounds 1 (day 42) and 2 (day 84) have come
    build(_response, person.participation_id, START, sent=True)
    assert _due(read, person) == [(FOLLOW_UP, 2, TODAY - dt.timedelta(days=6), False, None)]


def test_a_sent_survey_is_no_longer_due_and_a_begun_one_is_due_with_its_response(build, project, read):
    person = _person(build, project, 50)
    started = build(_response, person.participation_id, START)
    build(_response, person.participation_id, FOLLOW_UP, 1, sent=True, key="stegvis-follow-up")
    assert _due(read, person) == [(START, 0, TODAY - dt.timedelta(days=3), False, started)]


def test_the_follow_up_keeps_coming_every_n_weeks(build, project, read):
    person = _person(build, project, 43)
    build(_response, person.participation_id, FOLLOW_UP, 1, sent=True, key="stegvis-follow-up")
    assert [d[:2] for d in _due(read, person)] == [(START, 0)]
    assert [d[:2] for d in _due(read, person, TODAY + dt.timedelta(days=41))] == [(START, 0), (FOLLOW_UP, 2)]


def test_an_ended_participation_is_offered_only_the_exit_survey(build, project, read):
    person = _person(build, project, 100)
    build(end_participation, person.participation_id, 20)
    assert _due(read, person) == [(EXIT, 0, TODAY - dt.timedelta(days=20), True, None)]
    build(_response, person.participation_id, EXIT, sent=True, key="stegvis-exit")
    assert _due(read, person) == []


def test_a_survey_the_coach_reopened_is_offered_again_whatever_its_round(build, project, read):
    person = _person(build, project, 100)
    build(_response, person.participation_id, START, sent=True)
    reopened = build(_response, person.participation_id, FOLLOW_UP, 1, reopened=True, key="stegvis-follow-up")
    build(_response, person.participation_id, FOLLOW_UP, 2, sent=True, key="stegvis-follow-up")
    assert [(d[0], d[1], d[4]) for d in _due(read, person)] == [(FOLLOW_UP, 1, reopened)]


def test_a_reopened_survey_waits_from_the_day_it_was_reopened(build, project, read):
    """Sent, then reopened by the coach seven weeks after it was due: not overdue at once (the
    caseload flagged it, and the page said "waiting since" the old day); overdue 15 days later."""
    person = _person(build, project, 100)

    def sent_then_reopened():
        reopened_at = dt.datetime.combine(TODAY, dt.time(10), tzinfo=clock.TIMEZONE)
        db.session.add(SurveyResponse(participation_id=person.participation_id, occasion=START, round=0,
                                      questionnaire_key="stegvis-start", questionnaire_version=1,
                                      due_on=TODAY - dt.timedelta(days=50), reopened_at=reopened_at))

    build(sent_then_reopened)
    def start_survey(today):
        [(since, overdue)] = [(d[2], d[3]) for d in _due(read, person, today) if d[0] == START]
        return since, overdue

    assert start_survey(TODAY) == (TODAY, False)
    assert start_survey(TODAY + dt.timedelta(days=15)) == (TODAY, True)


def test_due_surveys_for_a_caseload_is_one_query_for_any_number_of_participations(
    build, project, read, count_queries
):
    people = [_person(build, project, 10 + 20 * i) for i in range(6)]
    for person in people[:3]:
        build(_response, person.participation_id, START, sent=True)

    def due_for_all(n):
        ids = [p.participation_id for p in people[:n]]
        rows = list(db.session.scalars(select(Participation).where(Participation.id.in_(ids))
                                       .options(joinedload(Participation.project))))
        with count_queries() as queries:
            found = due_surveys(rows, TODAY)
        return queries(), found

    one, found_one = read(due_for_all, 1)
    many, found_many = read(due_for_all, 6)
    assert one == many == 1
    assert set(found_many) == {p.participation_id for p in people}
    assert found_one[people[0].participation_id] == []  # sent its start survey
    assert [d.occasion for d in found_many[people[5].participation_id]] == [START, FOLLOW_UP]
    assert read(lambda: due_surveys([], TODAY)) == {}
