"""Story-memory matching, measured on labelled pairs.

    python bench/matching.py [--errors OUT.jsonl]

Update pairs (``seeds/memory/updates.jsonl``: an article and an edited version of it, by
edit script) are scored per set (the corpus, PolNeAR train, PolNeAR dev); cross-outlet
pairs (``seeds/memory/cross_outlet*.jsonl``: two figures from different PolNeAR articles,
labelled by hand; each batch was labelled after the rules of its day and measured before
any rule was changed from its misses: batch 3 aims at changed figures, batch 4 pairs PolNeAR
dev articles and train pairs no rule was read on) are scored on ``relation``.
For "same claim" and "changed figure": precision, recall and how many labelled pairs of
each. Articles are read from ``../shared``; without it there is nothing to measure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.memory.evaluate import (  # noqa: E402
    Report,
    read_jsonl,
    score_cross,
    score_updates,
    shared_texts,
)

SHARED = ROOT.parent / "shared"
PAIRS = ROOT / "seeds" / "memory"


def reports() -> list[Report]:
    """Every pair set, scored."""
    texts = shared_texts(SHARED)
    updates = read_jsonl(PAIRS / "updates.jsonl")
    out = [
        score_updates([r for r in updates if r["set"] == s], texts, f"updates {s}")
        for s in ("corpus", "polnear-train", "polnear-dev")
    ]
    for name, label in (
        ("cross_outlet", "batch 1"),
        ("cross_outlet_2", "batch 2"),
        ("cross_outlet_3", "batch 3, changed-aimed"),
        ("cross_outlet_4", "batch 4, dev and unseen train"),
    ):
        path = PAIRS / f"{name}.jsonl"
        if path.exists():
            out.append(score_cross(read_jsonl(path), texts, f"cross-outlet {label}"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", help="write every wrong prediction here (JSONL)")
    args = parser.parse_args()
    if not (SHARED / "corpus").is_dir():
        print("../shared is absent: nothing to measure")
        return 0
    began = time.perf_counter()
    found = reports()
    print("| set | pairs | figures | same P / R (gold) | changed P / R (gold) |")
    print("|---|---|---|---|---|")
    for r in found:
        same, changed = r.scores["same"], r.scores["changed"]
        print(
            f"| {r.name} | {r.pairs} | {r.figures or '-'} "
            f"| {same.precision:.3f} / {same.recall:.3f} ({same.gold}) "
            f"| {changed.precision:.3f} / {changed.recall:.3f} ({changed.gold}) |"
        )
    print(f"({time.perf_counter() - began:.1f} s)")
    if args.errors:
        with open(args.errors, "w") as out:
            for r in found:
                for e in r.errors:
                    out.write(json.dumps({"set": r.name, **e}) + "\n")
    print(json.dumps([r.line() for r in found]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
