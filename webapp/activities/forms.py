from __future__ import annotations

import datetime as dt
import uuid

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import StopValidation

from webapp import clock
from webapp.activities.services import ActivityData
from webapp.forms import (
    Choice,
    CleanTextAreaField,
    DateRange,
    FlexibleDateField,
    Form,
    MaxChars,
    RadioChoice,
    Required,
    options,
)
from webapp.i18n.formatting import format_minutes
from webapp.labels import ACTIVITY_KINDS, CAPACITY_LEVELS, DURATIONS, FEELINGS
from webapp.models import ActivityKind, CapacityLevel, Step

NOTE_MAX = 1000
DAYS_BACK = 365


class ClientIdField(HiddenField):
    """The entry's id, made when the form is shown; a repeated submit sends the same one."""

    def pre_validate(self, form):
        try:
            self.uuid = uuid.UUID(str(self.data or ""))
        except ValueError:
            raise StopValidation(_l("Something is wrong with the form. Reload the page and try again.")) from None


class ActivityForm(Form):
    # The phone checks these too before it keeps an entry without a connection (app.js).
    NOTE_MAX = NOTE_MAX
    DAYS_BACK = DAYS_BACK

    client_id = ClientIdField()
    occurred_on = FlexibleDateField(
        _l("Date"),
        validators=[
            Required(_l("Write the date.")),
            DateRange(
                lambda form: clock.today() - dt.timedelta(days=DAYS_BACK),
                lambda form: clock.today(),
                _l("The date is too far back. Choose a date in the last year."),
                _l("The date cannot be in the future. Choose today or an earlier day."),
            ),
        ],
    )
    kind = Choice(
        _l("What did you do?"),
        choices=[],
        validators=[Required(_l("Choose what you did."))],
    )
    minutes = Choice(
        _l("How long did it take?"),
        choices=[],
        validators=[Required(_l("Choose how long it took."))],
    )
    feeling = RadioChoice(
        _l("How did it go?"),
        choices=options((value, label) for value, (label, _symbol) in FEELINGS.items()),
        validators=[Required(_l("Choose how it went."))],
    )
    note = CleanTextAreaField(_l("Note (if you want)"), validators=[MaxChars(NOTE_MAX)])
    step = Choice(_l("Is it part of a step in your plan?"), choices=[])

    def __init__(self, *args, steps: list[Step], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options([("", _l("Choose")), *((k.value, label) for k, label in ACTIVITY_KINDS.items())])
        self.kind.invalid_message = _l("Choose what you did from the list.")
        self.minutes.choices = options([("", _l("Choose")), *((m, format_minutes(m)) for m in DURATIONS)])
        self.minutes.invalid_message = _l("Choose a time from the list.")
        self.feeling.invalid_message = _l("Choose how it went.")
        self.steps = {str(s.id): s for s in steps}
        self.step.choices = options([("", _l("No")), *((s.id, s.text) for s in steps)])
        self.step.invalid_message = _l("Choose one of your steps from the list.")

    def activity_data(self) -> ActivityData:
        step = self.steps.get(self.step.data or "")
        return ActivityData(
            occurred_on=self.occurred_on.data,
            kind=ActivityKind(self.kind.data),
            minutes=int(self.minutes.data),
            feeling=int(self.feeling.data),
            note=self.note.data or None,
            step_id=step.id if step else None,
        )


class CapacityForm(Form):
    level = RadioChoice(
        _l("How much can you do now?"),
        choices=options((level.value, label) for level, label in CAPACITY_LEVELS.items()),
        validators=[Required(_l("Choose how much you can do now."))],
    )
    starts_on = FlexibleDateField(
        _l("From which date?"),
        validators=[
            Required(_l("Write the date.")),
            DateRange(
                lambda form: clock.today() - dt.timedelta(days=DAYS_BACK),
                lambda form: clock.today() + dt.timedelta(days=60),
                _l("The date is too far back. Choose a date in the last year."),
                _l("The date is too far ahead. Choose a date in the next two months."),
            ),
        ],
    )

    def chosen_level(self) -> CapacityLevel:
        return CapacityLevel(self.level.data)
