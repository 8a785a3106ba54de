"""A phone without passkeys: a device token (the phone has it) plus a PIN (the person knows it),
checked on the server, with a lock per account that only the coach opens (AUTH-06)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import factories
from webapp.extensions import db
from webapp.models import Device, User

PIN = "402719"
DEVICE_COOKIE = "stegvis-device"  # the test config's name; production's is __Host-stegvis-device


def _activate_with_pin(client, build, world, pin=PIN, again=None):
    person = build(factories.participant, world.project, world.coach, name="Fatima Ali", activated=False)
    code = build(factories.activation_code, person)
    assert client.post_form("/activate", {"code": code}).status_code == 200
    response = client.post_form("/activate", {"stage": "pin", "code": code, "pin": pin, "pin_again": again or pin})
    return person, response


def _pin_sign_in(client, pin):
    return client.post_form("/sign-in/pin", {"pin": pin})


def test_activation_with_a_pin_signs_in_and_this_phone_remembers_the_person(client, build, world, read, english):
    person, response = _activate_with_pin(client, build, world)
    assert response.status_code == 303 and response.headers["Location"] == "/home"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(DEVICE_COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    assert "Your PIN is saved" in client.get("/home").get_data(as_text=True)

    user = read(lambda: db.session.get(User, person.user_id))
    assert user.pin_hash.startswith("$argon2id$") and PIN not in user.pin_hash
    token = client.get_cookie(DEVICE_COOKIE).value
    assert len(token) >= 43  # 256 bits
    assert read(lambda: db.session.scalar(select(Device.token_hash))) != token, "only a hash is stored"

    client.sign_out()
    # The sign-in page now asks for the PIN on this phone.
    page = client.get("/sign-in")
    assert page.status_code == 302 and page.headers["Location"].startswith("/sign-in/pin")
    assert "Hello Fatima Ali!" in client.get("/sign-in/pin").get_data(as_text=True)
    assert _pin_sign_in(client, PIN).status_code == 303
    assert client.get("/home").status_code == 200


def test_a_pin_typed_in_arabic_or_persian_digits_is_the_same_pin(client, build, world, english):
    """Arabic and Dari phone keyboards type ٤٠٢٧١٩ or ۴۰۲۷۱۹: the same six digits as 402719."""
    _person, response = _activate_with_pin(client, build, world, pin="٤٠٢٧١٩", again="۴۰۲۷۱۹")
    assert response.status_code == 303
    client.sign_out()
    assert _pin_sign_in(client, PIN).status_code == 303


def test_a_pin_without_the_phones_token_gets_nobody_in(client, english, build, world):
    _activate_with_pin(client, build, world)
    other = english()
    page = other.get("/sign-in/pin")
    assert page.status_code == 303 and "/sign-in" in page.headers["Location"]
    assert _pin_sign_in(other, PIN).status_code == 303  # sent back to the sign-in page
    assert other.get("/home").status_code == 302


def test_easy_or_mistyped_pins_are_refused_with_a_message(client, build, world, english):
    for pin, again, message in [
        ("1234", "1234", "The PIN must be 6 digits"),
        ("111111", "111111", "too easy to guess"),
        ("123456", "123456", "too easy to guess"),
        ("402719", "402718", "The two PINs are not the same"),
    ]:
        person = build(factories.participant, world.project, world.coach, activated=False)
        code = build(factories.activation_code, person)
        client.post_form("/activate", {"code": code})
        response = client.post_form("/activate", {"stage": "pin", "code": code, "pin": pin, "pin_again": again})
        assert response.status_code == 422, pin
        body = response.get_data(as_text=True)
        assert message in body and 'id="pin-error"' in body or 'id="pin_again-error"' in body, pin


def test_wrong_pins_lock_the_account_until_the_coach_unlocks_it(client, english, build, world, read):
    person, _ = _activate_with_pin(client, build, world)
    client.sign_out()
    first = _pin_sign_in(client, "999999")
    assert first.status_code == 422 and "You can try 4 more times" in first.get_data(as_text=True)
    for _ in range(4):
        _pin_sign_in(client, "999999")
    locked = _pin_sign_in(client, PIN)
    assert locked.status_code == 422 and "Ask your coach to unlock it" in locked.get_data(as_text=True)
    assert client.get("/home").status_code == 302
    assert read(lambda: db.session.get(User, person.user_id).locked_at) is not None

    coach = english()
    coach.sign_in(world.coach.email)
    page = coach.get(f"/coach/participants/{person.participation_id}").get_data(as_text=True)
    assert "The sign-in is locked" in page
    assert coach.post_form(f"/coach/participants/{person.participation_id}/unlock").status_code == 303
    assert _pin_sign_in(client, PIN).status_code == 303


def test_the_failure_count_is_per_account_and_survives_a_new_phone_session(client, english, build, world, read):
    """The count is on the account, not in the browser: a new session does not reset it."""
    person, _ = _activate_with_pin(client, build, world)
    client.sign_out()
    for _ in range(3):
        _pin_sign_in(client, "999999")
    client.delete_cookie("stegvis")  # a new browser session on the same phone
    assert read(lambda: db.session.get(User, person.user_id).pin_failures) == 3
    assert "You can try 1 more time." in _pin_sign_in(client, "999999").get_data(as_text=True)


def test_another_coach_cannot_unlock(client, english, build, world):
    person, _ = _activate_with_pin(client, build, world)
    other = english()
    other.sign_in(world.coach_b.email)
    assert other.post_form(f"/coach/participants/{person.participation_id}/unlock").status_code == 404


def test_changing_the_pin_needs_the_old_one_and_signs_out_other_devices(client, english, build, world):
    person, _ = _activate_with_pin(client, build, world)
    elsewhere = english()
    elsewhere.sign_in(world.p.login)  # someone else's session stays untouched
    wrong = client.post_form("/account/pin", {"current-pin": "999999", "pin": "583920", "pin_again": "583920"})
    assert wrong.status_code == 422 and "That is not your PIN now" in wrong.get_data(as_text=True)
    changed = client.post_form("/account/pin", {"current-pin": PIN, "pin": "583920", "pin_again": "583920"})
    assert changed.status_code == 303
    client.sign_out()
    assert _pin_sign_in(client, PIN).status_code == 422
    assert _pin_sign_in(client, "583920").status_code == 303


def test_a_forgotten_phone_cannot_sign_in_with_the_pin(client, build, world, read, english):
    _activate_with_pin(client, build, world)
    device_id = read(lambda: db.session.scalar(select(Device.public_id)))
    assert "this phone" in client.get("/account/sign-in").get_data(as_text=True)
    assert client.post_form(f"/account/devices/{device_id}/forget").status_code == 303
    client.sign_out()
    assert client.get("/sign-in").status_code == 200  # the password form: the phone is forgotten
    assert _pin_sign_in(client, PIN).status_code == 303
    assert client.get("/home").status_code == 302


def test_nobody_forgets_another_persons_phone(client, english, build, world, read):
    _activate_with_pin(client, build, world)
    device_id = read(lambda: db.session.scalar(select(Device.public_id)))
    other = english()
    other.sign_in(world.q.login)
    assert other.post_form(f"/account/devices/{device_id}/forget").status_code == 404
    assert read(lambda: db.session.scalar(select(Device.forgotten_at).where(Device.public_id == device_id))) is None


def test_a_new_code_is_a_new_start_the_old_phone_and_pin_stop_working(client, english, build, world, read):
    """A lost phone: the coach makes a new code. Whoever has the old phone cannot use it."""
    person, _ = _activate_with_pin(client, build, world)
    client.sign_out()
    code = build(factories.activation_code, person)
    new_phone = english()
    new_phone.post_form("/activate", {"code": code})
    assert new_phone.post_form("/activate", {"stage": "pin", "code": code, "pin": "583920",
                                             "pin_again": "583920"}).status_code == 303
    assert client.get("/sign-in").status_code == 200, "the old phone gets the ordinary sign-in page"
    assert _pin_sign_in(client, "583920").status_code == 303
    assert client.get("/home").status_code == 302
    assert read(lambda: db.session.scalar(select(func.count()).select_from(Device).where(
        Device.forgotten_at.is_(None)))) == 1
