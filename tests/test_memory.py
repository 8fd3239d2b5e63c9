"""Story memory: figure keys, same-claim and changed-figure matching, version alignment,
and the measured floors on the labelled pairs (skipped without ../shared)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from bot import digest
from bot.memory import align, claim_keys, relation
from bot.memory.evaluate import apply_edits, read_jsonl, score_cross, score_updates, shared_texts
from bot.memory.match import shared_names, specificity
from tests.drive import REPORTER as REPORTER_ID
from tests.test_slack_app import SEED, texts

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PAIRS = ROOT / "seeds" / "memory"


def keys_of(text: str) -> dict:
    return {k.text: k for k in claim_keys(digest(text))}


def test_a_key_holds_the_value_bound_subject_words_names_and_source():
    k = keys_of(SEED)["at least 115"]
    assert (k.kind, k.value, k.bound, k.unit) == ("count", 115.0, "floor", None)
    assert k.subject == ("russian", "national", "guardsmen") and k.head == "guardsmen"
    assert "guardian" in k.names and k.source == "guardian"
    assert "fired" in k.words and "115" not in " ".join(k.words)
    money = keys_of("The city said it spent $4.5 million on repairs last year.")["$4.5 million"]
    assert (money.unit, money.value) == ("USD", 4_500_000.0)


def test_the_same_sentence_in_another_article_is_the_same_claim():
    a = keys_of(SEED)["at least 115"]
    b = keys_of("Elsewhere.\n\n" + SEED)["at least 115"]
    assert relation(a, b).relation == "same"


def test_a_new_value_in_the_same_sentence_is_a_change_and_a_different_count_is_not():
    a = keys_of(SEED)["at least 115"]
    b = keys_of(SEED.replace("at least 115", "at least 121"))["at least 121"]
    assert relation(a, b).relation == "changed"
    other = keys_of(SEED)["more than 1,000"]
    assert relation(a, other) is None  # other people, other sentence


def test_a_common_number_needs_more_than_the_number():
    a = keys_of("Police said two people were injured in the crash on Main Street.")["two"]
    b = keys_of("The senator said two bills would be introduced in March.")["two"]
    assert relation(a, b) is None
    assert specificity(a) == 1
    exact = keys_of("Clinton has 1,428 pledged delegates to Sanders' 1,153, the AP said.")
    assert specificity(exact["1,428"]) == 4


def test_a_figure_stated_beside_the_other_value_is_not_a_revision_of_it():
    line = (
        "Ratings data suggest ABC got around 8 million viewers, less than half of the "
        "18 million viewers for CNN's Republican debate."
    )
    a = keys_of("Ratings were in.\n\n" + line)["18 million"]
    b = keys_of("Early numbers came.\n\n" + line)["around 8 million"]
    assert relation(a, b) is None  # two audiences in one sentence, not a new count
    assert relation(a, keys_of("Early numbers came.\n\n" + line)["18 million"]).relation == "same"


def test_a_common_number_is_the_same_claim_when_what_it_counts_a_place_and_words_agree():
    a = keys_of("Four Americans were killed in Benghazi in 2012, the report said.")["Four"]
    b = keys_of("The attack in Benghazi left four Americans killed, officials said.")["four"]
    assert relation(a, b).relation == "same"
    # The same words about another place: "Americans" is what is counted, not a shared name.
    elsewhere = keys_of("Four Americans were killed in Niger in 2017, the report said.")["Four"]
    assert "americans" not in elsewhere.names
    assert relation(a, elsewhere) is None


def test_three_shared_names_put_two_sentences_in_one_story_but_a_person_counts_once():
    a = keys_of(
        "Clinton and Sanders now turn to the next two states, Nevada and South Carolina, "
        "after New Hampshire."
    )["two"]
    b = keys_of(
        "After New Hampshire, the next two contests are in Nevada and South Carolina, "
        "where Clinton campaigns."
    )["two"]
    assert relation(a, b).relation == "same"
    c = keys_of("There are two big differences between Donald Trump and Ted Cruz, he says.")
    d = keys_of("It looks like a two-person race between Donald Trump and Ted Cruz.")
    # "Cruz" beside "Ted Cruz" is one person: two names shared, not three.
    assert shared_names(c["two"], d["two"]) == 2 and relation(c["two"], d["two"]) is None


def test_a_name_opening_a_sentence_is_a_name_when_the_article_capitalises_it_elsewhere():
    k = keys_of("Bernie Sanders spoke in Ohio. Sanders' campaign has won nine contests.")
    assert "sanders" in k["nine"].names
    assert "the" not in keys_of("The campaign has won nine contests.")["nine"].names


def test_names_match_by_their_words():
    a = keys_of("Hillary Clinton leads Bernie Sanders by 275 pledged delegates.")["275"]
    b = keys_of("Clinton now leads Sanders by 275 pledged delegates, officials said.")["275"]
    assert "hillary clinton" in a.names and "sanders" in b.names
    assert shared_names(a, b) == 1 and relation(a, b).relation == "same"


def test_alignment_pairs_versions_like_a_diff():
    edited = SEED.replace("at least 115", "at least 121").replace(
        "upwards of 700 Russian service members",
        "upwards of 700 Russian service members. A separate tally counted 900 service members",
    )
    old, new = digest(SEED), digest(edited)
    result = align(claim_keys(old), claim_keys(new))
    by_text = {
        (next(f.text for f in old.figures if f.id == p.old)): (
            p.relation,
            next(f.text for f in new.figures if f.id == p.new),
        )
        for p in result.pairs
    }
    assert by_text["at least 115"] == ("changed", "at least 121")
    assert by_text["more than 1,000"] == ("same", "more than 1,000")
    added = [f.text for f in new.figures if f.id in result.added]
    assert added == ["900"]  # a new figure for the same thing is not a new value of one


def test_an_edit_script_applies_and_moves_offsets():
    text = "One two three four."
    edits = [
        {"op": "delete", "start": 4, "end": 8},
        {"op": "insert", "at": 13, "text": " and a half"},
        {"op": "replace", "start": 14, "end": 18, "text": "FOUR"},
    ]
    out, moved = apply_edits(text, edits)
    assert out == "One three and a half FOUR."
    assert out[moved(8) : moved(13)] == "three" and moved(19) == len(out)


needs_shared = pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason="../shared is absent (articles are not committed)"
)


@needs_shared
def test_matching_on_update_pairs_keeps_its_floors():
    texts, _ = _shared()
    updates = read_jsonl(PAIRS / "updates.jsonl")
    for name in ("corpus", "polnear-dev"):
        report = score_updates([r for r in updates if r["set"] == name], texts, name)
        same, changed = report.scores["same"], report.scores["changed"]
        assert same.gold > 100 and changed.gold > 10, name
        assert same.precision >= 0.99 and same.recall >= 0.99, (name, same)
        assert changed.precision >= 0.95 and changed.recall >= 0.9, (name, changed)


@functools.cache
def _shared() -> tuple[dict, dict]:
    """The articles of ../shared, and their digests as the floors compute them (once)."""
    return shared_texts(SHARED), {}


@needs_shared
@pytest.mark.parametrize(
    ("name", "pairs", "recall"),
    [
        ("cross_outlet", 200, 0.85),
        ("cross_outlet_2", 200, 0.7),
        ("cross_outlet_3", 70, 0.0),
        ("cross_outlet_4", 200, 0.6),
    ],
)
def test_matching_on_hand_labelled_cross_outlet_pairs_keeps_its_floors(name, pairs, recall):
    texts, digests = _shared()
    report = score_cross(read_jsonl(PAIRS / f"{name}.jsonl"), texts, name, digests)
    same, changed = report.scores["same"], report.scores["changed"]
    assert report.pairs >= pairs
    assert same.precision >= 0.95 and same.recall >= recall, same
    assert changed.precision >= 0.95, changed  # a wrong "earlier:" line is noise


def test_an_update_pasted_elsewhere_carries_the_verification_and_shows_the_earlier_value(
    bot, slack
):
    from tests.test_verification import choose, figure_line, message, paste, submit

    msg, first = paste(bot, slack)
    choose(bot, slack, msg, "more than 1,000", "verified", user="UALICE")
    submit(
        bot,
        slack,
        {"evidence": "https://example.org/benyash", "note": "Called Benyash"},
        user="UALICE",
    )
    slack.wait_for(lambda: bot.store.figure(f"{first.id}:f7").status == "verified")
    permalink = slack.wait_for(lambda: bot.store.digest(first.id).permalink)
    # The update: one figure changed, one unchanged, in another (public) channel.
    update = SEED.replace("at least 115", "at least 121")
    _, second = paste_in(bot, slack, update, channel="CUPDATES")
    now = message(slack, "CUPDATES", second.message_ts)
    carried = figure_line(now["blocks"], "more than 1,000")
    assert carried.startswith(":white_check_mark:")
    assert "Verified by <@UALICE> — Called Benyash" in carried
    assert f"carried over from <{permalink}|" in carried
    changed = figure_line(now["blocks"], "at least 121")
    assert changed.startswith(":large_yellow_circle:")
    assert f"earlier: *at least 115* (The Guardian, <{permalink}|" in changed
    assert "6 open" in texts(now["blocks"])  # the carried one is settled
    # The ledger and the audit log say what was carried, and from where.
    figures = {f.text: f for f in bot.store.figures(second.id)}
    assert figures["more than 1,000"].carried_from == f"{first.id}:f7"
    assert figures["more than 1,000"].updated_by == "UALICE"
    assert figures["at least 121"].status == "open" and figures["at least 121"].earlier
    log = bot.store.audit(digest_id=second.id)
    assert [(e.actor, e.action, e.carried_from) for e in log] == [
        ("newsroom-bot", "verified", f"{first.id}:f7")
    ]
    # A carried status is reopened like any other.
    choose(bot, slack, now, "more than 1,000", "reopen", user="UBOB")
    slack.wait_for(lambda: bot.store.figure(f"{second.id}:f7").status == "open")


def test_what_was_said_in_a_private_channel_stays_there(bot, slack):
    from tests.test_verification import choose, figure_line, message

    slack.private.add("GSECRET")
    msg, first = paste_in(bot, slack, SEED, channel="GSECRET", channel_type="group")
    choose(bot, slack, msg, "at least 115", "not_needed", user="UALICE")
    slack.wait_for(lambda: bot.store.figure(f"{first.id}:f6").status == "not_needed")
    _, public = paste_in(bot, slack, SEED, channel="CPUBLIC")
    line = figure_line(message(slack, "CPUBLIC", public.message_ts)["blocks"], "at least 115")
    assert line.startswith(":large_yellow_circle:") and "earlier" not in line
    assert bot.store.figure(f"{public.id}:f6").earlier is None
    _, again = paste_in(bot, slack, SEED, channel="GSECRET", channel_type="group")
    line = figure_line(message(slack, "GSECRET", again.message_ts)["blocks"], "at least 115")
    assert line.startswith(":heavy_minus_sign:") and "carried over" in line


def test_a_verification_for_another_source_is_shown_but_not_carried(bot, slack):
    from tests.test_verification import choose, figure_line, message, paste

    msg, first = paste(bot, slack)
    choose(bot, slack, msg, "at least 115", "not_needed", user="UALICE")
    slack.wait_for(lambda: bot.store.figure(f"{first.id}:f6").status == "not_needed")
    other = SEED.replace("The Guardian reported", "Reuters reported")
    _, second = paste_in(bot, slack, other, channel="COTHER")
    line = figure_line(message(slack, "COTHER", second.message_ts)["blocks"], "at least 115")
    assert line.startswith(":large_yellow_circle:"), line
    assert "not needed earlier for The Guardian's figure" in line


def paste_in(bot, slack, text: str, *, channel: str, channel_type: str = "channel"):
    from tests.drive import message_event
    from tests.test_slack_app import posted_record
    from tests.test_verification import message

    event = message_event(text, channel=channel, channel_type=channel_type)
    bot.driver.event(event)
    record = posted_record(bot, slack, event["ts"], channel=channel)
    return message(slack, channel, record.message_ts), record


def test_digest_history_lists_the_figures_seen_on_a_subject_from_public_and_this_channel(
    bot, slack
):
    from tests.test_blocks import assert_valid_blocks
    from tests.test_verification import choose, submit

    msg, public = paste_in(bot, slack, SEED, channel="CPUBLIC")
    choose(bot, slack, msg, "at least 115", "verified", user="UALICE")
    submit(bot, slack, {"note": "Guardian desk confirmed"}, user="UALICE")
    slack.wait_for(lambda: bot.store.figure(f"{public.id}:f6").status == "verified")
    slack.private.add("GSECRET")
    paste_in(
        bot,
        slack,
        SEED.replace("at least 115", "at least 130"),
        channel="GSECRET",
        channel_type="group",
    )

    def history(channel: str) -> str:
        before = len(slack.calls_to("response_url"))
        bot.driver.command("history guardsmen", response_url=slack.response_url(), channel=channel)
        reply = slack.wait_calls("response_url", count=before + 1)[before]
        assert reply.args["response_type"] == "ephemeral"
        assert_valid_blocks(reply.args["blocks"])
        return texts(reply.args["blocks"])

    elsewhere = history("COTHER")
    assert "*at least 115* · The Guardian · verified by <@UALICE>" in elsewhere
    assert "Russian national guardsmen" in elsewhere  # the claim's words
    assert "at least 130" not in elsewhere  # said in a private channel: stays there
    there = history("GSECRET")
    assert "*at least 130*" in there and "*at least 115*" in there
    before = len(slack.calls_to("response_url"))
    bot.driver.command("history", response_url=slack.response_url(), channel="COTHER")
    hint = slack.wait_calls("response_url", count=before + 1)[before]
    assert "/digest history" in texts(hint.args["blocks"])


def test_app_home_shows_what_was_carried_over_this_week(bot, slack):
    from tests.test_blocks import assert_valid_blocks
    from tests.test_verification import choose

    msg, first = paste_in(bot, slack, SEED, channel="CPUBLIC")
    choose(bot, slack, msg, "at least 115", "not_needed", user="UALICE")
    slack.wait_for(lambda: bot.store.figure(f"{first.id}:f6").status == "not_needed")
    paste_in(bot, slack, SEED, channel="CAGAIN")
    view = bot.bot.deps.desk.home(REPORTER_ID)
    shown = texts(view["blocks"])
    assert "*Carried over this week:* 1 figure in your articles was settled before" in shown
    assert "*at least 115* · The Guardian · not needed by <@UALICE>, carried over from <" in shown
    assert_valid_blocks(view["blocks"])
    assert "Carried over" not in texts(bot.bot.deps.desk.home("UNOBODY")["blocks"])


def test_an_edited_paste_is_digested_again_in_place_leading_with_what_changed(bot, slack):
    from tests.drive import CHANNEL, REPORTER, message_event
    from tests.test_blocks import assert_valid_blocks
    from tests.test_verification import choose, figure_line, message, open_review, paste

    msg, first = paste(bot, slack)
    choose(bot, slack, msg, "a dozen", "not_needed", user="UALICE")
    slack.wait_for(lambda: bot.store.figure(f"{first.id}:f5").status == "not_needed")
    posts = len(slack.calls_to("chat.postMessage"))
    edited = SEED.replace("at least 115", "at least 121")
    bot.driver.event(
        message_event(
            "",
            subtype="message_changed",
            hidden=True,
            message={"type": "message", "user": REPORTER, "text": edited, "ts": first.source_ts},
            previous_message={"type": "message", "user": REPORTER, "text": SEED},
        )
    )
    second = slack.wait_for(lambda: bot.store.digest_for_message(CHANNEL, first.source_ts).revises)
    new = bot.store.digest_for_message(CHANNEL, first.source_ts)
    assert new.message_ts == first.message_ts and new.id != first.id  # the same message
    now = slack.wait_for(
        lambda: (
            (m := message(slack, CHANNEL, first.message_ts))
            and any(b.get("block_id") == "changes" for b in m["blocks"])
            and m
        )
    )
    assert_valid_blocks(now["blocks"])
    lead = texts([b for b in now["blocks"] if b.get("block_id") == "changes"])
    assert "changed *at least 115* → *at least 121*" in lead
    body = [b for b in now["blocks"] if b.get("block_id") != "changes"]
    assert figure_line(body, "a dozen").startswith(":heavy_minus_sign:")
    assert "earlier: *at least 115*" in figure_line(body, "at least 121")
    assert len(slack.calls_to("chat.postMessage")) == posts  # an edit, no new message
    # The old digest drops out of every list; its Review opens the new one.
    assert bot.store.digest(first.id).superseded_by == new.id
    assert {f.digest_id for f in bot.store.open_figures(channel=CHANNEL)} == {new.id}
    assert bot.store.nudge_plan(new.id).next_at is not None
    assert bot.store.nudge_plan(first.id).next_at is None
    view = open_review(bot, slack, msg)  # the old message as first posted
    assert "at least 121" in texts(view["blocks"])
    # An edit that leaves the text as it was (Slack adds an unfurl) changes nothing.
    bot.driver.event(
        message_event(
            "",
            subtype="message_changed",
            message={"type": "message", "user": REPORTER, "text": edited, "ts": first.source_ts},
        )
    )
    from tests.test_slack_app import settle

    settle()
    assert bot.store.digest_for_message(CHANNEL, first.source_ts).id == new.id
    assert second == first.id
