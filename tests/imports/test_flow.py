"""The leader's way through the import: upload, columns, preview with every problem, confirm
(all or nothing, or only the valid rows), the result and the code sheet."""

from __future__ import annotations

import re

import pytest

from tests.html import parse
from tests.imports.support import (
    as_leader,
    count_participations,
    csv_bytes,
    import_url,
    names_in_project,
    person,
    selected,
    upload,
    upload_and_map,
    uploads,
    xlsx_bytes,
)


def _problem_rows(html: str) -> dict[int, str]:
    """{row number: its problems as text} from the preview's table."""
    found = {}
    for number, cells in re.findall(r'<tr id="row-(\d+)">(.*?)</tr>', html, re.S):
        found[int(number)] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cells))
    return found


def test_a_valid_list_is_imported_after_confirming(client, world, read):
    as_leader(client, world)
    before = count_participations(read, world)
    url = upload_and_map(client, world, csv_bytes([person(world), person(world, "Olle Ek", "man", 1985)]))
    preview = client.get(url + "/preview").get_data(as_text=True)
    assert "2 rows can be imported" in preview and "0 rows have problems" in preview
    assert count_participations(read, world) == before, "nothing before the leader confirms"
    done = client.post_form(url + "/confirm")
    assert done.status_code == 303
    assert count_participations(read, world) == before + 2
    assert {"Nora Nyström", "Olle Ek"} <= names_in_project(read, world)
    result = client.get(done.location).get_data(as_text=True)
    assert "2 participants were imported" in result and "Olle Ek" in result
    assert uploads(read)[0].content is None, "the file's bytes are gone after the import"
    again = client.post_form(url + "/confirm")
    assert again.status_code == 303 and count_participations(read, world) == before + 2, "never twice"


def test_the_preview_shows_how_gender_and_start_date_were_read(client, world):
    """The gender makes the ESF report's split and a date like 1/11/2026 could be read two ways:
    the leader sees both before confirming."""
    as_leader(client, world)
    rows = [person(world, day="1/11/2026"), person(world, "Olle Ek", "Ickebinär", 1985)]
    page = parse(client.get(upload_and_map(client, world, csv_bytes(rows)) + "/preview").get_data(as_text=True))
    table = page.find("th", string="Gender").find_parent("table")
    cells = [[cell.get_text(" ", strip=True) for cell in tr.select("th, td")] for tr in table.select("tbody tr")]
    assert cells[0][2] == "Woman" and cells[1][2] == "Non-binary"
    assert table.select("tbody time")[0]["datetime"] == "2026-11-01"
    assert "1 Nov" in cells[0][5]


def test_xlsx_and_comma_csv_in_windows_1252_are_imported_too(client, world, read):
    as_leader(client, world)
    url = upload_and_map(client, world, xlsx_bytes([person(world, "Åke Ström", "man", 1980)]), "lista.xlsx")
    assert client.post_form(url + "/confirm").status_code == 303
    raw = csv_bytes([person(world, "Märta Ölund")], sep=",", encoding="cp1252")
    url = upload_and_map(client, world, raw)
    assert client.post_form(url + "/confirm").status_code == 303
    assert {"Åke Ström", "Märta Ölund"} <= names_in_project(read, world)


def test_the_columns_page_is_filled_in_from_the_header(client, world):
    as_leader(client, world)
    header = ["Anteckning", "Handledare", "Startdatum", "Kommun", "Födelseår", "Kön", "Namn"]
    raw = csv_bytes([["x", world.coach.email, "2026-01-15", "Piteå", "1990", "kvinna", "Eva"]], header=header)
    response = upload(client, world, raw)
    page = client.get(response.location).get_data(as_text=True)
    assert {name: selected(page, name) for name in ("coach", "enrolled_on", "municipality", "birth_year", "gender",
                                                    "name")} == {
        "coach": "1", "enrolled_on": "2", "municipality": "3", "birth_year": "4", "gender": "5", "name": "6"}


def test_a_column_chosen_twice_or_not_at_all_is_said_by_the_field(client, world):
    as_leader(client, world)
    url = upload(client, world, csv_bytes([person(world)])).location
    chosen = {"name": "0", "gender": "0", "birth_year": "2", "municipality": "3", "enrolled_on": "4", "coach": ""}
    page = client.post_form(url, chosen)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="gender-error"' in html and "already chosen" in html
    assert 'id="coach-error"' in html
    assert selected(html, "birth_year") == "2", "what was chosen stays"


