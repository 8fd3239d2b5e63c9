"""Engine quality on the gold-annotated articles: a guard against regressions.

The seed is in the repository; the ten development articles are read from ../shared/corpus
(skipped when absent). Floors sit a little under what the engine scores today; the issue's
targets are the comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.eval import score_dirs

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def test_seed_scores_perfectly() -> None:
    scores = score_dirs([ROOT / "seeds"]).scores
    assert scores.checkworthy_recall == 1.0
    assert scores.value_accuracy == 1.0
    assert scores.attribution_precision == 1.0
    assert scores.checkworthy_precision == 1.0


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout")
def test_corpus_scores_stay_at_or_above_their_floors() -> None:
    report = score_dirs([ROOT / "seeds", CORPUS])
    assert len(report.articles) == 11
    s = report.scores
    assert s.checkworthy_recall >= 0.97  # target 0.95
    assert s.checkworthy_precision >= 0.93  # target 0.90
    assert s.value_accuracy >= 0.97  # target 0.95
    assert s.attribution_precision >= 0.92  # target 0.90
    assert s.attribution_coverage >= 0.88  # target 0.75
    assert s.source_recall >= 0.92  # target 0.85
    assert s.figure_recall >= 0.96


POLNEAR = ROOT.parent / "shared" / "polnear"


@pytest.mark.skipif(
    not (POLNEAR / "dev.jsonl").is_file(), reason="../shared/polnear is not beside the checkout"
)
def test_polnear_dev_attribution_stays_at_or_above_its_floor() -> None:
    """Figure attribution on PolNeAR dev (84 articles nobody tuned the rules to), scored by
    the corpus's own scorer exactly as `polnear.py score` does. Issue 11's target is
    precision 0.90 at coverage 0.75; the floors hold what the engine reaches today."""
    import json
    import sys

    sys.path.insert(0, str(POLNEAR))
    try:
        import polnear
    finally:
        sys.path.remove(str(POLNEAR))
    from bot import digest

    right = wrong = attributed = in_sourced = 0
    with (POLNEAR / "dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            dig = digest(art["text"]).model_dump(mode="json")
            for r, _f, _rec in polnear.judge(art, dig, polnear.previous_sources(art)):
                right += r["right"]
                wrong += r["wrong_source"] + r["wrong_unattributed"]
                attributed += r["attributed"]
                in_sourced += r["in_sourced"]
    precision, coverage = right / (right + wrong), attributed / in_sourced
    assert precision >= 0.86, precision  # 0.73 before issue 11, 0.824, 0.857, now 0.870
    assert coverage >= 0.62, coverage  # 0.48 before issue 11, 0.613, 0.620, now 0.627
