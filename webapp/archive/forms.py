"""The form to import a project archive."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from webapp.forms import CleanStringField, Form, MaxChars


class ImportForm(Form):
    file = FileField(_l("Archive file (JSON)"), validators=[FileRequired(_l("Choose the archive file to import."))])
    new_name = CleanStringField(_l("New name for the project (to import a copy)"), validators=[MaxChars(200)])
