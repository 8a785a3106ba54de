"""Retention per project and the erasure-request register. No request objects here.

Erasure (GDPR Art. 17) is limited for a public authority: the project's documents are allmänna
handlingar, kept under arkivlagen and the ESF rules until the project's retention date
(Art. 17(3)(b)). So a request is registered and answered; the usual answer is "kept until the
retention date". "Erase now" is possible only when nothing must be kept (see may_erase_now).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from webapp import audit, clock
from webapp.extensions import db
from webapp.models import (
    Activity,
    Comment,
    ErasureRequest,
    ErasureStatus,
    Goal,
    Participation,
    Project,
    ProjectRetention,
    PurgeReason,
    Step,
    SurveyResponse,
    User,
)
from webapp.models.rights import DEFAULT_KEEP_YEARS
from webapp.rights import purge

# --- retention -----------------------------------------------------------------------------------


def retention_for(project_id: int) -> ProjectRetention | None:
    return db.session.get(ProjectRetention, project_id)


def retention_for_projects(project_ids: list[int]) -> dict[int, ProjectRetention]:
    if not project_ids:
        return {}
    return {r.project_id: r for r in db.session.scalars(
        select(ProjectRetention).where(ProjectRetention.project_id.in_(project_ids)))}


def settings_of(project: Project) -> ProjectRetention:
    """The saved settings, or the defaults (not saved) for a project that has none yet."""
    return retention_for(project.id) or ProjectRetention(project_id=project.id, keep_years=DEFAULT_KEEP_YEARS)


def has_passed(retention: ProjectRetention | None, today: dt.date) -> bool:
    """True from the day after the retention date; never without a last-payment date."""
    until = retention.retention_until if retention else None
    return until is not None and today > until


def save_retention(project: Project, leader: User, last_payment_on: dt.date | None, keep_years: int,
                   reference: str | None) -> ProjectRetention:
    retention = retention_for(project.id)
    if retention is None:
        retention = ProjectRetention(project_id=project.id)
        db.session.add(retention)
    retention.last_payment_on = last_payment_on
    retention.keep_years = keep_years
    retention.decision_reference = reference or None
    retention.updated_at = clock.now()
    audit.record_event("retention_set", actor=leader, project_id=project.id,
                       detail=retention.retention_until.isoformat() if retention.retention_until else "none")
    return retention


# --- erasure requests ----------------------------------------------------------------------------


def requests_of(participation: Participation) -> list[ErasureRequest]:
    """The participation's requests, newest first."""
    return list(db.session.scalars(
        select(ErasureRequest).where(ErasureRequest.participation_id == participation.id)
        .order_by(ErasureRequest.requested_at.desc(), ErasureRequest.id.desc())
    ))


def standing_request(participation: Participation) -> ErasureRequest | None:
    """The request that still stands: open (waiting) or kept (until the retention date)."""
    return next((r for r in requests_of(participation) if r.status != ErasureStatus.ERASED), None)


def request_erasure(participation: Participation, by: User) -> tuple[ErasureRequest, bool]:
    """Register a request, once: a request that still stands is returned as it is (and False)."""
    standing = standing_request(participation)
    if standing is not None:
        return standing, False
    request = ErasureRequest(participation_id=participation.id, requested_by_id=by.id, requested_at=clock.now(),
                             status=ErasureStatus.OPEN)
    db.session.add(request)
    db.session.flush()
    audit.record_event("erasure_requested", actor=by, participation=participation, detail=str(request.id))
    return request, True


@dataclass
class RequestRow:
    request: ErasureRequest
    participation: Participation


def project_requests(project: Project) -> tuple[list[RequestRow], list[RequestRow]]:
    """The project's requests: the open ones (oldest first), then the handled ones (newest first)."""
    rows = [RequestRow(r, p) for r, p in db.session.execute(
        select(ErasureRequest, Participation)
        .join(Participation, Participation.id == ErasureRequest.participation_id)
        .where(Participation.project_id == project.id)
        .options(joinedload(Participation.participant))
        .order_by(ErasureRequest.requested_at, ErasureRequest.id)
    )]
    waiting = [row for row in rows if row.request.status == ErasureStatus.OPEN]
    handled = [row for row in reversed(rows) if row.request.status != ErasureStatus.OPEN]
    return waiting, handled


def get_request(project: Project, request_id: uuid.UUID) -> RequestRow | None:
    """A request in this project, or None (another project's answers like a missing one)."""
    found = db.session.execute(
        select(ErasureRequest, Participation)
        .join(Participation, Participation.id == ErasureRequest.participation_id)
        .where(ErasureRequest.public_id == request_id, Participation.project_id == project.id)
        .options(joinedload(Participation.participant))
    ).first()
    return RequestRow(*found) if found else None


def never_started(participation: Participation) -> bool:
    """Nothing beyond the enrolment was recorded: no plan, no log entry, no survey, no message.

    Then no supporting document of the project exists about the person, and the request can be
    granted at once. (The participation row itself stays, anonymised, for the project's counts.)"""
    pid = participation.id
    return not db.session.scalar(select(
        exists().where(Goal.participation_id == pid)
        | exists().where(Step.participation_id == pid)
        | exists().where(Activity.participation_id == pid)
        | exists().where(SurveyResponse.participation_id == pid)
        | exists().where(Comment.participation_id == pid)
    ))


class Why(enum.StrEnum):
    RETENTION_PASSED = "retention_passed"
    NEVER_STARTED = "never_started"


def may_erase_now(participation: Participation, today: dt.date) -> Why | None:
    """Why the data may be erased at once, or None: it must be kept until the retention date."""
    if has_passed(retention_for(participation.project_id), today):
        return Why.RETENTION_PASSED
    if never_started(participation):
        return Why.NEVER_STARTED
    return None


class Decision(enum.StrEnum):
    KEEP = "keep"
    ERASE = "erase"


class DecisionError(Exception):
    pass


def decide(row: RequestRow, leader: User, decision: Decision, today: dt.date) -> None:
    """Answer an open request. "Erase" purges the participation now (and the account, when it was
    the person's only one); refused unless may_erase_now allows it. The caller commits."""
    request, participation = row.request, row.participation
    if request.status != ErasureStatus.OPEN:
        raise DecisionError("decided")
    retention = retention_for(participation.project_id)
    if decision == Decision.ERASE:
        why = may_erase_now(participation, today)
        if why is None:
            raise DecisionError("must keep")
        reference = (retention.decision_reference or "").strip() if retention else ""
        if why == Why.NEVER_STARTED or not reference:
            reference = f"erasure request {request.id}: never started"
        request.status = ErasureStatus.ERASED
        request.decided_at, request.decided_by_id = clock.now(), leader.id
        db.session.flush()
        purge.purge_now(participation, PurgeReason.ERASURE_REQUEST, reference)
    else:
        request.status = ErasureStatus.KEPT
        request.decided_at, request.decided_by_id = clock.now(), leader.id
        request.kept_until = retention.retention_until if retention else None
    audit.record_event("erasure_decided", actor=leader, participation=participation, detail=decision.value)

