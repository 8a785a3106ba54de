from __future__ import annotations

import uuid

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.account import bp
from webapp.audit import record_event
from webapp.auth import passkeys, pin, services
from webapp.auth.factor_views import device_token, json_error, set_device_cookie, totp_enrolment
from webapp.auth.forms import NewPinForm, PinForm
from webapp.extensions import db
from webapp.models import Role, User
from webapp.security import only

NEW_SECRET = "account_new_totp_secret"  # noqa: S105 - the name of a session key


def _factor_changed(user: User, what: str) -> None:
    """A sign-in factor changed: every other session of the person ends (a thief signed in
    elsewhere is out), and it is logged."""
    services.end_all_sessions(user, keep=user.session_token)
    record_event("sign_in_factor_changed", actor=user, detail=what)


def _this_device(user: User):
    device = pin.device_for(device_token())
    return device if device is not None and device.user_id == user.id else None


def _page(pin_form: NewPinForm | None = None, current_pin: PinForm | None = None, status: int = 200):
    user = current_user
    return render_template(
        "account/sign_in_settings.html",
        passkeys=passkeys.passkeys(user),
        devices=pin.devices(user) if user.is_participant else [],
        this_device=_this_device(user) if user.is_participant else None,
        pin_form=pin_form or NewPinForm(formdata=None),
        current_pin=current_pin or PinForm(formdata=None, prefix="current"),
    ), status


@bp.get("/sign-in")
def settings():
    return _page()


@bp.post("/pin")
@only(Role.PARTICIPANT)
def set_pin():
    """A participant chooses a (new) PIN; this phone is enrolled if it was not."""
    user = current_user
    form = NewPinForm()
    current = PinForm(prefix="current")
    valid = form.validate_on_submit()
    if user.pin_hash:
        # Changing a PIN needs the old one: a phone left signed in is not enough to take over.
        if not current.pin.data:
            current.pin.errors = [_("Write your PIN now.")]
            valid = False
        elif not services.verify_secret(user.pin_hash, current.pin.data):
            current.pin.errors = [_("That is not your PIN now. Try again.")]
            valid = False
    if not valid:
        return _page(form, current, 422)
    pin.set_pin(user, form.pin.data)
    token = None
    if _this_device(user) is None:
        token = pin.enrol_device(user, passkeys.device_label(request.user_agent.string))
    _factor_changed(user, "pin")
    db.session.commit()
    flash(_("Your new PIN is saved. Use it next time you sign in on this phone."))
    response = redirect(url_for("account.settings"), code=303)
    if token:
        set_device_cookie(response, token)
    return response


@bp.post("/devices/<uuid:device_id>/forget")
def forget_device(device_id: uuid.UUID):
    if not pin.forget_device(current_user, device_id):
        abort(404)
    _factor_changed(current_user, "device")
    db.session.commit()
    flash(_("The phone is forgotten. It can no longer sign in with your PIN."))
    return redirect(url_for("account.settings"), code=303)


@bp.post("/passkeys/options")
def passkey_options() -> Response:
    options = passkeys.registration_options(current_user)
    db.session.commit()
    return jsonify(options)


@bp.post("/passkeys")
def add_passkey() -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        return json_error(_("The passkey was not made. Try again."))
    try:
        passkeys.register(current_user, body.get("ceremony"), body["credential"],
                          passkeys.device_label(request.user_agent.string))
    except passkeys.CeremonyError as error:
        record_event("passkey_failed", actor=current_user, detail=error.reason)
        db.session.commit()
        return json_error(_("The passkey was not saved. Try again."))
    record_event("second_factor_added", actor=current_user, detail="passkey")
    db.session.commit()
    flash(_("Your passkey is saved. Next time, sign in with it."))
    return jsonify(redirect=url_for("account.settings"))


@bp.post("/passkeys/<uuid:passkey_id>/remove")
def remove_passkey(passkey_id: uuid.UUID):
    if not passkeys.remove(current_user, passkey_id):
        abort(404)
    _factor_changed(current_user, "passkey")
    db.session.commit()
    flash(_("The passkey is removed. You are signed out on your other devices."))
    return redirect(url_for("account.settings"), code=303)


@bp.post("/sign-out-elsewhere")
def sign_out_elsewhere():
    ended = services.end_all_sessions(current_user, keep=current_user.session_token)
    record_event("sessions_ended", actor=current_user, detail=str(ended))
    db.session.commit()
    flash(_("You are signed out on all other devices."))
    return redirect(url_for("account.settings"), code=303)


@bp.route("/authenticator", methods=["GET", "POST"])
@only(Role.COACH, Role.LEADER)
def authenticator():
    """Staff move their authenticator app to a new phone: a new key, confirmed with a code."""
    user = current_user
    form, shown, saved = totp_enrolment(user, NEW_SECRET)
    if saved:
        _factor_changed(user, "totp")
        db.session.commit()
        flash(_("Your new authenticator app is set up. The old one no longer works."))
        return redirect(url_for("account.settings"), code=303)
    return render_template("account/authenticator.html", form=form, **shown), (422 if form.errors else 200)
