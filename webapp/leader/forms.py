from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError
from wtforms.widgets import EmailInput

from webapp import clock
from webapp.forms import Choice, CleanStringField, DateRange, FlexibleDateField, Form, MaxChars, Required, options
from webapp.models import User

# Enough to catch a typo such as a missing "@"; the activation code proves the address works.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class CoachForm(Form):
    name = CleanStringField(_l("Name"), validators=[Required(_l("Write the coach's name.")), MaxChars(100)])
    email = CleanStringField(
        _l("Email address"),
        validators=[Required(_l("Write the coach's email address.")), MaxChars(254)],
        widget=EmailInput(),
    )

    def __init__(self, *args, taken: Callable[[str], bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = taken

    def validate_email(self, field):
        if not EMAIL.fullmatch(field.data):
            raise ValidationError(_l("Write the email address like this: name@example.se."))
        if self.taken(field.data):
            raise ValidationError(_l("Someone already signs in with this email address. Write another one."))


class _CoachChoices(Form):
    """Select lists of the project's active coaches; anything else is refused with our message."""

    def _offer(self, coaches: list[User], *fields) -> None:
        self.coaches = {str(c.id): c for c in coaches}
        for field in fields:
            field.choices = options([("", _l("Choose")), *((c.id, c.name) for c in coaches)])
            field.invalid_message = _l("Choose one of the project's active coaches.")


class MoveForm(_CoachChoices):
    coach = Choice(_l("New coach"), choices=[], validators=[Required(_l("Choose the new coach."))])

    def __init__(self, *args, coaches: list[User], name: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer(coaches, self.coach)
        if name:
            # One form per participant on the page: the error summary at the top names whose it is.
            self.coach.validators = [Required(_l("Choose the new coach for %(name)s.", name=name))]
            self.coach.invalid_message = _l("Choose one of the project's active coaches for %(name)s.", name=name)

    def chosen_coach(self) -> User:
        return self.coaches[self.coach.data]


class ShareForm(_CoachChoices):
    owner = Choice(_l("Who is away?"), choices=[], validators=[Required(_l("Choose the coach who is away."))])
    colleague = Choice(_l("Who covers?"), choices=[], validators=[Required(_l("Choose the coach who covers."))])
    until = FlexibleDateField(
        _l("Last day (if you know it)"),
        validators=[
            DateRange(
                lambda form: clock.today(),
                lambda form: clock.today() + dt.timedelta(days=365),
                _l("The date has passed. Choose today or a later day."),
                _l("The date is too far ahead. Choose a date in the next year."),
            )
        ],
    )

    def __init__(self, *args, coaches: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self._offer(coaches, self.owner, self.colleague)

    def validate_colleague(self, field):
        if field.data and field.data == self.owner.data:
            raise ValidationError(_l("Choose another coach than the one who is away."))

    def chosen(self) -> tuple[User, User]:
        return self.coaches[self.owner.data], self.coaches[self.colleague.data]


class EntryForm(Form):
    """The name of a "who helps" entry or a municipality."""

    name = CleanStringField(_l("Name"), validators=[Required(_l("Write a name.")), MaxChars(100)])

    def __init__(self, *args, taken: Callable[[str], bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = taken

    def validate_name(self, field):
        if self.taken(field.data):
            raise ValidationError(_l("The list already has this name. Hidden entries count too."))
