"""Scoring digests against hand-made gold annotations (``NAME.gold.json`` beside ``NAME.txt``).

The gold schema and matching rules are those of ``shared/corpus/README.md``: figures match by
character overlap; predictions on an ignored numeral or a headline figure count neither way;
sources match by name or any alias, case-insensitively.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from bot.core.digest import digest
from bot.core.models import Digest, Source


class Counts(BaseModel):
    """Raw counts; every rate is computed from these so totals are micro-averaged."""

    gold_figures: int = 0
    gold_checkworthy: int = 0
    found: int = 0
    found_checkworthy: int = 0
    predicted_checkworthy: int = 0
    predicted_checkworthy_right: int = 0
    matched: int = 0
    value_right: int = 0
    qualifier_right: int = 0
    gold_attributed: int = 0  # matched check-worthy gold figures that name a source
    attributed: int = 0  # matched check-worthy figures we gave a source
    attributed_of_gold_attributed: int = 0
    attribution_right: int = 0  # strict: our source is the gold source
    attribution_right_lenient: int = 0  # or, where gold has none, its implicit source
    gold_sources: int = 0
    sources_found: int = 0

    def add(self, other: Counts) -> None:
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Scores(BaseModel):
    figure_recall: float
    checkworthy_recall: float
    checkworthy_precision: float
    value_accuracy: float
    qualifier_accuracy: float
    attribution_precision: float
    attribution_precision_lenient: float
    attribution_coverage: float
    source_recall: float

    @classmethod
    def of(cls, c: Counts) -> Scores:
        def rate(a: int, b: int) -> float:
            return round(a / b, 4) if b else 1.0

        return cls(
            figure_recall=rate(c.found, c.gold_figures),
            checkworthy_recall=rate(c.found_checkworthy, c.gold_checkworthy),
            checkworthy_precision=rate(c.predicted_checkworthy_right, c.predicted_checkworthy),
            value_accuracy=rate(c.value_right, c.matched),
            qualifier_accuracy=rate(c.qualifier_right, c.matched),
            attribution_precision=rate(c.attribution_right, c.attributed),
            attribution_precision_lenient=rate(c.attribution_right_lenient, c.attributed),
            attribution_coverage=rate(c.attributed_of_gold_attributed, c.gold_attributed),
            source_recall=rate(c.sources_found, c.gold_sources),
        )


class ArticleScore(BaseModel):
    name: str
    counts: Counts
    scores: Scores


class EvalReport(BaseModel):
    articles: list[ArticleScore]
    total: Counts
    scores: Scores
    extraction: list[ExtractionScore] = []


def _key(name: str) -> str:
    name = name.strip().lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"^the\s+", "", name)


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def score_article(d: Digest, gold: dict, *, name: str = "") -> ArticleScore:
    """Score one digest against its gold annotation."""
    c = Counts()
    text = d.article.text
    title_end = text.find("\n") if "\n" in text else 0
    neutral = [(x["start"], x["end"]) for x in gold.get("ignored_numerals", [])]
    neutral += [(x["start"], x["end"]) for x in gold.get("title_figures", [])]
    gold_sources = {s["name"]: s for s in gold.get("sources", [])}

    def names_of(entry: dict | Source | None) -> set[str]:
        if entry is None:
            return set()
        if isinstance(entry, Source):
            return {_key(n) for n in (entry.name, *entry.aliases)}
        return {_key(n) for n in (entry["name"], *entry.get("aliases", []))}

    def gold_names(name: str | None) -> set[str]:
        if not name:
            return set()
        return names_of(gold_sources.get(name, {"name": name}))

    def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[0] < b[1] and b[0] < a[1]

    for g in gold.get("figures", []):
        c.gold_figures += 1
        c.gold_checkworthy += bool(g["checkworthy"])
        match = next(
            (f for f in d.figures if overlaps((f.start, f.end), (g["start"], g["end"]))), None
        )
        if match is None:
            continue
        c.found += 1
        c.matched += 1
        c.found_checkworthy += bool(g["checkworthy"])
        c.value_right += (
            _same_number(match.value, g["value"])
            and _same_number(match.low, g["low"])
            and _same_number(match.high, g["high"])
        )
        c.qualifier_right += match.qualifier.replace("_", " ") == g["qualifier"]
        if not g["checkworthy"]:
            continue
        predicted = d.source(match.source_id)
        if g.get("source"):
            c.gold_attributed += 1
            c.attributed_of_gold_attributed += predicted is not None
        if predicted is None:
            continue
        c.attributed += 1
        strict = bool(names_of(predicted) & gold_names(g.get("source")))
        c.attribution_right += strict
        lenient = strict or (
            not g.get("source") and bool(names_of(predicted) & gold_names(g.get("implicit_source")))
        )
        c.attribution_right_lenient += lenient

    for f in d.figures:
        if not f.checkworthy or f.start < title_end:
            continue
        if any(overlaps((f.start, f.end), n) for n in neutral):
            continue
        c.predicted_checkworthy += 1
        c.predicted_checkworthy_right += any(
            g["checkworthy"] and overlaps((f.start, f.end), (g["start"], g["end"]))
            for g in gold.get("figures", [])
        )

    predicted_names = [names_of(s) for s in d.sources]
    for s in gold.get("sources", []):
        c.gold_sources += 1
        c.sources_found += any(names_of(s) & p for p in predicted_names)
    return ArticleScore(name=name, counts=c, scores=Scores.of(c))


def gold_pairs(paths: Iterable[str | Path]) -> list[tuple[Path, Path]]:
    """(text, gold) file pairs under the given folders (or files), sorted by name."""
    pairs: list[tuple[Path, Path]] = []
    for p in map(Path, paths):
        candidates = sorted(p.glob("*.txt")) if p.is_dir() else [p]
        for txt in candidates:
            gold = txt.with_name(txt.name[: -len(".txt")] + ".gold.json")
            if txt.suffix == ".txt" and gold.is_file():
                pairs.append((txt, gold))
    return pairs


def score_dirs(paths: Iterable[str | Path]) -> EvalReport:
    """Digest every annotated article under ``paths`` and score it (and, where the raw
    page is beside it, how well the article is extracted from the page)."""
    articles: list[ArticleScore] = []
    extraction: list[ExtractionScore] = []
    total = Counts()
    for txt, gold_path in gold_pairs(paths):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        result = digest(txt.read_text(encoding="utf-8"))
        score = score_article(result, gold, name=txt.stem)
        articles.append(score)
        total.add(score.counts)
        page = txt.with_suffix(".html")
        if page.is_file():
            extraction.append(score_extraction(page, txt))
    return EvalReport(
        articles=articles, total=total, scores=Scores.of(total), extraction=extraction
    )


class ExtractionScore(BaseModel):
    """Page → article: the body's token F1 against the reference text, and the title."""

    name: str
    body_f1: float
    title_ok: bool
    title: str | None = None
    expected_title: str = ""


