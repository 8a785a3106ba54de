"""REL-03: `kill -9` of a gunicorn worker in the middle of a request, while other phones write.

The request in flight is lost to its phone (a connection error), and nothing else is: the master
starts a new worker, the next requests succeed within 5 s, the entry is stored whole or not at
all, and the phone's retry (same client id) stores it exactly once.

The worker is stopped at a chosen moment by tests/faults/slow_app.py (a wrapper only these tests
serve): just before its transaction commits, or just after it committed and before it answered.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests

from tests.faults.conftest import TIMEOUT, entry

WRITERS = 4
WRITES_EACH = 40
WRITING_SECONDS = 25


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for {what}")


@pytest.mark.parametrize("moment", ["before-commit", "after-commit"])
def test_a_worker_killed_mid_request_loses_nothing_and_the_service_recovers(
        moment, serve, people, phone, ledger, stored, assert_oracle, tmp_path):
    pause_file = tmp_path / "paused"
    with serve(workers=2, app="tests.faults.slow_app:app",
               env={"FAULT_PAUSE_FILE": str(pause_file), "FAULT_PAUSE_SECONDS": "15"}) as server:
        victim_phone = phone(server, people.participants[0])
        writers = [phone(server, person) for person in people.participants[1:] for _ in range(2)][:WRITERS]

        # Other phones keep writing the whole time, so the surviving worker is busy too.
        stop = threading.Event()
        outcomes: list[tuple[str, object]] = []

        def write(sender) -> None:
            deadline = time.monotonic() + WRITING_SECONDS
            for n in range(WRITES_EACH):
                if stop.is_set() or time.monotonic() > deadline:
                    return
                fields = entry(f"skrivare {n}")
                try:
                    outcomes.append((fields["client_id"], sender.post(fields).status_code))
                except requests.RequestException as error:
                    outcomes.append((fields["client_id"], error))
                    # The outbox keeps it and sends it again.
                    try:
                        outcomes.append((fields["client_id"], sender.send(fields).status_code))
                    except requests.RequestException as again:
                        outcomes.append((fields["client_id"], again))

        threads = [threading.Thread(target=write, args=(w,), daemon=True) for w in writers]
        for thread in threads:
            thread.start()

        try:
            # The victim: one entry, paused by the wrapper at the chosen moment.
            victim = entry("mitt i")
            answer: list[object] = []

            def send_victim() -> None:
                try:
                    answer.append(victim_phone.post(victim, headers={"X-Fault-Pause": moment}))
                except requests.RequestException as error:
                    answer.append(error)

            in_flight = threading.Thread(target=send_victim, daemon=True)
            in_flight.start()
            pid = int(_wait_for(lambda: pause_file.exists() and pause_file.read_text(), 10, "the paused request"))
            workers_before = server.worker_pids()
            assert pid in workers_before, "the paused request runs in one of this server's workers"
            stored_before = {client_id for client_id, _id, _content in stored()}
            assert (victim["client_id"] in stored_before) == (moment == "after-commit")

            os.kill(pid, signal.SIGKILL)
            killed_at = time.monotonic()
            in_flight.join(timeout=TIMEOUT)
            assert not in_flight.is_alive()
            assert len(answer) == 1
            failed = answer[0]
            assert isinstance(failed, requests.ConnectionError) or (
                isinstance(failed, requests.Response) and failed.status_code >= 500), failed
            assert victim["client_id"] not in ledger.acked, "the phone was never told it is saved"

            # The master replaces the worker and the service answers again within 5 s.
            _wait_for(lambda: len(server.worker_pids()) == 2 and pid not in server.worker_pids(), 5, "a new worker")
            check = phone(server, people.participants[0])
            probe = check.post(entry("efteråt"))
            assert probe.status_code == 201
            assert time.monotonic() - killed_at < 5, "the next requests succeed within 5 s"

            # The phone sends the entry again with the same client id: stored once.
            retry = victim_phone.send(victim)
            if moment == "before-commit":
                assert retry.status_code == 201, "not committed before the kill: stored now"
            else:
                assert retry.status_code == 200, "committed before the kill: the retry is a replay"
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=TIMEOUT)
        assert not any(thread.is_alive() for thread in threads)
        log = server.log_text()

    errors = [(c, o) for c, o in outcomes if not (isinstance(o, int) and o in (200, 201))]
    # Sync workers take one request at a time: only the paused one was in the killed worker.
    assert errors == [], f"other phones saw errors: {errors}"
    assert sum(1 for _c, o in outcomes if o == 201) >= WRITERS, "the other phones wrote meanwhile"
    assert "database is locked" not in log
    rows = assert_oracle()
    assert sum(1 for client_id, _id, _content in rows if client_id == victim["client_id"]) == 1

