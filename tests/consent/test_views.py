"""Giving, withdrawing and sharing through the pages, as the participant and the coach see them
(AC-07: only a valid consent lets a share through, and every share and withdrawal is recorded)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.html import parse
from webapp import audit, clock
from webapp.extensions import db
from webapp.models import AccessLog, ActivityKind, CapacityLevel, Consent, ConsentShare, SharePart, Step

TODAY = clock.today()


@pytest.fixture
def events(monkeypatch) -> list[tuple[str, str | None]]:
    """The audit events recorded during the test, as (event, detail)."""
    seen = []
    monkeypatch.setattr(audit, "record_event", lambda event, **kw: seen.append((event, kw.get("detail"))))
    return seen


def _english(client, home):
    client.post_form("/language", {"lang": "en", "next": home})
    return client


@pytest.fixture
def participant(client, world):
    client.sign_in(world.p.login)
    return _english(client, "/home")


@pytest.fixture
def coach(client, world):
    client.sign_in(world.coach.email)
    return _english(client, "/coach")


def _coach_url(world, consent_id=None, page="share"):
    base = f"/coach/participants/{world.p.participation_id}/consents"
    return f"{base}/{consent_id}/{page}" if consent_id else f"{base}/{page}"


def _consents(read):
    return read(lambda: [
        (c.recipient, c.parts, c.purpose, c.valid_until, c.on_paper, c.given_by_id, c.withdrawn_at is not None,
         c.withdrawn_by_id)
        for c in db.session.scalars(select(Consent).order_by(Consent.given_at))
    ])


def _shares(read):
    return read(lambda: [(s.consent_id, s.participation_id, s.shared_by_id, s.parts)
                         for s in db.session.scalars(select(ConsentShare).order_by(ConsentShare.id))])


def _text(response) -> str:
    """The page's words as a person reads them: white space folded."""
    return " ".join(parse(response.get_data(as_text=True)).get_text(" ").split())


# --- the participant ------------------------------------------------------------------------


def test_the_start_page_leads_to_sharing(participant):
    page = parse(participant.get("/home").get_data(as_text=True))
    assert page.find("a", href="/sharing")


def test_with_no_consent_the_page_says_nothing_is_shared(participant):
    response = participant.get("/sharing")
    assert response.status_code == 200
    text = _text(response)
    assert "You have not given any consent. Nothing is shared." in text
    assert "What was already sent cannot be taken back." in text


def test_a_participant_gives_consent_to_chosen_parts(participant, world, read, events):
    until = TODAY + dt.timedelta(days=90)
    response = participant.post_form("/sharing", {
        "recipient": "Arbetsförmedlingen Piteå", "parts": ["plan"], "purpose": "Planera min praktik",
        "valid_until": until.isoformat(),
    })
    assert response.status_code == 303 and response.headers["Location"].endswith("/sharing")
    [consent] = _consents(read)
    assert consent == ("Arbetsförmedlingen Piteå", frozenset({SharePart.PLAN}), "Planera min praktik", until, False,
                       world.p.user_id, False, None)
    assert [e for e, _ in events] == ["consent_given"]
    page = participant.get("/sharing")
    text = _text(page)
    assert "Your consent is saved." in text
    assert "Arbetsförmedlingen Piteå" in text and "by you in Stegvis." in text
    assert "Nothing has been shared yet." in text


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"recipient": "", "parts": ["plan"]}, "recipient", "Write the name of the organisation."),
    ({"recipient": "A" * 121, "parts": ["plan"]}, "recipient", "Write at most 120 characters."),
    ({"recipient": "Arbetsförmedlingen"}, "parts", "Choose at least one part."),
    ({"recipient": "Arbetsförmedlingen", "parts": ["diary"]}, "parts", "Choose among the parts in the list."),
    ({"recipient": "Arbetsförmedlingen", "parts": ["plan"], "valid_until": TODAY.isoformat()}, "valid_until",
     "The last day must be after today."),
    ({"recipient": "Arbetsförmedlingen", "parts": ["plan"], "valid_until": "in a while"}, "valid_until",
     "Write the date like this"),
])
def test_bad_input_answers_422_with_the_message_and_the_typed_text(participant, read, events, data, field, message):
    typed = {"purpose": "Till min praktik", **data}
    response = participant.post_form("/sharing", typed)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert message in page.find(id=f"{field}-error").get_text()
    assert page.find(id="recipient")["value"] == typed["recipient"]
    assert page.find(id="purpose")["value"] == "Till min praktik"
    if "valid_until" in typed:
        assert page.find(id="valid_until")["value"] == typed["valid_until"]
    ticked = {box["value"] for box in page.find_all("input", attrs={"name": "parts", "checked": True})}
    assert ticked == set(typed.get("parts", ())) & {"plan", "activity_summary"}
    assert _consents(read) == [] and events == []


