"""The verification workflow end to end: menus, modals, edits in place, nudges, roundups.

The real app over signed HTTP with the scheduler running, against the local Slack; the
nudge delay is a second or two instead of a day.
"""

from __future__ import annotations

import threading
import time

from tests.drive import (
    CHANNEL,
    REPORTER,
    mention_event,
    message_event,
    select_payload,
    view_submission,
)
from tests.test_slack_app import SEED, posted_record, settle, texts

CODES = {"verified": "v", "disputed": "d", "snooze_1h": "s1h", "not_needed": "n", "reopen": "r"}


def paste(bot, slack, channel: str = CHANNEL):
    """Paste the seed article; returns (the digest as Slack holds it, the stored record)."""
    event = message_event(SEED, channel=channel)
    bot.driver.event(event)
    record = posted_record(bot, slack, event["ts"], channel=channel)
    return message(slack, channel, record.message_ts), record


def message(slack, channel: str, ts: str) -> dict:
    """A message as Slack holds it now (after any chat.update)."""
    return next(m for m in slack.messages(channel) if m["ts"] == ts)


def claim_block(blocks: list[dict], figure: str) -> tuple[dict, str]:
    """The claim section showing ``figure`` in bold, and the context line under it."""
    for i, block in enumerate(blocks):
        if (
            str(block.get("block_id", "")).startswith("claim:")
            and f"*{figure}*" in block["text"]["text"]
        ):
            return block, texts([blocks[i + 1]])
    raise AssertionError(f"no claim shows {figure}")


def choose(bot, slack, msg: dict, figure: str, choice: str, *, user: str = REPORTER):
    """Pick ``choice`` from the status menu of the claim holding ``figure``."""
    block, _ = claim_block(msg["blocks"], figure)
    menu = block["accessory"]
    options = menu.get("options") or [o for g in menu["option_groups"] for o in g["options"]]
    value = next(o["value"] for o in options if o["value"].startswith(CODES[choice] + "|"))
    payload = select_payload(
        value, message=msg, user=user, response_url=slack.response_url(), channel=msg["channel"]
    )
    reply = bot.driver.interactive(payload)
    assert reply.status == 200
    return value


def submit(bot, slack, values: dict[str, str], *, user: str = REPORTER, opened: int = 1):
    """Fill in the modal the app opened (the ``opened``-th views.open) and submit it."""
    view = slack.wait_calls("views.open", count=opened)[opened - 1].args["view"]
    return bot.driver.interactive(view_submission(view, values, user=user))


def test_each_open_claim_has_a_status_menu(bot, slack):
    msg, _record = paste(bot, slack)
    block, line = claim_block(msg["blocks"], "at least 115")
    labels = [o["text"]["text"] for o in block["accessory"]["options"]]
    assert labels == [
        "Verified…",
        "Disputed…",
        "Snooze 1 hour",
        "Snooze 1 day",
        "Snooze 1 week",
        "Not needed",
    ]
    assert line.startswith("Source: *The Guardian*")
    assert bot.store.status_counts(channel=CHANNEL)["open"] == 7


