"""Nothing lost across a crash: ``serve`` killed with SIGKILL and started again on the same file.

The nudge delay is seconds, so a "day later" happens within the test.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bot.store import Store
from tests.drive import button_payload, message_event, view_select_payload
from tests.test_serve import serve_http as start
from tests.test_slack_app import SEED, texts


def nudges(slack) -> list:
    return [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]


def recorded(slack, tmp_path, event: dict) -> None:
    """Wait until the bot has recorded the digest as posted and planned its nudge."""
    store = Store(tmp_path / "serve.db")
    try:

        def planned() -> bool:
            record = store.digest_for_message(event["channel"], event["ts"])
            return bool(record and record.message_ts and store.nudge_plan(record.id))

        slack.wait_for(planned, timeout=10)
    finally:
        store.close()


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(timeout=10)


@contextmanager
def explained(proc: subprocess.Popen[str]) -> Iterator[None]:
    """Stop ``proc`` at the end; a failed assertion carries what it logged."""
    try:
        yield
    except AssertionError as exc:
        stop(proc)
        log = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"{exc}\n--- serve's log ---\n{log[-4000:]}") from None
    stop(proc)


def test_killed_before_the_nudge_it_fires_once_on_time_after_restart(slack, tmp_path):
    env = {"NEWSROOM_BOT_NUDGE_AFTER": "4s", "NEWSROOM_BOT_MAX_NUDGES": "1"}
    proc, driver = start(tmp_path, slack, **env)
    event = message_event(SEED)
    driver.event(event)
    digest = slack.wait_calls("chat.postMessage", timeout=10)[0]
    # A status set before the crash survives it.
    message = next(m for m in slack.messages(event["channel"]) if m["ts"] == digest.response["ts"])
    review = next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"])
    driver.interactive(
        button_payload(
            "review_figures",
            review["value"],
            response_url=slack.response_url(),
            message_ts=message["ts"],
        )
    )
    view = slack.wait_calls("views.open", timeout=10)[0].response["view"]
    block = next(b for b in view["blocks"] if "*at least 115*" in str(b.get("text")))
    value = next(o["value"] for o in block["accessory"]["options"] if o["value"].startswith("n|"))
    driver.interactive(view_select_payload(value, view=view))
    slack.wait_calls("chat.update", timeout=10)
    proc.kill()  # SIGKILL: no shutdown, no flush
    proc.wait(timeout=10)

    proc, _ = start(tmp_path, slack, **env)
    with explained(proc):
        nudge = slack.wait_for(lambda: nudges(slack), timeout=15)[0]
        assert nudge.at - digest.at >= 3.9  # never early
        assert nudge.args["thread_ts"] == event["ts"]
        shown = texts(nudge.args["blocks"])
        assert "6 figures in this article are still open" in shown
        assert "*at least 115*" not in shown
        time.sleep(1.0)
        assert len(nudges(slack)) == 1  # exactly once


def test_a_nudge_due_while_the_bot_was_down_fires_once_when_it_is_back(slack, tmp_path):
    env = {"NEWSROOM_BOT_NUDGE_AFTER": "1s", "NEWSROOM_BOT_MAX_NUDGES": "1"}
    proc, driver = start(tmp_path, slack, **env)
    event = message_event(SEED)
    driver.event(event)
    recorded(slack, tmp_path, event)
    proc.kill()
    proc.wait(timeout=10)
    time.sleep(1.5)  # the nudge falls due while nothing runs
    assert nudges(slack) == []

    restarted = time.monotonic()
    proc, _ = start(tmp_path, slack, **env)
    with explained(proc):
        nudge = slack.wait_for(lambda: nudges(slack), timeout=15)[0]
        assert nudge.at - restarted < 10
        time.sleep(1.0)
        assert len(nudges(slack)) == 1


def test_killed_between_slacks_answer_and_the_record_the_digest_is_adopted_not_reposted(
    slack, tmp_path
):
    env = {"NEWSROOM_BOT_NUDGE_AFTER": "3s", "NEWSROOM_BOT_MAX_NUDGES": "1"}
    proc, driver = start(tmp_path, slack, **env)
    slack.delay("chat.postMessage", 30)  # Slack posts it, the bot never hears back
    event = message_event(SEED, ts=slack.add_message("CNEWSDESK", SEED, user="UREPORTER"))
    driver.event(event)
    slack.wait_calls("chat.postMessage", timeout=10)
    proc.kill()
    proc.wait(timeout=10)
    slack.delay("chat.postMessage", 0)

    proc, _ = start(tmp_path, slack, **env)
    with explained(proc):
        recorded(slack, tmp_path, event)
        nudge = slack.wait_for(lambda: nudges(slack), timeout=15)[0]
        assert nudge.args["thread_ts"] == event["ts"]
        digests = [
            c for c in slack.calls_to("chat.postMessage") if c.args["text"].startswith("Digest:")
        ]
        assert len(digests) == 1  # adopted, not posted twice


def test_an_event_interrupted_mid_work_is_replayed_after_restart(slack, tmp_path):
    from tests.pages import PageServer

    env = {
        "NEWSROOM_BOT_RETRY_EVERY": "0.5s",
        "NEWSROOM_BOT_FETCH_ALLOW_PRIVATE": "true",
        "NEWSROOM_BOT_NUDGE_AFTER": "1h",
    }
    with PageServer() as pages:
        proc, driver = start(tmp_path, slack, **env)
        event = message_event(f"<{pages.url('/slow')}>")  # the page takes 3 s to answer
        assert driver.event(event).status == 200  # Slack has its 200: it won't resend
        slack.wait_for(lambda: pages.hits.get("/slow"), timeout=10)
        proc.kill()  # mid-fetch: nothing stored but the event itself
        proc.wait(timeout=10)

        proc, _ = start(tmp_path, slack, **env)
        with explained(proc):
            digest = slack.wait_for(
                lambda: [
                    c
                    for c in slack.calls_to("chat.update")
                    if c.response.get("ok") and c.args["text"].startswith("Digest:")
                ],
                timeout=25,
            )
            assert len(digest) == 1
            assert pages.hits["/slow"] == 2  # fetched again by the replay
