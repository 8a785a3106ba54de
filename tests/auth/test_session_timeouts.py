"""Sessions end after 12 hours (absolute) and after a time without use (idle): 30 minutes for
staff, and for participants whatever the project chose (by default only the 12 hours)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select, update

from webapp import clock
from webapp.extensions import db
from webapp.models import AuthSession


def _age(build, idle: dt.timedelta, since_sign_in: dt.timedelta | None = None) -> None:
    """Make every open session look as if its last request was `idle` ago."""
    now = clock.now()
    values = {"last_seen_at": now - idle}
    if since_sign_in is not None:
        values["created_at"] = now - since_sign_in
    build(lambda: db.session.execute(update(AuthSession).values(**values)))


def _signed_in(client, url: str) -> bool:
    response = client.get(url)
    return response.status_code == 200


def test_a_coach_is_signed_out_after_30_minutes_without_use(client, world, build, read):
    client.sign_in(world.coach.email)
    _age(build, dt.timedelta(minutes=29))
    assert _signed_in(client, "/coach"), "29 minutes: still signed in"
    _age(build, dt.timedelta(minutes=31))
    response = client.get("/coach")
    assert response.status_code in (302, 303) and "/sign-in" in response.headers["Location"]
    ended = read(lambda: db.session.scalar(select(AuthSession.ended_at)))
    assert ended is not None, "the session is ended on the server, not only refused"
    _age(build, dt.timedelta(minutes=0))
    assert client.get("/coach").status_code in (302, 303), "an ended session stays ended"


def test_using_the_app_keeps_a_coach_signed_in(client, world, build, read):
    client.sign_in(world.coach.email)
    _age(build, dt.timedelta(minutes=25))
    assert _signed_in(client, "/coach")
    seen = read(lambda: db.session.scalar(select(AuthSession.last_seen_at)))
    assert clock.now() - seen < dt.timedelta(minutes=1), "the request counts as use"
    _age(build, dt.timedelta(minutes=25))
    assert _signed_in(client, "/coach")


def test_a_participant_has_only_the_12_hours_unless_the_project_sets_an_idle_limit(client, world, build, app,
                                                                                    monkeypatch):
    client.sign_in(world.p.login)
    _age(build, dt.timedelta(hours=3))
    assert _signed_in(client, "/home"), "no idle limit for participants by default"
    monkeypatch.setitem(app.config, "IDLE_MINUTES_PARTICIPANT", 120)
    _age(build, dt.timedelta(hours=3))
    assert not _signed_in(client, "/home")


def test_twelve_hours_after_sign_in_everyone_signs_in_again(client, world, build):
    client.sign_in(world.p.login)
    _age(build, dt.timedelta(minutes=1), since_sign_in=dt.timedelta(hours=12, minutes=1))
    assert not _signed_in(client, "/home")


def test_a_page_view_writes_the_session_at_most_once_a_minute(client, world, build, app):
    client.sign_in(world.p.login)
    writes: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE AUTH_SESSIONS"):
            writes.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        for _ in range(3):
            client.get("/home")
        assert writes == [], "within a minute of the last write, reading pages writes nothing"
        _age(build, dt.timedelta(minutes=2))
        writes.clear()  # the test's own change above
        client.get("/home")
        client.get("/home")
        assert len(writes) == 1
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_form_sent_after_a_pause_is_saved_and_the_last_use_written(client, world, build, read):
    """The first request after a minute writes the session's last use. When that request is a
    form (SQLite: the request already holds the write lock), it must not wait for itself."""
    client.sign_in(world.p.login)
    _age(build, dt.timedelta(minutes=5))
    response = client.post_form("/plan/goals/new", {"text": "Ta körkort"})
    assert response.status_code == 303
    seen = read(lambda: db.session.scalar(select(AuthSession.last_seen_at)))
    assert clock.now() - seen < dt.timedelta(minutes=1)
