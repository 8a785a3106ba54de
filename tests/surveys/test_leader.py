"""The project leader chooses the project's questionnaires and imports its own: a broken file
answers 422 with every problem in plain words, and nothing is saved."""

from __future__ import annotations

import copy
import io
import json

import pytest
from sqlalchemy import select

from tests import factories
from tests.surveys.support import page
from tests.surveys.test_format import GOOD
from webapp.extensions import db
from webapp.models import ImportedQuestionnaire, Project


@pytest.fixture
def leader(client, world):
    client.sign_in(world.leader.email)
    client.post_form("/language", {"lang": "en", "next": "/project"})
    return client


def _url(world, page_=""):
    return f"/project/{world.project.public_id}/questionnaires{page_}"


def _upload(client, world, content: bytes | str, name="survey.json"):
    content = content.encode() if isinstance(content, str) else content
    return client.post_form(_url(world, "/import"), {"file": (io.BytesIO(content), name)},
                            content_type="multipart/form-data")


def _settings(read, world):
    def run():
        p = db.session.get(Project, world.project.id)
        return p.start_survey_key, p.follow_up_survey_key, p.follow_up_weeks, p.exit_survey_key

    return read(run)


def _imported(read):
    return read(lambda: [(q.key, q.version) for q in db.session.scalars(select(ImportedQuestionnaire))])


def test_the_page_offers_the_shipped_questionnaires_and_saves_the_choices(leader, world, read):
    shown = page(leader.get(_url(world)))
    assert shown.find("h1").get_text(strip=True) == "Surveys"
    options = [o.get_text(strip=True) for o in shown.select("select#start option")]
    assert options == ["No survey", "Questions at the end (stegvis-exit, version 1)",
                       "Questions on the way (stegvis-follow-up, version 1)",
                       "Questions at the start (stegvis-start, version 1)"]
    saved = leader.post_form(_url(world), {"start": "stegvis-start", "follow_up": "stegvis-follow-up",
                                           "follow_up_weeks": "4", "exit": "stegvis-exit"})
    assert saved.status_code == 303 and saved.headers["Location"] == _url(world)
    assert _settings(read, world) == ("stegvis-start", "stegvis-follow-up", 4, "stegvis-exit")
    again = page(leader.get(_url(world)))
    assert again.select_one("select#start option[selected]")["value"] == "stegvis-start"
    assert again.select_one("select#follow_up_weeks option[selected]")["value"] == "4"
    leader.post_form(_url(world), {"start": "", "follow_up": "", "follow_up_weeks": "8", "exit": ""})
    assert _settings(read, world) == (None, None, 8, None)


@pytest.mark.parametrize(("field", "value"), [("start", "someone-elses"), ("follow_up_weeks", "30"),
                                              ("follow_up_weeks", "1")])
def test_a_choice_that_is_not_offered_answers_422_and_saves_nothing(leader, world, read, field, value):
    data = {"start": "stegvis-start", "follow_up": "", "follow_up_weeks": "6", "exit": "", field: value}
    refused = leader.post_form(_url(world), data)
    assert refused.status_code == 422
    assert page(refused).find(id=f"{field}-error") is not None
    assert _settings(read, world) == (None, None, 8, None)


def test_a_good_file_is_imported_and_can_be_chosen(leader, world, read):
    done = _upload(leader, world, json.dumps(GOOD))
    assert done.status_code == 303
    shown = leader.get(_url(world), follow_redirects=True)
    assert '"Our survey" (our-survey, version 2) is imported.' in page(shown).find(id="status").get_text()
    assert _imported(read) == [("our-survey", 2)]
    assert "Our survey (our-survey, version 2)" in [o.get_text(strip=True) for o in page(shown).select("select#exit option")]
    leader.post_form(_url(world), {"start": "", "follow_up": "", "follow_up_weeks": "8", "exit": "our-survey"})
    assert _settings(read, world)[3] == "our-survey"


