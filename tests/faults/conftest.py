"""Fault tests: Stegvis under gunicorn on a scratch database, with phones that send their outbox.

Each test gets its own database, migrated to head: a SQLite file under tmp_path, or (with
TEST_DATABASE_URL) a new database on that PostgreSQL server, dropped afterwards. Data is made
with tests/factories.py; the server is tests/servers.py's gunicorn on a loopback socket it owns.

Every phone writes what it sent and what the server acknowledged into one Ledger. The universal
oracle (`assert_oracle`): every acknowledged entry is stored exactly once, under the id the server
gave; nothing is stored twice; nothing is stored that was not sent; and what is stored is what was
sent (no half-written entry).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field

import flask_migrate
import pytest
import requests
from sqlalchemy import select, update

from scripts.bench_report import scratch_postgres
from tests import factories
from tests.servers import Gunicorn
from webapp import clock, create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.models import Activity, AuthSession

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
# Requests never wait longer than this; a test never hangs on a server that stopped answering.
TIMEOUT = 20


# --- the scratch database and its data -------------------------------------------------------------


@pytest.fixture
def scratch_url(tmp_path):
    server = os.environ.get("TEST_DATABASE_URL")
    if server:
        with scratch_postgres(server) as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'faults.db'}"


@pytest.fixture
def scratch_app(scratch_url, tmp_path):
    """An app on the scratch database (migrated to head), for making data and checking it."""
    application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=scratch_url,
                             INSTANCE_PATH=str(tmp_path / "test-instance"))
    with application.app_context():
        flask_migrate.upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@dataclass(frozen=True)
class People:
    participants: list[factories.Participant]


@pytest.fixture
def people(scratch_app) -> People:
    """A project with a coach and four participants who can sign in with a password."""
    with scratch_app.app_context():
        project = factories.project("Felsäkert")
        coach = factories.staff(project, "coach")
        participants = [factories.participant(project, coach) for _ in range(4)]
        db.session.commit()
    return People(participants)


@pytest.fixture
def serve(scratch_url, tmp_path, people):
    """`with serve(workers=2) as server:` gunicorn on the scratch database (data made first)."""
    count = iter(range(1, 100))

    def start(workers: int = 2, app: str = "wsgi:app", env: dict[str, str] | None = None) -> Gunicorn:
        return Gunicorn(scratch_url, tmp_path / f"instance-{next(count)}", workers=workers, app=app,
                        env={"STEGVIS_RATELIMIT_SIGN_IN": "100000 per minute",
                             "STEGVIS_RATELIMIT_SIGN_IN_ACCOUNT": "100000 per minute",
                             "GUNICORN_LOG_LEVEL": "info", **(env or {})})

    return start


# --- the ledger and the oracle ---------------------------------------------------------------------


@dataclass
class Ledger:
    """What the phones sent (by client id, with the fields) and what the server acknowledged
    (client id → the entry's id in the server's answer). Thread-safe."""

    sent: dict[str, dict] = field(default_factory=dict)
    acked: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record_sent(self, fields: dict) -> None:
        with self.lock:
            self.sent[fields["client_id"]] = fields

    def record_ack(self, client_id: str, entry_id: str) -> None:
        with self.lock:
            earlier = self.acked.setdefault(client_id, entry_id)
        assert earlier == entry_id, f"{client_id} acknowledged as {earlier} and then as {entry_id}"


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture
def stored(scratch_app):
    """Every activity row in the scratch database, as (client id, entry id, content)."""

    def rows() -> list[tuple[str, str, dict]]:
        with scratch_app.app_context():
            found = db.session.scalars(select(Activity)).all()
            return [(str(a.client_id), str(a.id), _content(a)) for a in found]

    return rows


def _content(a: Activity) -> dict:
    return {"occurred_on": a.occurred_on.isoformat(), "kind": a.kind.value, "minutes": str(a.minutes),
            "feeling": str(a.feeling), "note": a.note or ""}


@pytest.fixture
def assert_oracle(ledger, stored):
    """Acknowledged ⊆ stored, each exactly once under the acknowledged id; stored ⊆ sent; and
    each stored entry holds exactly what was sent."""

    def check() -> list[tuple[str, str, dict]]:
        rows = stored()
        copies = Counter(client_id for client_id, _id, _content in rows)
        twice = [client_id for client_id, n in copies.items() if n > 1]
        assert not twice, f"stored more than once: {twice}"
        by_client = {client_id: (entry_id, content) for client_id, entry_id, content in rows}
        unsent = set(by_client) - set(ledger.sent)
        assert not unsent, f"stored but never sent: {unsent}"
        lost = {c: i for c, i in ledger.acked.items() if c not in by_client}
        assert not lost, f"acknowledged but not stored: {lost}"
        moved = {c: (i, by_client[c][0]) for c, i in ledger.acked.items() if by_client[c][0] != i}
        assert not moved, f"stored under another id than the one acknowledged: {moved}"
        for client_id, (_entry_id, content) in by_client.items():
            sent = {k: ledger.sent[client_id][k] for k in content}
            assert content == sent, f"{client_id} stored as {content}, sent as {sent}"
        return rows

    return check


# --- a phone -----------------------------------------------------------------------------------


def entry(note: str) -> dict:
    """A new outbox entry's fields, as the phone's form made them (with a fresh client id)."""
    return {"client_id": str(uuid.uuid4()), "occurred_on": clock.today().isoformat(), "kind": "job_application",
            "minutes": "30", "feeling": "4", "note": note}


class Phone:
    """One browser session of a participant, talking to the server over HTTP like the outbox does."""

    def __init__(self, url: str, person: factories.Participant, ledger: Ledger):
        self.url = url
        self.person = person
        self.ledger = ledger
        self.http = requests.Session()
        self.owner = ""
        self.csrf = ""

    def sign_in(self) -> Phone:
        page = self.http.get(self.url + "/sign-in", timeout=TIMEOUT)
        token = CSRF_META.search(page.text)
        assert token, f"no CSRF token on the sign-in page ({page.status_code})"
        response = self.http.post(self.url + "/sign-in", timeout=TIMEOUT, allow_redirects=False, data={
            "csrf_token": token.group(1), "login_name": self.person.login, "password": self.person.password})
        assert response.status_code == 303, f"sign-in failed: {response.status_code}"
        who = self.http.get(self.url + "/log/outbox", headers={"Accept": "application/json"}, timeout=TIMEOUT)
        assert who.status_code == 200, f"no outbox: {who.status_code}"
        self.owner, self.csrf = who.json()["user"], who.json()["csrf"]
        return self

    def post(self, fields: dict, headers: dict | None = None, timeout: float = TIMEOUT) -> requests.Response:
        """Send one entry once, recording it as sent (before it leaves) and as acknowledged (2xx).
        Connection errors are raised to the caller."""
        self.ledger.record_sent(fields)
        response = self.http.post(
            self.url + "/log/outbox", timeout=timeout,
            json={"client_id": fields["client_id"], "owner": self.owner, "fields": fields},
            headers={"X-CSRFToken": self.csrf, **(headers or {})})
        if response.status_code in (200, 201):
            self.ledger.record_ack(fields["client_id"], response.json()["id"])
        return response

    def send(self, fields: dict, attempts: int = 3) -> requests.Response:
        """Send until answered, like the outbox: a connection error is retried with the same
        client id (a few times, then raised)."""
        for attempt in range(attempts):
            try:
                return self.post(fields)
            except requests.ConnectionError:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")


@pytest.fixture
def phone(ledger):
    """`phone(server, person)`: a signed-in phone."""

    def make(server: Gunicorn, person: factories.Participant) -> Phone:
        return Phone(server.url, person, ledger).sign_in()

    return make


def age_sessions(scratch_app, minutes: int) -> None:
    """Make every open session look as if its last request was `minutes` ago (a phone that was
    put away for a while): the next request writes the session's last use."""
    with scratch_app.app_context():
        db.session.execute(update(AuthSession).values(last_seen_at=clock.now() - dt.timedelta(minutes=minutes)))
        db.session.commit()

