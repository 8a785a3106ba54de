from flask import render_template
from flask_login import current_user

from webapp.leader import bp, services


@bp.get("")
def home():
    return render_template("leader/home.html", summaries=services.project_summaries(current_user))
