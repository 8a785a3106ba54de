"""REL-07: many phones writing at once through several gunicorn workers (on SQLite: several
processes sharing one database file). No "database is locked", no server error, nothing lost or
doubled."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.faults.conftest import TIMEOUT, age_sessions, entry

WORKERS = 3
PHONES = 16
SECONDS = 15
WRITES_EACH = 150


def test_many_phones_writing_at_once_get_no_errors_and_lose_nothing(serve, people, phone, scratch_app,
                                                                    assert_oracle):
    with serve(workers=WORKERS) as server:
        with ThreadPoolExecutor(WORKERS) as pool:
            phones = list(pool.map(lambda n: phone(server, people.participants[n % len(people.participants)]),
                                   range(PHONES)))
        # The phones were put away for a few minutes: each one's first request also writes its
        # session's last use, inside a request that writes an entry.
        age_sessions(scratch_app, minutes=5)
        outcomes: list[tuple[str, object, float]] = []
        replays: list[object] = []
        start = threading.Barrier(PHONES, timeout=30)

        def write(sender) -> None:
            start.wait()
            deadline = time.monotonic() + SECONDS
            for n in range(WRITES_EACH):
                if time.monotonic() > deadline:
                    return
                fields = entry(f"samtidigt {n}")
                began = time.monotonic()
                try:
                    result: object = sender.post(fields).status_code
                except requests.RequestException as error:
                    result = error
                outcomes.append((fields["client_id"], result, time.monotonic() - began))
                if n % 5 == 4:
                    # Now and then the phone sends an entry again (it never heard the answer).
                    try:
                        replays.append(sender.post(fields).status_code)
                    except requests.RequestException as error:
                        replays.append(error)

        threads = [threading.Thread(target=write, args=(p,), daemon=True) for p in phones]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + TIMEOUT + 10)
        assert not any(thread.is_alive() for thread in threads), "a phone is still waiting"
        log = server.log_text()

    failures = [(c, r) for c, r, _s in outcomes if r != 201]
    assert failures == [], f"{len(failures)} of {len(outcomes)} writes failed: {failures[:5]}"
    assert set(replays) <= {200}, f"a replay is answered with the stored entry: {set(replays)}"
    assert len(outcomes) >= PHONES * 5, f"only {len(outcomes)} writes in {SECONDS} s"
    slowest = max(seconds for _c, _r, seconds in outcomes)
    assert slowest < 10, f"a write waited {slowest:.1f} s: as long as SQLite's busy_timeout"
    assert "database is locked" not in log
    assert "Traceback" not in log
    rows = assert_oracle()
    assert len(rows) == len(outcomes)
