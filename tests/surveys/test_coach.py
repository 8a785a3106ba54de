"""The coach sees a participant's surveys (due, begun, sent), reads each one's answers, and can
reopen a sent one. Another participant's survey answers 404."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.surveys.support import TODAY, page, sent_response
from webapp.extensions import db
from webapp.models import AccessLog, Occasion, SurveyResponse


@pytest.fixture
def coach(client, surveys_on):
    client.sign_in(surveys_on.coach.email)
    client.post_form("/language", {"lang": "en", "next": "/coach"})
    return client


def _url(world, response_id=None, page=""):
    base = f"/coach/participants/{world.p.participation_id}"
    return base if response_id is None else f"{base}/surveys/{response_id}{page}"


def _section(coach, world):
    return page(coach.get(_url(world))).find(id="surveys-heading").find_parent("section")


def test_the_participants_page_shows_what_is_due_and_every_response(coach, build, surveys_on):
    # P started 60 days ago: the start survey (day 0) and follow-up 1 (day 42) are open, both
    # for more than two weeks.
    due = [p.get_text(" ", strip=True) for p in _section(coach, surveys_on).select(".survey-due")]
    assert due == [f"Start survey: to answer since {TODAY - dt.timedelta(days=60):%A %-d %B %Y}. More than two weeks",
                   f"Follow-up survey 1: to answer since {TODAY - dt.timedelta(days=18):%A %-d %B %Y}. "
                   "More than two weeks"]
    assert "No surveys answered yet." in _section(coach, surveys_on).get_text()
    begun = build(sent_response, surveys_on.p.participation_id, Occasion.START, values={"life_work": 4, "hope": 3},
                  sent=False)
    item = _section(coach, surveys_on).select_one(".entry-list li")
    assert "Not sent yet: 2 of 14 questions answered or skipped" in item.get_text(" ", strip=True)
    assert item.find("a")["href"] == _url(surveys_on, begun)
    assert item.find("form") is None, "only a sent survey can be reopened"


def test_the_coach_reads_the_answers_of_one_response(coach, build, surveys_on, read):
    sent = build(sent_response, surveys_on.p.participation_id, Occasion.START,
                 values={"life_work": 4, "confidence": 5}, days_ago=3)
    shown = page(coach.get(_url(surveys_on, sent)))
    assert shown.find("h1").get_text(strip=True) == "Start survey"
    rows = [row.get_text(" ", strip=True) for row in shown.select(".answers__row")]
    assert rows[0] == "1. How are things with work for you now? 4"
    assert rows[1] == "2. How are things with studies for you now? Skipped"
    assert rows[8] == "9. I believe in myself. Completely true"
    assert "Questions at the start (version 1)" in shown.get_text(" ", strip=True)
    assert "stegvis-start" not in shown.get_text(), "the file's technical name is not for the coach"
    entries = read(lambda: db.session.scalar(select(func.count()).select_from(AccessLog)))
    assert entries == 1


def test_reopening_lets_the_participant_change_and_send_again(coach, build, surveys_on, read, new_client):
    sent = build(sent_response, surveys_on.p.participation_id, Occasion.START, values={"life_work": 4})
    response = coach.post_form(_url(surveys_on, sent, "/reopen"))
    assert response.status_code == 303
    assert response.headers["Location"] == _url(surveys_on) + "#surveys-heading"
    row = read(lambda: db.session.get(SurveyResponse, sent))
    assert row.submitted_at is None and row.reopened_at is not None and row.reopened_by_id == surveys_on.coach.id
    assert "Reopened" in _section(coach, surveys_on).get_text()

    phone = new_client()
    phone.sign_in(surveys_on.p.login)
    resumed = phone.post_form("/surveys/start", {"occasion": "start", "round": "0"})
    assert resumed.headers["Location"] == f"/surveys/{sent}/review"  # every question has an answer or a skip
    assert phone.post_form(f"/surveys/{sent}/questions/1", {"answer": "6", "action": "save"}).status_code == 303
    assert phone.post_form(f"/surveys/{sent}/send").status_code == 303
    assert read(lambda: db.session.get(SurveyResponse, sent)).submitted_at is not None


def test_a_survey_that_is_not_sent_cannot_be_reopened(coach, build, surveys_on, read):
    begun = build(sent_response, surveys_on.p.participation_id, Occasion.START, values={"life_work": 4}, sent=False)
    refused = coach.post_form(_url(surveys_on, begun, "/reopen"))
    assert refused.status_code == 409
    assert "has not sent this survey yet" in refused.get_data(as_text=True)
    assert read(lambda: db.session.get(SurveyResponse, begun)).reopened_at is None


def test_another_participants_survey_under_this_participant_answers_404(coach, build, surveys_on, read):
    theirs = build(sent_response, surveys_on.q.participation_id, Occasion.START, values={"life_work": 2})
    assert coach.get(_url(surveys_on, theirs)).status_code == 404
    assert coach.post_form(_url(surveys_on, theirs, "/reopen")).status_code == 404
    assert read(lambda: db.session.get(SurveyResponse, theirs)).submitted_at is not None
