"""Text clean-up the engine applies before reading, and a cheap language guess."""

from __future__ import annotations

import re

# C0 controls other than tab and newline, DEL, and the Unicode non-characters that junk pastes
# carry; each becomes a space so that nothing downstream meets them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SLACK_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "as",
        "by",
        "at",
        "from",
        "it",
        "said",
        "be",
        "has",
        "have",
        "are",
        "were",
        "his",
        "her",
        "their",
        "its",
        "an",
        "or",
        "but",
        "not",
        "this",
        "which",
        "who",
        "will",
        "would",
        "more",
        "than",
        "after",
    ]
)
_SCRIPTS = (
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)


def normalise(text: str) -> str:
    """Line endings to ``\\n``, Slack's three HTML entities unescaped, control junk to spaces.

    Offsets in a digest index the text this returns (``Digest.article.text``).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = re.sub(r"&(?:amp|lt|gt);", lambda m: _SLACK_ENTITIES[m.group(0)], text)
    return _CONTROL.sub(" ", text)


def detect_language(text: str, *, sample: int = 2_000) -> str | None:
    """A two-letter guess ("en", "ru", "zh"...), "und" when unsure, None for no words."""
    head = text[:sample]
    words = re.findall(r"[^\W\d_]+", head.lower())
    if not words:
        return None
    english = sum(1 for w in words if w in _ENGLISH)
    if english / len(words) >= 0.08:
        return "en"
    counts = [(len(rx.findall(head)), code) for code, rx in _SCRIPTS]
    best, code = max(counts)
    if best >= max(10, len(head) // 20):
        return code
    return "und"


def in_markup(text: str, pos: int) -> bool:
    """Is ``pos`` inside an HTML or XML tag (``<tweet tweet-id="...">``)? Looks back a bounded
    stretch, so that a check per character stays linear."""
    lt = text.rfind("<", max(0, pos - 300), pos)
    return lt >= 0 and text.find(">", lt, pos) < 0 and bool(_TAG_START.match(text, lt))


_TAG_START = re.compile(r"<[a-zA-Z/]")


def word_alternation(words: list[str] | tuple[str, ...], *, cased: bool = False) -> str:
    """A regex alternation of ``words`` folded into a prefix tree ("said|says|say" becomes
    "sa(?:id|ys?)"), so the engine tries one branch per letter instead of every word in
    turn. Where one word extends another ("called", "called for") the longer one wins. A
    space matches any whitespace. ``cased``: each word also as it opens a sentence and in
    capitals (much faster than matching the alternation case-insensitively)."""
    if cased:
        words = sorted({v for w in words for v in (w, w[:1].upper() + w[1:], w.upper())})
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [
            (r"\s" if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here and longer ones go on
            return f"(?:{body})?"
        return body

    return emit(trie)
