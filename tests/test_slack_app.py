"""The Slack app end to end: signed HTTP requests in, Web API calls out, on 127.0.0.1.

Every test drives the real Bolt app served by ``HttpServer`` and asserts on what the
local Slack (tests/slackfake.py) received, as a reporter in the channel would see it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.drive import (
    CHANNEL,
    REPORTER,
    button_payload,
    mention_event,
    message_event,
    new_ts,
    shortcut_payload,
    view_button_payload,
)
from tests.slackfake import BOT_ID, BOT_USER_ID

SEED = (
    Path(__file__).parent.parent / "seeds" / "business-insider-russian-deserters.txt"
).read_text()
# Figures the seed digest must show in bold, with the source each is attributed to.
SEED_FIGURES = {
    "at least 115": "The Guardian",
    "more than 1,000": "Mikhail Benyash",
    "upwards of 700": "Agora",
    "one-third": "defense ministry",
}


def texts(blocks: list[dict] | None) -> str:
    """All the text a reader sees in these blocks, joined."""
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                out.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks or [])
    return "\n".join(out)


def settle() -> None:
    """Give listener threads a moment before asserting that something did NOT happen."""
    time.sleep(0.3)


def posted_record(bot, slack, source_ts: str, channel: str = CHANNEL):
    """The stored digest of a message, once the bot has recorded where it posted it."""

    def posted():
        record = bot.store.digest_for_message(channel, source_ts)
        return record if record and record.message_ts else None

    return slack.wait_for(posted)


def long_article(paragraphs: int = 80) -> str:
    agencies = ["the health ministry", "Reuters", "the city council", "Acme Corp", "the UN"]
    body = [
        f"Officials said {100 + i * 7} families left district {i} after the floods, "
        f"according to {agencies[i % len(agencies)]}. Costs rose {i + 3}% to ${i + 2} million, "
        f"the agency said."
        for i in range(paragraphs)
    ]
    return "Floods force thousands from their homes\n\n" + "\n\n".join(body)


def test_pasted_article_gets_a_threaded_digest(bot, slack):
    event = message_event(SEED)
    reply = bot.driver.event(event)
    assert reply.status == 200
    call = slack.wait_calls("chat.postMessage")[0]
    assert call.args["channel"] == CHANNEL
    assert call.args["thread_ts"] == event["ts"]
    shown = texts(call.args["blocks"])
    for figure, source in SEED_FIGURES.items():
        assert f"*{figure}*" in shown
        assert source in shown
    assert "Business Insider" in shown
    assert "figures ·" in shown and "open ·" in shown
    record = posted_record(bot, slack, event["ts"])
    assert record.message_ts == call.response["ts"]
    assert record.user_id == REPORTER


def test_redelivered_event_posts_one_digest(bot, slack):
    event = message_event(SEED)
    first = bot.driver.event(event, event_id="EvREDELIVER1")
    again = bot.driver.event(event, event_id="EvREDELIVER1", retry_num=1)
    assert (first.status, again.status) == (200, 200)
    slack.wait_calls("chat.postMessage")
    settle()
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_same_message_in_two_events_posts_one_digest(bot, slack):
    # A paste that is also digested by the shortcut (or delivered under two event ids)
    # is keyed by its message, not only by the delivery.
    event = message_event(SEED)
    bot.driver.event(event)
    bot.driver.event(event)
    slack.wait_calls("chat.postMessage")
    settle()
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_forged_stale_or_unsigned_requests_are_refused(bot, slack):
    event = message_event(SEED)
    assert bot.driver.event(event, signature="v0=" + "0" * 64).status == 401
    stale = int(time.time()) - 10 * 60
    assert bot.driver.event(event, timestamp=stale).status == 401
    assert bot.driver.event(event, sign=False).status == 401
    settle()
    assert slack.calls_to("chat.postMessage") == []


def test_bots_edits_and_small_talk_get_nothing(bot, slack):
    quiet = [
        message_event(SEED, user=None, subtype="bot_message", bot_id="BOTHER"),
        message_event(SEED, bot_id="BOTHER2", app_id="A2"),  # a modern bot: bot_id, no subtype
        message_event(SEED, user=BOT_USER_ID, bot_id=BOT_ID),  # ourselves
        message_event("", subtype="message_changed", message={"text": SEED, "ts": new_ts()}),
        message_event("", subtype="message_deleted", deleted_ts=new_ts()),
        message_event("<@UNEW> has joined the channel", subtype="channel_join"),
        message_event("lunch at 1?"),
        message_event("3 more edits on the budget story, then 40% of it is done"),
    ]
    for event in quiet:
        assert bot.driver.event(event).status == 200  # acknowledged: no 404, no Slack retry
    settle()
    assert slack.calls_to("chat.postMessage") == []


def test_malformed_events_are_acknowledged_without_a_crash(bot, slack):
    assert bot.driver.event({"type": "message", "text": SEED}).status == 200  # no channel/ts
    assert bot.driver.event({"type": "app_mention"}).status == 200
    body = "{not json"
    reply = bot.driver.post(body, content_type="application/json")
    assert reply.status in {400, 401, 404}
    settle()
    # The app still works afterwards.
    bot.driver.event(message_event(SEED))
    slack.wait_calls("chat.postMessage")


def test_slash_command_is_acked_at_once_and_the_digest_goes_to_the_caller(bot, slack):
    reply = bot.driver.command(SEED, response_url=slack.response_url("cmd1"))
    assert reply.status == 200
    assert reply.elapsed < 3.0  # Slack's window for the ack
    response = slack.wait_calls("response_url")[0]
    assert response.args["response_type"] == "ephemeral"
    shown = texts(response.args["blocks"])
    for figure in SEED_FIGURES:
        assert f"*{figure}*" in shown
    assert slack.calls_to("chat.postMessage") == []  # nothing in the channel yet
    share = [
        element
        for block in response.args["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert [e["action_id"] for e in share] == ["share_digest"]

    # Share in channel: the digest is posted for everyone and the private copy removed.
    click = button_payload("share_digest", share[0]["value"], response_url=slack.response_url("b1"))
    assert bot.driver.interactive(click).status == 200
    posted = slack.wait_calls("chat.postMessage")[0]
    assert posted.args["channel"] == CHANNEL
    assert not posted.args.get("thread_ts")
    assert f"<@{REPORTER}>" in texts(posted.args["blocks"])
    assert "*at least 115*" in texts(posted.args["blocks"])
    deleted = slack.wait_for(
        lambda: [c for c in slack.calls_to("response_url") if c.args.get("delete_original")]
    )
    assert deleted[0].args["_key"] == "b1"

    # A second click does not post it twice.
    bot.driver.interactive(click)
    slack.wait_for(lambda: len(slack.calls_to("response_url")) >= 3)
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert "already shared" in texts(slack.calls_to("response_url")[-1].args["blocks"])


def test_slash_command_help_and_a_refused_link_answer_plainly(bot, slack):
    for text in ("", "help"):
        reply = bot.driver.command(text, response_url=slack.response_url())
        shown = texts(reply.json().get("blocks"))
        for command in ("pending", "search", "watch on|off", "settings", "help"):
            assert f"/digest {command}" in shown, command  # every command is listed
        assert "a link" in shown and "Review figures" in shown
    settle()
    assert slack.calls_to("response_url") == []
    # A link to an internal address: "Reading…", then replaced by the reason, privately.
    link = bot.driver.command("<http://127.0.0.1:9/story>", response_url=slack.response_url("l"))
    assert link.status == 200 and link.elapsed < 3.0
    reading, refused = slack.wait_calls("response_url", count=2)
    assert "Reading" in texts(reading.args["blocks"])
    assert refused.args["replace_original"] is True
    assert refused.args["response_type"] == "ephemeral"
    assert "private or internal address" in texts(refused.args["blocks"])


def test_message_shortcut_digests_into_that_messages_thread(bot, slack):
    message = {"user": "UEDITOR", "ts": new_ts(), "text": SEED}
    payload = shortcut_payload(message, response_url=slack.response_url("sc"))
    assert bot.driver.interactive(payload).status == 200
    call = slack.wait_calls("chat.postMessage")[0]
    assert call.args["thread_ts"] == message["ts"]
    assert "*upwards of 700*" in texts(call.args["blocks"])
    # Used again on the same message: a private note instead of a second digest.
    bot.driver.interactive(shortcut_payload(message, response_url=slack.response_url("sc2")))
    note = slack.wait_calls("response_url")[0]
    assert "already has a digest" in texts(note.args["blocks"])
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_shortcut_on_a_line_of_chat_answers_privately_that_there_is_nothing_to_check(bot, slack):
    message = {"user": "UEDITOR", "ts": new_ts(), "text": "lunch at 1? 3 more edits first"}
    bot.driver.interactive(shortcut_payload(message, response_url=slack.response_url("chat")))
    note = slack.wait_calls("response_url")[0]
    assert note.args["response_type"] == "ephemeral"
    assert "Nothing to check in that message" in texts(note.args["blocks"])
    settle()
    assert slack.calls_to("chat.postMessage") == []


def test_shortcut_where_the_bot_is_not_a_member_explains_privately(bot, slack):
    slack.kick_bot("CPRIVATE")
    message = {"user": "UEDITOR", "ts": new_ts(), "text": SEED}
    payload = shortcut_payload(message, response_url=slack.response_url("k"), channel="CPRIVATE")
    bot.driver.interactive(payload)
    note = slack.wait_calls("response_url")[0]
    assert note.args["response_type"] == "ephemeral"
    assert "/invite" in texts(note.args["blocks"])
    assert bot.store.digest_for_message("CPRIVATE", message["ts"]) is None  # not kept


def test_mention_in_a_thread_digests_the_threads_article(bot, slack):
    parent_ts = slack.add_message(CHANNEL, SEED, user="UEDITOR")
    bot.driver.event(mention_event("can you digest this?", thread_ts=parent_ts))
    call = slack.wait_calls("chat.postMessage")[0]
    assert call.args["thread_ts"] == parent_ts
    assert "*more than 1,000*" in texts(call.args["blocks"])
    assert slack.calls_to("conversations.replies")[0].args["ts"] == parent_ts
    # Mentioned again: a short pointer, not a second digest.
    bot.driver.event(mention_event("again please", thread_ts=parent_ts))
    second = slack.wait_calls("chat.postMessage", count=2)[1]
    assert "already has its digest" in texts(second.args["blocks"])


def test_bare_mention_gets_usage_and_a_mention_paste_is_digested_once(bot, slack):
    bare = mention_event("")
    bot.driver.event(bare)
    usage = slack.wait_calls("chat.postMessage")[0]
    assert "/digest" in texts(usage.args["blocks"])
    # An article pasted with a mention: the message event and the app_mention event
    # both arrive; only the mention path answers.
    event = mention_event(SEED)
    bot.driver.event(event)
    plain = dict(event, type="message")
    bot.driver.event(plain)
    slack.wait_calls("chat.postMessage", count=2)
    settle()
    digests = [
        c for c in slack.calls_to("chat.postMessage") if "*one-third*" in texts(c.args["blocks"])
    ]
    assert len(digests) == 1


def test_a_39000_character_article_is_one_message_and_its_review_pages_through_all(bot, slack):
    text = long_article(280)
    assert len(text) >= 39_000
    event = message_event(text)
    bot.driver.event(event)
    record = posted_record(bot, slack, event["ts"])
    settle()
    calls = slack.calls_to("chat.postMessage")
    assert len(calls) == 1 and calls[0].response.get("ok")  # one message, nothing else
    assert bot.store.pages(record.id) == [record.message_ts]
    blocks = calls[0].args["blocks"]
    assert len(blocks) <= 50 and len(json.dumps(blocks)) <= 12_000
    worth = [f for f in record.digest.figures if f.checkworthy]
    assert "more figures: *Review figures* lists them all" in texts(blocks)
    button = next(e for b in blocks if b["type"] == "actions" for e in b["elements"])
    bot.driver.interactive(
        button_payload(
            "review_figures",
            button["value"],
            response_url=slack.response_url(),
            message_ts=record.message_ts,
        )
    )
    view = slack.wait_calls("views.open")[0].response["view"]
    seen = []
    for page in range(1, 100):
        seen += [
            b["block_id"][7:] for b in view["blocks"] if b.get("block_id", "")[:7] == "figure:"
        ]
        nav = [b for b in view["blocks"] if b.get("block_id") == "review_pages"]
        nexts = [e for e in nav[0]["elements"] if e["text"]["text"] == "Next ›"] if nav else []
        if not nexts:
            break
        bot.driver.interactive(view_button_payload("review_page", nexts[0]["value"], view=view))
        update = slack.wait_calls("views.update", count=page)[page - 1]
        assert update.args["view_id"] == view["id"]
        view = {**update.response["view"], "id": view["id"]}
    assert seen == [f.id for f in worth]


def test_rate_limited_post_is_retried_and_delivered(bot, slack):
    slack.fail("chat.postMessage", status=429, retry_after=1)
    event = message_event(SEED)
    bot.driver.event(event)
    slack.wait_for(lambda: any(c.response.get("ok") for c in slack.calls_to("chat.postMessage")))
    calls = slack.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 0.9  # Retry-After honoured
    assert posted_record(bot, slack, event["ts"]).message_ts == calls[1].response["ts"]


def test_app_home_shows_usage(bot, slack):
    bot.driver.event({"type": "app_home_opened", "user": REPORTER, "channel": "D1", "tab": "home"})
    call = slack.wait_calls("views.publish")[0]
    assert call.args["user_id"] == REPORTER
    view = call.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home" and "/digest" in texts(view["blocks"])


def test_each_article_is_one_message_whose_lines_name_the_source_json_gives(bot, slack, capsys):
    import re

    from bot.cli import main

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    paths = [Path(__file__).parent.parent / "seeds" / "business-insider-russian-deserters.txt"]
    paths += sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    line = re.compile(r"^:[a-z_]+: \*(?P<figure>[^*\n]+)\* · (?P<source>.+?) · ")
    expected, events = {}, {}
    for path in paths:
        assert main(["digest", str(path), "--json"]) == 0
        contract = json.loads(capsys.readouterr().out)
        names = {s["id"]: s["name"] for s in contract["sources"]}
        expected[path.stem] = [
            (f["text"], names.get(f["source_id"], "_unattributed_"))
            for f in contract["figures"]
            if f["checkworthy"]
        ]
        events[path.stem] = message_event(path.read_text())
        bot.driver.event(events[path.stem])
    for event in events.values():
        posted_record(bot, slack, event["ts"])
    settle()
    unescape = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
    for stem, event in events.items():
        calls = [
            c for c in slack.calls_to("chat.postMessage") if c.args["thread_ts"] == event["ts"]
        ]
        assert len(calls) == 1, stem  # exactly one message in the thread
        shown = [
            (m["figure"], m["source"])
            for text in texts(calls[0].args["blocks"]).split("\n")
            if (m := line.match(text))
        ]
        for a, b in unescape.items():
            shown = [(f.replace(a, b), s.replace(a, b)) for f, s in shown]
        assert shown == expected[stem], stem  # every figure, with the source --json gives it
