"""Who has looked at my information: the access log of one participation, as visits a person can
read. A coach's minute of work is a dozen requests (the participant's page, the thread, a
comment …); listed one by one they drowned what the page is for. Rows by the same person less
than VISIT_GAP apart are one visit: who, from when to when, and what they looked at, each once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from webapp.audit import accesses
from webapp.labels import access_action
from webapp.models import AccessLog, Participation, Role, User

VISIT_GAP = dt.timedelta(minutes=30)
ROWS = 1000  # the newest rows read; about a month of a coach's work with one participant


@dataclass
class Visit:
    actor: User
    role: Role
    first: dt.datetime
    last: dt.datetime
    what: list[str] = field(default_factory=list)  # in words, each once, oldest first


def group_visits(rows: Iterable[AccessLog]) -> list[Visit]:
    """`rows` newest first; the visits newest first."""
    found: list[Visit] = []
    for row in rows:
        words = str(access_action(row.action))
        visit = found[-1] if found else None
        same_person = visit and visit.actor.id == row.actor_id and visit.role == row.actor_role
        if same_person and visit.first - row.at <= VISIT_GAP:
            visit.first = row.at
            if words in visit.what:
                visit.what.remove(words)  # looked at earlier too: in its place by the first look
            visit.what.insert(0, words)
        else:
            found.append(Visit(row.actor, row.actor_role, row.at, row.at, [words]))
    return found


def visits(participation: Participation) -> list[Visit]:
    return group_visits(accesses(participation, limit=ROWS))
