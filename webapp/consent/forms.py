"""Forms for giving consent and for sharing. The rules across fields come from the services,
so the form and the command can never disagree about what may be saved."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.consent import services
from webapp.consent.labels import PART_NAMES
from webapp.forms import CleanStringField, FlexibleDateField, Form, MaxChars, Required, options
from webapp.models import SharePart


class PartsField(SelectMultipleField):
    """The parts as checkboxes (rendered by consent/_macros.html); unknown values are refused."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, invalid_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        known = {str(value) for value, *_ in self.iter_choices()}
        if any(value not in known for value in self.data or ()):
            raise StopValidation(self.invalid_message)
        if not self.data:
            raise StopValidation(_l("Choose at least one part."))

    @property
    def chosen(self) -> frozenset[SharePart]:
        return frozenset(SharePart(value) for value in self.data or ())


class ConsentForm(Form):
    recipient = CleanStringField(
        _l("Which organisation?"),
        validators=[Required(_l("Write the name of the organisation.")), MaxChars(services.RECIPIENT_MAX)],
    )
    parts = PartsField(
        _l("What may they get?"), choices=options(PART_NAMES.items()),
        invalid_message=_l("Choose among the parts in the list."),
    )
    purpose = CleanStringField(_l("What is it for? (if you want)"), validators=[MaxChars(services.PURPOSE_MAX)])
    valid_until = FlexibleDateField(_l("Last day (if you want)"))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def consent_data(self) -> services.NewConsent:
        return services.NewConsent(
            recipient=self.recipient.data or "", parts=self.parts.chosen if not self.parts.errors else frozenset(),
            purpose=self.purpose.data or None, valid_until=self.valid_until.data,
        )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, message in services.consent_problems(self.consent_data(), self.today).items():
            if not self[name].errors:
                self[name].errors.append(message)
                valid = False
        return valid


class PaperConsentForm(ConsentForm):
    """A coach records a consent the participant signed on paper."""

    signed = BooleanField(_l("The participant has signed a consent on paper that says this."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.signed.data:
            self.signed.errors = [_l("Tick the box when the participant has signed the paper.")]
            valid = False
        return valid


class ShareForm(Form):
    """The parts to show now: only those the consent covers are offered, and all are ticked."""

    parts = PartsField(
        _l("What do you share?"), invalid_message=_l("This part is not in the consent. It cannot be shared.")
    )

    def __init__(self, *args, consented: frozenset[SharePart], **kwargs):
        super().__init__(*args, **kwargs)
        self.parts.choices = options((part, PART_NAMES[part]) for part in SharePart if part in consented)
        if not self.is_submitted():
            self.parts.data = [part.value for part in SharePart if part in consented]
