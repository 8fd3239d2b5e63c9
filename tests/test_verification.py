"""The verification workflow end to end: menus, modals, edits in place, nudges, roundups.

The real app over signed HTTP with the scheduler running, against the local Slack; the
nudge delay is a second or two instead of a day.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from tests.drive import (
    CHANNEL,
    REPORTER,
    button_payload,
    mention_event,
    message_event,
    select_payload,
    view_select_payload,
    view_submission,
)
from tests.test_slack_app import SEED, long_article, posted_record, settle, texts

CODES = {
    "verified": "v",
    "disputed": "d",
    "snooze_1h": "s1h",
    "snooze_1w": "s1w",
    "not_needed": "n",
    "reopen": "r",
}


def paste(bot, slack, channel: str = CHANNEL):
    """Paste the seed article; returns (the digest as Slack holds it, the stored record)."""
    event = message_event(SEED, channel=channel)
    bot.driver.event(event)
    record = posted_record(bot, slack, event["ts"], channel=channel)
    return message(slack, channel, record.message_ts), record


def message(slack, channel: str, ts: str) -> dict:
    """A message as Slack holds it now (after any chat.update)."""
    return next(m for m in slack.messages(channel) if m["ts"] == ts)


def figure_line(blocks: list[dict], figure: str) -> str:
    """The line of a digest or nudge message that shows ``figure`` in bold."""
    for line in texts(blocks).split("\n"):
        if f"*{figure}*" in line and line.startswith(":"):
            return line
    raise AssertionError(f"no line shows {figure}")


def review_button(msg: dict) -> dict:
    return next(
        e
        for b in msg["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "review_figures"
    )


def open_review(bot, slack, msg: dict, *, user: str = REPORTER) -> dict:
    """Click *Review figures* on ``msg``; the review modal as Slack holds it (with its id)."""
    before = len(slack.calls_to("views.open"))
    button = review_button(msg)
    reply = bot.driver.interactive(
        button_payload(
            "review_figures",
            button["value"],
            user=user,
            response_url=slack.response_url(),
            message_ts=msg["ts"],
        )
    )
    assert reply.status == 200
    return slack.wait_calls("views.open", count=before + 1)[before].response["view"]


def figure_block(view: dict, figure: str) -> tuple[dict, str]:
    """The review's section showing ``figure`` in bold, and the state line under it."""
    blocks = view["blocks"]
    for i, block in enumerate(blocks):
        if str(block.get("block_id", "")).startswith("figure:") and block["text"]["text"].split(
            "\n"
        )[0].count(f"*{figure}*"):
            return block, texts([blocks[i + 1]])
    raise AssertionError(f"the review does not show {figure}")


def pick(bot, view: dict, figure: str, choice: str, *, user: str = REPORTER) -> str:
    """Pick ``choice`` from the menu of ``figure`` in the review ``view``."""
    block, _ = figure_block(view, figure)
    options = block["accessory"]["options"]
    value = next(o["value"] for o in options if o["value"].startswith(CODES[choice] + "|"))
    reply = bot.driver.interactive(view_select_payload(value, view=view, user=user))
    assert reply.status == 200
    return value


def choose(bot, slack, msg: dict, figure: str, choice: str, *, user: str = REPORTER) -> dict:
    """Open the review from ``msg`` and pick ``choice`` for ``figure``; the review view."""
    view = open_review(bot, slack, msg, user=user)
    pick(bot, view, figure, choice, user=user)
    return view


def submit(bot, slack, values: dict[str, str], *, user: str = REPORTER, opened: int = 1):
    """Fill in the form the app pushed (the ``opened``-th views.push) and submit it."""
    view = slack.wait_calls("views.push", count=opened)[opened - 1].response["view"]
    return bot.driver.interactive(view_submission(view, values, user=user))


def test_the_digest_is_one_message_and_its_review_has_a_menu_per_figure(bot, slack):
    msg, _record = paste(bot, slack)
    in_thread = [c for c in slack.calls_to("chat.postMessage") if c.args.get("thread_ts")]
    assert len(in_thread) == 1  # one message per digest, nothing after it
    assert figure_line(msg["blocks"], "at least 115").endswith(
        "*at least 115* · The Guardian · Open: reported by another outlet, single source"
    )
    view = open_review(bot, slack, msg)
    assert view["callback_id"] == "review_figures"
    block, line = figure_block(view, "at least 115")
    labels = [o["text"]["text"] for o in block["accessory"]["options"]]
    assert labels == [
        "Verified…",
        "Disputed…",
        "Snooze 1 hour",
        "Snooze 1 day",
        "Snooze 1 week",
        "Not needed",
    ]
    assert "Source: *The Guardian*" in block["text"]["text"]
    assert line.startswith("Open: reported by another outlet")
    assert bot.store.status_counts(channel=CHANNEL)["open"] == 7