def test_every_problem_is_explained_on_its_row(client, world):
    as_leader(client, world)
    rows = [
        person(world, coach="Ingen Alls"),                      # 2: unknown coach
        person(world, "Ali Ahmed", town="Stockholm"),            # 3: unknown municipality
        person(world, "Bo Berg", day="2026-02-30"),              # 4: impossible date
        person(world, "Cia Carlsson", year=1930),                # 5: birth year out of range
        person(world, "Dan Dahl", gender="kanske"),              # 6: unknown gender
        person(world, ""),                                       # 7: missing name
        person(world, "Eva Ek", year=1990),                      # 8: fine
        person(world, "eva  ek", year=1990),                     # 9: the same person as row 8
        person(world, "Amina Hassan", year=1990),                # 10: already in the project (world.p)
        person(world, "Fia Fors", day="igår"),                   # 11: date we cannot read
    ]
    url = upload_and_map(client, world, csv_bytes(rows))
    html = client.get(url + "/preview").get_data(as_text=True)
    problems = _problem_rows(html)
    assert set(problems) == {2, 3, 4, 5, 6, 7, 9, 10, 11}
    assert "Ingen Alls" in problems[2] and "not an active coach" in problems[2]
    assert "Stockholm" in problems[3] and "municipality" in problems[3]
    assert "does not exist" in problems[4]
    assert "1930" in problems[5] and "ages 16 to 64" in problems[5]
    assert "kanske" in problems[6] and "gender" in problems[6]
    assert "name is missing" in problems[7]
    assert "also on row 8" in problems[9]
    assert "already a participant" in problems[10]
    assert "igår" in problems[11] and "2026-11-23" in problems[11]
    assert "1 row can be imported" in html and "9 rows have problems" in html


def test_a_coach_of_another_project_or_an_inactive_coach_is_unknown(client, build, world):
    from webapp.extensions import db
    from webapp.models import User

    as_leader(client, world)
    build(lambda: setattr(db.session.get(User, world.other_coach.id), "is_active", False))
    url = upload_and_map(client, world, csv_bytes([person(world, coach=world.coach_b.email),
                                                   person(world, "Ny Två", coach=world.other_coach.name),
                                                   person(world, "Ny Tre", coach=world.coach.name.upper())]))
    problems = _problem_rows(client.get(url + "/preview").get_data(as_text=True))
    assert set(problems) == {2, 3}, "by email or name, any case, and only the project's active coaches"


def test_one_bad_row_means_nothing_is_imported(client, world, read):
    as_leader(client, world)
    before = names_in_project(read, world)
    url = upload_and_map(client, world, csv_bytes([person(world), person(world, "Olle Ek", gender="?")]))
    response = client.post_form(url + "/confirm")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported" in html
    assert names_in_project(read, world) == before


def test_only_the_valid_rows_when_the_leader_chooses_so(client, world, read):
    as_leader(client, world)
    before = names_in_project(read, world)
    rows = [person(world), person(world, "Olle Ek", gender="?"), person(world, "Pia Ek", "kvinna", 1970),
            person(world, "Nora Nyström")]
    url = upload_and_map(client, world, csv_bytes(rows))
    html = client.get(url + "/preview").get_data(as_text=True)
    assert "Import only the 2 rows without problems" in html
    response = client.post_form(url + "/confirm", {"only_valid": "yes"})
    assert response.status_code == 303
    assert names_in_project(read, world) - before == {"Nora Nyström", "Pia Ek"}
    assert "2 participants were imported" in client.get(response.location).get_data(as_text=True)


def test_a_list_where_no_row_is_valid_imports_nothing_even_when_asked(client, world, read):
    as_leader(client, world)
    before = count_participations(read, world)
    url = upload_and_map(client, world, csv_bytes([person(world, gender="?")]))
    assert client.post_form(url + "/confirm", {"only_valid": "yes"}).status_code == 422
    assert count_participations(read, world) == before