def test_a_broken_file_answers_422_with_every_problem_and_nothing_is_saved(leader, world, read):
    broken = copy.deepcopy(GOOD)
    broken["items"][0]["kind"] = "slider"
    broken["items"][1]["area"] = "sleep"
    broken["items"][2]["key"] = "feel_safe"
    broken["items"][4]["text"] = {"en": "Anything else?"}
    refused = _upload(leader, world, json.dumps(broken))
    assert refused.status_code == 422
    shown = page(refused)
    assert shown.find("title").get_text().startswith("Error:")
    assert "The file has 4 problems. Nothing was imported." in shown.find(id="file-error").get_text()
    problems = [li.get_text(" ", strip=True) for li in shown.select(".import-problems li")]
    assert problems == [
        'Question 1 (feel_safe): The kind "slider" is unknown. Use one of: agreement, scale, yes_no, choice, text.',
        'Question 2 (life_health): The area "sleep" is unknown. Use one of: work, studies, health, economy, '
        'housing, social_network, language, everyday_life.',
        'Question 3 (feel_safe): Another question already has the key "feel_safe". Each key must be used once.',
        'Question 5 (note): the question has no text in "sv".',
    ]
    assert _imported(read) == []


@pytest.mark.parametrize(("content", "message"), [
    ("this is not json", "The file is not valid JSON (line 1)."),
    (json.dumps({**GOOD, "key": "stegvis-start"}), 'The key "stegvis-start" belongs to a questionnaire that comes'),
    (b"{" + b" " * (200 * 1024) + b"}", "The file is larger than 200 KB."),
])
def test_files_that_cannot_be_imported_say_why(leader, world, read, content, message):
    refused = _upload(leader, world, content)
    assert refused.status_code == 422
    assert message in page(refused).select_one(".import-problems").get_text(" ", strip=True)
    assert _imported(read) == []


def test_the_same_key_and_version_cannot_be_imported_twice_but_a_higher_version_can(leader, world, read):
    assert _upload(leader, world, json.dumps(GOOD)).status_code == 303
    again = _upload(leader, world, json.dumps(GOOD))
    assert again.status_code == 422
    assert 'The project already has "our-survey" version 2.' in again.get_data(as_text=True)
    assert _upload(leader, world, json.dumps({**GOOD, "version": 3})).status_code == 303
    assert sorted(_imported(read)) == [("our-survey", 2), ("our-survey", 3)]


def test_sending_no_file_asks_for_one(leader, world):
    refused = leader.post_form(_url(world, "/import"), {})
    assert refused.status_code == 422
    assert "Choose a file to import." in page(refused).find(id="file-error").get_text()


def test_another_projects_leader_gets_404_and_changes_nothing(client, build, world, read):
    other = build(factories.staff, world.project_b, "leader")
    client.sign_in(other.email)
    assert client.get(_url(world)).status_code == 404
    assert client.post_form(_url(world), {"start": "stegvis-start", "follow_up_weeks": "6"}).status_code == 404
    assert _upload(client, world, json.dumps(GOOD)).status_code == 404
    assert _settings(read, world) == (None, None, 8, None) and _imported(read) == []


def test_an_imported_questionnaire_of_another_project_is_not_offered(leader, build, world, client, new_client):
    other_leader = build(factories.staff, world.project_b, "leader")
    theirs = new_client()
    theirs.sign_in(other_leader.email)
    done = theirs.post_form(f"/project/{world.project_b.public_id}/questionnaires/import",
                            {"file": (io.BytesIO(json.dumps(GOOD).encode()), "survey.json")})
    assert done.status_code == 303
    options = [o["value"] for o in page(leader.get(_url(world))).select("select#start option")]
    assert "our-survey" not in options
    refused = leader.post_form(_url(world), {"start": "our-survey", "follow_up_weeks": "6"})
    assert refused.status_code == 422


@pytest.mark.parametrize("who", ["coach", "participant"])
def test_coaches_and_participants_cannot_open_the_page(client, world, who):
    client.sign_in(world.coach.email if who == "coach" else world.p.login)
    assert client.get(_url(world)).status_code == 403
    assert _upload(client, world, json.dumps(GOOD)).status_code == 403
