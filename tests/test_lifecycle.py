"""Stopping and restarting: work in flight finishes or is taken over, never lost, never twice.

In-process (the app's ``stop``/``close`` as tests and ``serve`` use them) and as ``serve``
processes: SIGTERM with 50 digests in flight, SIGKILL right after Slack got its 200, and two
live processes on one ledger. The leases themselves are tested on the store.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from unittest.mock import ANY

import pytest

from bot.core.digest import digest
from bot.errors import LeaseLost
from bot.lifecycle import Liveness, Workers
from bot.slack.app import Bot, build
from bot.slack.server import HttpServer
from bot.store import Store, utcnow
from tests.conftest import bot_settings
from tests.drive import CHANNEL, Driver, message_event, select_payload
from tests.test_serve import ROOT, serve_http
from tests.test_slack_app import SEED, settle

LEASE = timedelta(seconds=20)


def digests_per_thread(slack) -> Counter[str]:
    """How many digests Slack shows in each thread (first messages, not continuations)."""
    return Counter(
        c.args.get("thread_ts")
        for c in slack.calls_to("chat.postMessage")
        if c.response.get("ok") and str(c.args.get("text", "")).startswith("Digest:")
    )


def paste_all(slack, driver: Driver, texts: list[str]) -> list[str]:
    """Post one article per text in the channel and deliver their events at once, as Slack
    would; their message ts."""
    events = [
        message_event(text, ts=slack.add_message(CHANNEL, text, user="UREPORTER")) for text in texts
    ]
    with ThreadPoolExecutor(10) as pool:
        replies = list(pool.map(driver.event, events))
    assert [r.status for r in replies] == [200] * len(events)
    return [e["ts"] for e in events]


def left_running(log: str) -> int:
    """What the stop's one log line says was still running at the bound (0 without it)."""
    line = next((x for x in log.splitlines() if "stopped in" in x), "")
    return int(line.split(" left running")[0].rsplit(" ", 1)[1]) if line else 0


def start(slack, tmp_path, **overrides: object) -> tuple[Bot, HttpServer, Driver]:
    settings = bot_settings(slack, tmp_path, **overrides)
    bot = build(settings, store=Store(settings.db_path)).start()
    server = HttpServer(bot.app, host="127.0.0.1", port=0).start()
    return bot, server, Driver(server.url)


def stop(bot: Bot, server: HttpServer):
    bot.stop()
    server.stop()
    return bot.close()


def menu_choice(slack) -> tuple[dict, str]:
    """A posted digest message, and the "Not needed" choice its review offers for a figure."""

    def found():
        for message in slack.messages(CHANNEL):
            for block in message.get("blocks") or []:
                for element in block.get("elements") or []:
                    if element.get("action_id") == "review_figures":
                        return message, f"n|{element['value']}:f1|0"
        return None

    return slack.wait_for(found, timeout=10)


# -- in-process -------------------------------------------------------------------------


def test_stop_with_50_digests_in_flight_finishes_them_and_keeps_what_arrives(slack, tmp_path):
    slack.delay("chat.postMessage", 0.2)  # a slow Slack keeps the listeners busy
    bot, server, driver = start(slack, tmp_path)
    first = paste_all(slack, driver, [SEED] * 50)
    message, choice = menu_choice(slack)
    assert bot.lifecycle.workers.pending > 0  # in flight when the stop begins

    stopping = threading.Thread(target=bot.stop)
    stopping.start()
    slack.wait_for(lambda: not bot.lifecycle.accepting, timeout=5)
    late = paste_all(slack, driver, [SEED] * 10)  # acknowledged and kept for the next process
    answer = driver.command("help", response_url=slack.response_url())
    assert "restarting" in answer.json()["text"]
    click = driver.interactive(
        select_payload(choice, message=message, response_url=slack.response_url("drain"))
    )
    assert click.status == 200
    told = [c for c in slack.calls_to("response_url") if c.args.get("_key") == "drain"]
    assert "restarting" in told[0].args["text"]
    stopping.join(timeout=20)
    assert not stopping.is_alive()
    server.stop()
    report = bot.close()

    assert report.left == 0 and report.kept == 10 and report.finished > 0
    counts = digests_per_thread(slack)
    assert [counts[ts] for ts in first] == [1] * 50
    assert [counts[ts] for ts in late] == [0] * 10
    store = Store(tmp_path / "newsroom-bot.db")
    assert store.audit() == []  # the click during the stop was not applied, and said so
    store.close()

    # The next process takes over the kept events at once; nothing is digested twice.
    began = time.monotonic()
    bot, server, _ = start(slack, tmp_path)
    try:
        slack.wait_for(lambda: all(digests_per_thread(slack)[ts] for ts in late), timeout=15)
        assert time.monotonic() - began < 10
        settle()
        counts = digests_per_thread(slack)
        assert [counts[ts] for ts in first + late] == [1] * 60
    finally:
        stop(bot, server)


