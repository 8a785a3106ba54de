"""Answering on the phone: one question per page, each answer saved as it is given, skip, back,
continue later, review, send; nothing changes after sending; bad input answers 422."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.surveys.support import TODAY, page, response_id_of, start
from webapp.extensions import db
from webapp.models import ImportedQuestionnaire, Occasion, SurveyAnswer, SurveyResponse


def _answers(read, response_id) -> dict[str, tuple]:
    def run():
        rows = db.session.scalars(select(SurveyAnswer).where(SurveyAnswer.response_id == response_id))
        return {a.item_key: (a.value_int, a.value_text, a.skipped) for a in rows}

    return read(run)


def _response(read, response_id) -> SurveyResponse:
    return read(lambda: db.session.get(SurveyResponse, response_id))


def _begun(participation_id, key: str, occasion: Occasion, version: int = 1):
    """A factory: a response begun with this questionnaire, for kinds the start survey lacks."""
    response = SurveyResponse(participation_id=participation_id, occasion=occasion, round=0,
                              questionnaire_key=key, questionnaire_version=version, due_on=TODAY)
    db.session.add(response)
    db.session.flush()
    return response.id


def test_the_start_page_offers_the_due_survey_and_start_leads_to_question_one(participant):
    home = page(participant.get("/home"))
    section = home.find(id="surveys-due-heading").find_parent("section")
    assert "Start survey" in section.get_text()
    assert section.find("button").get_text(strip=True) == "Start answering"
    url = start(participant)
    assert url.endswith("/questions/1")
    first = page(participant.get(url))
    assert first.find("h1").get_text(strip=True) == "Question 1 of 14"
    assert first.select_one("legend").get_text(strip=True) == "How are things with work for you now?"
    assert len(first.select("input[type=radio][name=answer]")) == 11
    assert "These questions are about how things are for you now." in first.get_text()
    assert first.find("title").get_text().startswith("Question 1 of 14")


def test_each_answer_is_saved_as_it_is_given_and_shown_again(participant, read):
    url = start(participant)
    response_id = response_id_of(url)
    saved = participant.post_form(url, {"answer": "7", "action": "save"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/questions/2")
    assert _answers(read, response_id) == {"life_work": (7, None, False)}
    again = page(participant.get(url))
    assert again.select_one("input[name=answer][checked]")["value"] == "7"
    participant.post_form(url, {"answer": "4", "action": "save"})
    assert _answers(read, response_id) == {"life_work": (4, None, False)}


def test_skip_stores_a_skip_and_goes_on_and_back_goes_to_the_previous_question(participant, read):
    url = start(participant)
    response_id = response_id_of(url)
    question_2 = url.replace("/questions/1", "/questions/2")
    skipped = participant.post_form(question_2, {"answer": "not even valid", "action": "skip"})
    assert skipped.headers["Location"].endswith("/questions/3")
    assert _answers(read, response_id) == {"life_studies": (None, None, True)}
    links = page(participant.get(url.replace("/questions/1", "/questions/3"))).select("main a")
    back = next(a for a in links if a.get_text(strip=True).endswith("Back"))
    assert back["href"].endswith("/questions/2")
    assert page(participant.get(question_2)).select_one("input[name=answer][checked]") is None


def test_continue_later_keeps_the_answers_and_continue_opens_the_first_open_question(participant, read):
    url = start(participant)
    response_id = response_id_of(url)
    participant.post_form(url, {"answer": "6", "action": "save"})
    later = participant.post_form(url.replace("/questions/1", "/questions/2"), {"answer": "3", "action": "later"})
    assert later.status_code == 303 and later.headers["Location"] == "/home"
    home = participant.get("/home", follow_redirects=True)
    assert "Your answers are saved. You can continue later from the start page." in home.get_data(as_text=True)
    assert page(home).find(id="surveys-due-heading").find_parent("section").find("button").get_text(strip=True) \
        == "Continue answering"
    assert _answers(read, response_id) == {"life_work": (6, None, False), "life_studies": (3, None, False)}
    assert start(participant) == url.replace("/questions/1", "/questions/3")
    nothing = participant.post_form(url.replace("/questions/1", "/questions/3"), {"action": "later"})
    assert nothing.headers["Location"] == "/home"
    assert len(_answers(read, response_id)) == 2


def test_the_review_lists_every_answer_with_a_link_to_change_it_that_comes_back(participant, read):
    url = start(participant)
    response_id = response_id_of(url)
    participant.post_form(url, {"answer": "0", "action": "save"})
    participant.post_form(url.replace("/questions/1", "/questions/2"), {"action": "skip"})
    participant.post_form(url.replace("/questions/1", "/questions/9"), {"answer": "4", "action": "save"})
    participant.post_form(url.replace("/questions/1", "/questions/14"), {"answer": "swedish", "action": "save"})
    review = page(participant.get(f"/surveys/{response_id}/review"))
    rows = {row.find("dt").get_text(" ", strip=True): row.find("dd").get_text(" ", strip=True)
            for row in review.select(".answers__row")}
    assert rows["1. How are things with work for you now?"].startswith("0 – Very bad")
    assert rows["2. How are things with studies for you now?"].startswith("Skipped")
    assert rows["3. How is your health now?"].startswith("Not answered yet")
    assert rows["9. I believe in myself."].startswith("Mostly true")
    assert rows["14. What is most important for you right now?"].startswith("To learn Swedish")
    change = review.select(".answers__change")[0]["href"]
    assert change.endswith("/questions/1?then=review")
    changed = participant.post_form(change, {"answer": "2", "action": "save"})
    assert changed.headers["Location"] == f"/surveys/{response_id}/review"
    assert _answers(read, response_id)["life_work"] == (2, None, False)


def test_send_stores_the_rest_as_skipped_and_then_nothing_can_change(participant, read):
    url = start(participant)
    response_id = response_id_of(url)
    participant.post_form(url, {"answer": "5", "action": "save"})
    sent = participant.post_form(f"/surveys/{response_id}/send")
    assert sent.status_code == 303 and sent.headers["Location"] == "/home"
    home = page(participant.get("/home"))
    # P started 60 days ago: the start survey is done, the first follow-up (day 42) is next.
    assert [p.get_text(strip=True) for p in home.select(".survey-due .item-title")] == ["Follow-up survey 1"]
    assert home.find("a", href="/surveys/progress")
    answers = _answers(read, response_id)
    assert len(answers) == 14 and answers["life_work"] == (5, None, False)
    assert all(skipped for key, (_n, _t, skipped) in answers.items() if key != "life_work")
    assert _response(read, response_id).submitted_at is not None

    refused = participant.post_form(url, {"answer": "9", "action": "save"})
    assert refused.status_code == 409
    assert "The answers cannot be changed now." in refused.get_data(as_text=True)
    assert participant.post_form(url, {"action": "skip"}).status_code == 409
    assert participant.post_form(f"/surveys/{response_id}/send").status_code == 409
    assert _answers(read, response_id) == answers
    shown = page(participant.get(url))
    assert shown.find("h1").get_text(strip=True) == "You have sent this survey"
    review = page(participant.get(f"/surveys/{response_id}/review"))
    assert review.find("h1").get_text(strip=True) == "Your answers"
    assert not review.select(".answers__change") and not review.find("form", action=f"/surveys/{response_id}/send")


@pytest.mark.parametrize(("number", "bad", "message"), [
    (1, "11", 'Choose an answer, or press "Skip this question".'),
    (1, "seven", 'Choose an answer, or press "Skip this question".'),
    (1, "", 'Choose an answer, or press "Skip this question".'),
    (9, "6", 'Choose an answer, or press "Skip this question".'),
    (14, "plane", 'Choose an answer, or press "Skip this question".'),
])
def test_bad_input_on_the_start_survey_answers_422_next_to_the_field_and_saves_nothing(
    participant, read, number, bad, message
):
    url = start(participant).replace("/questions/1", f"/questions/{number}")
    response = participant.post_form(url, {"answer": bad, "action": "save"})
    assert response.status_code == 422
    shown = page(response)
    assert message in shown.find(id="answer-error").get_text()
    assert shown.find("title").get_text().startswith("Error:")
    assert shown.select_one(".error-summary a")["href"] == "#answer-0"
    assert _answers(read, response_id_of(url)) == {}


def test_yes_no_and_text_answers_are_checked_too_and_typed_text_is_kept(participant, build, surveys_on, read):
    response_id = build(_begun, surveys_on.p.participation_id, "stegvis-exit", Occasion.EXIT)
    base = f"/surveys/{response_id}/questions"
    assert participant.post_form(f"{base}/16", {"answer": "maybe", "action": "save"}).status_code == 422
    assert participant.post_form(f"{base}/16", {"answer": "yes", "action": "save"}).status_code == 303
    text_page = page(participant.get(f"{base}/17"))
    assert text_page.find("textarea", id="answer") is not None
    assert text_page.find("label", attrs={"for": "answer"}).get_text(strip=True) == "What helped you most in the project?"
    too_long = "Bra " * 200
    refused = participant.post_form(f"{base}/17", {"answer": too_long, "action": "save"})
    assert refused.status_code == 422
    shown = page(refused)
    assert "Write at most 500 characters. Now there are 799." in shown.find(id="answer-error").get_text()
    assert shown.find("textarea", id="answer").get_text().strip() == too_long.strip()
    assert participant.post_form(f"{base}/17", {"answer": " ", "action": "save"}).status_code == 422
    assert participant.post_form(f"{base}/17", {"answer": "Min coach ", "action": "save"}).status_code == 303
    assert _answers(read, response_id) == {"would_recommend": (1, None, False), "most_helpful": (None, "Min coach", False)}


def test_a_question_that_does_not_exist_and_another_participants_survey_answer_404(
    participant, build, surveys_on, read
):
    url = start(participant)
    assert participant.get(url.replace("/questions/1", "/questions/15")).status_code == 404
    assert participant.get(url.replace("/questions/1", "/questions/0")).status_code == 404
    theirs = build(_begun, surveys_on.q.participation_id, "stegvis-start", Occasion.START)
    for path in (f"/surveys/{theirs}/questions/1", f"/surveys/{theirs}/review"):
        assert participant.get(path).status_code == 404
    assert participant.post_form(f"/surveys/{theirs}/questions/1", {"answer": "3"}).status_code == 404
    assert participant.post_form(f"/surveys/{theirs}/send").status_code == 404
    assert _answers(read, theirs) == {} and _response(read, theirs).submitted_at is None


def test_a_survey_that_is_not_due_cannot_be_started(participant, read):
    refused = participant.post_form("/surveys/start", {"occasion": "exit", "round": "0"})
    assert refused.status_code == 409
    assert "This survey is not open now." in refused.get_data(as_text=True)
    assert participant.post_form("/surveys/start", {"occasion": "never", "round": "x"}).status_code == 422
    assert read(lambda: db.session.scalars(select(SurveyResponse)).all()) == []


def test_starting_twice_gives_the_same_response(participant, read):
    assert start(participant) == start(participant)
    assert len(read(lambda: db.session.scalars(select(SurveyResponse)).all())) == 1


def _imported(project_id, by_id, version: int, text_sv: str) -> None:
    """A factory: an imported questionnaire "egen" with one agreement question."""
    definition = {"format": "stegvis-questionnaire/1", "key": "egen", "version": version,
                  "title": {"sv": "Egen enkät"},
                  "items": [{"key": "trygg", "kind": "agreement", "text": {"sv": text_sv}}]}
    db.session.add(ImportedQuestionnaire(project_id=project_id, key="egen", version=version,
                                         definition=json.dumps(definition), imported_by_id=by_id))


def _set_start(project_id, key):
    from webapp.models import Project

    db.session.get(Project, project_id).start_survey_key = key


def test_a_response_keeps_the_version_it_was_started_with(client, new_client, build, world, read):
    build(_imported, world.project.id, world.leader.id, 1, "Jag känner mig trygg.")
    build(_set_start, world.project.id, "egen")
    client.sign_in(world.p.login)
    url = start(client)
    assert (_response(read, response_id_of(url)).questionnaire_version) == 1
    build(_imported, world.project.id, world.leader.id, 2, "Jag känner mig trygg hemma.")
    assert page(client.get(url)).select_one("legend").get_text(strip=True) == "Jag känner mig trygg."
    other = new_client()
    other.sign_in(world.q.login)
    other_url = start(other)
    assert _response(read, response_id_of(other_url)).questionnaire_version == 2
    assert page(other.get(other_url)).select_one("legend").get_text(strip=True) == "Jag känner mig trygg hemma."


def test_the_participants_own_survey_pages_write_nothing_to_the_access_log(participant, read):
    from webapp.models import AccessLog

    url = start(participant)
    participant.get(url)
    participant.get(f"/surveys/{response_id_of(url)}/review")
    participant.get("/surveys/progress")
    assert read(lambda: db.session.scalars(select(AccessLog)).all()) == []


def test_sent_surveys_are_listed_on_the_progress_page_with_their_answers(participant):
    url = start(participant)
    participant.post_form(url, {"answer": "8", "action": "save"})
    participant.post_form(f"/surveys/{response_id_of(url)}/send")
    progress = page(participant.get("/surveys/progress"))
    link = progress.find(id="sent-heading").find_parent("section").find("a")
    assert link.get_text(strip=True) == "Start survey"
    assert participant.get(link["href"]).status_code == 200
