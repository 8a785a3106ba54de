"""Who coaches whom: moving participants between coaches, and cover during an absence."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.audit import record_access, record_denied
from webapp.extensions import db
from webapp.leader import bp, caseloads
from webapp.leader import coaches as coach_services
from webapp.leader.forms import MoveForm, ShareForm
from webapp.leader.views import own_project
from webapp.models import Participation, Project, User


def _move_form(participation: Participation, coaches: list[User], **kwargs) -> MoveForm:
    # One form per participant on the page: the prefix keeps field ids unique.
    form = MoveForm(prefix=f"move-{participation.id.hex}", coaches=coaches, name=participation.participant.name,
                    **kwargs)
    # Translators: the label of a list of coaches; reads "Move Amina Hassan to [Maria Lund]".
    form.coach.label.text = _("Move %(name)s to", name=participation.participant.name)
    return form


def _participants_page(
    project: Project, coaches: list[User], failed: MoveForm | None = None, failed_id: uuid.UUID | None = None
) -> str:
    """The list with a move form per participant; `failed` replaces the form that was refused."""
    rows = [
        (p, failed if p.id == failed_id else _move_form(p, coaches, formdata=None))
        for p in caseloads.participations(project)
    ]
    return render_template("leader/participants.html", project=project, rows=rows, form=failed)


@bp.get("/<uuid:project_id>/participants")
def participants(project_id: uuid.UUID):
    project = own_project(project_id)
    return _participants_page(project, coach_services.active_coaches(project))


@bp.post("/<uuid:project_id>/participants/<uuid:participation_id>/coach")
def move_participant(project_id: uuid.UUID, participation_id: uuid.UUID):
    project = own_project(project_id)
    participation = caseloads.get_participation(project, participation_id)
    if participation is None:
        record_denied(current_user, participation_id)
        abort(404)
    # Moving a participant opens their data: logged whether or not the move succeeds.
    record_access(current_user, participation)
    coaches = coach_services.active_coaches(project)
    form = _move_form(participation, coaches)
    if not form.validate_on_submit():
        db.session.commit()  # only the log entry
        return _participants_page(project, coaches, form, participation.id), 422
    coach = form.chosen_coach()
    already = coach.id == participation.coach_id  # no move: nothing to change, and say so
    if not already:
        caseloads.move(participation, coach)
    db.session.commit()
    name = participation.participant.name
    flash(_("%(coach)s is already the coach of %(name)s. Nothing was changed.", coach=coach.name, name=name)
          if already else _("%(coach)s is now the coach of %(name)s.", coach=coach.name, name=name))
    url = url_for("leader.participants", project_id=project.public_id, _anchor=f"participation-{participation.id}")
    return redirect(url, code=303)


@bp.route("/<uuid:project_id>/shares", methods=["GET", "POST"])
def shares(project_id: uuid.UUID):
    project = own_project(project_id)
    form = ShareForm(coaches=coach_services.active_coaches(project))
    if form.validate_on_submit():
        owner, colleague = form.chosen()
        if caseloads.is_shared(project, owner, colleague):
            form.colleague.errors.append(
                _("%(colleague)s already covers for %(owner)s.", colleague=colleague.name, owner=owner.name)
            )
        else:
            caseloads.share(project, current_user, owner, colleague, form.until.data)
            db.session.commit()
            flash(_("%(colleague)s can now open the participants of %(owner)s.",
                    colleague=colleague.name, owner=owner.name))
            return redirect(url_for("leader.shares", project_id=project.public_id), code=303)
    status = 422 if form.errors else 200
    return render_template(
        "leader/shares.html", project=project, form=form, shares=caseloads.active_shares(project)
    ), status


@bp.post("/<uuid:project_id>/shares/end")
def end_share(project_id: uuid.UUID):
    project = own_project(project_id)
    # The share comes with the button (name="share"), not in the path: it is a choice among
    # the project's shares in force, and one that has ended meanwhile is simply done.
    share_id = request.form.get("share", type=int)
    if share_id is None:
        abort(400)
    item = caseloads.get_active_share(project, share_id)
    if item is None:
        flash(_("That cover has already ended."))
    else:
        caseloads.end_share(item)
        db.session.commit()
        flash(_("The cover has ended. %(colleague)s can no longer open the participants of %(owner)s.",
                colleague=item.colleague.name, owner=item.owner.name))
    return redirect(url_for("leader.shares", project_id=project.public_id), code=303)
