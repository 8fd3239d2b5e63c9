"""The SQLite store: migrations, WAL, event dedup and digest records on a real file."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta

import pytest

from bot import digest
from bot.errors import StoreError
from bot.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "bot.db")
    yield s
    s.close()


def test_new_file_is_migrated_in_wal_mode(tmp_path):
    store = Store(tmp_path / "sub" / "bot.db")
    assert store.db.journal_mode == "wal"
    assert {"processed_events", "digests", "_sqlite_migrations"} <= set(store.db.table_names())
    store.close()
    # Opening again applies nothing twice.
    again = Store(tmp_path / "sub" / "bot.db")
    names = [r[0] for r in again.db.execute("SELECT name FROM _sqlite_migrations")]
    assert len(names) == len(set(names)) >= 2
    again.close()


def test_an_event_is_claimed_once_even_across_threads(store):
    wins: list[bool] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        barrier.wait()
        wins.append(store.claim_event("Ev1", team_id="T1"))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]
    assert store.event_state("Ev1") == "received"


def test_a_failed_event_is_kept_and_never_replayed(store):
    store.register_process("P1", pid=1, host="h", lease=timedelta(seconds=20))
    assert store.claim_event("Ev2", payload="{}")
    store.fail_event("Ev2")  # its listener raised: Slack had its 200 already
    assert store.event_state("Ev2") == "failed"
    assert not store.claim_event("Ev2")  # a redelivery is still a duplicate
    store.end_process()
    successor = Store(store.path)
    successor.register_process("P2", pid=2, host="h", lease=timedelta(seconds=20))
    assert successor.take_over_events() == []  # not replayed into the same error
    successor.close()


def test_old_events_are_pruned(store):
    store.claim_event("old")
    with store.db.conn:
        store.db.execute(
            "UPDATE processed_events SET received_at = '2000-01-01' WHERE event_id = 'old'"
        )
    store.claim_event("new")
    assert store.prune_events(older_than=timedelta(days=1)) == 1
    assert store.event_state("old") is None and store.event_state("new") == "received"


def test_one_digest_per_source_message(store):
    d = digest("Officials said 40 people were hurt. The fire began at 9 p.m.")
    first = store.add_digest(d, channel="C1", source_ts="100.1", user_id="U1")
    assert first is not None
    assert store.add_digest(d, channel="C1", source_ts="100.1") is None
    assert store.add_digest(d, channel="C2", source_ts="100.1") is not None
    store.set_posted(first.id, channel="C1", message_ts="100.2", thread_ts="100.1")
    found = store.digest_for_message("C1", "100.1")
    assert found is not None and found.message_ts == "100.2"
    assert found.digest == d


def test_delivery_is_claimed_once(store):
    record = store.add_digest(digest("Some 12 schools closed."), channel="C1", via="command")
    assert store.claim_delivery(record.id)
    assert not store.claim_delivery(record.id)
    store.release_delivery(record.id)
    assert store.claim_delivery(record.id)


def test_data_survives_reopening(tmp_path):
    path = tmp_path / "bot.db"
    s = Store(path)
    record = s.add_digest(digest("At least 7 died."), channel="C1", source_ts="1.1")
    s.claim_event("E1")
    s.close()
    s2 = Store(path)
    assert s2.digest(record.id).digest.figures[0].text == "At least 7"
    assert not s2.claim_event("E1")


def test_an_unusable_path_is_a_clear_error(tmp_path):
    (tmp_path / "not-a-db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(tmp_path / "not-a-db")


def test_locked_database_waits_instead_of_failing(tmp_path):
    path = tmp_path / "bot.db"
    store = Store(path)
    other = sqlite3.connect(path, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    released = threading.Timer(0.3, other.rollback)
    released.start()
    assert store.claim_event("E-locked")  # waits for the other writer, then succeeds
    other.close()
    store.close()


def test_connections_of_ended_threads_are_closed(tmp_path):
    # The HTTP server runs each request on a new thread; their connections must not pile up.
    store = Store(tmp_path / "threads.db")
    for n in range(30):
        worker = threading.Thread(target=lambda n=n: store.claim_event(f"Ev{n}"))
        worker.start()
        worker.join()
    store.claim_event("EvMain")
    assert len(store._connections) <= 2
    assert store.event_state("Ev29") == "received"
    store.close()
