"""A figure reduced to what matching needs: its value and unit, what it counts, who said
it, and the words and names of the sentence it sits in."""

from __future__ import annotations

import re
from bisect import bisect_right

from pydantic import BaseModel

from bot.core.models import Digest, Figure
from bot.core.sentences import split

# Kinds a desk checks and matching compares; dates, times and ages are anchors, not claims.
MATCHED_KINDS = frozenset({"count", "percent", "money", "fraction", "ratio", "measure", "vague"})

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NAME = re.compile(r"(?:[A-Z][a-zA-Z'’.-]+|[A-Z]{2,})(?:\s+(?:of\s+)?(?:[A-Z][a-zA-Z'’.-]+))*")
_STOP = frozenset(
    """a an the of in on at for to from by with and or but that which who whom whose is are
    was were be been being has have had do does did said says say told tells according than
    as into over under about since after before during per each every while when where if it
    its their his her our your my this these those there here not no so because also just only
    will would could should may might can must more most less least last next some any all
    other such than then them they he she we you i me us him also percent per cent million
    billion trillion thousand hundred dozen dozens hundreds thousands millions billions nearly
    almost roughly around approximately about least upwards than up down out new one two three
    four five six seven eight nine ten mr mrs ms dr""".split()
)
# Words at a sentence start are capitalised anyway: not names.
_NOT_NAMES = frozenset(
    """The A An In On At For But And Or If When While After Before Since During As It Its
    This That These Those There Here He She They We I You His Her Their Our Mr Mrs Ms Dr
    According Still Yet Now Then Also However Meanwhile""".split()
)
_CURRENCIES = (
    ("USD", ("$", "dollar", "usd")),
    ("EUR", ("€", "euro", "eur")),
    ("GBP", ("£", "pound", "sterling", "gbp")),
    ("JPY", ("¥", "yen", "jpy")),
    ("INR", ("₹", "rupee")),
)
# Qualifiers that say the figure is a bound, by direction; the rest say about or exactly.
_FLOOR = frozenset({"at_least", "more_than", "over", "upwards_of", "above", "in_excess_of"})
_CEILING = frozenset({"at_most", "less_than", "under", "below", "up_to", "fewer_than"})


class ClaimKey(BaseModel):
    """What matching compares of one check-worthy figure."""

    figure_id: str
    text: str
    kind: str
    value: float | None = None
    low: float | None = None  # a range's ends ("between 100,000 and 200,000")
    high: float | None = None
    bound: str = "about"  # "floor", "ceiling" or "about" (exact and approximate alike)
    unit: str | None = None  # currency, "%", or a measure's unit
    subject: tuple[str, ...] = ()  # what is counted, normalised ("russian", "soldier")
    near: tuple[str, ...] = ()  # content words right around the figure
    words: frozenset[str] = frozenset()  # content words of its sentence, figure left out
    names: frozenset[str] = frozenset()  # named entities of its sentence, lowercased
    source: str | None = None  # its own source, normalised ("congressional budget office")
    source_kind: str | None = None
    others: tuple[float, ...] = ()  # the values of the other figures in its sentence

    @property
    def magnitude(self) -> float | None:
        """The figure's value, or a range's upper end (its lower one, when open above)."""
        return (
            self.value
            if self.value is not None
            else self.high
            if self.high is not None
            else self.low
        )

    @property
    def head(self) -> str | None:
        """The counted noun (the subject's last word)."""
        return self.subject[-1] if self.subject else None


def lemma(word: str) -> str:
    """A crude singular: enough to match "soldiers" with "soldier"."""
    w = re.sub(r"['’]s$", "", word.lower()).strip("'’-")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def content_words(text: str) -> list[str]:
    """Lowercased singular content words of ``text``, in order (stopwords and numbers out)."""
    return [lemma(w) for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 1]


def names_in(text: str, known: frozenset[str] = frozenset()) -> frozenset[str]:
    """Capitalised names in a sentence ("Congressional Budget Office", "Lagos"), lowercased;
    a capitalised first word alone is not taken for a name unless it is ``known`` (a word
    the article capitalises mid-sentence too: "Sanders' campaign has won ...")."""
    found = set()
    first = len(text) - len(text.lstrip())
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        lone = len(words) == 1 and _bare(words[0]) not in known
        if m.start() == first and (lone or words[0].lower() in _STOP):
            # The sentence's first word is capitalised anyway ("Hundreds of Russian …").
            words = words[1:]
            if words and words[0] == "of":
                words = words[1:]
        words = [w for w in words if w not in _NOT_NAMES]
        if words:
            found.add(" ".join(words).lower().strip(".’'"))
    return frozenset(found)


