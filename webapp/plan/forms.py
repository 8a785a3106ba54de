from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import ValidationError

from webapp import clock
from webapp.forms import (
    Choice,
    CleanStringField,
    CleanTextAreaField,
    DateRange,
    FlexibleDateField,
    Form,
    MaxChars,
    RadioChoice,
    Required,
    options,
)
from webapp.labels import STEP_STATUSES
from webapp.models import Goal, Helper, StepStatus
from webapp.plan.services import StepData

GOAL_MAX = 300
STEP_MAX = 300
NOTE_MAX = 1000


class BaseVersion:
    """The version of the goal or step the edit form was loaded with (see services.Conflict).

    Not named like the model's column, so that a form sent without it never takes the version
    saved now (which would let a stale form overwrite a newer change)."""

    base_version = HiddenField()

    def base(self) -> int | None:
        """The version sent; None (a conflict, never a blind overwrite) when missing or garbled."""
        try:
            return int(self.base_version.data or "")
        except ValueError:
            return None


class GoalForm(BaseVersion, Form):
    text = CleanStringField(
        _l("Your goal"),
        validators=[Required(_l("Write your goal.")), MaxChars(GOAL_MAX)],
    )


class StepFields(Form):
    """What a step is made of. The participant's step form and the coach's suggestion share it."""

    text = CleanStringField(
        _l("What will you do?"),
        validators=[Required(_l("Write what you will do.")), MaxChars(STEP_MAX)],
    )
    helper = Choice(_l("Who helps you?"), choices=[])
    helper_other = CleanStringField(_l("Who? Write the name"), validators=[MaxChars(100)])
    due_on = FlexibleDateField(
        _l("Date (if there is one)"),
        validators=[
            DateRange(
                lambda form: clock.today() - dt.timedelta(days=2 * 365),
                lambda form: clock.today() + dt.timedelta(days=3 * 365),
                _l("The date is too far back. Choose a date in the last two years."),
                _l("The date is too far ahead. Choose a date in the next three years."),
            )
        ],
    )
    note = CleanTextAreaField(_l("Note (if you want)"), validators=[MaxChars(NOTE_MAX)])

    def __init__(self, *args, helpers: list[Helper], **kwargs):
        super().__init__(*args, **kwargs)
        self.helpers = {str(h.id): h for h in helpers}
        self.helper.choices = options([("", _l("Nobody, I do it myself")), *(
            (h.id, _l("Other (write who)") if h.is_other else h.name) for h in helpers
        )])
        self.helper.invalid_message = _l("Choose who helps from the list.")

    def chosen_helper(self) -> Helper | None:
        return self.helpers.get(self.helper.data or "")

    # The participant writes of themselves; a coach's suggestion is about someone else.
    helper_missing = _l("Write who helps you.")

    def validate_helper_other(self, field):
        helper = self.chosen_helper()
        if helper is not None and helper.is_other and not field.data:
            raise ValidationError(self.helper_missing)

    def step_data(self, status: StepStatus = StepStatus.NOT_STARTED) -> StepData:
        helper = self.chosen_helper()
        return StepData(
            text=self.text.data,
            helper_id=helper.id if helper else None,
            helper_other=self.helper_other.data or None if helper and helper.is_other else None,
            due_on=self.due_on.data,
            status=status,
            note=self.note.data or None,
        )


def _goal_choices(goals: list[Goal], none_label) -> list:
    return options([("", none_label), *((g.id, g.text) for g in goals)])


class StepForm(BaseVersion, StepFields):
    """A participant's own step. The goal list lets a step move to another goal."""

    goal = Choice(_l("Goal"), choices=[])
    status = RadioChoice(
        _l("How far have you come?"),
        choices=options((s.value, label) for s, label in STEP_STATUSES.items()),
        default=StepStatus.NOT_STARTED.value,
    )

    def __init__(self, *args, goals: list[Goal], **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = {str(g.id): g for g in goals}
        self.goal.choices = _goal_choices(goals, _l("No goal"))
        self.goal.invalid_message = _l("Choose one of your goals.")
        self.status.invalid_message = _l("Choose how far you have come.")

    def chosen_goal(self) -> Goal | None:
        return self.goals.get(self.goal.data or "")


class SuggestionForm(StepFields):
    """A coach's suggested step, optionally under one of the participant's goals."""

    text = CleanStringField(
        _l("Suggested step"),
        validators=[Required(_l("Write the step you suggest.")), MaxChars(STEP_MAX)],
    )
    goal = Choice(_l("Under which goal?"), choices=[])
    helper_missing = _l("Write who helps.")

    def __init__(self, *args, goals: list[Goal], **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = {str(g.id): g for g in goals}
        self.goal.choices = _goal_choices(goals, _l("No goal"))
        self.goal.invalid_message = _l("Choose one of the participant's goals.")
        self.helper.choices[0] = options([("", _l("Nobody"))])[0]
        self.helper.label.text = _l("Who helps?")

    def chosen_goal(self) -> Goal | None:
        return self.goals.get(self.goal.data or "")


class StatusForm(Form):
    """The one-tap status button; only a tampered request can fail it (answered 400)."""

    status = Choice(choices=options((s.value, s.value) for s in StepStatus), validators=[Required("status")])


class MoveForm(Form):
    direction = Choice(choices=options([("up", "up"), ("down", "down")]), validators=[Required("direction")])


class ActionForm(Form):
    """A button that only needs the CSRF token."""

    next = HiddenField()
