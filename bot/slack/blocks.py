"""Block Kit rendering: a digest, notices, usage and the App Home, as Slack messages.

The one module that knows Block Kit. A digest becomes one or more messages:

- the first opens with the headline, the outlet line, the summary and the count line
  (``7 figures · 7 open · 12 sources``, counting the figures worth checking);
- then the check-worthy figures claim by claim: the claim quoted from the article with
  each figure in bold (placed by its character offsets, so the bold is always the
  verbatim span), and under it the source or *unattributed* and why it is open;
- then the sources with who they are.

Slack refuses a message with more than 50 blocks, a section over 3,000 characters or a
payload much over 12,000 characters. A long digest is therefore split: the most
important claims (the most reasons to check, then article order) go in the first
message and the rest in continuation messages posted in the same thread, each shown in
article order. Nothing is dropped: a claim too long for a section is clipped around its
figures, never removed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from pydantic import BaseModel, Field

from bot.core.models import Claim, Digest, Figure, Source

# Slack's limits (https://api.slack.com/reference/block-kit/blocks), with headroom.
MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
# Slack counts the serialised blocks; stay under its ~12k with room for the rest.
MAX_MESSAGE_CHARS = 11_000
# A summary is a line or two; a run-on first sentence is cut there.
MAX_SUMMARY = 500
# The notification/fallback text of a message.
MAX_FALLBACK = 300

SHARE_ACTION = "share_digest"
STATUS_EMOJI = {
    "open": ":large_yellow_circle:",
    "verified": ":white_check_mark:",
    "disputed": ":x:",
    "not_needed": ":heavy_minus_sign:",
}
_SOURCE_KIND = {
    "outlet": "outlet",
    "person": "person",
    "organization": "organisation",
    "government": "government",
    "document": "document",
    "official": "official",
    "anonymous": "anonymous",
    "data": "data",
}
# How much of a long claim to keep either side of its figures.
_CLAIM_WINDOW = 600

Block = dict


class SlackMessage(BaseModel):
    """One chat message: fallback ``text`` (notifications, screen readers) and its blocks."""

    text: str
    blocks: list[Block] = Field(default_factory=list)


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, never inside an ``&…;`` escape."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    cut = re.sub(r"&[a-z]{0,4}$", "", cut)
    return cut.rstrip() + "…"


def section(text: str, **extra: object) -> Block:
    """A mrkdwn section, clipped to Slack's limit."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}, **extra}


def context(*parts: str) -> Block:
    """A context block (small grey text) of up to ten mrkdwn parts."""
    elements = [
        {"type": "mrkdwn", "text": clip(p, 2000)} for p in parts[:MAX_CONTEXT_ELEMENTS] if p
    ]
    return {"type": "context", "elements": elements}


def header(text: str) -> Block:
    """A header block (plain text, at most 150 characters)."""
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": clip(text, MAX_HEADER), "emoji": True},
    }


def notice_message(text: str, emoji: str = ":information_source:") -> SlackMessage:
    """A one-line answer (a refusal, a pointer, an error said plainly). ``text`` is mrkdwn."""
    return SlackMessage(text=clip(text, MAX_FALLBACK), blocks=[section(f"{emoji} {text}")])


def _usage_lines() -> list[str]:
    return [
        "*Paste an article* (its full text) in a channel I'm in: I reply in its thread "
        "with the figures it cites, who each is attributed to, and what still needs checking.",
        "*`/digest <article text>`* shows the digest only to you, with a *Share in channel* "
        "button. `/digest help` shows this.",
        "*Digest this message* (the message's ⋯ menu → shortcut) digests any message into "
        "its thread.",
        "*Mention me* in a thread to digest the thread's first message.",
    ]


def usage_message() -> SlackMessage:
    """How to use the bot, for ``/digest``, ``/digest help`` and a bare mention."""
    blocks = [
        section(":newspaper: *Newsroom Digest* lists an article's figures and their sources."),
        *(section(line) for line in _usage_lines()),
    ]
    return SlackMessage(
        text="Paste an article, or use /digest <article text>, to get its digest.",
        blocks=blocks,
    )


def home_view() -> dict:
    """The App Home tab: what the bot does and how to call it."""
    return {
        "type": "home",
        "blocks": [
            header("Newsroom Digest"),
            section(
                "I read the articles you paste and list every figure they cite, who each "
                "is attributed to, and which still need checking."
            ),
            {"type": "divider"},
            *(section(line) for line in _usage_lines()),
        ],
    }


# -- the digest ----------------------------------------------------------------------


