"""The project leader's side: the project's retention settings, and the erasure requests to answer."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import clock
from webapp.audit import record_access
from webapp.extensions import db
from webapp.leader.views import own_project
from webapp.models import ErasureStatus
from webapp.rights import leader_bp, services
from webapp.rights.forms import DecisionForm, RetentionForm


@leader_bp.route("/<uuid:project_id>/retention", methods=["GET", "POST"])
def retention(project_id: uuid.UUID):
    project = own_project(project_id)
    saved = services.settings_of(project)
    form = RetentionForm(obj=saved) if request.method == "GET" else RetentionForm()
    if request.method == "GET":
        form.keep_years.data = str(saved.keep_years)
    if form.validate_on_submit():
        services.save_retention(project, current_user, form.last_payment_on.data, form.years,
                                form.decision_reference.data)
        db.session.commit()
        flash(_("The retention settings are saved."))
        return redirect(url_for("leader_rights.retention", project_id=project.public_id), code=303)
    return render_template("rights/retention.html", project=project, form=form, saved=saved,
                           today=clock.today()), 422 if form.errors else 200


@leader_bp.get("/<uuid:project_id>/erasure-requests")
def requests(project_id: uuid.UUID):
    project = own_project(project_id)
    waiting, handled = services.project_requests(project)
    return render_template("rights/requests.html", project=project, waiting=waiting, handled=handled,
                           retention=services.retention_for(project.id), today=clock.today())


@leader_bp.route("/<uuid:project_id>/erasure-requests/<uuid:request_id>", methods=["GET", "POST"])
def decide(project_id: uuid.UUID, request_id: uuid.UUID):
    project = own_project(project_id)
    row = services.get_request(project, request_id)
    if row is None:
        abort(404)
    # Answering a request means looking at whose it is: the participant sees it in their access log.
    record_access(current_user, row.participation)
    db.session.commit()
    today = clock.today()
    form = DecisionForm()
    why = services.may_erase_now(row.participation, today)
    if row.request.status == ErasureStatus.OPEN and form.validate_on_submit():
        decision = form.chosen()
        if decision == services.Decision.ERASE and why is None:
            form.decision.errors.append(_("The information must be kept until the retention date. "
                                          "Choose to keep it."))
        else:
            services.decide(row, current_user, decision, today)
            db.session.commit()
            if decision == services.Decision.ERASE:
                flash(_("The information is erased. The account is closed."))
            else:
                flash(_("The decision is saved. The participant sees it on their page."))
            return redirect(url_for("leader_rights.requests", project_id=project.public_id), code=303)
    elif request.method == "POST" and row.request.status != ErasureStatus.OPEN:
        form.form_errors.append(_("This request has already been answered."))
    return render_template("rights/decide.html", project=project, row=row, form=form, why=why,
                           retention=services.retention_for(project.id), today=today,
                           never_started=services.never_started(row.participation)), 422 if form.errors else 200
