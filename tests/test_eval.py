"""The scorer on a hand-made gold annotation, where every number can be worked out by hand."""

from __future__ import annotations

from bot.core.models import Article, Digest, Figure, Source
from bot.eval import score_article

TEXT = "Fire kills 12\n\nAt least 12 people died, police said. The mayor said 3 homes burned."
#       0123456789012 3 4567890123...


def _span(text: str, part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


GOLD = {
    "figures": [
        {"text": "At least 12", "start": _span(TEXT, "At least 12")[0],
         "end": _span(TEXT, "At least 12")[1], "value": 12, "low": 12, "high": None,
         "qualifier": "at least", "checkworthy": True, "source": "police"},
        {"text": "3", "start": _span(TEXT, "3 homes")[0], "end": _span(TEXT, "3 homes")[0] + 1,
         "value": 3, "low": None, "high": None, "qualifier": "exact", "checkworthy": True,
         "source": "the mayor"},
    ],
    "title_figures": [{"start": 11, "end": 13}],
    "ignored_numerals": [],
    "sources": [
        {"name": "police", "aliases": ["Police"]},
        {"name": "the mayor", "aliases": ["Mayor"]},
    ],
}  # fmt: skip


def _figure(fid: str, part: str, value, *, low=None, source_id=None, checkworthy=True):
    start, end = _span(TEXT, part)
    return Figure(id=fid, text=part, start=start, end=end, kind="count", value=value, low=low,
                  qualifier="at_least" if low else "exact", source_id=source_id,
                  checkworthy=checkworthy)  # fmt: skip


def test_scores_are_worked_out_by_hand() -> None:
    digest = Digest(
        article=Article(text=TEXT),
        figures=[
            _figure("f0", "12", 12, source_id=None),  # in the headline: neutral
            _figure("f1", "At least 12", 12, low=12, source_id="s1"),
            _figure("f2", "3", 4, source_id="s2"),  # found, wrong value, wrong source
            _figure("f3", "people", 1),  # a false check-worthy figure
        ],
        sources=[
            Source(id="s1", name="Police", kind="government"),
            Source(id="s2", name="Fire Chief", kind="official"),
        ],
    )
    s = score_article(digest, GOLD).scores
    assert s.figure_recall == 1.0
    assert s.checkworthy_recall == 1.0
    assert s.checkworthy_precision == round(2 / 3, 4)
    assert s.value_accuracy == 0.5
    assert s.qualifier_accuracy == 1.0
    assert s.attribution_precision == 0.5
    assert s.attribution_coverage == 1.0
    assert s.source_recall == 0.5


def test_missed_figures_and_unattributed_ones_lower_recall_and_coverage() -> None:
    digest = Digest(
        article=Article(text=TEXT),
        figures=[_figure("f1", "At least 12", 12, low=12)],
    )
    s = score_article(digest, GOLD).scores
    assert s.figure_recall == 0.5
    assert s.attribution_coverage == 0.0
    assert s.attribution_precision == 1.0  # nothing attributed, nothing wrong
    assert s.source_recall == 0.0
