"""Forms: the file, the column for each field, and the confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from webapp.forms import Choice, Form, Required, options
from webapp.imports.mapping import FIELDS, column_label


class UploadForm(Form):
    file = FileField(_l("The participant list (CSV or XLSX)"),
                     validators=[FileRequired(_l("Choose the file with the participant list."))])


class MappingForm(Form):
    """A select per Stegvis field; each column of the file may be chosen once."""

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        chosen: dict[str, str] = {}
        for name in FIELDS:
            value = self[name].data
            if not self[name].errors and value in chosen:
                self[name].errors.append(_l("This column is already chosen for \"%(field)s\". Choose another.",
                                            field=FIELDS[chosen[value]]))
                ok = False
            chosen.setdefault(value, name)
        return ok

    def mapping(self) -> dict[str, int]:
        return {name: int(self[name].data) for name in FIELDS}


def mapping_form(header: list[str], **kwargs) -> MappingForm:
    choices = options([("", _l("Choose a column")), *((str(i), column_label(header, i)) for i in range(len(header)))])
    fields = {}
    for name, label in FIELDS.items():
        fields[name] = Choice(label, choices=choices,
                              validators=[Required(_l("Choose the column with \"%(field)s\".", field=label))],
                              invalid_message=_l("Choose a column from the list."))
    form_class = type("MappingForm", (MappingForm,), fields)
    return form_class(**kwargs)


class ConfirmForm(Form):
    """"Import" (only when every row is valid), or "import only the valid rows"."""

    only_valid = HiddenField()