def test_verified_through_the_modal_edits_the_digest_in_place_and_logs_it(bot, slack):
    msg, record = paste(bot, slack)
    choose(bot, slack, msg, "at least 115", "verified", user="UCHECK")
    modal = slack.wait_calls("views.open")[0].args["view"]
    assert modal["callback_id"] == "figure_verified" and "at least 115" in texts(modal["blocks"])
    reply = submit(
        bot,
        slack,
        {"evidence": "https://example.org/guardian-115", "note": "Called the Guardian desk"},
        user="UCHECK",
    )
    assert reply.status == 200 and not reply.body  # the modal closes
    slack.wait_for(lambda: slack.calls_to("chat.update"))
    now = message(slack, CHANNEL, record.message_ts)
    block, line = claim_block(now["blocks"], "at least 115")
    assert block["text"]["text"].startswith(":white_check_mark:")
    assert "Verified by <@UCHECK> — Called the Guardian desk" in line
    assert "<https://example.org/guardian-115|evidence>" in line
    assert "6 open" in texts(now["blocks"])
    note = slack.wait_for(
        lambda: [c for c in slack.calls_to("chat.postMessage") if "verified" in c.args["text"]]
    )[0]
    assert note.args["thread_ts"] == record.thread_ts
    assert "<@UCHECK> verified *at least 115*" in note.args["text"]
    log = bot.store.audit(digest_id=record.id)
    assert [(e.actor, e.action, e.old_status, e.new_status) for e in log] == [
        ("UCHECK", "verified", "open", "verified")
    ]
    assert log[0].evidence_url == "https://example.org/guardian-115"
    home = slack.wait_calls("views.publish")[0]
    assert home.args["user_id"] == "UCHECK"


def test_disputed_asks_for_a_valid_link_and_records_the_correct_figure(bot, slack):
    msg, record = paste(bot, slack)
    choose(bot, slack, msg, "upwards of 700", "disputed")
    refused = submit(bot, slack, {"note": "Agora says 600", "evidence": "agora.example"})
    assert refused.json()["response_action"] == "errors"
    assert "evidence" in refused.json()["errors"]
    assert bot.store.audit() == []
    accepted = submit(bot, slack, {"note": "Agora's own count is 600", "correction": "about 600"})
    assert accepted.status == 200
    slack.wait_for(lambda: slack.calls_to("chat.update"))
    _, line = claim_block(message(slack, CHANNEL, record.message_ts)["blocks"], "upwards of 700")
    assert "Disputed by <@UREPORTER>: should be *about 600*" in line
    figure = next(f for f in bot.store.figures(record.id) if f.text == "upwards of 700")
    assert (figure.status, figure.correction) == ("disputed", "about 600")


def test_snooze_and_not_needed_apply_at_once_and_reopen_undoes(bot, slack):
    msg, record = paste(bot, slack)
    choose(bot, slack, msg, "one-third", "snooze_1h")
    slack.wait_for(lambda: slack.calls_to("chat.update"))
    block, line = claim_block(message(slack, CHANNEL, record.message_ts)["blocks"], "one-third")
    assert block["text"]["text"].startswith(":zzz:") and "\nSnoozed until " in line
    choose(bot, slack, msg, "more than 1,000", "not_needed")
    slack.wait_calls("chat.update", count=2)
    now = message(slack, CHANNEL, record.message_ts)
    _, line = claim_block(now["blocks"], "more than 1,000")
    assert line.endswith("Not needed by <@UREPORTER>")
    choose(bot, slack, now, "more than 1,000", "reopen")
    slack.wait_calls("chat.update", count=3)
    _, line = claim_block(message(slack, CHANNEL, record.message_ts)["blocks"], "more than 1,000")
    assert line.endswith("Open: single source")
    actions = [e.action for e in bot.store.audit(digest_id=record.id)]
    assert actions == ["snoozed", "not_needed", "reopened"]


