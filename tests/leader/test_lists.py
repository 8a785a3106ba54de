"""The project's lists: "who helps" and municipalities. Add, rename, hide and show again."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.html import parse
from webapp.extensions import db
from webapp.models import Helper, Municipality

KINDS = [("helpers", Helper), ("municipalities", Municipality)]


def _url(world, path: str) -> str:
    return f"/project/{world.project.public_id}/{path}"


def _item(read, world, model, entry_id: int) -> str:
    """An entry's address: its public id, not its row number."""
    path = "helpers" if model is Helper else "municipalities"
    return f"{_url(world, path)}/{read(lambda: db.session.get(model, entry_id).public_id)}"


def _names(read, model, world, active_only=False):
    query = select(model.name).where(model.project_id == world.project.id)
    if active_only:
        query = query.where(model.is_active.is_(True))
    return set(read(lambda: db.session.scalars(query).all()))


def _offered(client, url: str, select_id: str) -> list[str]:
    page = parse(client.get(url).get_data(as_text=True))
    return [option.get_text(strip=True) for option in page.find(id=select_id).find_all("option")]


def _entry_id(read, model, name: str) -> int:
    return read(lambda: db.session.scalar(select(model.id).where(model.name == name)))


@pytest.mark.parametrize(("path", "model"), KINDS)
def test_the_list_shows_the_projects_entries_only(leader, build, world, path, model):
    build(factories.project, "Annat projekt")
    page = parse(leader.get(_url(world, path)).get_data(as_text=True))
    rows = page.select("li[id^=entry-]")
    expected = 9 if model is Helper else 2  # the standard helpers with "other"; Piteå and Arvidsjaur
    assert len(rows) == expected


@pytest.mark.parametrize(("path", "model"), KINDS)
def test_an_added_entry_is_on_the_list(leader, world, read, path, model):
    response = leader.post_form(_url(world, path), {"name": "  Region Norrbotten "})
    assert response.status_code == 303
    entry_id = _entry_id(read, model, "Region Norrbotten")
    assert response.headers["Location"] == f"{_url(world, path)}#entry-{entry_id}"
    assert "Region Norrbotten" in _names(read, model, world, active_only=True)


def test_a_new_helper_is_offered_to_participants_before_other(leader, world, signed_in):
    participant = signed_in(world.p.login)
    leader.post_form(_url(world, "helpers"), {"name": "Region Norrbotten"})
    offered = _offered(participant, "/plan/steps/new", "helper")
    assert offered[-2] == "Region Norrbotten" and offered[-1].startswith("Annan")


@pytest.mark.parametrize(("path", "model"), KINDS)
def test_an_entry_is_renamed(leader, world, read, path, model):
    entry_id = world.project.helper_id if model is Helper else world.project.municipality_id
    url = f"{_item(read, world, model, entry_id)}/edit"
    page = parse(leader.get(url).get_data(as_text=True))
    assert page.find(id="name")["value"] in ("Arbetsförmedlingen", "Piteå")
    response = leader.post_form(url, {"name": "Nytt namn"})
    assert response.status_code == 303
    assert read(lambda: db.session.get(model, entry_id).name) == "Nytt namn"


def test_the_other_helper_can_be_renamed_but_not_hidden(leader, world, read):
    other = world.project.other_helper_id
    assert leader.post_form(f"{_item(read, world, Helper, other)}/edit", {"name": "Någon annan"}).status_code == 303
    page = parse(leader.get(_url(world, "helpers")).get_data(as_text=True))
    assert page.find(id=f"entry-{other}").find("button") is None, "no Hide button"
    response = leader.post_form(f"{_item(read, world, Helper, other)}/hide")
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert "Någon annan cannot be hidden" in page.select_one(".error-summary").get_text()
    assert page.title.get_text().startswith(("Fel:", "Error:"))
    assert read(lambda: db.session.get(Helper, other).is_active) is True


