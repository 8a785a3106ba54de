"""The leader moves participants between coaches and lets a colleague cover during an absence."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from tests import factories
from tests.html import parse
from tests.leader.support import share
from webapp import clock
from webapp.extensions import db
from webapp.models import AccessLog, CaseloadShare, EndReason, Outcome, Participation, Role, User


def _participants_url(world) -> str:
    return f"/project/{world.project.public_id}/participants"


def _move(leader, world, person, coach_id):
    return leader.post_form(
        f"{_participants_url(world)}/{person.participation_id}/coach",
        {f"move-{person.participation_id.hex}-coach": str(coach_id)},
    )


def _coach_of(read, person):
    return read(lambda: db.session.get(Participation, person.participation_id).coach_id)


def _log(read, person):
    return read(lambda: list(db.session.scalars(
        select(AccessLog).where(AccessLog.participation_id == person.participation_id))))


def _open(client, person):
    return client.get(f"/coach/participants/{person.participation_id}")


def _end(person):
    participation = db.session.get(Participation, person.participation_id)
    participation.ended_on = clock.today()
    participation.end_reason = EndReason.COMPLETED
    participation.exit_outcome = Outcome.STUDIES


# --- moving a participant -----------------------------------------------------------------


def test_the_list_shows_the_projects_participants_with_municipality_and_coach(leader, build, world, read):
    build(_end, world.q)
    page = parse(leader.get(_participants_url(world)).get_data(as_text=True))
    p = page.find(id=f"participation-{world.p.participation_id}")
    assert "Amina Hassan" in p.get_text() and "Piteå" in p.get_text() and world.coach.name in p.get_text()
    born = read(lambda: db.session.get(Participation, world.p.participation_id).birth_year)
    assert str(born) in p.select_one(".facts").get_text(), "two people of the same name can be told apart"
    assert p.select_one(".tag") is None
    assert page.find(id=f"participation-{world.q.participation_id}").select_one(".tag") is not None, "ended"
    assert "Sara Nilsson" not in page.get_text(), "a participant of another project"
    options = [o["value"] for o in p.find("select").find_all("option")]
    assert set(options) == {"", str(world.coach.id), str(world.other_coach.id)}


def test_the_list_writes_no_access_log(leader, world, read):
    leader.get(_participants_url(world))
    assert read(lambda: db.session.scalars(select(AccessLog)).all()) == []


def test_a_moved_participant_belongs_to_the_new_coach_only(leader, world, read, signed_in):
    old, new = signed_in(world.coach.email), signed_in(world.other_coach.email)
    assert _open(new, world.p).status_code == 404
    response = _move(leader, world, world.p, world.other_coach.id)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{_participants_url(world)}#participation-{world.p.participation_id}"
    assert _coach_of(read, world.p) == world.other_coach.id
    assert _coach_of(read, world.q) == world.coach.id, "only the one participant moves"
    assert _open(old, world.p).status_code == 404
    assert "Amina Hassan" not in old.get("/coach").get_data(as_text=True)
    assert "Amina Hassan" in new.get("/coach").get_data(as_text=True)
    assert _open(new, world.p).status_code == 200


def test_a_move_to_the_coach_they_already_have_says_so_and_changes_nothing(leader, world, read):
    leader.set_cookie("lang", "en")
    response = _move(leader, world, world.p, world.coach.id)
    assert response.status_code == 303
    page = leader.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{world.coach.name} is already the coach of Amina Hassan. Nothing was changed." in page
    assert "is now the coach of" not in page
    assert _coach_of(read, world.p) == world.coach.id


def test_each_move_writes_one_access_log_entry_for_the_leader(leader, world, read):
    _move(leader, world, world.p, world.other_coach.id)
    [entry] = _log(read, world.p)
    assert (entry.actor_id, entry.actor_role, entry.action) == (world.leader.id, Role.LEADER, "leader.move_participant")
    assert _log(read, world.q) == []


def _inactive(build, world):
    """The other coach's account is stopped."""
    build(lambda: setattr(db.session.get(User, world.other_coach.id), "is_active", False))


@pytest.mark.parametrize("target", ["nobody", "bogus id", "not an id", "coach of another project", "inactive coach",
                                    "the leader", "a participant"])
def test_a_move_to_anyone_but_an_active_coach_of_the_project_is_refused(leader, build, world, read, target):
    if target == "inactive coach":
        _inactive(build, world)
    coach_id = {
        "nobody": "", "bogus id": uuid.uuid4(), "not an id": "maria", "coach of another project": world.coach_b.id,
        "inactive coach": world.other_coach.id, "the leader": world.leader.id, "a participant": world.q.user_id,
    }[target]
    response = _move(leader, world, world.p, coach_id)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    field_id = f"move-{world.p.participation_id.hex}-coach"
    assert page.find(id=f"{field_id}-error") is not None
    assert page.select_one(".error-summary a")["href"] == f"#{field_id}"
    assert world.p.name in page.select_one(".error-summary a").get_text()  # one form per participant: whose?
    assert page.title.get_text().startswith(("Fel:", "Error:"))
    assert _coach_of(read, world.p) == world.coach.id
    assert len(_log(read, world.p)) == 1, "the refused move still opened the participant"


def test_a_participant_of_another_project_cannot_be_moved_from_this_project(leader, world, read):
    response = leader.post_form(
        f"{_participants_url(world)}/{world.r.participation_id}/coach",
        {f"move-{world.r.participation_id.hex}-coach": str(world.coach.id)},
    )
    assert response.status_code == 404
    assert _coach_of(read, world.r) == world.coach_b.id
    assert _log(read, world.r) == []


