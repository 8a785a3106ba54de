"""Consent and sharing pages. Plain forms: POST → 303 → a page, with the message flashed; bad
input answers 422 with the form as it was typed.

One exception, on purpose: "Share" answers its POST with the page to share itself (200), not a
redirect. Each showing of that page is a disclosure, so each one is one POST, checked against the
consent and recorded as one share. There is no GET of shared content to reload or bookmark.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import audit, clock
from webapp.coach.views import own_participation
from webapp.consent import bp, coach_bp, services
from webapp.consent.forms import ConsentForm, PaperConsentForm, ShareForm
from webapp.extensions import db
from webapp.models import Consent, Participation
from webapp.participant.context import current_participation
from webapp.plan.forms import ActionForm

# --- the participant -----------------------------------------------------------------------


@bp.route("", methods=["GET", "POST"])
def index():
    """The participant's consents with the shares made under each, and the form for a new one."""
    participation = current_participation()
    today = clock.today()
    form = ConsentForm(today=today)
    if form.validate_on_submit():
        consent = services.give_consent(participation, current_user, form.consent_data(), today)
        db.session.commit()
        flash(_("Your consent is saved. Your coach may now share what you chose with %(recipient)s.",
                recipient=consent.recipient))
        return redirect(url_for("consent.index"), code=303)
    status = 422 if form.errors else 200
    return render_template(
        "consent/index.html", form=form, consents=services.consents(participation), today=today,
    ), status


def _withdraw(consent, done: str) -> None:
    """The confirmed withdrawal (the participant's own, or recorded by the coach): the first one
    counts, a second says so."""
    if not ActionForm().validate_on_submit():
        abort(400)
    flash(done if services.withdraw(consent, current_user, clock.now()) else _("This consent was already withdrawn."))
    db.session.commit()


@bp.route("/<uuid:consent_id>/withdraw", methods=["GET", "POST"])
def withdraw(consent_id: uuid.UUID):
    """Asks first (a page, so it works without JavaScript), then withdraws."""
    participation = current_participation()
    consent = services.get_consent(participation, consent_id)
    if consent is None:
        abort(404)
    if request.method == "POST":
        _withdraw(consent, _("Your consent is withdrawn. Nothing more is shared with %(recipient)s.",
                             recipient=consent.recipient))
        return redirect(url_for("consent.index"), code=303)
    return render_template(
        "consent/withdraw.html", consent=consent, today=clock.today(), action_form=ActionForm(formdata=None),
    )


# --- the coach -----------------------------------------------------------------------------


def _back(participation: Participation):
    return redirect(url_for("coach.participant", participation_id=participation.id) + "#share-heading", code=303)


def _participant_consent(participation: Participation, consent_id: uuid.UUID) -> Consent:
    consent = services.get_consent(participation, consent_id)
    if consent is None:
        abort(404)
    return consent


def _refused(participation: Participation, consent: Consent):
    """A share that no valid consent covers: the attempt is recorded, nothing is shown."""
    db.session.rollback()
    audit.record_event("share_refused", actor=current_user, participation=participation, detail=str(consent.id))
    db.session.commit()
    return render_template("consent/not_valid.html", participation=participation, consent=consent,
                           today=clock.today()), 404


@coach_bp.route("/<uuid:participation_id>/consents/new", methods=["GET", "POST"])
def record(participation_id: uuid.UUID):
    """A coach records a consent the participant signed on paper."""
    participation = own_participation(participation_id)
    form = PaperConsentForm(today=clock.today())
    if form.validate_on_submit():
        consent = services.give_consent(participation, current_user, form.consent_data(), clock.today(),
                                        on_paper=True)
        db.session.commit()
        flash(_("The consent is saved. You may share with %(recipient)s. The participant sees the consent in Stegvis.",
                recipient=consent.recipient))
        return _back(participation)
    status = 422 if form.errors else 200
    return render_template("consent/record.html", form=form, participation=participation), status


@coach_bp.route("/<uuid:participation_id>/consents/<uuid:consent_id>/share", methods=["GET", "POST"])
def share(participation_id: uuid.UUID, consent_id: uuid.UUID):
    """GET: choose the parts. POST: record the share and show exactly those parts, to print."""
    participation = own_participation(participation_id)
    consent = _participant_consent(participation, consent_id)
    today = clock.today()
    if not consent.is_valid(today):
        if request.method == "POST":
            return _refused(participation, consent)
        return render_template("consent/not_valid.html", participation=participation, consent=consent,
                               today=today), 404
    form = ShareForm(consented=consent.parts)
    if form.validate_on_submit():
        try:
            made = services.share(participation, consent.id, form.parts.chosen, current_user, today)
        except services.ShareRefused:
            # Withdrawn or ended while the coach had the page open.
            return _refused(participation, consent)
        db.session.commit()
        content = services.shared_content(participation, made.parts, today)
        return render_template("consent/shared.html", participation=participation, consent=consent, share=made,
                               content=content, today=today)
    if request.method == "POST" and set(form.parts.data or ()) - {part.value for part in consent.parts}:
        # A part the consent does not cover was asked for: refused, and the attempt recorded.
        db.session.rollback()
        audit.record_event("share_refused", actor=current_user, participation=participation, detail=str(consent.id))
        db.session.commit()
    status = 422 if form.errors else 200
    return render_template("consent/share.html", form=form, participation=participation, consent=consent,
                           today=today), status


@coach_bp.route("/<uuid:participation_id>/consents/<uuid:consent_id>/withdraw", methods=["GET", "POST"])
def withdraw_for(participation_id: uuid.UUID, consent_id: uuid.UUID):
    """A coach records that the participant withdrew a consent (by phone, on paper, in a meeting)."""
    participation = own_participation(participation_id)
    consent = _participant_consent(participation, consent_id)
    if request.method == "POST":
        _withdraw(consent, _("The consent is withdrawn. Nothing more can be shared with %(recipient)s.",
                             recipient=consent.recipient))
        return _back(participation)
    return render_template("consent/withdraw_for.html", participation=participation, consent=consent,
                           today=clock.today(), action_form=ActionForm(formdata=None))
