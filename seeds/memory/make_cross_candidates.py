"""Generate cross-outlet figure-pair candidates from the PolNeAR training split.

Every article in ``../shared/polnear/train.jsonl`` (relative to the repository root) is digested
with ``bot.digest``. Check-worthy figures of kind count, percent, money or fraction are paired
across articles that come from different publishers and whose id dates lie within 7 days of each
other. A pair is kept when both figures have the same kind and their sentences share at least two
content words (lowercased, stopwords and numbers removed). The pairs fall into two strata:

* ``same_value``: equal values, or both values missing and the same lowercased figure text;
* ``diff_value``: different values, but both subjects are present and end in the same word.

About 220 candidates are sampled, roughly half from each stratum, with a fixed seed and at most
3 candidates per article pair. The output is JSONL on stdout, one candidate per line, holding
only article ids and character offsets (never article text), sorted by a.id, a.start, b.id,
b.start. Labels are assigned by hand afterwards; this script decides nothing about them.

``--batch 2`` prints a second, disjoint batch instead (no figure pair of ``cross_outlet.jsonl``,
or of ``--exclude``, is drawn again), with its own seed and two strata of about 110 pairs each,
at most 3 per article pair, each line also naming its ``stratum``:

* ``same_value_2``: the ``same_value`` rule of batch 1 (different publishers, at most 7 days
  apart, same kind, at least two shared content words);
* ``changed_candidates``: kind count, percent or money, two different positive values at most 3
  times apart, different articles (any publishers) 1 to 60 days apart, both sentences holding a
  same capitalised name that is not their first word, and either subjects ending in the same
  word or, for percent and money figures without a subject, at least two shared content words.

``--batch 3`` prints a third batch aimed at changed figures (no figure pair of batch 1 or 2, or
of ``--exclude``, is drawn again), seed 20161220, about 60 pairs per stratum, at most 3 per
article pair, different articles (any publishers) 1 to 120 days apart:

* ``running_counts``: count figures with different positive values at most 3 times apart whose
  subjects end in the same word, and whose sentences share a multi-word capitalised name or a
  surname (the last word of a multi-word name in the same article);
* ``poll_waves``: percent figures with different values at most 15 points apart whose sentences
  both name the same pollster (a listed pollster word, or a multi-word capitalised name holding
  a word such as Poll, University or Institute) and the same candidate surname.

``--batch 4`` prints a fourth batch (no figure pair of batches 1 to 3 is drawn again), seed
20170120, under the ``same_value`` rule of batch 1, from the train split and the dev split
beside it, each side naming its ``split``, about 120 pairs per stratum, at most 3 per article
pair:

* ``same_value_dev``: one article or both from the dev split, at most 30 days apart (the dev
  split starts where train ends);
* ``same_value_rest``: train pairs at most 7 days apart that no earlier batch drew.

Usage (from the repository root)::

    python seeds/memory/make_cross_candidates.py > /tmp/candidates.jsonl
    python seeds/memory/make_cross_candidates.py --batch 2 > /tmp/candidates_2.jsonl
    python seeds/memory/make_cross_candidates.py --batch 3 > /tmp/candidates_3.jsonl
    python seeds/memory/make_cross_candidates.py --batch 4 > /tmp/candidates_4.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path

from bot import digest

REPO_ROOT = Path(__file__).resolve().parents[2]
TRAIN = REPO_ROOT / ".." / "shared" / "polnear" / "train.jsonl"

KINDS = frozenset({"count", "percent", "money", "fraction"})
MAX_DAYS = 7
MIN_SHARED_WORDS = 2
PER_ARTICLE_PAIR = 3
TARGET = 220
SEED = 20160927

SEED_2 = 20161108
EXCLUDE = Path(__file__).resolve().parent / "cross_outlet.jsonl"
CHANGED_KINDS = frozenset({"count", "percent", "money"})
CHANGED_MIN_DAYS = 1
CHANGED_MAX_DAYS = 60
CHANGED_MAX_RATIO = 3.0

SEED_3 = 20161220
TARGET_3 = 120
EXCLUDE_2 = Path(__file__).resolve().parent / "cross_outlet_2.jsonl"
EXCLUDE_3 = Path(__file__).resolve().parent / "cross_outlet_3.jsonl"
MAX_DAYS_3 = 120

SEED_4 = 20170120
TARGET_4 = 240
MAX_DAYS_4 = 30
MAX_POINTS_3 = 15.0
# Words that make a multi-word capitalised name a pollster, and pollster names on their own.
POLL_ANCHORS = frozenset("poll polls polling university college institute research".split())
POLLSTERS = frozenset(
    "cnn orc quinnipiac gallup marist monmouth rasmussen yougov pew ppp siena emerson ipsos "
    "reuters".split()
)
CANDIDATES = frozenset(
    "trump clinton sanders cruz rubio kasich carson bush fiorina christie paul huckabee "
    "o'malley santorum walker perry graham pataki jindal gilmore webb chafee lessig biden "
    "johnson stein".split()
)

DATE_RE = re.compile(r"_(\d{4})-(\d{2})-(\d{2})_")
WORD_RE = re.compile(r"[a-z][a-z'’-]*")
SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]*\s+|\n+")
TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’.&-]*")

NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred hundreds thousand thousands million millions billion billions trillion "
    "percent per cent half third quarter dozen dozens".split()
)
STOPWORDS = frozenset(
    "a about above after again against all also am an and any are as at be because been before "
    "being below between both but by can could did do does doing down during each few for from "
    "further had has have having he her here hers herself him himself his how i if in into is it "
    "its itself just me more most my myself no nor not now of off on once only or other our ours "
    "ourselves out over own said same says she should so some such than that the their theirs "
    "them themselves then there these they this those through to too under until up very was we "
    "were what when where which while who whom why will with would you your yours yourself "
    "mr mrs ms s t new according say like get got one's it's".split()
)
# Capitalised words that name no pollster, candidate, place or organisation.
NOT_NAMES = frozenset(
    "i mr mrs ms dr sen rep gov jr sr st january february march april may june july august "
    "september october november december monday tuesday wednesday thursday friday saturday "
    "sunday".split()
)


@dataclass(frozen=True)
class Fig:
    """A check-worthy figure of one article, with what the pairing rules need."""

    article: str
    publisher: str
    day: date
    start: int
    end: int
    kind: str
    value: float | None
    text: str
    subject: str | None
    words: frozenset[str]
    names: frozenset[str] = frozenset()
    pollsters: frozenset[str] = frozenset()
    candidates: frozenset[str] = frozenset()
    split: str = "train"


Pair = tuple[Fig, Fig]


def pair_key(pair: Pair) -> tuple[str, int, str, int]:
    """Sort key of a pair: a.id, a.start, b.id, b.start."""
    a, b = pair
    return a.article, a.start, b.article, b.start


def article_date(article_id: str) -> date | None:
    """Return the date embedded in a PolNeAR article id, or None if there is none."""
    m = DATE_RE.search(article_id)
    if not m:
        return None
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the offsets of the sentence that holds text[start:end] (a crude splitter)."""
    left = 0
    for m in SENTENCE_END_RE.finditer(text, 0, start):
        left = m.end()
    m = SENTENCE_END_RE.search(text, end)
    right = m.start() + 1 if m else len(text)
    return left, right


