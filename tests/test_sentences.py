"""Sentence splitting and page-furniture tagging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.sentences import split

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split(text) if not s.title]


def test_headline_then_body() -> None:
    text = "Storm hits coast\n\nThe storm hit at 9 a.m. Monday. Crews are out."
    sentences = split(text)
    assert sentences[0].title
    assert text[sentences[0].start : sentences[0].end] == "Storm hits coast"
    assert _texts(text) == ["The storm hit at 9 a.m. Monday.", "Crews are out."]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Mr. Smith met Gov. Jones in the U.S. Senate. They spoke.", 2),
        ("Brian M. Good said it. He left.", 2),
        ("It was No. 2 on the list. Then it fell.", 2),
        ("The vote is set for Sept. 25 in Raleigh, N.C. Officials agreed.", 1),
        ('"We lost," he said. "It hurts."', 2),
        ('"It is over," Smith said. Nobody argued.', 2),
        ("She asked: Why? Nobody knew.", 2),
        ("It closed at 3.5 percent. Stocks rose.", 2),
        ("Text glued.Without a space stays one.", 1),
    ],
)
def test_news_aware_splitting(paragraph: str, expected: int) -> None:
    assert len(_texts("Headline\n\n" + paragraph)) == expected


def test_bullets_and_indentation_are_not_part_of_the_sentence() -> None:
    text = "Headline\n\n  • Troops have suffered losses.\n\n  • Morale is low."
    assert _texts(text) == ["Troops have suffered losses.", "Morale is low."]


def test_list_enumerator_does_not_end_a_sentence() -> None:
    assert _texts("Headline\n\n1. Seeing it too much.") == ["1. Seeing it too much."]


def test_furniture_is_tagged() -> None:
    text = (
        "Headline\n\n"
        "Troops march in a parade, May 9, 2021.Mikhail Svetlov/Getty Images\n"
        "Officials said 40 people died.\n\n"
        "Image copyright Reuters\n\n"
        "Read the original article on Business Insider"
    )
    kinds = {text[s.start : s.end]: s.furniture for s in split(text)}
    assert kinds["Troops march in a parade, May 9, 2021.Mikhail Svetlov/Getty Images"] == "caption"
    assert kinds["Officials said 40 people died."] is None
    assert kinds["Image copyright Reuters"] == "credit"
    assert kinds["Read the original article on Business Insider"] == "original"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "no punctuation at all", "." * 50_000])
def test_odd_input_is_handled(text: str) -> None:
    for s in split(text):
        assert 0 <= s.start <= s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()


def _gold_files() -> list[Path]:
    files = [ROOT / "seeds" / "business-insider-russian-deserters.gold.json"]
    if CORPUS.is_dir():
        files += sorted(CORPUS.glob("*.gold.json"))
    return files


@pytest.mark.parametrize("gold_path", _gold_files(), ids=lambda p: p.name[:24])
def test_body_sentences_match_the_gold_annotation(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")).read_text("utf-8")
    body = [(s.start, s.end) for s in split(text) if not s.title]
    assert body == [(s["start"], s["end"]) for s in gold["sentences"]]
    claim_starts = {gold["sentences"][c["sentence_index"]]["start"] for c in gold["claims"]}
    assert not [s for s in split(text) if s.furniture and s.start in claim_starts]


def test_a_poll_named_with_a_slash_is_story_text_not_a_photo_credit() -> None:
    text = (
        "Iowa votes\n\nThe race is close. A Des Moines Register/Bloomberg Politics poll "
        "released Saturday found that 28 percent of likely caucusgoers supported Mr. Trump, "
        "while 23 percent favored Mr. Cruz.\n\nA protester at the rally.Getty Images/AFP"
    )
    sentences = split(text)
    assert all(s.furniture is None for s in sentences if "poll" in text[s.start : s.end])
    assert sentences[-1].furniture == "caption"  # a credit glued to its caption still is one
