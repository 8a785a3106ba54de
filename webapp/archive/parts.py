"""What the project archive holds: every table that reaches a project is a Part here (where its
rows go in the file, which columns, and the columns left out with why) or EXCLUDED with the
reason. tests/archive/test_complete.py checks this against the schema, so nothing is forgotten.

The per-participation parts are the personal export's own (webapp/rights/export.py): the archive
has, under "participations", exactly what a participant's own download has there.
"""

from __future__ import annotations

from webapp.rights.export import PARTS as PERSONAL_PARTS
from webapp.rights.export import SECRET, WEB_ID, Part

FORMAT = "stegvis-project-archive"
VERSION = 1

_USERS = next(part for part in PERSONAL_PARTS if part.table == "users")

PROJECT_PARTS: tuple[Part, ...] = (
    Part("organisations", "organisations[]", ("id", "name", "created_at")),
    Part("projects", "project",
         ("id", "organisation_id", "name", "starts_on", "ends_on", "inactivity_days", "start_survey_key",
          "follow_up_survey_key", "follow_up_weeks", "exit_survey_key", "suppression_threshold", "created_at"),
         omit={"public_id": WEB_ID}),
    Part("project_retention", "retention[]",
         ("project_id", "last_payment_on", "keep_years", "decision_reference", "updated_at")),
    Part("municipalities", "municipalities[]", ("id", "project_id", "name", "is_active"), omit={"public_id": WEB_ID}),
    Part("helpers", "helpers[]", ("id", "project_id", "name", "position", "is_other", "is_active"),
         omit={"public_id": WEB_ID}),
    Part("project_goals", "project_goals[]",
         ("id", "project_id", "code", "title", "kind", "population", "condition", "item_key", "outcomes", "target",
          "position", "created_at"),
         omit={"public_id": WEB_ID}),
    Part("imported_questionnaires", "imported_questionnaires[]",
         ("id", "project_id", "key", "version", "definition", "imported_by_id", "created_at")),
    Part("users", "users[]", _USERS.columns, omit=dict(_USERS.omit)),
    Part("project_staff", "project_staff[]", ("project_id", "user_id")),
    Part("caseload_shares", "caseload_shares[]",
         ("id", "project_id", "owner_id", "colleague_id", "until", "ended_at", "created_by_id", "created_at")),
    # Events about the project with no participation (exports, settings …), and the project's
    # participants' own events with no project (their sign-ins).
    Part("access_log", "access_log[]", *next((p.columns, p.omit) for p in PERSONAL_PARTS if p.table == "access_log")),
)

PARTICIPATION_PARTS: tuple[Part, ...] = tuple(p for p in PERSONAL_PARTS if p.path.startswith("participations[]"))

PARTS: tuple[Part, ...] = PROJECT_PARTS + PARTICIPATION_PARTS

SIGN_IN = "a way to sign in tied to this server's accounts: people sign in anew with the activation code they get"

EXCLUDED: dict[str, str] = {
    "activation_codes": "secrets: the hash of a one-time code to set a password; imported people get new codes",
    "auth_sessions": "secrets: the hashes of sign-in session tokens on the old server",
    "passkey_challenges": "a sign-in in progress: a one-time challenge, deleted within minutes",
    "form_submissions": "forms just sent, kept a day so that a repeat is not saved twice; what they saved is here",
    "passkeys": SIGN_IN + " (a passkey belongs to the old server's address)",
    "devices": SIGN_IN + " (" + SECRET + ")",
    "participant_imports": "a participant list being uploaded, kept a day; the people it made are in the archive",
}

# Columns the import does not keep, though they are in the file: each must be unique in the
# database, so a copy in the same database gets a new value. (Keys and foreign keys are renumbered
# too; see docs/ARCHIVE.md.)
RENEWED: dict[tuple[str, str], str] = {
    ("activities", "client_id"): "the phone's id for an entry, unique in the database: a new one is made",
}


def parts_of(table: str) -> list[Part]:
    return [part for part in PARTS if part.table == table]
