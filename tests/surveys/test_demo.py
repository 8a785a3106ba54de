"""The demo project uses the surveys: most participants have answered, ratings mostly go up,
and some surveys are left open so the demo shows them."""

from __future__ import annotations

from sqlalchemy import select

from webapp.demo import DEMO_PASSWORD, load_demo
from webapp.extensions import db
from webapp.models import Occasion, Participation, Project, SurveyAnswer, SurveyResponse, User
from webapp.surveys.progress import overview


def _load():
    load_demo()
    project = db.session.scalar(select(Project).where(Project.name == "Norrskan"))
    participations = {
        user.login_name: participation
        for participation, user in db.session.execute(
            select(Participation, User).join(User, User.id == Participation.participant_id))
    }
    assert project is not None
    db.session.commit()
    return participations


def test_the_demo_answers_most_surveys_and_leaves_some_open(app_context):
    participations = _load()
    project = db.session.scalar(select(Project).where(Project.name == "Norrskan"))
    assert (project.start_survey_key, project.follow_up_weeks, project.exit_survey_key) == (
        "stegvis-start", 6, "stegvis-exit")
    rows = db.session.execute(select(User.login_name, SurveyResponse.occasion, SurveyResponse.round,
                                     SurveyResponse.submitted_at.is_not(None))
                              .join(Participation, Participation.id == SurveyResponse.participation_id)
                              .join(User, User.id == Participation.participant_id)).all()
    sent = {(login, occasion, round_) for login, occasion, round_, is_sent in rows if is_sent}
    assert ("olena", Occasion.EXIT, 0) in sent and ("sara", Occasion.EXIT, 0) in sent
    assert ("olena", Occasion.FOLLOW_UP, 2) in sent
    assert ("kim", Occasion.START, 0) in {(r[0], r[1], r[2]) for r in rows if not r[3]}
    assert not any(login == "maria" for login, *_rest in rows)

    chances = db.session.scalars(select(SurveyAnswer.value_int).where(SurveyAnswer.item_key == "chances_increased"))
    assert sorted(chances) == [4, 5]
    olena = overview(participations["olena"])
    assert len(olena.progress.columns) == 4
    assert sum(row.last > row.first for row in olena.progress.rows) >= 5


def test_the_demo_pages_show_the_surveys(client, build):
    build(_load)
    client.post_form("/language", {"lang": "en", "next": "/sign-in"})
    client.sign_in("olena", DEMO_PASSWORD)
    assert "went from" in client.get("/surveys/progress").get_data(as_text=True)
    client.sign_out()
    client.sign_in("kim", DEMO_PASSWORD)
    assert "Continue answering" in client.get("/home").get_data(as_text=True)
