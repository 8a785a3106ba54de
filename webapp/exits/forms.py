"""Forms for the end of a participation. The rules across fields come from the services, so the
form and the command can never disagree about what may be saved."""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms.fields import Label

from webapp import clock
from webapp.exits import services
from webapp.exits.labels import END_REASONS, FOLLOW_UP_KINDS, INTERRUPTION_CAUSES, OUTCOME_GROUPS, OUTCOMES
from webapp.forms import CleanTextAreaField, FlexibleDateField, Form, RadioChoice, options
from webapp.models import EndReason, FollowUpKind, InterruptionCause, Outcome, Participation


def _chosen(kind: type[enum.Enum], field):
    """The field's value as the enum, or None when it is empty or was refused."""
    if field.errors or not field.data:
        return None
    return kind(field.data)


def _outcome_field(label) -> RadioChoice:
    return RadioChoice(
        label, choices=options(OUTCOMES.items()), invalid_message=_l("Choose one of the outcomes in the list.")
    )


@dataclass
class OptionGroup:
    """Some of a radio field's options under their own heading; the `radios` macro renders it."""

    id: str
    label: Label
    options: list
    errors: tuple = ()

    def __iter__(self):
        return iter(self.options)


class _RulesForm(Form):
    """Reads the fields, then adds the services' problems next to the fields they concern (or at
    the top of the form) unless that field already has a message."""

    def __init__(self, *args, participation: Participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.participation = participation

    def problems(self) -> services.Problems:
        raise NotImplementedError

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, message in self.problems().items():
            valid = False
            if not name:
                self.form_errors.append(message)
            elif not self[name].errors:
                self[name].errors.append(message)
        return valid

    def outcome_groups(self) -> list[OptionGroup]:
        """The outcome options in the groups the goal report counts: work, education, the rest."""
        field = self["outcome"]
        return [
            OptionGroup(f"{field.id}-{key}", Label(f"{field.id}-{key}", text),
                        [option for option in field if option.data in values])
            for key, text, values in OUTCOME_GROUPS
        ]


class EndForm(_RulesForm):
    ended_on = FlexibleDateField(_l("Last day in the project"))
    reason = RadioChoice(
        _l("How did the participation end?"),
        choices=options(END_REASONS.items()),
        invalid_message=_l("Choose how the participation ended."),
    )
    cause = RadioChoice(
        _l("Why was it interrupted?"),
        # Radio buttons cannot be cleared without JavaScript: this one is "no cause".
        choices=options([("", _l("Does not apply")), *INTERRUPTION_CAUSES.items()]),
        default="",
        invalid_message=_l("Choose one of the causes in the list."),
    )
    outcome = _outcome_field(_l("What did the participant go on to?"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.ended_on.data = clock.today()

    def end_data(self) -> services.EndData:
        return services.EndData(
            ended_on=self.ended_on.data,
            reason=_chosen(EndReason, self.reason),
            cause=_chosen(InterruptionCause, self.cause),
            outcome=_chosen(Outcome, self.outcome),
        )

    def problems(self) -> services.Problems:
        return services.end_problems(self.participation, self.end_data(), clock.today())


class ReopenForm(_RulesForm):
    reason = CleanTextAreaField(_l("Why is the participation reopened?"))

    def problems(self) -> services.Problems:
        return services.reopen_problems(self.participation, self.reason.data)


class FollowUpForm(_RulesForm):
    kind = RadioChoice(
        _l("Which follow-up?"),
        choices=options(FOLLOW_UP_KINDS.items()),
        invalid_message=_l("Choose which follow-up this is."),
    )
    outcome = _outcome_field(_l("What is the participant doing now?"))
    recorded_on = FlexibleDateField(_l("Date of the follow-up"))

    def __init__(self, *args, recorded: Collection[FollowUpKind] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.recorded_on.data = clock.today()
            # Offer the first follow-up that is still missing.
            self.kind.data = next((kind.value for kind in FollowUpKind if kind not in recorded), None)

    def follow_up_data(self) -> services.FollowUpData:
        return services.FollowUpData(
            kind=_chosen(FollowUpKind, self.kind),
            outcome=_chosen(Outcome, self.outcome),
            recorded_on=self.recorded_on.data,
        )

    def problems(self) -> services.Problems:
        return services.follow_up_problems(self.participation, self.follow_up_data(), clock.today())
