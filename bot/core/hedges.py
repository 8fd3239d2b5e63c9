"""Hedging: the words that mark a figure or claim as uncertain.

One vocabulary for the whole engine: the figure finder hedges each figure whose clause holds
one of these words, and the digest names the word in the figure's reasons ("hedged (likely)").
Approximating qualifiers ("about", "nearly") are read with the figure itself, in `figures`.
"""

from __future__ import annotations

import re

# "may" only in lower case: "May" is far more often the month. Longer phrases come first so
# that the word a reason names is the whole hedge ("could not be independently verified").
HEDGE = re.compile(
    r"\b(?:may|(?i:could\snot\sbe\s(?:independently\s)?(?:verified|confirmed)|likely|unlikely|"
    r"might|could|can|expects?|expected|estimates?|estimated|projected|projects|reportedly|"
    r"allegedly|believed|thought\sto|possible|possibly|probably|forecasts?|guess|"
    r"looks?\s(?:more\s)?like|appears?\sto|seems?\sto|unconfirmed|unverified))\b"
)


def hedge_word(text: str) -> str | None:
    """The first hedging word or phrase in ``text`` ("likely", "reportedly"...), if any."""
    m = HEDGE.search(text)
    return m.group(0) if m else None
