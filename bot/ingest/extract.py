"""From a fetched page to the article: body, headline, byline, date, outlet.

trafilatura does the extraction, on the HTML already fetched (never a second request).
Then our own clean-up of what it keeps or misses:

- a closing "Read the original article on Business Insider" is syndication furniture: it
  names the outlet and is dropped from the body;
- a title that is only the site's name ("WIRED", "BBC News") or the headline with the
  site's name glued on ("… | CNN Politics") is replaced by the page's ``og:title`` or its
  first ``<h1>``, or stripped of the suffix.
"""

from __future__ import annotations

import html as htmllib
import re

from pydantic import BaseModel

from bot.errors import FetchError
from bot.ingest.urls import host_of

# Fewer words than this is not an article (a paywall teaser, a page of links, a video).
MIN_WORDS = 60
_ORIGINAL = re.compile(
    r"\n+\s*(?:Read|See) the original (?:article|story|post) on ([^\n]{2,80}?)\s*\.?\s*$",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"""(?:content|value)\s*=\s*(["'])(.*?)\1""", re.I | re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_SUFFIX = re.compile(r"\s+[|\-–—:·]\s+([^|\-–—:·]{2,60})$")


class Extracted(BaseModel):
    """What a page says about its article."""

    url: str
    title: str | None = None
    text: str  # the body, paragraphs separated by blank lines
    byline: str | None = None
    published: str | None = None
    outlet: str | None = None

    def article_text(self) -> str:
        """Headline, blank line, body: the shape the engine reads (as a paste would be)."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text


def extract(page_html: str, *, url: str) -> Extracted:
    """The article in ``page_html``; raises FetchError (``no_article``) when there is none."""
    import trafilatura

    document = trafilatura.bare_extraction(
        page_html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if len(body.split()) < MIN_WORDS:
        raise FetchError(
            "no_article",
            "I found no article text on that page (a paywall, or a page of links?): "
            "paste the text instead",
        )
    site = _clean(getattr(document, "sitename", None))
    if not site or "." in site:  # a host name ("politico.com"): the page's own name is better
        site = _meta(page_html, "og:site_name") or site
    outlet = site
    original = _ORIGINAL.search(body)
    if original:
        outlet = original.group(1).strip()
        body = body[: original.start()].rstrip()
    title = _title(_clean(getattr(document, "title", None)), site, page_html, url)
    return Extracted(
        url=url,
        title=title,
        text=_paragraphs(body),
        byline=_clean(getattr(document, "author", None)),
        published=_clean(getattr(document, "date", None)),
        outlet=outlet,
    )


def _paragraphs(body: str) -> str:
    # trafilatura separates paragraphs by single newlines; the engine (and pastes) by
    # blank lines.
    lines = [line.strip() for line in body.splitlines()]
    return "\n\n".join(line for line in lines if line)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(htmllib.unescape(value).split())
    return value or None


def _looks_like_site(title: str, site: str | None, url: str) -> bool:
    """A "title" that names the site rather than the story ("WIRED", "POLITICO Logo")."""
    words = re.findall(r"\w+", title.lower())
    if not words:
        return True
    host = host_of(url).removeprefix("www.").replace("-", "")
    known = set(re.findall(r"\w+", (site or "").lower())) | {"logo", "home", "news", "homepage"}
    if len(words) <= 4 and all(w in known or w in host for w in words):
        return True
    return bool(site) and title.lower() == (site or "").lower()


def _without_site(title: str, site: str | None, url: str) -> str:
    suffix = _SUFFIX.search(title)
    if suffix and (
        (site and site.lower() in suffix.group(1).lower())
        or _looks_like_site(suffix.group(1), site, url)
    ):
        return title[: suffix.start()].strip()
    return title


def _title(title: str | None, site: str | None, page_html: str, url: str) -> str | None:
    page_title = _page_title(page_html)
    page_title = _without_site(page_title, site, url) if page_title else None
    h1 = _first_h1(page_html)
    if page_title and h1 and _same(page_title, h1):
        return h1  # the headline the page shows, confirmed by its <title>
    if title and not _looks_like_site(title, site, url):
        return _without_site(title, site, url)
    for candidate in (page_title, _og_title(page_html), h1):
        if candidate and not _looks_like_site(candidate, site, url):
            return candidate
    return title


def _same(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.lower()) == re.findall(r"\w+", b.lower())


def _page_title(page_html: str) -> str | None:
    match = _TITLE.search(page_html[:200_000])
    return _clean(match.group(1)) if match else None


def _og_title(page_html: str) -> str | None:
    return _meta(page_html, "og:title") or _meta(page_html, "twitter:title")


def _meta(page_html: str, name: str) -> str | None:
    """The value of ``<meta property|name="name" content|value="…">``."""
    pattern = re.compile(
        rf"""<meta[^>]+(?:property|name)\s*=\s*["']{re.escape(name)}["'][^>]*>""", re.I
    )
    for tag in pattern.findall(page_html[:200_000]):
        content = _CONTENT.search(tag)
        if content and _clean(content.group(2)):
            return _clean(content.group(2))
    return None


def _first_h1(page_html: str) -> str | None:
    for match in _H1.finditer(page_html):
        text = _clean(_TAGS.sub(" ", match.group(1)))
        if text:
            return text
    return None