def content_words(sentence: str) -> frozenset[str]:
    """Lowercased words of a sentence, without stopwords, number words or digits."""
    words = {w.strip("'’-") for w in WORD_RE.findall(sentence.lower())}
    return frozenset(w for w in words if len(w) > 1 and w not in STOPWORDS | NUMBER_WORDS)


def capitalised_names(sentence: str) -> frozenset[str]:
    """Capitalised words of a sentence other than its first word, lowercased, minus NOT_NAMES."""
    names: set[str] = set()
    for i, m in enumerate(TOKEN_RE.finditer(sentence)):
        word = m.group().strip("'’.&-")
        if i == 0 or not word[:1].isupper():
            continue
        word = word.lower()
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if len(word) > 1 and word not in NOT_NAMES:
            names.add(word)
    return frozenset(names)


def load_figures(path: Path, split: str = "train") -> list[Fig]:
    """Digest every article and keep its check-worthy count/percent/money/fraction figures."""
    figs: list[Fig] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            day = article_date(row["id"])
            if day is None:
                continue
            text = row["text"]
            for f in digest(text).figures:
                if not f.checkworthy or f.kind not in KINDS:
                    continue
                lo, hi = sentence_bounds(text, f.start, f.end)
                figs.append(
                    Fig(
                        article=row["id"],
                        publisher=row["publisher"],
                        day=day,
                        start=f.start,
                        end=f.end,
                        kind=f.kind,
                        value=f.value,
                        text=f.text,
                        subject=f.subject,
                        words=content_words(text[lo:hi]),
                        names=capitalised_names(text[lo:hi]),
                        split=split,
                    )
                )
    return figs


