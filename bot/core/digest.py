"""``digest(text) -> Digest``: the engine's one public entry point (pure, offline)."""

from __future__ import annotations

import bisect
import re
import time

from bot.core import figures as figures_mod
from bot.core import sentences as sentences_mod
from bot.core.attribution import Attribution, attribute
from bot.core.figures import FoundFigure
from bot.core.hedges import hedge_word
from bot.core.models import Article, Claim, Digest, Figure, Source, Stats
from bot.core.sentences import Sentence
from bot.core.sources import SourceEntry, outlet_name, readable_description
from bot.core.text import detect_language, normalise

# Qualifiers that name a vague magnitude rather than a number.
_VAGUE = re.compile(
    r"^(?:hundreds|dozens|scores|thousands|millions|billions|trillions|tens_of|"
    r"hundreds_of|several|vague|fraction|many)"
)
_CREDIT_LINE = re.compile(
    r"^(?:Read the original article on|This (?:article|story) (?:was )?(?:originally )?"
    r"(?:appeared|published) (?:on|in|at))\s+(?:the\s+)?(?P<outlet>[^.\n]{2,60}?)\.?\s*$",
    re.M,
)
_WIRE_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .,'-]{1,40}\s)?\((?P<outlet>Reuters|AP|AFP|CNN|Bloomberg|UPI)\)\s*[-—–]",
    re.M,
)
_BYLINE = re.compile(r"^By\s+(?P<byline>[A-Z][^\n]{2,80}?)\s*$", re.M)
_SOURCE_LINE = re.compile(r"^Sources?:\s*(?P<names>[^\n]{2,200})$", re.M)