def token_f1(got: str, expected: str) -> float:
    """Bag-of-words F1 between two texts (lower-cased word tokens)."""
    from collections import Counter

    a = Counter(re.findall(r"\w+", got.lower()))
    b = Counter(re.findall(r"\w+", expected.lower()))
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def score_extraction(page: Path, reference: Path) -> ExtractionScore:
    """Extract the article from a saved page (no network) and compare it with the reference
    text (line 1 the headline, then the body)."""
    from bot.errors import FetchError
    from bot.ingest.extract import extract
    from bot.ingest.fetch import decode

    title, _, body = reference.read_text(encoding="utf-8").partition("\n")
    try:
        got = extract(decode(page.read_bytes()), url=f"https://example.org/{page.stem}")
    except FetchError:
        return ExtractionScore(name=page.stem, body_f1=0.0, title_ok=False, expected_title=title)
    return ExtractionScore(
        name=page.stem,
        body_f1=token_f1(got.text, body),
        title_ok=_words(got.title or "") == _words(title),
        title=got.title,
        expected_title=title.strip(),
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


_COLUMNS = (
    ("fig rec", "figure_recall"),
    ("cw rec", "checkworthy_recall"),
    ("cw prec", "checkworthy_precision"),
    ("value", "value_accuracy"),
    ("qual", "qualifier_accuracy"),
    ("attr prec", "attribution_precision"),
    ("attr cov", "attribution_coverage"),
    ("src rec", "source_recall"),
)


def print_report(report: EvalReport) -> None:
    """The per-article table and the totals row."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="newsroom-bot eval", show_footer=False)
    table.add_column("article", no_wrap=True)
    for label, _ in _COLUMNS:
        table.add_column(label, justify="right")
    for a in report.articles:
        table.add_row(a.name[:30], *(f"{getattr(a.scores, f):.3f}" for _, f in _COLUMNS))
    table.add_row("TOTAL", *(f"{getattr(report.scores, f):.3f}" for _, f in _COLUMNS), style="bold")
    console = Console(highlight=False)
    # Piped output (CI logs, files) defaults to 80 columns, which truncates the names.
    console.width = max(console.width, 110)
    console.print(table)
    t = report.total
    print(
        f"{len(report.articles)} articles · {t.gold_figures} gold figures "
        f"({t.gold_checkworthy} check-worthy) · {t.gold_sources} gold sources · "
        f"lenient attribution precision {report.scores.attribution_precision_lenient:.3f}"
    )
    if report.extraction:
        pages = report.extraction
        mean = sum(e.body_f1 for e in pages) / len(pages)
        print(
            f"extraction from {len(pages)} raw pages: body token F1 {mean:.3f} "
            f"(lowest {min(e.body_f1 for e in pages):.3f}) · "
            f"titles right {sum(e.title_ok for e in pages)}/{len(pages)}"
        )
