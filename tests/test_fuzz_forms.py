"""INP-01: every form, as every role that may use it, with hostile values from Hypothesis.

The POST routes come from app.url_map and tests/access_matrix.py (a new route is fuzzed the day it
is added), their fields from the forms on the role's pages (tests/every_page.py). Each route gets a
fixed corpus (every field over-long, with NUL, with invalid UTF-8, with control characters and
right-to-left overrides, impossible dates and numbers, no fields, repeated fields, fields that would
assign someone else's ids) and then Hypothesis's own mixes, in the body and the query string, as a
plain form and as htmx.

What must hold: never a 5xx; an answer a browser can use (a page, an error or a redirect on this
site); nothing broken stored (NUL, over-long text, impossible dates); and the ids and roles already
in the database stay as they were, whatever extra fields are sent. STEGVIS_FUZZ_EXAMPLES sets how
many Hypothesis mixes each route gets (default 3, to keep the file under a minute on a slow machine).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings

from tests.access_matrix import COACH, LEADER, PARTICIPANT
from tests.every_page import REDIRECTS, Site, signed_in_client
from tests.fuzzing import (
    MASS_ASSIGNMENT,
    SIGN_OUT,
    FormSpec,
    Submission,
    corpus,
    forms_by_endpoint,
    off_site,
    pages,
    post_rules,
    redirect_targets,
    rows,
    send,
    stored_problems,
    submissions,
    typed_fields,
    url_of,
)
from webapp.models import Role

# Columns no request changes on a row that exists (deleted_at and active are changed by their own
# routes; that they are never set from a sent field is checked by the date below).
PROTECTED = tuple(c for c in MASS_ASSIGNMENT if c not in ("deleted_at", "active", "is_admin"))
PLANTED = dt.date(1901, 2, 3)  # the date sent in deleted_at and created_at
EXAMPLES = int(os.environ.get("STEGVIS_FUZZ_EXAMPLES", "3"))
# What a hostile request may get back: a page (200, 422), a redirect after a change (302/303), an
# htmx answer with nothing to swap (204), or a refusal (400 unreadable, 404 not yours or gone,
# 409 not now, 413 too big). Never 401/403 (the role may use the route) or 5xx.
EXPECTED = {200, 204, 302, 303, 400, 404, 409, 413, 422}
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no example database: each run draws afresh (STEGVIS_FUZZ_EXAMPLES for more)
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)


def _foreign_ids(site: Site) -> dict[str, str]:
    """The values of the mass-assignment fields: ids in the other project (R, R's coach,
    project B), and the highest roles."""
    w = site.world
    values = {
        "participant_id": str(w.r.user_id), "participation_id": str(w.r.participation_id), "user_id": str(w.r.user_id),
        "role": "leader", "project_id": str(w.project_b.id), "author_id": str(w.coach_b.id),
        "actor_id": str(w.coach_b.id), "coach_id": str(w.coach_b.id), "owner_id": str(w.coach_b.id),
        "id": str(w.r.participation_id), "is_admin": "1", "created_by_id": str(w.coach_b.id),
        "deleted_at": PLANTED.isoformat(), "created_at": PLANTED.isoformat(), "active": "0",
    }
    assert set(values) == set(MASS_ASSIGNMENT)
    return values


def _fresh_token(client, role: str | None) -> str:
    """The token of the page the person is on now; also proves a signed-in person still is."""
    response = client.get("/", follow_redirects=True, check=False)
    if role is not None:
        assert response.request.path != "/sign-in", "the fuzzing signed the person out"
    found = CSRF_META.search(response.get_data(as_text=True))
    assert found, f"no CSRF token on {response.request.path}"
    return found.group(1)


def _fuzz(client, url: str, spec: FormSpec, token: str, extras: dict[str, str], statuses: Counter,
          signed_in: bool) -> None:
    typed = typed_fields(spec)
    # A signed-in person who opens sign-in is sent to their start page; the form is not read.
    sent_away = signed_in and spec.endpoint in REDIRECTS

    def check(submission: Submission) -> None:
        response = send(client, url, submission, token, spec)
        response.close()
        statuses[response.status_code] += 1
        assert response.status_code < 500, f"{spec.endpoint}: {response.status_code} for {submission!r}"
        assert response.status_code in EXPECTED, f"{spec.endpoint}: {response.status_code} for {submission!r}"
        for target in redirect_targets(response):
            assert not off_site(target), f"{spec.endpoint}: sent to {target!r} for {submission!r}"
        if submission.refused and typed and not sent_away:
            assert response.status_code >= 400, f"{spec.endpoint}: {response.status_code}, not refused, for " \
                                                 f"{submission!r}"

    run = FUZZ_SETTINGS(given(submissions(spec, extras))(check))
    for fixed in reversed(corpus(spec, extras)):
        run = example(fixed)(run)
    run()


def _protected(before: dict, after: dict) -> list[str]:
    """Ids, owners and roles of the rows that were there before and are still there."""
    changed = []
    for table, old_rows in before.items():
        for key, old in old_rows.items():
            new = after[table].get(key)
            if new is None:
                continue
            for column in PROTECTED:
                if column in old and old[column] != new[column]:
                    changed.append(f"{table}.{column} of {key}: {old[column]!r} -> {new[column]!r}")
    return changed


def _references(snapshot: dict, site: Site) -> Counter:
    """How many cells point at the other project's people (R and R's coach) or at project B."""
    w = site.world
    people = {w.r.user_id.hex, w.r.participation_id.hex, w.coach_b.id.hex}
    found = Counter()
    for table, table_rows in snapshot.items():
        for row in table_rows.values():
            for column, value in row.items():
                if value in people or (column == "project_id" and value == w.project_b.id):
                    found[f"{table}.{column}"] += 1
    return found


def _planted(snapshot: dict) -> list[str]:
    return [f"{table}.{column}" for table, table_rows in snapshot.items() for row in table_rows.values()
            for column, value in row.items()
            if isinstance(value, dt.date) and (value.date() if isinstance(value, dt.datetime) else value) == PLANTED]


def _high_roles(snapshot: dict) -> int:
    return sum(1 for row in snapshot["users"].values() if row["role"] not in (Role.PARTICIPANT, Role.COACH))


@pytest.mark.parametrize("role", [None, PARTICIPANT, COACH, LEADER], ids=["anonymous", PARTICIPANT, COACH, LEADER])
def test_every_form_survives_hostile_input(app, new_client, site, read, role):
    client = signed_in_client(new_client, site, role)
    specs = forms_by_endpoint(app, pages(app, client, site, role))
    extras = _foreign_ids(site)
    routes, unbuilt = [], []
    for rule in post_rules(app, role):  # URLs first: building one may make test data (tests/access_matrix.py)
        try:
            routes.append((rule, url_of(app, site, rule)))
        except AssertionError as error:  # a new route whose ids the tests do not know yet
            unbuilt.append(str(error))
    before = read(rows)
    fuzzed, statuses = [], Counter()
    for rule, url in routes:
        token = _fresh_token(client, role)
        _fuzz(client, url, specs.get(rule.endpoint, FormSpec(rule.endpoint)), token, extras, statuses,
              signed_in=role is not None)
        stored = read(stored_problems)
        assert not stored, f"{rule.endpoint} stored what it should have refused: {stored}"
        fuzzed.append(rule.endpoint)
        if rule.endpoint == SIGN_OUT:
            break
    after = read(rows)
    assert not unbuilt, "; ".join(unbuilt)
    assert fuzzed, "no POST routes for this role"
    assert statuses[422] + statuses[400] > 0, f"nothing was refused: {statuses}"
    assert not _protected(before, after), "extra fields changed ids, owners or roles"
    assert _references(after, site) == _references(before, site), "a request reached into the other project"
    assert not _planted(after), "a date was taken from a deleted_at or created_at field"
    assert _high_roles(after) == _high_roles(before), "someone became a leader"


def test_the_forms_are_found_on_the_pages(app, new_client, site):
    """The fuzzing is only as good as the fields it knows: every role's POST routes that are forms
    on its pages are found, with their fields."""
    for role in (PARTICIPANT, COACH, LEADER):
        client = signed_in_client(new_client, site, role)
        specs = forms_by_endpoint(app, pages(app, client, site, role))
        with_fields = [e for e, spec in specs.items() if spec.fields]
        assert len(with_fields) >= 5, f"{role}: only {sorted(with_fields)}"


def test_the_outbox_survives_hostile_json(app, client, world, read):
    """The phone's outbox sends log entries as JSON (activities.outbox_send): the person's own
    outbox key with every field wrong in type, size or content."""
    from hypothesis import strategies as st

    from tests.fuzzing import JSON_SCALARS, hostile_text
    from webapp.extensions import db
    from webapp.models import User
    from webapp.pwa.outbox import outbox_key

    key = read(lambda: outbox_key(db.session.get(User, world.p.user_id)))
    client.sign_in(world.p.login)
    token = client.csrf_token()
    names = ["client_id", "occurred_on", "kind", "minutes", "feeling", "note", "step"]
    values = st.one_of(JSON_SCALARS, hostile_text().filter(lambda v: isinstance(v, str)),
                       st.lists(JSON_SCALARS, max_size=3), st.dictionaries(st.text(max_size=5), JSON_SCALARS, max_size=2))
    entries = st.fixed_dictionaries({"owner": st.just(key), "fields": st.dictionaries(st.sampled_from(names), values)})

    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES * 10)
    @given(entries)
    def check(entry):
        import json

        body = json.dumps(entry, ensure_ascii=False).encode("utf-8", "surrogatepass")
        response = client.post("/log/outbox", data=body, content_type="application/json",
                               headers={"X-CSRFToken": token}, check=False)
        assert response.status_code in (200, 201, 400, 409, 422), (response.status_code, entry)
        assert response.mimetype == "application/json"

    check()
    assert not read(stored_problems)
