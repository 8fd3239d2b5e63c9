"""Is a chat message an article? The rule the bot uses before answering a paste unasked.

A newsroom channel is busy: people say "lunch at 1?" and "3 more edits on the budget
story". The bot only answers, unasked, text that reads like an article:

* at least ``MIN_WORDS`` (60) words in at least ``MIN_SENTENCES`` (3) sentences of story
  text (captions, credits and other page furniture do not count); or
* a headline-like first line (2–25 words, no full stop at the end, then a line break)
  followed by at least ``MIN_SHORT_WORDS`` (30) words in at least two sentences — a short
  wire item with its headline.

Explicit requests (``/digest``, the message shortcut, an @mention) skip this rule.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from bot.core import sentences as sentences_mod
from bot.core.text import normalise

MIN_WORDS = 60
MIN_SENTENCES = 3
MIN_SHORT_WORDS = 30
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


class PasteVerdict(BaseModel):
    """Whether a message reads like an article, and why (for logs and tests)."""

    article: bool
    reason: str
    words: int
    sentences: int


def looks_like_article(text: str) -> PasteVerdict:
    """Apply the rule in this module's docstring to a message's plain text."""
    text = normalise(text).strip()
    if not text:
        return PasteVerdict(article=False, reason="empty", words=0, sentences=0)
    story = [s for s in sentences_mod.split(text) if not s.furniture and not s.title]
    words = sum(len(_WORD.findall(text[s.start : s.end])) for s in story)
    n = len(story)
    if words >= MIN_WORDS and n >= MIN_SENTENCES:
        return PasteVerdict(article=True, reason="long enough", words=words, sentences=n)
    if _headline_first(text) and words >= MIN_SHORT_WORDS and n >= 2:
        return PasteVerdict(article=True, reason="headline and body", words=words, sentences=n)
    return PasteVerdict(article=False, reason="too short for an article", words=words, sentences=n)


def _headline_first(text: str) -> bool:
    first, newline, rest = text.partition("\n")
    if not newline or not rest.strip():
        return False
    first = first.strip()
    n_words = len(_WORD.findall(first))
    return 2 <= n_words <= 25 and not first.endswith((".", ":", ",", ";")) and len(first) <= 200
