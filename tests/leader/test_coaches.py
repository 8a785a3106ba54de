"""The leader adds coaches with a code, makes new codes, and stops and opens their accounts."""

from __future__ import annotations

import time

import pyotp
import pytest
from sqlalchemy import select

from tests import factories
from tests.html import parse
from webapp.extensions import db
from webapp.models import ActivationCode, AuthSession, Project, ProjectStaff, Role, User


def _coaches_url(world) -> str:
    return f"/project/{world.project.public_id}/coaches"


def _add(leader, world, **data):
    return leader.post_form(f"{_coaches_url(world)}/new", {"name": "Nina Berg", "email": "nina.berg@pitea.example", **data})


def _code_on(page_html: str) -> str | None:
    code = parse(page_html).select_one(".code")
    return code.get_text(strip=True) if code else None


def test_the_list_shows_the_projects_coaches_with_email_and_participant_count(leader, world):
    page = parse(leader.get(_coaches_url(world)).get_data(as_text=True))
    row = page.find(id=f"coach-{world.coach.id}")
    assert world.coach.name in row.get_text() and world.coach.email in row.get_text()
    assert [dd.get_text(strip=True) for dd in row.find_all("dd")] == [world.coach.email, "2"]
    assert page.find(id=f"coach-{world.other_coach.id}").find_all("dd")[1].get_text(strip=True) == "0"
    assert page.find(id=f"coach-{world.coach_b.id}") is None, "a coach of another project"
    assert page.find(id=f"coach-{world.leader.id}") is None, "the leader is not a coach"


def test_each_coachs_buttons_start_with_what_they_show_and_name_the_coach(leader, world):
    """WCAG 2.5.3: a speech user says what the button shows ("Close the account"); the screen reader
    hears whose account. The name used to say "Stop the account", which the button did not show."""
    row = parse(leader.get(_coaches_url(world)).get_data(as_text=True)).find(id=f"coach-{world.coach.id}")
    names = [" ".join(button.get_text().split()) for button in row.select("button")]
    assert names == [f"Make a new code: {world.coach.name}", f"Close the account: {world.coach.name}"]
    assert not row.select("button[aria-label]")


def test_a_new_coach_gets_an_account_without_password_in_the_project(leader, world, read):
    response = _add(leader, world, email="  Nina.Berg@Pitea.Example ")
    assert response.status_code == 303
    coach = read(lambda: db.session.scalar(select(User).where(User.name == "Nina Berg")))
    assert response.headers["Location"] == f"{_coaches_url(world)}/{coach.id}/code"
    assert (coach.role, coach.login_name, coach.password_hash, coach.is_active) == (
        Role.COACH, "nina.berg@pitea.example", None, True)
    project = read(lambda: db.session.get(Project, world.project.id))
    assert coach.organisation_id == project.organisation_id
    staff = read(lambda: list(db.session.scalars(select(ProjectStaff.project_id).where(ProjectStaff.user_id == coach.id))))
    assert staff == [world.project.id]


def test_the_code_is_shown_once_with_a_link_and_a_qr_code(leader, world):
    url = _add(leader, world).headers["Location"]
    page = parse(leader.get(url).get_data(as_text=True))
    code = page.select_one(".code").get_text(strip=True)
    assert page.select_one(".login-email").get_text(strip=True) == "nina.berg@pitea.example"
    assert page.select_one(".link a")["href"].endswith(f"/activate?code={code.replace('-', '')}")
    assert page.select_one("svg.qr") is not None
    assert _code_on(leader.get(url).get_data(as_text=True)) is None, "shown only once"


def test_the_new_coach_activates_the_account_and_signs_in_with_the_email(leader, world, new_client):
    code = _code_on(leader.get(_add(leader, world).headers["Location"]).get_data(as_text=True))
    phone = new_client()
    page = phone.get(f"/activate?code={code.replace('-', '')}")
    assert page.status_code == 200 and 'name="password_again"' in page.get_data(as_text=True)
    password = "ett långt lösenord för nina"
    response = phone.post_form("/activate", {"stage": "password", "code": code, "password": password,
                                             "password_again": password})
    # Staff then set up their authenticator app (the second factor) before they get in.
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in/set-up"
    setup = phone.get("/sign-in/set-up").get_data(as_text=True)
    app = pyotp.TOTP(setup.split('<code class="secret-key"><bdi>')[1].split("<")[0].replace(" ", ""))
    assert phone.post_form("/sign-in/set-up", {"code": app.now()}).headers["Location"] == "/coach"
    phone.sign_out()
    signed = phone.post_form("/sign-in", {"login_name": "Nina.Berg@pitea.example", "password": password})
    assert signed.headers["Location"] == "/sign-in/code"
    next_code = app.at(int(time.time()) + 30)  # the code just used works only once
    assert phone.post_form("/sign-in/code", {"code": next_code}).headers["Location"] == "/coach"
    assert phone.get("/coach").status_code == 200


