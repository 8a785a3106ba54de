"""The coach's queries and commands. A coach sees only the participations they coach."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import joinedload

from webapp import clock
from webapp.audit import record_access, record_denied
from webapp.auth import services as auth
from webapp.comments.services import unanswered_query
from webapp.extensions import db
from webapp.models import (
    Activity,
    Capacity,
    CapacityLevel,
    CaseloadShare,
    Comment,
    Gender,
    Municipality,
    Participation,
    Project,
    ProjectStaff,
    Review,
    Role,
    Step,
    StepState,
    User,
)
from webapp.surveys.services import due_surveys

PLAN_READY_WITHIN_DAYS = 30


@dataclass
class CaseloadRow:
    """A participant in the caseload and what needs the coach's attention."""

    participation: Participation
    last_activity_on: dt.date | None
    suggestion_count: int
    news_count: int
    unanswered_count: int
    today: dt.date
    surveys_due: list = field(default_factory=list)  # webapp.surveys.services.Due, earliest first

    @property
    def days_without_activity(self) -> int:
        return (self.today - (self.last_activity_on or self.participation.enrolled_on)).days

    @property
    def inactive(self) -> bool:
        return self.days_without_activity > self.participation.project.inactivity_days

    @property
    def plan_late(self) -> bool:
        """No plan marked ready 30 days after the start."""
        p = self.participation
        return p.plan_ready_on is None and (self.today - p.enrolled_on).days >= PLAN_READY_WITHIN_DAYS

    @property
    def survey_overdue(self) -> bool:
        return any(due.overdue for due in self.surveys_due)

    @property
    def attention(self) -> int:
        """How many things need attention; an ended participation only its exit survey and messages.
        A survey waiting is not one until it is overdue: every new participant has a start survey
        waiting, and the caseload would mark everyone (it says "Survey waiting" without the flag)."""
        if self.participation.is_ended:
            return sum((bool(self.surveys_due), self.unanswered_count > 0))
        return sum((self.inactive, self.plan_late, self.news_count > 0, self.unanswered_count > 0,
                    self.survey_overdue))


def _news_since_review(coach: User, visible):
    """Per participation: what the participant added since this coach last marked it reviewed."""
    review = select(Review.participation_id, Review.reviewed_at).where(Review.coach_id == coach.id).subquery()

    def count_new(model, *where):
        return (
            select(model.participation_id.label("participation_id"), func.count().label("n"))
            .outerjoin(review, review.c.participation_id == model.participation_id)
            .where(model.participation_id.in_(visible), *where,
                   or_(review.c.reviewed_at.is_(None), model.created_at > review.c.reviewed_at))
            .group_by(model.participation_id)
        )

    parts = union_all(
        count_new(Activity, Activity.deleted_at.is_(None)),
        count_new(Step, Step.deleted_at.is_(None), Step.suggested_by_id.is_(None), Step.state == StepState.IN_PLAN),
        count_new(Comment, Comment.by_staff.is_(False)),
    ).subquery()
    return select(parts.c.participation_id, func.sum(parts.c.n).label("news")).group_by(parts.c.participation_id)


