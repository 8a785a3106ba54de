"""Locale per request, lang/dir for <html>, and the language registry for templates."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, request
from flask_babel import get_locale
from flask_login import current_user

from webapp.extensions import babel
from webapp.i18n import echo, formatting
from webapp.i18n.languages import DEFAULT_LOCALE, Language, discover, match


def languages() -> dict[str, Language]:
    return current_app.extensions["stegvis_languages"]


# In the (not yet signed-in) session: the language picked in the picker before signing in. It
# becomes the account's at sign-in; an old cookie alone does not (the account's own choice,
# perhaps made on another phone since, wins over it).
CHOSEN_BEFORE_SIGN_IN = "language_chosen"


def chosen_language() -> str | None:
    """The language chosen in the picker on this browser (the language cookie), if we have it."""
    return match(request.cookies.get(current_app.config["LANGUAGE_COOKIE"]), languages())


def select_locale() -> str:
    """The user's saved choice, then the language cookie, then Accept-Language, then Swedish.

    The app's own files (manifest, offline page) are fetched without cookies: they name their
    language in the URL (?lang=ar), and a phone keeps one copy per language."""
    langs = languages()
    if request.blueprint == "pwa" and (code := match(request.args.get("lang"), langs)):
        return code
    if current_user.is_authenticated and (code := match(current_user.locale, langs)):
        return code
    if code := chosen_language():
        return code
    for tag, _quality in request.accept_languages:
        if code := match(tag, langs):
            return code
    return DEFAULT_LOCALE


def current_language() -> Language:
    langs = languages()
    return langs.get(str(get_locale()), langs[DEFAULT_LOCALE])


def init_i18n(app: Flask) -> None:
    # The catalogues Babel reads are the languages offered (tests point this at a pseudo-locale).
    app.extensions["stegvis_languages"] = discover(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    babel.init_app(app, locale_selector=select_locale)
    # Matches `trimmed = true` in babel.cfg: whitespace in {% trans %} blocks is collapsed.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters["minutes"] = formatting.format_minutes
    app.jinja_env.filters["day"] = formatting.format_day
    app.jinja_env.filters["short_day"] = formatting.format_short_day
    app.jinja_env.filters["number"] = formatting.format_number
    app.jinja_env.filters["moment"] = formatting.format_moment
    app.jinja_env.filters["until"] = formatting.format_until
    app.jinja_env.filters["plain"] = echo.plain
    app.jinja_env.globals.update(t=echo.t, echo=echo.echo, swedish_words=echo.wants_swedish_words)

    @app.context_processor
    def inject_language() -> dict:
        lang = current_language()
        g.language = lang
        return {
            "html_lang": lang.tag,
            "html_dir": lang.direction,
            "languages": list(languages().values()),
            "current_language": lang,
        }
