"""Sign-in with a PIN on an enrolled phone, with a passkey, and staff's second step (a code
from an authenticator app, or setting one up)."""

from __future__ import annotations

import uuid

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from webapp import clock
from webapp.audit import record_event
from webapp.auth import bp, limits, passkeys, pin, totp
from webapp.auth.forms import PinForm, TotpForm
from webapp.extensions import db, limiter
from webapp.i18n import CHOSEN_BEFORE_SIGN_IN
from webapp.models import User
from webapp.security import safe_next

PENDING = "pending_sign_in"
PENDING_SECONDS = 300
NEW_SECRET = "new_totp_secret"  # noqa: S105 - the name of a session key


# --- the device cookie -------------------------------------------------------------------------


def device_token() -> str | None:
    return request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])


def set_device_cookie(response: Response, token: str) -> None:
    cfg = current_app.config
    response.set_cookie(
        cfg["DEVICE_COOKIE_NAME"], token, max_age=cfg["DEVICE_COOKIE_DAYS"] * 24 * 3600,
        secure=cfg["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax", path="/",
    )


# --- the second step for staff -------------------------------------------------------------------


def needs_second_step(user: User) -> bool:
    return user.is_staff and current_app.config["STAFF_SECOND_FACTOR"]


def begin_second_step(user: User, next_url: str | None) -> Response:
    """The password was right; staff go on to their second factor before any session starts."""
    chosen = session.get(CHOSEN_BEFORE_SIGN_IN)
    session.clear()
    if chosen:
        session[CHOSEN_BEFORE_SIGN_IN] = chosen  # for the sign-in that the second step completes
    session[PENDING] = {"user": str(user.id), "at": clock.now().timestamp(), "next": next_url or ""}
    if user.totp_secret:
        return redirect(url_for("auth.second_factor"), code=303)
    return redirect(url_for("auth.set_up_second_factor"), code=303)


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if clock.now().timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, _uuid(pending.get("user")))
    return user if user is not None and user.is_active else None


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _pending_account_key() -> str:
    pending = session.get(PENDING)
    return "second-step:" + (str(pending.get("user")) if isinstance(pending, dict) else "none")


def _finish(user: User, method: str, next_url: str | None = None) -> Response:
    from webapp.auth.views import _sign_in, home_url

    _sign_in(user)
    record_event("sign_in", actor=user, detail=method)
    db.session.commit()
    next_url = next_url if isinstance(next_url, str) else None
    return redirect(safe_next(next_url, home_url(user)), code=303)


def _expired() -> Response:
    flash(_("The sign-in took too long. Start again."))
    return redirect(url_for("auth.sign_in"), code=303)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(limits.sign_in_limit, methods=["POST"], deduct_when=limits.refused)
@limiter.limit(limits.account_limit, methods=["POST"], key_func=_pending_account_key, deduct_when=limits.failed)
def second_factor():
    user = _pending_user()
    if user is None or not user.totp_secret:
        return _expired()
    form = TotpForm()
    if form.validate_on_submit():
        if totp.verify(user, form.code.data):
            return _finish(user, "password+totp", session.get(PENDING, {}).get("next"))
        record_event("sign_in_failed", actor=user, detail="totp")
        db.session.commit()
        form.code.errors.append(_("The code is wrong or already used. Wait for a new code in the app and try again."))
    status = 422 if form.errors else 200
    return render_template("auth/second_factor.html", form=form, has_passkey=bool(passkeys.passkeys(user))), status


@bp.route("/sign-in/set-up", methods=["GET", "POST"])
@limiter.limit(limits.sign_in_limit, methods=["POST"], deduct_when=limits.refused)
def set_up_second_factor():
    """Staff without a second factor set up an authenticator app before their first session."""
    user = _pending_user()
    if user is None:
        return _expired()
    if user.totp_secret:
        return redirect(url_for("auth.second_factor"), code=303)
    form, shown, saved = totp_enrolment(user, NEW_SECRET)
    if saved:
        record_event("second_factor_added", actor=user, detail="totp")
        flash(_("Your authenticator app is set up. Use it every time you sign in."))
        return _finish(user, "password+totp", session.get(PENDING, {}).get("next"))
    return render_template("auth/set_up_second_factor.html", form=form, **shown,
                           has_passkey=bool(passkeys.passkeys(user))), (422 if form.errors else 200)


def totp_enrolment(user: User, session_key: str) -> tuple[TotpForm, dict, bool]:
    """Setting up an authenticator app (first time, or a new phone): a new key waits in the
    session until the person's app shows a right code for it. Returns the form, what the page
    shows (the QR code and the key) and whether the key is now saved."""
    secret = session.get(session_key)
    if not secret:
        secret = session[session_key] = totp.new_secret()
    form = TotpForm()
    if form.validate_on_submit():
        if totp.confirm_new_secret(user, secret, form.code.data):
            session.pop(session_key, None)
            return form, {}, True
        form.code.errors.append(_("The code is wrong. Check that the app shows Stegvis, and write the newest code."))
    uri = totp.provisioning_uri(user, secret, current_app.config["WEBAUTHN_RP_NAME"])
    shown = {"qr": totp.qr_svg(uri, _("QR code for your authenticator app")), "secret": totp.grouped(secret)}
    return form, shown, False


# --- PIN on an enrolled phone -------------------------------------------------------------------


@bp.route("/sign-in/pin", methods=["GET", "POST"])
@limiter.limit(limits.sign_in_limit, methods=["POST"], deduct_when=limits.refused)
def sign_in_pin():
    if current_user.is_authenticated:
        return redirect(url_for("auth.start"))
    device = pin.device_for(device_token())
    if device is None or not device.user.is_active or not device.user.pin_hash:
        return redirect(url_for("auth.sign_in", other=1), code=303)
    form = PinForm()
    if form.validate_on_submit():
        result = pin.check_pin(device, form.pin.data)
        if result.user is not None:
            return _finish(result.user, "device+pin", request.args.get("next"))
        user = device.user
        if result.just_locked:
            record_event("locked_out", actor=user, detail="pin")
        record_event("sign_in_failed", actor=user, detail="device+pin")
        db.session.commit()
        if result.locked:
            form.pin.errors.append(_("Your sign-in is locked after too many wrong PINs. Ask your coach to unlock it."))
        else:
            form.pin.errors.append(ngettext("The PIN is wrong. You can try %(num)s more time.",
                                            "The PIN is wrong. You can try %(num)s more times.", result.left))
    status = 422 if form.errors else 200
    return render_template("auth/sign_in_pin.html", form=form, user=device.user), status


# --- passkeys -------------------------------------------------------------------------------------


def json_error(message: str) -> Response:
    """A passkey answer that proves nothing: 422 with a message in the person's language."""
    response = jsonify(error=message)
    response.status_code = 422
    return response


@bp.post("/sign-in/passkey/options")
@limiter.limit(limits.sign_in_limit)
def passkey_options() -> Response:
    options = passkeys.sign_in_options()
    db.session.commit()
    return jsonify(options)


@bp.post("/sign-in/passkey")
@limiter.limit(limits.sign_in_limit)
def passkey_sign_in() -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        return json_error(_("The passkey did not answer. Try again."))
    try:
        signed_in = passkeys.authenticate(body.get("ceremony"), body["credential"])
    except passkeys.CeremonyError as error:
        record_event("sign_in_failed", detail=f"passkey:{error.reason}")
        db.session.commit()
        return json_error(_("This passkey did not work here. Try again, or sign in another way."))
    response = _finish(signed_in.user, "passkey", body.get("next"))
    return jsonify(redirect=response.location)