def caseload(coach: User, today: dt.date, ended: bool = False) -> list[CaseloadRow]:
    """The participants this coach may open (own and covered), with what needs attention.

    Four queries whatever the size of the caseload: the coaches, their participations, the rows with
    their counts, and the surveys due.
    """
    # The coaches and their participations first, as values. Given subqueries instead, PostgreSQL
    # guessed thousands of rows and read every participation, once for each count below; with
    # values it reaches each table by its coach_id or participation_id index.
    coach_ids = list(db.session.scalars(covered_coaches(coach)))
    visible = list(db.session.scalars(select(Participation.id).where(Participation.coach_id.in_(coach_ids))))
    last_activity = (
        select(Activity.participation_id, func.max(Activity.occurred_on).label("last_on"))
        .where(Activity.deleted_at.is_(None), Activity.participation_id.in_(visible))
        .group_by(Activity.participation_id)
        .subquery()
    )
    suggestions = (
        select(Step.participation_id, func.count().label("open"))
        .where(Step.state == StepState.SUGGESTED, Step.deleted_at.is_(None), Step.participation_id.in_(visible))
        .group_by(Step.participation_id)
        .subquery()
    )
    news = _news_since_review(coach, visible).subquery()
    unanswered = unanswered_query().where(Comment.participation_id.in_(visible)).subquery()
    rows = db.session.execute(
        select(
            Participation,
            last_activity.c.last_on,
            func.coalesce(suggestions.c.open, 0),
            func.coalesce(news.c.news, 0),
            func.coalesce(unanswered.c.unanswered, 0),
        )
        .join(User, User.id == Participation.participant_id)
        .outerjoin(last_activity, last_activity.c.participation_id == Participation.id)
        .outerjoin(suggestions, suggestions.c.participation_id == Participation.id)
        .outerjoin(news, news.c.participation_id == Participation.id)
        .outerjoin(unanswered, unanswered.c.participation_id == Participation.id)
        .where(
            Participation.coach_id.in_(coach_ids),
            Participation.ended_on.is_not(None) if ended else Participation.ended_on.is_(None),
        )
        .options(
            joinedload(Participation.participant), joinedload(Participation.municipality),
            joinedload(Participation.project), joinedload(Participation.coach),
        )
        .order_by(User.name)
    )
    found = [CaseloadRow(p, last_on, int(s), int(n), int(u), today) for p, last_on, s, n, u in rows]
    # Surveys due, for every row in one more query.
    due = due_surveys([row.participation for row in found], today)
    for row in found:
        row.surveys_due = due.get(row.participation.id, [])
    return found


SORTS = ("attention", "name", "inactive")
NEEDS = ("all", "attention", "inactive", "plan", "news", "unanswered", "survey")


def filter_and_sort(rows: list[CaseloadRow], query: str = "", need: str = "all", sort: str = "attention"):
    """Search by name (any case, any script), filter by a need, and sort; in Python, since the
    whole caseload is already loaded in one query."""
    wanted = query.strip().casefold()
    tests = {
        "all": lambda r: True,
        "attention": lambda r: r.attention > 0,
        "inactive": lambda r: r.inactive,
        "plan": lambda r: r.plan_late,
        "news": lambda r: r.news_count > 0,
        "unanswered": lambda r: r.unanswered_count > 0,
        "survey": lambda r: bool(r.surveys_due),
    }
    keep = tests.get(need, tests["all"])
    found = [r for r in rows if keep(r) and (not wanted or wanted in r.participation.participant.name.casefold())]
    by_name = lambda r: r.participation.participant.name.casefold()  # noqa: E731
    if sort == "name":
        return sorted(found, key=by_name)
    if sort == "inactive":
        return sorted(found, key=lambda r: (-r.days_without_activity, by_name(r)))
    return sorted(found, key=lambda r: (-r.attention, -r.unanswered_count, -r.days_without_activity, by_name(r)))


def last_review(coach: User, participation: Participation) -> dt.datetime | None:
    return db.session.scalar(
        select(Review.reviewed_at).where(Review.coach_id == coach.id, Review.participation_id == participation.id)
    )


def mark_reviewed(coach: User, participation: Participation) -> None:
    """Everything up to now counts as seen by this coach."""
    review = db.session.scalar(
        select(Review).where(Review.coach_id == coach.id, Review.participation_id == participation.id)
    )
    if review is None:
        db.session.add(Review(coach_id=coach.id, participation_id=participation.id, reviewed_at=clock.now()))
    else:
        review.reviewed_at = clock.now()


