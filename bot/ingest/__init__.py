"""Links to articles: fetched safely, the article extracted, ready for the engine.

Public API: ``read_link(url, ...) -> Extracted`` and ``digest_link(url, ...) -> Digest``;
``canonical(url)``; ``FetchError`` (in ``bot.errors``) says plainly why a page can't be read.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.core.digest import digest
from bot.core.models import Digest
from bot.ingest.extract import Extracted, extract
from bot.ingest.fetch import Fetched, Timeouts, fetch
from bot.ingest.urls import canonical

__all__ = [
    "Extracted",
    "Fetched",
    "PageCache",
    "Timeouts",
    "canonical",
    "digest_link",
    "extract",
    "fetch",
    "read_link",
]

CACHE_TTL = timedelta(hours=1)


class PageCache(Protocol):
    """Where fetched pages are kept for a while (``bot.store.Store`` is one)."""

    def page(self, url: str, *, since: datetime) -> dict | None: ...

    def save_page(self, page: dict) -> None: ...


def read_link(
    url: str,
    *,
    allow_private: bool = False,
    cache: PageCache | None = None,
    ttl: timedelta = CACHE_TTL,
    timeouts: Timeouts | None = None,
) -> Extracted:
    """The article at ``url`` (from the cache when read within ``ttl``)."""
    key = canonical(url)
    if cache is not None:
        kept = cache.page(key, since=datetime.now(UTC) - ttl)
        if kept is not None:
            return Extracted.model_validate({**kept, "url": key})
    page = fetch(url, allow_private=allow_private, timeouts=timeouts)
    if page.content_type.startswith("text/plain"):
        lines = page.body.strip().split("\n", 1)
        title = lines[0].strip() if len(lines) > 1 and len(lines[0]) < 200 else None
        article = Extracted(url=key, title=title, text=lines[1].strip() if title else page.body)
    else:
        article = extract(page.body, url=page.final_url)
        article = article.model_copy(update={"url": key})
    if cache is not None:
        cache.save_page({**article.model_dump(), "final_url": page.final_url})
    return article


def digest_link(url: str, **options: object) -> Digest:
    """Read the article at ``url`` and digest it; the page's metadata fills ``article``."""
    article = read_link(url, **options)  # type: ignore[arg-type]
    result = digest(
        article.article_text(), title=article.title, url=article.url, outlet=article.outlet
    )
    updates = {"byline": article.byline or result.article.byline, "published": article.published}
    return result.model_copy(update={"article": result.article.model_copy(update=updates)})
