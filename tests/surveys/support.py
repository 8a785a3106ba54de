"""Factories for survey tests (run them with `build`), shared with the browser test."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from tests.html import parse
from webapp import clock
from webapp.extensions import db
from webapp.models import Occasion, Participation, Project

TODAY = clock.today()


def use_shipped_questionnaires(project_id: int, weeks: int = 6) -> None:
    """A factory (run it with `build`): the project uses Stegvis's own three questionnaires."""
    project = db.session.get(Project, project_id)
    project.start_survey_key = "stegvis-start"
    project.follow_up_survey_key = "stegvis-follow-up"
    project.follow_up_weeks = weeks
    project.exit_survey_key = "stegvis-exit"


def end_participation(participation_id, days_ago: int = 1) -> None:
    """A factory: the participation ended (completed, to work) some days ago."""
    from webapp.models import EndReason, Outcome

    p = db.session.get(Participation, participation_id)
    p.ended_on = TODAY - dt.timedelta(days=days_ago)
    p.end_reason = EndReason.COMPLETED
    p.exit_outcome = Outcome.EMPLOYMENT


def sent_response(participation_id, occasion: Occasion = Occasion.START, round_: int = 0,
                  values: dict[str, int] | None = None, days_ago: int = 0, sent: bool = True):
    """A factory: a response with these numeric answers (the rest skipped), sent days ago."""
    from webapp.models import SurveyAnswer, SurveyResponse
    from webapp.surveys.catalogue import shipped

    key = {Occasion.START: "stegvis-start", Occasion.FOLLOW_UP: "stegvis-follow-up",
           Occasion.EXIT: "stegvis-exit"}[occasion]
    moment = clock.now() - dt.timedelta(days=days_ago)
    response = SurveyResponse(participation_id=participation_id, occasion=occasion, round=round_,
                              questionnaire_key=key, questionnaire_version=1, due_on=moment.date(),
                              started_at=moment, submitted_at=moment if sent else None)
    db.session.add(response)
    db.session.flush()
    values = values or {}
    for item in shipped()[(key, 1)].items:
        if sent or item.key in values:
            db.session.add(SurveyAnswer(response_id=response.id, item_key=item.key, value_int=values.get(item.key),
                                        skipped=item.key not in values, answered_at=moment))
    db.session.flush()
    return response.id


def start(client, occasion: Occasion = Occasion.START, round_: int = 0) -> str:
    """Press Start (or Continue) on the start page; returns the question URL it leads to."""
    response = client.post_form("/surveys/start", {"occasion": occasion.value, "round": str(round_)})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def response_id_of(url: str) -> uuid.UUID:
    return uuid.UUID(re.search(r"/surveys/([0-9a-f-]{36})/", url).group(1))


def page(response):
    return parse(response.get_data(as_text=True))

