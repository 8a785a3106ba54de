"""The project leader's retention settings and the answer to an erasure request."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

from webapp import clock
from webapp.forms import CleanStringField, DateRange, FlexibleDateField, Form, MaxChars, RadioChoice, Required, options
from webapp.rights.services import Decision

MIN_YEARS, MAX_YEARS = 1, 30


class RetentionForm(Form):
    last_payment_on = FlexibleDateField(
        _l("Date of the last payment from the managing authority"),
        validators=[
            DateRange(
                lambda form: dt.date(2000, 1, 1),
                lambda form: clock.today(),
                _l("The date is too early. Check the year."),
                _l("The date is in the future. Write the date of a payment that has been made."),
            )
        ],
    )
    keep_years = CleanStringField(
        _l("Years to keep after that year"),
        validators=[Required(_l("Write how many years to keep the information."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    decision_reference = CleanStringField(_l("Reference of the retention decision"), validators=[MaxChars(200)],
                                          render_kw={"autocomplete": "off"})

    years: int | None = None

    def validate_keep_years(self, field):
        if not re.fullmatch(r"\d{1,2}", field.data or "") or not MIN_YEARS <= int(field.data) <= MAX_YEARS:
            raise StopValidation(_l("Write a whole number of years from %(low)s to %(high)s.",
                                    low=MIN_YEARS, high=MAX_YEARS))
        self.years = int(field.data)

    def validate_decision_reference(self, field):
        # With a date, the data will be purged: the purge register must name the decision.
        if self.last_payment_on.data and not field.data:
            raise ValidationError(_l("Write the reference of the retention decision. "
                                     "Nothing is deleted without it."))


class DecisionForm(Form):
    decision = RadioChoice(
        _l("What happens to the information?"),
        choices=options([
            (Decision.KEEP.value, _l("Keep it until the retention date")),
            (Decision.ERASE.value, _l("Erase it now")),
        ]),
        validators=[Required(_l("Choose what happens to the information."))],
        invalid_message=_l("Choose what happens to the information."),
    )

    def chosen(self) -> Decision:
        return Decision(self.decision.data)
