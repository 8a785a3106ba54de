"""The project's lists: "who helps" and municipalities. The same four pages serve both lists."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial, update_wrapper

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from webapp.extensions import db
from webapp.leader import bp, lists
from webapp.leader.forms import EntryForm
from webapp.leader.views import own_project
from webapp.models import Helper, Municipality, Project


@dataclass(frozen=True)
class ListKind:
    key: str  # "helper": endpoints edit_helper, hide_helper, …; the URL argument helper_id
    path: str  # the list's URL part, also its endpoint
    model: lists.EntryModel
    title: str
    intro: str

    def url(self, project: Project, action: str | None = None, entry: lists.Entry | None = None, **kwargs) -> str:
        """The list's page, or an entry's page or action ("edit", "hide", "show")."""
        if action is None:
            return url_for(f"leader.{self.path}", project_id=project.public_id, **kwargs)
        entry_id = {f"{self.key}_id": entry.public_id}
        return url_for(f"leader.{action}_{self.key}", project_id=project.public_id, **entry_id)


KINDS = (
    ListKind(
        "helper", "helpers", Helper, _l("Who helps"),
        _l("Participants choose from this list when they write who helps with a step. "
           "A hidden entry stays on the steps that already have it."),
    ),
    ListKind(
        "municipality", "municipalities", Municipality, _l("Municipalities"),
        _l("Coaches choose from this list for a new participant. "
           "A hidden municipality stays on the participants who already have it."),
    ),
)


def _entry(kind: ListKind, project_id: uuid.UUID, ids: dict) -> tuple[Project, lists.Entry]:
    project = own_project(project_id)
    entry = lists.get_entry(kind.model, project, ids[f"{kind.key}_id"])
    if entry is None:
        abort(404)
    return project, entry


def _form(kind: ListKind, project: Project, keep: lists.Entry | None = None, **kwargs) -> EntryForm:
    return EntryForm(taken=lambda name: lists.name_taken(kind.model, project, name, keep), **kwargs)


def _back(kind: ListKind, project: Project, entry: lists.Entry) -> Response:
    return redirect(kind.url(project, _anchor=f"entry-{entry.id}"), code=303)


def _list_page(kind: ListKind, project: Project, form: EntryForm, status: int = 200):
    return render_template(
        "leader/entries.html", kind=kind, project=project, form=form,
        entries=lists.entries(kind.model, project),
    ), status


def entries(kind: ListKind, project_id: uuid.UUID):
    """The list, and a form that adds to it."""
    project = own_project(project_id)
    form = _form(kind, project)
    if form.validate_on_submit():
        entry = lists.add_entry(kind.model, project, form.name.data)
        db.session.commit()
        flash(_("%(name)s is added to the list.", name=entry.name))
        return _back(kind, project, entry)
    return _list_page(kind, project, form, 422 if form.errors else 200)


def edit_entry(kind: ListKind, project_id: uuid.UUID, **ids):
    project, entry = _entry(kind, project_id, ids)
    form = _form(kind, project, keep=entry, obj=entry)
    if form.validate_on_submit():
        lists.rename(entry, form.name.data)
        db.session.commit()
        flash(_("The name is saved."))
        return _back(kind, project, entry)
    status = 422 if form.errors else 200
    return render_template("leader/edit_entry.html", kind=kind, project=project, entry=entry, form=form), status


def show_entry(kind: ListKind, project_id: uuid.UUID, shown: bool, **ids):
    project, entry = _entry(kind, project_id, ids)
    try:
        lists.set_shown(entry, shown)
    except lists.OtherCannotBeHidden:
        form = _form(kind, project, formdata=None)
        form.form_errors.append(
            _("%(name)s cannot be hidden: participants choose it when who helps is not on the list.", name=entry.name)
        )
        return _list_page(kind, project, form, 422)
    db.session.commit()
    if shown:
        flash(_("%(name)s is offered again.", name=entry.name))
    else:
        flash(_("%(name)s is hidden. It is no longer offered.", name=entry.name))
    return _back(kind, project, entry)


def _bound(view, kind: ListKind, **kwargs):
    """The shared view, for one list. It keeps the view's name, which Flask-WTF's CSRF check reads."""
    return update_wrapper(partial(view, kind, **kwargs), view)


for _kind in KINDS:
    _item = f"/<uuid:project_id>/{_kind.path}/<uuid:{_kind.key}_id>"
    bp.add_url_rule(f"/<uuid:project_id>/{_kind.path}", _kind.path, _bound(entries, _kind), methods=["GET", "POST"])
    bp.add_url_rule(f"{_item}/edit", f"edit_{_kind.key}", _bound(edit_entry, _kind), methods=["GET", "POST"])
    bp.add_url_rule(f"{_item}/hide", f"hide_{_kind.key}", _bound(show_entry, _kind, shown=False), methods=["POST"])
    bp.add_url_rule(f"{_item}/show", f"show_{_kind.key}", _bound(show_entry, _kind, shown=True), methods=["POST"])
