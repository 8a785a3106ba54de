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
    )
