"""The project leader chooses the project's questionnaires and imports its own."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from webapp.extensions import db
from webapp.leader.views import own_project
from webapp.models import Project
from webapp.surveys import catalogue, questionnaires_bp
from webapp.surveys.format import Problem
from webapp.surveys.forms import ImportForm, SettingsForm

MAX_FILE_BYTES = 200 * 1024


def _page(project: Project, library: catalogue.Library, settings: SettingsForm, upload: ImportForm,
          problems: list[Problem] = (), status: int = 200):
    failed = upload if upload.errors else settings
    return render_template(
        "surveys/questionnaires.html", project=project, library=library, settings=settings, upload=upload,
        problems=problems, form=failed, max_kb=MAX_FILE_BYTES // 1024,
    ), status


def _settings_form(project: Project, library: catalogue.Library, **kwargs) -> SettingsForm:
    """The form, showing the project's current choices until something else is sent."""
    current = {"start": project.start_survey_key or "", "follow_up": project.follow_up_survey_key or "",
               "follow_up_weeks": str(project.follow_up_weeks), "exit": project.exit_survey_key or ""}
    return SettingsForm(data=current, questionnaires=library.choices(), **kwargs)


@questionnaires_bp.route("/<uuid:project_id>/questionnaires", methods=["GET", "POST"])
def settings(project_id: uuid.UUID):
    project = own_project(project_id)
    library = catalogue.library(project.id)
    form = _settings_form(project, library)
    if request.method == "POST" and form.validate():
        project.start_survey_key = form.key("start")
        project.follow_up_survey_key = form.key("follow_up")
        project.follow_up_weeks = int(form.follow_up_weeks.data)
        project.exit_survey_key = form.key("exit")
        db.session.commit()
        flash(_("The project's surveys are saved. New surveys use them from now on."))
        return redirect(url_for(".settings", project_id=project.public_id), code=303)
    return _page(project, library, form, ImportForm(formdata=None), status=422 if form.errors else 200)


@questionnaires_bp.post("/<uuid:project_id>/questionnaires/import")
def import_file(project_id: uuid.UUID):
    """Check the whole file and store it, or store nothing and list every problem."""
    project = own_project(project_id)
    form = ImportForm()
    problems: list[Problem] = []
    if form.validate():
        raw = form.file.data.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            problems = [Problem("too_large", _l("The file is larger than %(limit)s KB. Is it the right file?",
                                                limit=MAX_FILE_BYTES // 1024))]
        else:
            result = catalogue.import_questionnaire(project, current_user.id, raw)
            if not isinstance(result, list):
                db.session.commit()
                flash(_('"%(title)s" (%(key)s, version %(version)s) is imported. Choose it below to use it.',
                        title=result.title, key=result.key, version=result.version))
                return redirect(url_for(".settings", project_id=project.public_id), code=303)
            problems = result
        db.session.rollback()
        form.file.errors = [ngettext("The file has %(num)s problem. Nothing was imported.",
                                     "The file has %(num)s problems. Nothing was imported.", len(problems))]
    library = catalogue.library(project.id)
    return _page(project, library, _settings_form(project, library, formdata=None), form, problems, 422)
