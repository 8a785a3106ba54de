"""Fixtures for the archive tests: the demo project with a row in every table that reaches it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from tests.rights.support import fill_every_table
from webapp import audit
from webapp.demo import load_demo
from webapp.extensions import db
from webapp.models import Helper, Participation, Project, ProjectRetention, Step, User


def load_full_demo() -> Project:
    """Norrskan from `flask demo`, plus what the demo does not make: a row in every table that
    points at a participant (audit rows, erasure request, purge record, follow-up, caseload share,
    imported questionnaire …), a retention decision, and a project event and a sign-in."""
    load_demo()
    project = db.session.scalar(select(Project).where(Project.name == "Norrskan"))
    amina = db.session.scalar(select(User).where(User.login_name == "amina"))
    participation = db.session.scalar(select(Participation).where(Participation.participant_id == amina.id))
    fill_every_table(amina.id, participation.id, skip=("participant_imports",))  # not archived: see parts.py
    # The filler points a new step at the first helper in the database, which may be another project's.
    helper = db.session.scalar(select(Helper.id).where(Helper.project_id == project.id).limit(1))
    db.session.execute(update(Step).where(Step.participation_id == participation.id).values(helper_id=helper))
    db.session.add(ProjectRetention(project_id=project.id, last_payment_on=dt.date(2027, 3, 1), keep_years=5,
                                    decision_reference="Dnr 2026/17"))
    leader = db.session.scalar(select(User).where(User.login_name == "lena.ek@pitea.example"))
    audit.record_event("goal_changed", actor=leader, project_id=project.id, detail="G1")
    audit.record_event("sign_in", actor=amina, detail="password")
    db.session.commit()
    return project


@pytest.fixture
def demo(app_context) -> Project:
    return load_full_demo()
