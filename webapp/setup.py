"""Setting up a project and its staff, for the CLI and the demo."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from webapp.auth.services import hash_password, normalise_login
from webapp.extensions import db
from webapp.models import Helper, Municipality, Organisation, Project, ProjectStaff, Role, User

# The authorities and organisations a step usually goes through. They are names of Swedish
# institutions, so they stay in Swedish in every language. The last one is "other".
STANDARD_HELPERS = [
    "Arbetsförmedlingen",
    "Försäkringskassan",
    "Socialtjänsten",
    "Vuxenutbildningen / SFI",
    "Hälso- och sjukvården",
    "Arbetsgivare",
    "Studieförbund / folkhögskola",
    "Kommunens arbetsmarknadsenhet",
]
OTHER_HELPER = "Annan"


class SetupError(Exception):
    pass


def organisation(name: str) -> Organisation:
    existing = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if existing:
        return existing
    org = Organisation(name=name)
    db.session.add(org)
    db.session.flush()
    return org


def create_project(org_name: str, name: str, starts_on: dt.date, ends_on: dt.date, municipalities) -> Project:
    if ends_on <= starts_on:
        raise SetupError("The project must end after it starts.")
    project = Project(organisation=organisation(org_name), name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(project)
    db.session.flush()
    for municipality in municipalities:
        db.session.add(Municipality(project_id=project.id, name=municipality))
    for position, helper in enumerate(STANDARD_HELPERS, start=1):
        db.session.add(Helper(project_id=project.id, name=helper, position=position))
    db.session.add(Helper(project_id=project.id, name=OTHER_HELPER, position=99, is_other=True))
    db.session.flush()
    return project


def create_staff(role: str, email: str, name: str, project_name: str, password: str) -> User:
    project = db.session.scalar(select(Project).where(Project.name == project_name))
    if project is None:
        raise SetupError(f"There is no project called {project_name!r}.")
    if len(password) < 8:
        raise SetupError("The password must have at least 8 characters.")
    login = normalise_login(email)
    if db.session.scalar(select(User.id).where(User.login_name == login)):
        raise SetupError(f"{email} already has an account.")
    user = User(
        role=Role(role), name=name, login_name=login, password_hash=hash_password(password),
        organisation_id=project.organisation_id,
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(ProjectStaff(project_id=project.id, user_id=user.id))
    db.session.flush()
    return user
