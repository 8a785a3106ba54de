"""Who has looked at my information: every request by someone else that opens a participant's
data writes exactly one entry, and the participant can read the list."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.access_matrix import MATRIX, _args, _url
from tests.html import parse
from webapp.extensions import db
from webapp.models import AccessLog, Role

ROLE_LOGIN = {"coach": lambda w: w.coach.email, "leader": lambda w: w.leader.email}


def _entries(read, world):
    return read(lambda: db.session.scalar(
        select(func.count()).select_from(AccessLog).where(AccessLog.participation_id == world.p.participation_id)))


def _routes_with_participant_data(app):
    for rule in app.url_map.iter_rules():
        if "participation_id" in rule.arguments:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_there_are_routes_to_check(app):
    assert len(list(_routes_with_participant_data(app))) >= 10


def test_every_route_that_opens_a_participants_data_writes_exactly_one_entry(app, new_client, world, objects, read):
    checked, clients = [], {}
    for rule, method in _routes_with_participant_data(app):
        role = MATRIX[rule.endpoint]
        if role not in clients:  # one sign-in per role: staff's codes work once each
            clients[role] = new_client()
            clients[role].sign_in(ROLE_LOGIN[role](world))
        client = clients[role]
        url = _url(app, rule, _args(rule.endpoint, set(rule.arguments), objects, world))
        before = _entries(read, world)
        response = client.post_form(url, {}) if method == "POST" else client.get(url)
        assert response.status_code < 500, f"{method} {url}"
        assert _entries(read, world) == before + 1, f"{method} {url} wrote {_entries(read, world) - before} entries"
        checked.append(rule.endpoint)
    newest = read(lambda: db.session.scalar(select(AccessLog).order_by(AccessLog.id.desc()).limit(1)))
    assert newest.action == checked[-1]


def test_the_participants_own_pages_write_nothing(client, world, read):
    client.sign_in(world.p.login)
    for url in ("/home", "/plan", "/log", "/messages", "/who-has-looked"):
        client.get(url)
    assert _entries(read, world) == 0


def test_a_refused_look_writes_nothing(client, world, read):
    client.sign_in(world.coach_b.email)
    assert client.get(f"/coach/participants/{world.p.participation_id}").status_code == 404
    assert _entries(read, world) == 0


def test_the_entry_says_who_their_role_whose_data_what_and_when(client, world, read):
    client.sign_in(world.coach.email)
    client.get(f"/coach/participants/{world.p.participation_id}")
    entry = read(lambda: db.session.scalar(select(AccessLog)))
    assert (entry.actor_id, entry.actor_role.value, entry.participation_id, entry.action) == (
        world.coach.id, "coach", world.p.participation_id, "coach.participant")
    assert entry.at.utcoffset().total_seconds() == 0


@pytest.mark.parametrize("lang,words", [("en", "looked at your plan, your log and your messages"),
                                         ("sv", None)])
def test_the_participant_reads_the_list_in_plain_words(client, new_client, world, lang, words):
    coach = new_client()
    coach.sign_in(world.coach.email)
    coach.get(f"/coach/participants/{world.p.participation_id}")
    client.sign_in(world.p.login)
    client.post_form("/language", {"lang": lang, "next": "/who-has-looked"})
    page = parse(client.get("/who-has-looked").get_data(as_text=True))
    item = page.select_one(".access-list li").get_text(" ", strip=True)
    assert world.coach.name in item
    if words:
        assert words in item.lower()
    assert page.select_one(".access-list time") is not None


def test_a_visit_reads_as_one_item_with_each_thing_once_and_from_when_to_when(client, world, build):
    """A coach's quarter of an hour is many requests; the participant reads them as one visit: who,
    14:02–14:15, and each thing looked at once. Someone else in between, or half an hour without a
    look, starts another visit."""
    start = dt.datetime(2026, 11, 23, 13, 2, tzinfo=dt.UTC)  # Monday 14:02 in Sweden

    def look(minutes, action, who=world.coach, role=Role.COACH):
        db.session.add(AccessLog(actor_id=who.id, actor_role=role, participation_id=world.p.participation_id,
                                 action=action, at=start + dt.timedelta(minutes=minutes)))

    for minutes, action in ((0, "coach.participant"), (3, "coach.thread"), (7, "coach.write_comment"),
                            (10, "coach.thread"), (13, "coach.participant")):
        build(look, minutes, action)
    build(look, 118, "leader.move", world.leader, Role.LEADER)
    build(look, 138, "coach.participant")
    build(look, 180, "coach.thread")  # 42 minutes after the last look: another visit
    client.sign_in(world.p.login)
    client.post_form("/language", {"lang": "en", "next": "/who-has-looked"})
    page = parse(client.get("/who-has-looked").get_data(as_text=True))
    items = [" ".join(" ".join(line.get_text().split()) for line in item.select("p")) for item in page.select(".access-list li")]
    assert items == [
        f"{world.coach.name} (coach) Looked at your messages. Mon 23 Nov 2026, 17:02",
        f"{world.coach.name} (coach) Looked at your plan, your log and your messages. Mon 23 Nov 2026, 16:20",
        f"{world.leader.name} (project leader) Looked at who your coach is. Mon 23 Nov 2026, 16:00",
        f"{world.coach.name} (coach) Looked at your plan, your log and your messages. Looked at your messages."
        " Looked at your messages, and wrote to you. Mon 23 Nov 2026, 14:02–14:15",
    ]
