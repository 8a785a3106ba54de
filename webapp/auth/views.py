from __future__ import annotations

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from webapp import audit
from webapp.auth import bp, factor_views, limits, passkeys, pin, services
from webapp.auth.forms import ActivationCodeForm, LanguageForm, NewPinForm, SetPasswordForm, SignInForm
from webapp.extensions import db, limiter
from webapp.i18n import CHOSEN_BEFORE_SIGN_IN, chosen_language, echo, languages
from webapp.i18n.languages import match
from webapp.models import Role, User
from webapp.security import safe_next, signed_in


def home_url(user: User) -> str:
    if user.role == Role.PARTICIPANT:
        return url_for("participant.home")
    if user.role == Role.COACH:
        return url_for("coach.caseload")
    return url_for("leader.home")


def _sign_in(user: User) -> None:
    """Start a fresh session: a new cookie, so an id planted before sign-in is worthless.

    With its CSRF token at once: the phone may still be fetching (the service worker's files) with
    this cookie, and an answer that lands after the first page's must not take away the token that
    page's forms carry."""
    chosen = match(session.get(CHOSEN_BEFORE_SIGN_IN), languages())
    session.clear()
    if chosen:
        user.locale = chosen  # picked on the sign-in page just now: the person wants it
    services.start_session(user)
    login_user(user)
    session.permanent = True
    g.pop("csrf_token", None)  # the token of the session just cleared, kept for this request
    generate_csrf()


def _account_key() -> str:
    """Failed tries count per account too, from whatever address they come (credential stuffing
    spreads over many addresses)."""
    return "sign-in-account:" + (request.form.get("login_name") or "").strip().lower()


@bp.get("/")
@signed_in
def start() -> Response:
    return redirect(home_url(current_user))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(limits.sign_in_limit, methods=["POST"], deduct_when=limits.refused)
@limiter.limit(limits.account_limit, methods=["POST"], key_func=_account_key, deduct_when=limits.failed)
def sign_in():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    if request.method == "GET" and not request.args.get("other") and factor_views.device_token():
        device = pin.device_for(factor_views.device_token())
        if device is not None and device.user.is_active and device.user.pin_hash:
            return redirect(url_for("auth.sign_in_pin", next=request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login_name.data, form.password.data)
        if user is not None:
            if factor_views.needs_second_step(user):
                return factor_views.begin_second_step(user, request.args.get("next"))
            _sign_in(user)
            audit.record_event("sign_in", actor=user, detail="password")
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), home_url(user)), code=303)
        audit.record_sign_in_failed(form.login_name.data, "password")
        form.password.errors.append(_("The sign-in name or the password is wrong. Try again."))
    status = 422 if form.errors else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
@signed_in
def sign_out() -> Response:
    audit.record_event("sign_out", actor=current_user)
    if current_user.session_token:
        services.end_session(current_user.session_token)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    response = redirect(url_for("auth.sign_in"), code=303)
    # The phone forgets what it kept for this person. Log entries that wait to be sent stay only
    # when the person chose to keep them (app.js asks), or when they belong to someone else.
    keep = request.form.get("keep_outbox") == "1"
    response.headers["Clear-Site-Data"] = '"cache"' if keep else '"cache", "storage"'
    return response


@bp.route("/activate", methods=["GET", "POST"])
@limiter.limit(limits.sign_in_limit, methods=["POST"], deduct_when=limits.refused)
def activate():
    """The participant's first visit: check the code, then choose a password."""
    if request.method == "POST" and request.form.get("stage") == "password":
        return _choose_password()
    if request.method == "POST" and request.form.get("stage") == "pin":
        return _choose_pin()

    code_form = ActivationCodeForm()
    if request.method == "GET":
        code = request.args.get("code", "").strip()
        if not code:
            return render_template("auth/activate.html", form=code_form)
        code_form.code.data = code
        activation = services.valid_activation_code(code)
    elif code_form.validate_on_submit():
        activation = services.valid_activation_code(code_form.code.data)
    else:
        return render_template("auth/activate.html", form=code_form), 422

    if activation is None:
        audit.record_event("sign_in_failed", detail="activation_code")
        code_form.code.errors = [_code_error()]
        return render_template("auth/activate.html", form=code_form), 422
    code = services.normalise_code(code_form.code.data)
    return _choose_page(activation.user, SetPasswordForm(formdata=None, code=code, min_length=_min_length()),
                        NewPinForm(formdata=None, code=code))


