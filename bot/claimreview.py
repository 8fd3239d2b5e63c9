"""The desk's verified and disputed figures as schema.org ``ClaimReview`` JSON-LD.

ClaimReview is the format fact-checkers publish and search engines read
(https://schema.org/ClaimReview): what claim was reviewed, where it appeared (the article's
URL, headline and outlet) and who made it, the verdict (``reviewRating``: verified 5 of 5,
disputed 1 of 5, with the desk's words as ``alternateName``), who reviewed it (the desk) and
when. ``newsroom-bot ledger --claimreview`` prints them; this module is pure.
"""

from __future__ import annotations

from typing import Any

from bot.core.models import Digest
from bot.store import FigureRecord

CONTEXT = "https://schema.org"
RATINGS = {"verified": (5, "Verified"), "disputed": (1, "Disputed")}
_PEOPLE = {"person", "official"}


def claim_review(figure: FigureRecord, digest: Digest, *, desk: str) -> dict[str, Any] | None:
    """One figure's ClaimReview, or None when it is neither verified nor disputed."""
    if figure.status not in RATINGS:
        return None
    value, verdict = RATINGS[figure.status]
    if figure.status == "disputed" and figure.correction:
        verdict = f"Disputed: should be {figure.correction}"
    article = digest.article
    found = next((f for f in digest.figures if f.id == figure.figure_id), None)
    source = digest.source(found.source_id) if found is not None else None
    appearance: dict[str, Any] = {"@type": "NewsArticle"}
    if article.url:
        appearance["url"] = article.url
    if article.title:
        appearance["headline"] = article.title
    if article.outlet:
        appearance["publisher"] = {"@type": "Organization", "name": article.outlet}
    if article.published:
        appearance["datePublished"] = article.published
    claim: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if source is not None:
        kind = "Person" if source.kind in _PEOPLE else "Organization"
        claim["author"] = {"@type": kind, "name": source.name}
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "identifier": figure.key,
        "claimReviewed": figure.claim_text or figure.text,
        "itemReviewed": claim,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": verdict,
        },
        "author": {"@type": "Organization", "name": desk},
        "datePublished": (figure.updated_at or figure.created_at)[:10],
    }
    if figure.note:
        review["reviewBody"] = figure.note
    if figure.evidence_url:
        review["citation"] = figure.evidence_url
    return review


def claim_reviews(
    figures: list[FigureRecord], digests: dict[str, Digest], *, desk: str
) -> list[dict[str, Any]]:
    """The ClaimReviews of every verified or disputed figure among ``figures``."""
    out = []
    for f in figures:
        digest = digests.get(f.digest_id)
        review = claim_review(f, digest, desk=desk) if digest is not None else None
        if review is not None:
            out.append(review)
    return out
