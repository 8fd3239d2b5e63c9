"""Whether two figures state the same claim, or one is a changed version of the other.

Precision comes first: a false "earlier: …" line is noise in a busy channel, so every rule
says no unless the evidence is there. Two figures state the **same claim** when their kind,
unit, value and bound agree and they count the same thing (the subject's head noun and most
of its words, or the words right around the figure) in sentences that share words and do
not name different places or people. A figure is a **changed** version of another when
everything but the value agrees and the sentences are nearly the same sentence.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from bot.memory.keys import ClaimKey

Relation = Literal["same", "changed"]

# Thresholds, chosen on PolNeAR train pairs and the corpus (see bench/matching.py).
SUBJECT_OVERLAP = 0.5
CHANGED_CONTEXT = 0.5
CHANGED_NEAR = 0.5
CHANGED_RATIO = 10.0
STORY_NAMES = 3  # shared names that put two sentences in one story
STORY_CONTEXT = 0.12  # a value more than 10x the other is a different figure


class Match(BaseModel):
    """How figure ``b`` relates to figure ``a``, and how strongly."""

    relation: Relation
    score: float
    loose: bool = False  # a change told in a rewritten sentence: only its subject agrees


def _jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def _equal(x: float | None, y: float | None) -> bool:
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) <= 1e-9 * max(abs(x), abs(y), 1.0)


def _same_value(a: ClaimKey, b: ClaimKey) -> bool:
    if a.magnitude is None or b.magnitude is None:
        return a.magnitude is None and b.magnitude is None and a.text.lower() == b.text.lower()
    return _equal(a.value, b.value) and _equal(a.low, b.low) and _equal(a.high, b.high)


def _subject(a: ClaimKey, b: ClaimKey) -> float | None:
    """How alike the two subjects are (0 when their head nouns differ); None when either
    figure has no subject."""
    if not a.subject or not b.subject:
        return None
    if a.head != b.head:
        return 0.0
    sa, sb = set(a.subject), set(b.subject)
    return 1.0 if sa <= sb or sb <= sa else _jaccard(sa, sb)


def _head_near(a: ClaimKey, b: ClaimKey) -> bool:
    """``a`` has a subject and ``b`` has none, but names ``a``'s noun right beside it."""
    return a.head is not None and not b.subject and a.head in b.near


def specificity(k: ClaimKey) -> int:
    """Significant digits of the figure's number: 1,428 has 4, 250,000 has 2, "two" has 1.
    Two articles give the same 1,428 by chance far less often than the same "two"."""
    value = k.magnitude
    if value is None:
        return 0
    digits = f"{abs(value):.6f}".replace(".", "").strip("0")
    return len(digits)


def _says_the_same(
    a: ClaimKey, b: ClaimKey, *, subject: float | None, near: float, context: float
) -> bool:
    """Two figures of the same value (and unit and bound) are the same claim when the
    words around them agree as strongly as the number is common. A specific number (three
    or more significant digits) needs one sign that it counts the same thing. A commoner
    one needs what it counts to agree (the same subject, or one's counted noun named in the
    other's sentence) and more: for two digits a shared name or two shared words beside it;
    for one ("two", "30,000") both. Sentences sharing three names, one in full, tell one
    story whatever the number; otherwise a round number needs nearly the same sentence."""
    names = shared_names(a, b)
    digits = specificity(a)
    if digits >= 3:
        signs = [near >= 0.15, context >= 0.08, names > 0]
        if subject is None or subject >= SUBJECT_OVERLAP:
            return subject is not None or any(signs)
        return sum(signs) >= 2  # the subjects disagree: two other signs must outweigh them
    counted = (
        subject >= SUBJECT_OVERLAP
        if subject is not None
        else _head_named(a, b) or _head_named(b, a)
    )
    beside = len(set(a.near) & set(b.near))  # content words shared right around the figure
    if names >= STORY_NAMES and _shared_full_name(a, b) and context >= STORY_CONTEXT:
        return True
    if digits == 2:
        return (
            (counted and (names > 0 or beside >= 2))
            or near >= 0.3
            or (_shared_full_name(a, b) and context >= 0.25)
        )
    return (counted and names > 0 and beside >= 2) or (near >= 0.5 and context >= 0.3)


def _head_named(a: ClaimKey, b: ClaimKey) -> bool:
    """``a`` counts a noun and ``b``, with no subject of its own, names that noun in its
    sentence ("66 delegates" against "all 66 of the state's delegates")."""
    return a.head is not None and not b.subject and a.head in b.words


def shared_names(a: ClaimKey, b: ClaimKey) -> int:
    """How many names of ``a``'s sentence ``b``'s names too ("Sanders" and "Bernie
    Sanders" are one name)."""
    b_words = [set(n.split()) for n in b.names]
    a_words = [set(n.split()) for n in a.names]
    # Count each of a's names once: "Cruz" beside "Ted Cruz" is the same person.
    distinct = [w for w in a_words if not any(w < other for other in a_words)]
    return sum(1 for n in distinct if any(n <= w or w <= n for w in b_words))


