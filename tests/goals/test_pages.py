"""The report pages, the exports and the goals' configuration: who may open what, what they show,
that the files hold exactly the page's figures, and that no person can be found in any of them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.goals.figures import csv_figures, csv_rows, page_figures, totals_only, xlsx_figures, xlsx_rows
from tests.goals.world import Person, names_and_logins, period_query, project_of
from tests.html import parse
from webapp import clock
from webapp.extensions import db
from webapp.models import EndReason, Gender, GoalKind, Outcome, ProjectGoal

D = dt.date


def _urls(project_id: int) -> dict[str, str]:
    q = period_query()
    return {
        "report": f"/project/{project_id}/report?{q}",
        "csv": f"/project/{project_id}/report.csv?{q}",
        "xlsx": f"/project/{project_id}/report.xlsx?{q}",
        "rows": f"/project/{project_id}/report/anonymised.csv?{q}",
        "goals": f"/project/{project_id}/goals",
    }


def test_the_leader_sees_the_report_with_every_goal_and_the_downloads(client, goal_world):
    client.sign_in(goal_world.leader.email)
    client.post_form("/language", {"lang": "en", "next": "/project"})  # the assertions read English
    page = client.get(_urls(goal_world.project.public_id)["report"])
    assert page.status_code == 200
    soup = parse(page.get_data(as_text=True))
    assert [s.select_one(".goal-code").get_text() for s in soup.select("section.goal-result")] == [
        "G1", "G2", "G3", "G4", "G5"]
    totals = totals_only(page_figures(page.get_data(as_text=True)))
    assert totals[("G1", "total")][:2] == ("9", "14")
    assert totals[("G4", "total")][:2] == ("31", "38")
    assert totals[("G2", "total")][4:6] == ("15", "20")  # answered of due
    links = {a["href"].split("?")[0] for a in soup.select(".downloads a")}
    assert links == {f"/project/{goal_world.project.public_id}/report.xlsx", f"/project/{goal_world.project.public_id}/report.csv",
                     f"/project/{goal_world.project.public_id}/report/anonymised.csv"}
    # Tables: a caption, column and row headers; they scroll inside their own box on a phone.
    for table in soup.select("table.figures"):
        assert table.find("caption") and table.select("th[scope=col]") and table.select("th[scope=row]")
        assert "table-scroll" in table.parent["class"] and table.parent["tabindex"] == "0"
    # The status is written out, not only coloured.
    status = soup.select_one(f"#goal-{goal_world.goal_ids['G1']} .goal-status")
    assert status.get_text(" ", strip=True).endswith("Met")


def test_the_default_period_is_the_projects_whole_period_until_today(client, goal_world):
    client.sign_in(goal_world.leader.email)
    soup = parse(client.get(f"/project/{goal_world.project.public_id}/report").get_data(as_text=True))
    assert soup.select_one("#start")["value"] == "2025-01-01"  # the factory project starts then


@pytest.mark.parametrize("query", ["start=2026-06-30&end=2026-01-01", "start=30+juni&end=2026-07-01"])
def test_a_period_that_cannot_be_read_answers_422_next_to_the_field(client, goal_world, query):
    client.sign_in(goal_world.leader.email)
    response = client.get(f"/project/{goal_world.project.public_id}/report?{query}")
    assert response.status_code == 422
    soup = parse(response.get_data(as_text=True))
    assert soup.select(".field__error") and soup.select_one(".error-summary a")
    assert not soup.select("section.goal-result")


def test_days_the_project_has_not_run_are_left_out_and_the_page_says_so(client, goal_world, monkeypatch):
    """2020–2030 for a project of 2025–2028, on 30 September 2026: the figures are those of the days
    the project has run, the page and the downloads say which days they cover, and a note says why.
    (Everyone not yet ended was counted as taking part in 2030, and ages were counted at 2030.)"""
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 9, 30, 10, tzinfo=dt.UTC))
    client.sign_in(goal_world.leader.email)
    url = f"/project/{goal_world.project.public_id}/report"
    wide = client.get(f"{url}?start=2020-01-01&end=2030-12-31")
    assert wide.status_code == 200
    soup = parse(wide.get_data(as_text=True))
    assert soup.select_one(".notice").get_text(" ", strip=True) == (
        "Siffrorna räknar bara de dagar som projektet har pågått: från onsdag 1 januari 2025 till onsdag 30 september 2026.")
    assert soup.select_one(".report-period").get_text(strip=True) == (
        "Från och med onsdag 1 januari 2025 till och med onsdag 30 september 2026.")
    assert all("start=2025-01-01&end=2026-09-30" in a["href"] for a in soup.select(".downloads a"))
    within = client.get(f"{url}?start=2025-01-01&end=2026-09-30").get_data(as_text=True)
    assert page_figures(wide.get_data(as_text=True)) == page_figures(within)
    assert not parse(within).select(".notice")


def test_a_date_typed_another_way_is_shown_as_the_date_field_can_show_it(client, goal_world):
    """2026-1-5 was counted but shown as typed, which a date field shows empty: "Show the figures"
    again then went back to the whole period without a word."""
    client.sign_in(goal_world.leader.email)
    page = parse(client.get(f"/project/{goal_world.project.public_id}/report?start=2026-1-5&end=1/3/2026")
                 .get_data(as_text=True))
    assert (page.find(id="start")["value"], page.find(id="end")["value"]) == ("2026-01-05", "2026-03-01")


@pytest.mark.parametrize(("query", "field", "message"), [
    ("start=2010-01-01&end=2012-12-31", "end", "Projektet började onsdag 1 januari 2025. Välj en sista dag efter det."),
    ("start=2030-01-01&end=2030-12-31", "start", "Projektet slutade söndag 31 december 2028. Välj en första dag före det."),
    ("start=2027-01-01&end=2027-12-31", "start", "Datumet kan inte vara i framtiden. Välj i dag eller en tidigare dag."),
])
def test_a_period_when_the_project_has_not_run_is_refused_next_to_the_field(client, goal_world, query, field, message,
                                                                           monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 9, 30, 10, tzinfo=dt.UTC))
    client.sign_in(goal_world.leader.email)
    response = client.get(f"/project/{goal_world.project.public_id}/report?{query}")
    assert response.status_code == 422
    assert message in parse(response.get_data(as_text=True)).find(id=f"{field}-error").get_text()


def test_another_projects_leader_gets_404_everywhere(client, goal_world, read):
    client.sign_in(goal_world.other_leader.email)
    for url in _urls(goal_world.project.public_id).values():
        assert client.get(url).status_code == 404, url
    goal = read(lambda: db.session.get(ProjectGoal, goal_world.goal_ids["G1"]).public_id)
    assert client.get(f"/project/{goal_world.project.public_id}/goals/{goal}/edit").status_code == 404
    assert client.post_form(f"/project/{goal_world.project.public_id}/goals/{goal}/remove").status_code == 404
    # Their own project's URL with Norrskan's goal: 404 too.
    assert client.get(f"/project/{goal_world.other_project.public_id}/goals/{goal}/edit").status_code == 404


@pytest.mark.parametrize("who", ["coach", "participant"])
def test_coaches_and_participants_cannot_open_the_leaders_report_or_exports(client, goal_world, who):
    login = goal_world.coach.email if who == "coach" else goal_world.participants["b1"].login
    client.sign_in(login)
    for url in _urls(goal_world.project.public_id).values():
        assert client.get(url).status_code == 403, url


def test_a_coachs_report_covers_only_their_own_caseload(client, goal_world):
    client.sign_in(goal_world.coach.email)
    client.post_form("/language", {"lang": "en", "next": "/coach"})
    page = client.get(f"/coach/report?{period_query()}")
    assert page.status_code == 200
    totals = totals_only(page_figures(page.get_data(as_text=True)))
    # Piteå only (see test_report.py): G4 21 of 24, G1 6 of 10.
    assert totals[("G4", "total")][:2] == ("21", "24")
    assert totals[("G1", "total")][:2] == ("6", "10")
    assert "Only the participants you coach yourself." in page.get_data(as_text=True)
    # The Arvidsjaur coach sees the 14 Arvidsjaur participations: plan not ready b3 b10 b13 d2.
    client.sign_out()
    client.sign_in(goal_world.other_coach.email)
    totals = totals_only(page_figures(client.get(f"/coach/report?{period_query()}").get_data(as_text=True)))
    assert totals[("G4", "total")][:2] == ("10", "14")


def test_a_coach_cannot_ask_for_a_project_they_do_not_work_in(client, goal_world):
    client.sign_in(goal_world.coach.email)
    assert client.get(f"/coach/report?project={goal_world.other_project.public_id}").status_code == 404
    client.sign_out()
    client.sign_in(goal_world.leader.email)
    assert client.get("/coach/report").status_code == 403


def test_the_csv_and_the_xlsx_hold_exactly_the_pages_figures(client, goal_world):
    client.sign_in(goal_world.leader.email)
    urls = _urls(goal_world.project.public_id)
    page = page_figures(client.get(urls["report"]).get_data(as_text=True))
    csv_response = client.get(urls["csv"])
    assert csv_response.mimetype == "text/csv"
    assert csv_response.headers["Content-Disposition"].startswith('attachment; filename="maluppfoljning-norrskan-')
    xlsx_response = client.get(urls["xlsx"])
    assert xlsx_response.mimetype.endswith("spreadsheetml.sheet")
    from_csv = csv_figures(csv_response.get_data(as_text=True))
    from_xlsx = xlsx_figures(xlsx_response.get_data())
    assert len(page) == 5 + 5 * (4 + 4 + 2)  # per goal its total and 10 categories
    assert from_csv == page
    assert from_xlsx == page
    # Suppressed counts are words, the same words as on the page.
    assert any(value == "färre än 5" for row in page.values() for value in row)  # Swedish, like the files


def test_the_exports_have_swedish_headings_whatever_the_leaders_language(client, goal_world):
    client.sign_in(goal_world.leader.email)
    client.post_form("/language", {"lang": "en", "next": "/project"})
    urls = _urls(goal_world.project.public_id)
    assert parse(client.get(urls["report"]).get_data(as_text=True)).find("html")["lang"] == "en"
    headings = csv_rows(client.get(urls["csv"]).get_data(as_text=True))[0]
    assert headings[:2] == ["Kod", "Mål"]
    split_words = {row[3] for row in csv_rows(client.get(urls["csv"]).get_data(as_text=True))[1:]}
    assert {"Kön", "Kommun"} <= split_words
    assert xlsx_rows(client.get(urls["xlsx"]).get_data())[0][:2] == ["Kod", "Mål"]
    rows = csv_rows(client.get(urls["rows"]).get_data(as_text=True))
    assert rows[0][1] == "Kön" and rows[0][3] == "Kommun"
    assert {row[1] for row in rows[1:]} <= {"Kvinna", "Man", "Ickebinär", "Vill inte svara", "dolt", "hidden"}


def test_no_participant_name_or_login_appears_in_any_page_or_file(client, new_client, goal_world, read):
    forbidden = names_and_logins(read)
    assert "NamnB1" in forbidden and "Efternamn Efternamn" not in forbidden
    client.sign_in(goal_world.leader.email)
    urls = _urls(goal_world.project.public_id)
    texts = {name: client.get(url).get_data(as_text=True) for name, url in urls.items() if name != "xlsx"}
    book = load_workbook(io.BytesIO(client.get(urls["xlsx"]).get_data()))
    texts["xlsx"] = "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                              for cell in row if cell is not None)
    coach = new_client()
    coach.sign_in(goal_world.coach.email)
    texts["coach report"] = coach.get(f"/coach/report?{period_query()}").get_data(as_text=True)
    for name, text in texts.items():
        assert "Efternamn" not in text, name
        for word in forbidden:
            assert word not in text, f"{word!r} in {name}"


def test_the_anonymised_file_has_one_numbered_row_per_participation_and_no_ids(client, goal_world, read):
    client.sign_in(goal_world.leader.email)
    rows = csv_rows(client.get(_urls(goal_world.project.public_id)["rows"]).get_data(as_text=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 38
    assert [row[0] for row in body] == [str(n) for n in range(1, 39)]
    ids = read(lambda: [str(p.participation_id) for p in goal_world.participants.values()] + [
        p.participation_id.hex for p in goal_world.participants.values()])
    text = "\n".join(";".join(row) for row in rows)
    assert not any(i in text for i in ids)
    assert "2026-" not in text and "2025-" not in text  # flags for the period, no dates
    # Every shown combination of gender, age and municipality is shared by at least 5 rows.
    combos = {}
    for row in body:
        key = (row[1], row[2], row[3])
        combos[key] = combos.get(key, 0) + 1
    assert all(count >= 5 for count in combos.values()), combos
    # The exit items the goals read are columns; answers only for those who ended in the period.
    assert header[-2:] == ["Mina chanser att få ett jobb har ökat sedan jag började i projektet.",
                           "Jag vet mer nu om vad arbetsgivare kräver och vilka möjligheter jag har."]


def test_exports_are_limited_to_ten_a_minute_per_person(client, goal_world):
    client.sign_in(goal_world.leader.email)
    url = _urls(goal_world.project.public_id)["csv"]
    statuses = [client.get(url).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def _people(n: int) -> list[Person]:
    return [Person(f"q{i}", (Gender.WOMAN, Gender.MAN)[i % 2], 1980 + i, "P", D(2025, 5, 1), D(2026, 3, 1),
                   EndReason.COMPLETED, Outcome.EMPLOYMENT, D(2025, 6, 1), D(2026, 2, 1), "HN", (5, 4))
            for i in range(n)]


def test_the_report_page_runs_as_many_queries_for_1_as_for_11_participations(build, new_client, count_queries):
    counts = []
    for n in (1, 11):
        project, leader = build(project_of, _people(n))
        client = new_client()
        client.sign_in(leader.email)
        with count_queries() as queries:
            assert client.get(f"/project/{project.public_id}/report?{period_query()}").status_code == 200
        counts.append(queries())
    assert counts[0] > 3 and counts[0] == counts[1]


# -- configuring the goals ------------------------------------------------------------------------


def _goal_form(**changes) -> dict:
    data = {"code": "G6", "title": "Hälften har en praktikplats", "kind": "share", "target": "50",
            "population": "all", "condition": "helper_step", "item_key": ""}
    data.update(changes)
    return data


def test_the_leader_lists_adds_changes_and_removes_goals(client, goal_world, read):
    client.sign_in(goal_world.leader.email)
    base = f"/project/{goal_world.project.public_id}/goals"
    listing = parse(client.get(base).get_data(as_text=True))
    assert [c.get_text() for c in listing.select(".goal-list .goal-code")] == ["G1", "G2", "G3", "G4", "G5"]
    response = client.post_form(base, {**_goal_form(code="V1", kind="count", target="125", population="ended",
                                                    condition="outcome_in"),
                                       "outcomes": ["supported_employment", "labour_market_training"]})
    assert response.status_code == 303
    added = read(lambda: db.session.scalar(select(ProjectGoal).where(ProjectGoal.code == "V1")))
    assert (added.kind, added.outcomes, added.position, added.item_key) == (
        GoalKind.COUNT, "supported_employment,labour_market_training", 6, None)
    edit = f"{base}/{added.public_id}/edit"
    form = parse(client.get(edit).get_data(as_text=True))
    assert form.select_one("#code")["value"] == "V1" and form.select_one("#target")["value"] == "125"
    assert {i["value"] for i in form.select("input[name=outcomes][checked]")} == {
        "supported_employment", "labour_market_training"}
    assert client.post_form(edit, {**_goal_form(code="V1", title="Ny titel", target="130", kind="count",
                                                population="ended", condition="outcome_in"),
                                   "outcomes": ["employment"]}).status_code == 303
    changed = read(lambda: db.session.get(ProjectGoal, added.id))
    assert (changed.title, changed.target, changed.outcomes) == ("Ny titel", 130, "employment")
    # "Remove" asks first: the link opens a question, and only its button removes the goal.
    remove = f"{base}/{added.public_id}/remove"
    listing = parse(client.get(base).get_data(as_text=True))
    assert listing.select_one(f"a[href='{remove}']") is not None and listing.select_one(f"form[action='{remove}']") is None
    question = parse(client.get(remove).get_data(as_text=True))
    assert question.select_one(f"form[action='{remove}'] button") is not None
    assert read(lambda: db.session.get(ProjectGoal, added.id)) is not None, "asking removes nothing"
    assert client.post_form(remove).status_code == 303
    assert read(lambda: db.session.get(ProjectGoal, added.id)) is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"target": "150"}, "target"),
    ({"target": "femtio"}, "target"),
    ({"population": "answered_item", "condition": "agrees"}, "item_key"),
    ({"condition": "none"}, "condition"),
    ({"condition": "outcome_in"}, "outcomes"),
    ({"code": "g1"}, "code"),
    ({"population": "everyone"}, "population"),
    ({"title": "  "}, "title"),
])
def test_an_impossible_goal_answers_422_with_the_message_next_to_the_field(client, goal_world, read, changes, field):
    client.sign_in(goal_world.leader.email)
    before = read(lambda: len(list(db.session.scalars(select(ProjectGoal)))))
    response = client.post_form(f"/project/{goal_world.project.public_id}/goals", _goal_form(**changes))
    assert response.status_code == 422
    soup = parse(response.get_data(as_text=True))
    error = soup.select_one(f"#{field}-error")
    assert error is not None, soup.select(".field__error")
    described = soup.select_one(f"#{field}") or soup.select_one(f"fieldset[aria-describedby*='{field}-error']")
    assert f"{field}-error" in described.get("aria-describedby", "")
    assert soup.title.get_text().startswith("Error:") or soup.title.get_text().startswith("Fel:")
    assert read(lambda: len(list(db.session.scalars(select(ProjectGoal))))) == before


@pytest.mark.parametrize(("target", "message"), [
    ("-3", "Write the target with digits only, for example 50."),
    ("12.5", "Write the target with digits only, for example 50."),
    ("99999999999999999999", "The target is too big. Write at most 7 digits."),
])
def test_a_target_that_is_not_a_whole_number_says_what_is_wrong(client, goal_world, target, message):
    client.set_cookie("lang", "en")
    client.sign_in(goal_world.leader.email)
    response = client.post_form(f"/project/{goal_world.project.public_id}/goals", _goal_form(target=target))
    assert response.status_code == 422
    soup = parse(response.get_data(as_text=True))
    assert message in soup.select_one("#target-error").get_text()
    assert soup.select_one("#target")["value"] == target, "what was typed stays"


def test_the_project_pages_link_to_the_report_and_the_goals(client, goal_world):
    client.sign_in(goal_world.leader.email)
    home = parse(client.get("/project").get_data(as_text=True))
    hrefs = {a["href"] for a in home.select(".card a")}
    assert {f"/project/{goal_world.project.public_id}/report", f"/project/{goal_world.project.public_id}/goals"} <= hrefs
    client.sign_out()
    client.sign_in(goal_world.coach.email)
    caseload = parse(client.get("/coach").get_data(as_text=True))
    assert caseload.select_one("a[href='/coach/report']")