def test_withdrawing_asks_first_then_is_recorded(participant, world, build, read, events):
    consent_id = build(factories.consent, world.p)
    page = parse(participant.get("/sharing").get_data(as_text=True))
    link = page.find("a", href=f"/sharing/{consent_id}/withdraw")
    assert link, "a withdraw link for the valid consent"

    confirm = participant.get(link["href"])
    assert confirm.status_code == 200
    assert "Do you want to stop sharing with Arbetsförmedlingen Piteå?" in _text(confirm)
    assert _consents(read)[0][6] is False, "asking changes nothing"

    response = participant.post_form(link["href"])
    assert response.status_code == 303
    [consent] = _consents(read)
    assert consent[6] is True and consent[7] == world.p.user_id
    assert events == [("consent_withdrawn", str(consent_id))]
    text = _text(participant.get("/sharing"))
    assert "Your consent is withdrawn." in text and "Withdrawn" in text
    assert f"/sharing/{consent_id}/withdraw" not in participant.get("/sharing").get_data(as_text=True)

    # A second press changes nothing.
    participant.post_form(link["href"])
    assert _consents(read) == [consent]
    assert len(events) == 1


def test_a_participant_cannot_see_or_withdraw_another_participants_consent(participant, world, build, read):
    theirs = build(factories.consent, world.q, "Socialtjänsten Piteå")
    assert "Socialtjänsten Piteå" not in participant.get("/sharing").get_data(as_text=True)
    for url in (f"/sharing/{theirs}/withdraw", f"/sharing/{uuid.uuid4()}/withdraw"):
        assert participant.get(url).status_code == 404
        assert participant.post_form(url).status_code == 404
    assert _consents(read)[0][6] is False


def test_the_participant_sees_every_share_with_who_and_what(participant, world, build):
    consent_id = build(factories.consent, world.p)

    def shared():
        db.session.add(ConsentShare(consent_id=consent_id, participation_id=world.p.participation_id,
                                    shared_by_id=world.coach.id, share_plan=True, share_activity_summary=False))

    build(shared)
    text = _text(participant.get("/sharing"))
    assert f"{world.coach.name} shared: The plan." in text


def test_staff_cannot_open_the_participants_sharing_pages(coach, world, build):
    consent_id = build(factories.consent, world.p)
    assert coach.get("/sharing").status_code == 403
    assert coach.post_form(f"/sharing/{consent_id}/withdraw").status_code == 403


# --- the coach: sharing -----------------------------------------------------------------------


@pytest.fixture
def lived(build, world):
    """P's plan and log, with notes that must never leave the project."""
    def make():
        goal = factories.goal(world.p, "Bli undersköterska")
        step = factories.step(world.p, goal, "Söka utbildningen", helper_id=world.project.helper_id)
        db.session.get(Step, step).note = "ANTECKNING om min ångest"
        factories.capacity(world.p, CapacityLevel.P50, TODAY - dt.timedelta(days=50))
        factories.activity(world.p, TODAY, 90, ActivityKind.SFI, note="ANTECKNING om min sjukdom")
        factories.activity(world.p, TODAY, 30, ActivityKind.SFI)
        factories.activity(world.p, TODAY, 45, ActivityKind.JOB_APPLICATION)

    build(make)


