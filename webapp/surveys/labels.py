"""Words for surveys that do not come from a questionnaire file, translated when shown."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from webapp.models import Occasion

AREA_NAMES = {
    "work": _l("Work"),
    "studies": _l("Studies"),
    "health": _l("Health"),
    # Translators: a life area: the person's own money (Swedish: ekonomi).
    "economy": _l("Money"),
    # Translators: a life area: where the person lives (Swedish: boende).
    "housing": _l("Housing"),
    # Translators: a life area: the people around the person (Swedish: socialt nätverk).
    "social_network": _l("Family and friends"),
    # Translators: a life area: how well the person speaks the language of the country (Swedish: svenska).
    "language": lazy_pgettext("life area", "Language"),
    "everyday_life": _l("Everyday life"),
}

# The five steps of an agreement item, for files that do not give their own words. Values 4
# and 5 count as "agree" in the project's goals.
AGREEMENT_WORDS = (
    _l("Not true at all"),
    _l("Mostly not true"),
    _l("Partly true"),
    _l("Mostly true"),
    _l("Completely true"),
)

YES_NO_WORDS = {"yes": _l("Yes"), "no": _l("No")}


def occasion_name(occasion: Occasion, round_: int = 0) -> str:
    if occasion == Occasion.START:
        return _("Start survey")
    if occasion == Occasion.EXIT:
        return _("Exit survey")
    return _("Follow-up survey %(number)s", number=round_)


def init_labels(app) -> None:
    app.jinja_env.globals.update(AREA_NAMES=AREA_NAMES, occasion_name=occasion_name)
