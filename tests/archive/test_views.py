"""The project leader's archive page: download, import as a copy, the codes shown once, refusals
next to the field, and a body bigger than the app's usual limit for this one upload."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.archive.conftest import load_full_demo
from webapp.extensions import db
from webapp.models import AuditRecord, Project, ProjectStaff, User


def _demo_led_by(world_project_id: int, leader_id) -> None:
    db.session.get(Project, world_project_id).name = "Världen"  # world's project is called Norrskan too
    db.session.flush()
    project = load_full_demo()
    db.session.add(ProjectStaff(project_id=project.id, user_id=leader_id))


@pytest.fixture
def leader(client, build, world):
    """world.leader, who also leads the demo project Norrskan, in English."""
    build(_demo_led_by, world.project.id, world.leader.id)
    client.sign_in(world.leader.email)
    client.post_form("/language", {"lang": "en", "next": "/project"})
    return client


def _project(read, name="Norrskan"):
    return read(lambda: db.session.scalar(select(Project).where(Project.name == name)))


def _download(leader, project) -> bytes:
    response = leader.get(f"/project/{project.public_id}/archive/download")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data()


def test_the_leader_downloads_the_archive_and_it_is_recorded(leader, read):
    project = _project(read)
    page = leader.get(f"/project/{project.public_id}/archive").get_data(as_text=True)
    assert "Download the archive" in page and "Import the archive" in page
    data = json.loads(_download(leader, project))
    assert data["project"]["name"] == "Norrskan"
    assert "password_hash" not in json.dumps(data)
    events = read(lambda: [(e.event, e.detail) for e in db.session.scalars(
        select(AuditRecord).where(AuditRecord.project_id == project.id, AuditRecord.kind == "event"))])
    assert ("export", "project-archive") in events


def test_the_leader_imports_a_copy_and_sees_the_codes_once(leader, read):
    project = _project(read)
    raw = _download(leader, project)
    response = leader.post_form(f"/project/{project.public_id}/archive/import",
                                {"file": (io.BytesIO(raw), "norrskan.json"), "new_name": "Norrskan – kopia"},
                                content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[-3000:]
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert "This list is shown only once" in text
    assert "Amina Hassan" in text and "Fatima Ali" in text
    assert "lena.ek@pitea.example" not in text  # she had an account: linked, no code
    with leader.session_transaction() as kept:
        assert "Amina" not in json.dumps(dict(kept), default=str), "no codes in the cookie"
    copy = _project(read, "Norrskan – kopia")
    lena = read(lambda: db.session.scalar(select(User).where(User.login_name == "lena.ek@pitea.example")))
    assert read(lambda: db.session.get(ProjectStaff, (copy.id, lena.id))) is not None
    copied = json.loads(_download(leader, copy))
    original = json.loads(raw)
    def answers(data):  # the same answers; the participants are new accounts with new login names
        return sorted((a["item_key"], str(a["value_int"]), str(a["value_text"])) for p in data["participations"]
                      for r in p["survey_responses"] for a in r["answers"])

    assert answers(copied) == answers(original) and len(answers(copied)) > 100


def test_importing_the_same_project_again_is_refused_next_to_the_field(leader, read):
    project = _project(read)
    raw = _download(leader, project)
    response = leader.post_form(f"/project/{project.public_id}/archive/import",
                                {"file": (io.BytesIO(raw), "norrskan.json"), "new_name": ""},
                                content_type="multipart/form-data", check=False)
    assert response.status_code == 422
    assert "already exists here" in response.get_data(as_text=True)
    assert read(lambda: len(db.session.scalars(select(Project)).all())) == 3  # world's two and Norrskan


@pytest.mark.parametrize(("body", "message"), [
    (b"not json at all", "it is not JSON"),
    (b'{"format": "stegvis-participant-export", "version": 1}', "not a Stegvis project archive"),
])
def test_a_wrong_file_is_refused_with_a_message(leader, read, body, message):
    project = _project(read)
    response = leader.post_form(f"/project/{project.public_id}/archive/import",
                                {"file": (io.BytesIO(body), "x.json"), "new_name": "Ny"},
                                content_type="multipart/form-data", check=False)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert 'value="Ny"' in response.get_data(as_text=True)


def test_no_file_chosen_is_refused(leader, read):
    project = _project(read)
    response = leader.post_form(f"/project/{project.public_id}/archive/import", {"new_name": "Ny"},
                                content_type="multipart/form-data", check=False)
    assert response.status_code == 422
    assert "Choose the archive file to import." in response.get_data(as_text=True)


def test_the_upload_may_be_bigger_than_the_usual_limit(app, leader, read):
    project = _project(read)
    data = json.loads(_download(leader, project))
    data["padding"] = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1000)  # an unknown key: the file is wrong
    raw = json.dumps(data).encode()
    # Encoded here in memory: the test client would spool a body this big to a file it never closes.
    boundary, body = encode_multipart({"csrf_token": leader.csrf_token(), "new_name": "Stor",
                                       "file": FileStorage(io.BytesIO(raw), "big.json")})
    response = leader.post(f"/project/{project.public_id}/archive/import", input_stream=io.BytesIO(body),
                           content_type=f"multipart/form-data; boundary={boundary}", content_length=len(body),
                           check=False)
    assert response.status_code == 200  # read and imported (the unknown key is ignored), not refused as too big
