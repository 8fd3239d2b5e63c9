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
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from bot.core.models import Claim, Digest, Figure, Source
from bot.store import FigureRecord, parse_stamp

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
FIGURE_ACTION = "figure_action"
STATUS_EMOJI = {
    "open": ":large_yellow_circle:",
    "verified": ":white_check_mark:",
    "disputed": ":x:",
    "not_needed": ":heavy_minus_sign:",
}
SNOOZED_EMOJI = ":zzz:"
# The status menu's choices; the value sent back is "<choice>|<figure key>".
CHOICES = {
    "verified": "Verified…",
    "disputed": "Disputed…",
    "snooze_1h": "Snooze 1 hour",
    "snooze_1d": "Snooze 1 day",
    "snooze_1w": "Snooze 1 week",
    "not_needed": "Not needed",
    "reopened": "Reopen",
}
# Short codes in option values: a menu per claim, on up to 25 claims, adds up.
_CODES = {
    "verified": "v",
    "disputed": "d",
    "snooze_1h": "s1h",
    "snooze_1d": "s1d",
    "snooze_1w": "s1w",
    "not_needed": "n",
    "reopened": "r",
}
_CHOICE_OF = {code: choice for choice, code in _CODES.items()}
SNOOZES = {
    "snooze_1h": timedelta(hours=1),
    "snooze_1d": timedelta(days=1),
    "snooze_1w": timedelta(weeks=1),
}
# A note shown under a figure is cut here (the full note is in the ledger).
MAX_NOTE = 140
# Room kept per figure for the state a person may give it later (who, note, evidence).
STATE_HEADROOM = 150
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


class LedgerView(BaseModel):
    """The ledger's side of a posted digest: each figure's state, and whether to show controls."""

    digest_id: str
    states: dict[str, FigureRecord] = Field(default_factory=dict)  # by figure id
    timezone: str = "UTC"
    controls: bool = True
    # Leave out notes and evidence links (a page that would exceed Slack's size limit).
    compact: bool = False

    def state(self, figure: Figure) -> FigureRecord | None:
        return self.states.get(figure.id)


def when(value: str | datetime | None, timezone: str = "UTC") -> str:
    """A moment as a newsroom reads it: ``Tue 1 Dec, 14:05 GMT``."""
    moment = parse_stamp(value) if isinstance(value, str | type(None)) else value
    if moment is None:
        return "?"
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} {local.tzname()}"


def _evidence(state: FigureRecord) -> str:
    parts = []
    if state.note:
        parts.append(escape(clip(state.note, MAX_NOTE)))
    if state.evidence_url:
        parts.append(f"<{state.evidence_url}|evidence>")
    return (" — " + " · ".join(parts)) if parts else ""


def status_emoji(figure: Figure, state: FigureRecord | None) -> str:
    if state is not None and state.snoozed():
        return SNOOZED_EMOJI
    status = state.status if state is not None else figure.status
    return STATUS_EMOJI.get(status, "")


def _figure_line(
    figure: Figure,
    state: FigureRecord | None,
    *,
    several: bool,
    timezone: str,
    compact: bool = False,
) -> str:
    """``Open: single source, hedged``, or who closed it and how (led by the figure when a
    claim has several)."""
    by = f" by <@{state.updated_by}>" if state is not None and state.updated_by else ""
    if compact and state is not None:
        state = state.model_copy(update={"note": None, "evidence_url": None})
    if state is not None and state.snoozed():
        line = f"Snoozed until {when(state.snoozed_until, timezone)}{by}"
    elif state is not None and state.status == "verified":
        line = f"Verified{by}{_evidence(state)}"
    elif state is not None and state.status == "disputed":
        fix = f": should be *{escape(clip(state.correction, 80))}*" if state.correction else ""
        line = f"Disputed{by}{fix}{_evidence(state)}"
    elif (state.status if state is not None else figure.status) == "not_needed":
        line = f"Not needed{by}{_evidence(state) if state is not None else ''}"
    else:
        reasons = [r for r in figure.reasons if r != "unattributed"]
        if figure.hedged and not any(r.startswith("hedged") for r in reasons):
            reasons.append("hedged")
        line = "Open" + (": " + escape(", ".join(reasons)) if reasons else "")
    if several:
        line = f"{status_emoji(figure, state)} *{escape(figure.text)}* {line[0].lower()}{line[1:]}"
    return line