def test_the_coachs_page_lists_the_valid_consents_to_share_under(coach, world, build):
    valid = build(factories.consent, world.p, "Arbetsförmedlingen Piteå")
    gone = build(factories.consent, world.p, "Försäkringskassan", withdrawn=True)
    page = parse(coach.get(f"/coach/participants/{world.p.participation_id}").get_data(as_text=True))
    section = page.find(id="share-heading").find_parent("section")
    assert section.find("a", href=_coach_url(world, valid))
    assert not section.find("a", href=_coach_url(world, gone))
    assert "Försäkringskassan" not in section.get_text()
    assert "1 consent is withdrawn or has ended." in section.get_text(" ", strip=True)


def test_showing_the_share_form_shares_nothing(coach, world, build, read, events):
    consent_id = build(factories.consent, world.p)
    response = coach.get(_coach_url(world, consent_id))
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert {box["value"] for box in page.find_all("input", attrs={"name": "parts", "checked": True})} == {
        "plan", "activity_summary"}
    assert _shares(read) == [] and events == []


def test_sharing_under_a_valid_consent_shows_exactly_the_parts_and_is_recorded(coach, world, build, read, events,
                                                                                lived):
    consent_id = build(factories.consent, world.p, "Arbetsförmedlingen Piteå")
    response = coach.post_form(_coach_url(world, consent_id), {"parts": ["plan", "activity_summary"]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = parse(html)
    assert page.find("h1").get_text(" ", strip=True) == "Information for Arbetsförmedlingen Piteå"
    text = page.get_text(" ", strip=True)
    assert world.p.name in text and world.coach.name in text
    assert "Shared with the participant's consent." in text
    assert "Bli undersköterska" in text and "Söka utbildningen" in text
    assert "SFI (Swedish for immigrants): 2" in text and "Job application: 1" in text
    assert "In total: 3, 2 h 45 min." in text
    assert "Half time (50 %)" in text
    # Free text about how things went never leaves the project.
    assert "ANTECKNING" not in html
    assert _shares(read) == [(consent_id, world.p.participation_id, world.coach.id,
                              frozenset({SharePart.PLAN, SharePart.ACTIVITY_SUMMARY}))]
    assert events == [("share", str(consent_id))]


def test_sharing_one_part_shows_only_that_part(coach, world, build, read, lived):
    consent_id = build(factories.consent, world.p)
    response = coach.post_form(_coach_url(world, consent_id), {"parts": ["plan"]})
    assert response.status_code == 200
    text = _text(response)
    assert "Söka utbildningen" in text
    assert "Summary of the activity log" not in text and "SFI (Swedish for immigrants)" not in text
    assert _shares(read)[0][3] == frozenset({SharePart.PLAN})


def test_each_showing_is_its_own_share_and_the_participant_sees_them(coach, world, build, read, new_client):
    consent_id = build(factories.consent, world.p)
    for _ in range(2):
        assert coach.post_form(_coach_url(world, consent_id), {"parts": ["activity_summary"]}).status_code == 200
    assert len(_shares(read)) == 2
    participant = _english(new_client(), "/home")
    participant.sign_in(world.p.login)
    page = parse(participant.get("/sharing").get_data(as_text=True))
    card = page.find(id=f"consent-{consent_id}")
    assert card.get_text(" ", strip=True).count(f"{world.coach.name} shared: A summary of the activity log.") == 2


def _no_consent(build, world):
    return uuid.uuid4()


def _another_participants(build, world):
    return build(factories.consent, world.q)


def _expired(build, world):
    return build(factories.consent, world.p, valid_until=TODAY - dt.timedelta(days=1))


def _withdrawn(build, world):
    return build(factories.consent, world.p, withdrawn=True)


@pytest.mark.parametrize("make", [_no_consent, _another_participants, _expired, _withdrawn],
                         ids=["no consent", "another participant's", "expired", "withdrawn"])
def test_sharing_without_a_valid_consent_answers_404_and_shares_nothing(coach, world, build, read, events, lived,
                                                                       make):
    consent_id = make(build, world)
    for response in (coach.get(_coach_url(world, consent_id)),
                     coach.post_form(_coach_url(world, consent_id), {"parts": ["plan"]})):
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert "Söka utbildningen" not in html and "Bli undersköterska" not in html
    assert _shares(read) == []
    assert [e for e, _ in events if e == "share"] == []


def test_a_refused_share_of_a_known_consent_is_recorded_as_refused(coach, world, build, events):
    consent_id = build(factories.consent, world.p, withdrawn=True)
    response = coach.post_form(_coach_url(world, consent_id), {"parts": ["plan"]})
    assert response.status_code == 404
    assert "The consent is withdrawn. Nothing was shared." in _text(response)
    assert events == [("share_refused", str(consent_id))]


def test_a_part_the_consent_does_not_cover_is_refused(coach, world, build, read, events, lived):
    consent_id = build(factories.consent, world.p, parts=("plan",))
    response = coach.post_form(_coach_url(world, consent_id), {"parts": ["plan", "activity_summary"]})
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert "This part is not in the consent." in page.find(id="parts-error").get_text()
    assert page.find("input", attrs={"name": "parts", "value": "activity_summary"}) is None
    assert _shares(read) == []
    assert events == [("share_refused", str(consent_id))]


def test_sharing_nothing_is_asked_again(coach, world, build, read):
    consent_id = build(factories.consent, world.p)
    response = coach.post_form(_coach_url(world, consent_id), {})
    assert response.status_code == 422
    assert "Choose at least one part." in parse(response.get_data(as_text=True)).find(id="parts-error").get_text()
    assert _shares(read) == []


def test_the_recipient_is_always_the_consents(coach, world, build, read):
    """A consent for Försäkringskassan cannot be turned into a share with Arbetsförmedlingen."""
    consent_id = build(factories.consent, world.p, "Försäkringskassan Luleå")
    page = parse(coach.get(f"/coach/participants/{world.p.participation_id}").get_data(as_text=True))
    assert "Arbetsförmedlingen" not in page.find(id="share-heading").find_parent("section").get_text()
    response = coach.post_form(_coach_url(world, consent_id),
                               {"parts": ["plan"], "recipient": "Arbetsförmedlingen Piteå"})
    assert response.status_code == 200
    assert parse(response.get_data(as_text=True)).find("h1").get_text(" ", strip=True) == \
        "Information for Försäkringskassan Luleå"
    assert "Arbetsförmedlingen" not in response.get_data(as_text=True)
    assert [s[0] for s in _shares(read)] == [consent_id]


@pytest.mark.parametrize("who", ["coach of another project", "another coach in the same project"])
def test_a_coach_cannot_reach_the_consents_of_participants_they_do_not_coach(client, world, build, read, who):
    consent_id = build(factories.consent, world.p)
    client.sign_in(world.coach_b.email if who.startswith("coach of another") else world.other_coach.email)
    for page in ("share", "withdraw"):
        assert client.get(_coach_url(world, consent_id, page)).status_code == 404
        assert client.post_form(_coach_url(world, consent_id, page), {"parts": ["plan"]}).status_code == 404
    assert client.get(_coach_url(world, page="new")).status_code == 404
    assert client.post_form(_coach_url(world, page="new"), {
        "recipient": "X", "parts": ["plan"], "signed": "y"}).status_code == 404
    assert _shares(read) == [] and len(_consents(read)) == 1 and _consents(read)[0][6] is False


def test_a_participant_cannot_use_the_coachs_sharing_pages(participant, world, build, read):
    consent_id = build(factories.consent, world.p)
    assert participant.get(_coach_url(world, consent_id)).status_code == 403
    assert participant.post_form(_coach_url(world, consent_id), {"parts": ["plan"]}).status_code == 403
    assert _shares(read) == []


# --- the coach: paper consents and withdrawals --------------------------------------------------


def test_a_coach_records_a_consent_signed_on_paper(coach, world, read, events, new_client):
    response = coach.post_form(_coach_url(world, page="new"), {
        "recipient": "Försäkringskassan", "parts": ["plan", "activity_summary"], "signed": "y"})
    assert response.status_code == 303
    [consent] = _consents(read)
    assert consent[0] == "Försäkringskassan" and consent[4] is True and consent[5] == world.coach.id
    assert [e for e, _ in events] == ["consent_given"]
    participant = _english(new_client(), "/home")
    participant.sign_in(world.p.login)
    assert f"on paper. Recorded by {world.coach.name}." in _text(participant.get("/sharing"))


def test_the_paper_consent_form_speaks_of_the_participant_to_the_coach(coach, world):
    """The coach fills it in: "how much the participant can do", not "how much you can do"."""
    text = _text(coach.get(_coach_url(world, page="new")))
    assert "how much the participant can do" in text
    coach.post_form("/language", {"lang": "sv", "next": "/coach"})
    text = _text(coach.get(_coach_url(world, page="new")))
    assert "hur mycket deltagaren kan göra" in text and "hur mycket du kan göra" not in text


def test_a_paper_consent_needs_the_tick_and_keeps_what_was_typed(coach, world, read):
    response = coach.post_form(_coach_url(world, page="new"), {"recipient": "Försäkringskassan", "parts": ["plan"]})
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert "Tick the box when the participant has signed the paper." in page.find(id="signed-error").get_text()
    assert page.find(id="recipient")["value"] == "Försäkringskassan"
    assert _consents(read) == []


def test_a_coach_records_a_withdrawal_the_participant_asked_for(coach, world, build, read, events):
    consent_id = build(factories.consent, world.p)
    confirm = coach.get(_coach_url(world, consent_id, "withdraw"))
    assert confirm.status_code == 200
    response = coach.post_form(_coach_url(world, consent_id, "withdraw"))
    assert response.status_code == 303
    [consent] = _consents(read)
    assert consent[6] is True and consent[7] == world.coach.id
    assert events == [("consent_withdrawn", str(consent_id))]
    assert coach.post_form(_coach_url(world, consent_id), {"parts": ["plan"]}).status_code == 404
    assert _shares(read) == []


def test_the_sharing_page_does_not_grow_in_queries_with_consents_and_shares(participant, world, build,
                                                                            count_queries):
    def consents_with_shares(count):
        for n in range(count):
            consent_id = factories.consent(world.p, f"Organisation {n}", withdrawn=n % 2 == 1)
            db.session.add(ConsentShare(consent_id=consent_id, participation_id=world.p.participation_id,
                                        shared_by_id=world.coach.id, share_plan=True, share_activity_summary=True))

    build(consents_with_shares, 1)
    with count_queries() as few:
        assert participant.get("/sharing").status_code == 200
    build(consents_with_shares, 10)
    with count_queries() as many:
        assert participant.get("/sharing").status_code == 200
    assert many() == few()


def test_each_coach_request_writes_one_access_log_entry(coach, world, build, read):
    def entries():
        return read(lambda: db.session.scalar(select(func.count()).select_from(AccessLog).where(
            AccessLog.participation_id == world.p.participation_id)))

    consent_id = build(factories.consent, world.p)
    requests = [
        lambda: coach.get(_coach_url(world, page="new")),
        lambda: coach.post_form(_coach_url(world, page="new"), {}),
        lambda: coach.get(_coach_url(world, consent_id)),
        lambda: coach.post_form(_coach_url(world, consent_id), {}),
        lambda: coach.post_form(_coach_url(world, consent_id), {"parts": ["plan"]}),
        lambda: coach.get(_coach_url(world, consent_id, "withdraw")),
        lambda: coach.post_form(_coach_url(world, consent_id, "withdraw")),
        lambda: coach.post_form(_coach_url(world, consent_id), {"parts": ["plan"]}),  # refused: withdrawn
    ]
    for request in requests:
        before = entries()
        assert request().status_code < 500
        assert entries() == before + 1
