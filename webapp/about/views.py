from flask import render_template

from webapp.about import bp
from webapp.i18n import languages


@bp.get("/translations")
def translations():
    """Which languages there are, who checked each translation, and how to report a bad one."""
    return render_template("about/translations.html", all_languages=list(languages().values()))
