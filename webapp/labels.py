"""Words for the values people choose from, translated when shown (never at import time)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.models import ActivityKind, CapacityLevel, Gender, StepStatus

ACTIVITY_KINDS = {
    ActivityKind.WORK_PLACEMENT: _l("Work placement"),
    ActivityKind.STUDIES: _l("Studies"),
    ActivityKind.SFI: _l("SFI (Swedish for immigrants)"),
    ActivityKind.WORK_TRAINING: _l("Work training"),
    ActivityKind.JOB_APPLICATION: _l("Job application"),
    ActivityKind.AUTHORITY_MEETING: _l("Meeting with an authority"),
    ActivityKind.HEALTH: _l("Health"),
    ActivityKind.PERSONAL_DEVELOPMENT: _l("Personal development"),
    ActivityKind.OTHER: _l("Other"),
}

STEP_STATUSES = {
    StepStatus.NOT_STARTED: _l("Not started"),
    StepStatus.DOING: _l("Doing now"),
    StepStatus.DONE: _l("Done"),
    StepStatus.PAUSED: _l("Paused"),
}

# The one-tap button on a step: what it does from each status.
STEP_NEXT_ACTIONS = {
    StepStatus.NOT_STARTED: _l("I have started"),
    StepStatus.DOING: _l("Mark as done"),
    StepStatus.PAUSED: _l("Start again"),
    StepStatus.DONE: _l("Not done after all"),
}

# How it went: words and a face, never colour alone.
FEELINGS = {
    1: (_l("Very bad"), "😞"),
    2: (_l("Bad"), "🙁"),
    3: (_l("Okay"), "😐"),
    4: (_l("Good"), "🙂"),
    5: (_l("Very good"), "😄"),
}

GENDERS = {
    Gender.WOMAN: _l("Woman"),
    Gender.MAN: _l("Man"),
    Gender.NON_BINARY: _l("Non-binary"),
    Gender.NOT_STATED: _l("Does not want to say"),
}

CAPACITY_LEVELS = {
    CapacityLevel.P25: _l("A quarter of full time (25 %)"),
    CapacityLevel.P50: _l("Half time (50 %)"),
    CapacityLevel.P75: _l("Three quarters of full time (75 %)"),
    CapacityLevel.P100: _l("Full time (100 %)"),
    CapacityLevel.SICK_LEAVE: _l("On sick leave"),
}

# What someone opened, in the participant's words ("Maria Lund looked at …"). Keyed by the
# endpoint that wrote the access-log row; a new endpoint without words gets the general ones.
ACCESS_ACTIONS = {
    "coach.participant": _l("your plan, your log and your messages"),
    "coach.activation_code": _l("your sign-in name, to make a new code"),
    "coach.suggest_step": _l("your plan, to suggest a step"),
    "coach.thread": _l("your messages"),
    "coach.write_comment": _l("your messages, and wrote to you"),
    "coach.mark_reviewed": _l("your plan, your log and your messages"),
    "coach.deactivate": _l("your account, and closed it"),
    "coach.reactivate": _l("your account, and opened it again"),
}
ACCESS_ACTION_PREFIXES = {
    "survey_review.": _l("your survey answers"),
    "exits.": _l("the end of your time in the project"),
    "leader.": _l("who your coach is"),
    "coach_rights.": _l("all your information, to give you a copy"),
    "leader_rights.": _l("your request to delete your information"),
}
ACCESS_DEFAULT = _l("your information")


def access_action(endpoint: str):
    if endpoint in ACCESS_ACTIONS:
        return ACCESS_ACTIONS[endpoint]
    for prefix, words in ACCESS_ACTION_PREFIXES.items():
        if endpoint.startswith(prefix):
            return words
    return ACCESS_DEFAULT


# Time spent: common durations, so logging takes a tap instead of typing.
DURATIONS = [15, 30, 45, 60, 90, 120, 150, 180, 240, 300, 360, 420, 480]


def init_labels(app) -> None:
    app.jinja_env.globals.update(
        ACTIVITY_KINDS=ACTIVITY_KINDS,
        STEP_STATUSES=STEP_STATUSES,
        STEP_NEXT_ACTIONS=STEP_NEXT_ACTIONS,
        FEELINGS=FEELINGS,
        FEELING_SYMBOLS={str(value): symbol for value, (_label, symbol) in FEELINGS.items()},
        GENDERS=GENDERS,
        CAPACITY_LEVELS=CAPACITY_LEVELS,
        access_action=access_action,
    )
