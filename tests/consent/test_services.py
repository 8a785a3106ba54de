"""Consent and sharing without requests: what a consent allows, and what a share contains."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from tests import factories
from webapp import audit, clock
from webapp.consent import services
from webapp.consent.services import NewConsent, ShareRefused
from webapp.extensions import db
from webapp.models import (
    Activity,
    ActivityKind,
    CapacityLevel,
    Consent,
    ConsentShare,
    Participation,
    SharePart,
    StepState,
    User,
)

TODAY = clock.today()
BOTH = frozenset(SharePart)
PLAN = frozenset({SharePart.PLAN})
SUMMARY = frozenset({SharePart.ACTIVITY_SUMMARY})


@pytest.fixture
def events(monkeypatch) -> list[tuple]:
    """The audit events the consent services record, as (event, actor id, participation id, detail)."""
    seen = []

    def record(event, *, actor=None, participation=None, project_id=None, detail=None):
        seen.append((event, actor.id if actor else None, participation.id if participation else None, detail))

    monkeypatch.setattr(audit, "record_event", record)
    return seen


@pytest.fixture
def p(app_context, world) -> Participation:
    return db.session.get(Participation, world.p.participation_id)


@pytest.fixture
def coach(app_context, world) -> User:
    return db.session.get(User, world.coach.id)


def _shares() -> int:
    return db.session.scalar(select(func.count()).select_from(ConsentShare))


# --- AC-07: only a valid consent lets a share through -----------------------------------------


def _no_consent(world):
    return uuid.uuid4()


def _another_participants(world):
    return factories.consent(world.q)


def _for_another_part(world):
    return factories.consent(world.p, parts=("activity_summary",))


def _expired(world):
    return factories.consent(world.p, valid_until=TODAY - dt.timedelta(days=1))


def _withdrawn(world):
    return factories.consent(world.p, withdrawn=True)


@pytest.mark.parametrize("make", [_no_consent, _another_participants, _for_another_part, _expired, _withdrawn],
                         ids=["no consent", "another participant's", "another part", "expired", "withdrawn"])
def test_a_share_without_a_valid_consent_is_refused_and_not_recorded(p, coach, world, events, make):
    consent_id = make(world)
    with pytest.raises(ShareRefused):
        services.share(p, consent_id, PLAN, coach, TODAY)
    assert _shares() == 0
    assert [e for e in events if e[0] == "share"] == []


def test_a_share_under_a_valid_consent_is_recorded_with_its_parts_and_basis(p, coach, world, events):
    consent_id = factories.consent(world.p, parts=("plan",), valid_until=TODAY)  # its last day: still valid
    made = services.share(p, consent_id, PLAN, coach, TODAY)
    db.session.flush()
    row = db.session.scalar(select(ConsentShare))
    assert (row.id, row.consent_id, row.participation_id, row.shared_by_id, row.parts) == (
        made.id, consent_id, p.id, coach.id, PLAN)
    assert events == [("share", coach.id, p.id, str(consent_id))]


def test_a_share_of_nothing_is_refused(p, coach, world):
    consent_id = factories.consent(world.p)
    with pytest.raises(ShareRefused):
        services.share(p, consent_id, frozenset(), coach, TODAY)
    assert _shares() == 0


def test_a_consent_for_both_parts_allows_either_or_both(world, app_context):
    consent = db.session.get(Consent, factories.consent(world.p))
    assert consent.allows(PLAN, TODAY) and consent.allows(SUMMARY, TODAY) and consent.allows(BOTH, TODAY)
    only_plan = db.session.get(Consent, factories.consent(world.p, parts=("plan",)))
    assert not only_plan.allows(BOTH, TODAY) and not only_plan.allows(SUMMARY, TODAY)


def test_a_consent_ends_after_its_last_day(world, app_context):
    consent = db.session.get(Consent, factories.consent(world.p, valid_until=TODAY))
    assert consent.is_valid(TODAY)
    assert not consent.is_valid(TODAY + dt.timedelta(days=1))


# --- giving and withdrawing -------------------------------------------------------------------


def test_giving_a_consent_records_it_and_the_event(p, world, events):
    me = db.session.get(User, world.p.user_id)
    consent = services.give_consent(
        p, me, NewConsent(" Arbetsförmedlingen Piteå ", PLAN, "  Praktik  ", TODAY + dt.timedelta(days=30)), TODAY)
    assert (consent.recipient, consent.purpose, consent.parts, consent.on_paper, consent.given_by_id) == (
        "Arbetsförmedlingen Piteå", "Praktik", PLAN, False, me.id)
    assert events == [("consent_given", me.id, p.id, str(consent.id))]


def test_a_coach_records_a_consent_signed_on_paper(p, coach, events):
    consent = services.give_consent(p, coach, NewConsent("Försäkringskassan", BOTH), TODAY, on_paper=True)
    assert consent.on_paper and consent.given_by_id == coach.id
    assert events == [("consent_given", coach.id, p.id, str(consent.id))]


@pytest.mark.parametrize(("data", "field"), [
    (NewConsent("", PLAN), "recipient"),
    (NewConsent("   ", PLAN), "recipient"),
    (NewConsent("x" * 121, PLAN), "recipient"),
    (NewConsent("Arbetsförmedlingen", frozenset()), "parts"),
    (NewConsent("Arbetsförmedlingen", PLAN, "x" * 201), "purpose"),
    (NewConsent("Arbetsförmedlingen", PLAN, None, TODAY), "valid_until"),
    (NewConsent("Arbetsförmedlingen", PLAN, None, TODAY - dt.timedelta(days=3)), "valid_until"),
])
def test_an_incomplete_consent_is_refused_and_nothing_is_saved(p, world, events, data, field):
    me = db.session.get(User, world.p.user_id)
    with pytest.raises(services.ConsentError) as refused:
        services.give_consent(p, me, data, TODAY)
    assert field in refused.value.problems
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(Consent)) == 0
    assert events == []


def test_withdrawing_is_recorded_once(p, coach, world, events):
    consent = db.session.get(Consent, factories.consent(world.p))
    me = db.session.get(User, world.p.user_id)
    first = clock.now()
    assert services.withdraw(consent, me, first) is True
    assert services.withdraw(consent, coach, first + dt.timedelta(hours=1)) is False
    assert (consent.withdrawn_at, consent.withdrawn_by_id) == (first, me.id)
    assert events == [("consent_withdrawn", me.id, p.id, str(consent.id))]
    assert not consent.is_valid(TODAY)


def test_the_list_has_each_consents_own_shares_newest_first(p, coach, world):
    first = factories.consent(world.p, "Arbetsförmedlingen")
    second = factories.consent(world.p, "Försäkringskassan", parts=("plan",))
    factories.consent(world.q, "Socialtjänsten")
    services.share(p, first, PLAN, coach, TODAY)
    services.share(p, first, BOTH, coach, TODAY)
    services.share(p, second, PLAN, coach, TODAY)
    views = {view.consent.recipient: view for view in services.consents(p)}
    assert set(views) == {"Arbetsförmedlingen", "Försäkringskassan"}
    assert [s.parts for s in views["Arbetsförmedlingen"].shares] == [BOTH, PLAN]
    assert [s.consent_id for s in views["Försäkringskassan"].shares] == [second]


def test_the_coach_sees_only_the_consents_valid_today(p, world):
    valid = factories.consent(world.p, "Arbetsförmedlingen")
    factories.consent(world.p, "Försäkringskassan", withdrawn=True)
    factories.consent(world.p, "Socialtjänsten", valid_until=TODAY - dt.timedelta(days=1))
    overview = services.coach_overview(p, TODAY)
    assert [c.id for c in overview.valid] == [valid]
    assert overview.others == 2


# --- what is shared ---------------------------------------------------------------------------


def test_the_activity_summary_counts_kinds_and_time_per_month_with_the_capacity(p, world):
    this_month = TODAY.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    factories.capacity(world.p, CapacityLevel.P50, p.enrolled_on)
    factories.activity(world.p, this_month, 60, ActivityKind.SFI, note="Hemligt om min hälsa")
    factories.activity(world.p, this_month, 30, ActivityKind.SFI)
    factories.activity(world.p, this_month, 45, ActivityKind.JOB_APPLICATION)
    factories.activity(world.p, last_month, 120, ActivityKind.WORK_PLACEMENT)
    gone = factories.activity(world.p, last_month, 600, ActivityKind.HEALTH)
    db.session.get(Activity, gone).deleted_at = clock.now()
    factories.activity(world.q, this_month, 240, ActivityKind.HEALTH)

    months, history = services.activity_summary(p, TODAY)
    assert months[0].start == this_month
    assert months[0].counts == {ActivityKind.SFI: 2, ActivityKind.JOB_APPLICATION: 1}
    assert (months[0].total, months[0].minutes) == (3, 135)
    assert months[0].capacity.level is CapacityLevel.P50
    by_start = {m.start: m for m in months}
    assert by_start[last_month].counts == {ActivityKind.WORK_PLACEMENT: 1}
    assert by_start[last_month].minutes == 120
    # Every month since the enrolment, also the empty ones.
    assert months[-1].start == p.enrolled_on.replace(day=1)
    assert [h.level for h in history] == [CapacityLevel.P50]


def test_the_shared_content_has_only_the_parts_asked_for(p, world):
    goal = factories.goal(world.p, "Jobba i vården")
    factories.step(world.p, goal, "Ringa äldreboendet")
    factories.activity(world.p, TODAY)
    only_plan = services.shared_content(p, PLAN, TODAY)
    assert [g.goal.text for g in only_plan.plan.goals] == ["Jobba i vården"]
    assert only_plan.months == [] and only_plan.capacity is None
    only_summary = services.shared_content(p, SUMMARY, TODAY)
    assert only_summary.plan is None and only_summary.months


def test_the_shared_plan_leaves_out_the_coachs_open_suggestions(p, world):
    goal = factories.goal(world.p)
    factories.step(world.p, goal, "Mitt steg")
    factories.step(world.p, goal, "Coachens förslag", state=StepState.SUGGESTED, suggested_by=world.coach)
    content = services.shared_content(p, PLAN, TODAY)
    assert [s.text for s in content.plan.all_steps] == ["Mitt steg"]
    assert content.plan.suggestions == []


def test_a_double_tap_gives_one_consent_but_a_different_one_is_new(p, world, events):
    me = db.session.get(User, world.p.user_id)
    data = NewConsent("Arbetsförmedlingen", PLAN, "Praktik")
    first = services.give_consent(p, me, data, TODAY)
    assert services.give_consent(p, me, NewConsent("Arbetsförmedlingen ", PLAN, " Praktik"), TODAY) is first
    other = services.give_consent(p, me, NewConsent("Arbetsförmedlingen", BOTH, "Praktik"), TODAY)
    assert other is not first
    assert db.session.scalar(select(func.count()).select_from(Consent)) == 2
    assert [e[0] for e in events] == ["consent_given", "consent_given"]
