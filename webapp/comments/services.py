"""Comments between a participant and the coaches: threads about a step, about an activity, or
general. Every query is scoped to one participation."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased, joinedload

from webapp import clock
from webapp.extensions import db
from webapp.models import Activity, Comment, Participation, Step, StepState, User

COMMENT_MAX = 1000


class CommentError(Exception):
    """The thread does not exist for this participation."""


@dataclass
class Thread:
    key: str  # "general", "step-<id>" or "activity-<id>"
    step: Step | None = None
    activity: Activity | None = None
    comments: list[Comment] = field(default_factory=list)

    @property
    def last_at(self) -> dt.datetime:
        return self.comments[-1].created_at

    @property
    def waits_for_staff(self) -> bool:
        """The participant wrote last: the thread needs an answer from a coach."""
        return bool(self.comments) and not self.comments[-1].by_staff

    @property
    def form_value(self) -> str:
        return self.key.replace("-", ":", 1)


def _thread_key(step_id, activity_id) -> str:
    if step_id:
        return f"step-{step_id}"
    if activity_id:
        return f"activity-{activity_id}"
    return "general"


def threads(participation: Participation) -> list[Thread]:
    """All threads, the most recently active first, in one query."""
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.participation_id == participation.id)
        .options(joinedload(Comment.author), joinedload(Comment.step), joinedload(Comment.activity))
        .order_by(Comment.created_at, Comment.id)
    )
    found: dict[str, Thread] = {}
    for comment in comments:
        key = _thread_key(comment.step_id, comment.activity_id)
        thread = found.setdefault(key, Thread(key, comment.step, comment.activity))
        thread.comments.append(comment)
    return sorted(found.values(), key=lambda t: t.last_at, reverse=True)


def counts_by_thread(participation: Participation) -> dict[str, int]:
    """How many comments each step's and activity's thread has, for links from the plan and log."""
    rows = db.session.execute(
        select(Comment.step_id, Comment.activity_id, func.count())
        .where(Comment.participation_id == participation.id)
        .group_by(Comment.step_id, Comment.activity_id)
    )
    return {_thread_key(step_id, activity_id): count for step_id, activity_id, count in rows}


def resolve_thread(participation: Participation, value: str | None) -> tuple[Step | None, Activity | None]:
    """The step or activity a thread value ("general", "step:<id>", "activity:<id>") is about.

    Raises CommentError for anything that is not this participation's own, live step or entry.
    """
    if not value or value == "general":
        return None, None
    kind, _sep, raw = value.partition(":")
    try:
        item_id = uuid.UUID(raw)
    except ValueError:
        raise CommentError(value) from None
    if kind == "step":
        step = db.session.scalar(
            select(Step).where(
                Step.id == item_id, Step.participation_id == participation.id, Step.deleted_at.is_(None),
                Step.state.in_((StepState.IN_PLAN, StepState.SUGGESTED)),
            )
        )
        if step is not None:
            return step, None
    elif kind == "activity":
        activity = db.session.scalar(
            select(Activity).where(
                Activity.id == item_id, Activity.participation_id == participation.id,
                Activity.deleted_at.is_(None),
            )
        )
        if activity is not None:
            return None, activity
    raise CommentError(value)


def add_comment(
    participation: Participation, author: User, text: str, step: Step | None = None, activity: Activity | None = None
) -> Comment:
    comment = Comment(
        participation_id=participation.id,
        author_id=author.id,
        by_staff=author.is_staff,
        step_id=step.id if step else None,
        activity_id=activity.id if activity else None,
        text=text,
    )
    db.session.add(comment)
    if not author.is_staff:
        # Answering means the participant has read what the coach wrote.
        participation.comments_read_at = clock.now()
    db.session.flush()
    return comment


def new_for_participant(participation: Participation) -> list[Comment]:
    """Coaches' comments the participant has not marked as read, newest first."""
    query = select(Comment).where(Comment.participation_id == participation.id, Comment.by_staff.is_(True))
    if participation.comments_read_at is not None:
        query = query.where(Comment.created_at > participation.comments_read_at)
    return list(
        db.session.scalars(
            query.options(joinedload(Comment.author), joinedload(Comment.step), joinedload(Comment.activity))
            .order_by(Comment.created_at.desc())
        )
    )


def mark_read(participation: Participation) -> None:
    participation.comments_read_at = clock.now()


def unanswered_query():
    """Per participation: the participant's comments that no coach has answered after, in the same thread."""
    answer = aliased(Comment)
    return (
        select(Comment.participation_id, func.count().label("unanswered"))
        .where(
            Comment.by_staff.is_(False),
            ~exists().where(
                and_(
                    answer.participation_id == Comment.participation_id,
                    answer.by_staff.is_(True),
                    answer.step_id.is_not_distinct_from(Comment.step_id),
                    answer.activity_id.is_not_distinct_from(Comment.activity_id),
                    answer.created_at > Comment.created_at,
                )
            ),
        )
        .group_by(Comment.participation_id)
    )