def test_a_form_submitted_while_stopping_stays_open_with_the_reason(bot, slack):
    bot.bot.lifecycle.begin_stop()
    view = {
        "type": "modal",
        "callback_id": "figure_verified",
        "private_metadata": "x",
        "blocks": [{"type": "input", "block_id": "evidence", "element": {}, "label": {}}],
    }
    payload = {
        "type": "view_submission",
        "team": {"id": "T0NEWS"},
        "user": {"id": "UREPORTER"},
        "view": {"id": "V1", **view, "state": {"values": {}}},
    }
    reply = bot.driver.interactive(payload)
    assert reply.json() == {
        "response_action": "errors",
        "errors": {"evidence": "newsroom-bot is restarting: try again in a few seconds."},
    }


def test_closing_the_store_leaves_a_running_threads_connection_alone(tmp_path):
    # The crash this replaces: close() closed every thread's connection, one of them under
    # a listener's statement in flight.
    store = Store(tmp_path / "s.db")
    opened, closed, results = threading.Event(), threading.Event(), []

    def listener() -> None:
        store.db.execute("SELECT 1").fetchone()
        opened.set()
        closed.wait(5)
        for n in range(200):  # still working after the close
            store.set_watch(f"C{n}", True, actor="U1")
        results.append(store.db.execute("SELECT count(*) FROM channels").fetchone()[0])

    worker = threading.Thread(target=listener)
    worker.start()
    assert opened.wait(5)
    assert store.close() == 1  # one connection left to its (running) thread
    closed.set()
    worker.join(10)
    assert results == [200]


def test_workers_report_what_is_still_running_at_the_bound():
    workers = Workers(2)
    release = threading.Event()
    futures = [workers.submit(release.wait, 5) for _ in range(3)]
    assert workers.wait_idle(time.monotonic() + 0.2) == 3
    release.set()
    assert workers.wait_idle(time.monotonic() + 5) == 0
    assert all(f.result() for f in futures)
    assert all(t.daemon for t in workers._threads)  # never holds the process open
    workers.shutdown()


# -- leases on the store ----------------------------------------------------------------


def test_a_lapsed_lease_is_taken_over_once_and_its_owner_fenced(tmp_path):
    a, b, c = (Store(tmp_path / "l.db") for _ in range(3))
    b.register_process("B", pid=2, host="h", lease=LEASE)
    c.register_process("C", pid=3, host="h", lease=LEASE)
    a.register_process("A", pid=1, host="h", lease=timedelta(seconds=1))
    assert a.claim_event("Ev1", payload='{"event_id": "Ev1"}')
    assert b.take_over_events() == [] and b.mark_gone() == []  # A is live: hands off

    time.sleep(1.1)  # A stalls past its lease
    assert b.mark_gone() == ["A"] and c.mark_gone() == []  # marked gone exactly once
    assert b.take_over_events() == [("Ev1", '{"event_id": "Ev1"}')]
    assert c.take_over_events() == []  # handed out once
    assert b.claim_event("Ev1") and not c.claim_event("Ev1")

    assert not a.heartbeat(LEASE)  # A wakes up fenced: it claims nothing more
    with pytest.raises(LeaseLost):
        a.claim_event("Ev2")
    for s in (a, b, c):
        s.close()


