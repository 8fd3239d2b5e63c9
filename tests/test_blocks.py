"""Block Kit rendering: what a reader sees, and that Slack's limits always hold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot import digest
from bot.core.models import Digest
from bot.slack.blocks import (
    MAX_BLOCKS,
    claim_keys_of,
    digest_messages,
    home_view,
    notice_message,
    usage_message,
)
from tests.test_slack_app import SEED, long_article, texts

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")


def claim_sections(messages) -> list[str]:
    return [
        block["text"]["text"]
        for message in messages
        for block in message.blocks
        if str(block.get("block_id", "")).startswith("claim:")
    ]


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def assert_within_limits(messages) -> None:
    for message in messages:
        assert len(message.blocks) <= MAX_BLOCKS
        assert len(json.dumps(message.blocks)) <= 12_000
        for block in message.blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
            if block["type"] == "context":
                assert 0 < len(block["elements"]) <= 10


def test_seed_digest_is_one_message_with_every_checkworthy_figure_in_bold():
    result = digest(SEED)
    messages = digest_messages(result)
    assert len(messages) == 1
    blocks = messages[0].blocks
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"].startswith("Hundreds of Russian soldiers")
    bold = {m for section in claim_sections(messages) for m in BOLD.findall(section)}
    worth = {f.text for f in result.figures if f.checkworthy}
    assert bold == worth
    assert "May 9, 2021" not in bold  # a caption date is not flagged
    shown = texts(blocks)
    assert f"{len(worth)} figures · {len(worth)} open · {len(result.sources)} sources" in shown
    assert "Source: *Agora* (organisation, a Russian human rights group)" in shown
    assert "_unattributed_" in shown  # "a dozen" has no source
    assert "*Sources*" in shown and "Mikhail Benyash" in shown
    assert "Digest:" in messages[0].text and "7 figures" in messages[0].text


def test_bold_spans_are_the_articles_own_characters():
    result = digest(SEED)
    for section in claim_sections(digest_messages(result)):
        plain = unescape(section.split(" ", 1)[1].replace("*", ""))
        assert plain.strip("…") in result.article.text


def test_share_button_and_shared_by():
    result = digest(SEED)
    private = digest_messages(result, share_key="abc123")[0]
    actions = [b for b in private.blocks if b["type"] == "actions"]
    assert actions[0]["elements"][0]["action_id"] == "share_digest"
    assert actions[0]["elements"][0]["value"] == "abc123"
    shared = digest_messages(result, shared_by="UREPORTER")[0]
    assert "Shared by <@UREPORTER>" in texts(shared.blocks)
    assert not [b for b in shared.blocks if b["type"] == "actions"]


def test_long_digest_splits_most_important_first_and_drops_nothing():
    result = digest(long_article(120))
    messages = digest_messages(result, share_key="k")
    assert len(messages) >= 3
    assert_within_limits(messages)
    total = len(messages)
    for n, message in enumerate(messages[1:], start=2):
        assert f"Digest continued ({n}/{total})" in texts(message.blocks[:1])
    assert f"Continued in {total - 1} more messages" in texts(messages[0].blocks)
    assert [b["type"] for b in messages[0].blocks].count("actions") == 1
    # Every check-worthy figure is shown, in bold, exactly once across the messages.
    bold = [m for section in claim_sections(messages) for m in BOLD.findall(section)]
    worth = [f.text for f in result.figures if f.checkworthy]
    assert sorted(bold) == sorted(worth)
    # Within each message the claims follow the article.
    for message in messages:
        ids = [b["block_id"] for b in message.blocks if b.get("block_id", "").startswith("claim:")]
        starts = [result.claim(i.split(":", 1)[1]).start for i in ids if result.claim(i[6:])]
        assert starts == sorted(starts)


def test_most_important_claims_lead_a_split_digest():
    result = digest(long_article(120))
    messages = digest_messages(result)
    weights = {}
    for f in result.figures:
        if f.checkworthy and f.claim_id:
            weights[f.claim_id] = max(weights.get(f.claim_id, 0), len(f.reasons))

    def weight(message) -> list[int]:
        ids = [b["block_id"][6:] for b in message.blocks if b.get("block_id", "")[:6] == "claim:"]
        return [weights[i] for i in ids if i in weights]

    first, last = weight(messages[0]), weight(messages[-2] if len(messages) > 2 else messages[-1])
    assert min(first) >= max(last)


def test_markup_in_the_article_is_escaped_and_long_claims_are_clipped_around_the_figure():
    filler = " ".join(["the committee heard testimony from residents"] * 120)
    text = (
        "Council <b>votes</b> on AT&T tower\n\n"
        "Officials said the tower would cost $4 million, according to AT&T <engineering>. "
        f"Residents said {filler} and 250 people signed the petition, the clerk said. "
        "The mayor said 40% of residents opposed the plan, according to a city survey."
    )
    messages = digest_messages(digest(text))
    assert_within_limits(messages)
    blocks = messages[0].blocks
    assert blocks[0]["text"]["text"] == "Council <b>votes</b> on AT&T tower"  # plain_text
    sections = claim_sections(messages)
    assert any("*$4 million*, according to AT&amp;T &lt;engineering&gt;." in s for s in sections)
    long_claim = next(s for s in sections if "*250*" in s)
    assert long_claim.count("…") >= 1 and len(long_claim) < 1500
    summary = blocks[1]["text"]["text"]
    assert len(summary) <= 500


def test_headline_over_150_characters_is_clipped():
    text = ("A very long headline " * 12).strip() + "\n\n" + long_article(3).split("\n\n", 1)[1]
    messages = digest_messages(digest(text))
    assert len(messages[0].blocks[0]["text"]["text"]) <= 150


def test_no_figures_says_so():
    result = Digest.model_validate({"article": {"title": "Quiet day", "text": "Nothing."}})
    messages = digest_messages(result)
    assert "No figures found" in texts(messages[0].blocks)


def test_notices_usage_and_home():
    note = notice_message("That channel is archived.")
    assert note.text == "That channel is archived."
    assert "/digest" in texts(usage_message().blocks)
    view = home_view()
    assert view["type"] == "home" and "/digest" in texts(view["blocks"])


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem[:20])
def test_corpus_digests_render_within_limits_with_every_figure(path):
    result = digest(path.read_text())
    messages = digest_messages(result, share_key="k", shared_by="U1")
    assert_within_limits(messages)
    bold = [m for section in claim_sections(messages) for m in BOLD.findall(section)]
    assert sorted(unescape(b) for b in bold) == sorted(
        f.text for f in result.figures if f.checkworthy
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_a_digest_splits_the_same_way_whatever_its_figures_statuses():
    import random

    from bot.slack.blocks import LedgerView
    from bot.store import FigureRecord

    for path in sorted(CORPUS.glob("*.txt")):
        result = digest(path.read_text())
        first = digest_messages(result, ledger=LedgerView(digest_id="0123456789abcdef"))
        for seed in range(5):
            rng = random.Random(seed)
            states = {
                f.id: FigureRecord(
                    key=f"d:{f.id}",
                    digest_id="d",
                    figure_id=f.id,
                    text=f.text,
                    kind=f.kind,
                    status=rng.choice(["open", "verified", "disputed", "not_needed"]),
                    updated_by="U0123456789",
                    note="checked with the desk " * rng.randint(0, 8) or None,
                    evidence_url="https://example.org/evidence/123",
                    correction="about 40" if rng.random() < 0.5 else None,
                )
                for f in result.figures
                if f.checkworthy
            }
            view = LedgerView(digest_id="0123456789abcdef", states=states)
            later = digest_messages(result, ledger=view)
            assert len(later) == len(first), path.stem
            assert [claim_keys_of(m.blocks) for m in later] == [
                claim_keys_of(m.blocks) for m in first
            ]
            assert_within_limits(later)