def _min_length() -> int:
    return current_app.config["PASSWORD_MIN_LENGTH"]


def _choose_page(user: User, password_form: SetPasswordForm, pin_form: NewPinForm, status: int = 200):
    """How the person will sign in: a PIN on this phone (participants), or a password."""
    return render_template("auth/choose_password.html", form=password_form, pin_form=pin_form, user=user), status


def _code_error() -> str:
    return _(
        "The code does not work. It may be wrong, used or too old. Ask the person who gave you the code for a new one."
    )


def _code_again():
    audit.record_event("sign_in_failed", detail="activation_code")
    code_form = ActivationCodeForm(formdata=None)
    code_form.code.errors = [_code_error()]
    return render_template("auth/activate.html", form=code_form), 422


def _keep_chosen_language(user: User) -> None:
    """A language chosen on this phone before the account had one (on the code page, say) becomes
    the account's, so that the person's other phones start in it too."""
    if user.locale is None and (code := chosen_language()):
        user.locale = code


def _choose_password():
    form = SetPasswordForm(min_length=_min_length())
    activation = services.valid_activation_code(form.code.data or "")
    if activation is None:
        return _code_again()
    if not form.validate_on_submit():
        return _choose_page(activation.user, form, NewPinForm(formdata=None, code=form.code.data), 422)
    user = services.activate(activation, form.password.data)
    _keep_chosen_language(user)
    if factor_views.needs_second_step(user):
        db.session.commit()
        flash(_("Your password is saved. Now set up your second step."))
        return factor_views.begin_second_step(user, None)
    _sign_in(user)
    audit.record_event("sign_in", actor=user, detail="activation+password")
    db.session.commit()
    flash(_("Welcome to Stegvis! Your password is saved."))
    return redirect(home_url(user), code=303)


def _choose_pin():
    """Activation with a PIN: this phone is enrolled (a device cookie) and the PIN set."""
    form = NewPinForm()
    activation = services.valid_activation_code(form.code.data or "")
    if activation is None or not activation.user.is_participant:
        return _code_again()
    if not form.validate_on_submit():
        password_form = SetPasswordForm(formdata=None, code=form.code.data, min_length=_min_length())
        return _choose_page(activation.user, password_form, form, 422)
    user = services.use_code(activation)
    _keep_chosen_language(user)
    user.password_hash = None
    pin.set_pin(user, form.pin.data)
    token = pin.enrol_device(user, passkeys.device_label(request.user_agent.string))
    _sign_in(user)
    audit.record_event("sign_in", actor=user, detail="activation+pin")
    db.session.commit()
    flash(_("Welcome to Stegvis! Your PIN is saved. This phone now knows you."))
    response = redirect(home_url(user), code=303)
    factor_views.set_device_cookie(response, token)
    return response


@bp.post("/swedish-words")
def set_swedish_words() -> Response:
    """SFI mode on or off: the Swedish words beside the translation."""
    form = LanguageForm()
    if not form.validate_on_submit() or form.lang.data not in ("on", "off"):
        abort(400)
    show = form.lang.data == "on"
    if current_user.is_authenticated:
        current_user.show_swedish = show
        db.session.commit()
    response = redirect(safe_next(form.next.data), code=303)
    response.set_cookie(
        echo.COOKIE, "1" if show else "0", max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.post("/language")
def set_language() -> Response:
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    code = match(form.lang.data, languages())
    if code is None:
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    else:
        session[CHOSEN_BEFORE_SIGN_IN] = code
    response = redirect(safe_next(form.next.data), code=303)
    response.set_cookie(
        current_app.config["LANGUAGE_COOKIE"], code,
        max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    refresh()
    return response
