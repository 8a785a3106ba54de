"""Account services on their own: codes, names, sessions."""

from __future__ import annotations

import re

from tests import factories
from webapp.auth import services
from webapp.extensions import db
from webapp.models import User


def test_codes_are_normalised_from_what_people_type(app_context):
    assert services.normalise_code(" abcd-2345 ") == "ABCD2345"
    assert services.normalise_code("ABCD 2345") == "ABCD2345"
    assert services.normalise_code("ａｂｃｄ２３４５") == "ABCD2345"  # full-width, from some keyboards


def test_participant_sign_in_names_come_from_the_first_name(app_context):
    assert re.fullmatch(r"amina\d{4}", services.new_participant_login_name("Amina Hassan"))
    assert re.fullmatch(r"asa\d{4}", services.new_participant_login_name("Åsa Ek"))
    assert re.fullmatch(r"stegvis\d{4}", services.new_participant_login_name("أحمد"))


def test_authenticate_checks_the_password_and_is_case_insensitive_on_the_name(app_context, world):
    assert services.authenticate(world.coach.email.upper(), factories.PASSWORD).id == world.coach.id
    assert services.authenticate(world.coach.email, "wrong") is None
    assert services.authenticate("nobody@example.se", factories.PASSWORD) is None


def test_a_session_token_finds_its_user_until_it_is_ended(app_context, world):
    user = db.session.get(User, world.p.user_id)
    token = services.start_session(user)
    assert services.user_for_session(token).id == user.id
    services.end_session(token)
    assert services.user_for_session(token) is None
    assert services.user_for_session("made-up") is None
