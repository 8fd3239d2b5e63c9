"""Measuring matching on labelled pairs: update pairs (an article and an edited version,
from an edit script) and cross-outlet pairs (two figures, labelled by hand).

Article texts come from ``../shared`` at run time; the pair files under ``seeds/memory``
hold only ids, offsets, edits and labels. ``bench/matching.py`` prints the numbers and the
tests hold the floors.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel

from bot.core.digest import digest
from bot.core.models import Digest, Figure
from bot.memory.keys import ClaimKey, claim_key, claim_keys
from bot.memory.match import align, relation

RELATIONS = ("same", "changed")


class Score(BaseModel):
    """Precision and recall of one relation, with the counts behind them."""

    relation: str
    predicted: int = 0
    gold: int = 0
    right: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0


class Report(BaseModel):
    """What one pair set measured: a score per relation, and how many pairs and figures."""

    name: str
    pairs: int = 0
    figures: int = 0
    lost: int = 0  # figures the edit moved out of reach of the figure finder
    scores: dict[str, Score] = {}
    errors: list[dict] = []

    def line(self) -> dict:
        return {
            "set": self.name,
            "pairs": self.pairs,
            "figures": self.figures,
            **{
                f"{r}_{m}": round(getattr(s, m), 3)
                for r, s in self.scores.items()
                for m in ("precision", "recall")
            },
            **{f"{r}_gold": s.gold for r, s in self.scores.items()},
        }


def apply_edits(text: str, edits: list[dict]) -> tuple[str, Callable[[int], int]]:
    """The edited text, and where an offset of the original (outside any edit) ends up."""
    steps = []  # (position in the original, characters removed, characters added)
    for e in edits:
        if e["op"] == "insert":
            steps.append((e["at"], 0, len(e["text"]), e["text"]))
        elif e["op"] == "delete":
            steps.append((e["start"], e["end"] - e["start"], 0, ""))
        else:
            steps.append((e["start"], e["end"] - e["start"], len(e["text"]), e["text"]))
    out = text
    for at, removed, _, added in sorted(steps, key=lambda s: s[0], reverse=True):
        out = out[:at] + added + out[at + removed :]

    def moved(pos: int) -> int:
        shift = 0
        for at, removed, added, _ in steps:
            if at + removed <= pos and (removed or at < pos):
                shift += added - removed
        return pos + shift

    return out, moved


def _figure_at(result: Digest, start: int, end: int) -> Figure | None:
    """The check-worthy figure of ``result`` overlapping ``start:end`` most."""
    best, overlap = None, 0
    for f in result.figures:
        o = min(end, f.end) - max(start, f.start)
        if o > overlap:
            best, overlap = f, o
    return best


def score_updates(records: Iterable[dict], texts: dict[tuple[str, str], str], name: str) -> Report:
    """Align each article with its edited version and score the pairs against the script."""
    report = Report(name=name, scores={r: Score(relation=r) for r in RELATIONS})
    for record in records:
        text = texts.get((record["set"], record["id"]))
        if text is None:
            continue
        report.pairs += 1
        old = digest(text)
        new_text, moved = apply_edits(text, record["edits"])
        new = digest(new_text)
        old_keys, new_keys = claim_keys(old), claim_keys(new)
        new_ids = {k.figure_id for k in new_keys}
        figures = {f.id: f for f in old.figures}
        gold: dict[str, tuple[str, str]] = {}  # old figure id -> (relation, new figure id)
        lost: set[str] = set()
        for k in old_keys:
            f = figures[k.figure_id]
            report.figures += 1
            touching = [
                e
                for e in record["edits"]
                if e["op"] != "insert" and e["start"] < f.end and f.start < e["end"]
            ]
            if any(
                e["op"] == "delete" or ("of" in e and e["of"] != [f.start, f.end]) for e in touching
            ):
                continue  # removed (or in a rewritten sentence that dropped it): no pair
            start, end = moved(f.start), moved(f.end)
            rewritten = next((e for e in touching if "figure_at" in e), None)
            if rewritten is not None:  # its sentence was rewritten: the script says where
                base = moved(rewritten["start"])
                start, end = base + rewritten["figure_at"][0], base + rewritten["figure_at"][1]
            there = _figure_at(new, start, end)
            if there is None or there.id not in new_ids:
                report.lost += 1
                lost.add(f.id)
                continue
            gold[f.id] = ("changed" if touching else "same", there.id)
        predicted = align(old_keys, new_keys).pairs
        for r in RELATIONS:
            score = report.scores[r]
            score.gold += sum(1 for rel, _ in gold.values() if rel == r)
            for p in predicted:
                if p.relation != r or p.old in lost:
                    continue
                score.predicted += 1
                if gold.get(p.old) == (r, p.new):
                    score.right += 1
                else:
                    report.errors.append(
                        {
                            "pair": record["pair"],
                            "predicted": r,
                            "old": p.old,
                            "new": p.new,
                            "gold": gold.get(p.old),
                        }
                    )
    return report


def score_cross(
    rows: Iterable[dict],
    texts: dict[tuple[str, str], str],
    name: str,
    digests: dict[tuple[str, str], Digest] | None = None,
) -> Report:
    """Score ``relation`` on hand-labelled figure pairs from different articles (``digests``:
    the articles digested so far, shared between calls)."""
    report = Report(name=name, scores={r: Score(relation=r) for r in RELATIONS})
    digests = {} if digests is None else digests

    def key_at(side: dict) -> ClaimKey | None:
        where = ("polnear-" + side["split"], side["id"])
        text = texts.get(where)
        if text is None:
            return None
        if where not in digests:
            digests[where] = digest(text)
        result = digests[where]
        figure = _figure_at(result, side["start"], side["end"])
        return claim_key(result, figure) if figure is not None else None

    for row in rows:
        if row["label"] == "unsure":
            continue
        a, b = key_at(row["a"]), key_at(row["b"])
        if a is None or b is None:
            report.lost += 1
            continue
        report.pairs += 1
        match = relation(a, b)
        got = match.relation if match else None
        for r in RELATIONS:
            score = report.scores[r]
            score.gold += row["label"] == r
            if got == r:
                score.predicted += 1
                score.right += row["label"] == r
        if got != (row["label"] if row["label"] in RELATIONS else None):
            report.errors.append({"a": row["a"], "b": row["b"], "gold": row["label"], "got": got})
    return report


def shared_texts(shared: Path) -> dict[tuple[str, str], str]:
    """Every article the pair files may name, by (set, id), from ``../shared``."""
    texts: dict[tuple[str, str], str] = {}
    for path in sorted((shared / "corpus").glob("*.txt")):
        texts[("corpus", path.stem)] = path.read_text()
    for split_name in ("train", "dev"):
        path = shared / "polnear" / f"{split_name}.jsonl"
        if path.exists():
            for line in path.open():
                row = json.loads(line)
                texts[(f"polnear-{split_name}", row["id"])] = row["text"]
    return texts


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open() if line.strip()]


def label_counts(rows: Iterable[dict]) -> Counter[str]:
    return Counter(r["label"] for r in rows)
