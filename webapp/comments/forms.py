from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

from webapp.comments.services import COMMENT_MAX
from webapp.forms import CleanTextAreaField, Form, MaxChars, Required


class CommentForm(Form):
    thread = HiddenField(default="general")
    text = CleanTextAreaField(
        _l("Your message"), validators=[Required(_l("Write a message.")), MaxChars(COMMENT_MAX)]
    )
