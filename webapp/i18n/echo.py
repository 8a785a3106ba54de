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

from flask import g, has_request_context
from flask_babel import force_locale, get_locale, gettext
from markupsafe import Markup, escape

SWEDISH = "sv"


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
        return str(escape(self.text) + Markup('<span class="sv-echo" lang="sv">{}</span>').format(self.swedish))

    def __bool__(self) -> bool:
        return bool(self.text)


def echo_on() -> bool:
    """The mode is on for this request, and the page is not in Swedish already."""
    if not has_request_context() or not getattr(g, "show_swedish", False):
        return False
    return str(get_locale()) != SWEDISH


def t(msgid: str, **variables) -> Echoed:
    """Translate a visible heading, label or button; add the Swedish when the mode is on."""
    text = gettext(msgid, **variables)
    if not echo_on():
        return Echoed(text, None)
    with force_locale(SWEDISH):
        return Echoed(text, gettext(msgid, **variables))


def echo(lazy) -> Echoed:
    """The same for a lazy string from a form (a WTForms label made with _l)."""
    text = str(lazy)
    if not echo_on() or not hasattr(lazy, "_func"):
        return Echoed(text, None)
    with force_locale(SWEDISH):
        return Echoed(text, str(lazy))


def plain(value) -> str:
    """Only the translation, for <title> and attributes."""
    return str(value) if value is not None else ""
