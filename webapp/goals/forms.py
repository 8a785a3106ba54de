"""The report's period (a GET form) and a goal's configuration, built from the rule catalogue."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp import clock
from webapp.exits.labels import OUTCOMES
from webapp.forms import Choice, CleanStringField, FlexibleDateField, Form, MaxChars, RadioChoice, Required, options
from webapp.goals import rules
from webapp.goals.config import GoalData
from webapp.goals.report import Period
from webapp.i18n.formatting import format_day
from webapp.models import GoalKind

EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class PeriodForm(Form):
    """From and to, read from the query string; empty means the project's whole period. Only the
    days the project has run count (from its first day to its last, or to today): days outside
    them are left out, and `clamped` says so. Nobody took part then, yet everyone not yet ended
    would be counted, and ages would be counted at a last day years ahead."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    start = FlexibleDateField(_l("From"))
    end = FlexibleDateField(_l("To"))
    project: Period | None = None  # the project's first and last day
    clamped = False

    @property
    def ran(self) -> Period:
        """The days the project has run, up to today."""
        return Period(self.project.start, max(self.project.start, min(self.project.end, clock.today())))

    def validate_start(self, field):
        if field.data and not EARLIEST <= field.data <= LATEST:
            raise ValidationError(_l("Choose a date between 2000 and 2100."))
        if field.data and self.project and field.data > self.project.end:
            raise ValidationError(_("The project ended on %(day)s. Choose a first day before that.",
                                    day=format_day(self.project.end)))
        if field.data and self.project and field.data > self.ran.end:
            raise ValidationError(_l("The date cannot be in the future. Choose today or an earlier day."))

    def validate_end(self, field):
        if field.data and not EARLIEST <= field.data <= LATEST:
            raise ValidationError(_l("Choose a date between 2000 and 2100."))
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The last day cannot be before the first day."))
        if field.data and self.project and field.data < self.project.start:
            raise ValidationError(_("The project started on %(day)s. Choose a last day after that.",
                                    day=format_day(self.project.start)))

    def period(self, default: Period) -> Period:
        """The chosen period, within the days the project has run; a missing day is taken from the
        default."""
        start = self.start.data or default.start
        end = self.end.data or max(default.end, start)
        if self.project is None:
            return Period(start, end)
        ran = self.ran
        within = Period(max(start, ran.start), min(end, ran.end))
        self.clamped = within != Period(start, end)
        return within


def read_period(args, default: Period, project: Period) -> tuple[PeriodForm, Period | None]:
    """The period from a query string, or None (with the form's errors) when it cannot be read.
    Without dates the form shows the default period, so the page says which days it covers."""
    if "start" not in args and "end" not in args:
        return PeriodForm(formdata=None, start=default.start, end=default.end), default
    form = PeriodForm(args)
    form.project = project
    if not form.validate():
        return form, None
    return form, form.period(default)


class Checkboxes(SelectMultipleField):
    """Several choices as checkboxes; unknown values get our message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        known = {str(value) for value, *_ in self.iter_choices()}
        if any(value not in known for value in self.data or ()):
            raise StopValidation(_l("Choose among the options in the list."))


class GoalForm(Form):
    code = CleanStringField(
        _l("Code"), validators=[Required(_l("Write a short code, for example G1.")), MaxChars(16)],
    )
    title = CleanStringField(
        _l("The goal in the project's words"), validators=[Required(_l("Write the goal.")), MaxChars(300)],
    )
    kind = RadioChoice(
        _l("Kind of goal"), choices=options(rules.KINDS.items()), validators=[Required(_l("Choose the kind of goal."))],
    )
    population = Choice(
        _l("Who is counted"), choices=options((p.key, p.label) for p in rules.POPULATIONS.values()),
        validators=[Required(_l("Choose who is counted."))],
    )
    condition = Choice(
        _l("What they must meet"), choices=options((c.key, c.label) for c in rules.CONDITIONS.values()),
        validators=[Required(_l("Choose what they must meet."))],
    )
    item_key = Choice(
        _l("Exit survey item"),
        choices=options([("", _l("No survey item")), *rules.EXIT_ITEMS.items()]),
    )
    outcomes = Checkboxes(_l("Outcomes that count"), choices=options(OUTCOMES.items()))
    target = CleanStringField(
        _l("Target"), validators=[Required(_l("Write the target as a number."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )

    def __init__(self, *args, taken, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = taken

    def validate_code(self, field):
        if self.taken(field.data):
            raise ValidationError(_l("Another goal of the project has this code. Choose another one."))

    def validate_target(self, field):
        if not re.fullmatch(r"\d+", field.data or ""):
            raise ValidationError(_l("Write the target with digits only, for example 50."))
        if len(field.data) > 7:
            raise ValidationError(_l("The target is too big. Write at most 7 digits."))

    def validate(self, extra_validators=None) -> bool:
        """The fields one by one, then the combination (a survey rule needs its item, …)."""
        valid = super().validate(extra_validators)
        kind = GoalKind(self.kind.data) if self.kind.data in set(GoalKind) else None
        target = int(self.target.data) if not self.target.errors and self.target.data else None
        found = rules.problems(kind, self.population.data, self.condition.data, self.item_key.data or None,
                               tuple(self.outcomes.data or ()), target)
        for name, message in found.items():
            if not self[name].errors:  # one message per field: the field's own comes first
                self[name].errors.append(message)
        self._errors = None  # form.errors is cached; it must include the messages just added
        return valid and not found

    def data_for_saving(self) -> GoalData:
        return GoalData(
            code=self.code.data, title=self.title.data, kind=GoalKind(self.kind.data),
            population=self.population.data, condition=self.condition.data, item_key=self.item_key.data or None,
            outcomes=tuple(self.outcomes.data or ()), target=int(self.target.data),
        )

    def fill_from(self, goal) -> None:
        """The stored goal, for the edit page's first view."""
        self.code.data, self.title.data, self.kind.data = goal.code, goal.title, goal.kind.value
        self.population.data, self.condition.data = goal.population, goal.condition
        self.item_key.data = goal.item_key or ""
        self.outcomes.data = list(rules.outcome_values(goal.outcomes))
        self.target.data = str(goal.target)
