"""How many figures a desk is asked to check, and why the others are left alone.

    python bench/checkworthy.py [JSONL ...] [--top 30]

Digests every article of each PolNeAR file (default: ../shared/polnear/train.jsonl; read at
bench time, never copied) and prints the open figures per article and the most common
reasons a figure is not check-worthy (`Figure.not_checkworthy`), with examples.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import digest  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "polnear" / "train.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, default=[DEFAULT])
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args(argv)
    for path in args.files:
        if not path.is_file():
            print(f"{path}: not found (PolNeAR lives in ../shared/polnear)", file=sys.stderr)
            return 1
        articles = figures = open_ = 0
        why: collections.Counter[str] = collections.Counter()
        examples: dict[str, list[str]] = collections.defaultdict(list)
        began = time.perf_counter()
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                d = digest(json.loads(line)["text"])
                articles += 1
                figures += len(d.figures)
                for f in d.figures:
                    open_ += f.status == "open"
                    if f.not_checkworthy:
                        why[f.not_checkworthy] += 1
                        if len(examples[f.not_checkworthy]) < 4:
                            examples[f.not_checkworthy].append(f.text)
        print(
            f"{path.name}: {articles} articles, {figures} figures, {open_} open "
            f"({open_ / max(1, articles):.2f} per article) "
            f"in {time.perf_counter() - began:.1f} s"
        )
        print(f"\n{'count':>6}  reason a figure is not check-worthy (examples)")
        for reason, n in why.most_common(args.top):
            print(f"{n:6}  {reason}  ({', '.join(repr(x) for x in examples[reason])})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