def test_two_people_at_once_end_in_one_state_with_both_logged(bot, slack):
    msg, record = paste(bot, slack)
    choose(bot, slack, msg, "a dozen", "verified", user="UA")
    choose(bot, slack, msg, "a dozen", "disputed", user="UB")
    views = slack.wait_calls("views.open", count=2)
    by_callback = {c.args["view"]["callback_id"]: c.args["view"] for c in views}
    barrier = threading.Barrier(2)

    def send(view: dict, values: dict, user: str) -> None:
        barrier.wait()
        bot.driver.interactive(view_submission(view, values, user=user))

    threads = [
        threading.Thread(target=send, args=(by_callback["figure_verified"], {}, "UA")),
        threading.Thread(
            target=send, args=(by_callback["figure_disputed"], {"note": "it was 11"}, "UB")
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log = slack.wait_for(lambda: (e := bot.store.audit(digest_id=record.id)) and len(e) == 2 and e)
    assert sorted(e.actor for e in log) == ["UA", "UB"]
    assert log[1].old_status == log[0].new_status  # applied one after the other
    final = bot.store.figure(log[1].figure_key).status
    slack.wait_calls("chat.update", count=2)
    settle()
    block, _ = claim_block(message(slack, CHANNEL, record.message_ts)["blocks"], "a dozen")
    emoji = {"verified": ":white_check_mark:", "disputed": ":x:"}[final]
    assert block["text"]["text"].startswith(emoji)  # the thread shows the final state


def test_nudge_fires_once_in_the_thread_with_only_the_open_figures(make_bot, slack):
    bot = make_bot(nudge_after="1s", max_nudges=1)
    msg, record = paste(bot, slack)
    posted_at = time.monotonic()
    choose(bot, slack, msg, "at least 115", "not_needed")
    nudge = slack.wait_for(
        lambda: [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]],
        timeout=10,
    )[0]
    assert nudge.at - posted_at >= 0.9  # never early
    assert nudge.args["thread_ts"] == record.thread_ts
    shown = texts(nudge.args["blocks"])
    assert f"<@{REPORTER}> 6 figures in this article are still open" in shown
    assert "*at least 115*" not in shown and "*more than 1,000*" in shown
    assert "Nudge 1 of 1" in shown
    time.sleep(2.0)
    nudges = [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]
    assert len(nudges) == 1
    assert bot.store.nudge_plan(record.id).next_at is None


def test_nudges_back_off_then_stop(make_bot, slack):
    bot = make_bot(nudge_after="1s", max_nudges=2)
    paste(bot, slack)
    nudges = slack.wait_for(
        lambda: (
            (n := [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]])
            and len(n) >= 2
            and n
        ),
        timeout=15,
    )
    assert nudges[1].at - nudges[0].at >= 1.9  # the second waits twice as long
    assert "Nudge 2 of 2" in texts(nudges[1].args["blocks"])
    time.sleep(2.5)
    assert (
        len([c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]) == 2
    )


def test_closing_every_figure_cancels_the_nudge(make_bot, slack):
    bot = make_bot(nudge_after="2s")
    _msg, record = paste(bot, slack)
    for figure in bot.store.open_figures(digest_id=record.id):
        current = message(slack, CHANNEL, record.message_ts)
        choose(bot, slack, current, figure.text, "not_needed")
        slack.wait_for(lambda f=figure: bot.store.figure(f.key).status == "not_needed")
    slack.wait_for(lambda: bot.store.nudge_plan(record.id).next_at is None)
    slack.wait_for(lambda: bot.bot.deps.desk.reminders.next_nudge_at(record.id) is None)
    time.sleep(2.5)
    assert not [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]
    assert "0 open" in texts(message(slack, CHANNEL, record.message_ts)["blocks"])


def test_a_choice_on_a_nudge_edits_the_nudge_and_the_digest(make_bot, slack):
    bot = make_bot(nudge_after="1s", max_nudges=1)
    _, record = paste(bot, slack)
    call = slack.wait_for(
        lambda: [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]],
        timeout=10,
    )[0]
    nudge = message(slack, CHANNEL, call.response["ts"])
    choose(bot, slack, nudge, "more than 1,000", "not_needed")
    edited = slack.wait_for(
        lambda: [c for c in slack.calls_to("chat.update") if c.args["ts"] == nudge["ts"]]
    )
    _, line = claim_block(edited[-1].args["blocks"], "more than 1,000")
    assert "Not needed by <@UREPORTER>" in line
    _, line = claim_block(message(slack, CHANNEL, record.message_ts)["blocks"], "more than 1,000")
    assert "Not needed by <@UREPORTER>" in line


