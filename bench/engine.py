"""Engine speed: MB/s, articles/s and p50/p95 ms per article, against quantulum3 in the same run.

    python bench/engine.py [--repeat N]

Texts: seeds/*.txt and, when present, ../shared/corpus/*.txt. quantulum3 is the optional
``bench`` extra (``pip install '.[bench]'``); without it only our figures are printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import pct  # noqa: E402


def _texts() -> list[tuple[str, str]]:
    files = sorted((ROOT / "seeds").glob("*.txt"))
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.is_dir():
        files += sorted(corpus.glob("*.txt"))
    return [(f.stem, f.read_text(encoding="utf-8")) for f in files]


def _time_each(fn, texts: list[str], repeat: int) -> tuple[float, list[float]]:
    """Total seconds for one pass (best of ``repeat``) and per-article ms (all passes)."""
    per_article: list[float] = []
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        for text in texts:
            t0 = time.perf_counter()
            fn(text)
            per_article.append((time.perf_counter() - t0) * 1000)
        best = min(best, time.perf_counter() - began)
    return best, per_article


def _import_ms() -> float:
    runs = []
    for _ in range(5):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "import time; t=time.perf_counter(); import bot; "
                "print((time.perf_counter()-t)*1000)",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        runs.append(float(out.stdout.strip()))
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from bot import digest

    named = _texts()
    texts = [t for _, t in named]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    digest(texts[0])  # warm the regex caches

    rows = []
    total, per = _time_each(digest, texts, args.repeat)
    rows.append(("newsroom-bot", total, per))
    seed_ms = statistics.median(_time_each(digest, texts[:1], 50)[1])

    try:
        from quantulum3 import parser as q_parser
    except ImportError:
        q_parser = None
    if q_parser is not None:
        q_parser.parse(texts[0])
        q_total, q_per = _time_each(q_parser.parse, texts, max(1, args.repeat // 2))
        rows.append(("quantulum3", q_total, q_per))

    print(f"$ python bench/engine.py --repeat {args.repeat}")
    print(f"{len(texts)} articles, {megabytes * 1000:.1f} KB of text, best of {args.repeat}\n")
    print(f"{'engine':<14} {'MB/s':>8} {'articles/s':>11} {'p50 ms':>8} {'p95 ms':>8}")
    for name, secs, per_ms in rows:
        print(
            f"{name:<14} {megabytes / secs:>8.2f} {len(texts) / secs:>11.1f} "
            f"{pct(per_ms, 0.5):>8.2f} {pct(per_ms, 0.95):>8.2f}"
        )
    if len(rows) == 2:
        print(f"\nspeed-up over quantulum3: {rows[1][1] / rows[0][1]:.1f}x")
    print(f"seed article ({named[0][0]}): {seed_ms:.2f} ms (median of 50)")
    print(f"import bot: {_import_ms():.0f} ms (median of 5 fresh interpreters)")


if __name__ == "__main__":
    main()
