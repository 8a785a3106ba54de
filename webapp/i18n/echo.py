"""Swedish beside the home language ("SFI mode"), for people learning Swedish.

With the mode on and a language other than Swedish, headings, labels and buttons show their
Swedish words under the translation, in smaller text. The Swedish is a real part of the page,
marked `lang="sv"` so screen readers switch to a Swedish voice for it (WCAG 3.1.2), and so the
visible label is inside the accessible name (WCAG 2.5.3). Attributes, page titles and messages
from the code never get it: it is markup.

Templates write visible texts as `t("My plan")` instead of `_("My plan")`. The result prints the
translation (and the Swedish beside it when the mode is on) where HTML is rendered, and only the
translation where plain text is needed: `{{ title | plain }}` in <title> or an attribute.
"""

from __future__ import annotations

from flask import g, has_request_context, request
from flask_babel import force_locale, get_locale, gettext
from flask_login import current_user
from markupsafe import Markup, escape

SWEDISH = "sv"
COOKIE = "sv_words"


class Echoed:
    """A translated text that may carry its Swedish words with it."""

    __slots__ = ("text", "swedish")

    def __init__(self, text: str, swedish: str | None):
        self.text = text
        self.swedish = swedish if swedish and swedish != text else None

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        if not self.swedish:
            return str(escape(self.text))
        # dir="ltr" keeps the Swedish in its own direction inside an Arabic or Dari page.
        swedish = Markup(' <span class="sv-echo" lang="sv" dir="ltr">{}</span>').format(self.swedish)
        return str(escape(self.text) + swedish)

    def __bool__(self) -> bool:
        return bool(self.text)


def wants_swedish_words() -> bool:
    """The user's saved setting, or the cookie when nobody is signed in."""
    if "show_swedish" not in g:
        if current_user.is_authenticated:
            g.show_swedish = bool(current_user.show_swedish)
        else:
            g.show_swedish = request.cookies.get(COOKIE) == "1"
    return g.show_swedish


def echo_on() -> bool:
    """The mode is on for this request, and the page is not in Swedish already."""
    if not has_request_context() or not wants_swedish_words():
        return False
    return str(get_locale()) != SWEDISH


def t(msgid: str, **variables) -> Echoed:
    """Translate a visible heading, label or button; add the Swedish when the mode is on."""
    text = gettext(msgid, **variables)
    if not echo_on():
        return Echoed(text, None)
    with force_locale(SWEDISH):
        return Echoed(text, gettext(msgid, **variables))


def echo(value) -> Echoed:
    """The same for a text that is translated when it is shown: a lazy string from a form (a
    WTForms label made with _l) or a questionnaire's text. A plain string has no Swedish to add."""
    text = str(value)
    if not echo_on() or isinstance(value, str):
        return Echoed(text, None)
    with force_locale(SWEDISH):
        return Echoed(text, str(value))


def plain(value) -> str:
    """Only the translation, for <title> and attributes."""
    return str(value) if value is not None else ""