def stratum(a: Fig, b: Fig) -> str | None:
    """Name the stratum a figure pair belongs to, or None when it is in neither."""
    if a.value is not None and b.value is not None and a.value == b.value:
        return "same_value"
    if a.value is None and b.value is None and a.text.lower() == b.text.lower():
        return "same_value"
    if a.subject and b.subject and a.value != b.value:
        last_a = a.subject.lower().split()[-1]
        last_b = b.subject.lower().split()[-1]
        if last_a == last_b:
            return "diff_value"
    return None


def _by_article(figs: list[Fig]) -> dict[str, list[Fig]]:
    """The figures of each article, in the order they came."""
    by_article: dict[str, list[Fig]] = defaultdict(list)
    for f in figs:
        by_article[f.article].append(f)
    return by_article


def candidate_pairs(figs: list[Fig]) -> dict[str, list[Pair]]:
    """All figure pairs that pass the pairing rules, grouped by stratum."""
    by_article = _by_article(figs)
    articles = sorted(by_article)
    out: dict[str, list[Pair]] = {"same_value": [], "diff_value": []}
    for x, y in combinations(articles, 2):
        fx, fy = by_article[x][0], by_article[y][0]
        if fx.publisher == fy.publisher or abs((fx.day - fy.day).days) > MAX_DAYS:
            continue
        for a in by_article[x]:
            for b in by_article[y]:
                if a.kind != b.kind or len(a.words & b.words) < MIN_SHARED_WORDS:
                    continue
                name = stratum(a, b)
                if name:
                    out[name].append((a, b))
    return out


def changed_candidate(a: Fig, b: Fig) -> bool:
    """Whether a pair passes the ``changed_candidates`` rule (articles already 1-60 days apart)."""
    if a.kind != b.kind or a.kind not in CHANGED_KINDS:
        return False
    if a.value is None or b.value is None or a.value == b.value:
        return False
    if a.value <= 0 or b.value <= 0:
        return False
    if max(a.value, b.value) / min(a.value, b.value) > CHANGED_MAX_RATIO:
        return False
    if not a.names & b.names:
        return False
    if a.subject and b.subject:
        return a.subject.lower().split()[-1] == b.subject.lower().split()[-1]
    return a.kind in {"percent", "money"} and len(a.words & b.words) >= MIN_SHARED_WORDS


def read_excluded(path: Path) -> set[tuple[str, int, str, int]]:
    """Figure pairs (a.id, a.start, b.id, b.start) of a labelled file, in both orders."""
    seen: set[tuple[str, int, str, int]] = set()
    if not path.is_file():
        return seen
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            a, b = row["a"], row["b"]
            seen.add((a["id"], a["start"], b["id"], b["start"]))
            seen.add((b["id"], b["start"], a["id"], a["start"]))
    return seen


