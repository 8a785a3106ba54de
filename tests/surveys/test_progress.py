"""The progress picture: life-area ratings from sent surveys only, as small SVG line charts,
a table and a sentence per area; the same for the participant and the coach; and the pages
that show surveys run a fixed number of queries."""

from __future__ import annotations

import pytest

from tests.surveys.support import page, sent_response
from webapp.models import Occasion
from webapp.surveys.progress import BOTTOM, LEFT, RIGHT, TOP


@pytest.fixture
def history(build, surveys_on):
    """P's start survey (30 days ago), follow-up 1 (10 days ago), and a follow-up 2 begun but not sent."""
    p = surveys_on.p.participation_id
    build(sent_response, p, Occasion.START, values={"life_health": 3, "life_work": 2, "life_economy": 5}, days_ago=30)
    build(sent_response, p, Occasion.FOLLOW_UP, 1, values={"life_health": 6, "life_work": 2}, days_ago=10)
    build(sent_response, p, Occasion.FOLLOW_UP, 2, values={"life_health": 9}, sent=False)
    return surveys_on


def _picture(client, url):
    shown = page(client.get(url))
    charts = shown.select(".progress-chart")
    return shown, {chart.find("figcaption").get_text(strip=True): chart.find("svg") for chart in charts}


def test_the_participant_sees_a_sentence_and_a_chart_per_area_from_sent_surveys_only(participant, history):
    shown, charts = _picture(participant, "/surveys/progress")
    assert list(charts) == ["Work: 2, the same as the first time.", "Health went from 3 to 6.", "Money: 5 out of 10."]
    health = charts["Health went from 3 to 6."]
    assert health["role"] == "img" and health["aria-labelledby"] == "progress-health"
    y = lambda value: BOTTOM - value * (BOTTOM - TOP) / 10  # noqa: E731
    assert health.find("polyline")["points"] == f"{LEFT}.0,{y(3)} {RIGHT}.0,{y(6)}"
    assert [(float(c["cx"]), float(c["cy"])) for c in health.find_all("circle")] == [(LEFT, y(3)), (RIGHT, y(6))]
    assert [t.get_text() for t in health.select("text.chart__value")] == ["3", "6"]
    money = charts["Money: 5 out of 10."]
    assert money.find("polyline") is None and len(money.find_all("circle")) == 1


def test_the_table_has_the_same_numbers_with_a_column_per_sent_survey(participant, history):
    shown, _charts = _picture(participant, "/surveys/progress")
    table = shown.select_one("table.progress-table")
    heads = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    assert heads[0] == "Part of life" and heads[1].startswith("Start survey") and heads[2].startswith("Follow-up survey 1")
    rows = {tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in table.select("tbody tr")}
    assert rows == {"Work": ["2", "2"], "Health": ["3", "6"], "Money": ["5", "– Skipped"]}


def test_the_chart_uses_no_inline_styles_or_scripts(participant, history):
    body = participant.get("/surveys/progress").get_data(as_text=True)
    svg = body[body.index("<svg"):body.rindex("</svg>")]
    assert "style=" not in svg and "<script" not in svg and "<style" not in svg


def test_the_coach_sees_the_same_picture_on_the_participants_page(client, history):
    client.sign_in(history.coach.email)
    client.post_form("/language", {"lang": "en", "next": "/coach"})
    _shown, charts = _picture(client, f"/coach/participants/{history.p.participation_id}")
    assert list(charts) == ["Work: 2, the same as the first time.", "Health went from 3 to 6.", "Money: 5 out of 10."]
    assert charts["Health went from 3 to 6."]["aria-labelledby"] == "coach-progress-health"


def test_without_sent_surveys_the_page_says_the_picture_comes_later(participant):
    shown = page(participant.get("/surveys/progress"))
    assert shown.select(".progress-chart") == []
    assert "The picture shows here when a survey about the parts of life is sent." in shown.get_text()


def _fill(build, participation_id, n, start_round=1):
    for i in range(n):
        build(sent_response, participation_id, Occasion.FOLLOW_UP, start_round + i,
              values={"life_health": i % 11, "life_work": 5, "hope": 4}, days_ago=50 - i)


@pytest.mark.parametrize("who", ["participant /home", "participant /surveys/progress", "coach"])
def test_pages_with_surveys_do_not_grow_in_queries(client, build, surveys_on, count_queries, who):
    p = surveys_on.p.participation_id
    if who == "coach":
        client.sign_in(surveys_on.coach.email)
        url = f"/coach/participants/{p}"
    else:
        client.sign_in(surveys_on.p.login)
        url = who.split()[1]
    build(sent_response, p, Occasion.START, values={"life_health": 4}, days_ago=59)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _fill(build, p, 5)
    build(sent_response, p, Occasion.FOLLOW_UP, 9, values={"life_work": 1}, sent=False)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many() == few(), url


def test_the_coach_page_shows_a_sent_survey_with_reopen(client, build, surveys_on):
    build(sent_response, surveys_on.p.participation_id, Occasion.START, values={"life_health": 4})
    client.sign_in(surveys_on.coach.email)
    client.post_form("/language", {"lang": "en", "next": "/coach"})
    section = page(client.get(f"/coach/participants/{surveys_on.p.participation_id}")).find(
        id="surveys-heading").find_parent("section")
    form = section.select_one(".entry-list form")
    assert form["action"].endswith("/reopen")
    assert form.find("button")["aria-label"] == "Reopen the survey: Start survey"
