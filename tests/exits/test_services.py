"""Ending, reopening and following up a participation, without requests."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from webapp import clock
from webapp.exits import services
from webapp.exits.services import EndData, ExitError, FollowUpData
from webapp.extensions import db
from webapp.models import (
    EndReason,
    FollowUp,
    FollowUpKind,
    InterruptionCause,
    Outcome,
    Participation,
    ParticipationEvent,
    User,
)

TODAY = clock.today()


@pytest.fixture
def p(app_context, world) -> Participation:
    return db.session.get(Participation, world.p.participation_id)


@pytest.fixture
def coach(app_context, world) -> User:
    return db.session.get(User, world.coach.id)


def _completed(day: dt.date | None = None, outcome: Outcome = Outcome.EMPLOYMENT) -> EndData:
    return EndData(day or TODAY - dt.timedelta(days=1), EndReason.COMPLETED, None, outcome)


def _ended(p: Participation, coach: User, day: dt.date | None = None) -> Participation:
    services.end_participation(p, coach, _completed(day), TODAY)
    db.session.flush()
    return p


def _events(p: Participation) -> list[ParticipationEvent]:
    return list(db.session.scalars(
        select(ParticipationEvent).where(ParticipationEvent.participation_id == p.id).order_by(ParticipationEvent.id)
    ))


def test_ending_writes_the_four_columns_and_the_history(p, coach):
    services.end_participation(p, coach, _completed(TODAY), TODAY)
    db.session.flush()
    db.session.refresh(p)
    assert (p.ended_on, p.end_reason, p.interruption_cause, p.exit_outcome) == (
        TODAY, EndReason.COMPLETED, None, Outcome.EMPLOYMENT)
    [event] = _events(p)
    assert (event.kind, event.on_date, event.end_reason, event.outcome, event.by_id) == (
        "ended", TODAY, EndReason.COMPLETED, Outcome.EMPLOYMENT, coach.id)


def test_an_interruption_keeps_its_cause(p, coach):
    data = EndData(p.enrolled_on, EndReason.INTERRUPTED, InterruptionCause.ILLNESS, Outcome.SICK_LEAVE_OR_REHABILITATION)
    services.end_participation(p, coach, data, TODAY)
    db.session.flush()
    db.session.refresh(p)
    assert (p.end_reason, p.interruption_cause) == (EndReason.INTERRUPTED, InterruptionCause.ILLNESS)
    assert _events(p)[0].interruption_cause is InterruptionCause.ILLNESS


@pytest.mark.parametrize(("data", "field"), [
    (EndData(None, EndReason.COMPLETED, None, Outcome.EMPLOYMENT), "ended_on"),
    (EndData(TODAY + dt.timedelta(days=1), EndReason.COMPLETED, None, Outcome.EMPLOYMENT), "ended_on"),
    (EndData(TODAY - dt.timedelta(days=61), EndReason.COMPLETED, None, Outcome.EMPLOYMENT), "ended_on"),
    (EndData(TODAY, None, None, Outcome.EMPLOYMENT), "reason"),
    (EndData(TODAY, EndReason.INTERRUPTED, None, Outcome.EMPLOYMENT), "cause"),
    (EndData(TODAY, EndReason.COMPLETED, InterruptionCause.MOVED, Outcome.EMPLOYMENT), "cause"),
    (EndData(TODAY, EndReason.COMPLETED, None, None), "outcome"),
])
def test_an_incomplete_or_contradictory_end_is_refused_and_changes_nothing(p, coach, data, field):
    with pytest.raises(ExitError) as refused:
        services.end_participation(p, coach, data, TODAY)
    assert field in refused.value.problems
    db.session.flush()
    db.session.refresh(p)
    assert p.ended_on is None and p.exit_outcome is None
    assert _events(p) == []


def test_the_enrolment_day_and_today_are_both_allowed(p, coach):
    assert services.end_problems(p, _completed(p.enrolled_on), TODAY) == {}
    assert services.end_problems(p, _completed(TODAY), TODAY) == {}


def test_an_ended_participation_cannot_be_ended_again(p, coach):
    _ended(p, coach)
    with pytest.raises(ExitError) as refused:
        services.end_participation(p, coach, _completed(TODAY, Outcome.STUDIES), TODAY)
    assert "" in refused.value.problems
    assert p.exit_outcome is Outcome.EMPLOYMENT
    assert len(_events(p)) == 1


def test_of_two_coaches_ending_at_once_the_second_is_refused(p, coach):
    # Another request ends it after this one loaded the participation.
    db.session.execute(
        update(Participation).where(Participation.id == p.id).values(
            ended_on=TODAY, end_reason=EndReason.COMPLETED, exit_outcome=Outcome.STUDIES),
        execution_options={"synchronize_session": False},
    )
    assert p.ended_on is None, "this session has not seen the other end"
    with pytest.raises(ExitError) as refused:
        services.end_participation(p, coach, _completed(TODAY), TODAY)
    assert "" in refused.value.problems
    assert p.exit_outcome is Outcome.STUDIES


def test_reopening_clears_the_end_keeps_the_history_and_removes_its_follow_ups(p, coach):
    _ended(p, coach)
    services.record_follow_up(p, coach, FollowUpData(FollowUpKind.WEEKS_4, Outcome.STUDIES, TODAY), TODAY)
    services.reopen_participation(p, coach, "  Ended by mistake  ", TODAY)
    db.session.flush()
    db.session.refresh(p)
    assert (p.ended_on, p.end_reason, p.interruption_cause, p.exit_outcome) == (None, None, None, None)
    assert [(e.kind, e.reason) for e in _events(p)] == [("ended", None), ("reopened", "Ended by mistake")]
    assert _events(p)[1].on_date == TODAY and _events(p)[1].by_id == coach.id
    assert db.session.scalar(select(func.count()).select_from(FollowUp)) == 0


@pytest.mark.parametrize(("ended", "reason", "field"), [
    (False, "Came back", ""),
    (True, "", "reason"),
    (True, "   ", "reason"),
    (True, "x" * 501, "reason"),
])
def test_reopening_needs_an_end_and_a_reason(p, coach, ended, reason, field):
    if ended:
        _ended(p, coach)
    with pytest.raises(ExitError) as refused:
        services.reopen_participation(p, coach, reason, TODAY)
    assert field in refused.value.problems
    assert p.is_ended is ended
    assert len(_events(p)) == (1 if ended else 0)


def test_a_reason_of_500_characters_is_enough(p, coach):
    _ended(p, coach)
    services.reopen_participation(p, coach, "x" * 500, TODAY)
    assert not p.is_ended


def test_end_reopen_end_keeps_every_step_in_the_history(p, coach):
    _ended(p, coach)
    services.reopen_participation(p, coach, "Wrong outcome", TODAY)
    data = EndData(TODAY, EndReason.INTERRUPTED, InterruptionCause.MOVED, Outcome.JOB_SEEKING)
    services.end_participation(p, coach, data, TODAY)
    db.session.flush()
    history = services.history(p.id)
    assert [(h.event.kind, h.event.outcome) for h in history] == [
        ("ended", Outcome.EMPLOYMENT), ("reopened", None), ("ended", Outcome.JOB_SEEKING)]
    assert {h.by_name for h in history} == {coach.name}
    assert p.exit_outcome is Outcome.JOB_SEEKING


def test_a_follow_up_of_the_same_kind_replaces_the_old_one(p, coach):
    _ended(p, coach, TODAY - dt.timedelta(days=40))
    services.record_follow_up(p, coach, FollowUpData(FollowUpKind.WEEKS_4, Outcome.JOB_SEEKING, TODAY - dt.timedelta(days=10)), TODAY)
    services.record_follow_up(p, coach, FollowUpData(FollowUpKind.MONTHS_6, Outcome.UNKNOWN, TODAY), TODAY)
    db.session.flush()
    services.record_follow_up(p, coach, FollowUpData(FollowUpKind.WEEKS_4, Outcome.EMPLOYMENT, TODAY), TODAY)
    db.session.flush()
    follow_ups = services.follow_ups(p.id)
    assert db.session.scalar(select(func.count()).select_from(FollowUp)) == 2
    assert (follow_ups[FollowUpKind.WEEKS_4].outcome, follow_ups[FollowUpKind.WEEKS_4].recorded_on) == (Outcome.EMPLOYMENT, TODAY)
    assert follow_ups[FollowUpKind.MONTHS_6].outcome is Outcome.UNKNOWN


@pytest.mark.parametrize(("ended", "data", "field"), [
    (False, FollowUpData(FollowUpKind.WEEKS_4, Outcome.STUDIES, TODAY), ""),
    (True, FollowUpData(FollowUpKind.WEEKS_4, Outcome.STUDIES, TODAY - dt.timedelta(days=11)), "recorded_on"),
    (True, FollowUpData(FollowUpKind.WEEKS_4, Outcome.STUDIES, TODAY + dt.timedelta(days=1)), "recorded_on"),
    (True, FollowUpData(FollowUpKind.WEEKS_4, Outcome.STUDIES, None), "recorded_on"),
    (True, FollowUpData(None, Outcome.STUDIES, TODAY), "kind"),
    (True, FollowUpData(FollowUpKind.MONTHS_6, None, TODAY), "outcome"),
])
def test_a_follow_up_needs_an_end_and_a_date_between_the_end_and_today(p, coach, ended, data, field):
    if ended:
        _ended(p, coach, TODAY - dt.timedelta(days=10))
    with pytest.raises(ExitError) as refused:
        services.record_follow_up(p, coach, data, TODAY)
    assert field in refused.value.problems
    assert services.follow_ups(p.id) == {}


@pytest.mark.parametrize(("ended_on", "kind", "due"), [
    (dt.date(2026, 3, 2), FollowUpKind.WEEKS_4, dt.date(2026, 3, 30)),
    (dt.date(2026, 3, 2), FollowUpKind.MONTHS_6, dt.date(2026, 9, 2)),
    (dt.date(2026, 8, 31), FollowUpKind.MONTHS_6, dt.date(2027, 2, 28)),
    (dt.date(2027, 8, 31), FollowUpKind.MONTHS_6, dt.date(2028, 2, 29)),
    (dt.date(2026, 12, 15), FollowUpKind.MONTHS_6, dt.date(2027, 6, 15)),
])
def test_follow_ups_are_due_four_weeks_and_six_months_after_the_end(ended_on, kind, due):
    assert services.follow_up_due(ended_on, kind) == due


def test_the_summary_of_an_active_participation_has_no_follow_ups(p, coach):
    summary = services.summary(p)
    assert (summary.history, summary.follow_ups, summary.due(FollowUpKind.WEEKS_4)) == ([], {}, None)
