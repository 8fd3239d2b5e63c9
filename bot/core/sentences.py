"""Paragraphs and sentences of pasted news text, with character offsets.

The rule is the one the gold annotations use (``shared/corpus/README.md``): the headline is
line 1 when a blank line follows it; every line of the body is a paragraph, and a paragraph
always ends a sentence; inside a paragraph a sentence ends after ``.``, ``!`` or ``?`` (with
closing quotes or brackets) when whitespace and an upper-case letter, a digit or an opening
quote follow, except after an initial or a known abbreviation (U.S., Mr., Gov., Sept., a.m.).

Sentences that are page furniture rather than story text (captions, photo credits, link
lines, bios, sub-heads, "Read the original article on ...") are tagged, so that their figures
are not nudged and they are never claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True)
class Sentence:
    """One sentence: a span ``text[start:end]`` of the article text."""

    start: int
    end: int
    paragraph: int  # index of the paragraph (line) holding it; the headline is paragraph 0
    title: bool = False  # the headline (first line, followed by a blank line)
    # Page furniture this sentence belongs to, or None for story text: "caption", "credit",
    # "link", "bio", "dateline", "heading", "original" ("Read the original article on ...").
    furniture: str | None = None


_ABBREVIATIONS = frozenset(
    """mr mrs ms dr lt gov sen rep st jr sr co inc corp ltd gen col capt sgt prof no nos vol
    vs jan feb mar apr jun jul aug sep sept oct nov dec ala ariz ark calif colo conn del fla
    ga ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt
    wash wis wyo ont fig rev hon gens reps sens messrs mt ft dept univ est approx""".split()
)
# A sentence end: terminal punctuation, closing quotes/brackets, then whitespace and a
# capital, a digit or an opening quote/bracket.
_END = re.compile(r"(?<![.!?])[.!?]++[”\"’')\]]*+(?=\s+[A-Z0-9“\"‘'(\[])")
_WORD_BEFORE = re.compile(r"([\w.&-]*)$")
_ENUMERATOR = re.compile(r"\d{1,2}\.\s")
_BULLET = re.compile(r"^[\s•·▪‣◦*\-–]+(?=\S)")
_LINE = re.compile(r"[^\n]+")

_CREDIT_AGENCIES = (
    r"Getty Images|AP|AP Photo|Reuters|AFP|EPA|EPA-EFE|Bloomberg|Shutterstock|Alamy|"
    r"NurPhoto|Sipa|Sipa USA|USA Today Sports|USATSI|Anadolu|Xinhua|TASS|NASA|"
    r"The New York Times|The Washington Post|Redux|Zuma Press|ZUMA Wire|Pool"
)
_GLUED_CREDIT = re.compile(
    rf"(?:[.!?”\"]|\d)(?:Credit)*(?:[A-Z][\w.'’-]*\s?){{1,4}}/\s?(?:{_CREDIT_AGENCIES})\b"
    r"|[.!?]Credit"
)
# Page furniture recognised by how its paragraph starts, in priority order. Matched once per
# paragraph, anchored at its start (unanchored alternatives would scan every position).
_FURNITURE_STARTS = (
    ("original", r"Read the original article on\b|This article (?:was )?originally"),
    (
        "credit",
        rf"(?:Image copyright|Image source|Photo(?:graph)?:|Credit:|Copyright\b|©|"
        rf"Illustration:|Source:|Sources:)"
        rf"|(?:[A-Z][\w.'’-]*\s){{0,4}}[A-Z][\w.'’-]*\s?/\s?(?:{_CREDIT_AGENCIES})\b"
        rf"|(?:{_CREDIT_AGENCIES})$",
    ),
    ("caption", r"(?:Image caption|Media caption|Caption:|Video:|Watch:|Photo:)"),
    (
        "link",
        r"(?:Read more|READ MORE|Related|RELATED|See also|Watch|WATCH|Click here|"
        r"Sign up|Subscribe|More about|Order Reprints|Follow us|Share this|Listen)\b",
    ),
    (
        "bio",
        r"(?:Reporting by|Additional reporting by|Editing by|Written by|Contributing:)\s"
        r"|By [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}(?:,|$| and | in | for )"
        r"|[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){1,3} (?:is|has been|has covered|covers) "
        r"(?:an? |the )?(?:[\w-]+ ){0,3}(?:reporter|correspondent|editor|writer|"
        r"columnist|journalist|economics|politics|business|since)\b"
        r"|Follow (?:him|her|them|us) on\b",
    ),
    (
        "dateline",
        r"(?:Published|Updated|Posted|Last updated)\b|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|"
        r"Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}$|\d{1,2} [A-Z][a-z]+ \d{4}$",
    ),
)
_FURNITURE_START = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _FURNITURE_STARTS))
# ... and by how it ends or what it holds.
_FURNITURE_ENDS = (
    (("hide caption", "toggle caption"), "credit"),
    (("| Subscribe",), "link"),
)


def split(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; the headline (if any) comes first with ``title=True``."""
    out: list[Sentence] = []
    body_from = 0
    title = _title_span(text)
    if title is not None:
        out.append(Sentence(title[0], title[1], 0, title=True))
        body_from = title[1]
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text, body_from)]
    paragraph = 1 if title is not None else 0
    for n, (start, end) in enumerate(lines):
        line = text[start:end]
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        if (
            bullet
            and line[bullet.end() - 1 : bullet.end()] in "-–*"
            and not bullet.group(0).strip(" \t").startswith(("•", "·", "▪", "‣", "◦"))
        ):
            # "-" and "*" bullets need a space after them ("-5 degrees" is not a bullet).
            bullet = bullet if re.match(r"^\s*[-–*]\s", line) else None
        lead = bullet.end() if bullet else len(line) - len(line.lstrip())
        s_start = start + lead
        s_end = start + len(line.rstrip())
        if s_end <= s_start:
            continue
        if _is_alt_text(text, s_start, s_end, lines, n):
            continue
        for a, b in _split_paragraph(text, s_start, s_end):
            out.append(Sentence(a, b, paragraph))
        paragraph += 1
    _tag_furniture(text, out)
    return out


