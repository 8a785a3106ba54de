"""The project leader's archive page: download the project's archive, or import one (a project
moved from another server, or a copy under a new name). Routes under /project/<id>/archive."""

from __future__ import annotations

import uuid

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp import audit
from webapp.archive import bp, export, importer
from webapp.archive.forms import ImportForm
from webapp.extensions import db
from webapp.leader.views import own_project
from webapp.models import Project, ProjectStaff, Role

# The app takes at most 1 MiB in a request; an archive of a whole project is bigger.
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
IMPORT_ENDPOINT = "archive.import_archive"


@bp.url_value_preprocessor
def _bigger_body_for_the_import(endpoint, _values) -> None:
    """Runs before every before_request (the CSRF check reads the form): only the upload gets more."""
    if endpoint == IMPORT_ENDPOINT:
        request.max_content_length = MAX_ARCHIVE_BYTES


def _page(project: Project, form: ImportForm, status: int = 200):
    return render_template("archive/index.html", project=project, form=form,
                           max_mb=MAX_ARCHIVE_BYTES // (1024 * 1024)), status


@bp.get("/<uuid:project_id>/archive")
def index(project_id: uuid.UUID):
    return _page(own_project(project_id), ImportForm(formdata=None))


@bp.get("/<uuid:project_id>/archive/download")
def download(project_id: uuid.UUID):
    project = own_project(project_id)
    body = export.to_json(export.collect(project))
    audit.record_event("export", actor=current_user, project_id=project.id, detail="project-archive")
    db.session.commit()
    response = Response(body, content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{export.file_name(project)}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<uuid:project_id>/archive/import")
def import_archive(project_id: uuid.UUID):
    """All or nothing. The leader who imports works in the new project from then on."""
    project = own_project(project_id)
    form = ImportForm()
    if not form.validate():
        return _page(project, form, 422)
    try:
        data = importer.read(form.file.data.read())
        result = importer.import_archive(data, new_name=form.new_name.data, actor=current_user)
        if db.session.get(ProjectStaff, (result.project.id, current_user.id)) is None:
            db.session.add(ProjectStaff(project_id=result.project.id, user_id=current_user.id))
        db.session.commit()
    except importer.ArchiveError as error:
        db.session.rollback()
        field = form.new_name if "name" in error.params else form.file
        field.errors = [str(error)]
        return _page(project, form, 422)
    audit.record_event("import", actor=current_user, project_id=result.project.id, detail="project-archive")
    db.session.commit()
    sheet = {"project": str(result.project.public_id), "rows": result.rows, "linked": len(result.linked_staff),
             "accounts": [[a.name, a.role, a.login_name, a.code] for a in result.accounts]}
    # The codes are the answer to the upload itself, shown once (no-store): they are never kept,
    # not even in the signed (readable) session cookie. Sending the form again is refused: the
    # project exists by then.
    return _sheet(result.project, sheet)


def _sheet(project: Project, sheet: dict | None):
    response = Response(render_template("archive/imported.html", project=project, sheet=sheet,
                                        roles={Role.PARTICIPANT.value: _("Participant"), Role.COACH.value: _("Coach"),
                                               Role.LEADER.value: _("Project leader")}))
    response.headers["Cache-Control"] = "no-store"
    return response
