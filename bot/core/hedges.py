"""Hedging: the words that mark a figure or claim as uncertain.

One vocabulary for the whole engine: the figure finder hedges each figure whose clause holds
one of these words, and the digest names the word in the figure's reasons ("hedged (likely)").
Approximating qualifiers ("about", "nearly") are read with the figure itself, in `figures`.
"""

from __future__ import annotations

import re

from bot.core.text import word_alternation

# "may" only in lower case: "May" is far more often the month. Where one hedge extends
# another the longer wins, so that the word a reason names is the whole hedge ("could not be
# independently verified", not "could").
_HEDGES = (
    "could not be verified",
    "could not be confirmed",
    "could not be independently verified",
    "could not be independently confirmed",
    "likely",
    "unlikely",
    "might",
    "could",
    "can",
    "expect",
    "expects",
    "expected",
    "estimate",
    "estimates",
    "estimated",
    "projected",
    "projects",
    "reportedly",
    "allegedly",
    "believed",
    "thought to",
    "possible",
    "possibly",
    "probably",
    "forecast",
    "forecasts",
    "guess",
    "look like",
    "looks like",
    "look more like",
    "looks more like",
    "appear to",
    "appears to",
    "seem to",
    "seems to",
    "unconfirmed",
    "unverified",
)
HEDGE = re.compile(rf"\b(?:may|{word_alternation(_HEDGES, cased=True)})\b")


def hedge_word(text: str) -> str | None:
    """The first hedging word or phrase in ``text`` ("likely", "reportedly"...), if any."""
    m = HEDGE.search(text)
    return m.group(0) if m else None