def candidate_pairs_2(
    figs: list[Fig], excluded: set[tuple[str, int, str, int]]
) -> dict[str, list[Pair]]:
    """Batch-2 figure pairs grouped by stratum, leaving out the excluded pairs."""
    by_article = _by_article(figs)
    articles = sorted(by_article)
    out: dict[str, list[Pair]] = {"same_value_2": [], "changed_candidates": []}
    for x, y in combinations(articles, 2):
        fx, fy = by_article[x][0], by_article[y][0]
        days = abs((fx.day - fy.day).days)
        same_ok = fx.publisher != fy.publisher and days <= MAX_DAYS
        changed_ok = CHANGED_MIN_DAYS <= days <= CHANGED_MAX_DAYS
        if not same_ok and not changed_ok:
            continue
        for a in by_article[x]:
            for b in by_article[y]:
                if pair_key((a, b)) in excluded:
                    continue
                if (
                    same_ok
                    and a.kind == b.kind
                    and len(a.words & b.words) >= MIN_SHARED_WORDS
                    and stratum(a, b) == "same_value"
                ):
                    out["same_value_2"].append((a, b))
                elif changed_ok and changed_candidate(a, b):
                    out["changed_candidates"].append((a, b))
    return out


def candidate_pairs_4(
    figs: list[Fig], excluded: set[tuple[str, int, str, int]]
) -> dict[str, list[Pair]]:
    """Batch-4 figure pairs under the ``same_value`` rule of batch 1 (different publishers,
    same kind, at least two shared content words, equal values): ``same_value_dev`` where one
    article or both come from the dev split, up to MAX_DAYS_4 apart (the dev split begins where
    train ends); ``same_value_rest`` for train pairs at most MAX_DAYS apart that no earlier
    batch drew."""
    by_article = _by_article(figs)
    articles = sorted(by_article)
    out: dict[str, list[Pair]] = {"same_value_dev": [], "same_value_rest": []}
    for x, y in combinations(articles, 2):
        fx, fy = by_article[x][0], by_article[y][0]
        dev = "dev" in (fx.split, fy.split)
        days = abs((fx.day - fy.day).days)
        if fx.publisher == fy.publisher or days > (MAX_DAYS_4 if dev else MAX_DAYS):
            continue
        for a in by_article[x]:
            for b in by_article[y]:
                if a.kind != b.kind or len(a.words & b.words) < MIN_SHARED_WORDS:
                    continue
                if pair_key((a, b)) in excluded or stratum(a, b) != "same_value":
                    continue
                out["same_value_dev" if dev else "same_value_rest"].append((a, b))
    return out


def sample(pools: dict[str, list[Pair]], target: int, seed: int) -> list[Pair]:
    """Draw about target/2 pairs per stratum, at most PER_ARTICLE_PAIR per article pair."""
    rng = random.Random(seed)
    per_pair: Counter[tuple[str, str]] = Counter()
    chosen: list[Pair] = []
    for name in sorted(pools):
        pool = sorted(pools[name], key=pair_key)
        rng.shuffle(pool)
        taken = 0
        for a, b in pool:
            if taken >= target // 2:
                break
            key = (a.article, b.article)
            if per_pair[key] >= PER_ARTICLE_PAIR:
                continue
            per_pair[key] += 1
            chosen.append((a, b))
            taken += 1
    chosen.sort(key=pair_key)
    return chosen


def name_runs(sentence: str) -> list[list[str]]:
    """Runs of two or more adjacent capitalised words (lowercased, no possessive 's)."""
    runs: list[list[str]] = []
    run: list[str] = []
    prev_end = -1
    for m in TOKEN_RE.finditer(sentence):
        word = m.group().strip("'’.&-")
        gap = sentence[prev_end : m.start()] if prev_end >= 0 else ""
        joined = prev_end >= 0 and gap.strip() == ""
        lower = word.lower()
        possessive = lower.endswith(("'s", "’s"))
        if possessive:
            lower = lower[:-2]
        capital = word[:1].isupper() and len(lower) > 1 and lower not in NOT_NAMES
        if capital and lower in STOPWORDS and not run:
            capital = False
        if capital and (joined or not run):
            run.append(lower)
        else:
            if len(run) >= 2:
                runs.append(run)
            run = [lower] if capital else []
        if possessive and run:
            if len(run) >= 2:
                runs.append(run)
            run = []
        prev_end = m.end()
    if len(run) >= 2:
        runs.append(run)
    return runs


