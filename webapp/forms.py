"""Fields and validators every form shares, with messages in plain language."""

from __future__ import annotations

import datetime as dt
import re

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms import Field, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput


class Form(FlaskForm):
    """Base form. Inputs get no `required` attribute: our own messages, not the browser's."""

    class Meta:
        def render_field(self, field, render_kw):
            render_kw = dict(render_kw)
            render_kw["required"] = False  # False is left out of the HTML
            return super().render_field(field, render_kw)

        def wrap_formdata(self, form, formdata):
            # Forms read form fields only. Flask-WTF would read a JSON body as the fields, and JSON
            # that is not a flat object of strings (a list, a number, nested values) made a 500.
            if formdata is _Auto and request.is_json:
                formdata = None
            return super().wrap_formdata(form, formdata)


class Required:
    """The field must have a value; whitespace alone does not count."""

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        data = field.data
        if data is None or (isinstance(data, str) and not data.strip()):
            if field.process_errors:
                # The value could not be read (e.g. a date in an unknown format): that message
                # says more than "required" would.
                raise StopValidation()
            field.errors[:] = []
            raise StopValidation(self.message)


class MaxChars:
    """At most `limit` characters, with a message that says the limit."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form, field):
        if field.data and len(field.data) > self.limit:
            raise ValidationError(
                _l("Write at most %(limit)s characters. Now there are %(count)s.",
                   limit=self.limit, count=len(field.data))
            )


class _CleanText:
    """Text with the surrounding whitespace removed, line breaks as one character each, and NUL
    characters and broken ones (a lone surrogate, which cannot be stored as UTF-8) refused.

    A browser sends each line break in a text area as two characters (CR LF); counted as they came,
    a note of 995 characters with 21 lines was refused as 1 016 without JavaScript."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = self.data.replace("\r\n", "\n").replace("\r", "\n").strip()

    def pre_validate(self, form):
        if self.data and ("\x00" in self.data or not _encodable(self.data)):
            raise StopValidation(_l("The text has a character we cannot save. Remove it and try again."))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class CleanStringField(_CleanText, StringField):
    """A one-line text."""


class CleanTextAreaField(_CleanText, TextAreaField):
    """A text of several lines."""


class DateInput(TextInput):
    input_type = "date"


_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
)


class FlexibleDateField(Field):
    """A date input that also accepts what people type where the browser has no date picker:
    2026-11-23, 23/11/2026, 23.11.2026 or 20261123."""

    widget = DateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.raw = ""

    def _value(self):
        # A date that was read is shown as a date field can show it (2026-01-05, not 2026-1-5, which
        # a date field shows empty); only what could not be read is shown as it was typed.
        if self.data:
            return self.data.isoformat()
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.raw = valuelist[0].strip()
        self.data = None
        if not self.raw:
            return
        for pattern in _DATE_PATTERNS:
            if found := pattern.match(self.raw):
                try:
                    self.data = dt.date(int(found["y"]), int(found["m"]), int(found["d"]))
                except ValueError:
                    break
                return
        raise ValueError(_l("Write the date like this: 2026-11-23."))


class DateRange:
    """The date must lie between two bounds that are computed when the form is checked."""

    def __init__(self, earliest, latest, too_early, too_late):
        self.earliest, self.latest = earliest, latest
        self.too_early, self.too_late = too_early, too_late

    def __call__(self, form, field):
        if field.data is None:
            return
        if field.data < self.earliest(form):
            raise ValidationError(self.too_early)
        if field.data > self.latest(form):
            raise ValidationError(self.too_late)


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value=str(value), label=label) for value, label in pairs]


class _KnownChoice:
    """Unknown values get our message instead of WTForms' English "Not a valid choice"."""

    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Choose one of the options in the list.")

    def pre_validate(self, form):
        if self.data in (None, ""):
            return  # nothing chosen: the field's own Required message says what to choose, if anything
        values = {str(value) for value, *_ in self.iter_choices()}
        if str(self.data) not in values:
            raise StopValidation(self.invalid_message)


class Choice(_KnownChoice, SelectField):
    """A select list."""


class RadioChoice(_KnownChoice, RadioField):
    """Radio buttons in a fieldset; the macro renders them."""


class YearField(CleanStringField):
    """A four-digit year, typed on the number keyboard."""

    year: int | None = None

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {}).update(inputmode="numeric", autocomplete="off")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.year = int(self.data) if self.data and re.fullmatch(r"\d{4}", self.data) else None

    def pre_validate(self, form):
        super().pre_validate(form)
        if self.data and self.year is None:
            raise StopValidation(_l("Write the year with four digits, for example 1990."))