def digest(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
) -> Digest:
    """Digest an article's text: its figures, the claims holding them and their sources.

    ``title``, ``url`` and ``outlet`` override what the text itself says (a page's metadata).
    Every span in the result indexes ``digest.article.text``, the normalised text. Never raises
    for a ``str``: text with nothing to find gives an empty digest.
    """
    began = time.perf_counter()
    text = normalise(text)
    sentences = sentences_mod.split(text)
    found = figures_mod.find(text, sentences)
    attribution = attribute(text, sentences)
    byline = _byline(text)
    own_outlet = outlet or _credited_outlet(text) or _byline_outlet(byline)
    _register_source_lines(text, attribution)

    starts = [s.start for s in sentences]
    claims: list[Claim] = []
    figures: list[Figure] = []
    figure_sentence: list[int] = []
    for n, f in enumerate(found, 1):
        # The finder says which sentence holds each figure; look it up only if it did not.
        si = f.sentence if f.sentence is not None else bisect.bisect_right(starts, f.start) - 1
        figure_sentence.append(max(0, si))
        figures.append(
            Figure(
                id=f"f{n}",
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
                not_checkworthy=f.why_not,
            )
        )

    entry_ids: dict[int, str] = {}

    def source_id(entry: SourceEntry | None) -> str | None:
        if entry is None:
            return None
        if id(entry) not in entry_ids:
            entry_ids[id(entry)] = f"s{len(entry_ids) + 1}"
        return entry_ids[id(entry)]

    by_sentence: dict[int, list[int]] = {}
    for k, si in enumerate(figure_sentence):
        by_sentence.setdefault(si, []).append(k)
    for si, s in enumerate(sentences):
        if s.title:
            body = [
                (figures[j], found[j])
                for j, fs in enumerate(figure_sentence)
                if not sentences[fs].title
            ]
            for k in by_sentence.get(si, []):
                _check_headline(figures[k], found[k], body)
            continue
        if s.furniture:
            for k in by_sentence.get(si, []):
                figures[k].checkworthy = False
                figures[k].not_checkworthy = figures[k].not_checkworthy or "page furniture"
            continue
        ks = by_sentence.get(si, [])
        entry, cue, kind = attribution.main_frame(si)
        has_checkworthy = any(figures[k].checkworthy for k in ks)
        if not has_checkworthy and entry is None:
            continue
        sentence_text = text[s.start : s.end]
        figures_hedged = any(figures[k].hedged for k in ks)
        # The finder hedges figures clause by clause; the sentence's hedge word is only
        # looked up to name it in the reasons, or to hedge a claim that has no figure.
        hedge = hedge_word(sentence_text) if figures_hedged or not ks else None
        claim = Claim(
            id=f"c{len(claims) + 1}",
            text=sentence_text,
            start=s.start,
            end=s.end,
            source_id=source_id(entry),
            cue=cue,
            attribution=kind,  # type: ignore[arg-type]
            figure_ids=[figures[k].id for k in ks],
            hedged=figures_hedged or bool(hedge),
            checkworthy=has_checkworthy or kind in ("indirect", "according_to"),
        )
        claims.append(claim)
        if entry is not None:
            entry.claim_ids.append(claim.id)
        for k in ks:
            fig = figures[k]
            fig.claim_id = claim.id
            fig_entry, fig.source_how, relay = _figure_source(attribution, si, fig)
            fig.relayed_by = source_id(relay) if fig_entry is not None else None
            if fig_entry is not None and fig_entry is not entry:
                fig_entry.claim_ids.append(claim.id)
            fig.source_id = source_id(fig_entry)
            fig.reasons = _reasons(fig, fig_entry, hedge, own_outlet) if fig.checkworthy else []

    for fig in figures:
        fig.status = "open" if fig.checkworthy else "not_needed"

    # Sources in order of first citation; those never cited for anything come last. The
    # publishing outlet is not a source of its own story unless it is cited for something.
    own = outlet_name(own_outlet or "") or own_outlet
    for e in attribution.registry.entries:
        if e.name == own and not e.claim_ids and id(e) not in entry_ids:
            continue
        source_id(e)
    by_id = {entry_ids[id(e)]: e for e in attribution.registry.entries if id(e) in entry_ids}
    sources = [
        Source(
            id=sid,
            name=e.name,
            aliases=list(e.aliases),
            kind=e.kind,  # type: ignore[arg-type]
            description=readable_description(e.description),
            claim_ids=sorted(set(e.claim_ids), key=lambda c: int(c[1:])),
        )
        for sid, e in sorted(by_id.items(), key=lambda kv: int(kv[0][1:]))
    ]

    title_text = title or _title(text, sentences)
    article = Article(
        title=title_text,
        url=url,
        outlet=own_outlet,
        byline=byline,
        published=next(
            (text[s.start : s.end] for s in sentences if s.furniture == "dateline"), None
        ),
        language=detect_language(text),
        word_count=len(text.split()),
        text=text,
    )
    result = Digest(
        article=article,
        summary=_summary(text, sentences),
        figures=figures,
        sources=sources,
        claims=claims,
    )
    result.stats = Stats(
        figures=len(figures),
        open=sum(1 for f in figures if f.status == "open"),
        sources=len(sources),
        claims=len(claims),
        elapsed_ms=round((time.perf_counter() - began) * 1000, 3),
    )
    return result


def _check_headline(fig: Figure, f: FoundFigure, body: list[tuple[Figure, FoundFigure]]) -> None:
    """A headline figure is checked against the body: one the body states is not checked
    twice; one the body rounds differently, or does not have, stays open and says so."""
    if not fig.checkworthy:
        return
    same = [(b, g) for b, g in body if b.kind == fig.kind and g.unit == f.unit]
    if fig.value is None or (same and any(b.value == fig.value for b, _ in same)):
        fig.checkworthy, fig.not_checkworthy = False, "headline: stated in the body"
        return
    near = [
        b
        for b, _ in same
        if b.value and fig.value and abs(b.value - fig.value) <= 0.1 * abs(b.value)
    ]
    if near:
        fig.reasons = [f"headline rounds the body's {near[0].text} to {fig.text}"]
    else:
        fig.reasons = ["headline figure not in the body"]


