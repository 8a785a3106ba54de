"""Helpers for the import tests: a signed-in leader in English, files to upload, and what the
database holds afterwards."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ParticipantImport, Participation, User

HEADER = ["Namn", "Kön", "Födelseår", "Kommun", "Inskriven", "Coach"]


def as_leader(client, world):
    client.sign_in(world.leader.email)
    client.post_form("/language", {"lang": "en", "next": "/project"})
    return client


def csv_bytes(rows, sep=";", header=HEADER, encoding="utf-8", bom=False) -> bytes:
    lines = [sep.join(header), *(sep.join(str(c) for c in row) for row in rows)]
    data = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + data.encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def person(world, name="Nora Nyström", gender="kvinna", year=1991, town="Piteå", day="2026-01-15", coach=None):
    return [name, gender, year, town, day, coach or world.coach.email]


def import_url(world) -> str:
    return f"/project/{world.project.public_id}/participants/import"


def upload(client, world, content: bytes, filename="deltagare.csv"):
    return client.post_form(import_url(world), {"file": (io.BytesIO(content), filename)},
                            content_type="multipart/form-data")


def upload_and_map(client, world, content: bytes, filename="deltagare.csv") -> str:
    """Upload, keep the guessed columns; returns the upload's URL (its columns page)."""
    response = upload(client, world, content, filename)
    assert response.status_code == 303, response.get_data(as_text=True)
    url = response.location
    page = client.get(url)
    assert page.status_code == 200
    chosen = {name: selected(page.get_data(as_text=True), name) for name in
              ("name", "gender", "birth_year", "municipality", "enrolled_on", "coach")}
    sent = client.post_form(url, chosen)
    assert sent.status_code == 303, sent.get_data(as_text=True)
    return url


def selected(html: str, name: str) -> str:
    """The value a select shows chosen."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    found = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html)
    return (found.group(1) or found.group(2)) if found else ""


def count_participations(read, world) -> int:
    return read(lambda: db.session.scalar(
        select(func.count()).select_from(Participation).where(Participation.project_id == world.project.id)))


def names_in_project(read, world) -> set[str]:
    return set(read(lambda: db.session.scalars(
        select(User.name).join(Participation, Participation.participant_id == User.id)
        .where(Participation.project_id == world.project.id)).all()))


def uploads(read) -> list[ParticipantImport]:
    return read(lambda: db.session.scalars(select(ParticipantImport)).all())
