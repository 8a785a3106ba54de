"""The caseload shows at a glance who needs attention, and filters, sorts and searches."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from tests import factories
from tests.html import parse
from webapp import clock
from webapp.extensions import db
from webapp.models import Participation, Project, User


@pytest.fixture
def coach(client, world):
    client.sign_in(world.coach.email)
    client.post_form("/language", {"lang": "en", "next": "/coach"})  # the assertions read English
    return client


def _rows(client, **query) -> dict[str, str]:
    """name → the row's text, in the order shown."""
    page = parse(client.get("/coach", query_string=query).get_data(as_text=True))
    return {li.select_one(".caseload__name a").get_text(strip=True): li.get_text(" ", strip=True)
            for li in page.select(".caseload__row")}


def _set(build, person, **values):
    build(lambda: db.session.execute(update(Participation).where(Participation.id == person.participation_id).values(**values)))


def test_a_participant_who_chose_a_pin_is_not_marked_not_activated(coach, build, world):
    """Activated with a PIN (no password): the caseload said "Not activated", and a coach who
    believed it made a new code, which signed the participant's phone out."""
    build(lambda: db.session.execute(update(User).where(User.id == world.p.user_id).values(
        password_hash=None, pin_hash="a PIN's hash")))
    build(lambda: db.session.execute(update(User).where(User.id == world.q.user_id).values(password_hash=None)))
    rows = _rows(coach)
    assert "Not activated" not in rows[world.p.name]
    assert "Not activated" in rows[world.q.name], "no password and no PIN: not activated"


def test_no_activity_for_longer_than_the_projects_limit_needs_attention(coach, build, world):
    _set(build, world.p, enrolled_on=clock.today() - dt.timedelta(days=60))
    build(factories.activity, world.p, clock.today() - dt.timedelta(days=15))
    _set(build, world.q, enrolled_on=clock.today() - dt.timedelta(days=60))
    build(factories.activity, world.q, clock.today() - dt.timedelta(days=3))
    rows = _rows(coach)
    assert "No activity for 15 days" in rows["Amina Hassan"]
    assert "No activity for" not in rows["Erik Lind"]
    build(lambda: db.session.execute(update(Project).values(inactivity_days=20)))
    assert "No activity for" not in _rows(coach)["Amina Hassan"], "the limit is set per project"


def test_a_plan_not_ready_after_30_days_needs_attention(coach, build, world):
    _set(build, world.p, enrolled_on=clock.today() - dt.timedelta(days=31))
    _set(build, world.q, enrolled_on=clock.today() - dt.timedelta(days=31), plan_ready_on=clock.today())
    rows = _rows(coach)
    assert "Plan not ready after 30 days" in rows["Amina Hassan"]
    assert "Plan not ready" not in rows["Erik Lind"]


def test_new_entries_since_the_last_review_are_counted_and_cleared_by_a_review(coach, build, world):
    build(factories.activity, world.p)
    build(factories.step, world.p, None, "Nytt steg")
    assert "2 new items since you last looked" in _rows(coach)["Amina Hassan"]
    coach.post_form(f"/coach/participants/{world.p.participation_id}/reviewed")
    assert "since you last looked" not in _rows(coach)["Amina Hassan"]
    build(factories.activity, world.p)
    assert "1 new item since you last looked" in _rows(coach)["Amina Hassan"]


def test_a_message_without_an_answer_needs_attention_until_a_coach_answers(coach, new_client, build, world):
    participant = new_client()
    participant.sign_in(world.p.login)
    participant.post_form("/messages/general", {"general-text": "Hej! Jag har en fråga.", "general-thread": "general"})
    assert "1 message without an answer" in _rows(coach)["Amina Hassan"]
    coach.post_form(f"/coach/participants/{world.p.participation_id}/messages/general",
                    {"general-text": "Hej! Vad undrar du?", "general-thread": "general"})
    assert "without an answer" not in _rows(coach)["Amina Hassan"]


def test_the_ones_needing_most_attention_come_first_and_filters_narrow_the_list(coach, build, world):
    _set(build, world.p, enrolled_on=clock.today() - dt.timedelta(days=40))
    _set(build, world.q, plan_ready_on=clock.today())
    coach.post_form(f"/coach/participants/{world.q.participation_id}/reviewed")
    build(factories.activity, world.q)
    coach.post_form(f"/coach/participants/{world.q.participation_id}/reviewed")
    assert list(_rows(coach)) == ["Amina Hassan", "Erik Lind"]
    assert list(_rows(coach, need="attention")) == ["Amina Hassan"]
    assert list(_rows(coach, need="plan")) == ["Amina Hassan"]
    assert list(_rows(coach, sort="name")) == ["Amina Hassan", "Erik Lind"]


