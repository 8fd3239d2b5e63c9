"""Make the update pairs: an article and an edited version of it, as an edit script.

    python seeds/memory/make_updates.py > seeds/memory/updates.jsonl

For each article (the ten of ``../shared/corpus``, 160 of PolNeAR train chosen with a fixed
seed, and all 84 of PolNeAR dev) with at least three numeric check-worthy figures, the
script digests the text and writes edits in the original's offsets, as a desk sees stories
change between versions:

- **replace** the number inside one or two check-worthy figures (a toll revised, a sum
  updated: 115 → 121, "$250 billion" → "$265 billion"), or, for a count, rewrite its
  whole sentence around the new number in our own words (``of`` is the figure's span,
  ``figure_at`` where it is in the new sentence; the sentence's other figures are gone);
- **delete** a sentence that holds a check-worthy figure;
- **insert** a sentence of our own with a new figure about something else, and one with a
  different number for the same thing an unchanged figure counts (the hard case: a new
  figure that is not a new value of the old one).

Only ids, offsets and our own inserted sentences are written, never article text; the
articles are read from ``../shared`` when the pairs are measured (``bench/matching.py``).
"""

from __future__ import annotations

import json
import random
import re
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot import digest  # noqa: E402
from bot.core.sentences import split  # noqa: E402

SHARED = ROOT.parent / "shared"
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
NEW_THINGS = (
    "Officials said {n} new inspectors were hired for the review this year.",
    "A spokesperson said {n} complaints had been filed with the regulator since March.",
    "The committee said it had received {n} written submissions by the deadline.",
    "Organisers said {n} volunteers signed up in the first week.",
)
REWRITES = (
    "An updated count put the number of {subject} at {n}.",
    "The latest figures show {n} {subject}, officials said.",
)
SAME_THING = (
    "A separate tally put the number of {subject} at {n}.",
    "Another estimate, released later, counted {n} {subject}.",
)


def articles() -> list[tuple[str, str, str]]:
    """(set, id, text) of every article to edit, in a fixed order."""
    found = []
    corpus = SHARED / "corpus"
    for path in sorted(corpus.glob("*.txt")):
        found.append(("corpus", path.stem, path.read_text()))
    for split_name, count in (("train", 160), ("dev", 84)):
        path = SHARED / "polnear" / f"{split_name}.jsonl"
        if not path.exists():
            continue
        rows = [json.loads(line) for line in path.open()]
        rows.sort(key=lambda r: r["id"])
        for row in random.Random(f"updates-{split_name}").sample(rows, count):
            found.append((f"polnear-{split_name}", row["id"], row["text"]))
    return found


def _new_number(old: str, rng: random.Random) -> str:
    """Another number like ``old``: the same decimals and thousands separators."""
    decimals = len(old.split(".")[1]) if "." in old else 0
    value = float(old.replace(",", ""))
    change = rng.choice([-1, 1]) * rng.uniform(0.05, 0.4)
    new = value * (1 + change)
    if decimals == 0:
        new = round(new)
        if new == round(value):
            new += 1
    text = f"{new:,.{decimals}f}" if "," in old else f"{new:.{decimals}f}"
    return text if text != old else f"{value + 1:.{decimals}f}"


def edits_for(text: str, key: str) -> list[dict]:
    """The edit script of one article (empty when it has too few figures to edit)."""
    rng = random.Random(zlib.crc32(key.encode()))
    result = digest(text)
    numeric = [
        f
        for f in result.figures
        if f.checkworthy and f.kind in ("count", "percent", "money") and NUMBER.search(f.text)
    ]
    if len(numeric) < 3:
        return []
    sentences = [s for s in split(text) if not s.title]
    chosen = rng.sample(numeric, min(2, len(numeric) - 1))
    edits: list[dict] = []
    for f in chosen:
        m = NUMBER.search(f.text)
        assert m is not None
        s = next((s for s in sentences if s.start <= f.start < s.end), None)
        plain = not re.search(r"(?i)\d\s*(?:hundred|thousand|million|billion|trillion)", f.text)
        if f.kind == "count" and plain and f.subject and s is not None and rng.random() < 0.5:
            # The sentence rewritten around the new value, as a later version tells it.
            number = _new_number(m.group(0), rng)
            line = rng.choice(REWRITES).format(subject=f.subject.lower(), n=number)
            at = line.index(number)
            edits.append(
                {
                    "op": "replace",
                    "start": s.start,
                    "end": s.end,
                    "text": line,
                    "of": [f.start, f.end],
                    "figure_at": [at, at + len(number)],
                }
            )
            continue
        edits.append(
            {
                "op": "replace",
                "start": f.start + m.start(),
                "end": f.start + m.end(),
                "text": _new_number(m.group(0), rng),
            }
        )
    taken = [(e["start"], e["end"]) for e in edits]
    if len({(a, b) for a, b in taken}) < len(taken):
        return []  # two changes in one rewritten sentence: not a clean script
    others = [f for f in numeric if f not in chosen]
    rng.shuffle(others)
    for f in others:
        s = next((s for s in sentences if s.start <= f.start < s.end), None)
        if s is None or any(s.start <= a < s.end for a, _ in taken):
            continue
        edits.append({"op": "delete", "start": s.start, "end": s.end})
        taken.append((s.start, s.end))
        break
    # New sentences go at the end of a paragraph, away from every other edit.
    ends = [s.end for s in sentences if not any(a <= s.end <= b for a, b in taken)]
    if ends:
        at = rng.choice(ends)
        line = rng.choice(NEW_THINGS).format(n=rng.randint(12, 480))
        edits.append({"op": "insert", "at": at, "text": " " + line})
    kept = [
        f
        for f in numeric
        if f not in chosen and f.subject and f.value and not any(a <= f.start < b for a, b in taken)
    ]
    ends = [e for e in ends if not any(e == x.get("at") for x in edits)]
    if kept and ends:
        f = rng.choice(kept)
        at = rng.choice(ends)
        n = max(2, round(float(f.value or 0) * rng.uniform(1.5, 3.0)))
        line = rng.choice(SAME_THING).format(subject=f.subject.lower(), n=f"{n:,}")
        edits.append({"op": "insert", "at": at, "text": " " + line})
    return sorted(edits, key=lambda e: e.get("start", e.get("at", 0)))


def main() -> int:
    found = articles()
    if not found:
        print("no articles under ../shared: nothing to make", file=sys.stderr)
        return 1
    for n, (where, key, text) in enumerate(found):
        edits = edits_for(text, key)
        if edits:
            record = {"pair": f"u{n:03d}", "set": where, "id": key, "edits": edits}
            print(json.dumps(record, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