def test_a_stuck_nudge_is_taken_over_by_one_process_and_settled_once(tmp_path):
    a, b, c = (Store(tmp_path / "l.db") for _ in range(3))
    for store, name in ((a, "A"), (b, "B"), (c, "C")):
        store.register_process(name, pid=0, host="h", lease=LEASE)
    record = a.add_digest(digest(SEED), channel=CHANNEL, source_ts="1.0", claimed=True)
    a.set_posted(record.id, channel=CHANNEL, message_ts="2.0", nudge_at=utcnow())
    assert a.claim_nudge(record.id, sent=0, next_at=None)  # A dies posting it
    assert b.take_over_nudges() == []  # A is live
    b.mark_gone(dead=["A"])
    taken = b.take_over_nudges()
    assert [p.digest_id for p in taken] == [record.id] and c.take_over_nudges() == []
    assert b.finish_stuck_nudge(taken[0], posted_ts=None, retry_at=utcnow())
    assert not b.finish_stuck_nudge(taken[0], posted_ts=None, retry_at=utcnow())  # once
    plan = c.nudge_plan(record.id)
    assert plan.sent == 0 and plan.posting_since is None and plan.next_at
    for s in (a, b, c):
        s.close()


def test_work_of_an_app_that_never_registered_is_never_taken_over(tmp_path):
    unregistered = Store(tmp_path / "l.db")  # create_app without start: no owner
    record = unregistered.add_digest(digest(SEED), channel=CHANNEL, source_ts="1", claimed=True)
    assert unregistered.claim_event("Ev1", payload="{}")
    looker = Store(tmp_path / "l.db")  # not registered either: no live process at all
    assert looker.release_orphaned_deliveries() == [] and looker.take_over_events() == []
    assert looker.digest(record.id).message_ts == ""
    unregistered.close()
    looker.close()


def test_a_listener_stopped_by_a_lost_lease_leaves_its_event_to_the_successor(slack, tmp_path):
    from tests.pages import PageServer

    with PageServer() as pages:
        bot, server, driver = start(slack, tmp_path, fetch_allow_private=True)
        try:
            event = message_event(f"<{pages.url('/slow/1')}>")
            assert driver.event(event, event_id="EvSLOW").status == 200
            slack.wait_for(lambda: pages.hits.get("/slow/1"), timeout=10)
            other = Store(tmp_path / "newsroom-bot.db")
            other.register_process("NEXT", pid=0, host="h", lease=LEASE)
            other.mark_gone(dead=[bot.lifecycle.boot_id])  # presumed dead mid-fetch
            # The fetch ends; storing the digest meets the fence and the listener stops.
            slack.wait_for(lambda: bot.lifecycle.workers.pending == 0, timeout=10)
            assert other.take_over_events() == [("EvSLOW", ANY)]  # not deleted: replayed
            assert digests_per_thread(slack) == Counter()  # the fenced process posted nothing
            other.close()
        finally:
            stop(bot, server)


def test_a_neighbour_that_renews_its_lease_is_never_taken_over(tmp_path):
    a, b = Store(tmp_path / "l.db"), Store(tmp_path / "l.db")
    a.register_process("A", pid=1, host="h", lease=timedelta(seconds=0.5))
    b.register_process("B", pid=2, host="h", lease=LEASE)
    a.claim_event("Ev1", payload="{}")
    for _ in range(4):
        time.sleep(0.2)
        assert a.heartbeat(timedelta(seconds=0.5))
        assert b.mark_gone() == [] and b.take_over_events() == []
    a.end_process()  # goodbye: its unfinished event goes to the next at once
    assert b.take_over_events() == [("Ev1", "{}")]
    a.close()
    b.close()