def _figures_in(claim_text: str, base: int, figures: list[Figure]) -> str:
    """Escaped mrkdwn of ``claim_text`` (starting at article offset ``base``), figures bold."""
    out: list[str] = []
    at = 0
    for f in sorted(figures, key=lambda f: f.start):
        start, end = f.start - base, f.end - base
        if start < at or start < 0 or end > len(claim_text):
            continue  # overlapping or outside this quote: leave as plain text
        out.append(escape(claim_text[at:start]))
        out.append(f"*{escape(claim_text[start:end])}*")
        at = end
    out.append(escape(claim_text[at:]))
    return "".join(out)


def _quote(text: str, start: int, end: int, figures: list[Figure]) -> str:
    """The article span [start, end) with its figures in bold, clipped around them if long."""
    lo, hi = start, end
    if hi - lo > 2 * _CLAIM_WINDOW:
        first = min(f.start for f in figures)
        last = max(f.end for f in figures)
        lo = max(start, first - _CLAIM_WINDOW // 2)
        hi = min(end, max(last, lo) + _CLAIM_WINDOW)
    body = _figures_in(" ".join(text[lo:hi].split(" ")), lo, figures)
    body = body.replace("\n", " ")
    return ("…" if lo > start else "") + body + ("…" if hi < end else "")


def _sentence_around(text: str, figure: Figure) -> tuple[int, int]:
    """A quotable span around a figure that belongs to no claim: its sentence, roughly."""
    lo = max(text.rfind(mark, 0, figure.start) for mark in (". ", "\n", "? ", "! "))
    lo = 0 if lo < 0 else lo + 1
    ends = [i for i in (text.find(mark, figure.end) for mark in (". ", "\n")) if i >= 0]
    hi = min(ends) + 1 if ends else len(text)
    while lo < figure.start and text[lo].isspace():
        lo += 1
    return lo, max(hi, figure.end)


def _source_words(source: Source | None) -> str:
    if source is None:
        return "_unattributed_"
    who = ", ".join(
        x for x in (_SOURCE_KIND.get(source.kind, source.kind), source.description) if x
    )
    return f"Source: *{escape(source.name)}*" + (f" ({escape(who)})" if who else "")


def _figure_line(figure: Figure, *, several: bool) -> str:
    """``Open: single source, hedged`` (led by the figure when a claim has several)."""
    reasons = [r for r in figure.reasons if r != "unattributed"]
    if figure.hedged and not any(r.startswith("hedged") for r in reasons):
        reasons.append("hedged")
    status = figure.status.replace("_", " ").capitalize()
    if several:
        status = f"{STATUS_EMOJI.get(figure.status, '')} *{escape(figure.text)}* {status.lower()}"
    return status + (": " + escape(", ".join(reasons)) if reasons else "")


class _Unit(BaseModel):
    """A claim and its figures, rendered; the unit a split never breaks."""

    blocks: list[Block]
    order: int
    weight: int
    size: int


def _claim_units(digest: Digest) -> list[_Unit]:
    text = digest.article.text
    groups: dict[str, tuple[Claim | None, list[Figure]]] = {}
    for f in digest.figures:
        if not f.checkworthy:
            continue
        claim = digest.claim(f.claim_id)
        key = claim.id if claim else f"figure:{f.id}"
        groups.setdefault(key, (claim, []))[1].append(f)
    units: list[_Unit] = []
    for key, (claim, figures) in groups.items():
        if claim is not None and claim.start <= min(f.start for f in figures):
            start, end = claim.start, max(claim.end, max(f.end for f in figures))
            source = digest.source(claim.source_id) or digest.source(figures[0].source_id)
        else:
            start, end = _sentence_around(text, figures[0])
            end = max(end, max(f.end for f in figures))
            source = digest.source(figures[0].source_id)
        marks = "".join(STATUS_EMOJI.get(f.status, "") for f in figures[:1])
        quote = _quote(text, start, end, figures)
        several = len(figures) > 1
        lines = [_source_words(source)]
        lines += [_figure_line(f, several=several) for f in figures]
        blocks = [
            section(f"{marks} {quote}", block_id=f"claim:{key}"[:255]),
            context(*lines),
        ]
        units.append(
            _Unit(
                blocks=blocks,
                order=start,
                weight=max(len(f.reasons) for f in figures),
                size=len(json.dumps(blocks)),
            )
        )
    return units


def _source_units(digest: Digest) -> list[_Unit]:
    lines = []
    for s in digest.sources:
        who = ", ".join(x for x in (_SOURCE_KIND.get(s.kind, s.kind), s.description) if x)
        n = len(s.claim_ids)
        carries = f" · {n} claim{'s' if n != 1 else ''}" if n else ""
        lines.append(f"• *{escape(s.name)}* — {escape(who)}{carries}")
    if not lines:
        return []
    chunks: list[list[str]] = [[]]
    for line in lines:
        if sum(len(x) + 1 for x in chunks[-1]) + len(line) > MAX_SECTION - 100:
            chunks.append([])
        chunks[-1].append(line)
    units = []
    for i, chunk in enumerate(chunks):
        title = "*Sources*" if i == 0 else "*Sources (continued)*"
        blocks = [section(title + "\n" + "\n".join(chunk))]
        units.append(_Unit(blocks=blocks, order=10**9 + i, weight=0, size=len(json.dumps(blocks))))
    return units


def count_line(digest: Digest) -> str:
    """``7 figures · 7 open · 12 sources``: the figures worth checking, and the sources."""
    worth = [f for f in digest.figures if f.checkworthy]
    still_open = sum(1 for f in worth if f.status == "open")
    n_sources = len(digest.sources)
    line = (
        f"{len(worth)} figure{'s' if len(worth) != 1 else ''} · {still_open} open · "
        f"{n_sources} source{'s' if n_sources != 1 else ''}"
    )
    return line


def _head(digest: Digest, *, shared_by: str | None) -> list[Block]:
    a = digest.article
    blocks: list[Block] = [header(a.title or "Article digest")]
    meta = [escape(x) for x in (a.outlet, a.byline, a.published) if x]
    if a.url:
        meta.append(f"<{a.url}|{escape(clip(a.url, 80))}>")
    if shared_by:
        meta.append(f"Shared by <@{shared_by}>")
    if meta:
        blocks.append(context(" · ".join(meta)))
    if digest.summary:
        blocks.append(section(escape(clip(digest.summary, MAX_SUMMARY))))
    flagged = sum(1 for f in digest.figures if f.checkworthy)
    others = len(digest.figures) - flagged
    counts = f"*{count_line(digest)}*"
    if others:
        plural = "s" if others != 1 else ""
        counts += f"\n_{others} more number{plural} not flagged (dates, captions, incidental)_"
    if not digest.figures:
        counts = "*No figures found* in this text."
    blocks.append(section(counts))
    return blocks


def _share(share_key: str) -> Block:
    return {
        "type": "actions",
        "block_id": "share",
        "elements": [
            {
                "type": "button",
                "action_id": SHARE_ACTION,
                "text": {"type": "plain_text", "text": "Share in channel", "emoji": True},
                "style": "primary",
                "value": share_key,
            }
        ],
    }


def _size(blocks: Iterable[Block]) -> int:
    return len(json.dumps(list(blocks)))


def _flat(units: list[_Unit]) -> list[Block]:
    return [b for u in units for b in u.blocks]


def _continued(title: str, n: int, total: int) -> Block:
    return context(f"Digest continued ({n}/{total}) · {escape(clip(title, 120))}")


def _more(remaining: int) -> Block:
    return context(f"Continued in {remaining} more message{'s' if remaining != 1 else ''} below.")


def _pack(head: list[Block], reserve: list[Block], units: list[_Unit]) -> list[list[_Unit]]:
    """Units into pages in the order given, each page within Slack's limits."""
    # What every page carries besides its units (sized with the longest wording).
    first_fixed = [*head, *reserve, _more(99)]
    other_fixed = [_continued("x" * 120, 99, 99)]
    pages: list[list[_Unit]] = [[]]
    for unit in units:
        fixed = first_fixed if len(pages) == 1 else other_fixed
        blocks = fixed + _flat(pages[-1])
        fits = (
            len(blocks) + len(unit.blocks) <= MAX_BLOCKS
            and _size(blocks) + unit.size + 2 <= MAX_MESSAGE_CHARS
        )
        if pages[-1] and not fits:
            pages.append([])
        pages[-1].append(unit)
    return pages


def digest_messages(
    digest: Digest,
    *,
    share_key: str | None = None,
    shared_by: str | None = None,
) -> list[SlackMessage]:
    """The digest as Slack messages: the first opens the thread, the rest continue it.

    ``share_key`` adds a *Share in channel* button (for the caller's private copy);
    ``shared_by`` credits the person who shared it.
    """
    title = digest.article.title or "Article digest"
    head = _head(digest, shared_by=shared_by)
    reserve = [_share(share_key)] if share_key else []
    # Importance first (most reasons to check), sources last; each page in article order.
    claims = sorted(_claim_units(digest), key=lambda u: (-u.weight, u.order))
    pages = _pack(head, reserve, claims + _source_units(digest))
    total = len(pages)
    messages: list[SlackMessage] = []
    for i, page in enumerate(pages):
        body = _flat(sorted(page, key=lambda u: u.order))
        if i == 0:
            blocks = head + body + reserve + ([_more(total - 1)] if total > 1 else [])
            text = f"Digest: {title} — {count_line(digest)}"
        else:
            blocks = [_continued(title, i + 1, total), *body]
            text = f"Digest continued ({i + 1}/{total}): {title}"
        messages.append(SlackMessage(text=clip(text, MAX_FALLBACK), blocks=blocks))
    return messages
