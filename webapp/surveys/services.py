"""Surveys: which are due, starting one, saving each answer as it is given, sending, reopening.
No request objects: the views and the coach's caseload call these."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp import clock
from webapp.extensions import db
from webapp.models import Occasion, Participation, SurveyAnswer, SurveyResponse, User
from webapp.surveys.catalogue import Library
from webapp.surveys.format import Item, Questionnaire

# A due survey not sent this many days after its date is overdue (for the coach; never shown
# to the participant as "late").
OVERDUE_AFTER_DAYS = 14


class SurveyError(Exception):
    """A change the survey's state does not allow, with a message for the person who tried."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Due:
    """A survey the participant should answer now (not sent yet)."""

    participation_id: uuid.UUID
    occasion: Occasion
    round: int  # the n-th follow-up; 0 for start and exit
    due_on: dt.date
    questionnaire_key: str
    response_id: uuid.UUID | None  # started (some answers saved), or reopened by a coach
    overdue: bool

    @property
    def started(self) -> bool:
        return self.response_id is not None


def _responses_of(participation_ids: Sequence[uuid.UUID]):
    """The response rows (no answers) of many participations, in one query."""
    if not participation_ids:
        return []
    return db.session.execute(
        select(SurveyResponse.id, SurveyResponse.participation_id, SurveyResponse.occasion, SurveyResponse.round,
               SurveyResponse.questionnaire_key, SurveyResponse.due_on, SurveyResponse.submitted_at,
               SurveyResponse.reopened_at)
        .where(SurveyResponse.participation_id.in_(list(participation_ids)))
    ).all()


def due_surveys(participations: Sequence[Participation], today: dt.date) -> dict[uuid.UUID, list[Due]]:
    """For each participation, the surveys due now, earliest first.

    One query for the responses of all participations. Each participation's project is read
    for its settings: load it with the participations (joinedload) to keep it at one query.
    """
    rows = defaultdict(list)
    for row in _responses_of([p.id for p in participations]):
        rows[row.participation_id].append(row)
    return {p.id: due_for(p, rows[p.id], today) for p in participations}


def _wanted(participation: Participation, today: dt.date) -> list[tuple[Occasion, int, dt.date, str]]:
    """The occasions open now by the project's settings: (occasion, round, due on, questionnaire key)."""
    project = participation.project
    if participation.ended_on is not None:
        return [(Occasion.EXIT, 0, participation.ended_on, project.exit_survey_key)] if project.exit_survey_key else []
    if participation.enrolled_on > today:
        return []
    wanted = []
    if project.start_survey_key:
        wanted.append((Occasion.START, 0, participation.enrolled_on, project.start_survey_key))
    every = dt.timedelta(weeks=max(1, project.follow_up_weeks))
    # Only the latest round that has come is offered; a missed earlier round is simply skipped.
    latest = (today - participation.enrolled_on) // every
    if project.follow_up_survey_key and latest >= 1:
        wanted.append((Occasion.FOLLOW_UP, latest, participation.enrolled_on + latest * every,
                       project.follow_up_survey_key))
    return wanted


def due_for(participation: Participation, responses, today: dt.date) -> list[Due]:
    by_occasion = {(row.occasion, row.round): row for row in responses}

    def due(occasion, round_, due_on, key, response_id=None):
        return Due(participation.id, occasion, round_, due_on, key, response_id,
                   (today - due_on).days > OVERDUE_AFTER_DAYS)

    found = []
    for occasion, round_, due_on, key in _wanted(participation, today):
        row = by_occasion.get((occasion, round_))
        if row is None:
            found.append(due(occasion, round_, due_on, key))
        elif row.submitted_at is None:
            found.append(due(occasion, round_, _waiting_since(row), row.questionnaire_key, row.id))
    # A coach reopened it so the participant can change it: offered whatever the round.
    offered = {(d.occasion, d.round) for d in found}
    for row in responses:
        if row.reopened_at is not None and row.submitted_at is None and (row.occasion, row.round) not in offered:
            found.append(due(row.occasion, row.round, _waiting_since(row), row.questionnaire_key, row.id))
    return sorted(found, key=lambda d: d.due_on)


def _waiting_since(row) -> dt.date:
    """A survey reopened for a change waits from the day it was reopened, not from its first due
    day (reopened weeks later, it was overdue at once)."""
    if row.reopened_at is None:
        return row.due_on
    return max(row.due_on, row.reopened_at.astimezone(clock.TIMEZONE).date())


@dataclass
class OnHome:
    """What the participant's start page shows about surveys."""

    due: list[Due]
    sent_count: int


def on_home(participation: Participation, today: dt.date) -> OnHome:
    rows = _responses_of([participation.id])
    return OnHome(due_for(participation, rows, today), sum(1 for row in rows if row.submitted_at is not None))