def test_verified_through_the_form_edits_the_digest_and_the_review_in_place(bot, slack):
    msg, record = paste(bot, slack)
    slack.wait_for(lambda: bot.store.digest(record.id).permalink)  # fetched once, when posted
    assert len(slack.calls_to("chat.getPermalink")) == 1
    view = choose(bot, slack, msg, "at least 115", "verified", user="UCHECK")
    form = slack.wait_calls("views.push")[0].args["view"]
    assert form["callback_id"] == "figure_verified" and "at least 115" in texts(form["blocks"])
    refused = submit(bot, slack, {}, user="UCHECK")  # neither a link nor a note
    assert refused.json()["response_action"] == "errors" and "note" in refused.json()["errors"]
    reply = submit(
        bot,
        slack,
        {"evidence": "https://example.org/guardian-115", "note": "Called the Guardian desk"},
        user="UCHECK",
    )
    assert reply.status == 200 and not reply.body  # the form closes, back to the review
    slack.wait_for(lambda: slack.calls_to("chat.update"))
    now = message(slack, CHANNEL, record.message_ts)
    line = figure_line(now["blocks"], "at least 115")
    assert line.startswith(":white_check_mark:")
    assert "Verified by <@UCHECK> — Called the Guardian desk" in line
    assert "<https://example.org/guardian-115|evidence>" in line
    assert "6 open" in texts(now["blocks"])
    redrawn = slack.wait_calls("views.update")[0]
    assert redrawn.args["view_id"] == view["id"]
    _, state = figure_block(redrawn.args["view"], "at least 115")
    assert state.startswith("Verified by <@UCHECK> — Called the Guardian desk")
    log = bot.store.audit(digest_id=record.id)
    assert [(e.actor, e.action, e.old_status, e.new_status) for e in log] == [
        ("UCHECK", "verified", "open", "verified")
    ]
    assert log[0].evidence_url == "https://example.org/guardian-115"
    home = slack.wait_calls("views.publish")[0]
    assert home.args["user_id"] == "UCHECK"
    assert len(slack.calls_to("chat.getPermalink")) == 1  # the change asked for no more
    settle()  # no thread note unless the channel asks for them
    assert len([c for c in slack.calls_to("chat.postMessage") if c.args.get("thread_ts")]) == 1


