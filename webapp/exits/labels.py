"""Words for how a participation ended, translated when shown (never at import time)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.models import EndReason, FollowUpKind, InterruptionCause, Outcome

END_REASONS = {
    # Translators: how a participation ended (Swedish: fullföljt). Not "Completed" of a plan.
    EndReason.COMPLETED: _l("Completed in full"),
    # Translators: how a participation ended (Swedish: avbrutet).
    EndReason.INTERRUPTED: _l("Interrupted"),
}

INTERRUPTION_CAUSES = {
    InterruptionCause.MOVED: _l("Moved away"),
    InterruptionCause.ILLNESS: _l("Illness"),
    InterruptionCause.ANOTHER_MEASURE: _l("Started another measure"),
    InterruptionCause.OTHER: _l("Other reason"),
    InterruptionCause.UNKNOWN: _l("Reason not known"),
}

OUTCOMES = {
    Outcome.EMPLOYMENT: _l("Employment"),
    Outcome.SUPPORTED_EMPLOYMENT: _l("Employment with support"),
    Outcome.OWN_BUSINESS: _l("Own business"),
    Outcome.STUDIES: _l("Studies"),
    Outcome.LABOUR_MARKET_TRAINING: _l("Labour-market training"),
    Outcome.JOB_SEEKING: _l("Looking for work"),
    Outcome.SICK_LEAVE_OR_REHABILITATION: _l("Sick leave or rehabilitation"),
    Outcome.OTHER: _l("Other"),
    Outcome.UNKNOWN: _l("Unknown"),
}

# The groups follow Outcome.is_work and is_education, the rules the goal report counts by.
OUTCOME_GROUPS = [
    ("work", _l("Work"), [o for o in Outcome if o.is_work]),
    ("education", _l("Education"), [o for o in Outcome if o.is_education]),
    # Translators: outcomes that are neither work nor education.
    ("else", _l("Something else"), [o for o in Outcome if not (o.is_work or o.is_education)]),
]

FOLLOW_UP_KINDS = {
    FollowUpKind.WEEKS_4: _l("4 weeks after the end"),
    FollowUpKind.MONTHS_6: _l("6 months after the end"),
}


def exit_labels() -> dict:
    """The labels for templates, whichever blueprint renders them."""
    return {
        "END_REASONS": END_REASONS,
        "INTERRUPTION_CAUSES": INTERRUPTION_CAUSES,
        "OUTCOMES": OUTCOMES,
        "OUTCOME_GROUPS": OUTCOME_GROUPS,
        "FOLLOW_UP_KINDS": FOLLOW_UP_KINDS,
    }
