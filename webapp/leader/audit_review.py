"""The project leader's log follow-up (logguppföljning): the project's audit rows in a period, the
things worth a closer look, and the record that the follow-up was done.

A row belongs to the project when it names the project (every read does), or when it names no
project and the person who did it works in the project or takes part in it (a failed sign-in,
say). Times are shown and grouped in Swedish time.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, func, or_, select, union
from sqlalchemy.orm import joinedload

from webapp import audit, clock
from webapp.extensions import db
from webapp.models import AuditEvent, AuditRecord, Participation, Project, ProjectStaff, User

WORKDAY_HOURS = (7, 19)  # reads from 07:00 up to 19:00 Swedish time are within working hours
BURST_WINDOW = dt.timedelta(minutes=10)
DEFAULT_BURST_READS = 50  # more reads than this by one person in BURST_WINDOW are listed
SIGN_IN_TROUBLE = ("sign_in_failed", "passkey_failed")
LOCKOUTS = ("locked_out", "rate_limited")
PAGE_SIZE = 50
MAX_DAYS = 366
LIST_LIMIT = 100  # at most this many items per kind of thing to check
FOLLOW_UP = "log_reviewed"
USER_DETAIL = re.compile(r"(?:coach|user):([0-9a-f]{32})")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """From the start day's midnight to the midnight after the end day, Swedish time, in UTC."""
        def midnight(day: dt.date) -> dt.datetime:
            return dt.datetime.combine(day, dt.time(), tzinfo=clock.TIMEZONE).astimezone(dt.UTC)

        return midnight(self.start), midnight(self.end + dt.timedelta(days=1))

    @property
    def code(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


@dataclass(frozen=True)
class Filters:
    person: uuid.UUID | None = None
    participation: uuid.UUID | None = None
    kind: str = "all"  # "all", "read" or "event"


def burst_limit() -> int:
    return int(current_app.config.get("AUDIT_BURST_READS", DEFAULT_BURST_READS))


def _members(project: Project):
    """Everyone who works in or takes part in the project."""
    return union(
        select(ProjectStaff.user_id).where(ProjectStaff.project_id == project.id),
        select(Participation.participant_id).where(Participation.project_id == project.id),
    )


def _of_project(project: Project):
    return or_(
        AuditRecord.project_id == project.id,
        and_(AuditRecord.project_id.is_(None), AuditRecord.actor_id.in_(_members(project))),
    )


def _in(period: Period):
    start, end = period.bounds()
    return and_(AuditRecord.at >= start, AuditRecord.at < end)


# --- choices for the filters ---------------------------------------------------------------------


def staff(project: Project) -> list[User]:
    """The project's coaches and leaders: the people whose reads the leader follows up."""
    return list(db.session.scalars(
        select(User).join(ProjectStaff, ProjectStaff.user_id == User.id)
        .where(ProjectStaff.project_id == project.id).order_by(User.name, User.id)
    ))


def participations(project: Project) -> list[tuple[uuid.UUID, str]]:
    return list(db.session.execute(
        select(Participation.id, User.name).join(User, User.id == Participation.participant_id)
        .where(Participation.project_id == project.id).order_by(User.name, Participation.id)
    ).all())


# --- the rows ------------------------------------------------------------------------------------


@dataclass
class Page:
    rows: list[AuditRecord]
    total: int
    number: int
    names: dict[uuid.UUID, str] = field(default_factory=dict)  # people named in a detail

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def entries(project: Project, period: Period, filters: Filters, number: int = 1) -> Page:
    """One page of the rows, newest first."""
    conditions = [_of_project(project), _in(period)]
    if filters.person:
        conditions.append(AuditRecord.actor_id == filters.person)
    if filters.participation:
        conditions.append(AuditRecord.participation_id == filters.participation)
    if filters.kind in ("read", "event"):
        conditions.append(AuditRecord.kind == filters.kind)
    total = db.session.scalar(select(func.count()).select_from(AuditRecord).where(*conditions))
    number = min(max(1, number), max(1, -(-total // PAGE_SIZE)))
    rows = list(db.session.scalars(
        select(AuditRecord).where(*conditions)
        .options(joinedload(AuditRecord.actor),
                 joinedload(AuditRecord.participation).joinedload(Participation.participant))
        .order_by(AuditRecord.at.desc(), AuditRecord.id.desc())
        .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    ).unique())
    return Page(rows, total, number, _names(_detail_people(rows)))


def _detail_people(rows) -> set[uuid.UUID]:
    found = set()
    for row in rows:
        if row.detail and (match := USER_DETAIL.fullmatch(row.detail)):
            found.add(uuid.UUID(match.group(1)))
    return found


def detail_person(detail: str | None) -> uuid.UUID | None:
    match = USER_DETAIL.fullmatch(detail or "")
    return uuid.UUID(match.group(1)) if match else None


def _names(ids) -> dict[uuid.UUID, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


# --- things to check -----------------------------------------------------------------------------


@dataclass
class Outside:
    at: dt.datetime
    person: str
    participant: str


@dataclass
class Burst:
    person: str
    start: dt.datetime
    end: dt.datetime
    reads: int  # the most reads within BURST_WINDOW


@dataclass
class AfterHours:
    person: str
    day: dt.date
    reads: int
    first: dt.datetime
    last: dt.datetime


@dataclass
class SignInTrouble:
    person: str
    failures: int
    lockouts: int
    last: dt.datetime


@dataclass
class Refused:
    """Someone asked for a participant's page they may not see (answered "not found")."""

    person: str
    tries: int
    last: dt.datetime


@dataclass
class Checks:
    outside: list[Outside]
    bursts: list[Burst]
    after_hours: list[AfterHours]
    sign_in: list[SignInTrouble]
    burst_limit: int
    refused: list[Refused] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.outside) + len(self.bursts) + len(self.after_hours) + len(self.sign_in) + len(self.refused)


def things_to_check(project: Project, period: Period) -> Checks:
    """Over the whole period (whatever the filters): reads outside a coach's caseload, many reads
    in a short time, reads outside working hours, failed sign-ins and lockouts, and tries to open
    a participant of the project that the person may not see."""
    reads = db.session.execute(
        select(AuditRecord.at, AuditRecord.actor_id, AuditRecord.participation_id, AuditRecord.detail)
        .where(AuditRecord.kind == "read", AuditRecord.project_id == project.id, _in(period))
        .order_by(AuditRecord.actor_id, AuditRecord.at, AuditRecord.id)
    ).all()
    trouble = db.session.execute(
        select(AuditRecord.at, AuditRecord.actor_id, AuditRecord.event)
        .where(AuditRecord.kind == "event", _sign_in_events(),
               AuditRecord.actor_id.is_not(None), _of_project(project), _in(period))
        .order_by(AuditRecord.at)
    ).all()
    refused = db.session.execute(
        select(AuditRecord.actor_id, func.count(), func.max(AuditRecord.at))
        .where(AuditRecord.kind == "event", AuditRecord.event == "access_denied", AuditRecord.project_id == project.id,
               AuditRecord.actor_id.is_not(None), _in(period))
        .group_by(AuditRecord.actor_id)
    ).all()
    people = _names({r.actor_id for r in reads} | {t.actor_id for t in trouble} | {r[0] for r in refused})
    participants = dict(db.session.execute(
        select(Participation.id, User.name).join(User, User.id == Participation.participant_id)
        .where(Participation.id.in_({r.participation_id for r in reads if r.detail == "outside"}))
    ).all())
    by_person: dict[uuid.UUID, list[dt.datetime]] = defaultdict(list)
    for read in reads:
        by_person[read.actor_id].append(read.at)
    limit = burst_limit()
    return Checks(
        outside=[Outside(r.at, people.get(r.actor_id, ""), participants.get(r.participation_id, ""))
                 for r in reads if r.detail == "outside"][:LIST_LIMIT],
        bursts=sorted((b for person, times in by_person.items() for b in _bursts(people.get(person, ""), times, limit)),
                      key=lambda b: b.start)[:LIST_LIMIT],
        after_hours=_after_hours(reads, people)[:LIST_LIMIT],
        sign_in=_sign_in_trouble(trouble, people)[:LIST_LIMIT],
        burst_limit=limit,
        refused=sorted((Refused(people.get(actor, ""), tries, last) for actor, tries, last in refused),
                       key=lambda r: r.last, reverse=True)[:LIST_LIMIT],
    )


def _bursts(person: str, times: list[dt.datetime], limit: int) -> list[Burst]:
    """Stretches where more than `limit` reads fall within BURST_WINDOW (times sorted)."""
    found: list[Burst] = []
    current: Burst | None = None
    first = 0
    for last, at in enumerate(times):
        while at - times[first] >= BURST_WINDOW:
            first += 1
        count = last - first + 1
        if count > limit:
            if current is None:
                current = Burst(person, times[first], at, count)
                found.append(current)
            current.end, current.reads = at, max(current.reads, count)
        elif current is not None and at - current.end >= BURST_WINDOW:
            current = None
    return found


def is_after_hours(at: dt.datetime) -> bool:
    hour = at.astimezone(clock.TIMEZONE).hour
    return not WORKDAY_HOURS[0] <= hour < WORKDAY_HOURS[1]


def _after_hours(reads, people) -> list[AfterHours]:
    groups: dict[tuple, AfterHours] = {}
    for read in reads:
        if not is_after_hours(read.at):
            continue
        day = read.at.astimezone(clock.TIMEZONE).date()
        group = groups.get((read.actor_id, day))
        if group is None:
            groups[(read.actor_id, day)] = AfterHours(people.get(read.actor_id, ""), day, 1, read.at, read.at)
        else:
            group.reads += 1
            group.first, group.last = min(group.first, read.at), max(group.last, read.at)
    return sorted(groups.values(), key=lambda g: (g.day, g.person))


def _sign_in_events():
    """Failed sign-ins and lockouts. A limit reached elsewhere (too many downloads in a minute) is
    not a lockout: only the sign-in pages' limits count (their events name an auth.* page)."""
    return or_(
        AuditRecord.event.in_(SIGN_IN_TROUBLE + ("locked_out",)),
        and_(AuditRecord.event == "rate_limited", AuditRecord.detail.like("auth.%")),
    )


def _sign_in_trouble(rows, people) -> list[SignInTrouble]:
    found: dict[uuid.UUID, SignInTrouble] = {}
    for row in rows:
        item = found.setdefault(row.actor_id, SignInTrouble(people.get(row.actor_id, ""), 0, 0, row.at))
        if row.event in LOCKOUTS:
            item.lockouts += 1
        else:
            item.failures += 1
        item.last = max(item.last, row.at)
    return sorted(found.values(), key=lambda t: t.last, reverse=True)


# --- the follow-up itself ------------------------------------------------------------------------


@dataclass
class FollowUpDone:
    by: str
    at: dt.datetime
    period: Period | None


def _period_from(detail: str | None) -> Period | None:
    try:
        start, end = (dt.date.fromisoformat(part) for part in (detail or "").split("/"))
    except ValueError:
        return None
    return Period(start, end)


def follow_ups(project: Project, limit: int = 10) -> list[FollowUpDone]:
    """The latest follow-ups of the project's log: who, when, which period."""
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event == FOLLOW_UP, AuditEvent.project_id == project.id)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    )
    return [FollowUpDone(row.actor.name if row.actor else "", row.at, _period_from(row.detail)) for row in rows]


def default_period(project: Project, today: dt.date) -> Period:
    """From the day after the last follow-up's period (at most a year back), or the last 30 days."""
    done = next((f for f in follow_ups(project, limit=1) if f.period), None)
    if done and done.period.end < today:
        return Period(max(done.period.end + dt.timedelta(days=1), today - dt.timedelta(days=MAX_DAYS - 1)), today)
    return Period(today - dt.timedelta(days=29), today)


def record_follow_up(leader: User, project: Project, period: Period) -> None:
    """The leader has gone through the period: stored as an audit event (who, when, period)."""
    audit.record_event(FOLLOW_UP, actor=leader, project_id=project.id, detail=period.code)