def test_the_ledger_names_people_and_channels(bot, slack, capsys):
    import csv
    import io

    from bot.cli import main

    msg, record = paste(bot, slack)
    choose(bot, slack, msg, "one-third", "not_needed", user="UCHECK")
    slack.wait_for(lambda: bot.store.names(["UCHECK"]))
    assert bot.store.names(["UCHECK", REPORTER, CHANNEL]) == {
        "UCHECK": "ucheck",
        REPORTER: REPORTER.lower(),
        CHANNEL: CHANNEL.lower(),
    }
    lookups = len(slack.calls_to("users.info"))
    choose(bot, slack, msg, "a dozen", "not_needed", user="UCHECK")
    slack.wait_for(lambda: len(bot.store.audit(digest_id=record.id)) == 2)
    settle()
    assert len(slack.calls_to("users.info")) == lookups  # learnt once, kept
    assert main(["ledger", "--db", bot.settings.db_path, "--csv", "--status", "not_needed"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(r["updated_by"], r["updated_by_name"], r["channel_name"]) for r in rows} == {
        ("UCHECK", "ucheck", CHANNEL.lower())
    }
    assert main(["ledger", "--db", bot.settings.db_path]) == 0
    assert "ucheck" in capsys.readouterr().out


def test_thread_notes_are_a_channel_setting(bot, slack):
    on = bot.driver.command("settings notes on", response_url=slack.response_url())
    assert "turned thread notes on" in texts(on.json()["blocks"])
    msg, record = paste(bot, slack)
    choose(bot, slack, msg, "one-third", "not_needed", user="UCHECK")
    note = slack.wait_for(
        lambda: [c for c in slack.calls_to("chat.postMessage") if "marked" in c.args["text"]]
    )[0]
    assert note.args["thread_ts"] == record.thread_ts
    assert "<@UCHECK> marked *one-third* as not needing a check" in note.args["text"]
    shown = bot.driver.command("settings", response_url=slack.response_url())
    assert "thread notes: *on*" in texts(shown.json()["blocks"])


def test_disputed_asks_for_a_valid_link_and_records_the_correct_figure(bot, slack):
    msg, record = paste(bot, slack)
    choose(bot, slack, msg, "upwards of 700", "disputed")
    form = slack.wait_calls("views.push")[0].args["view"]
    evidence = next(b for b in form["blocks"] if b.get("block_id") == "evidence")
    assert evidence["element"]["type"] == "url_text_input"
    refused = submit(bot, slack, {"note": "Agora says 600", "evidence": "agora.example"})
    assert refused.json()["response_action"] == "errors"
    assert "evidence" in refused.json()["errors"]
    assert bot.store.audit() == []
    accepted = submit(bot, slack, {"note": "Agora's own count is 600", "correction": "about 600"})
    assert accepted.status == 200
    slack.wait_for(lambda: slack.calls_to("chat.update"))
    line = figure_line(message(slack, CHANNEL, record.message_ts)["blocks"], "upwards of 700")
    assert "Disputed by <@UREPORTER>: should be *about 600*" in line
    figure = next(f for f in bot.store.figures(record.id) if f.text == "upwards of 700")
    assert (figure.status, figure.correction) == ("disputed", "about 600")


def test_snooze_and_not_needed_apply_at_once_and_reopen_undoes(bot, slack):
    msg, record = paste(bot, slack)
    choose(bot, slack, msg, "one-third", "snooze_1h")
    slack.wait_for(lambda: slack.calls_to("chat.update"))
    line = figure_line(message(slack, CHANNEL, record.message_ts)["blocks"], "one-third")
    assert line.startswith(":zzz:") and " · Snoozed until " in line
    choose(bot, slack, msg, "more than 1,000", "not_needed")
    slack.wait_calls("chat.update", count=2)
    now = message(slack, CHANNEL, record.message_ts)
    assert figure_line(now["blocks"], "more than 1,000").endswith("Not needed by <@UREPORTER>")
    choose(bot, slack, now, "more than 1,000", "reopen")
    slack.wait_calls("chat.update", count=3)
    line = figure_line(message(slack, CHANNEL, record.message_ts)["blocks"], "more than 1,000")
    assert line.endswith("Open: single source")
    actions = [e.action for e in bot.store.audit(digest_id=record.id)]
    assert actions == ["snoozed", "not_needed", "reopened"]


def test_a_snooze_from_an_outdated_view_does_not_undo_a_verification(bot, slack):
    msg, record = paste(bot, slack)
    carol = open_review(bot, slack, msg, user="UCAROL")  # drawn a minute before Alice's change
    choose(bot, slack, msg, "more than 1,000", "verified", user="UALICE")
    submit(bot, slack, {"note": "Benyash confirmed it by phone"}, user="UALICE")
    slack.wait_for(lambda: bot.store.audit(digest_id=record.id))
    pick(bot, carol, "more than 1,000", "snooze_1w", user="UCAROL")
    asked = slack.wait_calls("views.push", count=2)[1].args["view"]
    assert asked["callback_id"] == "confirm_change"
    shown = texts(asked["blocks"])
    assert "<@UALICE> marked *more than 1,000* *verified*" in shown
    assert "Benyash confirmed it by phone" in shown and "*Snooze 1 week* anyway?" in shown
    settle()
    figure = next(f for f in bot.store.figures(record.id) if f.text == "more than 1,000")
    assert (figure.status, figure.updated_by) == ("verified", "UALICE")
    assert len(bot.store.audit(digest_id=record.id)) == 1  # one change in the log
    line = figure_line(message(slack, CHANNEL, record.message_ts)["blocks"], "more than 1,000")
    assert "Verified by <@UALICE>" in line
    # Carol confirms: now it is her informed choice, and the log has both.
    bot.driver.interactive(view_submission({"id": "VASK", **asked}, {}, user="UCAROL"))
    slack.wait_for(lambda: len(bot.store.audit(digest_id=record.id)) == 2)
    assert bot.store.figure(figure.key).snoozed()


def test_an_old_menu_without_a_version_asks_before_overturning(bot, slack):
    msg, record = paste(bot, slack)
    figure = next(f for f in bot.store.figures(record.id) if f.text == "at least 115")
    bot.store.change_status(figure.key, "not_needed", actor="UEDITOR")
    # A menu drawn before figures had versions (a nudge from an earlier release).
    bot.driver.interactive(
        select_payload(f"s1w|{figure.key}", message=msg, response_url=slack.response_url())
    )
    asked = slack.wait_calls("views.open")[0].args["view"]
    assert asked["callback_id"] == "confirm_change"
    assert "<@UEDITOR> marked *at least 115* *not needed*" in texts(asked["blocks"])
    settle()
    assert bot.store.figure(figure.key).status == "not_needed"


def test_two_editors_at_once_one_applies_the_other_is_asked(bot, slack):
    msg, record = paste(bot, slack)
    choose(bot, slack, msg, "a dozen", "verified", user="UA")
    choose(bot, slack, msg, "a dozen", "disputed", user="UB")
    pushed = slack.wait_calls("views.push", count=2)
    by_callback = {c.args["view"]["callback_id"]: c.response["view"] for c in pushed}
    barrier = threading.Barrier(2)
    replies: dict[str, object] = {}

    def send(view: dict, values: dict, user: str) -> None:
        barrier.wait()
        replies[user] = bot.driver.interactive(view_submission(view, values, user=user))

    threads = [
        threading.Thread(
            target=send, args=(by_callback["figure_verified"], {"note": "it is 12"}, "UA")
        ),
        threading.Thread(
            target=send, args=(by_callback["figure_disputed"], {"note": "it was 11"}, "UB")
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log = bot.store.audit(digest_id=record.id)
    assert len(log) == 1  # the first applies; the second was drawn before it
    first = log[0].actor
    second = "UB" if first == "UA" else "UA"
    asked = replies[second].json()
    assert asked["response_action"] == "update"
    assert asked["view"]["callback_id"] == "confirm_change"
    assert f"<@{first}> marked *a dozen*" in texts(asked["view"]["blocks"])
    assert replies[first].status == 200 and not replies[first].body
    final = bot.store.figure(log[0].figure_key)
    slack.wait_for(lambda: slack.calls_to("chat.update"))
    settle()
    line = figure_line(message(slack, CHANNEL, record.message_ts)["blocks"], "a dozen")
    emoji = {"verified": ":white_check_mark:", "disputed": ":x:"}[final.status]
    assert line.startswith(emoji)  # the thread shows the state that was applied
    # What the second person typed is kept in the question: confirming applies it.
    bot.driver.interactive(view_submission({"id": "VASK", **asked["view"]}, {}, user=second))
    later = slack.wait_for(
        lambda: (e := bot.store.audit(digest_id=record.id)) and len(e) == 2 and e
    )
    assert later[1].actor == second and later[1].note in ("it is 12", "it was 11")


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
    assert shown.count(f"<@{REPORTER}>") == 1 and len(shown) < 1500
    assert "*at least 115*" not in shown and shown.count(" · Open") == 3
    assert "Nudge 1 of 1" in shown
    assert review_button(nudge.args)["value"] == record.id
    # Nothing more is planned, in the ledger or the scheduler: it was the only one.
    slack.wait_for(lambda: bot.bot.deps.desk.reminders.next_nudge_at(record.id) is None)
    assert bot.store.nudge_plan(record.id).next_at is None
    nudges = [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]
    assert len(nudges) == 1


def test_no_nudge_for_a_deleted_source_message_and_its_digest_says_so(make_bot, slack):
    bot = make_bot(nudge_after="1s", max_nudges=1)
    event = message_event(SEED)
    bot.driver.event(event)
    record = posted_record(bot, slack, event["ts"])
    bot.driver.event(
        {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "channel": CHANNEL,
            "ts": "1700009999.000001",
            "deleted_ts": event["ts"],
        }
    )
    edit = slack.wait_for(lambda: slack.calls_to("chat.update"))[0]
    assert "The original message was deleted; no more nudges." in texts(edit.args["blocks"])
    assert bot.store.nudge_plan(record.id).next_at is None
    time.sleep(1.2)  # past when the nudge was due
    assert not [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]


def test_nudges_back_off_then_stop(make_bot, slack):
    bot = make_bot(nudge_after="1s", max_nudges=2)
    _, record = paste(bot, slack)
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
    superseded = ":bell: Nudge 1 of 2: superseded by a later nudge."  # not stacked
    slack.wait_for(
        lambda: texts(message(slack, CHANNEL, nudges[0].response["ts"])["blocks"]) == superseded
    )
    slack.wait_for(lambda: bot.bot.deps.desk.reminders.next_nudge_at(record.id) is None)
    assert bot.store.nudge_plan(record.id).next_at is None  # none planned after the last
    assert (
        len([c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]) == 2
    )


def test_nudges_due_together_in_a_channel_are_one_message_kept_true(make_bot, slack):
    bot = make_bot(nudge_after="1s", max_nudges=2, nudge_batch="1h")
    msg, first = paste(bot, slack)
    event = message_event(long_article(6), user="UBOB")
    bot.driver.event(event)
    second = posted_record(bot, slack, event["ts"])

    def nudges() -> list:
        return [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]

    one = slack.wait_for(nudges, timeout=10)[0]
    ts = one.response["ts"]
    assert not one.args.get("thread_ts")  # in the channel: one message, not one per thread
    for record in (first, second):
        plan = slack.wait_for(lambda r=record: (p := bot.store.nudge_plan(r.id)).last_ts and p)
        assert (plan.sent, plan.last_ts, plan.grouped) == (1, ts, True)
    shown = texts(one.args["blocks"])
    assert shown.count(f"<@{REPORTER}>") == 1 and shown.count("<@UBOB>") == 1
    assert "7 figures open · nudge 1 of 2" in shown and "in one message · next " in shown
    # A change on one article redraws its line in the shared nudge.
    choose(bot, slack, msg, "at least 115", "not_needed")
    slack.wait_for(
        lambda: "6 figures open · nudge 1 of 2" in texts(message(slack, CHANNEL, ts)["blocks"])
    )
    assert len(nudges()) == 1  # neither article had a nudge of its own
    # The next nudges fall due together too; the first message says it was superseded.
    two = slack.wait_for(lambda: nudges()[1:], timeout=10)[0]
    assert not two.args.get("thread_ts") and "nudge 2 of 2" in texts(two.args["blocks"])
    slack.wait_for(
        lambda: (
            texts(message(slack, CHANNEL, ts)["blocks"])
            == ":bell: Nudges superseded by later ones."
        )
    )
    reminders = bot.bot.deps.desk.reminders
    for record in (first, second):  # none planned after the last
        slack.wait_for(lambda r=record: reminders.next_nudge_at(r.id) is None)
        assert bot.store.nudge_plan(record.id).next_at is None
    assert len(nudges()) == 2


def test_closing_every_figure_cancels_the_nudge(make_bot, slack):
    bot = make_bot(nudge_after="2s")
    _msg, record = paste(bot, slack)
    for figure in bot.store.open_figures(digest_id=record.id):
        current = message(slack, CHANNEL, record.message_ts)
        choose(bot, slack, current, figure.text, "not_needed")
        slack.wait_for(lambda f=figure: bot.store.figure(f.key).status == "not_needed")
    slack.wait_for(lambda: bot.store.nudge_plan(record.id).next_at is None)
    slack.wait_for(lambda: bot.bot.deps.desk.reminders.next_nudge_at(record.id) is None)
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
    assert "7 figures in this article are still open" in texts(nudge["blocks"])
    choose(bot, slack, nudge, "more than 1,000", "not_needed")
    edited = slack.wait_for(
        lambda: [c for c in slack.calls_to("chat.update") if c.args["ts"] == nudge["ts"]]
    )
    assert "6 figures in this article are still open" in texts(edited[-1].args["blocks"])
    assert "*more than 1,000*" not in texts(edited[-1].args["blocks"])
    line = figure_line(message(slack, CHANNEL, record.message_ts)["blocks"], "more than 1,000")
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
    again = bot.driver.command("watch off", response_url=slack.response_url())
    assert again.json().get("response_type") != "in_channel"
    assert "already *off*" in texts(again.json()["blocks"])
    before = len(slack.calls_to("chat.postMessage"))
    bot.driver.event(message_event(SEED))
    settle()
    assert len(slack.calls_to("chat.postMessage")) == before  # pastes are left alone
    bot.driver.event(mention_event(SEED))  # a mention still works
    slack.wait_calls("chat.postMessage", count=before + 1)
    settings = bot.driver.command("settings", response_url=slack.response_url())
    assert "Watching pastes here: *off*" in texts(settings.json()["blocks"])


def test_pending_pages_through_every_open_figure_with_the_claims_words(bot, slack):
    for _ in range(6):
        paste(bot, slack)
    bot.driver.command("pending", response_url=slack.response_url("p"))
    first = slack.wait_calls("response_url")[0]
    shown = texts(first.args["blocks"])
    assert "42 open figures in 6 articles, oldest first · page 1 of 2" in shown
    assert "• *at least 115* · The Guardian" in shown
    assert "that *at least 115* Russian national guardsmen said" in shown  # the claim's words
    nav = next(b for b in first.args["blocks"] if b["type"] == "actions")
    (button,) = nav["elements"]
    assert button["text"]["text"] == "Next ›"
    bot.driver.interactive(
        button_payload(button["action_id"], button["value"], response_url=slack.response_url("p2"))
    )
    second = slack.wait_calls("response_url", count=2)[1]
    assert second.args["replace_original"] is True  # the private list turns its page
    assert "page 2 of 2" in texts(second.args["blocks"])
    listed = [
        line
        for call in (first, second)
        for line in texts(call.args["blocks"]).split("\n")
        if line.startswith("• *")
    ]
    assert len(listed) == 42


def test_snoozed_figures_are_left_out_and_the_nudge_moves_to_when_they_wake(make_bot, slack):
    bot = make_bot(nudge_after="2s", max_nudges=1)
    _, record = paste(bot, slack)
    for figure in bot.store.open_figures(digest_id=record.id):
        choose(bot, slack, message(slack, CHANNEL, record.message_ts), figure.text, "snooze_1h")
        slack.wait_for(lambda f=figure: bot.store.figure(f.key).snoozed())
    wake = min(f.snoozed_until for f in bot.store.open_figures(digest_id=record.id))
    # The planned nudge time passes with everything asleep: the nudge moves to the waking.
    plan = slack.wait_for(
        lambda: (p := bot.store.nudge_plan(record.id)).next_at == wake and p, timeout=10
    )
    assert plan.sent == 0
    assert not [c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]
    # The job follows the plan (stored first, then scheduled).
    slack.wait_for(lambda: bot.bot.deps.desk.reminders.next_nudge_at(record.id) is not None)


def test_nudges_a_gone_process_posted_together_are_adopted_not_posted_again(bot, slack):
    from bot.slack.blocks import round_nudge_message
    from bot.slack.deliver import post_messages
    from bot.store import Store, utcnow

    records = []
    for text in (SEED, long_article(6), long_article(3)):
        event = message_event(text)
        bot.driver.event(event)
        records.append(posted_record(bot, slack, event["ts"]))
    gone = Store(bot.settings.db_path)
    gone.register_process("GONE", pid=0, host="h", lease=timedelta(minutes=5))
    for record in records:
        gone.set_next_nudge(record.id, utcnow())
        assert gone.claim_nudge(record.id, sent=0, next_at=None)
    # It posted the nudges of the first two together, then died before recording them.
    desk = bot.bot.deps.desk
    together = round_nudge_message([desk._entry(r, number=1, next_at=None) for r in records[:2]])
    ts = post_messages(desk.slack, [together], channel=CHANNEL, thread_ts=None)[0]
    gone.nudge_posted(records[0].id, ts, grouped=True)  # one recorded, then the crash
    # Someone settles a figure of the first article meanwhile: the message is redrawn.
    desk._update_nudge(records[0].id)
    rows = [b.get("block_id") for b in message(slack, CHANNEL, ts)["blocks"]]
    assert f"round:{records[0].id}" in rows and f"round:{records[1].id}" not in rows
    bot.store.mark_gone(dead=["GONE"])
    desk.finish_stuck_nudges(bot.store.take_over_nudges())
    for record in records[:2]:
        plan = bot.store.nudge_plan(record.id)
        assert (plan.sent, plan.last_ts, plan.grouped, plan.posting_since) == (1, ts, True, None)
    third = bot.store.nudge_plan(records[2].id)  # never posted: due again
    assert (third.sent, third.last_ts, third.posting_since) == (0, None, None) and third.next_at
    assert (
        len([c for c in slack.calls_to("chat.postMessage") if "still open" in c.args["text"]]) == 1
    )
    gone.close()
