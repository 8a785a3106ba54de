from flask import render_template

from webapp.about import bp
from webapp.i18n import languages

# Easy-to-read pages (lättläst): the key explanations, in short sentences, one thing per line.
EASY_PAGES = ("welcome", "your-information", "your-rights", "help")


@bp.get('/<any(welcome, "your-information", "your-rights", help):page>')
def easy(page: str):
    return render_template(f"about/{page.replace('-', '_')}.html", page=page, easy_pages=EASY_PAGES)


@bp.get("/translations")
def translations():
    """Which languages there are, who checked each translation, and how to report a bad one."""
    return render_template("about/translations.html", all_languages=list(languages().values()))