def test_an_inactive_coach_is_not_offered_but_shown_on_their_participants(leader, build, world):
    _inactive(build, world)
    build(lambda: setattr(db.session.get(Participation, world.q.participation_id), "coach_id", world.other_coach.id))
    page = parse(leader.get(_participants_url(world)).get_data(as_text=True))
    row = page.find(id=f"participation-{world.q.participation_id}")
    assert world.other_coach.name in row.select_one("dl").get_text()
    assert str(world.other_coach.id) not in [o["value"] for o in row.find_all("option")]


# --- cover during an absence --------------------------------------------------------------


def _shares_url(world) -> str:
    return f"/project/{world.project.public_id}/shares"


def _start(leader, world, **data):
    return leader.post_form(_shares_url(world), {
        "owner": str(world.coach.id), "colleague": str(world.other_coach.id), "until": "", **data,
    })


def _shares(read):
    return read(lambda: list(db.session.scalars(select(CaseloadShare))))


def test_a_colleague_covers_while_shared_and_not_after_the_share_ends(leader, world, read, signed_in):
    colleague = signed_in(world.other_coach.email)
    assert _open(colleague, world.p).status_code == 404
    response = _start(leader, world)
    assert response.status_code == 303
    [item] = _shares(read)
    assert (item.owner_id, item.colleague_id, item.until, item.created_by_id) == (
        world.coach.id, world.other_coach.id, None, world.leader.id)
    assert _open(colleague, world.p).status_code == 200
    page = parse(leader.get(_shares_url(world)).get_data(as_text=True))
    assert page.find(id=f"share-{item.id}") is not None
    assert leader.post_form(f"{_shares_url(world)}/end", {"share": str(item.id)}).status_code == 303
    assert _shares(read)[0].ended_at is not None
    assert _open(colleague, world.p).status_code == 404
    assert parse(leader.get(_shares_url(world)).get_data(as_text=True)).find(id=f"share-{item.id}") is None


def test_a_share_lasts_to_the_end_of_its_until_day(leader, world, read, signed_in, monkeypatch):
    today = clock.today()
    last_day = today + dt.timedelta(days=3)
    assert _start(leader, world, until=last_day.isoformat()).status_code == 303
    colleague = signed_in(world.other_coach.email)
    monkeypatch.setattr("webapp.clock.today", lambda: last_day)
    assert _open(colleague, world.p).status_code == 200
    monkeypatch.setattr("webapp.clock.today", lambda: last_day + dt.timedelta(days=1))
    assert _open(colleague, world.p).status_code == 404
    page = parse(leader.get(_shares_url(world)).get_data(as_text=True))
    assert page.select("li[id^=share-]") == [], "no longer listed"


def test_the_owner_keeps_their_participants_while_shared(leader, world, signed_in):
    _start(leader, world)
    assert _open(signed_in(world.coach.email), world.p).status_code == 200


@pytest.mark.parametrize(("change", "field"), [
    ({"owner": ""}, "owner"),
    ({"colleague": ""}, "colleague"),
    ({"owner": "x"}, "owner"),
    ({"colleague": "{random id}"}, "colleague"),
    ({"colleague": "{coach of another project}"}, "colleague"),
    ({"colleague": "{the coach who is away}"}, "colleague"),
    ({"colleague": "{inactive coach}"}, "colleague"),
    ({"until": "next week"}, "until"),
    ({"until": "{yesterday}"}, "until"),
    ({"until": "{in 400 days}"}, "until"),
])
def test_bad_share_input_is_refused_next_to_the_field_and_nothing_is_saved(leader, build, world, read, change, field):
    if "{inactive coach}" in change.values():
        _inactive(build, world)
    values = {
        "{random id}": str(uuid.uuid4()), "{coach of another project}": str(world.coach_b.id),
        "{the coach who is away}": str(world.coach.id), "{inactive coach}": str(world.other_coach.id),
        "{yesterday}": (clock.today() - dt.timedelta(days=1)).isoformat(),
        "{in 400 days}": (clock.today() + dt.timedelta(days=400)).isoformat(),
    }
    data = {key: values.get(value, value) for key, value in change.items()}
    response = _start(leader, world, **data)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert page.find(id=f"{field}-error") is not None
    assert page.title.get_text().startswith(("Fel:", "Error:"))
    if field == "until":
        assert page.find(id="until")["value"] == data["until"], "what was typed stays"
    assert _shares(read) == []


def test_the_same_cover_twice_is_refused(leader, world, read):
    _start(leader, world)
    response = _start(leader, world)
    assert response.status_code == 422
    assert "already covers" in parse(response.get_data(as_text=True)).find(id="colleague-error").get_text()
    assert len(_shares(read)) == 1


def test_a_cover_can_start_again_after_it_ended(leader, build, world, read):
    build(share, world, ended=True)
    assert _start(leader, world).status_code == 303
    assert len(_shares(read)) == 2


def test_ending_a_share_that_has_ended_changes_nothing(leader, build, world, read):
    item = build(share, world, ended=True)
    before = _shares(read)[0].ended_at
    response = leader.post_form(f"{_shares_url(world)}/end", {"share": str(item)})
    assert response.status_code == 303
    assert _shares(read)[0].ended_at == before


def test_a_share_of_another_project_cannot_be_ended_from_this_project(leader, build, world, read):
    coach = build(factories.staff, world.project_b, "coach")
    item = build(share, world, owner=world.coach_b, colleague=coach, project=world.project_b)
    response = leader.post_form(f"{_shares_url(world)}/end", {"share": str(item)})
    assert response.status_code == 303
    assert _shares(read)[0].ended_at is None


@pytest.mark.parametrize("value", [None, "", "abc"])
def test_ending_without_a_share_is_a_bad_request(leader, world, value):
    data = {} if value is None else {"share": value}
    assert leader.post_form(f"{_shares_url(world)}/end", data).status_code == 400
