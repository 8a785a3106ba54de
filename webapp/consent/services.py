"""Consent to share, and the shares made under it. Every rule about what may be shared lives
here, once: the views ask these functions, and a share is written only by `share`, which checks
the consent in the same transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp import audit, clock
from webapp.activities import services as activities
from webapp.extensions import db
from webapp.models import (
    Activity,
    ActivityKind,
    Capacity,
    Consent,
    ConsentShare,
    Participation,
    SharePart,
    User,
)
from webapp.plan import services as plan_services

RECIPIENT_MAX = 120
PURPOSE_MAX = 200
DOUBLE_TAP = dt.timedelta(minutes=1)

# Problems map a form field to a message; the form shows each next to its field.
Problems = dict[str, str]


class ConsentError(Exception):
    """A consent that cannot be saved as it is; `problems` says what and where."""

    def __init__(self, problems: Problems):
        super().__init__(", ".join(problems))
        self.problems = problems


class ShareRefused(Exception):
    """No valid consent covers this share: nothing is shown and nothing is recorded as shared."""


@dataclass
class NewConsent:
    recipient: str
    parts: frozenset[SharePart]
    purpose: str | None = None
    valid_until: dt.date | None = None


def consent_problems(data: NewConsent, today: dt.date) -> Problems:
    problems: Problems = {}
    recipient = (data.recipient or "").strip()
    if not recipient:
        problems["recipient"] = _l("Write the name of the organisation.")
    elif len(recipient) > RECIPIENT_MAX:
        problems["recipient"] = _l("Write at most %(limit)s characters.", limit=RECIPIENT_MAX)
    if not data.parts:
        problems["parts"] = _l("Choose at least one part.")
    if data.purpose and len(data.purpose) > PURPOSE_MAX:
        problems["purpose"] = _l("Write at most %(limit)s characters.", limit=PURPOSE_MAX)
    if data.valid_until is not None and data.valid_until <= today:
        problems["valid_until"] = _l("The last day must be after today.")
    return problems


def give_consent(
    participation: Participation, by: User, data: NewConsent, today: dt.date, *, on_paper: bool = False
) -> Consent:
    """The participant's consent, given in the app (by is the participant) or recorded by a coach
    from a paper the participant signed (on_paper, by is the coach)."""
    if problems := consent_problems(data, today):
        raise ConsentError(problems)
    if same := _just_given(participation, by, data):
        return same
    consent = Consent(
        participation_id=participation.id,
        recipient=data.recipient.strip(),
        purpose=(data.purpose or "").strip() or None,
        valid_until=data.valid_until,
        on_paper=on_paper,
        given_by_id=by.id,
        **Consent.part_columns(data.parts),
    )
    db.session.add(consent)
    db.session.flush()
    audit.record_event("consent_given", actor=by, participation=participation, detail=str(consent.id))
    return consent


def _just_given(participation: Participation, by: User, data: NewConsent) -> Consent | None:
    """The same consent, given by the same person a moment ago: a double tap, not a second consent."""
    return db.session.scalar(
        select(Consent).where(
            Consent.participation_id == participation.id,
            Consent.given_by_id == by.id,
            Consent.withdrawn_at.is_(None),
            Consent.given_at >= clock.now() - DOUBLE_TAP,
            Consent.recipient == data.recipient.strip(),
            Consent.purpose.is_(None) if not (data.purpose or "").strip() else Consent.purpose == data.purpose.strip(),
            Consent.valid_until.is_(None) if data.valid_until is None else Consent.valid_until == data.valid_until,
            *(getattr(Consent, name) == on for name, on in Consent.part_columns(data.parts).items()),
        ).limit(1)
    )


def get_consent(participation: Participation, consent_id: uuid.UUID, *, for_update: bool = False) -> Consent | None:
    """This participation's consent, or None for another's or a missing one (404 alike)."""
    query = select(Consent).where(Consent.id == consent_id, Consent.participation_id == participation.id)
    if for_update:
        # A withdrawal committed while a share is being made waits for it, or is seen by it.
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def withdraw(consent: Consent, by: User, now: dt.datetime) -> bool:
    """Withdraw the consent; False if it already was (the first withdrawal is the one kept)."""
    if consent.withdrawn_at is not None:
        return False
    consent.withdrawn_at = now
    consent.withdrawn_by_id = by.id
    db.session.flush()
    audit.record_event(
        "consent_withdrawn", actor=by, participation=consent.participation, detail=str(consent.id)
    )
    return True


# --- reading --------------------------------------------------------------------------------


@dataclass
class ConsentView:
    consent: Consent
    shares: list[ConsentShare] = field(default_factory=list)


def consents(participation: Participation) -> list[ConsentView]:
    """Every consent of the participation, newest first, with its shares (newest first): two queries."""
    found = list(
        db.session.scalars(
            select(Consent)
            .where(Consent.participation_id == participation.id)
            .options(joinedload(Consent.given_by), joinedload(Consent.withdrawn_by))
            .order_by(Consent.given_at.desc(), Consent.id)
        )
    )
    views = {consent.id: ConsentView(consent) for consent in found}
    if views:
        shares = db.session.scalars(
            select(ConsentShare)
            .where(ConsentShare.participation_id == participation.id)
            .options(joinedload(ConsentShare.shared_by))
            .order_by(ConsentShare.shared_at.desc(), ConsentShare.id.desc())
        )
        for item in shares:
            if item.consent_id in views:
                views[item.consent_id].shares.append(item)
    return list(views.values())


@dataclass
class CoachOverview:
    """The Share section of the coach's page: the consents a share may be made under today."""

    valid: list[Consent]
    others: int  # withdrawn or ended