def _bare(word: str) -> str:
    """A capitalised word without its possessive or trailing punctuation: "Sanders'" ->
    "Sanders"."""
    return re.sub(r"['’]s?$", "", word.rstrip(".,;:"))


def capitalised_mid_sentence(text: str, spans: list[tuple[int, int]]) -> frozenset[str]:
    """Words ``text`` capitalises somewhere other than a sentence's start: its names."""
    found: set[str] = set()
    for a, b in spans:
        sentence = text[a:b]
        first = _WORD.search(sentence)
        for m in _WORD.finditer(sentence):
            if m.group(0)[0].isupper() and (first is None or m.start() != first.start()):
                found.add(_bare(m.group(0)))
    return frozenset(found - _NOT_NAMES)


def _normal_source(name: str | None) -> str | None:
    if not name:
        return None
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    words = [w for w in words if w not in {"the", "a", "an"}]
    return " ".join(words) or None


def _unit(figure: Figure) -> str | None:
    text = figure.text.lower()
    if figure.kind == "percent":
        return "%"
    if figure.kind == "money":
        for code, marks in _CURRENCIES:
            if any(mark in text for mark in marks):
                return code
        return "money"
    if figure.kind == "measure":
        words = _WORD.findall(text)
        return lemma(words[-1]) if words else None
    return None


def _bound(qualifier: str) -> str:
    if qualifier in _FLOOR:
        return "floor"
    if qualifier in _CEILING:
        return "ceiling"
    return "about"


class _Sentences:
    """The sentence holding any offset of one article, found by bisection."""

    def __init__(self, text: str) -> None:
        spans = [(s.start, s.end) for s in split(text)]
        self.spans = spans or [(0, len(text))]
        self.starts = [a for a, _ in self.spans]
        self.names = capitalised_mid_sentence(text, self.spans)

    def around(self, start: int, end: int) -> tuple[int, int]:
        i = max(0, bisect_right(self.starts, start) - 1)
        a, b = self.spans[i]
        return (a, max(b, end)) if a <= start else (start, end)


def claim_key(digest: Digest, figure: Figure, sentences: _Sentences | None = None) -> ClaimKey:
    """The matching key of one figure of ``digest``."""
    text = digest.article.text
    sentences = sentences or _Sentences(text)
    a, b = sentences.around(figure.start, figure.end)
    others = tuple(
        float(v)
        for f in digest.figures
        if f.id != figure.id
        and a <= f.start < b
        and (v := f.value if f.value is not None else f.high) is not None
    )
    before = content_words(text[max(a, figure.start - 60) : figure.start])[-3:]
    after_text = re.split(r"[,;:.!?()\n]", text[figure.end : min(b, figure.end + 80)], maxsplit=1)
    after = content_words(after_text[0])[:4]
    source = digest.source(figure.source_id)
    subject = tuple(content_words(figure.subject or ""))
    # A name that is what the figure counts ("four Americans") is its subject, not a sign of
    # which story the sentence tells.
    names = frozenset(
        n
        for n in names_in(text[a:b], sentences.names)
        if not all(lemma(w) in subject for w in n.split())
    )
    sentence = text[a : figure.start] + " " + text[figure.end : b]
    return ClaimKey(
        figure_id=figure.id,
        text=figure.text,
        kind=figure.kind,
        value=float(figure.value) if figure.value is not None else None,
        low=float(figure.low) if figure.low is not None else None,
        high=float(figure.high) if figure.high is not None else None,
        bound=_bound(figure.qualifier),
        unit=_unit(figure),
        subject=subject,
        near=tuple(before + after),
        words=frozenset(content_words(sentence)),
        names=names,
        source=_normal_source(source.name if source else None),
        source_kind=source.kind if source else None,
        others=others,
    )


def claim_keys(digest: Digest) -> list[ClaimKey]:
    """The keys of every check-worthy figure of a kind worth matching, in article order."""
    sentences = _Sentences(digest.article.text)
    return [
        claim_key(digest, f, sentences)
        for f in digest.figures
        if f.checkworthy and f.kind in MATCHED_KINDS
    ]
