"""Logging what you did: quick to add, stored once per client id, shown week by week."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.html import parse, textarea_value
from webapp import clock
from webapp.extensions import db
from webapp.models import Activity, ActivityKind, CapacityLevel


@pytest.fixture
def signed_in(client, world):
    client.sign_in(world.p.login)
    return client


def _entry(**extra):
    return {
        "client_id": str(uuid.uuid4()), "occurred_on": clock.today().isoformat(), "kind": "sfi",
        "minutes": "90", "feeling": "4", "note": "", "step": "", **extra,
    }


def _count(read):
    return read(lambda: db.session.scalar(select(func.count()).select_from(Activity)))


def test_the_log_form_has_today_and_a_fresh_client_id(signed_in):
    first = parse(signed_in.get("/log").get_data(as_text=True))
    second = parse(signed_in.get("/log").get_data(as_text=True))
    assert first.find(id="occurred_on")["value"] == clock.today().isoformat()
    ids = {first.find(id="client_id")["value"], second.find(id="client_id")["value"]}
    assert len(ids) == 2 and all(uuid.UUID(i) for i in ids)


def test_participant_logs_an_activity_and_sees_it_in_this_week(signed_in, read, world):
    response = signed_in.post_form("/log", _entry(note="Lektion om verb"))
    assert response.status_code == 303
    activity = read(lambda: db.session.scalar(select(Activity)))
    assert (activity.kind, activity.minutes, activity.feeling) == (ActivityKind.SFI, 90, 4)
    assert response.headers["Location"] == f"/log#activity-{activity.id}"
    page = signed_in.get("/log").get_data(as_text=True)
    assert f'id="activity-{activity.id}"' in page and "Lektion om verb" in page


def test_the_same_submit_twice_is_stored_once(signed_in, read):
    entry = _entry()
    first = signed_in.post_form("/log", entry)
    second = signed_in.post_form("/log", entry)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(read) == 1


def test_a_replay_still_counts_as_one_after_the_entry_was_edited(signed_in, read):
    entry = _entry()
    signed_in.post_form("/log", entry)
    activity = read(lambda: db.session.scalar(select(Activity)))
    prefix = f"edit-{activity.id.hex[:8]}-"
    signed_in.post_form(f"/log/{activity.id}/edit", {prefix + k: v for k, v in _entry(minutes="30").items()})
    assert signed_in.post_form("/log", entry).status_code == 303
    assert _count(read) == 1
    assert read(lambda: db.session.scalar(select(Activity.minutes))) == 30


def test_the_same_client_id_with_other_content_is_refused(signed_in, read):
    entry = _entry()
    signed_in.post_form("/log", entry)
    response = signed_in.post_form("/log", {**entry, "minutes": "240"})
    assert response.status_code == 422
    assert _count(read) == 1
    form = parse(response.get_data(as_text=True))
    assert form.select_one(".error-summary") is not None
    assert form.find(id="client_id")["value"] != entry["client_id"], "a new id lets the person save it as a new entry"


def test_another_participants_client_id_is_refused_and_reveals_nothing(signed_in, new_client, world, read):
    entry = _entry()
    other = new_client()
    other.sign_in(world.q.login)
    other.post_form("/log", entry)
    response = signed_in.post_form("/log", entry)
    assert response.status_code == 422
    assert _count(read) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"occurred_on": ""}, "occurred_on"),
    ({"occurred_on": "i morgon"}, "occurred_on"),
    ({"occurred_on": "2026-02-30"}, "occurred_on"),
    ({"occurred_on": (clock.today() + dt.timedelta(days=1)).isoformat()}, "occurred_on"),
    ({"occurred_on": (clock.today() - dt.timedelta(days=400)).isoformat()}, "occurred_on"),
    ({"kind": ""}, "kind"),
    ({"kind": "sleeping"}, "kind"),
    ({"minutes": ""}, "minutes"),
    ({"minutes": "0"}, "minutes"),
    ({"minutes": "5000"}, "minutes"),
    ({"feeling": ""}, "feeling"),
    ({"feeling": "7"}, "feeling"),
    ({"note": "x" * 1001}, "note"),
    ({"note": "nul\x00"}, "note"),
    ({"step": str(uuid.uuid4())}, "step"),
])
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(signed_in, read, change, field):
    typed = _entry(note="Det här vill jag inte skriva igen")
    typed.update(change)
    response = signed_in.post_form("/log", typed)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    error = page.find(id=f"{field}-error")
    assert error is not None and error.get_text(strip=True), f"no message next to {field}"
    target = f"{field}-0" if field == "feeling" else field
    assert page.select_one(f'.error-summary a[href="#{target}"]') is not None
    if field != "note":
        assert textarea_value(page.find(id="note")) == "Det här vill jag inte skriva igen"
    if field != "occurred_on":
        assert page.find(id="occurred_on")["value"] == typed["occurred_on"]
    assert _count(read) == 0


def test_linking_to_another_participants_step_is_refused(signed_in, build, read, world):
    theirs = build(factories.step, world.q, build(factories.goal, world.q))
    response = signed_in.post_form("/log", _entry(step=str(theirs)))
    assert response.status_code == 422
    assert 'id="step-error"' in response.get_data(as_text=True)
    assert _count(read) == 0


def test_an_activity_can_be_linked_to_an_own_step(signed_in, build, read, world):
    step = build(factories.step, world.p, build(factories.goal, world.p), "Plugga glosor")
    signed_in.post_form("/log", _entry(step=str(step)))
    assert read(lambda: db.session.scalar(select(Activity.step_id))) == step
    assert "Plugga glosor" in signed_in.get("/log").get_data(as_text=True)


def test_dates_typed_without_a_date_picker_are_understood(signed_in, read):
    day = clock.today() - dt.timedelta(days=2)
    signed_in.post_form("/log", _entry(occurred_on=day.strftime("%d/%m/%Y")))
    assert read(lambda: db.session.scalar(select(Activity.occurred_on))) == day


def test_participant_edits_an_entry(signed_in, build, read, world):
    activity = build(factories.activity, world.p, note="Före")
    prefix = f"edit-{activity.hex[:8]}-"
    page = parse(signed_in.get(f"/log/{activity}/edit").get_data(as_text=True))
    assert textarea_value(page.find(id=prefix + "note")) == "Före"
    response = signed_in.post_form(f"/log/{activity}/edit", {prefix + k: v for k, v in _entry(note="Efter").items()})
    assert response.status_code == 303
    assert read(lambda: db.session.get(Activity, activity).note) == "Efter"


def test_an_edit_with_bad_input_keeps_the_typed_text(signed_in, build, read, world):
    activity = build(factories.activity, world.p, note="Före")
    prefix = f"edit-{activity.hex[:8]}-"
    data = {prefix + k: v for k, v in _entry(note="Efter", minutes="").items()}
    response = signed_in.post_form(f"/log/{activity}/edit", data)
    assert response.status_code == 422
    assert textarea_value(parse(response.get_data(as_text=True)).find(id=prefix + "note")) == "Efter"
    assert read(lambda: db.session.get(Activity, activity).note) == "Före"


def test_a_deleted_entry_can_be_brought_back(signed_in, build, read, world):
    activity = build(factories.activity, world.p)
    response = signed_in.post_form(f"/log/{activity}/delete")
    assert response.headers["Location"] == f"/log/{activity}/deleted"
    page = signed_in.get(f"/log/{activity}/deleted").get_data(as_text=True)
    assert f'id="activity-{activity}"' not in page and f'/log/{activity}/restore' in page
    signed_in.post_form(f"/log/{activity}/restore")
    assert f'id="activity-{activity}"' in signed_in.get("/log").get_data(as_text=True)
    # Back (without JavaScript) to the "deleted" page of an entry that is back: the log, not a 404.
    again = signed_in.get(f"/log/{activity}/deleted", follow_redirects=True)
    assert again.status_code == 200 and f'id="activity-{activity}"' in again.get_data(as_text=True)


def test_the_kind_logged_last_is_chosen_for_the_next_entry(signed_in):
    signed_in.post_form("/log", _entry(kind="job_application"))
    page = parse(signed_in.get("/log").get_data(as_text=True))
    assert page.select_one("#kind option[selected]")["value"] == "job_application"


def test_week_shows_time_against_stated_capacity_not_full_time(signed_in, build, world):
    monday = clock.today() - dt.timedelta(days=clock.today().weekday())
    build(factories.capacity, world.p, CapacityLevel.P50, monday - dt.timedelta(days=30))
    build(factories.activity, world.p, monday, 120)
    build(factories.activity, world.p, monday, 60)
    page = parse(signed_in.get("/log").get_data(as_text=True))
    week = page.find(id=f"week-{monday.isoformat()}").find_parent("section")
    bar = week.find("progress")
    assert (bar["value"], bar["max"]) == ("180", str(20 * 60)), "50 % of a 40-hour week is 20 hours"
    assert "3" in week.find(id=f"week-time-{monday.isoformat()}").get_text()


def test_on_sick_leave_the_week_has_no_target(signed_in, build, world):
    monday = clock.today() - dt.timedelta(days=clock.today().weekday())
    build(factories.capacity, world.p, CapacityLevel.SICK_LEAVE, monday - dt.timedelta(days=3))
    build(factories.activity, world.p, monday, 30)
    page = parse(signed_in.get("/log").get_data(as_text=True))
    week = page.find(id=f"week-{monday.isoformat()}").find_parent("section")
    assert week.find("progress") is None


def test_a_capacity_change_applies_from_its_date(signed_in, build, world):
    monday = clock.today() - dt.timedelta(days=clock.today().weekday())
    build(factories.capacity, world.p, CapacityLevel.P25, monday - dt.timedelta(days=60))
    build(factories.capacity, world.p, CapacityLevel.P100, monday)
    page = parse(signed_in.get("/log").get_data(as_text=True))
    this_week = page.find(id=f"week-{monday.isoformat()}").find_parent("section").find("progress")
    last_week = page.find(id=f"week-{(monday - dt.timedelta(days=7)).isoformat()}").find_parent("section").find("progress")
    assert (this_week["max"], last_week["max"]) == ("2400", "600")


def test_participant_states_capacity(signed_in, read, world):
    response = signed_in.post_form("/capacity", {"level": "75", "starts_on": clock.today().isoformat()})
    assert response.status_code == 303
    from webapp.models import Capacity

    assert read(lambda: db.session.scalar(select(Capacity.level))) == CapacityLevel.P75


def test_capacity_form_refuses_unknown_levels(signed_in, read):
    response = signed_in.post_form("/capacity", {"level": "150", "starts_on": clock.today().isoformat()})
    assert response.status_code == 422
    assert 'id="level-error"' in response.get_data(as_text=True)


def test_older_weeks_are_a_link_away(signed_in, build, world):
    old = clock.today() - dt.timedelta(weeks=6)
    build(factories.activity, world.p, old, note="Gammal anteckning")
    page = parse(signed_in.get("/log").get_data(as_text=True))
    assert "Gammal anteckning" not in page.get_text()
    older = page.find("a", href=lambda h: h and h.startswith("/log?before="))
    assert "Gammal anteckning" in signed_in.get(older["href"]).get_data(as_text=True)


def test_log_with_htmx_returns_the_log_with_focus_on_the_new_entry(signed_in, read):
    response = signed_in.post_form("/log", _entry(), hx=True)
    assert response.status_code == 200 and response.headers["HX-Retarget"] == "#log"
    activity = read(lambda: db.session.scalar(select(Activity.id)))
    html = parse(response.get_data(as_text=True))
    assert html.find(id=f"activity-{activity}").has_attr("data-focus")
    assert html.find(id="status").get_text(strip=True)
    assert html.find(id="client_id")["value"] != "", "a fresh form for the next entry"


def test_bad_input_with_htmx_returns_only_the_form(signed_in):
    response = signed_in.post_form("/log", _entry(kind=""), hx=True)
    assert response.status_code == 422
    html = parse(response.get_data(as_text=True))
    assert html.find("form")["id"] == "activity-form-new" and html.find(id="log") is None


def test_line_breaks_count_as_one_character_each(signed_in, read):
    """A browser sends each line break as two characters (CR LF): without JavaScript, a note of 995
    characters in 22 lines was refused as 1 016."""
    lines = ["Ringde Coop om jobbet."] * 21  # and a last, long line: 1 000 characters with 21 line breaks
    note = "\r\n".join([*lines, "Skrev till ICA. " * 32 + "x" * (1000 - 21 * 23 - 16 * 32)])
    assert len(note.replace("\r\n", "\n")) == 1000 < len(note) == 1021
    response = signed_in.post_form("/log", _entry(note=note))
    assert response.status_code == 303
    assert read(lambda: db.session.scalar(select(Activity.note))) == note.replace("\r\n", "\n")
