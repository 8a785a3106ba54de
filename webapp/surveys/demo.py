"""Demo surveys for Norrskan: the project uses Stegvis's own questionnaires (follow-up every 6
weeks), and most participants have answered them, with life-area ratings that mostly go up.

Left open on purpose, so the demo shows them: Maria's start survey (just started in the
project), Kim's start survey (half answered), Yonas's first follow-up (due today) and Erik's
(three weeks old, overdue for the coach).
"""

from __future__ import annotations

import datetime as dt
import random

from webapp import clock
from webapp.extensions import db
from webapp.models import Occasion, Participation, Project, SurveyAnswer, SurveyResponse
from webapp.surveys.catalogue import shipped
from webapp.surveys.format import AREAS, Questionnaire

KEYS = {Occasion.START: "stegvis-start", Occasion.FOLLOW_UP: "stegvis-follow-up", Occasion.EXIT: "stegvis-exit"}
WEEKS = 6

# Where each person starts (0–10 per life area, None: skipped) and what matters most to them.
STARTING_POINTS = {
    "amina": ([3, 4, 6, 3, 6, 4, 3, 5], "swedish"),
    "erik": ([2, None, 2, 4, 7, 5, 10, 3], "health"),
    "sara": ([2, 3, 6, 3, 5, 6, 10, 5], "studies"),
    "yonas": ([2, 4, 7, 2, 4, 3, 4, 5], "job"),
    "olena": ([2, 5, 6, 3, 5, 3, 3, 5], "job"),
    "kim": ([3, 3, 2, 4, 6, 2, 10, 2], "everyday_life"),
    "ahmad": ([3, 3, 8, 2, 3, 4, 4, 6], "job"),
}
NOTES = {
    ("amina", Occasion.FOLLOW_UP): "Jag vill börja praktiken snart.",
    ("olena", Occasion.EXIT): "Praktiken på ekonomienheten.",
    ("sara", Occasion.EXIT): "Att prata med studievägledaren.",
}
# The exit items behind the goals G2 and G3 (4 and 5 count as agree).
EXIT_VIEWS = {"olena": (5, 4), "sara": (4, 5)}


def load(project: Project, participations: dict[str, Participation], today: dt.date) -> None:
    """Choose the project's questionnaires and add the demo participants' responses."""
    project.start_survey_key = KEYS[Occasion.START]
    project.follow_up_survey_key = KEYS[Occasion.FOLLOW_UP]
    project.follow_up_weeks = WEEKS
    project.exit_survey_key = KEYS[Occasion.EXIT]
    rng = random.Random(6)  # noqa: S311 - demo data, not security
    for login, (start_values, wish) in STARTING_POINTS.items():
        participation = participations[login]
        for step, (occasion, round_, due_on) in enumerate(_occasions(participation, login, today)):
            values = _values(start_values, step, rng)
            values.update(_other_answers(login, occasion, wish, step, rng))
            sent = not (login == "kim" and occasion == Occasion.START)
            _response(participation, occasion, round_, due_on, values, today, rng, sent)


def _occasions(participation: Participation, login: str, today: dt.date):
    """The occasions this participant has answered: start, follow-ups up to the end, exit.
    The newest follow-up round of Yonas and Erik is left for them (and their coach) to see."""
    yield Occasion.START, 0, participation.enrolled_on
    last_day = participation.ended_on or today
    every = dt.timedelta(weeks=WEEKS)
    rounds = (last_day - participation.enrolled_on) // every
    for round_ in range(1, rounds + 1):
        if login in ("yonas", "erik") and round_ == rounds:
            continue
        yield Occasion.FOLLOW_UP, round_, participation.enrolled_on + round_ * every
    if participation.ended_on:
        yield Occasion.EXIT, 0, participation.ended_on


def _values(start_values: list[int | None], step: int, rng: random.Random) -> dict[str, int]:
    """Life-area ratings and empowerment items a little higher each time, for most areas."""
    values = {}
    for area, start in zip(AREAS, start_values, strict=True):
        if start is not None:
            values[f"life_{area}"] = max(0, min(10, start + step * rng.choice([0, 1, 1, 2]) + rng.choice([-1, 0, 0])))
    for key in ("confidence", "control", "hope", "listened_to", "part_of_decisions"):
        values[key] = min(5, 2 + step + rng.choice([0, 0, 1]))
    return values


def _other_answers(login: str, occasion: Occasion, wish: str, step: int, rng: random.Random) -> dict:
    found: dict[str, int | str] = {}
    if occasion == Occasion.START:
        found["main_wish"] = wish
    if (login, occasion) in NOTES:
        found["anything_else" if occasion == Occasion.FOLLOW_UP else "most_helpful"] = NOTES[(login, occasion)]
    if occasion == Occasion.EXIT:
        found["chances_increased"], found["knows_requirements"] = EXIT_VIEWS[login]
        found["would_recommend"] = 1
    return found


def _response(participation: Participation, occasion: Occasion, round_: int, due_on: dt.date, values: dict,
              today: dt.date, rng: random.Random, sent: bool) -> None:
    questionnaire: Questionnaire = shipped()[(KEYS[occasion], 1)]
    answered_on = min(today - dt.timedelta(days=1), due_on + dt.timedelta(days=rng.randint(1, 5)))
    moment = dt.datetime.combine(answered_on, dt.time(10, rng.randint(0, 59)), tzinfo=clock.TIMEZONE)
    response = SurveyResponse(
        participation_id=participation.id, occasion=occasion, round=round_, questionnaire_key=questionnaire.key,
        questionnaire_version=questionnaire.version, due_on=due_on, started_at=moment,
        submitted_at=moment + dt.timedelta(minutes=6) if sent else None,
    )
    db.session.add(response)
    db.session.flush()
    # A half-answered survey stops at its eighth question; a sent one has every question.
    items = questionnaire.items if sent else questionnaire.items[:8]
    for item in items:
        value = values.get(item.key)
        db.session.add(SurveyAnswer(
            response_id=response.id, item_key=item.key, skipped=value is None, answered_at=moment,
            value_int=value if isinstance(value, int) else None, value_text=value if isinstance(value, str) else None,
        ))
