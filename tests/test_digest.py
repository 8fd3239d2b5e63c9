"""The engine end to end on the seed article, and properties that hold for any text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import Digest, digest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = SEEDS / "business-insider-russian-deserters.txt"


@pytest.fixture(scope="module")
def seed() -> Digest:
    return digest(SEED.read_text(encoding="utf-8"))


def _figure(d: Digest, text: str, occurrence: int = 0):
    found = [f for f in d.figures if f.text == text]
    assert len(found) > occurrence, f"{text!r} not found in {[f.text for f in d.figures]}"
    return found[occurrence]


def _source_name(d: Digest, source_id: str | None) -> str | None:
    source = d.source(source_id)
    return source.name if source else None


def test_seed_every_checkworthy_gold_figure_is_found_with_its_value(seed: Digest) -> None:
    gold = json.loads((SEEDS / "business-insider-russian-deserters.gold.json").read_text())
    for g in gold["figures"]:
        if not g["checkworthy"]:
            continue
        match = [f for f in seed.figures if f.start < g["end"] and g["start"] < f.end]
        assert match, f"missed {g['text']!r}"
        f = match[0]
        assert f.checkworthy, g["text"]
        assert (f.value, f.low, f.high) == pytest.approx((g["value"], g["low"], g["high"])), g
        assert f.qualifier.replace("_", " ") == g["qualifier"] or g["qualifier"] in (
            "hundreds",
            "dozen",
        ), (f.qualifier, g)


def test_seed_figures_are_attributed_to_who_gave_them(seed: Digest) -> None:
    assert _source_name(seed, _figure(seed, "at least 115").source_id) == "The Guardian"
    assert _source_name(seed, _figure(seed, "more than 1,000").source_id) == "Mikhail Benyash"
    assert _source_name(seed, _figure(seed, "upwards of 700").source_id) == "Agora"
    assert _source_name(seed, _figure(seed, "Hundreds", 1).source_id) == ("The Wall Street Journal")
    third = _figure(seed, "one-third")
    assert re.fullmatch(
        r"(?:The )?UK's defen[cs]e ministry", _source_name(seed, third.source_id) or ""
    )
    assert third.hedged
    assert any(r.startswith("hedged") for r in third.reasons)


def test_seed_caption_date_is_not_checkworthy_and_not_open(seed: Digest) -> None:
    date = _figure(seed, "May 9, 2021")
    assert date.kind == "date"
    assert not date.checkworthy
    assert date.status == "not_needed"


def test_seed_second_hand_and_vague_figures_say_why_they_are_open(seed: Digest) -> None:
    guardian = _figure(seed, "at least 115")
    assert guardian.status == "open"
    assert "reported by another outlet" in guardian.reasons
    assert "vague amount" in _figure(seed, "Hundreds", 1).reasons


def test_seed_sources_carry_roles_aliases_and_kinds(seed: Digest) -> None:
    by_name = {s.name: s for s in seed.sources}
    benyash = by_name["Mikhail Benyash"]
    assert benyash.kind == "person"
    assert benyash.description == "Russian lawyer"
    assert "Benyash" in benyash.aliases or "Russian lawyer Mikhail Benyash" in benyash.aliases
    assert by_name["Agora"].kind == "organization"
    assert by_name["Agora"].description == "a Russian human rights group"
    wsj = by_name["The Wall Street Journal"]
    assert wsj.kind == "outlet"
    assert {"The Journal", "the outlet"} <= set(wsj.aliases)
    assert by_name["The Guardian"].kind == "outlet"


def test_seed_article_metadata(seed: Digest) -> None:
    assert seed.article.outlet == "Business Insider"
    assert seed.article.title and seed.article.title.startswith("Hundreds of Russian soldiers")
    assert seed.article.language == "en"
    assert (seed.summary and seed.summary in seed.article.text.replace("\n", " ")) or all(
        part in seed.article.text for part in seed.summary.split(". ")
    )
    assert seed.stats.figures == len(seed.figures)
    assert seed.stats.open == sum(1 for f in seed.figures if f.status == "open")


def test_seed_claims_hold_their_figures_and_sources(seed: Digest) -> None:
    guardian_claim = seed.claim(_figure(seed, "at least 115").claim_id)
    assert guardian_claim is not None
    assert guardian_claim.text.startswith("The Guardian reported last week")
    assert guardian_claim.cue == "reported"
    assert _source_name(seed, guardian_claim.source_id) == "The Guardian"


def test_json_is_the_versioned_contract(seed: Digest) -> None:
    data = json.loads(seed.model_dump_json())
    assert data["schema"] == "newsroom-bot/digest@1"
    assert set(data) == {"schema", "article", "summary", "figures", "sources", "claims", "stats"}
    assert Digest.model_validate_json(seed.model_dump_json()) == seed


def test_unattributed_figure_stays_unattributed() -> None:
    d = digest("The city council approved 42 new bus shelters on Tuesday.")
    f = _figure(d, "42")
    assert f.source_id is None
    assert "unattributed" in f.reasons


def test_channel_is_not_the_source() -> None:
    d = digest(
        "Storm hits coast\n\nAmnesty International told Reuters that at least 30 people died."
    )
    assert _source_name(d, _figure(d, "at least 30").source_id) == "Amnesty International"


def test_windows_line_endings_and_slack_entities_are_normalised() -> None:
    d = digest("Title here\r\n\r\nAT&amp;T said it lost 5 percent of subscribers.")
    assert "\r" not in d.article.text
    assert "AT&T" in d.article.text
    f = _figure(d, "5 percent")
    assert d.article.text[f.start : f.end] == "5 percent"


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n  ", "\x00\x01\x02", "Привет, мир. В Москве 5 градусов.", "今天有三百人参加。"],
)
def test_odd_text_digests_without_error(text: str) -> None:
    d = digest(text)
    _assert_consistent(d)


def _assert_consistent(d: Digest) -> None:
    text = d.article.text
    source_ids = {s.id for s in d.sources}
    claim_ids = {c.id for c in d.claims}
    figure_ids = {f.id for f in d.figures}
    assert len(figure_ids) == len(d.figures)
    for f in d.figures:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.source_id is None or f.source_id in source_ids
        assert f.claim_id is None or f.claim_id in claim_ids
    for c in d.claims:
        assert 0 <= c.start <= c.end <= len(text)
        assert text[c.start : c.end] == c.text
        assert set(c.figure_ids) <= figure_ids
        assert c.source_id is None or c.source_id in source_ids
    for s in d.sources:
        assert set(s.claim_ids) <= claim_ids
    assert d.stats.figures == len(d.figures)
    assert d.stats.claims == len(d.claims)
    assert d.stats.sources == len(d.sources)


_NEWSY = st.lists(
    st.sampled_from(
        [
            *list("abcdeHIJKLM0123456789 ,.;:-$%\n\"“”'’()&"),
            "said",
            " according to ",
            "percent",
            "million",
            "at least ",
            "Mr. ",
            "U.S.",
        ]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300), _NEWSY))
def test_any_text_gives_a_consistent_digest(text: str) -> None:
    _assert_consistent(digest(text))


@pytest.mark.parametrize("chunk", ["1", "a", " ", "1,", "$", "“", "Mr. ", "one ", "said "])
def test_pathological_repetition_digests(chunk: str) -> None:
    d = digest(chunk * (100_000 // len(chunk)))
    _assert_consistent(d)


def test_wire_dateline_names_the_outlet_which_is_not_its_own_source() -> None:
    d = digest(
        "Globex to cut jobs\n\n(Reuters) - Globex will cut 10,000 jobs, two people familiar "
        "with the matter told Reuters on Tuesday."
    )
    assert d.article.outlet == "Reuters"
    assert "Reuters" not in [s.name for s in d.sources]
    source = d.source(_figure(d, "10,000").source_id)
    assert source is not None and source.kind == "anonymous"


def test_record_year_is_the_claim_and_central_bank_is_government() -> None:
    d = digest(
        "Inflation at 40-year high\n\nInflation rose to 9.1 per cent in May, the Office for "
        "National Statistics said, the highest rate since 1982. The Bank of England has warned "
        "inflation could reach 11% in October."
    )
    assert _figure(d, "1982").checkworthy
    assert _figure(d, "9.1 per cent").value == 9.1
    kinds = {s.name: s.kind for s in d.sources}
    assert kinds["Office for National Statistics"] == "government"
    assert kinds["Bank of England"] == "government"
    assert _figure(d, "11%").hedged


def test_hedge_is_named_in_the_reasons() -> None:
    d = digest(
        "Toll rises\n\nAt least 40 people were killed, officials said, a figure that could not "
        "be independently verified."
    )
    f = _figure(d, "At least 40")
    assert f.hedged
    assert "hedged (could not be independently verified)" in f.reasons