def sentence_tokens(sentence: str) -> set[str]:
    """Capitalised words of a sentence (any position), lowercased, without possessive 's."""
    out: set[str] = set()
    for m in TOKEN_RE.finditer(sentence):
        word = m.group().strip("'’.&-")
        if not word[:1].isupper():
            continue
        lower = word.lower()
        if lower.endswith(("'s", "’s")):
            lower = lower[:-2]
        out.add(lower)
    return out


def load_figures_3(path: Path) -> list[Fig]:
    """Digest every article and keep check-worthy count and percent figures with batch-3 names.

    ``names`` holds the sentence's multi-word capitalised names and the surnames it mentions (a
    surname being the last word of a multi-word name anywhere in the article); ``pollsters`` its
    pollster names; ``candidates`` the candidate surnames it mentions.
    """
    figs: list[Fig] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            day = article_date(row["id"])
            if day is None:
                continue
            text = row["text"]
            surnames = {run[-1] for run in name_runs(text)}
            for f in digest(text).figures:
                if not f.checkworthy or f.kind not in {"count", "percent"}:
                    continue
                lo, hi = sentence_bounds(text, f.start, f.end)
                sentence = text[lo:hi]
                runs = name_runs(sentence)
                tokens = sentence_tokens(sentence)
                pollsters = {" ".join(r) for r in runs if POLL_ANCHORS & set(r)}
                pollsters |= tokens & POLLSTERS
                figs.append(
                    Fig(
                        article=row["id"],
                        publisher=row["publisher"],
                        day=day,
                        start=f.start,
                        end=f.end,
                        kind=f.kind,
                        value=f.value,
                        text=f.text,
                        subject=f.subject,
                        words=frozenset(),
                        names=frozenset({" ".join(r) for r in runs} | (tokens & surnames)),
                        pollsters=frozenset(pollsters),
                        candidates=frozenset(tokens & CANDIDATES),
                    )
                )
    return figs


def stratum_3(a: Fig, b: Fig) -> str | None:
    """Name the batch-3 stratum of a figure pair (articles already 1-120 days apart), or None."""
    if a.kind != b.kind or a.value is None or b.value is None or a.value == b.value:
        return None
    if a.kind == "count":
        if a.value <= 0 or b.value <= 0 or not (a.subject and b.subject):
            return None
        if max(a.value, b.value) / min(a.value, b.value) > CHANGED_MAX_RATIO:
            return None
        if a.subject.lower().split()[-1] != b.subject.lower().split()[-1]:
            return None
        return "running_counts" if a.names & b.names else None
    if abs(a.value - b.value) > MAX_POINTS_3:
        return None
    if a.pollsters & b.pollsters and a.candidates & b.candidates:
        return "poll_waves"
    return None