def _options(figure: Figure, state: FigureRecord | None, key: str) -> list[dict]:
    status = state.status if state is not None else figure.status
    if status == "open":
        wanted = ["verified", "disputed", "snooze_1h", "snooze_1d", "snooze_1w", "not_needed"]
        if state is not None and state.snoozed():
            wanted = ["verified", "disputed", "reopened", "not_needed"]
    else:
        wanted = ["reopened"]
    return [
        {"text": {"type": "plain_text", "text": CHOICES[w]}, "value": f"{_CODES[w]}|{key}"}
        for w in wanted
    ]


def read_choice(value: str) -> tuple[str, str]:
    """(choice, figure key) from a status menu option's value."""
    code, _, key = value.partition("|")
    return _CHOICE_OF.get(code, code), key


def _controls(figures: list[Figure], ledger: LedgerView, *, as_open: bool) -> dict:
    """The status menu of a claim: one group of choices per figure when it has several."""

    def state(f: Figure) -> FigureRecord | None:
        return None if as_open else ledger.state(f)

    element: dict = {
        "type": "static_select",
        "action_id": FIGURE_ACTION,
        "placeholder": {"type": "plain_text", "text": "Mark as…", "emoji": True},
    }
    keys = {f.id: f"{ledger.digest_id}:{f.id}" for f in figures}
    if len(figures) == 1:
        element["options"] = _options(figures[0], state(figures[0]), keys[figures[0].id])
    else:
        element["option_groups"] = [
            {
                "label": {"type": "plain_text", "text": clip(f.text, 75)},
                "options": _options(f, state(f), keys[f.id]),
            }
            for f in figures
        ]
    return element


class _Unit(BaseModel):
    """A claim and its figures, rendered; the unit a split never breaks."""

    key: str = ""
    figure_ids: list[str] = Field(default_factory=list)
    blocks: list[Block]
    order: int
    weight: int
    size: int


def _claim_groups(digest: Digest) -> list[tuple[str, Claim | None, list[Figure]]]:
    groups: dict[str, tuple[Claim | None, list[Figure]]] = {}
    for f in digest.figures:
        if not f.checkworthy:
            continue
        claim = digest.claim(f.claim_id)
        key = claim.id if claim else f"figure:{f.id}"
        groups.setdefault(key, (claim, []))[1].append(f)
    return [(key, claim, figures) for key, (claim, figures) in groups.items()]


def _claim_blocks(
    digest: Digest,
    key: str,
    claim: Claim | None,
    figures: list[Figure],
    ledger: LedgerView | None,
    *,
    as_open: bool = False,
) -> tuple[list[Block], int]:
    text = digest.article.text
    if claim is not None and claim.start <= min(f.start for f in figures):
        start, end = claim.start, max(claim.end, max(f.end for f in figures))
        source = digest.source(claim.source_id) or digest.source(figures[0].source_id)
    else:
        start, end = _sentence_around(text, figures[0])
        end = max(end, max(f.end for f in figures))
        source = digest.source(figures[0].source_id)

    def state(f: Figure) -> FigureRecord | None:
        return None if (ledger is None or as_open) else ledger.state(f)

    timezone = ledger.timezone if ledger is not None else "UTC"
    lead = status_emoji(figures[0], state(figures[0]))
    several = len(figures) > 1
    lines = [_source_words(source)]
    compact = ledger is not None and ledger.compact
    lines += [
        _figure_line(f, state(f), several=several, timezone=timezone, compact=compact)
        for f in figures
    ]
    claim_block = section(
        f"{lead} {_quote(text, start, end, figures)}", block_id=f"claim:{key}"[:255]
    )
    if ledger is not None and ledger.controls:
        claim_block["accessory"] = _controls(figures, ledger, as_open=as_open)
    return [claim_block, context(*lines)], start


