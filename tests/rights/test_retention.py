"""The project leader's retention settings: the last payment, the years, the decision's reference."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from tests.html import parse
from webapp.extensions import db
from webapp.models import ProjectRetention
from webapp.models.rights import retention_until


def _url(world) -> str:
    return f"/project/{world.project.public_id}/retention"


@pytest.mark.parametrize(("paid", "years", "until"), [
    (dt.date(2026, 3, 12), 5, dt.date(2031, 12, 31)),  # the example in CPR Art. 82's guidance
    (dt.date(2026, 12, 31), 1, dt.date(2027, 12, 31)),
    (dt.date(2026, 1, 1), 30, dt.date(2056, 12, 31)),
    (None, 5, None),
])
def test_the_retention_date_is_31_december_of_the_payment_year_plus_the_years(paid, years, until):
    assert retention_until(paid, years) == until


def test_the_leader_records_the_last_payment_and_sees_the_date_in_words(leader, world, read, events):
    page = leader.get(_url(world)).get_data(as_text=True)
    assert "No date for the last payment yet. Nothing is deleted." in page
    assert parse(page).find("input", attrs={"name": "keep_years"})["value"] == "5"
    assert f'href="/project/{world.project.public_id}/retention"' in leader.get("/project").get_data(as_text=True)

    response = leader.post_form(_url(world), {"last_payment_on": "2026-03-12", "keep_years": "5",
                                              "decision_reference": "KS 2026/123 § 4"})
    assert response.status_code == 303
    page = leader.get(_url(world)).get_data(as_text=True)
    assert "The project's information is kept until Wednesday 31 December 2031." in page
    assert "Retention decision: KS 2026/123 § 4" in page
    saved = read(lambda: db.session.get(ProjectRetention, world.project.id))
    assert (saved.last_payment_on, saved.keep_years, saved.decision_reference) == (
        dt.date(2026, 3, 12), 5, "KS 2026/123 § 4")
    assert ("retention_set", world.leader.id, None, "2031-12-31") in events


def test_the_participant_sees_the_retention_date_on_my_data(participant, build, world):
    build(lambda: db.session.add(ProjectRetention(project_id=world.project.id, last_payment_on=dt.date(2026, 3, 12),
                                                  keep_years=5, decision_reference="KS 2026/123")))
    page = participant.get("/my-data").get_data(as_text=True)
    assert "The project keeps your information until Wednesday 31 December 2031. Then it is deleted." in page


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"last_payment_on": "12/13/2026", "keep_years": "5", "decision_reference": "KS 1"}, "last_payment_on",
     "Write the date like this: 2026-11-23."),
    ({"last_payment_on": "2999-01-01", "keep_years": "5", "decision_reference": "KS 1"}, "last_payment_on",
     "The date is in the future."),
    ({"last_payment_on": "", "keep_years": "forty", "decision_reference": ""}, "keep_years",
     "Write a whole number of years from 1 to 30."),
    ({"last_payment_on": "", "keep_years": "31", "decision_reference": ""}, "keep_years",
     "Write a whole number of years from 1 to 30."),
    ({"last_payment_on": "", "keep_years": "0", "decision_reference": ""}, "keep_years",
     "Write a whole number of years from 1 to 30."),
    ({"last_payment_on": "", "keep_years": "", "decision_reference": ""}, "keep_years",
     "Write how many years to keep the information."),
    ({"last_payment_on": "2026-03-12", "keep_years": "5", "decision_reference": ""}, "decision_reference",
     "Write the reference of the retention decision."),
    ({"last_payment_on": "", "keep_years": "5", "decision_reference": "x" * 201}, "decision_reference",
     "Write at most 200 characters."),
])
def test_bad_input_gets_a_message_by_the_field_keeps_what_was_typed_and_saves_nothing(leader, world, read, form,
                                                                                       field, message):
    response = leader.post_form(_url(world), form)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    error = page.find(id=f"{field}-error")
    assert error is not None and message in error.get_text(), page.find(class_="error-summary")
    for name, value in form.items():
        assert page.find("input", attrs={"name": name})["value"] == value
    assert read(lambda: db.session.get(ProjectRetention, world.project.id)) is None


def test_a_past_retention_date_is_said_plainly(leader, build, world):
    build(lambda: db.session.add(ProjectRetention(project_id=world.project.id, last_payment_on=dt.date(2015, 6, 1),
                                                  keep_years=5, decision_reference="KS 2015/9")))
    page = leader.get(_url(world)).get_data(as_text=True)
    assert "The retention date Thursday 31 December 2020 has passed." in page


def test_only_the_projects_own_leader_opens_its_retention_settings(new_client, build, world):
    other_leader = build(factories.staff, world.project_b, "leader")
    client = new_client()
    client.sign_in(other_leader.email)
    assert client.get(_url(world)).status_code == 404
    assert client.post_form(_url(world), {"keep_years": "5"}).status_code == 404
    coach = new_client()
    coach.sign_in(world.coach.email)
    assert coach.get(_url(world)).status_code == 403
