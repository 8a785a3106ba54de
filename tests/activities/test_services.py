"""Activity and capacity services on their own, without requests."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from tests import factories
from webapp import clock
from webapp.activities import services
from webapp.activities.services import ActivityData
from webapp.extensions import db
from webapp.i18n.formatting import week_start
from webapp.models import Activity, ActivityKind, CapacityLevel, Participation


def _participation(person) -> Participation:
    return db.session.get(Participation, person.participation_id)


def _data(**extra) -> ActivityData:
    values = {"occurred_on": clock.today(), "kind": ActivityKind.STUDIES, "minutes": 60, "feeling": 3, **extra}
    return ActivityData(**values)


def test_log_activity_stores_once_per_client_id(app_context, world):
    participation = _participation(world.p)
    client_id = uuid.uuid4()
    first, created = services.log_activity(participation, client_id, _data())
    again, created_again = services.log_activity(participation, client_id, _data())
    assert (created, created_again) == (True, False)
    assert first.id == again.id
    assert db.session.scalar(select(func.count()).select_from(Activity)) == 1


def test_losing_a_race_with_the_same_entry_returns_the_stored_one(app_context, world, monkeypatch):
    """Two requests with the same entry at once (a phone and its service worker): the second
    looked before the first had stored it, then its INSERT meets the unique client id. It must
    answer with the stored entry, on PostgreSQL too (where a failed INSERT outside a savepoint
    would abort the whole transaction)."""
    participation = _participation(world.p)
    client_id = uuid.uuid4()
    stored, _created = services.log_activity(participation, client_id, _data())
    db.session.flush()
    real_scalar = db.session.scalar
    looks = []

    def first_look_misses(statement, *args, **kwargs):
        looks.append(statement)
        return None if len(looks) == 1 else real_scalar(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", first_look_misses)
    again, created = services.log_activity(participation, client_id, _data())
    monkeypatch.undo()
    assert created is False and again.id == stored.id
    assert db.session.scalar(select(func.count()).select_from(Activity)) == 1


def test_log_activity_refuses_the_same_id_with_other_content(app_context, world):
    participation = _participation(world.p)
    client_id = uuid.uuid4()
    services.log_activity(participation, client_id, _data())
    with pytest.raises(services.ClientIdConflict):
        services.log_activity(participation, client_id, _data(note="annat"))


def test_log_activity_refuses_an_id_used_by_another_participant(app_context, world):
    client_id = uuid.uuid4()
    services.log_activity(_participation(world.q), client_id, _data())
    with pytest.raises(services.ClientIdConflict):
        services.log_activity(_participation(world.p), client_id, _data())


def test_an_empty_note_and_no_note_are_the_same_content(app_context):
    assert _data(note="").fingerprint() == _data(note=None).fingerprint()
    assert _data(minutes=30).fingerprint() != _data().fingerprint()


def test_capacity_on_a_day_is_the_newest_started_on_or_before_it(app_context, world):
    today = clock.today()
    factories.capacity(world.p, CapacityLevel.P25, today - dt.timedelta(days=30))
    factories.capacity(world.p, CapacityLevel.P75, today - dt.timedelta(days=5))
    factories.capacity(world.p, CapacityLevel.P100, today + dt.timedelta(days=5))
    history = services.capacities(_participation(world.p))
    assert services.capacity_on(history, today).level == CapacityLevel.P75
    assert services.capacity_on(history, today - dt.timedelta(days=10)).level == CapacityLevel.P25
    assert services.capacity_on(history, today - dt.timedelta(days=31)) is None


def test_weeks_put_entries_in_their_monday_to_sunday_week(app_context, world):
    monday = week_start(clock.today())
    factories.activity(world.p, monday, 30)
    factories.activity(world.p, monday - dt.timedelta(days=1), 45)  # the Sunday before
    factories.capacity(world.p, CapacityLevel.P50, monday - dt.timedelta(days=20))
    weeks = services.weeks(_participation(world.p), clock.today(), count=2)
    assert [w.start for w in weeks] == [monday, monday - dt.timedelta(days=7)]
    assert [w.minutes for w in weeks] == [30, 45]
    assert weeks[0].capacity_minutes == 1200


def test_sick_leave_has_no_expected_minutes(app_context, world):
    factories.capacity(world.p, CapacityLevel.SICK_LEAVE, clock.today() - dt.timedelta(days=20))
    week = services.weeks(_participation(world.p), clock.today(), count=1)[0]
    assert week.capacity_minutes is None and week.capacity.level == CapacityLevel.SICK_LEAVE


def test_deleted_entries_are_not_counted(app_context, world):
    entry = db.session.get(Activity, factories.activity(world.p, minutes=90))
    services.delete_activity(entry)
    assert services.weeks(_participation(world.p), clock.today(), count=1)[0].minutes == 0