def test_a_killed_process_is_known_by_its_free_lock_before_its_lease_lapses(tmp_path):
    db = str(tmp_path / "l.db")
    Store(db).close()
    script = (
        "import sys, time\n"
        "from datetime import timedelta\n"
        "from bot.lifecycle import Liveness\n"
        "from bot.store import Store\n"
        "alive = Liveness(sys.argv[1], 'DEAD')\n"
        "alive.hold()\n"
        "Store(sys.argv[1]).register_process('DEAD', pid=0, host='h',"
        " lease=timedelta(minutes=5))\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, db], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        me = Store(db)
        me.register_process("ME", pid=1, host="h", lease=LEASE)
        liveness = Liveness(db, "ME")
        assert liveness.dead(["DEAD"]) == []  # alive: its lock is held
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        assert liveness.dead(["DEAD"]) == ["DEAD"]  # the kernel dropped its lock
        assert me.mark_gone(dead=["DEAD"]) == ["DEAD"]  # long before its lease lapses
        me.close()
    finally:
        child.kill()
        child.wait()


# -- serve processes ----------------------------------------------------------------------


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    return err


def restart_and_recover(slack, tmp_path, pasted: list[str]) -> None:
    """Start ``serve`` again on the same ledger: within 10 s every article has its digest,
    and none has two."""
    restarted = time.monotonic()
    proc, _ = serve_http(tmp_path, slack)
    try:
        slack.wait_for(lambda: all(digests_per_thread(slack)[ts] for ts in pasted), timeout=20)
        assert time.monotonic() - restarted < 10
        settle()
        counts = digests_per_thread(slack)
        assert [counts[ts] for ts in pasted] == [1] * len(pasted)
    finally:
        err = _stop(proc)
    assert proc.returncode == 0, err[-3000:]


@pytest.mark.parametrize("bound", ["10s", "0.2s"])
def test_serve_stopped_by_sigterm_with_50_in_flight_loses_nothing(slack, tmp_path, bound):
    slack.delay("chat.postMessage", 0.2)
    proc, driver = serve_http(tmp_path, slack, NEWSROOM_BOT_STOP_TIMEOUT=bound)
    pasted = paste_all(slack, driver, [SEED] * 50)
    err = _stop(proc)
    assert proc.returncode == 0, err[-3000:]
    assert "Traceback" not in err and "Fatal Python error" not in err
    left = left_running(err)
    if bound == "0.2s":
        assert left > 0  # the bound was reached: those are taken over below
    else:
        assert left == 0

    restart_and_recover(slack, tmp_path, pasted)


def test_sigkill_right_after_the_ack_digest_is_in_the_thread_within_10s_of_restart(slack, tmp_path):
    # Long pastes keep the engine busy for a while: the kill lands mid-work. The default
    # retry interval (30 s) shows recovery does not wait for the outbox.
    long_paste = "\n\n".join([SEED] * 30)
    proc, driver = serve_http(tmp_path, slack)
    pasted = paste_all(slack, driver, [long_paste] * 3)
    proc.kill()
    proc.wait(10)
    interrupted = [ts for ts in pasted if not digests_per_thread(slack)[ts]]
    assert interrupted  # Slack had its 200s; the work was not done

    restart_and_recover(slack, tmp_path, pasted)


def test_two_live_processes_never_replay_each_others_work(slack, tmp_path):
    from tests.pages import PageServer

    env = {"NEWSROOM_BOT_FETCH_ALLOW_PRIVATE": "true", "NEWSROOM_BOT_RETRY_EVERY": "0.5s"}
    with PageServer() as pages:
        scheduler, _ = serve_http(tmp_path, slack, **env)
        worker, driver = serve_http(tmp_path, slack, "--no-scheduler", **env)
        try:
            # The worker spends 6 s on this link; the scheduler process's keeper looks at
            # the ledger every 2 s (and the old rule replayed after 5 s).
            event = message_event(f"<{pages.url('/slow/6')}>")
            assert driver.event(event).status == 200
            digest = slack.wait_for(
                lambda: [
                    c
                    for c in slack.calls_to("chat.update")
                    if c.response.get("ok") and c.args["text"].startswith("Digest:")
                ],
                timeout=20,
            )
            settle()
            assert len(digest) == 1
            assert pages.hits["/slow/6"] == 1  # fetched by the worker only
            store = Store(tmp_path / "serve.db")
            assert len(store.live_processes()) == 2  # neither was taken for dead
            store.close()
        finally:
            errs = [_stop(p) for p in (worker, scheduler)]
    assert all("replaying" not in e for e in errs), errs


def test_a_process_taken_over_as_dead_stops_claiming_work(bot, slack, tmp_path):
    lifecycle = bot.bot.lifecycle
    other = Store(tmp_path / "newsroom-bot.db")
    other.register_process("NEXT", pid=0, host="h", lease=LEASE)
    assert other.mark_gone(dead=[lifecycle.boot_id]) == [lifecycle.boot_id]  # presumed dead
    slack.wait_for(lambda: lifecycle.fenced, timeout=10)  # its next heartbeat finds out
    reply = bot.driver.event(message_event(SEED))
    assert reply.status == 503  # not taken: Slack delivers it again, to a live process
    answer = bot.driver.command("help", response_url=slack.response_url())
    assert "restarting" in answer.json()["text"]
    settle()
    assert digests_per_thread(slack) == Counter()
    other.close()