@pytest.mark.parametrize(("path", "model", "taken"), [
    ("helpers", Helper, "arbetsförmedlingen"), ("municipalities", Municipality, "PITEÅ"),
])
@pytest.mark.parametrize(("name", "message"), [
    ("", "Write a name."),
    ("   ", "Write a name."),
    ("x" * 101, "at most 100"),
    ("{taken}", "already has this name"),
])
def test_bad_names_are_refused_next_to_the_field_and_nothing_is_added(
    leader, world, read, path, model, taken, name, message
):
    name = name.replace("{taken}", taken)
    before = _names(read, model, world)
    response = leader.post_form(_url(world, path), {"name": name})
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert message in page.find(id="name-error").get_text()
    assert page.find(id="name").get("value", "") == name.strip(), "what was typed stays"
    assert _names(read, model, world) == before


@pytest.mark.parametrize(("path", "model"), KINDS)
def test_a_rename_to_another_entrys_name_is_refused_and_to_its_own_is_fine(leader, build, world, read, path, model):
    first = leader.post_form(_url(world, path), {"name": "Ett"}).status_code
    second = leader.post_form(_url(world, path), {"name": "Två"}).status_code
    assert (first, second) == (303, 303)
    two = _entry_id(read, model, "Två")
    url = f"{_item(read, world, model, two)}/edit"
    response = leader.post_form(url, {"name": "ETT"})
    assert response.status_code == 422
    assert parse(response.get_data(as_text=True)).find(id="name")["value"] == "ETT"
    assert read(lambda: db.session.get(model, two).name) == "Två"
    assert leader.post_form(url, {"name": "två"}).status_code == 303, "only the letter case changes"


def test_hidden_names_still_count_as_taken(leader, world, read):
    leader.post_form(f"{_item(read, world, Helper, world.project.helper_id)}/hide")
    response = leader.post_form(_url(world, "helpers"), {"name": "Arbetsförmedlingen"})
    assert response.status_code == 422


def test_a_hidden_helper_is_not_offered_for_new_steps_but_stays_on_old_ones(leader, build, world, read, signed_in):
    participant = signed_in(world.p.login)
    helper = world.project.helper_id
    step = build(factories.step, world.p, None, helper_id=helper)
    assert leader.post_form(f"{_item(read, world, Helper, helper)}/hide").status_code == 303
    assert read(lambda: db.session.get(Helper, helper).is_active) is False
    assert "Arbetsförmedlingen" not in _offered(participant, "/plan/steps/new", "helper")
    edit = _offered(participant, f"/plan/steps/{step}/edit", f"edit-step-{step.hex[:8]}-helper")
    assert "Arbetsförmedlingen" in edit, "the step that uses it keeps it"
    page = parse(leader.get(_url(world, "helpers")).get_data(as_text=True))
    assert page.find(id=f"entry-{helper}").select_one(".tag") is not None, "marked hidden"
    assert leader.post_form(f"{_item(read, world, Helper, helper)}/show").status_code == 303
    assert "Arbetsförmedlingen" in _offered(participant, "/plan/steps/new", "helper")


def test_a_hidden_municipality_is_not_offered_for_new_participants(leader, world, read, signed_in):
    coach = signed_in(world.coach.email)
    municipality = world.project.municipality_id  # Piteå, where P and Q live
    assert leader.post_form(f"{_item(read, world, Municipality, municipality)}/hide").status_code == 303
    assert "Piteå" not in _offered(coach, "/coach/participants/new", "municipality")
    assert "Piteå" in coach.get(f"/coach/participants/{world.p.participation_id}").get_data(as_text=True)
    assert leader.post_form(f"{_item(read, world, Municipality, municipality)}/show").status_code == 303
    assert "Piteå" in _offered(coach, "/coach/participants/new", "municipality")


@pytest.mark.parametrize(("path", "action"), [
    ("helpers", "edit"), ("helpers", "hide"), ("helpers", "show"),
    ("municipalities", "edit"), ("municipalities", "hide"), ("municipalities", "show"),
])
def test_an_entry_of_another_project_answers_404(leader, build, world, read, path, action):
    other = build(factories.project, "Annat projekt")
    entry_id = other.helper_id if path == "helpers" else other.municipality_id
    model = Helper if path == "helpers" else Municipality
    url = f"{_item(read, world, model, entry_id)}/{action}"  # the other project's entry, under ours
    if action == "edit":
        assert leader.get(url).status_code == 404
    response = leader.post_form(url, {"name": "Kapad"})
    assert response.status_code == 404
    entry = read(lambda: db.session.get(model, entry_id))
    assert (entry.name != "Kapad", entry.is_active) == (True, True)
