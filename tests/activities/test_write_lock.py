"""SQLite has one write lock for the whole database. A save that finds it taken (another worker
process saving at that moment) waits for it and then goes through; only a lock held longer than
the wait allows gives up, with a 503 and nothing stored. (Many writers at once through gunicorn:
tests/faults/test_concurrent_writers.py.)"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from tests.activities.test_log import _count, _entry
from webapp import extensions


@pytest.fixture
def held_lock(database_url):
    """held_lock(seconds): another process's connection takes the write lock and keeps it so long."""
    if not database_url.startswith("sqlite:///"):
        pytest.skip("SQLite's write lock; the PostgreSQL run has its own concurrency tests")
    path = database_url.removeprefix("sqlite:///")
    releases: list[threading.Thread] = []

    def hold(seconds: float) -> None:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")

        def release() -> None:
            time.sleep(seconds)
            other.execute("ROLLBACK")
            other.close()

        releases.append(threading.Thread(target=release))
        releases[-1].start()

    yield hold
    for thread in releases:
        thread.join()


@pytest.fixture
def participant(client, world):
    client.sign_in(world.p.login)
    client.set_cookie("lang", "en")
    return client


def test_a_save_waits_for_the_lock_and_then_goes_through(participant, held_lock, read):
    token = participant.csrf_token()
    held_lock(0.3)
    started = time.monotonic()
    response = participant.post("/log", data={**_entry(note="Väntade på min tur"), "csrf_token": token})
    waited = time.monotonic() - started
    assert response.status_code == 303
    assert _count(read) == 1
    assert 0.25 <= waited < 2, f"waited {waited:.2f} s for a lock held 0.3 s"


def test_a_lock_held_too_long_gives_a_503_with_retry_after_and_stores_nothing(participant, held_lock, read,
                                                                              monkeypatch):
    monkeypatch.setattr(extensions, "BUSY_TIMEOUT_MS", 200)
    token = participant.csrf_token()
    held_lock(1.0)
    response = participant.post("/log", data={**_entry(note="För länge"), "csrf_token": token})
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "We cannot reach the data right now" in response.get_data(as_text=True)
    time.sleep(1.0)
    assert _count(read) == 0
    assert participant.post("/log", data={**_entry(), "csrf_token": participant.csrf_token()}).status_code == 303
