"""Command-line tasks: demo data and setting up a real project."""

from __future__ import annotations

from sqlalchemy import func, select

from webapp.demo import DEMO_PASSWORD
from webapp.extensions import db
from webapp.models import ActivationCode, Activity, Gender, Participation, Project, Role, Step, StepState, User


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_loads_norrskan_with_two_coaches_and_eight_active_participants(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    code = result.output.split("code: ")[1].split()[0]
    with app.app_context():
        assert db.session.scalar(select(Project.name)) == "Norrskan"
        assert _count(User, User.role == Role.COACH) == 2
        assert _count(User, User.role == Role.PARTICIPANT, User.password_hash.is_not(None)) == 8
        genders = set(db.session.scalars(select(Participation.gender)))
        assert genders == set(Gender)
        assert _count(Activity) > 100
        weeks = {a.isocalendar().week for a in db.session.scalars(select(Activity.occurred_on))}
        assert len(weeks) >= 8
        assert _count(Step, Step.state == StepState.SUGGESTED) >= 1
        assert _count(ActivationCode, ActivationCode.used_at.is_(None)) == 1
    client = app.test_client()
    assert client.get(f"/activate?code={code}").status_code == 200


def test_demo_if_empty_does_not_load_twice(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0 and "no demo data" in result.output
    with app.app_context():
        assert _count(Project) == 1


def test_demo_sign_ins_from_the_readme_work(app, client):
    app.test_cli_runner().invoke(args=["demo"])
    client.sign_in("maria.lund@pitea.example", DEMO_PASSWORD)
    client.sign_out()
    client.sign_in("amina", DEMO_PASSWORD)
    assert client.get("/plan").status_code == 200


def test_create_project_and_staff_from_the_command_line(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=[
        "create-project", "--organisation", "Lycksele kommun", "--name", "Förstudien", "--starts-on", "2026-01-01",
        "--ends-on", "2026-12-31", "--municipality", "Lycksele",
    ])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=[
        "create-staff", "--role", "coach", "--email", "Kim@Lycksele.se", "--name", "Kim", "--project", "Förstudien",
        "--password", "ett långt lösenord",
    ])
    assert result.exit_code == 0, result.output
    client.sign_in("kim@lycksele.se", "ett långt lösenord")


def test_create_staff_refuses_an_unknown_project(app):
    result = app.test_cli_runner().invoke(args=[
        "create-staff", "--role", "coach", "--email", "a@b.se", "--name", "A", "--project", "Finns inte",
        "--password", "ett långt lösenord",
    ])
    assert result.exit_code != 0 and "no project" in result.output
