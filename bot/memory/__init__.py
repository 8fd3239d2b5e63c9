"""Story memory: which figures in a new digest the desk has seen before.

Pure functions of digests (no Slack, no store, no scheduler), like ``bot.core``:
``claim_key`` reduces a figure to what matching needs, ``relation`` says whether two
figures state the same claim or one is a changed version of the other, and ``align``
pairs the figures of an article with those of an earlier version of it. The store finds
candidates; this decides.
"""

from bot.memory.keys import ClaimKey, claim_key, claim_keys
from bot.memory.match import Alignment, Pair, align, relation

__all__ = [
    "Alignment",
    "ClaimKey",
    "Pair",
    "align",
    "claim_key",
    "claim_keys",
    "relation",
]
