"""Routes for the participant import: upload → columns → preview → confirm → result → code sheet."""

from __future__ import annotations

import uuid

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from webapp import audit
from webapp.extensions import db
from webapp.imports import bp, services
from webapp.imports.forms import ConfirmForm, UploadForm, mapping_form
from webapp.imports.mapping import FIELDS, guess
from webapp.imports.reading import Unreadable, read_table
from webapp.leader.views import own_project
from webapp.models import ParticipantImport, Project
from webapp.once import once

MAX_FILE_BYTES = 1024 * 1024


def _own_upload(project: Project, upload_id: uuid.UUID) -> ParticipantImport:
    upload = services.get_upload(project, current_user, upload_id)
    if upload is None:
        abort(404)
    return upload


def _urls(project: Project, upload: ParticipantImport, endpoint: str) -> str:
    return url_for(endpoint, project_id=project.public_id, upload_id=upload.public_id)


@bp.route("/<uuid:project_id>/participants/import", methods=["GET", "POST"])
def upload(project_id: uuid.UUID):
    project = own_project(project_id)
    form = UploadForm()
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_FILE_BYTES + 1)
        try:
            if len(raw) > MAX_FILE_BYTES:
                raise Unreadable(_("The file is larger than 1 MB. Split it into smaller files."))
            table = read_table(raw)
        except Unreadable as problem:
            form.file.errors.append(problem.message)
        else:
            stored = services.store_upload(project, current_user, form.file.data.filename or "", raw)
            stored.mapping = guess(table.header)
            db.session.commit()
            return redirect(_urls(project, stored, "imports.columns"), code=303)
    status = 422 if form.errors else 200
    return render_template("imports/upload.html", project=project, form=form, fields=FIELDS), status


def _state(project: Project, upload: ParticipantImport):
    """Where an upload stands, for a page that does not fit it (already imported, or not yet)."""
    return render_template("imports/state.html", project=project, upload=upload)


def _table_or_404(upload: ParticipantImport):
    try:
        return services.table_of(upload)
    except Unreadable:
        abort(404)


@bp.route("/<uuid:project_id>/participants/import/<uuid:upload_id>", methods=["GET", "POST"])
def columns(project_id: uuid.UUID, upload_id: uuid.UUID):
    project = own_project(project_id)
    upload = _own_upload(project, upload_id)
    if upload.imported_at:
        return _state(project, upload)
    table = _table_or_404(upload)
    saved = {name: str(column) for name, column in (upload.mapping or {}).items()}
    form = mapping_form(table.header, data=saved)
    if form.validate_on_submit():
        upload.mapping = form.mapping()
        db.session.commit()
        return redirect(_urls(project, upload, "imports.preview"), code=303)
    status = 422 if form.errors else 200
    return render_template("imports/columns.html", project=project, upload=upload, form=form,
                           sample=table.rows[:3], header=table.header), status


def _preview(project: Project, upload: ParticipantImport, rows, status: int = 200, refused: bool = False):
    problems = [row for row in rows if not row.ok]
    return render_template(
        "imports/preview.html", project=project, upload=upload, rows=rows, problems=problems,
        valid=[row for row in rows if row.ok], refused=refused, form=ConfirmForm(formdata=None),
    ), status


@bp.get("/<uuid:project_id>/participants/import/<uuid:upload_id>/preview")
def preview(project_id: uuid.UUID, upload_id: uuid.UUID):
    project = own_project(project_id)
    upload = _own_upload(project, upload_id)
    if upload.imported_at:
        return _state(project, upload)
    if not services.complete_mapping(upload.mapping):
        return redirect(_urls(project, upload, "imports.columns"), code=303)
    _table_or_404(upload)
    return _preview(project, upload, services.check(project, upload))


@bp.post("/<uuid:project_id>/participants/import/<uuid:upload_id>/confirm")
def confirm(project_id: uuid.UUID, upload_id: uuid.UUID):
    """Import all rows, or (when asked) only the valid ones; otherwise nothing, and say why."""
    project = own_project(project_id)
    upload = _own_upload(project, upload_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if upload.imported_at:
        return redirect(_urls(project, upload, "imports.result"), code=303)
    if not services.complete_mapping(upload.mapping):
        return redirect(_urls(project, upload, "imports.columns"), code=303)
    _table_or_404(upload)
    rows = services.check(project, upload)
    only_valid = form.only_valid.data == "yes"
    if any(not row.ok for row in rows) and not only_valid:
        return _preview(project, upload, rows, status=422, refused=True)
    if not any(row.ok for row in rows):
        return _preview(project, upload, rows, status=422, refused=True)
    count = services.import_rows(project, current_user, upload, rows)
    audit.record_event("participants_imported", actor=current_user, project_id=project.id, detail=str(count))
    db.session.commit()  # all rows or none: one transaction
    flash(ngettext("%(num)s participant is imported.", "%(num)s participants are imported.", count))
    return redirect(_urls(project, upload, "imports.result"), code=303)


@bp.get("/<uuid:project_id>/participants/import/<uuid:upload_id>/done")
def result(project_id: uuid.UUID, upload_id: uuid.UUID):
    project = own_project(project_id)
    upload = _own_upload(project, upload_id)
    if not upload.imported_at:
        return _state(project, upload)
    return render_template("imports/result.html", project=project, upload=upload,
                           people=services.imported(upload), form=ConfirmForm(formdata=None),
                           printed=request.args.get("printed") == "1")


@bp.post("/<uuid:project_id>/participants/import/<uuid:upload_id>/codes")
@once
def codes(project_id: uuid.UUID, upload_id: uuid.UUID):
    """Fresh codes for the imported people who have not chosen a password, shown once, to print.
    The sheet is the answer itself: plain codes are never stored, not even in the session.

    A reload of the sheet sends the form again. Done again, it made new codes without a word, and
    the cards just printed stopped working: a repeat (@once) goes to the import's page instead,
    which says that the printed codes work and how to get new ones."""
    project = own_project(project_id)
    upload = _own_upload(project, upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not upload.imported_at:
        return redirect(_urls(project, upload, "imports.columns"), code=303)
    cards = services.fresh_codes(current_user, services.imported(upload))
    audit.record_event("codes_printed", actor=current_user, project_id=project.id, detail=str(len(cards)))
    db.session.commit()
    g.once_result = url_for("imports.result", project_id=project.public_id, upload_id=upload.public_id,
                            printed="1")
    return render_template("imports/codes.html", project=project, upload=upload, cards=cards)
