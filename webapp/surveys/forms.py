"""Forms: one answer (the field depends on the question's kind), and the project leader's
choice and import of questionnaires."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from webapp.forms import Choice, CleanTextAreaField, Form, MaxChars, RadioChoice, Required, options
from webapp.models import Occasion, SurveyAnswer
from webapp.surveys.format import Item, Questionnaire
from webapp.surveys.labels import AGREEMENT_WORDS, YES_NO_WORDS
from webapp.surveys.services import Value

CHOOSE = _l('Choose an answer, or press "Skip this question".')
WRITE = _l('Write an answer, or press "Skip this question".')
FOLLOW_UP_WEEKS = range(2, 27)


def _choices(item: Item) -> list[tuple[str, object]]:
    if item.kind == "agreement":
        return list(zip(("1", "2", "3", "4", "5"), item.labels or AGREEMENT_WORDS, strict=True))
    if item.kind == "scale":
        low, high = item.labels
        words = {0: low, 10: high}
        # Translators: a step of a 0–10 scale with its words, e.g. "0 – Very bad".
        return [(str(n), _l("%(number)s – %(words)s", number=n, words=words[n]) if n in words else str(n))
                for n in range(11)]
    if item.kind == "yes_no":
        return list(YES_NO_WORDS.items())
    return [(option.key, option.text) for option in item.options]


def answer_form(item: Item, **kwargs) -> Form:
    """A form with one field, `answer`, labelled with the question."""
    if item.kind == "text":
        field = CleanTextAreaField(item.text, validators=[Required(WRITE), MaxChars(item.max_length)])
    else:
        field = RadioChoice(item.text, choices=options(_choices(item)), validators=[Required(CHOOSE)],
                            invalid_message=CHOOSE)
    form_class = type("AnswerForm", (Form,), {"answer": field})
    return form_class(**kwargs)


def value_of(item: Item, data: str) -> Value:
    """The checked form value as it is stored."""
    if item.kind in ("agreement", "scale"):
        return Value(number=int(data))
    if item.kind == "yes_no":
        return Value(number=1 if data == "yes" else 0)
    return Value(text=data)


def form_value(item: Item, answer: SurveyAnswer | None) -> str | None:
    """A stored answer as the form shows it (None: nothing chosen yet, or skipped)."""
    if answer is None or answer.skipped:
        return None
    if item.kind == "yes_no":
        return "yes" if answer.value_int else "no"
    if item.kind in ("agreement", "scale"):
        return str(answer.value_int)
    return answer.value_text


def answer_words(item: Item, answer: SurveyAnswer) -> str:
    """A given answer in words, as the question offered it ("Mostly true", "0 – Very bad", "Yes")."""
    if item.kind == "text":
        return answer.value_text or ""
    value = form_value(item, answer)
    return str(dict(_choices(item)).get(value, value or ""))


class StartForm(Form):
    """The "Start" button of a due survey on the start page."""

    occasion = HiddenField()
    round = HiddenField()

    def chosen(self) -> tuple[Occasion, int] | None:
        try:
            return Occasion(self.occasion.data), int(self.round.data)
        except (TypeError, ValueError):
            return None


class SettingsForm(Form):
    start = Choice(_l("Survey at the start"))
    follow_up = Choice(_l("Follow-up survey"))
    follow_up_weeks = Choice(_l("How often the follow-up survey comes"), validators=[Required(_l("Choose how often."))])
    exit = Choice(_l("Survey at the end"))

    def __init__(self, *args, questionnaires: list[Questionnaire], **kwargs):
        super().__init__(*args, **kwargs)
        # Translators: a questionnaire in a list, e.g. "Questions at the start (stegvis-start, version 1)".
        named = [(q.key, _l("%(title)s (%(key)s, version %(version)s)", title=q.title, key=q.key, version=q.version))
                 for q in questionnaires]
        for name in ("start", "follow_up", "exit"):
            self[name].choices = options([("", _l("No survey")), *named])
        self.follow_up_weeks.choices = options(
            (n, _l("Every %(weeks)s weeks", weeks=n)) for n in FOLLOW_UP_WEEKS)

    def key(self, name: str) -> str | None:
        return self[name].data or None


class ImportForm(Form):
    file = FileField(_l("Questionnaire file (JSON)"), validators=[FileRequired(_l("Choose a file to import."))])
