"""The coach ends a participation, reopens it and records follow-ups, with plain forms."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests import factories
from tests.html import parse, textarea_value
from webapp import clock
from webapp.extensions import db
from webapp.models import (
    EndReason,
    FollowUp,
    FollowUpKind,
    InterruptionCause,
    Outcome,
    Participation,
    ParticipationEvent,
)

TODAY = clock.today()


@pytest.fixture
def coach(client, world):
    client.sign_in(world.coach.email)
    client.post_form("/language", {"lang": "en", "next": "/coach"})
    return client


@pytest.fixture
def url(world):
    return lambda page="": f"/coach/participants/{world.p.participation_id}{page}"


def _state(read, world):
    """The end columns, the history and the follow-ups: what a refused request must not change."""
    def snapshot():
        p = db.session.get(Participation, world.p.participation_id)
        events = db.session.execute(select(ParticipationEvent.kind, ParticipationEvent.outcome)).all()
        follow_ups = db.session.execute(select(FollowUp.kind, FollowUp.outcome, FollowUp.recorded_on)).all()
        return (p.ended_on, p.end_reason, p.interruption_cause, p.exit_outcome), sorted(events), sorted(follow_ups)

    return read(snapshot)


def _end(**change):
    return {"ended_on": (TODAY - dt.timedelta(days=3)).isoformat(), "reason": "completed", "cause": "",
            "outcome": "employment", **change}


def _refused(client, url, data, field, message):
    """A POST that must answer 422 with the message next to the field; returns the page."""
    response = client.post_form(url, data)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert message in page.find(id=f"{field}-error").get_text()
    return page


def _checked(page, name):
    found = page.find("input", attrs={"name": name, "checked": True})
    return found["value"] if found else None


def _ended(build, world, days_ago=10):
    def end():
        p = db.session.get(Participation, world.p.participation_id)
        p.ended_on, p.end_reason, p.exit_outcome = TODAY - dt.timedelta(days=days_ago), EndReason.COMPLETED, Outcome.STUDIES
        db.session.add(ParticipationEvent(participation_id=p.id, kind="ended", on_date=p.ended_on,
                                          end_reason=p.end_reason, outcome=p.exit_outcome, by_id=world.coach.id))
    build(end)


# --- ending ---------------------------------------------------------------------------------


def test_the_end_form_starts_with_today(coach, url):
    page = parse(coach.get(url("/end")).get_data(as_text=True))
    assert page.find(id="ended_on")["value"] == TODAY.isoformat()
    assert _checked(page, "cause") == "", '"Does not apply" is chosen until the coach says otherwise'


def test_the_coach_ends_a_participation_and_sees_it_on_the_participants_page(coach, url, read, world):
    response = coach.post_form(url("/end"), _end(reason="interrupted", cause="another_measure", outcome="labour_market_training"))
    assert response.status_code == 303
    assert response.headers["Location"] == url()
    p = read(lambda: db.session.get(Participation, world.p.participation_id))
    assert (p.ended_on, p.end_reason, p.interruption_cause, p.exit_outcome) == (
        TODAY - dt.timedelta(days=3), EndReason.INTERRUPTED, InterruptionCause.ANOTHER_MEASURE,
        Outcome.LABOUR_MARKET_TRAINING)
    event = read(lambda: db.session.scalar(select(ParticipationEvent)))
    assert (event.kind, event.by_id, event.interruption_cause) == ("ended", world.coach.id, InterruptionCause.ANOTHER_MEASURE)
    page = parse(coach.get(url()).get_data(as_text=True))
    assert "The participation is ended." in page.select_one("#status").get_text()
    summary = page.select_one(".exit-summary").get_text(" ", strip=True)
    for words in ("Interrupted: Started another measure", "Labour-market training", "Not recorded yet", world.coach.name):
        assert words in summary
    links = {a["href"] for a in page.select(".exit-summary a")}
    assert {url("/follow-up"), url("/reopen")} <= links and url("/end") not in links


def test_an_active_participation_offers_the_end_on_the_participants_page(coach, url):
    page = parse(coach.get(url()).get_data(as_text=True))
    assert page.select_one(f".exit-summary a[href='{url('/end')}']") is not None


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"ended_on": ""}, "ended_on", "Write the last day"),  # an outcome without an end date
    ({"ended_on": "23/13/2026"}, "ended_on", "Write the date like this"),
    ({"ended_on": (TODAY - dt.timedelta(days=61)).isoformat()}, "ended_on", "cannot be before the start date"),
    ({"ended_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "ended_on", "cannot be in the future"),
    ({"reason": "interrupted"}, "cause", "Choose why the participation was interrupted"),
    ({"cause": "moved"}, "cause", "Give a cause only when the participation was interrupted"),
    ({"reason": ""}, "reason", "Choose how the participation ended"),
    ({"reason": "finished"}, "reason", "Choose how the participation ended"),
    ({"reason": "interrupted", "cause": "bored"}, "cause", "Choose one of the causes"),
    ({"outcome": ""}, "outcome", "Choose where the participant went"),
    ({"outcome": "lottery_win"}, "outcome", "Choose one of the outcomes"),
])
def test_a_bad_end_is_refused_next_to_its_field_with_the_input_kept(coach, url, read, world, change, field, message):
    before = _state(read, world)
    data = _end(**change)
    page = _refused(coach, url("/end"), data, field, message)
    assert page.select_one(".error-summary") is not None
    assert page.find("title").get_text().startswith("Error:")
    assert page.find(id="ended_on")["value"] == data["ended_on"]
    for name in ("reason", "cause", "outcome"):
        if data[name] in {"completed", "interrupted", "", "employment", "moved"}:
            assert _checked(page, name) == (data[name] or (None if name != "cause" else ""))
    assert _state(read, world) == before


def test_an_ended_participation_cannot_be_ended_again(coach, url, read, world, build):
    _ended(build, world)
    page = parse(coach.get(url("/end")).get_data(as_text=True))
    assert "already ended" in page.find("h1").get_text()
    assert page.select_one(f"a[href='{url('/reopen')}']") is not None
    before = _state(read, world)
    response = coach.post_form(url("/end"), _end())
    assert response.status_code == 422
    assert "already ended" in parse(response.get_data(as_text=True)).select_one(".error-summary").get_text()
    assert _state(read, world) == before


# --- reopening ------------------------------------------------------------------------------


def test_the_coach_reopens_with_a_reason_and_the_history_shows_it(coach, url, read, world, build):
    _ended(build, world)
    response = coach.post_form(url("/reopen"), {"reason": "Slutade av misstag"})
    assert response.status_code == 303 and response.headers["Location"] == url()
    p = read(lambda: db.session.get(Participation, world.p.participation_id))
    assert (p.ended_on, p.end_reason, p.interruption_cause, p.exit_outcome) == (None, None, None, None)
    page = parse(coach.get(url()).get_data(as_text=True))
    assert "The participation is active again." in page.select_one("#status").get_text()
    history = [li.get_text(" ", strip=True) for li in page.select(".exit-history > li")]
    assert len(history) == 2 and "Slutade av misstag" in history[1] and world.coach.name in history[1]


@pytest.mark.parametrize(("reason", "message"), [
    ("", "Write why"),
    ("   ", "Write why"),
    ("x" * 501, "at most 500 characters. Now there are 501"),
])
def test_a_reopening_needs_a_reason(coach, url, read, world, build, reason, message):
    _ended(build, world)
    before = _state(read, world)
    page = _refused(coach, url("/reopen"), {"reason": reason}, "reason", message)
    assert textarea_value(page.find(id="reason")) == reason.strip()
    assert _state(read, world) == before


def test_an_active_participation_cannot_be_reopened(coach, url, read, world):
    page = coach.get(url("/reopen"))
    assert page.status_code == 200
    assert "has not ended" in parse(page.get_data(as_text=True)).find("h1").get_text()
    before = _state(read, world)
    response = coach.post_form(url("/reopen"), {"reason": "Why not"})
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert "cannot be reopened" in page.select_one(".error-summary").get_text()
    assert textarea_value(page.find(id="reason")) == "Why not"
    assert _state(read, world) == before


def test_end_reopen_end_is_one_history_and_the_last_end_counts(coach, url, read, world):
    assert coach.post_form(url("/end"), _end(outcome="employment")).status_code == 303
    assert coach.post_form(url("/reopen"), {"reason": "Fel utfall"}).status_code == 303
    assert coach.post_form(url("/end"), _end(outcome="studies")).status_code == 303
    events = read(lambda: db.session.execute(
        select(ParticipationEvent.kind, ParticipationEvent.outcome, ParticipationEvent.reason).order_by(ParticipationEvent.id)
    ).all())
    assert [tuple(e) for e in events] == [
        ("ended", Outcome.EMPLOYMENT, None), ("reopened", None, "Fel utfall"), ("ended", Outcome.STUDIES, None)]
    assert read(lambda: db.session.get(Participation, world.p.participation_id).exit_outcome) is Outcome.STUDIES
    page = parse(coach.get(url()).get_data(as_text=True))
    assert len(page.select(".exit-history > li")) == 3


# --- follow-ups -----------------------------------------------------------------------------


def test_follow_ups_are_recorded_and_replaced_per_kind(coach, url, read, world, build):
    _ended(build, world, days_ago=40)
    page = parse(coach.get(url("/follow-up")).get_data(as_text=True))
    assert _checked(page, "kind") == "4_weeks"
    assert page.find(id="recorded_on")["value"] == TODAY.isoformat()
    day = (TODAY - dt.timedelta(days=5)).isoformat()
    assert coach.post_form(url("/follow-up"), {"kind": "4_weeks", "outcome": "job_seeking", "recorded_on": day}).status_code == 303
    page = parse(coach.get(url("/follow-up")).get_data(as_text=True))
    assert _checked(page, "kind") == "6_months", "the next missing follow-up is offered"
    assert coach.post_form(url("/follow-up"), {"kind": "4_weeks", "outcome": "employment", "recorded_on": day}).status_code == 303
    rows = read(lambda: db.session.execute(select(FollowUp.kind, FollowUp.outcome, FollowUp.by_id)).all())
    assert [tuple(r) for r in rows] == [(FollowUpKind.WEEKS_4, Outcome.EMPLOYMENT, world.coach.id)]
    summary = parse(coach.get(url()).get_data(as_text=True)).select_one(".exit-summary").get_text(" ", strip=True)
    assert "Employment" in summary and "Looking for work" not in summary


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"recorded_on": (TODAY - dt.timedelta(days=41)).isoformat()}, "recorded_on", "before the end of the participation"),
    ({"recorded_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "recorded_on", "cannot be in the future"),
    ({"recorded_on": ""}, "recorded_on", "Write the date of the follow-up"),
    ({"kind": "1_year"}, "kind", "Choose which follow-up"),
    ({"kind": ""}, "kind", "Choose which follow-up"),
    ({"outcome": "lottery_win"}, "outcome", "Choose one of the outcomes"),
])
def test_a_bad_follow_up_is_refused_next_to_its_field(coach, url, read, world, build, change, field, message):
    _ended(build, world, days_ago=40)
    before = _state(read, world)
    data = {"kind": "6_months", "outcome": "studies", "recorded_on": TODAY.isoformat(), **change}
    page = _refused(coach, url("/follow-up"), data, field, message)
    assert page.find(id="recorded_on")["value"] == data["recorded_on"]
    if field != "outcome":
        assert _checked(page, "outcome") == "studies"
    assert _state(read, world) == before


def test_no_follow_up_before_the_participation_has_ended(coach, url, read, world):
    page = coach.get(url("/follow-up"))
    assert page.status_code == 200
    assert parse(page.get_data(as_text=True)).select_one(f"a[href='{url('/end')}']") is not None
    before = _state(read, world)
    response = coach.post_form(url("/follow-up"), {"kind": "4_weeks", "outcome": "studies", "recorded_on": TODAY.isoformat()})
    assert response.status_code == 422
    assert "has not ended" in parse(response.get_data(as_text=True)).select_one(".error-summary").get_text()
    assert _state(read, world) == before


def test_reopening_removes_the_follow_ups_of_that_end(coach, url, read, world, build):
    _ended(build, world, days_ago=40)
    coach.post_form(url("/follow-up"), {"kind": "4_weeks", "outcome": "studies", "recorded_on": TODAY.isoformat()})
    page = parse(coach.get(url("/reopen")).get_data(as_text=True))
    assert "follow-ups recorded after this end are removed" in page.get_text()
    assert coach.post_form(url("/reopen"), {"reason": "Tillbaka i projektet"}).status_code == 303
    assert read(lambda: db.session.scalar(select(FollowUp))) is None


# --- the participant's page -----------------------------------------------------------------


def test_the_participants_page_does_not_grow_in_queries_with_ends_and_follow_ups(coach, url, world, count_queries):
    def cycle():
        assert coach.post_form(url("/end"), _end()).status_code == 303
        assert coach.post_form(url("/reopen"), {"reason": "Igen"}).status_code == 303

    cycle()
    coach.post_form(url("/end"), _end())
    with count_queries() as few:
        assert coach.get(url()).status_code == 200
    coach.post_form(url("/reopen"), {"reason": "Igen"})
    for _ in range(5):
        cycle()
    coach.post_form(url("/end"), _end())
    for kind in ("4_weeks", "6_months"):
        coach.post_form(url("/follow-up"), {"kind": kind, "outcome": "studies", "recorded_on": TODAY.isoformat()})
    with count_queries() as many:
        assert coach.get(url()).status_code == 200
    assert many() == few()


def test_a_colleague_covering_the_caseload_can_end_it_and_is_named(client, build, read, world):
    from webapp.models import CaseloadShare

    build(lambda: db.session.add(CaseloadShare(
        project_id=world.project.id, owner_id=world.coach.id, colleague_id=world.other_coach.id,
        created_by_id=world.leader.id)))
    client.sign_in(world.other_coach.email)
    url = f"/coach/participants/{world.p.participation_id}"
    assert client.post_form(url + "/end", _end()).status_code == 303
    assert read(lambda: db.session.scalar(select(ParticipationEvent.by_id))) == world.other_coach.id


def test_other_participants_are_not_touched(coach, url, read, world):
    coach.post_form(url("/end"), _end())
    other = read(lambda: db.session.get(Participation, world.q.participation_id))
    assert other.ended_on is None


def test_a_participant_enrolled_today_can_end_today(coach, build, read, world):
    person = build(factories.participant, world.project, world.coach, enrolled_on=TODAY)
    response = coach.post_form(f"/coach/participants/{person.participation_id}/end", _end(ended_on=TODAY.isoformat()))
    assert response.status_code == 303
