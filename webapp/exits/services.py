"""The end of a participation: ending, reopening, follow-ups, and the history of ends and reopenings.

The goal report counts from the four end columns of Participation, so every rule about them
lives here, once: the forms show these problems next to their fields, and the commands refuse
to run when there are any (the database's CHECK constraints are only the last line).
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from webapp.extensions import db
from webapp.i18n.formatting import format_day
from webapp.models import (
    EndReason,
    FollowUp,
    FollowUpKind,
    InterruptionCause,
    Outcome,
    Participation,
    ParticipationEvent,
    User,
)

ENDED = "ended"
REOPENED = "reopened"
REOPEN_REASON_MAX = 500

# Problems map a form field to a message for the coach; "" is the form as a whole.
Problems = dict[str, str]


class ExitError(Exception):
    """A change the end of a participation does not allow; `problems` says what and where."""

    def __init__(self, problems: Problems):
        # Only the field names: the messages are translated when shown, in the reader's language.
        super().__init__(", ".join(name or "form" for name in problems))
        self.problems = problems


def _date_problem(
    day: dt.date | None, earliest: dt.date, too_early: Callable[[str], str], today: dt.date, missing: str
) -> str | None:
    """`too_early` makes the message from the earliest date, formatted when it is shown."""
    if day is None:
        return missing
    if day < earliest:
        return too_early(LazyString(format_day, earliest))
    if day > today:
        return _l("The date cannot be in the future.")
    return None


def _only(problems: dict[str, str | None]) -> Problems:
    return {name: message for name, message in problems.items() if message is not None}


def _refuse(problems: Problems) -> None:
    if problems:
        raise ExitError(problems)


def _change_end(participation: Participation, problems: Callable[[], Problems], ended: bool, **values) -> None:
    """Write the end columns only if the participation is still ended (or not) as checked: of two
    coaches who press at the same moment, the second is refused instead of overwriting the first."""
    still = Participation.ended_on.is_not(None) if ended else Participation.ended_on.is_(None)
    result = db.session.execute(
        update(Participation).where(Participation.id == participation.id, still).values(**values)
    )
    # Refresh either way: the object must show what the database now holds, for the caller too.
    db.session.refresh(participation)
    if result.rowcount != 1:
        raise ExitError(problems())


# --- ending ---------------------------------------------------------------------------------


@dataclass
class EndData:
    ended_on: dt.date | None
    reason: EndReason | None
    cause: InterruptionCause | None
    outcome: Outcome | None


def end_problems(participation: Participation, data: EndData, today: dt.date) -> Problems:
    """Everything wrong with ending this participation so; empty when it may be ended."""
    cause = None
    if data.reason is EndReason.INTERRUPTED and data.cause is None:
        cause = _l("Choose why the participation was interrupted.")
    elif data.reason is EndReason.COMPLETED and data.cause is not None:
        cause = _l(
            'Give a cause only when the participation was interrupted. Choose "Does not apply" or "Interrupted".'
        )
    return _only({
        "": _l("The participation has already ended. Reopen it first if the end must change.")
        if participation.is_ended else None,
        "ended_on": _date_problem(
            data.ended_on, participation.enrolled_on,
            lambda day: _l("The last day cannot be before the start date (%(day)s).", day=day),
            today, _l("Write the last day of the participation."),
        ),
        "reason": _l("Choose how the participation ended.") if data.reason is None else None,
        "cause": cause,
        "outcome": _l("Choose where the participant went.") if data.outcome is None else None,
    })


def end_participation(participation: Participation, by: User, data: EndData, today: dt.date) -> ParticipationEvent:
    """End the participation and write it in the history. Raises ExitError if it may not."""
    _refuse(end_problems(participation, data, today))
    _change_end(
        participation, lambda: end_problems(participation, data, today), ended=False,
        ended_on=data.ended_on, end_reason=data.reason, interruption_cause=data.cause, exit_outcome=data.outcome,
    )
    event = ParticipationEvent(
        participation_id=participation.id, kind=ENDED, on_date=data.ended_on, end_reason=data.reason,
        interruption_cause=data.cause, outcome=data.outcome, by_id=by.id,
    )
    db.session.add(event)
    return event


# --- reopening ------------------------------------------------------------------------------


def reopen_problems(participation: Participation, reason: str | None) -> Problems:
    """Everything wrong with reopening this participation for this reason."""
    reason = (reason or "").strip()
    too_long = None
    if len(reason) > REOPEN_REASON_MAX:
        too_long = _l("Write at most %(limit)s characters. Now there are %(count)s.",
                      limit=REOPEN_REASON_MAX, count=len(reason))
    return _only({
        "": None if participation.is_ended else _l("The participation has not ended, so it cannot be reopened."),
        "reason": _l("Write why the participation is reopened.") if not reason else too_long,
    })


def reopen_participation(participation: Participation, by: User, reason: str, today: dt.date) -> ParticipationEvent:
    """Make an ended participation active again. Its follow-ups belonged to that end and go with it;
    the history keeps the end. Raises ExitError if it may not."""
    _refuse(reopen_problems(participation, reason))
    _change_end(
        participation, lambda: reopen_problems(participation, reason), ended=True,
        ended_on=None, end_reason=None, interruption_cause=None, exit_outcome=None,
    )
    db.session.execute(delete(FollowUp).where(FollowUp.participation_id == participation.id))
    event = ParticipationEvent(
        participation_id=participation.id, kind=REOPENED, on_date=today, reason=reason.strip(), by_id=by.id,
    )
    db.session.add(event)
    return event


# --- follow-ups -----------------------------------------------------------------------------


@dataclass
class FollowUpData:
    kind: FollowUpKind | None
    outcome: Outcome | None
    recorded_on: dt.date | None


def follow_up_problems(participation: Participation, data: FollowUpData, today: dt.date) -> Problems:
    """Everything wrong with recording this follow-up."""
    if not participation.is_ended:
        return {"": _l("The participation has not ended. Record a follow-up after it has ended.")}
    return _only({
        "kind": _l("Choose which follow-up this is.") if data.kind is None else None,
        "outcome": _l("Choose where the participant is now.") if data.outcome is None else None,
        "recorded_on": _date_problem(
            data.recorded_on, participation.ended_on,
            lambda day: _l("The follow-up cannot be before the end of the participation (%(day)s).", day=day),
            today, _l("Write the date of the follow-up."),
        ),
    })


def record_follow_up(participation: Participation, by: User, data: FollowUpData, today: dt.date) -> FollowUp:
    """Record where the participant is at a follow-up; the same kind again replaces the old answer."""
    _refuse(follow_up_problems(participation, data, today))
    follow_up = db.session.scalar(
        select(FollowUp).where(FollowUp.participation_id == participation.id, FollowUp.kind == data.kind)
    )
    if follow_up is None:
        follow_up = FollowUp(participation_id=participation.id, kind=data.kind)
        db.session.add(follow_up)
    follow_up.outcome = data.outcome
    follow_up.recorded_on = data.recorded_on
    follow_up.by_id = by.id
    return follow_up


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_due(ended_on: dt.date, kind: FollowUpKind) -> dt.date:
    """When a follow-up of this kind is due: 4 weeks or 6 months after the end."""
    if kind is FollowUpKind.WEEKS_4:
        return ended_on + dt.timedelta(weeks=4)
    return _add_months(ended_on, 6)


# --- what the coach's page shows ------------------------------------------------------------


@dataclass
class HistoryEntry:
    event: ParticipationEvent
    by_name: str


@dataclass
class ExitSummary:
    participation: Participation
    history: list[HistoryEntry] = field(default_factory=list)
    follow_ups: dict[FollowUpKind, FollowUp] = field(default_factory=dict)

    def due(self, kind: FollowUpKind) -> dt.date | None:
        ended_on = self.participation.ended_on
        return follow_up_due(ended_on, kind) if ended_on else None


def history(participation_id: uuid.UUID) -> list[HistoryEntry]:
    """Every end and reopening, oldest first, with the name of who did it (one query)."""
    rows = db.session.execute(
        select(ParticipationEvent, User.name)
        .join(User, User.id == ParticipationEvent.by_id)
        .where(ParticipationEvent.participation_id == participation_id)
        .order_by(ParticipationEvent.id)
    )
    return [HistoryEntry(event, name) for event, name in rows]


def follow_ups(participation_id: uuid.UUID) -> dict[FollowUpKind, FollowUp]:
    rows = db.session.scalars(select(FollowUp).where(FollowUp.participation_id == participation_id))
    return {row.kind: row for row in rows}


def summary(participation: Participation) -> ExitSummary:
    """The end, its follow-ups and its history, in at most two queries whatever their number."""
    return ExitSummary(
        participation,
        history=history(participation.id),
        follow_ups=follow_ups(participation.id) if participation.is_ended else {},
    )
