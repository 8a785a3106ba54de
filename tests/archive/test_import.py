"""Importing where the project exists: refused with a clear message, or made as a copy under a new
name; staff linked by email, participants given new login names; a damaged file saves nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests.archive.support import archive_of, content
from webapp.archive import importer
from webapp.extensions import db
from webapp.models import Participation, Project, ProjectStaff, User


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_importing_a_project_that_exists_is_refused_and_saves_nothing(app, demo, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(archive_of("Norrskan")), encoding="utf-8")
    users, participations = _count(User), _count(Participation)
    result = app.test_cli_runner().invoke(args=["import-project", str(path)])
    assert result.exit_code == 1
    assert "already exists" in result.output and "Nothing was imported" in result.output
    assert (_count(User), _count(Participation)) == (users, participations)


def test_a_copy_under_a_new_name_links_staff_and_renames_taken_participant_logins(app, demo, tmp_path):
    original = archive_of("Norrskan")
    path = tmp_path / "a.json"
    path.write_text(json.dumps(original), encoding="utf-8")
    staff_before = _count(User)
    result = app.test_cli_runner().invoke(args=["import-project", str(path), "--as", "Norrskan 2"])
    assert result.exit_code == 0, result.output
    copy = db.session.scalar(select(Project).where(Project.name == "Norrskan 2"))
    lena = db.session.scalar(select(User).where(User.login_name == "lena.ek@pitea.example"))
    assert db.session.get(ProjectStaff, (copy.id, lena.id)) is not None  # linked, not duplicated
    participants = [u for u in original["users"] if u["role"] == "participant"]
    assert _count(User) == staff_before + len(participants)
    assert "amina," not in result.output  # her login was taken: she has a new one
    assert "Amina Hassan,participant,amina" in result.output
    copied = archive_of("Norrskan 2")
    same = content(original)
    # The copy has the same plans, activities and answers; the people are new accounts.
    for table in ("goals", "activities", "survey_answers", "municipalities", "helpers"):
        assert sum(content(copied)[table].values()) == sum(same[table].values())
    assert len(copied["participations"]) == len(original["participations"])


def test_a_copy_under_a_name_that_is_taken_is_refused(app, demo, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(archive_of("Norrskan")), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-project", str(path), "--as", "Norrskan"])
    assert result.exit_code == 1
    assert "Choose another name" in result.output


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(format="something-else"), "not a Stegvis project archive"),
    (lambda d: d.update(version=2), "format version 2"),
    (lambda d: d["participations"][0].update(birth_year="nineteen"), "participations.birth_year"),
    (lambda d: d["participations"][-1]["steps"].append({**d["participations"][0]["steps"][0], "id": "x"}),
     "steps.id"),
    (lambda d: d["participations"][0].update(coach_id="00000000-0000-0000-0000-000000000000"),
     "points at something not in the file"),
])
def test_a_damaged_file_is_refused_with_the_place_and_saves_nothing(demo, change, message):
    data = archive_of("Norrskan")
    change(data)
    users = _count(User)
    with pytest.raises(importer.ArchiveError, match=message):
        importer.import_archive(importer.read(json.dumps(data)), new_name="Norrskan 3")
    db.session.rollback()
    assert _count(User) == users
    assert db.session.scalar(select(Project).where(Project.name == "Norrskan 3")) is None


@pytest.mark.parametrize("raw", [b"\xff\xfe not json", b"[" * 100_000 + b"]" * 100_000])
def test_a_file_that_is_not_json_is_refused(raw):
    with pytest.raises(importer.ArchiveError, match="not JSON"):
        importer.read(raw)


@pytest.mark.parametrize("shape", [
    {"project": {"name": "X"}, "participations": [1, 2]},
    {"project": {"name": "X"}, "users": "everyone"},
    {"project": {"name": "X", "id": [1]}},
    {"project": {"name": "X", "id": 1, "organisation_id": 1}, "organisations": [{"id": 1, "name": {"a": 1}}]},
])
def test_odd_shapes_are_refused_as_damaged(app_context, shape):
    data = {"format": "stegvis-project-archive", "version": 1, **shape}
    with pytest.raises(importer.ArchiveError, match="damaged|does not fit"):
        importer.import_archive(importer.read(json.dumps(data)))
    db.session.rollback()
