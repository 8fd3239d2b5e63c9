"""The SQLite file in trouble: locked by another process, or out of space.

A clear log line, nothing half-written, and the work retried (Slack redelivers an event we
could not take) or reported in the thread.
"""

from __future__ import annotations

import logging
import sqlite3

import pytest

from bot.slack.app import build
from bot.slack.server import HttpServer
from bot.store import Store
from tests.conftest import bot_settings
from tests.drive import CHANNEL, Driver, message_event
from tests.test_slack_app import SEED, settle, texts


@pytest.fixture
def app_on(slack, tmp_path):
    """Serve the app on a given Store; returns the driver."""
    started: list[tuple[HttpServer, object]] = []

    def serve(store: Store) -> Driver:
        bot = build(bot_settings(slack, tmp_path, db_path=store.path), store=store)
        server = HttpServer(bot.app, host="127.0.0.1", port=0).start()
        started.append((server, bot))
        return Driver(server.url)

    yield serve
    for server, bot in started:
        server.stop()
        bot.close()


def test_a_locked_database_makes_slack_retry_and_the_retry_digests_once(
    app_on, slack, tmp_path, caplog
):
    path = tmp_path / "locked.db"
    store = Store(path, timeout=0.3)
    driver = app_on(store)
    other = sqlite3.connect(path, isolation_level=None)  # another process, say a backup
    other.execute("BEGIN EXCLUSIVE")
    event = message_event(SEED)
    with caplog.at_level(logging.ERROR):
        first = driver.event(event, event_id="EvLOCKED")
    assert first.status == 503  # nothing done: Slack will deliver it again
    assert any("database is busy" in r.getMessage() for r in caplog.records)
    other.execute("ROLLBACK")
    other.close()
    again = driver.event(event, event_id="EvLOCKED", retry_num=1)
    assert again.status == 200
    slack.wait_calls("chat.postMessage")
    settle()
    assert len(slack.calls_to("chat.postMessage")) == 1
    store.close()


def test_a_full_disk_keeps_nothing_half_written_and_says_so_in_the_thread(
    app_on, slack, tmp_path, caplog
):
    path = tmp_path / "full.db"
    Store(path).close()  # created and migrated
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]

    def small_disk(file: str, timeout: float) -> sqlite3.Connection:
        conn = sqlite3.connect(file, timeout=timeout, check_same_thread=False)
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # room for the event, not the digest
        return conn

    store = Store(path, connect=small_disk)
    driver = app_on(store)
    event = message_event(SEED)
    with caplog.at_level(logging.ERROR):
        assert driver.event(event).status == 200
        reply = slack.wait_calls("chat.postMessage")[0]
    assert reply.args["thread_ts"] == event["ts"]
    assert "the bot's database is full" in texts(reply.args["blocks"])
    assert any("not saved" in r.getMessage() and "full" in r.getMessage() for r in caplog.records)
    check = sqlite3.connect(path)
    assert check.execute("SELECT count(*) FROM digests").fetchone()[0] == 0
    assert check.execute("SELECT count(*) FROM figures").fetchone()[0] == 0
    check.close()
    assert store.digest_for_message(CHANNEL, event["ts"]) is None
    store.close()
