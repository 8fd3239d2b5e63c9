"""Slack down for a while: nothing is lost and nothing is posted twice once it is back.

The outbox is the ledger itself: a digest Slack could not take stays stored without a
message ts, and the scheduler's outbox job (every ``NEWSROOM_BOT_RETRY_EVERY``) delivers it,
adopting it instead if Slack had in fact posted it.
"""

from __future__ import annotations

import time

import pytest

from bot import digest
from tests.drive import CHANNEL, message_event
from tests.test_slack_app import SEED, posted_record, texts


def pasted(slack):
    """A paste, as Slack holds it (its thread can be read back) and sends it to the bot."""
    return message_event(SEED, ts=slack.add_message(CHANNEL, SEED, user="UREPORTER"))


def digests(slack) -> list:
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.response.get("ok") and c.args["text"].startswith("Digest:")
    ]


def nudges(slack) -> list:
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.response.get("ok") and "still open" in c.args["text"]
    ]


@pytest.mark.parametrize("mode", ["500", "drop"])
def test_a_paste_during_an_outage_is_delivered_once_when_slack_is_back(make_bot, slack, mode):
    bot = make_bot(nudge_after="1s", max_nudges=1, retry_every="1s")
    slack.down(mode)
    event = pasted(slack)
    assert bot.driver.event(event).status == 200  # the event itself is acknowledged
    slack.wait_for(lambda: len(slack.calls_to("chat.postMessage")) >= 3, timeout=20)
    record = slack.wait_for(lambda: bot.store.digest_for_message(CHANNEL, event["ts"]))
    assert not record.message_ts  # kept, queued
    time.sleep(1.5)  # the outbox tries again meanwhile, and fails
    slack.up()
    posted = slack.wait_for(lambda: digests(slack), timeout=20)
    assert posted[0].args["thread_ts"] == event["ts"]
    assert "*at least 115*" in texts(posted[0].args["blocks"])
    record = posted_record(bot, slack, event["ts"])
    nudge = slack.wait_for(lambda: nudges(slack), timeout=20)[0]
    assert nudge.args["thread_ts"] == event["ts"]
    slack.wait_for(lambda: bot.bot.deps.desk.reminders.next_nudge_at(record.id) is None)
    time.sleep(1.2)  # the outbox looks once more: nothing left to post
    assert len(digests(slack)) == 1 and len(nudges(slack)) == 1
    assert record.message_ts == posted[0].response["ts"]


def test_a_nudge_due_during_an_outage_goes_out_once_after_it(make_bot, slack):
    bot = make_bot(nudge_after="1s", max_nudges=1, retry_every="1s")
    event = pasted(slack)
    bot.driver.event(event)
    record = posted_record(bot, slack, event["ts"])
    slack.down("500")
    time.sleep(2.5)  # the nudge falls due and fails, and its retry
    assert nudges(slack) == []
    slack.up()
    slack.wait_for(lambda: nudges(slack), timeout=20)
    slack.wait_for(lambda: bot.bot.deps.desk.reminders.next_nudge_at(record.id) is None)
    time.sleep(1.2)  # the outbox looks once more
    assert len(nudges(slack)) == 1 and len(digests(slack)) == 1


def test_an_edit_lost_in_an_outage_is_redrawn_when_slack_is_back(make_bot, slack):
    bot = make_bot(nudge_after="1h", retry_every="1s")
    event = pasted(slack)
    bot.driver.event(event)
    record = posted_record(bot, slack, event["ts"])
    key = next(f.key for f in bot.store.figures(record.id) if f.text == "at least 115")
    slack.down("500")
    desk = bot.bot.deps.desk
    desk.record_change(key, "not_needed", actor="UCHECK")
    desk.refresh(record.id)  # the redraw fails: Slack is down
    assert bot.store.figure(key).status == "not_needed"  # the ledger has it
    assert record.id in bot.store.stale_digests()
    slack.up()
    edit = slack.wait_for(
        lambda: [c for c in slack.calls_to("chat.update") if c.response.get("ok")], timeout=20
    )[0]
    assert "Not needed by <@UCHECK>" in texts(edit.args["blocks"])


def test_the_bot_knows_its_own_digest_by_metadata_not_by_wording(bot, slack):
    from slack_sdk import WebClient

    from tests.slackfake import BOT_TOKEN

    event = pasted(slack)
    record = bot.store.add_digest(digest(SEED), channel=CHANNEL, source_ts=event["ts"])
    client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
    # Posted by the bot, worded as no release ever worded it; and a look-alike for another.
    mine = client.chat_postMessage(
        channel=CHANNEL,
        thread_ts=event["ts"],
        text="Figures to check in this story",
        metadata={"event_type": "newsroom_digest", "event_payload": {"digest_id": record.id}},
    )["ts"]
    client.chat_postMessage(
        channel=CHANNEL,
        thread_ts=event["ts"],
        text=f"Digest: {record.digest.article.title}",
        metadata={"event_type": "newsroom_digest", "event_payload": {"digest_id": "other"}},
    )
    desk = bot.bot.deps.desk
    assert desk._my_digest_in(CHANNEL, event["ts"], record) == [mine]
