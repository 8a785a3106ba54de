"""What the participant's start page shows, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from webapp import clock
from webapp.activities import services as activities
from webapp.comments import services as comments
from webapp.models import Capacity, Comment, Participation, Step, StepStatus
from webapp.plan import services as plan
from webapp.surveys import services as surveys


@dataclass
class HomeView:
    participation: Participation
    next_steps: list[Step]
    suggestion_count: int
    step_count: int
    done_count: int
    this_week: activities.Week
    capacity: Capacity | None
    new_comments: list[Comment]
    surveys: surveys.OnHome


def home_view(participation: Participation) -> HomeView:
    view = plan.plan_view(participation)
    steps = view.all_steps
    open_steps = [s for s in steps if s.status in (StepStatus.DOING, StepStatus.NOT_STARTED)]
    # Doing first, then the ones with the nearest date, then the rest in plan order.
    open_steps.sort(key=lambda s: (s.status != StepStatus.DOING, s.due_on is None, s.due_on or clock.today()))
    this_week = activities.weeks(participation, clock.today(), count=1)[0]
    return HomeView(
        participation=participation,
        next_steps=open_steps[:3],
        suggestion_count=len(view.suggestions),
        step_count=len(steps),
        done_count=sum(1 for s in steps if s.status == StepStatus.DONE),
        this_week=this_week,
        capacity=this_week.capacity,
        new_comments=comments.new_for_participant(participation),
        surveys=surveys.on_home(participation, clock.today()),
    )