def _claim_units(
    digest: Digest, ledger: LedgerView | None = None, *, base: Digest | None = None
) -> list[_Unit]:
    """The claim units of ``digest`` (statuses as the ledger has them); sized from ``base``,
    the digest as first made, so the split never depends on the statuses."""
    base = base or digest
    as_made = {f.id: f for f in base.figures}
    units: list[_Unit] = []
    for key, claim, figures in _claim_groups(digest):
        blocks, start = _claim_blocks(digest, key, claim, figures, ledger)
        # Sized as when every figure is open, plus room for who closed it and their note,
        # so a digest splits the same way when it is edited later as when first posted.
        first = [as_made.get(f.id, f) for f in figures]
        sizing, _ = _claim_blocks(base, key, claim, first, ledger, as_open=True)
        units.append(
            _Unit(
                key=key,
                figure_ids=[f.id for f in figures],
                blocks=blocks,
                order=start,
                weight=max(len(f.reasons) for f in figures),
                size=_size(sizing) + STATE_HEADROOM * len(figures),
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
        units.append(_Unit(blocks=blocks, order=10**9 + i, weight=0, size=_size(blocks)))
    return units


def with_states(digest: Digest, ledger: LedgerView) -> Digest:
    """The digest with each figure's status as the ledger has it now."""
    figures = [
        f.model_copy(update={"status": ledger.states[f.id].status}) if f.id in ledger.states else f
        for f in digest.figures
    ]
    return digest.model_copy(update={"figures": figures})


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
    # Characters, as Slack counts them (not the \\u escapes of an ASCII-only dump).
    return len(json.dumps(list(blocks), ensure_ascii=False))


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
        count = len(fixed) + sum(len(u.blocks) for u in pages[-1])
        # Units count by their sizing (not their current text), so the split is the same
        # whatever the figures' statuses are when the digest is drawn.
        used = _size(fixed) + sum(u.size + 2 for u in pages[-1])
        fits = count + len(unit.blocks) <= MAX_BLOCKS and used + unit.size + 2 <= MAX_MESSAGE_CHARS
        if pages[-1] and not fits:
            pages.append([])
        pages[-1].append(unit)
    return pages


def digest_messages(
    digest: Digest,
    *,
    share_key: str | None = None,
    shared_by: str | None = None,
    ledger: LedgerView | None = None,
) -> list[SlackMessage]:
    """The digest as Slack messages: the first opens the thread, the rest continue it.

    ``share_key`` adds a *Share in channel* button (for the caller's private copy);
    ``shared_by`` credits the person who shared it; ``ledger`` shows each figure's current
    state and a status menu per claim (for the digest posted in the channel).
    """
    base = digest
    if ledger is not None:
        digest = with_states(digest, ledger)
    title = digest.article.title or "Article digest"
    head = _head(digest, shared_by=shared_by)
    reserve = [_share(share_key)] if share_key else []
    # Importance first (most reasons to check), sources last; each page in article order.
    claims = sorted(_claim_units(digest, ledger, base=base), key=lambda u: (-u.weight, u.order))
    pages = _pack(_head(base, shared_by=shared_by), reserve, claims + _source_units(digest))
    total = len(pages)
    compact: dict[str, _Unit] | None = None
    messages: list[SlackMessage] = []
    for i, page in enumerate(pages):
        fixed = head + reserve + [_more(total - 1)] if i == 0 else [_continued(title, i + 1, total)]
        if ledger is not None and _size(fixed + _flat(page)) > MAX_MESSAGE_CHARS:
            # Long notes on this page: show statuses without them (the thread has them).
            if compact is None:
                lean = ledger.model_copy(update={"compact": True})
                compact = {u.key: u for u in _claim_units(digest, lean, base=base)}
            page = [compact.get(u.key, u) if u.key else u for u in page]
        body = _flat(sorted(page, key=lambda u: u.order))
        if i == 0:
            blocks = head + body + reserve + ([_more(total - 1)] if total > 1 else [])
            text = f"Digest: {title} — {count_line(digest)}"
        else:
            blocks = [_continued(title, i + 1, total), *body]
            text = f"Digest continued ({i + 1}/{total}): {title}"
        messages.append(SlackMessage(text=clip(text, MAX_FALLBACK), blocks=blocks))
    return messages


# -- follow-up: nudges, roundups, pending, search, App Home -------------------------------

MAX_LISTED_DIGESTS = 30
MAX_HOME_FIGURES = 15


def nudge_message(
    digest: Digest,
    ledger: LedgerView,
    *,
    claim_keys: list[str],
    user_id: str | None,
    number: int,
    total: int,
    next_at: datetime | None,
) -> SlackMessage:
    """A nudge in the article's thread: the claims still open, with their status menus."""
    digest = with_states(digest, ledger)
    wanted = set(claim_keys)
    units = [u for u in _claim_units(digest, ledger) if u.key in wanted]
    shown = {figure_id for u in units for figure_id in u.figure_ids}
    still_open = sum(1 for f in digest.figures if f.id in shown and f.status == "open")
    who = f"<@{user_id}> " if user_id else ""
    if still_open:
        lead = (
            f":bell: {who}{still_open} figure{'s' if still_open != 1 else ''} in this article "
            f"{'is' if still_open == 1 else 'are'} still open. Mark each as verified, disputed "
            "or not needed, or snooze it."
        )
    else:
        lead = ":tada: Everything from this nudge is settled. Thank you!"
    note = f"Nudge {number} of {total}"
    if next_at is not None and still_open:
        note += f" · next {when(next_at, ledger.timezone)}"
    elif still_open:
        note += " · the last one; the daily roundup keeps listing open figures"
    blocks: list[Block] = [section(lead, block_id=f"nudge:{number}:{total}"), context(note)]
    shown: list[_Unit] = []
    for unit in sorted(units, key=lambda u: u.order):
        if len(blocks) + len(unit.blocks) + 1 > MAX_BLOCKS or (
            _size(blocks) + unit.size > MAX_MESSAGE_CHARS - 300
        ):
            break
        shown.append(unit)
        blocks += unit.blocks
    if len(shown) < len(units):
        blocks.append(context(f"…and {len(units) - len(shown)} more in the digest above."))
    text = f"{still_open} figure(s) still open in {digest.article.title or 'this article'}"
    return SlackMessage(text=clip(text, MAX_FALLBACK), blocks=blocks)


def claim_keys_of(blocks: list[Block]) -> list[str]:
    """The claim keys shown in a message's blocks (to redraw a nudge after a change)."""
    return [
        str(b["block_id"])[len("claim:") :]
        for b in blocks
        if isinstance(b, dict) and str(b.get("block_id", "")).startswith("claim:")
    ]


def nudge_numbers(blocks: list[Block]) -> tuple[int, int]:
    for b in blocks:
        block_id = str(b.get("block_id", "")) if isinstance(b, dict) else ""
        if block_id.startswith("nudge:"):
            _, number, total = block_id.split(":")
            return int(number), int(total)
    return 1, 1


def _link(title: str | None, permalink: str | None) -> str:
    name = escape(clip(title or "Untitled article", 120))
    return f"<{permalink}|{name}>" if permalink else f"*{name}*"


def open_figures_message(
    figures: list[FigureRecord],
    *,
    heading: str,
    empty: str,
    permalinks: dict[str, str],
    timezone: str = "UTC",
) -> SlackMessage:
    """Open figures grouped by article, oldest first, each article linked to its thread."""
    if not figures:
        return notice_message(empty, ":white_check_mark:")
    by_digest: dict[str, list[FigureRecord]] = {}
    for f in figures:
        by_digest.setdefault(f.digest_id, []).append(f)
    n_articles = len(by_digest)
    blocks: list[Block] = [
        header(heading),
        context(
            f"{len(figures)} open figure{'s' if len(figures) != 1 else ''} in {n_articles} "
            f"article{'s' if n_articles != 1 else ''}, oldest first"
        ),
    ]
    listed = 0
    for digest_id, group in by_digest.items():
        if listed >= MAX_LISTED_DIGESTS or _size(blocks) > MAX_MESSAGE_CHARS - 3500:
            break
        first = group[0]
        since = when(first.digest_created_at, timezone)
        by = f" · brought by <@{first.user_id}>" if first.user_id else ""
        lines = [f"{_link(first.title, permalinks.get(digest_id))} · {since}{by}"]
        for f in group:
            source = f" — {escape(f.source_name)}" if f.source_name else " — _unattributed_"
            snooze = (
                f" ({SNOOZED_EMOJI} until {when(f.snoozed_until, timezone)})" if f.snoozed() else ""
            )
            lines.append(f"• *{escape(f.text)}*{source}{snooze}")
        blocks.append(section("\n".join(lines)))
        listed += 1
    if listed < n_articles:
        blocks.append(context(f"…and {n_articles - listed} more articles with open figures."))
    return SlackMessage(
        text=clip(f"{heading}: {len(figures)} open figures", MAX_FALLBACK), blocks=blocks
    )


def search_message(
    words: str, results: list, *, permalinks: dict[str, str], timezone: str = "UTC"
) -> SlackMessage:
    """Past digests matching a search, newest best first."""
    if not results:
        return notice_message(f"No digests match “{escape(words)}”.", ":mag:")
    lines = [
        f"• {_link(r.title, permalinks.get(r.id))} · {when(r.created_at, timezone)} · "
        f"{r.open} of {r.total} open"
        for r in results
    ]
    blocks = [
        section(f":mag: *Digests matching “{escape(clip(words, 100))}”*"),
        section("\n".join(lines)),
    ]
    return SlackMessage(text=f"{len(results)} digests match {clip(words, 100)}", blocks=blocks)


def home_view(
    *,
    user_id: str | None = None,
    counts: dict[str, int] | None = None,
    mine_open: list[FigureRecord] | None = None,
    recent: list | None = None,
    permalinks: dict[str, str] | None = None,
    timezone: str = "UTC",
) -> dict:
    """The App Home tab: my open figures, recent digests in my channels, counts, usage."""
    permalinks = permalinks or {}
    blocks: list[Block] = [header("Newsroom Digest")]
    if counts is not None:
        blocks.append(
            section(
                f"*Figures you brought in:* {STATUS_EMOJI['open']} {counts.get('open', 0)} open · "
                f"{STATUS_EMOJI['verified']} {counts.get('verified', 0)} verified · "
                f"{STATUS_EMOJI['disputed']} {counts.get('disputed', 0)} disputed · "
                f"{STATUS_EMOJI['not_needed']} {counts.get('not_needed', 0)} not needed"
            )
        )
    if mine_open is not None:
        blocks.append(section("*Your open figures*"))
        if not mine_open:
            blocks.append(context("Nothing open: every figure you brought in is settled."))
        for f in mine_open[:MAX_HOME_FIGURES]:
            source = escape(f.source_name) if f.source_name else "_unattributed_"
            snooze = (
                f" · {SNOOZED_EMOJI} until {when(f.snoozed_until, timezone)}" if f.snoozed() else ""
            )
            article = _link(f.title, permalinks.get(f.digest_id))
            since = when(f.digest_created_at, timezone)
            blocks.append(section(f"*{escape(f.text)}* — {source}{snooze}\n{article} · {since}"))
        if len(mine_open) > MAX_HOME_FIGURES:
            blocks.append(context(f"…and {len(mine_open) - MAX_HOME_FIGURES} more."))
    if recent is not None:
        blocks.append({"type": "divider"})
        blocks.append(section("*Recent digests in your channels*"))
        if not recent:
            blocks.append(context("No digests yet. Paste an article in a channel I'm in."))
        lines = [
            f"• {_link(r.title, permalinks.get(r.id))} · <#{r.channel}> · "
            f"{when(r.created_at, timezone)} · {r.open} of {r.total} open"
            for r in recent
        ]
        if lines:
            blocks.append(section("\n".join(lines)))
    blocks.append({"type": "divider"})
    blocks.append(
        section(
            "I read the articles you paste and list every figure they cite, who each is "
            "attributed to, and which still need checking."
        )
    )
    blocks += [section(line) for line in _usage_lines()]
    blocks.append(
        section(
            "`/digest pending` lists this channel's open figures, `/digest search <words>` "
            "finds past digests, `/digest watch on|off` turns paste digests on or off here."
        )
    )
    return {"type": "home", "blocks": blocks[:100]}


def status_note(change_text: str) -> SlackMessage:
    """The short thread note after a status change."""
    return SlackMessage(text=clip(change_text, MAX_FALLBACK), blocks=[context(change_text)])


MODAL_CALLBACKS = {"verified": "figure_verified", "disputed": "figure_disputed"}


def _input(
    block_id: str, label: str, *, hint: str, optional: bool, multiline: bool = False
) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "hint": {"type": "plain_text", "text": hint},
        "element": {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": multiline,
            "max_length": 2000 if multiline else 500,
        },
    }


def status_modal(choice: str, figure: FigureRecord, *, metadata: str) -> dict:
    """The modal behind Verified… and Disputed…: evidence, a note, the correct figure."""
    quote = escape(clip(figure.claim_text or figure.text, 600))
    source = escape(figure.source_name) if figure.source_name else "_unattributed_"
    blocks: list[Block] = [
        section(f"*{escape(figure.text)}* — {source}\n>{quote}"),
    ]
    if choice == "disputed":
        blocks += [
            _input(
                "correction",
                "The correct figure",
                hint="As it should read, if known.",
                optional=True,
            ),
            _input(
                "note",
                "What is wrong",
                hint="What you found, and where.",
                optional=False,
                multiline=True,
            ),
            _input(
                "evidence",
                "Evidence link",
                hint="https://… (a document, a source's page)",
                optional=True,
            ),
        ]
        title, submit = "Dispute a figure", "Dispute"
    else:
        blocks += [
            _input(
                "evidence",
                "Evidence link",
                hint="https://… (a document, a source's page)",
                optional=True,
            ),
            _input(
                "note", "Note", hint="How it was checked, with whom.", optional=True, multiline=True
            ),
        ]
        title, submit = "Verify a figure", "Verified"
    return {
        "type": "modal",
        "callback_id": MODAL_CALLBACKS[choice],
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def unfurl_blocks(digest: Digest) -> list[Block]:
    """The compact digest shown under a link from a listed news domain."""
    worth = [f for f in digest.figures if f.checkworthy]
    still_open = sum(1 for f in worth if f.status == "open")
    named = [s.name for s in digest.sources if s.kind != "anonymous"]
    shown = ", ".join(escape(clip(n, 40)) for n in named[:4])
    more = "…" if len(named) > 4 else ""
    line = f"{len(worth)} figures · {still_open} open"
    if shown:
        line += f" · sources: {shown}{more}"
    title = escape(clip(digest.article.title or "Article", 150))
    outlet = f" — {escape(digest.article.outlet)}" if digest.article.outlet else ""
    return [
        section(f"*{title}*{outlet}"),
        context(f":mag: Newsroom Digest: {line}"),
    ]