def coach_overview(participation: Participation, today: dt.date) -> CoachOverview:
    everything = list(
        db.session.scalars(
            select(Consent)
            .where(Consent.participation_id == participation.id)
            .order_by(Consent.given_at.desc(), Consent.id)
        )
    )
    valid = [c for c in everything if c.is_valid(today)]
    return CoachOverview(valid=valid, others=len(everything) - len(valid))


# --- sharing --------------------------------------------------------------------------------


def share(
    participation: Participation, consent_id: uuid.UUID, parts, by: User, today: dt.date
) -> ConsentShare:
    """Record one share of `parts` under the consent, or refuse: no such consent for this
    participation, withdrawn, past its last day, or a part it does not cover."""
    parts = frozenset(parts)
    consent = get_consent(participation, consent_id, for_update=True)
    if consent is None or not consent.allows(parts, today):
        raise ShareRefused(str(consent_id))
    made = ConsentShare(
        consent_id=consent.id, participation_id=participation.id, shared_by_id=by.id,
        **ConsentShare.part_columns(parts),
    )
    db.session.add(made)
    db.session.flush()
    audit.record_event("share", actor=by, participation=participation, detail=str(consent.id))
    return made


@dataclass
class Month:
    """One month of the activity summary: how many of each kind, the time, the capacity."""

    start: dt.date
    counts: dict[ActivityKind, int]
    minutes: int
    capacity: Capacity | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class SharedContent:
    """Exactly the consented parts, and nothing written in free text about how things went."""

    parts: frozenset[SharePart]
    plan: plan_services.PlanView | None = None
    months: list[Month] = field(default_factory=list)
    capacity: Capacity | None = None
    capacities: list[Capacity] = field(default_factory=list)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def activity_summary(participation: Participation, today: dt.date) -> tuple[list[Month], list[Capacity]]:
    """Counts per kind and the time per month, from the enrolment month to this month (newest
    first), each with the capacity in force at the month's end. Only the kind, day and minutes
    are read: never the note, the feeling or the linked step."""
    history = activities.capacities(participation)
    rows = db.session.execute(
        select(Activity.occurred_on, Activity.kind, Activity.minutes).where(
            Activity.participation_id == participation.id,
            Activity.deleted_at.is_(None),
            Activity.occurred_on <= today,
        )
    )
    counts: dict[dt.date, Counter] = defaultdict(Counter)
    minutes: Counter = Counter()
    first = _month_start(participation.enrolled_on)
    for occurred_on, kind, spent in rows:
        month = _month_start(occurred_on)
        counts[month][kind] += 1
        minutes[month] += spent
        first = min(first, month)
    months = []
    month = first
    while month <= today:
        last_day = min(_next_month(month) - dt.timedelta(days=1), today)
        ordered = {kind: counts[month][kind] for kind in ActivityKind if counts[month][kind]}
        months.append(Month(month, ordered, minutes[month], activities.capacity_on(history, last_day)))
        month = _next_month(month)
    months.reverse()
    return months, history


def shared_content(participation: Participation, parts, today: dt.date) -> SharedContent:
    """What the recipient sees for these parts; call it only after `share` has recorded the share."""
    content = SharedContent(parts=frozenset(parts))
    if SharePart.PLAN in content.parts:
        view = plan_services.plan_view(participation)
        # The coach's suggestions are not the participant's plan until accepted.
        content.plan = plan_services.PlanView(goals=view.goals, loose_steps=view.loose_steps, suggestions=[])
    if SharePart.ACTIVITY_SUMMARY in content.parts:
        content.months, content.capacities = activity_summary(participation, today)
        content.capacity = activities.capacity_on(content.capacities, today)
    return content
