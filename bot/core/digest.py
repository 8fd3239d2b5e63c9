"""``digest(text) -> Digest``: the engine's one public entry point (pure, offline)."""

from __future__ import annotations

import time

from bot.core import figures as figures_mod
from bot.core import sentences as sentences_mod
from bot.core.models import Article, Digest, Figure, Stats


def digest(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
) -> Digest:
    """Digest an article's text: its figures, the claims holding them and their sources.

    ``title``, ``url`` and ``outlet`` override what the text itself says (a page's metadata).
    Every span in the result indexes ``digest.article.text``.
    """
    began = time.perf_counter()
    sentences = sentences_mod.split(text)
    found = figures_mod.find(text, sentences)
    figures = [
        Figure(
            id=f"f{i}",
            text=text[f.start : f.end],
            start=f.start,
            end=f.end,
            kind=f.kind,  # type: ignore[arg-type]
            value=f.value,
            low=f.low,
            high=f.high,
            qualifier=f.qualifier,
            subject=f.subject,
            hedged=f.hedged,
            checkworthy=f.checkworthy,
        )
        for i, f in enumerate(found, 1)
    ]
    article = Article(title=title, url=url, outlet=outlet, word_count=len(text.split()), text=text)
    result = Digest(article=article, figures=figures)
    result.stats = Stats(
        figures=len(figures),
        open=sum(1 for f in figures if f.checkworthy and f.status == "open"),
        sources=0,
        claims=0,
        elapsed_ms=round((time.perf_counter() - began) * 1000, 3),
    )
    return result
