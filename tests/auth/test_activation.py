"""A participant gets in with a one-time code from the coach and chooses a password."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests import factories
from webapp import clock
from webapp.extensions import db
from webapp.models import ActivationCode, User


def _new_participant(build, world):
    person = build(factories.participant, world.project, world.coach, name="Fatima Ali", activated=False)
    return person, build(factories.activation_code, person)


def _activate(client, code, password="min hemliga fras", again=None):
    page = client.post_form("/activate", {"code": code})
    assert page.status_code == 200, page.get_data(as_text=True)
    return client.post_form(
        "/activate", {"stage": "password", "code": code, "password": password, "password_again": again or password}
    )


def test_code_lets_the_participant_choose_a_password_and_signs_them_in(client, build, world):
    person, code = _new_participant(build, world)
    page = client.post_form("/activate", {"code": code.lower().replace("-", " ")})
    assert page.status_code == 200
    assert person.login in page.get_data(as_text=True), "the sign-in name is shown"
    response = client.post_form(
        "/activate", {"stage": "password", "code": code, "password": "min hemliga fras", "password_again": "min hemliga fras"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/home"
    assert "Fatima" in client.get("/home").get_data(as_text=True)
    client.sign_out()
    client.sign_in(person.login, "min hemliga fras")


def test_the_link_with_the_code_opens_the_password_form_directly(client, build, world):
    person, code = _new_participant(build, world)
    page = client.get(f"/activate?code={code.replace('-', '')}")
    assert page.status_code == 200
    assert 'name="password_again"' in page.get_data(as_text=True)


def test_a_code_works_only_once(client, new_client, build, world):
    person, code = _new_participant(build, world)
    assert _activate(client, code).status_code == 303
    second = new_client().post_form("/activate", {"code": code})
    assert second.status_code == 422
    assert 'id="code-error"' in second.get_data(as_text=True)


def test_an_expired_code_does_not_work(client, build, world, read):
    person, code = _new_participant(build, world)

    def age():
        row = db.session.scalar(select(ActivationCode))
        row.expires_at = clock.now() - dt.timedelta(minutes=1)

    build(age)
    assert client.post_form("/activate", {"code": code}).status_code == 422
    assert client.get(f"/activate?code={code}").status_code == 422


def test_codes_are_valid_for_fourteen_days_and_stored_only_as_a_hash(build, world, read):
    person, code = _new_participant(build, world)
    row = read(lambda: db.session.scalar(select(ActivationCode)))
    assert code.replace("-", "") not in row.code_hash
    assert len(row.code_hash) == 64
    lifetime = row.expires_at - row.created_at
    assert dt.timedelta(days=13, hours=23) < lifetime <= dt.timedelta(days=14)


def test_codes_are_short_and_easy_to_read_aloud(build, world):
    codes = [build(factories.activation_code, build(factories.participant, world.project, world.coach)) for _ in range(20)]
    for code in codes:
        assert len(code) == 9 and code[4] == "-"
        assert not set(code) & set("01ILO"), "no characters that look alike"
    assert len(set(codes)) == 20


def test_a_new_code_replaces_the_old_one(build, world, client):
    person, first = _new_participant(build, world)
    second = build(factories.activation_code, person)
    assert client.post_form("/activate", {"code": first}).status_code == 422
    assert client.post_form("/activate", {"code": second}).status_code == 200


def test_a_new_code_lets_a_participant_who_forgot_the_password_choose_a_new_one(client, new_client, build, world):
    phone = new_client()
    phone.sign_in(world.p.login)
    code = build(factories.activation_code, world.p)
    assert _activate(client, code, "ett helt nytt lösenord").status_code == 303
    assert phone.get("/home").status_code == 302, "old sessions end when the password is reset"
    client.sign_out()
    client.sign_in(world.p.login, "ett helt nytt lösenord")


def test_wrong_code_is_explained_next_to_the_field_and_kept(client):
    response = client.post_form("/activate", {"code": "ABCD-EFGH"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="code-error"' in page and 'value="ABCD-EFGH"' in page


def test_empty_code_is_refused(client):
    response = client.post_form("/activate", {"code": ""})
    assert response.status_code == 422


def test_short_or_different_passwords_are_refused_and_nothing_changes(client, build, world, read):
    person, code = _new_participant(build, world)
    short = _activate(client, code, "kort")
    assert short.status_code == 422 and 'id="password-error"' in short.get_data(as_text=True)
    different = _activate(client, code, "ett långt lösenord", again="ett annat lösenord")
    assert different.status_code == 422 and 'id="password_again-error"' in different.get_data(as_text=True)
    assert read(lambda: db.session.get(User, person.user_id).password_hash) is None
    assert _activate(client, code).status_code == 303, "the code still works after the mistakes"


def test_a_code_cannot_be_used_for_a_deactivated_account(client, build, world):
    person, code = _new_participant(build, world)
    build(lambda: setattr(db.session.get(User, person.user_id), "is_active", False))
    assert client.post_form("/activate", {"code": code}).status_code == 422


def test_the_password_form_refuses_a_code_that_was_swapped(client, build, world, read):
    person, code = _new_participant(build, world)
    response = client.post_form(
        "/activate", {"stage": "password", "code": "ZZZZ-ZZZZ", "password": "ett långt lösenord",
                      "password_again": "ett långt lösenord"}
    )
    assert response.status_code == 422
    assert read(lambda: db.session.get(User, person.user_id).password_hash) is None


def test_a_language_chosen_before_activation_becomes_the_accounts(client, new_client, build, world, read):
    """Fatima chooses Arabic on the code page; her next phone starts in Arabic too."""
    person, code = _new_participant(build, world)
    client.post_form("/language", {"lang": "ar", "next": f"/activate?code={code}"})
    assert _activate(client, code).status_code == 303
    assert read(lambda: db.session.get(User, person.user_id).locale) == "ar"
    other_phone = new_client()
    other_phone.sign_in(person.login, "min hemliga fras")
    assert 'lang="ar"' in other_phone.get("/home").get_data(as_text=True)


def test_activation_without_a_choice_saves_no_language(client, build, world, read):
    person, code = _new_participant(build, world)
    assert _activate(client, code).status_code == 303
    assert read(lambda: db.session.get(User, person.user_id).locale) is None