def start(participation: Participation, occasion: Occasion, round_: int, today: dt.date) -> SurveyResponse:
    """The response for a due survey: the one already started, or a new one with the newest
    version of the project's questionnaire (the response keeps that version for good)."""
    due = next((d for d in due_surveys([participation], today)[participation.id]
                if d.occasion == occasion and d.round == round_), None)
    if due is None:
        raise SurveyError(_l("This survey is not open now."))
    if due.response_id is not None:
        return db.session.get(SurveyResponse, due.response_id)
    questionnaire = Library.for_keys(participation.project_id, [due.questionnaire_key]).newest(due.questionnaire_key)
    if questionnaire is None:
        raise SurveyError(_l("We cannot find the questions for this survey. Tell your coach."))
    response = SurveyResponse(
        participation_id=participation.id, occasion=occasion, round=round_, questionnaire_key=questionnaire.key,
        questionnaire_version=questionnaire.version, due_on=due.due_on,
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:
        # Started at the same moment from another tab or phone: use that one.
        response = db.session.scalar(select(SurveyResponse).where(
            SurveyResponse.participation_id == participation.id, SurveyResponse.occasion == occasion,
            SurveyResponse.round == round_))
    return response


@dataclass
class Opened:
    """A response with its questionnaire (the version it was started with) and its answers."""

    response: SurveyResponse
    questionnaire: Questionnaire
    answers: dict[str, SurveyAnswer]

    @property
    def items(self) -> tuple[Item, ...]:
        return self.questionnaire.items

    @property
    def is_sent(self) -> bool:
        return self.response.submitted_at is not None

    def item(self, number: int) -> Item | None:
        return self.items[number - 1] if 1 <= number <= len(self.items) else None

    def first_open_number(self) -> int | None:
        """The first question without an answer (or a skip), where "Continue" takes the participant."""
        return next((item.number for item in self.items if item.key not in self.answers), None)


def open_response(participation_id: uuid.UUID, response_id: uuid.UUID) -> Opened | None:
    """A response of this participation, or None (someone else's answers like a missing one)."""
    response = db.session.scalar(select(SurveyResponse).where(
        SurveyResponse.id == response_id, SurveyResponse.participation_id == participation_id))
    if response is None:
        return None
    project_id = db.session.scalar(select(Participation.project_id).where(Participation.id == participation_id))
    questionnaire = Library.for_keys(project_id, [response.questionnaire_key]).get(
        response.questionnaire_key, response.questionnaire_version)
    if questionnaire is None:
        return None
    answers = db.session.scalars(select(SurveyAnswer).where(SurveyAnswer.response_id == response.id))
    return Opened(response, questionnaire, {a.item_key: a for a in answers})


@dataclass(frozen=True)
class Value:
    """An answer as stored: a number (agreement, scale, yes 1 / no 0) or a text (choice key, text)."""

    number: int | None = None
    text: str | None = None


SKIPPED = None


def _check_open(opened: Opened) -> None:
    if opened.is_sent:
        raise SurveyError(_l("You have already sent this survey, so the answers cannot be changed. "
                             "Ask your coach if something is wrong."))


def save_answer(opened: Opened, item: Item, value: Value | None, now: dt.datetime) -> None:
    """Save one answer, or a skip (value None), replacing what was there."""
    _check_open(opened)
    answer = opened.answers.get(item.key)
    if answer is None:
        answer = SurveyAnswer(response_id=opened.response.id, item_key=item.key)
        db.session.add(answer)
        opened.answers[item.key] = answer
    answer.value_int = value.number if value else None
    answer.value_text = value.text if value else None
    answer.skipped = value is None
    answer.answered_at = now


def submit(opened: Opened, now: dt.datetime) -> None:
    """Send the answers. Questions never reached count as skipped."""
    _check_open(opened)
    for item in opened.items:
        if item.key not in opened.answers:
            save_answer(opened, item, SKIPPED, now)
    opened.response.submitted_at = now


def reopen(opened: Opened, coach: User, now: dt.datetime) -> None:
    """Let the participant change a sent survey; it must be sent again to count."""
    if not opened.is_sent:
        raise SurveyError(_l("The participant has not sent this survey yet, so it is already open."))
    opened.response.submitted_at = None
    opened.response.reopened_at = now
    opened.response.reopened_by_id = coach.id


@dataclass
class ResponseInfo:
    response: SurveyResponse
    questionnaire: Questionnaire | None
    done_count: int  # answered or skipped

    @property
    def total(self) -> int:
        return len(self.questionnaire.items) if self.questionnaire else 0


def responses(participation: Participation) -> tuple[list[ResponseInfo], Library]:
    """Every response of the participation, newest first, with how many questions are done.
    Two queries at most (the responses with counts, and imported questionnaires if any)."""
    rows = db.session.execute(
        select(SurveyResponse, func.count(SurveyAnswer.id))
        .outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.participation_id == participation.id)
        .group_by(SurveyResponse.id)
        .order_by(SurveyResponse.started_at.desc())
    ).all()
    library = Library.for_keys(participation.project_id, {r.questionnaire_key for r, _n in rows})
    infos = [ResponseInfo(r, library.get(r.questionnaire_key, r.questionnaire_version), n) for r, n in rows]
    return infos, library


def numbers_of_sent(participation: Participation) -> dict[uuid.UUID, dict[str, int]]:
    """The numeric answers of every sent response: {response id: {item key: value}}; one query."""
    rows = db.session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.item_key, SurveyAnswer.value_int)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.participation_id == participation.id, SurveyResponse.submitted_at.is_not(None),
               SurveyAnswer.value_int.is_not(None))
    )
    found: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for response_id, key, value in rows:
        found[response_id][key] = value
    return found
