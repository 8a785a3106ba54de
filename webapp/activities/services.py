"""The activity log and capacity. Every query is scoped to one participation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from webapp import clock
from webapp.extensions import db
from webapp.i18n.formatting import week_start
from webapp.models import Activity, ActivityKind, Capacity, CapacityLevel, Participation

FULL_TIME_MINUTES_PER_WEEK = 40 * 60


class ClientIdConflict(Exception):
    """The client id is already used for an entry with other content."""


@dataclass
class ActivityData:
    occurred_on: dt.date
    kind: ActivityKind
    minutes: int
    feeling: int
    note: str | None = None
    step_id: uuid.UUID | None = None

    def fingerprint(self) -> str:
        """A stable digest of what was sent, to tell a replay from a different entry."""
        raw = {k: (str(v) if v is not None else None) for k, v in asdict(self).items()}
        raw["note"] = self.note or None
        return hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()


def get_activity(participation: Participation, activity_id: uuid.UUID, *, deleted: bool = False) -> Activity | None:
    """The participant's own entry, or None for someone else's or a missing one."""
    query = select(Activity).where(Activity.id == activity_id, Activity.participation_id == participation.id)
    query = query.where(Activity.deleted_at.is_not(None) if deleted else Activity.deleted_at.is_(None))
    return db.session.scalar(query.options(joinedload(Activity.step)))


def log_activity(participation: Participation, client_id: uuid.UUID, data: ActivityData) -> tuple[Activity, bool]:
    """Store an entry once per client id. Returns (entry, created).

    The same client id with the same content is a replay and returns the stored entry; with
    other content it raises ClientIdConflict. The fingerprint of the first submission is kept,
    so a replay still counts as one after the entry has been edited.
    """
    fingerprint = data.fingerprint()
    existing = db.session.scalar(select(Activity).where(Activity.client_id == client_id))
    if existing is not None:
        return _replayed(existing, participation, fingerprint), False
    activity = Activity(participation_id=participation.id, client_id=client_id, payload_hash=fingerprint)
    _apply(activity, data)
    try:
        # A savepoint, so that losing a race with a concurrent identical submit is not an error.
        # The entry joins the session inside it: begin_nested() flushes what is pending first, and
        # an INSERT flushed there would fail outside the savepoint (PostgreSQL then refuses the
        # rest of the transaction).
        with db.session.begin_nested():
            db.session.add(activity)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(select(Activity).where(Activity.client_id == client_id))
        if existing is None:
            raise
        return _replayed(existing, participation, fingerprint), False
    return activity, True


def _replayed(existing: Activity, participation: Participation, fingerprint: str) -> Activity:
    if existing.participation_id != participation.id or existing.payload_hash != fingerprint:
        raise ClientIdConflict
    return existing


def _apply(activity: Activity, data: ActivityData) -> None:
    activity.occurred_on = data.occurred_on
    activity.kind = data.kind
    activity.minutes = data.minutes
    activity.feeling = data.feeling
    activity.note = data.note or None
    activity.step_id = data.step_id


def update_activity(activity: Activity, data: ActivityData) -> None:
    _apply(activity, data)


def delete_activity(activity: Activity) -> None:
    activity.deleted_at = clock.now()


def restore_activity(activity: Activity) -> None:
    activity.deleted_at = None


def last_kind(participation: Participation) -> ActivityKind | None:
    """The kind logged most recently: the likeliest next one, to save a tap."""
    return db.session.scalar(
        select(Activity.kind)
        .where(Activity.participation_id == participation.id, Activity.deleted_at.is_(None))
        .order_by(Activity.created_at.desc())
        .limit(1)
    )


# --- capacity -----------------------------------------------------------------------------


def capacities(participation: Participation) -> list[Capacity]:
    """All stated capacities, newest first."""
    return list(
        db.session.scalars(
            select(Capacity)
            .where(Capacity.participation_id == participation.id)
            .order_by(Capacity.starts_on.desc(), Capacity.created_at.desc())
        )
    )


def capacity_on(history: list[Capacity], day: dt.date) -> Capacity | None:
    """The capacity in force on a day: the newest one that started on or before it."""
    return next((c for c in history if c.starts_on <= day), None)


def set_capacity(participation: Participation, level: CapacityLevel, starts_on: dt.date) -> Capacity:
    capacity = Capacity(participation_id=participation.id, level=level, starts_on=starts_on)
    db.session.add(capacity)
    db.session.flush()
    return capacity


# --- weeks --------------------------------------------------------------------------------


@dataclass
class Week:
    start: dt.date
    capacity: Capacity | None
    activities: list[Activity] = field(default_factory=list)

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def number(self) -> int:
        return self.start.isocalendar().week

    @property
    def minutes(self) -> int:
        return sum(a.minutes for a in self.activities)

    @property
    def capacity_minutes(self) -> int | None:
        """What the stated capacity means in minutes this week; None on sick leave or unknown."""
        if self.capacity is None or self.capacity.level.percent is None:
            return None
        return FULL_TIME_MINUTES_PER_WEEK * self.capacity.level.percent // 100


def weeks(
    participation: Participation, last_day: dt.date, count: int = 4, history: list[Capacity] | None = None
) -> list[Week]:
    """`count` weeks ending with the week of `last_day`, newest first, in two queries (one when
    the caller already has the capacity history)."""
    newest = week_start(last_day)
    first = newest - dt.timedelta(weeks=count - 1)
    history = capacities(participation) if history is None else history
    result = [Week(start=newest - dt.timedelta(weeks=i), capacity=None) for i in range(count)]
    for week in result:
        week.capacity = capacity_on(history, week.end)
    entries = db.session.scalars(
        select(Activity)
        .where(
            Activity.participation_id == participation.id,
            Activity.deleted_at.is_(None),
            Activity.occurred_on >= first,
            Activity.occurred_on <= newest + dt.timedelta(days=6),
        )
        .options(joinedload(Activity.step))
        .order_by(Activity.occurred_on.desc(), Activity.created_at.desc())
    )
    by_start = {week.start: week for week in result}
    for entry in entries:
        by_start[week_start(entry.occurred_on)].activities.append(entry)
    return result


def has_older_entries(participation: Participation, before: dt.date) -> bool:
    return db.session.scalar(
        select(Activity.id)
        .where(
            Activity.participation_id == participation.id,
            Activity.deleted_at.is_(None),
            Activity.occurred_on < before,
        )
        .limit(1)
    ) is not None
