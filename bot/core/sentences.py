"""Paragraphs and sentences of pasted news text, with character offsets.

STUB: to be replaced by the real, news-aware splitter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True)
class Sentence:
    """One sentence: a span ``text[start:end]`` of the article text."""

    start: int
    end: int
    paragraph: int  # index of the paragraph (block of non-empty lines) holding it
    title: bool = False  # the headline (first line, followed by a blank line)
    # Page furniture this sentence belongs to, or None for story text: "caption", "credit",
    # "link", "bio", "dateline", "heading", "original" ("Read the original article on ...").
    furniture: str | None = None


def split(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; the headline (if any) comes first with ``title=True``."""
    out: list[Sentence] = []
    for i, m in enumerate(re.finditer(r"[^\n]+(?:\n[^\n]+)*", text)):
        out.append(Sentence(m.start(), m.end(), i))
    return out
