"""Figures in news text: counts, money, percentages, fractions, vague amounts, dates...

STUB: to be replaced by the real finder.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.sentences import Sentence


@dataclass(slots=True)
class FoundFigure:
    """A figure as found in the text, before attribution."""

    start: int
    end: int
    kind: str  # a FigureKind
    value: float | int | None
    low: float | int | None
    high: float | int | None
    qualifier: str  # "exact", "at_least", "more_than", "up_to", "about", "hundreds", ...
    subject: str | None = None  # what is counted, when it can be read off
    unit: str | None = None  # "count", "USD", "percent", "years", "date", ...
    checkworthy: bool = True  # intrinsic: False for dates that only locate, ages, definitional...
    hedged: bool = False  # an approximation qualifier (about, nearly, estimated...)


def find(text: str, sentences: list[Sentence]) -> list[FoundFigure]:
    """Every figure in ``text``, in order, non-overlapping, each inside one sentence."""
    return []