def candidate_pairs_3(
    figs: list[Fig], excluded: set[tuple[str, int, str, int]]
) -> dict[str, list[Pair]]:
    """Batch-3 figure pairs grouped by stratum, leaving out the excluded pairs."""
    by_article = _by_article(figs)
    articles = sorted(by_article)
    out: dict[str, list[Pair]] = {"poll_waves": [], "running_counts": []}
    for x, y in combinations(articles, 2):
        days = abs((by_article[x][0].day - by_article[y][0].day).days)
        if not CHANGED_MIN_DAYS <= days <= MAX_DAYS_3:
            continue
        for a in by_article[x]:
            for b in by_article[y]:
                if pair_key((a, b)) in excluded:
                    continue
                name = stratum_3(a, b)
                if name:
                    out[name].append((a, b))
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the sampled candidates as JSONL (ids and offsets only)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=TRAIN, help="path to PolNeAR train.jsonl")
    parser.add_argument("--target", type=int, default=TARGET, help="number of candidates")
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help=f"sampling seed ({SEED}; batch 2: {SEED_2}; 3: {SEED_3}; 4: {SEED_4})",
    )
    parser.add_argument("--batch", type=int, choices=(1, 2, 3, 4), default=1, help="which batch")
    parser.add_argument(
        "--exclude", type=Path, default=EXCLUDE, help="labelled pairs batch 2 or 3 leaves out"
    )
    args = parser.parse_args(argv)
    if not args.train.is_file():
        print(f"PolNeAR train split not found at {args.train}; nothing to do.", file=sys.stderr)
        return 0
    if args.batch == 4:
        target = TARGET_4 if args.target == TARGET else args.target
        excluded = read_excluded(EXCLUDE) | read_excluded(EXCLUDE_2) | read_excluded(EXCLUDE_3)
        return main_4(args.train, excluded, target, SEED_4 if args.seed is None else args.seed)
    if args.batch == 3:
        excluded = read_excluded(EXCLUDE) | read_excluded(EXCLUDE_2) | read_excluded(args.exclude)
        target = TARGET_3 if args.target == TARGET else args.target
        return main_3(args.train, excluded, target, SEED_3 if args.seed is None else args.seed)
    if args.batch == 2:
        return main_2(
            args.train, args.exclude, args.target, SEED_2 if args.seed is None else args.seed
        )
    seed = SEED if args.seed is None else args.seed
    return print_sample(candidate_pairs(load_figures(args.train)), args.target, seed, strata=False)


def print_sample(
    pools: dict[str, list[Pair]],
    target: int,
    seed: int,
    *,
    strata: bool = True,
    splits: bool = False,
) -> int:
    """Print each pool's size (stderr), then the sampled pairs as JSONL: ids and offsets,
    each side's ``split`` (``splits``) and the pair's ``stratum`` (``strata``; batch 1 has
    none)."""
    for name in sorted(pools):
        print(f"{name}: {len(pools[name])} pairs in the pool", file=sys.stderr)
    stratum = {pair_key(p): name for name, pool in pools.items() for p in pool}

    def side(f: Fig) -> dict:
        where = {"split": f.split} if splits else {}
        return {**where, "id": f.article, "start": f.start, "end": f.end}

    for a, b in sample(pools, target, seed):
        row = {"a": side(a), "b": side(b)}
        if strata:
            row["stratum"] = stratum[pair_key((a, b))]
        print(json.dumps(row))
    return 0


def main_2(train: Path, exclude: Path, target: int, seed: int) -> int:
    """Print the batch-2 candidates as JSONL (ids, offsets and stratum only)."""
    pools = candidate_pairs_2(load_figures(train), read_excluded(exclude))
    return print_sample(pools, target, seed)


def main_3(train: Path, excluded: set[tuple[str, int, str, int]], target: int, seed: int) -> int:
    """Print the batch-3 candidates as JSONL (ids, offsets and stratum only)."""
    pools = candidate_pairs_3(load_figures_3(train), excluded)
    return print_sample(pools, target, seed)


def main_4(train: Path, excluded: set[tuple[str, int, str, int]], target: int, seed: int) -> int:
    """Print the batch-4 candidates as JSONL (split, ids, offsets and stratum only)."""
    dev = train.with_name("dev.jsonl")
    if not dev.is_file():
        print(f"PolNeAR dev split not found at {dev}; nothing to do.", file=sys.stderr)
        return 0
    pools = candidate_pairs_4(load_figures(train) + load_figures(dev, "dev"), excluded)
    return print_sample(pools, target, seed, splits=True)


if __name__ == "__main__":
    sys.exit(main())
