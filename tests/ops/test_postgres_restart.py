"""REL: PostgreSQL stops and starts again while phones write and read.

While the database is down every answer is a fast 503 with Retry-After (no hang, no 500); when it
is back, pages and writes work again without restarting gunicorn (the same workers). Every entry
the server acknowledged is stored exactly once, and nothing is stored that was not sent.

The database is a private cluster (tests/ops/private_postgres.py) on a loopback port, made and
removed by the test: the machine's shared PostgreSQL is never restarted.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from dataclasses import dataclass

import flask_migrate
import pytest
import requests
from sqlalchemy import create_engine, select

from tests import factories
from tests.faults.conftest import Ledger, Phone, entry
from tests.ops.private_postgres import missing_reason, private_cluster
from tests.servers import Gunicorn
from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.models import Activity

POOL_TIMEOUT = 3
DOWN_SECONDS = 5
REQUEST_TIMEOUT = 15  # far above what an answer may take: a hang shows as a slow answer, not a stuck test

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="runs in the PostgreSQL run")


@pytest.fixture
def cluster():
    reason = missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the PostgreSQL restart test: {reason}")
        pytest.skip(reason)
    with private_cluster() as made:
        yield made


@dataclass
class Answer:
    at: float
    kind: str  # "write" or "page"
    status: int | None  # None: no answer (connection error)
    seconds: float
    retry_after: str | None
    json_message: bool = False


def _prepare(cluster, tmp_path) -> tuple[str, list[factories.Participant]]:
    admin = create_engine(cluster.url + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql('CREATE DATABASE "stegvis"')
    admin.dispose()
    url = cluster.url + "/stegvis"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, INSTANCE_PATH=str(tmp_path / "setup"))
    with app.app_context():
        flask_migrate.upgrade()
        project = factories.project("Omstart")
        coach = factories.staff(project, "coach")
        people = [factories.participant(project, coach) for _ in range(2)]
        db.session.commit()
        db.engine.dispose()
    return url, people


def _stored(url: str, tmp_path) -> list[tuple[str, str]]:
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, INSTANCE_PATH=str(tmp_path / "check"))
    with app.app_context():
        rows = [(str(a.client_id), str(a.id)) for a in db.session.scalars(select(Activity))]
        db.session.remove()
        db.engine.dispose()
    return rows


class Traffic:
    """A phone writing its outbox and another reading its plan, in a loop, each on its own thread."""

    def __init__(self, server: Gunicorn, writer: Phone, reader: Phone):
        self.server, self.writer, self.reader = server, writer, reader
        self.answers: list[Answer] = []
        self.unacked: list[dict] = []  # what the outbox still holds (503 or no answer): sent again later
        self.stop = threading.Event()
        self.started = time.monotonic()
        self.threads = [threading.Thread(target=self._loop, args=(self.write,), daemon=True),
                        threading.Thread(target=self._loop, args=(self.read,), daemon=True)]

    def now(self) -> float:
        return time.monotonic() - self.started

    def _loop(self, step) -> None:
        while not self.stop.is_set():
            step()
            time.sleep(0.05)

    def write(self) -> None:
        fields = entry(f"omstart {len(self.answers)}")
        began = time.monotonic()
        try:
            response = self.writer.post(fields, timeout=REQUEST_TIMEOUT)
        except requests.RequestException:
            self.answers.append(Answer(began - self.started, "write", None, time.monotonic() - began, None))
            self.unacked.append(fields)
            return
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        self.answers.append(Answer(began - self.started, "write", response.status_code, time.monotonic() - began,
                                   response.headers.get("Retry-After"),
                                   is_json and bool(response.json().get("message"))))
        if response.status_code not in (200, 201):
            self.unacked.append(fields)

    def read(self) -> None:
        began = time.monotonic()
        try:
            response = self.reader.http.get(self.server.url + "/plan", timeout=REQUEST_TIMEOUT, allow_redirects=False)
            status, retry_after = response.status_code, response.headers.get("Retry-After")
        except requests.RequestException:
            status, retry_after = None, None
        self.answers.append(Answer(began - self.started, "page", status, time.monotonic() - began, retry_after))

    def __enter__(self) -> Traffic:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
        assert not any(thread.is_alive() for thread in self.threads)

    def wait_for_recovery(self, since: float, seconds: float) -> None:
        """Until a write and a page both succeed after `since` (or the time is up)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if {"write", "page"} <= {a.kind for a in self.answers if a.at > since and a.status in (200, 201)}:
                return
            time.sleep(0.2)