def _figure_source(
    attribution: Attribution, si: int, fig: Figure
) -> tuple[SourceEntry | None, str | None, SourceEntry | None]:
    """The figure's source, how it was found and who relayed it; Nones when no rule gives
    a source."""
    ev = attribution.evidence(si, fig.start, fig.end)
    if ev is None:
        return None, None, None
    return ev.entry, ev.how, ev.relayed_by


def _reasons(
    fig: Figure, entry: SourceEntry | None, hedge: str | None, own_outlet: str | None
) -> list[str]:
    """Why a desk should check this figure, in a reporter's words."""
    reasons: list[str] = []
    if entry is None:
        reasons.append("unattributed")
    else:
        second_hand = entry.kind == "outlet" and entry.name != (
            outlet_name(own_outlet or "") or own_outlet
        )
        if second_hand:
            reasons.append("reported by another outlet")
        elif re.search(r"\b(?:obtained|published|reported) by\b", entry.name):
            reasons.append("second-hand: seen by another outlet")
        if entry.kind == "anonymous":
            reasons.append("anonymous source")
        elif entry.kind in ("document", "data"):
            reasons.append(f"check against the {entry.kind}")
        else:
            reasons.append("single source")
    if fig.hedged:
        reasons.append(f"hedged ({hedge})" if hedge else "hedged")
    if fig.value is None and (fig.kind == "vague" or _VAGUE.match(fig.qualifier)):
        reasons.append("vague amount")
    return reasons


def _credited_outlet(text: str) -> str | None:
    """The article's own outlet from a credit line ("Read the original article on ...") or a
    wire dateline ("(Reuters) -", "WASHINGTON (AP) —")."""
    m = _CREDIT_LINE.search(text)
    if m:
        name = m.group("outlet").strip()
        return outlet_name(name) or name
    wire = _WIRE_DATELINE.search(text[:1500])
    if wire:
        return outlet_name(wire.group("outlet"))
    return None


def _register_source_lines(text: str, attribution: Attribution) -> None:
    """A graphic's "Source: CDC, Chicago Department of Public Health" line cites each party."""
    for m in _SOURCE_LINE.finditer(text):
        for name in re.split(r",\s*|;\s*|\s+and\s+", m.group("names")):
            name = name.strip(" .")
            if 2 <= len(name) <= 80 and name[:1].isupper():
                attribution.registry.add(name)


def _byline_outlet(byline: str | None) -> str | None:
    """ "Nada Tawfik, BBC News, New York" -> "BBC"."""
    for part in (byline or "").split(",")[1:]:
        name = outlet_name(part.strip())
        if name:
            return name
    return None


def _byline(text: str) -> str | None:
    m = _BYLINE.search(text[:3000])
    return m.group("byline") if m else None


def _title(text: str, sentences: list[Sentence]) -> str | None:
    for s in sentences:
        if s.title:
            return text[s.start : s.end]
    return None


def _summary(text: str, sentences: list[Sentence]) -> str:
    """The lead: the first substantial story sentence, and the next if both are short.

    Bulleted key points and quotations are skipped when a plain story sentence exists: the
    lead paragraph is what a wire editor would quote.
    """

    def bulleted(s: Sentence) -> bool:
        line_start = text.rfind("\n", 0, s.start) + 1
        return bool(re.match(r"\s*[•·▪‣◦*\-–]", text[line_start : s.start]))

    story = [s for s in sentences if not s.title and not s.furniture]
    plain = [s for s in story if text[s.start] not in "“\"‘'" and not bulleted(s)]
    for pool, min_words in ((plain, 15), (plain, 8), (story, 1)):
        lead_index = next(
            (i for i, s in enumerate(pool) if len(text[s.start : s.end].split()) >= min_words),
            None,
        )
        if lead_index is not None:
            break
    else:
        return ""
    lead = pool[lead_index]
    summary = text[lead.start : lead.end]
    if lead_index + 1 < len(pool):
        nxt = pool[lead_index + 1]
        addition = text[nxt.start : nxt.end]
        if nxt.paragraph == lead.paragraph and len(summary) + len(addition) < 300:
            summary = f"{summary} {addition}"
    return summary