def test_a_new_code_replaces_the_old_one(leader, world, read):
    first = _code_on(leader.get(_add(leader, world).headers["Location"]).get_data(as_text=True))
    coach_id = read(lambda: db.session.scalar(select(User.id).where(User.name == "Nina Berg")))
    response = leader.post_form(f"{_coaches_url(world)}/{coach_id}/code")
    assert response.status_code == 303
    second = _code_on(leader.get(response.headers["Location"]).get_data(as_text=True))
    assert second and second != first
    codes = read(lambda: list(db.session.scalars(select(ActivationCode).where(ActivationCode.user_id == coach_id))))
    assert len(codes) == 2 and sum(1 for c in codes if c.used_at is None) == 1


def test_a_code_shown_for_one_coach_is_not_shown_on_another_coachs_page(leader, world):
    _add(leader, world)
    assert _code_on(leader.get(f"{_coaches_url(world)}/{world.coach.id}/code").get_data(as_text=True)) is None


@pytest.mark.parametrize(("change", "field"), [
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "n" * 101}, "name"),
    ({"email": ""}, "email"),
    ({"email": "nina.berg"}, "email"),
    ({"email": "nina @pitea.example"}, "email"),
    ({"email": "n" * 250 + "@x.se"}, "email"),
])
def test_bad_coach_input_is_refused_next_to_the_field_and_nothing_is_created(leader, world, read, change, field):
    data = {"name": "Nina Berg", "email": "nina.berg@pitea.example", **change}
    response = leader.post_form(f"{_coaches_url(world)}/new", data)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert page.find(id=f"{field}-error") is not None
    assert page.title.get_text().startswith("Error:") or page.title.get_text().startswith("Fel:")
    kept = "email" if field == "name" else "name"
    assert page.find(id=kept)["value"] == data[kept]
    assert read(lambda: db.session.scalar(select(User.id).where(User.role == Role.COACH).where(
        User.name.in_(["Nina Berg", data["name"]])))) is None


def test_an_email_that_already_signs_in_is_refused_with_a_clear_message(leader, world, read):
    before = read(lambda: db.session.scalar(select(db.func.count()).select_from(User)))
    response = _add(leader, world, email=world.coach.email.upper())
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert "already signs in with this email" in page.find(id="email-error").get_text()
    assert page.find(id="email")["value"] == world.coach.email.upper()
    assert read(lambda: db.session.scalar(select(db.func.count()).select_from(User))) == before


def test_stopping_an_account_signs_the_coach_out_at_once_and_keeps_them_out(leader, world, signed_in, read):
    coach = signed_in(world.coach.email)
    assert coach.get("/coach").status_code == 200
    response = leader.post_form(f"{_coaches_url(world)}/{world.coach.id}/deactivate")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{_coaches_url(world)}#coach-{world.coach.id}"
    after = coach.get("/coach")
    assert after.status_code == 302 and "/sign-in" in after.headers["Location"]
    assert coach.post_form("/sign-in", {"login_name": world.coach.email, "password": factories.PASSWORD}).status_code == 422
    open_sessions = read(lambda: db.session.scalars(
        select(AuthSession).where(AuthSession.user_id == world.coach.id, AuthSession.ended_at.is_(None))).all())
    assert open_sessions == []
    page = parse(leader.get(_coaches_url(world)).get_data(as_text=True))
    assert page.find(id=f"coach-{world.coach.id}").select_one(".tag") is not None


def test_an_account_opened_again_can_sign_in(leader, world, signed_in):
    leader.post_form(f"{_coaches_url(world)}/{world.coach.id}/deactivate")
    assert leader.post_form(f"{_coaches_url(world)}/{world.coach.id}/reactivate").status_code == 303
    assert signed_in(world.coach.email).get("/coach").status_code == 200


def test_a_stopped_coach_cannot_use_an_activation_code(leader, world, new_client):
    code_page = _add(leader, world).headers["Location"]
    code = _code_on(leader.get(code_page).get_data(as_text=True))
    assert leader.post_form(code_page.removesuffix("/code") + "/deactivate").status_code == 303
    assert new_client().get(f"/activate?code={code.replace('-', '')}").status_code == 422