def test_postgres_restart_gives_fast_503s_then_recovers_without_losing_anything(cluster, tmp_path):
    url, people = _prepare(cluster, tmp_path)
    ledger = Ledger()
    env = {"STEGVIS_RATELIMIT_SIGN_IN": "100000 per minute", "STEGVIS_RATELIMIT_SIGN_IN_ACCOUNT": "100000 per minute",
           "STEGVIS_DB_POOL_TIMEOUT": str(POOL_TIMEOUT), "STEGVIS_DB_CONNECT_TIMEOUT": "2"}
    with Gunicorn(url, tmp_path / "instance", workers=2, env=env) as server:
        writer, reader = (Phone(server.url, person, ledger).sign_in() for person in people)
        workers = server.worker_pids()
        with Traffic(server, writer, reader) as traffic:
            time.sleep(2)
            cluster.stop("fast")
            down_from = traffic.now()
            time.sleep(1)
            began = time.monotonic()
            health_down = requests.get(server.url + "/healthz", timeout=REQUEST_TIMEOUT)
            health_down_seconds = time.monotonic() - began
            time.sleep(DOWN_SECONDS - 1)
            down_until = traffic.now()
            cluster.start()
            up_at = traffic.now()
            traffic.wait_for_recovery(up_at, 15)
            time.sleep(1)
        answers = traffic.answers
        # The load balancer's view: out while down, in again after.
        assert health_down.status_code == 503 and health_down.headers["Retry-After"]
        assert health_down_seconds < POOL_TIMEOUT + 1
        assert requests.get(server.url + "/healthz", timeout=REQUEST_TIMEOUT).text == "ok\n"

        after = [a for a in answers if a.at > up_at]
        assert any(a.kind == "write" and a.status == 201 for a in after), "writes work again after the restart"
        assert any(a.kind == "page" and a.status == 200 for a in after), "pages work again after the restart"
        assert server.worker_pids() == workers, "recovered without restarting gunicorn's workers"

        # The outbox sends again what was not acknowledged, with the same client ids.
        for fields in traffic.unacked:
            assert writer.post(fields).status_code in (200, 201)
        log = server.log_text()

    statuses = Counter((a.kind, a.status) for a in answers)
    print(f"answers: {dict(statuses)}; down {down_from:.1f}-{down_until:.1f} s, up again at {up_at:.1f} s")
    assert not [a for a in answers if a.status is None], f"no answer at all: {statuses}"
    assert not [a for a in answers if a.status >= 500 and a.status != 503], f"errors other than 503: {statuses}"
    # Asked while the database was surely down (not just before the stop or the start).
    down = [a for a in answers if down_from + 0.5 < a.at < down_until - POOL_TIMEOUT - 1]
    assert {a.kind for a in down} == {"write", "page"}, f"both kinds were asked while down: {statuses}"
    assert all(a.status == 503 for a in down), [(a.kind, a.status) for a in down]
    slow = [round(a.seconds, 1) for a in answers if a.status == 503 and a.seconds > POOL_TIMEOUT + 1]
    assert not slow, f"503s slower than the pool timeout + 1 s: {slow}"
    assert all(a.retry_after and 10 <= int(a.retry_after) <= 30 for a in answers if a.status == 503)
    assert all(a.json_message for a in answers if a.kind == "write" and a.status == 503), "the outbox gets JSON"
    assert "Traceback" not in log

    # The oracle: acknowledged ⊆ stored, each exactly once under the acknowledged id; stored ⊆ sent;
    # and after the outbox sent everything again, everything sent is stored.
    rows = _stored(url, tmp_path)
    copies = Counter(client_id for client_id, _id in rows)
    assert not [c for c, n in copies.items() if n > 1], "stored more than once"
    stored = dict(rows)
    assert set(stored) <= set(ledger.sent), "stored but never sent"
    assert {c: i for c, i in ledger.acked.items() if stored.get(c) != i} == {}, "acknowledged but not stored as such"
    assert set(stored) == set(ledger.sent)