def set_account_active(participation: Participation, active: bool) -> None:
    """Close or reopen the participant's account; closing signs them out everywhere."""
    participation.participant.is_active = active
    if not active:
        auth.end_all_sessions(participation.participant)


def unlock_sign_in(participation: Participation) -> None:
    person = participation.participant
    person.pin_failures = 0
    person.locked_at = None


def covered_coaches(coach: User):
    """The coaches whose caseloads this coach may open: their own, and colleagues' shared with
    them by the project leader (until the share's end date)."""
    shared = select(CaseloadShare.owner_id).where(
        CaseloadShare.colleague_id == coach.id,
        CaseloadShare.ended_at.is_(None),
        or_(CaseloadShare.until.is_(None), CaseloadShare.until >= clock.today()),
    )
    # A union, not `id = me OR id IN (shared)`: each part is an index lookup, where the OR made
    # PostgreSQL read every user (tests/test_indexes.py).
    return select(User.id).where(User.id == coach.id).union(shared)


def get_participation(coach: User, participation_id: uuid.UUID) -> Participation | None:
    """A participation the coach may open, or None: someone else's answers like a missing one.

    Every participation found is written to the access log: loading it is how a coach's
    request opens a participant's data.
    """
    participation = db.session.scalar(
        select(Participation)
        .where(Participation.id == participation_id, Participation.coach_id.in_(covered_coaches(coach)))
        .options(joinedload(Participation.participant), joinedload(Participation.municipality))
    )
    if participation is not None:
        record_access(coach, participation)
    else:
        record_denied(coach, participation_id)
    return participation


def municipalities(staff: User) -> list[Municipality]:
    """The municipalities of the projects the staff member works in."""
    return list(
        db.session.scalars(
            select(Municipality)
            .join(Project, Project.id == Municipality.project_id)
            .join(ProjectStaff, ProjectStaff.project_id == Project.id)
            .where(ProjectStaff.user_id == staff.id, Municipality.is_active.is_(True))
            .options(joinedload(Municipality.project))
            .order_by(Project.name, Municipality.name)
        )
    )


@dataclass
class NewParticipant:
    name: str
    gender: Gender
    birth_year: int
    municipality: Municipality
    enrolled_on: dt.date
    capacity: CapacityLevel | None = None


def name_key(text: str) -> str:
    """A name as compared: any case, any spacing ("Amina  hassan" is Amina Hassan)."""
    return " ".join(text.split()).casefold()


def same_person_in_project(project_id: int, name: str, birth_year: int) -> bool:
    """Whether the project already has a participant with this name and year of birth (as the
    import checks): perhaps the same person, made twice."""
    names = db.session.scalars(
        select(User.name).join(Participation, Participation.participant_id == User.id)
        .where(Participation.project_id == project_id, Participation.birth_year == birth_year)
    )
    return any(name_key(found) == name_key(name) for found in names)


def create_participant(coach: User, data: NewParticipant) -> tuple[Participation, str]:
    """Create the participant's account and participation; returns it and the activation code."""
    user = User(
        role=Role.PARTICIPANT,
        name=data.name,
        login_name=auth.new_participant_login_name(data.name),
        organisation_id=coach.organisation_id,
    )
    db.session.add(user)
    db.session.flush()
    participation = Participation(
        participant_id=user.id,
        project_id=data.municipality.project_id,
        coach_id=coach.id,
        enrolled_on=data.enrolled_on,
        gender=data.gender,
        birth_year=data.birth_year,
        municipality_id=data.municipality.id,
    )
    db.session.add(participation)
    db.session.flush()
    if data.capacity is not None:
        db.session.add(Capacity(participation_id=participation.id, level=data.capacity, starts_on=data.enrolled_on))
    code = auth.issue_activation_code(user, created_by=coach)
    return participation, code


def new_code(coach: User, participation: Participation) -> str:
    """A new activation code, e.g. when the participant forgot the password."""
    return auth.issue_activation_code(participation.participant, created_by=coach)