def _title_span(text: str) -> tuple[int, int] | None:
    """The headline: line 1 when a blank line follows it, or when it reads like one."""
    m = re.match(r"[ \t]*([^\n]*?)[ \t]*(?:\n|$)", text)
    if not m or not m.group(1).strip():
        return None
    start, end = m.start(1), m.end(1)
    rest = text[m.end() :]
    if re.match(r"[ \t]*\n", rest):
        return start, end
    first = m.group(1)
    # No blank line: a short first line without sentence punctuation, followed by more text.
    if rest.strip() and len(first) <= 150 and not re.search(r"[.!?:;,”\"]$", first):
        words = first.split()
        if 3 <= len(words) <= 20:
            return start, end
    return None


def _is_alt_text(text: str, start: int, end: int, lines: list[tuple[int, int]], n: int) -> bool:
    """An image's alt text pasted on its own line right above its caption.

    Copy-paste from article pages leaves "Russian Spetsnaz troops military parade" above
    "Russian Spetsnaz troops march through Red Square ..., 2021.Mikhail Svetlov/Getty Images":
    same opening words, no sentence punctuation, next line in the same block.
    """
    if n + 1 >= len(lines) or lines[n + 1][0] != lines[n][1] + 1:
        return False
    line = text[start:end]
    if re.search(r"[.!?]$", line) or len(line) > 100:
        return False
    nxt = text[lines[n + 1][0] : lines[n + 1][1]].strip()
    words = line.split()
    return len(words) >= 2 and nxt.split()[:2] == words[:2] and len(nxt) > len(line)


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside one paragraph ``text[start:end]``."""
    para = text[start:end]
    spans: list[tuple[int, int]] = []
    begin = 0
    skip_to = 0
    m_enum = _ENUMERATOR.match(para)
    if m_enum:
        skip_to = m_enum.end()  # "1. Seeing it too much.": the enumerator ends nothing
    for m in _END.finditer(para):
        cut = m.end()
        if cut <= skip_to:
            continue
        punct_at = m.start()
        if para[punct_at] == "." and is_abbreviation(para, punct_at):
            continue
        rest = para[cut:].strip()
        if rest and not rest.strip("”\"’'") and rest[0] in "”\"’'":
            break  # only quote marks follow: they stay with this sentence
        spans.append((start + begin, start + cut))
        begin = cut + (len(para[cut:]) - len(para[cut:].lstrip()))
    if begin < len(para):
        spans.append((start + begin, end))
    return spans


def is_abbreviation(para: str, dot: int) -> bool:
    """Is the period at ``dot`` part of an abbreviation or an initial, not a sentence end?"""
    m = _WORD_BEFORE.search(para, max(0, dot - 40), dot)  # bounded: linear on run-ons
    word = m.group(1) if m else ""
    if not word:
        return False
    core = word.rstrip(".")
    if len(core) == 1 and core.isupper():
        return True  # an initial: "Brian M. Good"
    if "." in core and re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", core):
        return True  # U.S., a.m., N.C.
    if re.fullmatch(r"[DRI]-[A-Z][a-z]{1,4}", core):
        return True  # party-state: D-Minn.
    return core.lower() in _ABBREVIATIONS and (core[0].isupper() or core in ("no", "vs"))


def _tag_furniture(text: str, sentences: list[Sentence]) -> None:
    by_paragraph: dict[int, list[Sentence]] = {}
    for s in sentences:
        if not s.title:
            by_paragraph.setdefault(s.paragraph, []).append(s)
    furniture: dict[str, str] = {}
    for group in by_paragraph.values():
        para = text[group[0].start : group[-1].end]
        kind = _furniture_kind(para, len(group))
        for s in group:
            s.furniture = kind
            if kind is None and len(group) > 1:
                s.furniture = _furniture_kind(text[s.start : s.end], 1)
        if kind and len(para) >= 30:
            furniture[para] = kind
    if not furniture:
        return
    # Pages repeat a caption without its credit (NPR's "hide caption" pairs): the bare copy
    # is furniture too.
    for group in by_paragraph.values():
        if group[0].furniture:
            continue
        para = text[group[0].start : group[-1].end]
        if len(para) < 30:
            continue
        kind = next((k for p, k in furniture.items() if para in p), None)
        if kind:
            for s in group:
                s.furniture = kind


def _furniture_kind(para: str, n_sentences: int) -> str | None:
    m = _FURNITURE_START.match(para)
    if m and not (m.lastgroup == "credit" and "/" in m.group(0) and len(para.split()) > 12):
        # ("A Des Moines Register/Bloomberg Politics poll found ..." is a story sentence.)
        return m.lastgroup
    for endings, kind in _FURNITURE_ENDS:
        if para.endswith(endings):
            return kind
    if "View full size image" in para:
        return "link"
    if ("/" in para or "Credit" in para) and _GLUED_CREDIT.search(para):
        return "caption"
    words = para.split()
    # A short paragraph without sentence punctuation is a sub-head or graphic text.
    if n_sentences == 1 and len(words) <= 12 and not re.search(r"[.!?:;”\"’)]$", para):
        return "heading"
    return None