@pytest.mark.parametrize(("content", "filename", "says"), [
    (b"", "tom.csv", "The file is empty"),
    ("Namn;Kön;Födelseår\n".encode(), "rubrik.csv", "only a header row"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDRxxxx", "bild.csv", "not a spreadsheet"),
    (b"PK\x03\x04garbage", "trasig.xlsx", "not a spreadsheet"),
])
def test_a_file_that_cannot_be_imported_is_said_by_the_field(client, world, read, content, filename, says):
    as_leader(client, world)
    response = upload(client, world, content, filename)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="file-error"' in html and says in html
    assert "Error:" in html.split("</title>")[0]
    assert uploads(read) == []


def test_no_file_at_all_is_said_by_the_field(client, world):
    as_leader(client, world)
    response = client.post_form(import_url(world), {}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="file-error"' in response.get_data(as_text=True)


def test_the_code_sheet_has_one_qr_per_person_and_the_codes_activate(client, new_client, world, read):
    as_leader(client, world)
    rows = [person(world), person(world, "Olle Ek", "man", 1985), person(world, "Pia Ek", "kvinna", 1970)]
    url = upload_and_map(client, world, csv_bytes(rows))
    done = client.post_form(url + "/confirm")
    result = client.get(done.location).get_data(as_text=True)
    assert "Printing makes new codes" in result
    sheet = client.post_form(url + "/codes")
    html = sheet.get_data(as_text=True)
    assert sheet.status_code == 200
    assert html.count('class="qr"') == 3 and html.count('class="code-card"') == 3
    codes = re.findall(r'<dd class="code"><bdi>([A-Z0-9]{4}-[A-Z0-9]{4})</bdi>', html)
    logins = re.findall(r'<dd class="login-name"><bdi>([a-z0-9]+)</bdi>', html)
    assert len(set(codes)) == 3 and len(logins) == 3
    participant = new_client()
    page = participant.post_form("/activate", {"code": codes[0]})
    assert page.status_code == 200 and logins[0] in page.get_data(as_text=True)
    activated = participant.post_form("/activate", {"stage": "password", "code": codes[0],
                                                    "password": "min hemliga fras", "password_again": "min hemliga fras"})
    assert activated.status_code == 303
    # Printing again: new codes for the two others only; the first sheet's codes stop working.
    again = client.post_form(url + "/codes").get_data(as_text=True)
    assert again.count('class="qr"') == 2
    assert new_client().post_form("/activate", {"code": codes[1]}).status_code == 422
    new_codes = re.findall(r'<dd class="code"><bdi>([A-Z0-9]{4}-[A-Z0-9]{4})</bdi>', again)
    assert new_client().post_form("/activate", {"code": new_codes[0]}).status_code == 200


def test_reloading_the_code_sheet_makes_no_new_codes_and_says_the_printed_ones_work(client, new_client, world):
    """The browser sends the form again on a reload of the sheet: the cards just printed must keep
    working (they stopped, without a word)."""
    as_leader(client, world)
    url = upload_and_map(client, world, csv_bytes([person(world), person(world, "Olle Ek", "man", 1985)]))
    result = client.get(client.post_form(url + "/confirm").location).get_data(as_text=True)
    token = re.search(r'name="once" value="([0-9a-f]+)"', result).group(1)
    sheet = client.post_form(url + "/codes", {"once": token}).get_data(as_text=True)
    printed = re.findall(r'<dd class="code"><bdi>([A-Z0-9]{4}-[A-Z0-9]{4})</bdi>', sheet)
    reload = client.post_form(url + "/codes", {"once": token})
    assert reload.status_code == 303 and reload.location.endswith("/done?printed=1")
    page = parse(client.get(reload.location).get_data(as_text=True))
    assert "the codes you printed work" in page.select_one("#codes-heading ~ .notice").get_text()
    assert all(new_client().post_form("/activate", {"code": code}).status_code == 200 for code in printed)
    # The button on that page is a new sending: new codes, and the printed ones stop working.
    fresh = page.find("input", attrs={"name": "once"})["value"]
    assert fresh != token
    again = client.post_form(url + "/codes", {"once": fresh}).get_data(as_text=True)
    assert again.count('class="code-card"') == 2
    assert new_client().post_form("/activate", {"code": printed[0]}).status_code == 422


def test_the_audit_log_records_the_import_and_the_printing(client, world, read):
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import AuditEvent

    as_leader(client, world)
    url = upload_and_map(client, world, csv_bytes([person(world)]))
    client.post_form(url + "/confirm")
    client.post_form(url + "/codes")
    events = read(lambda: [(e.event, e.detail, e.project_id) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.event.in_(("participants_imported", "codes_printed"))))])
    assert sorted(events) == [("codes_printed", "1", world.project.id), ("participants_imported", "1", world.project.id)]


def test_the_upload_page_says_what_the_file_needs(client, world):
    as_leader(client, world)
    html = client.get(import_url(world)).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and "Year of birth" in html


def test_an_old_upload_is_gone_after_a_day(client, build, world, read):
    import datetime as dt

    from webapp import clock
    from webapp.extensions import db
    from webapp.models import ParticipantImport

    as_leader(client, world)
    url = upload_and_map(client, world, csv_bytes([person(world)]))

    def age():
        for row in db.session.query(ParticipantImport):
            row.created_at = clock.now() - dt.timedelta(days=1, minutes=1)

    build(age)
    assert client.get(url + "/preview").status_code == 404
    upload(client, world, csv_bytes([person(world)]))
    assert len(uploads(read)) == 1, "the next upload removes uploads older than a day"

