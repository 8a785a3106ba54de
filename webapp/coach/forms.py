from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import ValidationError

from webapp import clock
from webapp.forms import (
    Choice,
    CleanStringField,
    DateRange,
    FlexibleDateField,
    Form,
    MaxChars,
    RadioChoice,
    Required,
    YearField,
    options,
)
from webapp.labels import CAPACITY_LEVELS, GENDERS
from webapp.models import Municipality

MIN_AGE, MAX_AGE = 16, 64


class ParticipantForm(Form):
    name = CleanStringField(
        _l("Name"), validators=[Required(_l("Write the participant's name.")), MaxChars(100)]
    )
    gender = RadioChoice(
        _l("Gender"),
        choices=options((g.value, label) for g, label in GENDERS.items()),
        validators=[Required(_l("Choose a gender, or \"Does not want to say\"."))],
    )
    birth_year = YearField(_l("Year of birth"), validators=[Required(_l("Write the year of birth."))])
    municipality = Choice(
        _l("Municipality"), choices=[], validators=[Required(_l("Choose a municipality."))]
    )
    enrolled_on = FlexibleDateField(
        _l("Start date in the project"),
        validators=[
            Required(_l("Write the start date.")),
            DateRange(
                lambda form: clock.today() - dt.timedelta(days=365),
                lambda form: clock.today() + dt.timedelta(days=60),
                _l("The date is too far back. Choose a date in the last year."),
                _l("The date is too far ahead. Choose a date in the next two months."),
            ),
        ],
    )
    capacity = RadioChoice(
        _l("Capacity now (if you know it)"),
        choices=options((level.value, label) for level, label in CAPACITY_LEVELS.items()),
    )
    # Shown only when the project already has someone with this name and year of birth.
    another_person = BooleanField(_l("It is another person with the same name and year of birth"))
    show_another_person = False

    def __init__(self, *args, municipalities: list[Municipality], **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {str(m.id): m for m in municipalities}
        several_projects = len({m.project_id for m in municipalities}) > 1
        self.municipality.choices = options([("", _l("Choose")), *(
            (m.id, f"{m.project.name}: {m.name}" if several_projects else m.name) for m in municipalities
        )])
        self.municipality.invalid_message = _l("Choose a municipality from the list.")
        self.capacity.invalid_message = _l("Choose a capacity from the list.")

    def validate_birth_year(self, field):
        if field.year is None:
            return
        start = self.enrolled_on.data or clock.today()
        age = start.year - field.year
        if not MIN_AGE <= age <= MAX_AGE + 1:
            raise ValidationError(
                _l("Participants are %(min)s to %(max)s years old. Check the year.", min=MIN_AGE, max=MAX_AGE)
            )

    def same_person_unconfirmed(self, found: bool) -> bool:
        """`found`: someone with this name and year of birth is in the project. Unless the coach
        said it is another person, that is an error next to the name (and the box is shown)."""
        if not found or self.another_person.data:
            return False
        self.name.errors = [*self.name.errors, _l(
            "There is already a participant in the project with this name and year of birth. Is it the same "
            "person? Then do not save. Is it another person? Tick the box below and save.")]
        self.show_another_person = True
        self._errors = None  # form.errors is cached; it must include the message just added
        return True

    def chosen_municipality(self) -> Municipality:
        return self.municipalities[self.municipality.data]


class CaseloadFilterForm(Form):
    """Search, filter and sort the caseload. A GET form: it changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    q = CleanStringField(_l("Search by name"), validators=[MaxChars(100)])
    need = Choice(_l("Show"), choices=[])
    sort = Choice(_l("Sort by"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.need.choices = options([
            ("all", _l("Everyone")),
            ("attention", _l("Needs attention")),
            ("inactive", _l("No activity for a while")),
            ("plan", _l("Plan not ready after 30 days")),
            ("news", _l("New since I last looked")),
            ("unanswered", _l("Messages without an answer")),
            ("survey", _l("Survey waiting")),
        ])
        self.sort.choices = options([
            ("attention", _l("Most attention first")),
            ("name", _l("Name")),
            ("inactive", _l("Longest without activity")),
        ])