def test_roundup_lists_open_figures_by_thread_and_skips_settled_channels(make_bot, slack):
    bot = make_bot(nudge_after="1h")
    paste(bot, slack, channel="CBUSY")
    _settled_msg, settled = paste(bot, slack, channel="CSETTLED")
    for figure in bot.store.open_figures(digest_id=settled.id):
        bot.store.change_status(figure.key, "verified", actor="UCHECK")
    scheduler = bot.bot.deps.desk.reminders.scheduler
    scheduler.add_job("bot.reminders:fire_roundup", id="roundup", replace_existing=True)
    roundup = slack.wait_for(
        lambda: [c for c in slack.calls_to("chat.postMessage") if "Still open" in c.args["text"]]
    )
    settle()
    assert [c.args["channel"] for c in roundup] == ["CBUSY"]
    assert not roundup[0].args.get("thread_ts")
    shown = texts(roundup[0].args["blocks"])
    assert "7 open figures in 1 article" in shown and "*at least 115*" in shown
    assert "https://newsroom.slack.com/archives/CBUSY/p" in shown  # linked to its thread
    assert slack.calls_to("chat.getPermalink")


def test_app_home_shows_my_open_figures_and_recent_digests(bot, slack):
    paste(bot, slack)
    bot.driver.event({"type": "app_home_opened", "user": REPORTER, "channel": "D1", "tab": "home"})
    view = slack.wait_calls("views.publish")[0].args["view"]
    shown = texts(view["blocks"])
    assert "7 open" in shown and "*at least 115* — The Guardian" in shown
    assert "Recent digests in your channels" in shown and "Hundreds of Russian soldiers" in shown
    assert len(view["blocks"]) <= 100


def test_pending_search_and_watch(bot, slack):
    paste(bot, slack)
    bot.driver.command("pending", response_url=slack.response_url("p"))
    pending = slack.wait_calls("response_url")[0]
    assert pending.args["response_type"] == "ephemeral"
    assert "7 open figures in 1 article" in texts(pending.args["blocks"])
    bot.driver.command("search guardsmen", response_url=slack.response_url("s"))
    found = slack.wait_calls("response_url", count=2)[1]
    assert "Hundreds of Russian soldiers" in texts(found.args["blocks"])
    assert "7 of 7 open" in texts(found.args["blocks"])
    bot.driver.command("pending", response_url=slack.response_url(), channel="CQUIET")
    quiet = slack.wait_calls("response_url", count=3)[2]
    assert "Nothing is open in this channel" in texts(quiet.args["blocks"])

    off = bot.driver.command("watch off", response_url=slack.response_url())
    assert off.json()["response_type"] == "in_channel"
    assert "turned watching off" in texts(off.json()["blocks"])
    before = len(slack.calls_to("chat.postMessage"))
    bot.driver.event(message_event(SEED))
    settle()
    assert len(slack.calls_to("chat.postMessage")) == before  # pastes are left alone
    bot.driver.event(mention_event(SEED))  # a mention still works
    slack.wait_calls("chat.postMessage", count=before + 1)
    settings = bot.driver.command("settings", response_url=slack.response_url())
    assert "Watching pastes here: *off*" in texts(settings.json()["blocks"])


def test_snoozed_figures_are_left_out_and_the_nudge_moves_to_when_they_wake(make_bot, slack):
    bot = make_bot(nudge_after="2s", max_nudges=1)
    _, record = paste(bot, slack)
    for figure in bot.store.open_figures(digest_id=record.id):
        choose(bot, slack, message(slack, CHANNEL, record.message_ts), figure.text, "snooze_1h")
        slack.wait_for(lambda f=figure: bot.store.figure(f.key).snoozed())
    time.sleep(3.0)  # the planned nudge time passes: everything is asleep
    assert not [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]
    plan = bot.store.nudge_plan(record.id)
    wake = min(f.snoozed_until for f in bot.store.open_figures(digest_id=record.id))
    assert plan.next_at == wake and plan.sent == 0
    assert bot.bot.deps.desk.reminders.next_nudge_at(record.id) is not None
