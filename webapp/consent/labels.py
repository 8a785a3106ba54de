"""Words for the parts that can be shared, translated when shown (never at import time)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.models import SharePart

PART_NAMES = {
    SharePart.PLAN: _l("The plan"),
    SharePart.ACTIVITY_SUMMARY: _l("A summary of the activity log"),
}

# What each part contains, in the participant's words: said next to every checkbox.
PART_CONTENTS = {
    SharePart.PLAN: _l("The goals and steps, who helps, the dates and how far each step has come. Not the notes."),
    SharePart.ACTIVITY_SUMMARY: _l(
        "How many activities of each kind each month, the time in total, and the capacity."
        " Not the notes, and not how it went."
    ),
}

# The same, said to staff who record a consent given on paper ("how much the participant can do",
# not "how much you can do": in most languages the capacity is said to a person).
PART_CONTENTS_FOR_STAFF = {
    **PART_CONTENTS,
    SharePart.ACTIVITY_SUMMARY: _l(
        "How many activities of each kind each month, the time in total, and how much the participant"
        " can do. Not the notes, and not how it went."
    ),
}
