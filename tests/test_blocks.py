"""Block Kit rendering: what a reader sees, and that Slack's limits always hold."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot import digest
from bot.core.models import Digest
from bot.slack.blocks import (
    MAX_BLOCKS,
    REVIEW_PAGE_SIZE,
    LedgerView,
    RoundEntry,
    confirm_view,
    digest_message,
    home_view,
    notice_message,
    nudge_message,
    open_figures_message,
    read_choice,
    review_view,
    round_nudge_message,
    search_message,
    status_modal,
    superseded_nudge,
    superseded_round,
    usage_message,
)
from bot.store import FigureRecord
from tests.test_slack_app import SEED, long_article, texts

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_FILES = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
# A digest line: status emoji, the figure in bold, its source, its state.
LINE = re.compile(r"^:[a-z_]+: \*(?P<figure>[^*\n]+)\* · (?P<source>[^\n]+?)(?: · (?P<state>.+))?$")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def figure_lines(blocks: list[dict]) -> list[tuple[str, str]]:
    """(figure, source) of every figure line in a digest or nudge message."""
    out = []
    for block in blocks:
        if block["type"] != "section":
            continue
        for line in block["text"]["text"].split("\n"):
            m = LINE.match(line)
            if m:
                out.append((unescape(m["figure"]), unescape(m["source"])))
    return out


def own_source(result: Digest, figure_text: str) -> str:
    figure = next(f for f in result.figures if f.text == figure_text and f.checkworthy)
    source = result.source(figure.source_id)
    return source.name if source else "_unattributed_"


def assert_within_limits(blocks: list[dict], *, most: int = MAX_BLOCKS) -> None:
    assert len(blocks) <= most
    assert len(json.dumps(blocks)) <= 12_000 or most > MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10


def assert_valid_blocks(blocks: list[dict]) -> None:
    """Every block parses as its Block Kit type in slack_sdk and passes its validation."""
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None and type(block) is not Block, raw["type"]
        block.validate_json()


def assert_valid_view(view: dict) -> None:
    assert len(view["blocks"]) <= 100
    assert len(view.get("private_metadata") or "") <= 3000
    View(**view).validate_json()
    assert_valid_blocks(view["blocks"])


def ledger_for(result: Digest, **states: FigureRecord) -> LedgerView:
    return LedgerView(digest_id="d1", states=states)


def record(result: Digest, text: str, **extra: object) -> FigureRecord:
    f = next(f for f in result.figures if f.text == text)
    return FigureRecord(
        key=f"d1:{f.id}", digest_id="d1", figure_id=f.id, text=f.text, kind=f.kind, **extra
    )


def test_seed_digest_is_one_message_a_line_per_checkworthy_figure_with_its_own_source():
    result = digest(SEED)
    message = digest_message(result, ledger=ledger_for(result))
    blocks = message.blocks
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"].startswith("Hundreds of Russian soldiers")
    lines = figure_lines(blocks)
    worth = [f.text for f in result.figures if f.checkworthy]
    assert [figure for figure, _ in lines] == worth  # every one, in article order
    for figure, source in lines:
        assert source == own_source(result, figure), figure
    assert "May 9, 2021" not in texts(blocks)  # a caption date is not flagged
    shown = texts(blocks)
    assert f"{len(worth)} figures · {len(worth)} open · {len(result.sources)} sources" in shown
    assert "*Sources*" not in shown  # each figure names its own; no list to scroll past
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [("review_figures", "d1")]
    assert "Digest:" in message.text and "7 figures" in message.text
    assert_valid_blocks(blocks)


def test_share_button_and_shared_by():
    result = digest(SEED)
    private = digest_message(result, share_key="abc123")
    buttons = [e for b in private.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [("share_digest", "abc123")]
    shared = digest_message(result, shared_by="UREPORTER")
    assert "Shared by <@UREPORTER>" in texts(shared.blocks)
    assert not [b for b in shared.blocks if b["type"] == "actions"]


def test_no_figures_says_so_and_offers_no_buttons():
    result = Digest.model_validate({"article": {"title": "Quiet day", "text": "Nothing."}})
    message = digest_message(result, share_key="k", ledger=ledger_for(result))
    assert "No figures found" in texts(message.blocks)
    assert not [b for b in message.blocks if b["type"] == "actions"]


def test_a_long_digest_stays_one_message_with_the_most_important_figures_and_a_count():
    result = digest(long_article(120))
    worth = [f for f in result.figures if f.checkworthy]
    message = digest_message(result, share_key="k", ledger=ledger_for(result))
    assert_within_limits(message.blocks)
    assert_valid_blocks(message.blocks)
    lines = figure_lines(message.blocks)
    assert 0 < len(lines) < len(worth)
    assert f"…and {len(worth) - len(lines)} more figures" in texts(message.blocks)
    shown = {figure for figure, _ in lines}
    least_shown = min(len(f.reasons) for f in worth if f.text in shown)
    assert all(len(f.reasons) <= least_shown for f in worth if f.text not in shown)


def test_a_settled_figure_shows_who_and_how_in_its_line():
    result = digest(SEED)
    ledger = ledger_for(
        result,
        **{
            record(result, "at least 115").figure_id: record(
                result,
                "at least 115",
                status="verified",
                updated_by="UALICE",
                note="Called the Guardian desk",
                evidence_url="https://example.org/g",
                version=1,
            )
        },
    )
    message = digest_message(result, ledger=ledger)
    line = next(x for x in texts(message.blocks).split("\n") if "*at least 115*" in x)
    assert line.startswith(
        ":white_check_mark: *at least 115* · The Guardian · Verified by <@UALICE>"
    )
    assert "Called the Guardian desk" in line and "<https://example.org/g|evidence>" in line
    assert "6 open" in texts(message.blocks)


def test_markup_in_the_article_is_escaped_and_long_claims_are_clipped_in_the_review():
    filler = " ".join(["the committee heard testimony from residents"] * 120)
    text = (
        "Council <b>votes</b> on AT&T tower\n\n"
        "Officials said the tower would cost $4 million, according to AT&T <engineering>. "
        f"Residents said {filler} and 250 people signed the petition, the clerk said. "
        "The mayor said 40% of residents opposed the plan, according to a city survey."
    )
    result = digest(text)
    message = digest_message(result)
    assert message.blocks[0]["text"]["text"] == "Council <b>votes</b> on AT&T tower"  # plain
    assert len(message.blocks[1]["text"]["text"]) <= 500  # the summary
    view = review_view(result, ledger_for(result))
    quotes = [b["text"]["text"] for b in view["blocks"] if b.get("block_id", "")[:7] == "figure:"]
    assert any("*$4 million*, according to AT&amp;T &lt;engineering&gt;." in q for q in quotes)
    long_claim = next(q for q in quotes if "*250*" in q)
    assert long_claim.count("…") >= 1 and len(long_claim) < 1500
    assert_valid_view(view)


def test_headline_over_150_characters_is_clipped():
    text = ("A very long headline " * 12).strip() + "\n\n" + long_article(3).split("\n\n", 1)[1]
    message = digest_message(digest(text))
    assert len(message.blocks[0]["text"]["text"]) <= 150


def test_review_view_pages_every_figure_once_with_versioned_menus():
    result = digest(long_article(120))
    worth = [f for f in result.figures if f.checkworthy]
    ledger = ledger_for(result)
    seen: list[str] = []
    page, pages = 0, None
    while True:
        view = review_view(result, ledger, page=page)
        assert_valid_view(view)
        assert json.loads(view["private_metadata"]) == {"digest": "d1", "page": page}
        figures = [b for b in view["blocks"] if b.get("block_id", "").startswith("figure:")]
        assert len(figures) <= REVIEW_PAGE_SIZE
        for block in figures:
            seen.append(block["block_id"][len("figure:") :])
            options = block["accessory"]["options"]
            choice, key, version = read_choice(options[0]["value"])
            assert (choice, key, version) == ("verified", f"d1:{seen[-1]}", 0)
        nav = [b for b in view["blocks"] if b.get("block_id") == "review_pages"]
        pages = pages or -(-len(worth) // REVIEW_PAGE_SIZE)
        assert pages > 1 and nav
        labels = [e["text"]["text"] for e in nav[0]["elements"]]
        assert ("Next ›" in labels) == (page < pages - 1)
        assert ("‹ Previous" in labels) == (page > 0)
        if page == pages - 1:
            break
        page += 1
    assert seen == [f.id for f in worth]


def test_menus_without_a_version_read_as_unknown():
    assert read_choice("v|d1:f2") == ("verified", "d1:f2", -1)
    assert read_choice("s1h|d1:f2|7") == ("snooze_1h", "d1:f2", 7)


def test_confirm_view_says_who_settled_it_when_and_how():
    result = digest(SEED)
    current = record(
        result,
        "more than 1,000",
        status="verified",
        updated_by="UALICE",
        updated_at="2026-12-01T14:05:00+00:00",
        note="Benyash confirmed by phone",
        version=3,
    )
    view = confirm_view(current, "snooze_1w", metadata='{"key": "d1:f2"}', timezone="UTC")
    shown = texts(view["blocks"])
    assert "<@UALICE> marked *more than 1,000* *verified*" in shown
    assert "Tue 1 Dec, 14:05 UTC" in shown and "Benyash confirmed by phone" in shown
    assert "*Snooze 1 week* anyway?" in shown
    assert view["close"]["text"] == "Keep theirs"
    assert_valid_view(view)


def test_nudge_is_short_names_three_figures_and_mentions_once():
    result = digest(SEED)
    ledger = ledger_for(result)
    message = nudge_message(
        result,
        ledger,
        user_id="UREPORTER",
        number=2,
        total=3,
        next_at=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
    )
    shown = texts(message.blocks)
    assert len(shown) < 1500
    assert shown.count("<@UREPORTER>") == 1
    assert "7 figures in this article are still open" in shown
    lines = figure_lines(message.blocks)
    assert len(lines) == 3 and "…and 4 more" in shown
    for figure, source in lines:
        assert source == own_source(result, figure)
    assert "Nudge 2 of 3 · next Wed 2 Dec, 09:00 UTC" in shown
    assert [
        e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]
    ] == ["review_figures"]
    assert_valid_blocks(message.blocks)
    assert_valid_blocks(superseded_nudge(1, 3).blocks)


def test_nudges_due_together_are_one_message_an_article_a_line_and_a_review_button():
    seed = digest(SEED)
    other = digest(long_article(6))
    settled = {
        f.id: FigureRecord(
            key=f"d3:{f.id}",
            digest_id="d3",
            figure_id=f.id,
            text=f.text,
            kind=f.kind,
            status="verified",
        )
        for f in seed.figures
    }
    entries = [
        RoundEntry(
            digest=seed,
            ledger=LedgerView(digest_id="d1"),
            user_id="UALICE",
            number=1,
            total=3,
            permalink="https://slack.example/archives/C1/p1",
        ),
        RoundEntry(
            digest=other, ledger=LedgerView(digest_id="d2"), user_id="UBOB", number=3, total=3
        ),
        RoundEntry(
            digest=seed,
            ledger=LedgerView(digest_id="d3", states=settled),
            user_id="UALICE",
            number=2,
            total=3,
        ),
    ]
    message = round_nudge_message(entries)
    shown = texts(message.blocks)
    open_seed = sum(f.checkworthy for f in seed.figures)
    open_other = sum(f.checkworthy for f in other.figures)
    total = open_seed + open_other
    assert shown.startswith(
        f":bell: <@UALICE> <@UBOB> {total} figures are still open in 3 articles."
    )
    assert shown.count("<@UALICE>") == 1  # each person once, however many articles
    rows = {b["block_id"]: b for b in message.blocks if b.get("block_id", "").startswith("round:")}
    assert list(rows) == ["round:d1", "round:d2", "round:d3"]
    first = rows["round:d1"]["text"]["text"].split("\n")[0]
    assert first.startswith("<https://slack.example/archives/C1/p1|Hundreds of Russian soldiers")
    assert first.endswith(f"> · {open_seed} figures open · nudge 1 of 3")  # linked to its thread
    lines = figure_lines([rows["round:d1"]])
    assert len(lines) == 1 and lines[0][1] == own_source(seed, lines[0][0])
    assert rows["round:d2"]["text"]["text"].split("\n")[0].endswith("· nudge 3 of 3")
    assert "all settled or snoozed" in rows["round:d3"]["text"]["text"]
    buttons = [
        (b["accessory"]["action_id"], b["accessory"]["value"])
        for b in rows.values()
        if "accessory" in b
    ]
    assert buttons == [("review_figures", "d1"), ("review_figures", "d2")]  # none when settled
    assert message.metadata["event_payload"] == {"digest_ids": "d1,d2,d3"}
    assert shown.endswith("in one message · the last; the daily roundup keeps listing open figures")
    later = [
        e.model_copy(update={"next_at": datetime(2026, 12, 2, 9, h, tzinfo=UTC)})
        for h, e in ((30, entries[0]), (5, entries[1]))
    ]
    assert texts(round_nudge_message(later).blocks).endswith("· next Wed 2 Dec, 09:05 UTC")
    assert len(shown) < 1500
    assert_valid_blocks(message.blocks)
    assert_valid_blocks(superseded_round().blocks)
    alone = round_nudge_message(entries[2:])
    assert "Every figure in this article is settled or snoozed" in texts(alone.blocks)
    assert_valid_blocks(alone.blocks)


def test_every_other_message_and_view_is_valid_block_kit():
    result = digest(SEED)
    figure = record(result, "at least 115", claim_text="a claim", source_name="The Guardian")
    for choice in ("verified", "disputed"):
        assert_valid_view(status_modal(choice, figure, metadata="{}"))
    evidence = next(
        b
        for b in status_modal("verified", figure, metadata="{}")["blocks"]
        if b.get("block_id") == "evidence"
    )
    assert evidence["element"]["type"] == "url_text_input"
    assert_valid_blocks(notice_message("That channel is archived.").blocks)
    assert_valid_blocks(usage_message().blocks)
    assert_valid_blocks(home_view(counts={"open": 1}, mine_open=[figure], recent=[])["blocks"])
    assert_valid_blocks(
        open_figures_message([figure], heading="Open", empty="", permalinks={}).blocks
    )
    assert_valid_blocks(search_message("troops", [], permalinks={}).blocks)


def test_notices_usage_and_home():
    note = notice_message("That channel is archived.")
    assert note.text == "That channel is archived."
    assert "/digest" in texts(usage_message().blocks)
    view = home_view()
    assert view["type"] == "home" and "/digest" in texts(view["blocks"])


@pytest.mark.skipif(not CORPUS_FILES, reason="shared corpus not present")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem[:20])
def test_corpus_digests_are_one_valid_message_each_figure_with_its_own_source(path):
    result = digest(path.read_text())
    message = digest_message(result, share_key="k", shared_by="U1", ledger=ledger_for(result))
    assert_within_limits(message.blocks)
    assert_valid_blocks(message.blocks)
    lines = figure_lines(message.blocks)
    worth = [f for f in result.figures if f.checkworthy]  # all shown, in article order
    assert [figure for figure, _ in lines] == [f.text for f in worth]
    for (figure, source), f in zip(lines, worth, strict=True):
        named = result.source(f.source_id)
        assert source == (named.name if named else "_unattributed_"), figure
    assert_valid_view(review_view(result, ledger_for(result)))
