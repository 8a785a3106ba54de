import datetime as dt

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from flask import current_app, render_template

from webapp.about import bp
from webapp.i18n import languages

# Easy-to-read pages (lättläst): the key explanations, in short sentences, one thing per line.
EASY_PAGES = ("welcome", "your-information", "your-rights", "help")


@bp.get('/<any(welcome, "your-information", "your-rights", help):page>')
def easy(page: str):
    return render_template(f"about/{page.replace('-', '_')}.html", page=page, easy_pages=EASY_PAGES)


@bp.get("/translations")
def translations():
    """Which languages there are, who checked each translation, and how to report a bad one."""
    return render_template("about/translations.html", all_languages=list(languages().values()))


# The accessibility statement (tillgänglighetsredogörelse, DOS-lagen). Change these dates when the
# assessment is redone or the statement's text changes (templates/about/accessibility.html).
STATEMENT_ASSESSED_ON = dt.date(2026, 11, 23)
STATEMENT_UPDATED_ON = dt.date(2026, 11, 23)
DIGG_REPORTING = "https://www.digg.se/tdosanmalan"


def contact_href(contact: str) -> str | None:
    """ACCESSIBILITY_CONTACT as a link: a web address as it is, an email address as mailto:."""
    contact = contact.strip()
    if contact.startswith(("https://", "http://")):
        return contact
    if "@" in contact and " " not in contact:
        return f"mailto:{contact.removeprefix('mailto:')}"
    return None


def swedish_name(code: str) -> str:
    """A language's name in Swedish, as the legal text needs it: "fa_AF" is "dari"."""
    return Locale("sv").languages.get(code) or Locale.parse(code).get_display_name("sv")


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement in Digg's format: the legal text in Swedish, the headings and the
    explanations in the reader's language."""
    contact = current_app.config["ACCESSIBILITY_CONTACT"]
    return render_template(
        "about/accessibility.html",
        organisation=current_app.config["ORGANISATION_NAME"],
        contact=contact.strip().removeprefix("mailto:"),
        contact_href=contact_href(contact),
        assessed_on=STATEMENT_ASSESSED_ON,
        updated_on=STATEMENT_UPDATED_ON,
        # The dates sit in the Swedish legal text, so they are written in Swedish in every language.
        assessed_on_sv=format_date(STATEMENT_ASSESSED_ON, "d MMMM y", locale="sv"),
        updated_on_sv=format_date(STATEMENT_UPDATED_ON, "d MMMM y", locale="sv"),
        digg_reporting=DIGG_REPORTING,
        # WCAG 2.2.1 allows a fixed time limit only when it is longer than 20 hours.
        session_hours=int(current_app.permanent_session_lifetime.total_seconds() // 3600),
        # The translations' review status comes from translations/languages.json, so this part of
        # the statement stays true when a language is added or reviewed.
        all_languages_sv=format_list([swedish_name(lang.code) for lang in languages().values()], locale="sv"),
        unreviewed_sv=format_list([swedish_name(lang.code) for lang in languages().values()
                                   if lang.review not in ("source", "reviewed")], locale="sv"),
    )
