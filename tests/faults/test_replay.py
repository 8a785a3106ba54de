"""REL-01: a phone's outbox sent twice, and at once from five phones, is stored once per entry.

The server answers a replay with the entry it stored the first time (200, the same id), and never
with an error."""

from __future__ import annotations

import random
import threading

from tests.faults.conftest import entry

BATCH = 20
PHONES = 5


def test_a_batch_sent_twice_and_then_from_five_phones_at_once_is_stored_once(serve, people, phone, ledger,
                                                                             assert_oracle):
    person = people.participants[0]
    with serve(workers=2) as server:
        first_phone = phone(server, person)
        batch = [entry(f"svar {n}") for n in range(BATCH)]

        first = [first_phone.send(fields) for fields in batch]
        assert [r.status_code for r in first] == [201] * BATCH
        ids = [r.json()["id"] for r in first]
        again = [first_phone.send(fields) for fields in batch]
        assert [r.status_code for r in again] == [200] * BATCH, "a replay is not a new entry"
        assert [r.json()["id"] for r in again] == ids, "a replay answers with the original entry"

        # The same batch, and then a new one, from five phones at the same moment, each in its own order.
        fresh = [entry(f"nytt {n}") for n in range(BATCH)]
        phones = [phone(server, person) for _ in range(PHONES)]
        answers: list[tuple[str, int, str]] = []
        errors: list[BaseException] = []
        start = threading.Barrier(PHONES, timeout=30)

        def send_all(sender, seed: int) -> None:
            try:
                for group in (batch, fresh):
                    order = random.Random(seed).sample(group, len(group))
                    start.wait()
                    for fields in order:
                        response = sender.send(fields)
                        answers.append((fields["client_id"], response.status_code,
                                        response.json().get("id", "")))
            except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
                errors.append(error)

        threads = [threading.Thread(target=send_all, args=(p, n), daemon=True) for n, p in enumerate(phones)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=50)
        assert not any(thread.is_alive() for thread in threads), "a phone is still waiting after 50 s"
        assert not errors, errors
        log = server.log_text()

    statuses = [status for _client_id, status, _id in answers]
    assert len(answers) == 2 * BATCH * PHONES
    assert not [s for s in statuses if s >= 500], f"server errors: {statuses}"
    assert set(statuses) <= {200, 201}, statuses
    original = dict(zip((f["client_id"] for f in batch), ids, strict=True))
    for client_id, status, entry_id in answers:
        if client_id in original:
            assert (status, entry_id) == (200, original[client_id]), "the stored batch is only replayed"
    created = [client_id for client_id, status, _id in answers if status == 201]
    assert sorted(created) == sorted(f["client_id"] for f in fresh), "each new entry is created exactly once"
    for fields in fresh:
        given = {entry_id for client_id, _status, entry_id in answers if client_id == fields["client_id"]}
        assert len(given) == 1, "every phone is told the same entry"
    assert "Traceback" not in log
    rows = assert_oracle()
    assert len(rows) == 2 * BATCH