@pytest.mark.parametrize("hx", [False, True], ids=["plain", "htmx"])
def test_a_search_too_long_is_said_next_to_the_field_and_kept(coach, world, hx):
    """It was dropped without a word: the box emptied and everyone shown. (The box takes at most
    100 characters, so this comes from a hand-made address or an old browser.)"""
    url = "/coach?q=" + "a" * 101 + "&need=all"
    if hx:
        response = coach.hx_get(url)
        assert response.headers["HX-Redirect"] == url, "the whole page, where the field is"
    response = coach.get(url)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert "Write at most 100 characters" in page.find(id="q-error").get_text()
    assert page.find(id="q")["value"] == "a" * 101
    assert len(page.select(".caseload__row")) == 2  # everyone, as without a search


def test_search_finds_names_whatever_the_case_and_letters(coach, build, world):
    build(factories.participant, world.project, world.coach, name="Åsa Öberg")
    assert list(_rows(coach, q="åsa")) == ["Åsa Öberg"]
    assert list(_rows(coach, q="ÖBERG")) == ["Åsa Öberg"]
    assert list(_rows(coach, q="nobody")) == []


def test_a_hand_edited_filter_shows_everyone_instead_of_an_error(coach, world):
    response = coach.get("/coach", query_string={"need": "<script>", "sort": "x"})
    assert response.status_code == 200
    assert len(_rows(coach, need="<script>")) == 2


def test_filtering_with_htmx_swaps_only_the_rows_and_announces_the_count(coach, world):
    response = coach.get("/coach", query_string={"q": "amina"}, headers={"HX-Request": "true"})
    html = parse(response.get_data(as_text=True))
    assert html.find("html") is None and html.find(id="caseload-rows") is not None
    assert "1" in html.find(id="status").get_text()


def test_ended_participations_are_listed_apart(coach, build, world):
    from webapp.models import EndReason, Outcome

    _set(build, world.q, ended_on=clock.today(), end_reason=EndReason.COMPLETED, exit_outcome=Outcome.EMPLOYMENT)
    assert list(_rows(coach)) == ["Amina Hassan"]
    assert list(_rows(coach, ended="1")) == ["Erik Lind"]


def test_a_covered_colleagues_participants_show_with_whose_they_are(client, build, world):
    from webapp.models import CaseloadShare

    build(lambda: db.session.add(CaseloadShare(project_id=world.project.id, owner_id=world.coach.id,
                                               colleague_id=world.other_coach.id, created_by_id=world.leader.id)))
    client.sign_in(world.other_coach.email)
    client.post_form("/language", {"lang": "en", "next": "/coach"})
    rows = _rows(client)
    assert set(rows) == {"Amina Hassan", "Erik Lind"}
    assert f"Covering for {world.coach.name}" in rows["Amina Hassan"]
    assert client.get(f"/coach/participants/{world.p.participation_id}").status_code == 200


def test_caseload_query_count_is_the_same_for_1_and_30_participants_with_everything_flagged(coach, build, world, new_client, count_queries):
    def flag_everything(person):
        build(factories.activity, person, clock.today() - dt.timedelta(days=20))
        build(factories.step, person, None)
        _set(build, person, enrolled_on=clock.today() - dt.timedelta(days=45))
        from webapp.models import Comment

        build(lambda: db.session.add(Comment(participation_id=person.participation_id, author_id=person.user_id,
                                             by_staff=False, text="Hej")))

    flag_everything(world.p)
    with count_queries() as few:
        assert coach.get("/coach").status_code == 200
    for _ in range(29):
        flag_everything(build(factories.participant, world.project, world.coach))
    with count_queries() as many:
        page = coach.get("/coach").get_data(as_text=True)
    assert page.count("caseload__row--attention") == 31  # the 30, and Erik who has done nothing yet
    assert many() == few()


def test_a_survey_waiting_is_said_and_needs_attention_only_when_it_is_late(coach, build, world):
    """Every new participant has a start survey waiting: flagged, it marked the whole caseload (a
    helper found "Showing 8 of 8" under "Needs attention"). Late, it needs the coach."""
    build(lambda: db.session.execute(update(Project).where(Project.id == world.project.id)
                                     .values(start_survey_key="stegvis-start")))
    _set(build, world.p, enrolled_on=clock.today() - dt.timedelta(days=3), plan_ready_on=clock.today())
    _set(build, world.q, enrolled_on=clock.today() - dt.timedelta(days=20), plan_ready_on=clock.today())
    rows = _rows(coach)
    assert "Survey waiting" in rows["Amina Hassan"] and "more than two weeks" not in rows["Amina Hassan"]
    assert "Survey waiting for more than two weeks" in rows["Erik Lind"]
    assert set(_rows(coach, need="survey")) == {"Amina Hassan", "Erik Lind"}
    assert set(_rows(coach, need="attention")) == {"Erik Lind"}
