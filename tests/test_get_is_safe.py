"""CSRF-02: GET never changes state. As every role, every GET route (the every-page walker,
tests/every_page.py), as a page and as an htmx fragment; after each one every row of every table is
compared with the rows before it.

Allowed to change: the logs of who looked (a table named access_log, *audit* or *security_event*),
and only by new rows; and the session's last-seen time (the idle timeout needs it). Anything else
is a change made by a link, a prefetch or an image tag, which SameSite cookies and CSRF tokens
do not stop.
"""

from __future__ import annotations

import pytest

from tests.access_matrix import COACH, LEADER, PARTICIPANT
from tests.every_page import signed_in_client, urls_for
from tests.fuzzing import rows

LOG_TABLES = ("access_log", "audit", "security_event")
IGNORED = {"auth_sessions": {"last_seen_at"}}


def _is_log(table: str) -> bool:
    return any(name in table for name in LOG_TABLES)


def differences(before: dict, after: dict) -> list[str]:
    """What changed between two snapshots of every table (tests/fuzzing.py `rows`), apart from
    what may change on a GET."""
    found = []
    for table in sorted(before.keys() | after.keys()):
        old, new = before.get(table, {}), after.get(table, {})
        if _is_log(table):
            gone = [key for key, row in old.items() if new.get(key) != row]
            if gone:
                found.append(f"{table}: log rows changed or removed {gone[:3]}")
            continue
        ignored = IGNORED.get(table, set())
        added = new.keys() - old.keys()
        removed = old.keys() - new.keys()
        changed = {
            key: sorted(c for c in old[key] if c not in ignored and old[key][c] != new[key][c])
            for key in old.keys() & new.keys()
        }
        changed = {key: columns for key, columns in changed.items() if columns}
        if added or removed or changed:
            found.append(f"{table}: {len(added)} added, {len(removed)} removed, changed {dict(list(changed.items())[:3])}")
    return found


def test_differences_sees_a_change_and_allows_a_log_entry():
    before = {"goals": {(1,): {"id": 1, "text": "a"}}, "access_log": {(1,): {"id": 1}},
              "auth_sessions": {("t",): {"token": "t", "last_seen_at": 1}}}
    assert differences(before, before) == []
    grown = {**before, "access_log": {(1,): {"id": 1}, (2,): {"id": 2}},
             "auth_sessions": {("t",): {"token": "t", "last_seen_at": 2}}}
    assert differences(before, grown) == []
    assert differences(before, {**before, "goals": {(1,): {"id": 1, "text": "b"}}})
    assert differences(before, {**before, "goals": {}})
    assert differences(before, {**before, "access_log": {}}), "a log is only added to"


@pytest.mark.parametrize("role", [None, PARTICIPANT, COACH, LEADER], ids=["anonymous", PARTICIPANT, COACH, LEADER])
def test_no_get_changes_anything(app, new_client, site, read, role):
    client = signed_in_client(new_client, site, role)
    urls = urls_for(app, site, role)  # first: building a URL may make test data (tests/access_matrix.py)
    before = read(rows)
    problems, checked = [], 0
    for endpoint, url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers, check=False)
            response.close()
            after = read(rows)
            problems += [f"GET {url} ({endpoint}{', htmx' if headers else ''}): {d}" for d in differences(before, after)]
            before, checked = after, checked + 1
    assert checked >= 10
    assert not problems, "\n".join(problems)