def _shared_full_name(a: ClaimKey, b: ClaimKey) -> bool:
    """Both sentences give the same name of two words or more (a pollster, an agency, a
    person in full): "Public Policy Institute of California", "Bernie Sanders"."""
    return any(len(n.split()) >= 2 and n in b.names for n in a.names)


def _names_agree(a: ClaimKey, b: ClaimKey) -> bool:
    """Sentences that both name people or places must share one of them."""
    return not a.names or not b.names or shared_names(a, b) > 0


def sources_agree(a: ClaimKey, b: ClaimKey) -> bool:
    """The same or a compatible source: equal, one naming the other ("Guardian" and "The
    Guardian newspaper"), or unknown on either side."""
    if a.source is None or b.source is None:
        return True
    wa, wb = set(a.source.split()), set(b.source.split())
    return wa <= wb or wb <= wa


def relation(a: ClaimKey, b: ClaimKey, *, same_story: bool = False) -> Match | None:
    """Whether ``b`` states the same claim as ``a``, or a changed one, or neither (None).

    ``same_story``: the two are versions of one article, so a figure counting the same
    thing with a new value is a change even when its sentence was rewritten."""
    if a.kind != b.kind or a.unit != b.unit:
        return None
    if not _names_agree(a, b) and not (_same_value(a, b) and specificity(a) >= 3):
        return None  # other people and places; a specific number may still be the same fact
    context = _jaccard(a.words, b.words)
    near = _jaccard(set(a.near), set(b.near))
    subject = _subject(a, b)
    if _same_value(a, b) and a.bound == b.bound:
        if _says_the_same(a, b, subject=subject, near=near, context=context):
            return Match(relation="same", score=0.4 * context + 0.3 * near + 0.3 * (subject or 0))
        return None
    va, vb = a.magnitude, b.magnitude
    if va is None or vb is None or a.kind == "vague":
        return None
    if not same_story and (va in b.others or vb in a.others):
        # Across articles, the other value stated beside it makes two figures, not a
        # revision (a diff of one article's versions pairs the one that stayed instead).
        return None
    low, high = sorted((abs(va), abs(vb)))
    if low == 0 or high / low > CHANGED_RATIO:
        return None
    what = subject >= SUBJECT_OVERLAP if subject is not None else near >= CHANGED_NEAR
    score = 0.5 * context + 0.3 * near + 0.2 * (subject or 0)
    if what and context >= CHANGED_CONTEXT:
        return Match(relation="changed", score=score)
    if same_story and ((what and subject is not None) or _head_near(a, b) or _head_near(b, a)):
        return Match(relation="changed", score=score, loose=True)
    return None


class Pair(BaseModel):
    """An earlier figure and its counterpart in the new version."""

    old: str  # figure id in the earlier digest
    new: str  # figure id in the new one
    relation: Relation
    score: float


class Alignment(BaseModel):
    """The figures of a new version against an earlier one: pairs (same or changed), and
    those only in the new (added) or only in the old (removed)."""

    pairs: list[Pair] = []
    added: list[str] = []
    removed: list[str] = []

    def changed(self) -> list[Pair]:
        return [p for p in self.pairs if p.relation == "changed"]


def align(old: list[ClaimKey], new: list[ClaimKey]) -> Alignment:
    """Pair each figure of ``new`` (a later version of one article) with at most one of
    ``old``, as a diff does: same claims first, then changes told in much the same
    sentence, strongest first, so a figure that is still there is never mistaken for
    another's new value; last, a change told in a rewritten sentence, only where it stands
    in the same place among the figures already paired (between the same neighbours)."""
    candidates: list[tuple[int, float, int, int, Match]] = []
    for i, o in enumerate(old):
        for j, n in enumerate(new):
            match = relation(o, n, same_story=True)
            if match is not None:
                rank = 0 if match.relation == "same" else 2 if match.loose else 1
                candidates.append((rank, -match.score, i, j, match))
    candidates.sort(key=lambda c: c[:4])
    paired: dict[int, tuple[int, Match]] = {}  # old index -> (new index, match)
    used: set[int] = set()
    for rank, _, i, j, match in candidates:
        if i in paired or j in used:
            continue
        if rank == 2 and not _between_neighbours(i, j, paired):
            continue
        paired[i] = (j, match)
        used.add(j)
    pairs = [
        Pair(old=old[i].figure_id, new=new[j].figure_id, relation=m.relation, score=m.score)
        for i, (j, m) in sorted(paired.items())
    ]
    return Alignment(
        pairs=pairs,
        added=[n.figure_id for j, n in enumerate(new) if j not in used],
        removed=[o.figure_id for i, o in enumerate(old) if i not in paired],
    )


def _between_neighbours(i: int, j: int, paired: dict[int, tuple[int, Match]]) -> bool:
    """Whether new figure ``j`` lies between the counterparts of old figure ``i``'s nearest
    paired neighbours (before and after it), as an edited figure stays in its place."""
    before = [paired[k][0] for k in paired if k < i]
    after = [paired[k][0] for k in paired if k > i]
    low = max(before) if before else -1
    high = min(after) if after else 1 << 30
    return low < j < high
