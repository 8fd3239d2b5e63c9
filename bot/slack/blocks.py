"""Block Kit rendering: a digest, its review view, nudges, notices and the App Home.

The one module that knows Block Kit. A digest is **one message**: the headline, the outlet
line, the summary, the count line (``7 figures · 7 open · 12 sources``, counting the
figures worth checking), then a line per check-worthy figure (the figure in bold, its own
source, why it is open or who settled it) and a *Review figures* button. A digest with more
figures than a message holds shows the most important and says "and N more figures".

The status controls live in the *Review figures* modal, drawn from the ledger each time it
opens (so it is never stale): each figure with its sentence, its source, who set its status
with their note, and a status menu whose options carry the figure's version, so a change
made on an outdated view never silently overturns someone else's (``confirm_view``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from bot.choices import BY_CODE, CHOICES, FORMS, SNOOZED_EMOJI, STATUS_EMOJI, STATUS_WORDS
from bot.core.models import Digest, Figure, Source, plural
from bot.store import FigureRecord, parse_stamp
from bot.store.memory import Changes, Earlier, earlier_of

# Slack's limits (https://api.slack.com/reference/block-kit/blocks), with headroom.
MAX_BLOCKS = 50  # a message; a modal holds 100
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
REVIEW_ACTION = "review_figures"
REVIEW_PAGE_ACTION = "review_page"
REVIEW_CALLBACK = "review_figures"
PAGE_ACTION = "open_figures_page"  # Previous / Next under /digest pending and the roundup
CONFIRM_CALLBACK = "confirm_change"
# Figures per page of the review view: two blocks each, within a modal's 100 blocks.
REVIEW_PAGE_SIZE = 40
# A note shown under a figure is cut here (the full note is in the ledger): shortest in a
# digest line, longest in the review view.
MAX_NOTE = 140
MAX_LINE_NOTE = 80
MAX_REVIEW_NOTE = 300
# A digest line (figure, source, state) never runs longer than this.
MAX_LINE = 400
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
    """One chat message: fallback ``text`` (notifications, screen readers) and its blocks,
    and for the bot's own digests and nudges the Slack message ``metadata`` it recognises
    them by (``event_type`` and the digest id), never their wording."""

    text: str
    blocks: list[Block] = Field(default_factory=list)
    # Passed as chat.postMessage/chat.update's own argument; never part of a respond()/ack().
    metadata: dict | None = Field(default=None, exclude=True)


DIGEST_EVENT = "newsroom_digest"
NUDGE_EVENT = "newsroom_nudge"


def metadata_of(message: dict) -> tuple[str, dict]:
    """(event_type, event_payload) of a message as Slack returns it, or ("", {})."""
    meta = message.get("metadata")
    if not isinstance(meta, dict):
        return "", {}
    payload = meta.get("event_payload")
    return str(meta.get("event_type") or ""), payload if isinstance(payload, dict) else {}


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
        "*Paste an article* (its full text) or *a link to one* in a channel I'm in: I reply in "
        "its thread with the figures it cites, who each is attributed to, and what still "
        "needs checking. *Review figures* on the digest is where you mark each one.",
        "*`/digest <article text or link>`* shows the digest only to you, with a *Share in "
        "channel* button.",
        "*`/digest pending`* lists this channel's open figures; *`/digest search <words>`* "
        "finds past digests; *`/digest history <words>`* the figures the desk has seen on a "
        "subject, with how each was settled.",
        "*`/digest watch on|off`* turns digests of pastes on or off here; *`/digest settings`* "
        "shows how I'm set up here (`settings notes on|off`, `settings hours mon-fri "
        "08:00-19:00`). `/digest help` shows this.",
        "*Digest this message* (the message's ⋯ menu → shortcut) digests any message into "
        "its thread. *Mention me* in a thread to digest the thread's first message.",
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


def _claim_quote(digest: Digest, figure: Figure) -> str:
    """The sentence a figure stands in, figure in bold (its claim, or the sentence around)."""
    claim = digest.claim(figure.claim_id)
    if claim is not None and claim.start <= figure.start and figure.end <= claim.end:
        start, end = claim.start, claim.end
    else:
        start, end = _sentence_around(digest.article.text, figure)
    return _quote(digest.article.text, start, end, [figure])


def _source_words(source: Source | None) -> str:
    if source is None:
        return "_unattributed_"
    who = ", ".join(
        x for x in (_SOURCE_KIND.get(source.kind, source.kind), source.description) if x
    )
    return f"Source: *{escape(source.name)}*" + (f" ({escape(who)})" if who else "")


def source_name(digest: Digest, figure: Figure) -> str | None:
    """The name of a figure's *own* source (its ``source_id``), as every view shows it."""
    source = digest.source(figure.source_id)
    return source.name if source is not None else None


class LedgerView(BaseModel):
    """The ledger's side of a posted digest: each figure's state, and whether to show controls."""

    digest_id: str
    states: dict[str, FigureRecord] = Field(default_factory=dict)  # by figure id
    timezone: str = "UTC"
    controls: bool = True

    def state(self, figure: Figure) -> FigureRecord | None:
        return self.states.get(figure.id)


def when(value: str | datetime | None, timezone: str = "UTC") -> str:
    """A moment as a newsroom reads it: ``Tue 1 Dec, 14:05 GMT``."""
    moment = parse_stamp(value) if isinstance(value, str | type(None)) else value
    if moment is None:
        return "?"
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} {local.tzname()}"


def _evidence(state: FigureRecord, note_limit: int = MAX_NOTE) -> str:
    parts = []
    if state.note:
        parts.append(escape(clip(state.note, note_limit)))
    if state.evidence_url:
        parts.append(f"<{state.evidence_url}|evidence>")
    return (" — " + " · ".join(parts)) if parts else ""


def status_emoji(figure: Figure, state: FigureRecord | None) -> str:
    if state is not None and state.snoozed():
        return SNOOZED_EMOJI
    status = state.status if state is not None else figure.status
    return STATUS_EMOJI.get(status, "")


def _day(value: str | None, timezone: str) -> str:
    """``24 Nov``: the day a moment fell on, as a newsroom reads it."""
    moment = parse_stamp(value)
    if moment is None:
        return "earlier"
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.day} {local:%b}"


def _thread_link(earlier: Earlier, timezone: str) -> str:
    day = _day(earlier.seen_at, timezone)
    return f"<{earlier.permalink}|{day}>" if earlier.permalink else day


def memory_words(state: FigureRecord | None, *, timezone: str) -> str:
    """What the desk's memory says of a figure: carried from where, or its earlier value,
    or that it was settled earlier for another source's figure ("" when nothing)."""
    earlier = earlier_of(state.earlier) if state is not None else None
    if earlier is None or state is None:
        return ""
    link = _thread_link(earlier, timezone)
    if state.carried_from:
        return f", carried over from {link}"
    if earlier.relation == "changed":
        source = f"{escape(clip(earlier.source, 60))}, " if earlier.source else ""
        return f"; earlier: *{escape(clip(earlier.text, 60))}* ({source}{link})"
    whose = f"{escape(clip(earlier.source, 60))}'s" if earlier.source else "an unattributed"
    done = STATUS_WORDS.get(earlier.status, earlier.status)
    return f"; {done} earlier for {whose} figure ({link})"


def state_words(
    figure: Figure, state: FigureRecord | None, *, timezone: str, note_limit: int = MAX_NOTE
) -> str:
    """``Open: single source, hedged``, or who settled it and how; with what the desk's
    memory says of it (carried over, or an earlier value)."""
    by = f" by <@{state.updated_by}>" if state is not None and state.updated_by else ""
    memory = memory_words(state, timezone=timezone)
    if state is not None and state.snoozed():
        return f"Snoozed until {when(state.snoozed_until, timezone)}{by}{memory}"
    if state is not None and state.status == "verified":
        return f"Verified{by}{_evidence(state, note_limit)}{memory}"
    if state is not None and state.status == "disputed":
        fix = f": should be *{escape(clip(state.correction, 80))}*" if state.correction else ""
        return f"Disputed{by}{fix}{_evidence(state, note_limit)}{memory}"
    if (state.status if state is not None else figure.status) == "not_needed":
        return f"Not needed{by}{_evidence(state, note_limit) if state is not None else ''}{memory}"
    reasons = [r for r in figure.reasons if r != "unattributed"]
    if figure.hedged and not any(r.startswith("hedged") for r in reasons):
        reasons.append("hedged")
    return "Open" + (": " + escape(", ".join(reasons)) if reasons else "") + memory


def figure_line(
    digest: Digest,
    figure: Figure,
    state: FigureRecord | None,
    *,
    timezone: str = "UTC",
    note_limit: int = MAX_LINE_NOTE,
    brief: bool = False,
) -> str:
    """One figure as the digest lists it: status, the figure in bold, its own source, and
    why it is open or who settled it (``brief``: without the why)."""
    name = source_name(digest, figure)
    source = escape(clip(name, 80)) if name else "_unattributed_"
    line = f"{status_emoji(figure, state)} *{escape(clip(figure.text, 120))}* · {source}"
    if brief:
        return line
    return f"{line} · {state_words(figure, state, timezone=timezone, note_limit=note_limit)}"


def _options(figure: Figure, state: FigureRecord | None, key: str) -> list[dict]:
    status = state.status if state is not None else figure.status
    if status == "open":
        wanted = ["verified", "disputed", "snooze_1h", "snooze_1d", "snooze_1w", "not_needed"]
        if state is not None and state.snoozed():
            wanted = ["verified", "disputed", "reopened", "not_needed"]
    else:
        wanted = ["reopened"]
    version = state.version if state is not None else 0
    return [
        {
            "text": {"type": "plain_text", "text": CHOICES[w].label},
            "value": f"{CHOICES[w].code}|{key}|{version}",
        }
        for w in wanted
    ]


def read_choice(value: str) -> tuple[str, str, int]:
    """(choice, figure key, the figure's version in the view) from a status option's value;
    the version is -1 for a menu drawn before versions were shown."""
    code, _, rest = value.partition("|")
    key, _, version = rest.partition("|")
    choice = BY_CODE.get(code)
    return choice.name if choice else code, key, int(version) if version.isdigit() else -1


def _menu(figure: Figure, state: FigureRecord | None, key: str) -> dict:
    return {
        "type": "static_select",
        "action_id": FIGURE_ACTION,
        "placeholder": {"type": "plain_text", "text": "Mark as…", "emoji": True},
        "options": _options(figure, state, key),
    }


def with_states(digest: Digest, ledger: LedgerView) -> Digest:
    """The digest with each figure's status as the ledger has it now."""
    figures = [
        f.model_copy(update={"status": ledger.states[f.id].status}) if f.id in ledger.states else f
        for f in digest.figures
    ]
    return digest.model_copy(update={"figures": figures})


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
        blocks.append(section(escape(clip(" ".join(digest.summary.split()), MAX_SUMMARY))))
    flagged = sum(1 for f in digest.figures if f.checkworthy)
    others = len(digest.figures) - flagged
    counts = f"*{digest.count_line()}*"
    if others:
        counts += f" · _{plural(others, 'more number')} not flagged (dates, ages, incidental)_"
    if not digest.figures:
        counts = "*No figures found* in this text: nothing to check."
    blocks.append(section(counts))
    return blocks


MAX_CHANGES_LISTED = 5


def changes_words(changes: Changes, *, timezone: str) -> str:
    """What changed since the earlier digest, in one short paragraph: the new values (old →
    new), what was added and removed; "the figures are the same" when only words changed."""
    day = _day(changes.since, timezone)
    since = f"<{changes.permalink}|{day}>" if changes.permalink else day
    lead = f":arrows_counterclockwise: *Updated since the digest of {since}*"
    if not changes.any:
        return f"{lead}: the figures are the same."

    def listed(items: list[str]) -> str:
        shown = ", ".join(items[:MAX_CHANGES_LISTED])
        more = len(items) - MAX_CHANGES_LISTED
        return shown + (f" and {more} more" if more > 0 else "")

    parts = []
    if changes.changed:
        parts.append(
            "changed "
            + listed(
                [f"*{escape(clip(a, 40))}* → *{escape(clip(b, 40))}*" for a, b in changes.changed]
            )
        )
    if changes.added:
        parts.append("new " + listed([f"*{escape(clip(a, 40))}*" for a in changes.added]))
    if changes.removed:
        parts.append("gone " + listed([f"~{escape(clip(a, 40))}~" for a in changes.removed]))
    return clip(f"{lead}: " + " · ".join(parts), MAX_SECTION)


def _button(text: str, action_id: str, value: str, *, primary: bool = False) -> Block:
    button = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "value": value,
    }
    if primary:
        button["style"] = "primary"
    return button


def _size(blocks: Iterable[Block]) -> int:
    # Characters, as Slack counts them (not the \\u escapes of an ASCII-only dump).
    return len(json.dumps(list(blocks), ensure_ascii=False))


def _importance(f: Figure) -> tuple[int, int]:
    return (-len(f.reasons), f.start)


def digest_message(
    digest: Digest,
    *,
    share_key: str | None = None,
    shared_by: str | None = None,
    ledger: LedgerView | None = None,
    changes: Changes | None = None,
) -> SlackMessage:
    """The digest as one Slack message: the head, a line per check-worthy figure (the most
    important first when they do not all fit: "and N more figures"), and the buttons.

    ``ledger`` shows each figure's current state and a *Review figures* button (the digest
    as posted in a channel); ``share_key`` adds *Share in channel* (the private copy);
    ``shared_by`` credits the person who shared it; ``changes`` (a new version of an article
    digested before) leads with what changed.
    """
    if ledger is not None:
        digest = with_states(digest, ledger)
    timezone = ledger.timezone if ledger is not None else "UTC"
    title = digest.article.title or "Article digest"
    head = _head(digest, shared_by=shared_by)
    if changes is not None:
        head.insert(1, section(changes_words(changes, timezone=timezone), block_id="changes"))
    buttons: list[Block] = []
    if digest.figures and ledger is not None and ledger.controls:
        buttons.append(_button("Review figures", REVIEW_ACTION, ledger.digest_id, primary=True))
    if digest.figures and share_key:
        buttons.append(_button("Share in channel", SHARE_ACTION, share_key, primary=not buttons))
    tail = (
        [{"type": "actions", "block_id": "digest_actions", "elements": buttons}] if buttons else []
    )
    worth = [f for f in digest.figures if f.checkworthy]
    lines = {
        f.id: clip(
            figure_line(digest, f, ledger.state(f) if ledger else None, timezone=timezone),
            MAX_LINE,
        )
        for f in worth
    }
    room = MAX_MESSAGE_CHARS - _size([*head, *tail, context("x" * 120)])
    shown: list[Figure] = []
    for f in sorted(worth, key=_importance):
        if room - len(lines[f.id]) - 40 < 0:
            break
        shown.append(f)
        room -= len(lines[f.id]) + 40  # the line, and its share of a section's JSON
    in_order = [lines[f.id] for f in sorted(shown, key=lambda f: f.start)]
    body: list[Block] = [section(c) for c in _chunks(in_order, MAX_SECTION - 100)]
    if len(shown) < len(worth):
        more = len(worth) - len(shown)
        where = (
            ": *Review figures* lists them all"
            if ledger is not None
            else ": *Share in channel* to review them all"
            if share_key
            else ""
        )
        body.append(context(f"…and {plural(more, 'more figure')}{where}."))
    text = f"Digest: {title} — {digest.count_line()}"
    metadata = (
        {"event_type": DIGEST_EVENT, "event_payload": {"digest_id": ledger.digest_id}}
        if ledger is not None
        else None
    )
    return SlackMessage(
        text=clip(text, MAX_FALLBACK), blocks=[*head, *body, *tail], metadata=metadata
    )


def review_view(digest: Digest, ledger: LedgerView, *, page: int = 0) -> dict:
    """The *Review figures* modal, drawn from the ledger when opened: every check-worthy
    figure with its sentence, its own source, who set its status with their note, and a
    status menu; ``REVIEW_PAGE_SIZE`` figures a page."""
    digest = with_states(digest, ledger)
    worth = [f for f in digest.figures if f.checkworthy]
    pages = max(1, -(-len(worth) // REVIEW_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    first = page * REVIEW_PAGE_SIZE
    chunk = worth[first : first + REVIEW_PAGE_SIZE]
    title = digest.article.title or "Article digest"
    blocks: list[Block] = [
        section(f"*{escape(clip(title, 200))}*\n{digest.count_line()}", block_id="review_head")
    ]
    if not chunk:
        blocks.append(context("No figure in this article needs checking."))
    for f in chunk:
        state = ledger.state(f)
        source = _source_words(digest.source(f.source_id))
        figure_block = section(
            f"{status_emoji(f, state)} *{escape(clip(f.text, 120))}* · {source}\n"
            f">{_claim_quote(digest, f)}",
            block_id=f"figure:{f.id}"[:255],
        )
        if ledger.controls:
            figure_block["accessory"] = _menu(f, state, f"{ledger.digest_id}:{f.id}")
        words = state_words(f, state, timezone=ledger.timezone, note_limit=MAX_REVIEW_NOTE)
        if state is not None and state.updated_at and state.updated_by:
            words += f" · {when(state.updated_at, ledger.timezone)}"
        blocks += [figure_block, context(words)]
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(_button("‹ Previous", REVIEW_PAGE_ACTION, str(page - 1)))
        if page < pages - 1:
            nav.append(_button("Next ›", REVIEW_PAGE_ACTION, str(page + 1), primary=True))
        last = first + len(chunk)
        blocks.append(
            context(f"Page {page + 1} of {pages} · figures {first + 1}–{last} of {len(worth)}")
        )
        blocks.append({"type": "actions", "block_id": "review_pages", "elements": nav})
    return {
        "type": "modal",
        "callback_id": REVIEW_CALLBACK,
        "title": {"type": "plain_text", "text": "Review figures"},
        "close": {"type": "plain_text", "text": "Done"},
        "private_metadata": json.dumps({"digest": ledger.digest_id, "page": page}),
        "blocks": blocks,
    }


def confirm_view(current: FigureRecord, choice: str, *, metadata: str, timezone: str) -> dict:
    """Shown instead of applying a change made on an outdated view that would overturn
    someone else's status: who set what, when, and a choice to go ahead or keep theirs."""
    who = f"<@{current.updated_by}>" if current.updated_by else "Someone"
    status = STATUS_WORDS.get(current.status, current.status)
    fix = f" (should be *{escape(clip(current.correction, 80))}*)" if current.correction else ""
    text = (
        f":warning: {who} marked *{escape(clip(current.text, 120))}* *{status}*{fix} "
        f"on {when(current.updated_at, timezone)}{_evidence(current, MAX_REVIEW_NOTE)}, "
        "after the view you used was drawn."
    )
    wanted = CHOICES[choice].label.rstrip("…") if choice in CHOICES else choice
    return {
        "type": "modal",
        "callback_id": CONFIRM_CALLBACK,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Changed meanwhile"},
        "submit": {"type": "plain_text", "text": f"Make it {wanted}"[:24]},
        "close": {"type": "plain_text", "text": "Keep theirs"},
        "blocks": [section(text), section(f"Change it to *{escape(wanted)}* anyway?")],
    }


# -- follow-up: nudges, roundups, pending, search, App Home -------------------------------

MAX_LISTED_DIGESTS = 30
MAX_HOME_FIGURES = 15
# Figures a nudge names; the Review button has the rest.
NUDGE_FIGURES = 3


def _awake(digest: Digest, ledger: LedgerView) -> list[Figure]:
    """The check-worthy figures still open and not snoozed (``digest`` with its states)."""
    return [
        f
        for f in digest.figures
        if f.checkworthy
        and f.status == "open"
        and not ((s := ledger.state(f)) is not None and s.snoozed())
    ]


def _top(awake: list[Figure], n: int) -> list[Figure]:
    """The ``n`` most important of these figures, in article order."""
    return sorted(sorted(awake, key=_importance)[:n], key=lambda f: f.start)


def nudge_message(
    digest: Digest,
    ledger: LedgerView,
    *,
    user_id: str | None,
    number: int,
    total: int,
    next_at: datetime | None,
) -> SlackMessage:
    """A nudge in the article's thread: how many figures are still open, the three most
    important, a *Review figures* button; the reporter mentioned once."""
    digest = with_states(digest, ledger)
    awake = _awake(digest, ledger)
    who = f"<@{user_id}> " if user_id else ""
    n = len(awake)
    if n:
        verb = "is" if n == 1 else "are"
        lead = f":bell: {who}{plural(n, 'figure')} in this article {verb} still open."
    else:
        lead = ":tada: Every figure in this article is settled or snoozed. Thank you!"
    top = _top(awake, NUDGE_FIGURES)
    lines = [
        clip(figure_line(digest, f, ledger.state(f), timezone=ledger.timezone), MAX_LINE)
        for f in top
    ]
    if n > len(top):
        lines.append(f"…and {n - len(top)} more")
    note = f"Nudge {number} of {total}"
    if next_at is not None and n:
        note += f" · next {when(next_at, ledger.timezone)}"
    elif n:
        note += " · the last one; the daily roundup keeps listing open figures"
    blocks: list[Block] = [section(lead, block_id=f"nudge:{number}:{total}")]
    if lines:
        blocks.append(section("\n".join(lines)))
    blocks.append(context(note))
    if n:
        blocks.append(
            {
                "type": "actions",
                "block_id": "nudge_actions",
                "elements": [
                    _button("Review figures", REVIEW_ACTION, ledger.digest_id, primary=True)
                ],
            }
        )
    title = digest.article.title or "this article"
    text = f"{plural(n, 'figure')} still open in {title}" if n else f"All settled in {title}"
    metadata = {
        "event_type": NUDGE_EVENT,
        "event_payload": {"digest_id": ledger.digest_id, "number": number},
    }
    return SlackMessage(text=clip(text, MAX_FALLBACK), blocks=blocks, metadata=metadata)


def superseded_nudge(number: int, total: int) -> SlackMessage:
    """What an earlier nudge becomes once a later one is posted."""
    text = f"Nudge {number} of {total}: superseded by a later nudge."
    return SlackMessage(text=text, blocks=[context(f":bell: {text}")])


MAX_ROUND = 8  # articles in one channel nudge: a line and a Review button each


class RoundEntry(BaseModel):
    """One article in a channel nudge: its digest and states, who brought it, which nudge
    this is for it, and its thread."""

    digest: Digest
    ledger: LedgerView
    user_id: str | None = None
    number: int
    total: int
    permalink: str | None = None
    next_at: datetime | None = None  # its next nudge (None: this was its last)


def round_nudge_message(entries: list[RoundEntry]) -> SlackMessage:
    """Nudges of several articles in one channel, due together, as one message: each
    article linked to its thread with how many figures are open, the most important one and
    a *Review* button; everyone who brought one mentioned once."""
    people = list(dict.fromkeys(e.user_id for e in entries if e.user_id))
    rows: list[Block] = []
    open_total = 0
    for entry in entries[:MAX_ROUND]:
        digest = with_states(entry.digest, entry.ledger)
        awake = _awake(digest, entry.ledger)
        open_total += len(awake)
        head = (
            f"{_link(digest.article.title, entry.permalink)} · "
            + (f"{plural(len(awake), 'figure')} open" if awake else "all settled or snoozed")
            + f" · nudge {entry.number} of {entry.total}"
        )
        lines = [head] + [
            clip(figure_line(digest, f, entry.ledger.state(f), brief=True), MAX_LINE)
            for f in _top(awake, 1)
        ]
        extra = {}
        if awake:
            extra["accessory"] = _button("Review", REVIEW_ACTION, entry.ledger.digest_id)
        rows.append(section("\n".join(lines), block_id=f"round:{entry.ledger.digest_id}", **extra))
    articles = plural(len(rows), "article")
    if open_total:
        who = "".join(f"<@{u}> " for u in people)
        verb = "is" if open_total == 1 else "are"
        text = f"{plural(open_total, 'figure')} still open in {articles}"
        lead = f":bell: {who}{plural(open_total, 'figure')} {verb} still open in {articles}."
    else:
        these = "this article" if len(rows) == 1 else f"these {articles}"
        lead = f":tada: Every figure in {these} is settled or snoozed. Thank you!"
        text = f"All settled in {articles}"
    upcoming = [e.next_at for e in entries if e.next_at is not None]
    timezone = entries[0].ledger.timezone if entries else "UTC"
    after = (
        f"next {when(min(upcoming), timezone)}"
        if upcoming
        else "the last; the daily roundup keeps listing open figures"
    )
    blocks = [
        section(lead, block_id="round"),
        *rows,
        context(f"Nudges due together in this channel, in one message · {after}"),
    ]
    metadata = {
        "event_type": NUDGE_EVENT,
        "event_payload": {"digest_ids": ",".join(e.ledger.digest_id for e in entries)},
    }
    return SlackMessage(text=clip(text, MAX_FALLBACK), blocks=blocks, metadata=metadata)


def superseded_round() -> SlackMessage:
    """What a channel nudge becomes once each of its articles has had a later nudge."""
    text = "Nudges superseded by later ones."
    return SlackMessage(text=text, blocks=[context(f":bell: {text}")])


def _link(title: str | None, permalink: str | None) -> str:
    name = escape(clip(title or "Untitled article", 120))
    return f"<{permalink}|{name}>" if permalink else f"*{name}*"


def _claim_words(f: FigureRecord, width: int = 90) -> str:
    """The claim's words around a figure, the figure in bold (escaped, one line)."""
    claim = " ".join((f.claim_text or "").split())
    at = claim.find(f.text)
    if at < 0:
        return ""
    lo, hi = max(0, at - width), min(len(claim), at + len(f.text) + width)
    before, after = claim[lo:at], claim[at + len(f.text) : hi]
    return (
        ("…" if lo else "")
        + escape(before)
        + f"*{escape(f.text)}*"
        + escape(after)
        + ("…" if hi < len(claim) else "")
    )


def open_figures_message(
    figures: list[FigureRecord],
    *,
    heading: str,
    empty: str,
    permalinks: dict[str, str],
    timezone: str = "UTC",
    page: int = 0,
    scope: str = "",
) -> SlackMessage:
    """Open figures grouped by article, oldest first, each article linked to its thread and
    each figure with its own source and the claim's words; paged, every figure on some page
    (``scope`` goes into the page buttons so the next page can be drawn)."""
    if not figures:
        return notice_message(empty, ":white_check_mark:")
    by_digest: dict[str, list[FigureRecord]] = {}
    for f in figures:
        by_digest.setdefault(f.digest_id, []).append(f)
    n_articles = len(by_digest)
    # Sections: an article's heading line and its figures, split where one gets long.
    chunks: list[str] = []
    for digest_id, group in by_digest.items():
        first = group[0]
        since = when(first.digest_created_at, timezone)
        by = f" · brought by <@{first.user_id}>" if first.user_id else ""
        lines = [f"{_link(first.title, permalinks.get(digest_id))} · {since}{by}"]
        for f in group:
            source = escape(f.source_name) if f.source_name else "_unattributed_"
            snooze = (
                f" ({SNOOZED_EMOJI} until {when(f.snoozed_until, timezone)})" if f.snoozed() else ""
            )
            words = _claim_words(f)
            line = f"• *{escape(clip(f.text, 120))}* · {source}{snooze}"
            lines.append(line + (f"\n      {words}" if words else ""))
        chunks += _chunks(lines, MAX_SECTION - 200)
    pages: list[list[str]] = [[]]
    for chunk in chunks:
        size = sum(len(c) + 60 for c in pages[-1])
        if pages[-1] and (size + len(chunk) > MAX_MESSAGE_CHARS - 2500 or len(pages[-1]) >= 40):
            pages.append([])
        pages[-1].append(chunk)
    page = min(max(page, 0), len(pages) - 1)
    count = (
        f"{plural(len(figures), 'open figure')} in {plural(n_articles, 'article')}, oldest first"
    )
    if len(pages) > 1:
        count += f" · page {page + 1} of {len(pages)}"
    blocks: list[Block] = [header(heading), context(count)]
    blocks += [section(chunk) for chunk in pages[page]]
    if len(pages) > 1:
        nav = []
        if page > 0:
            nav.append(_button("‹ Previous", PAGE_ACTION, json.dumps([scope, page - 1])))
        if page < len(pages) - 1:
            nav.append(_button("Next ›", PAGE_ACTION, json.dumps([scope, page + 1]), primary=True))
        blocks.append({"type": "actions", "block_id": "open_figures_pages", "elements": nav})
    return SlackMessage(
        text=clip(f"{heading}: {plural(len(figures), 'open figure')}", MAX_FALLBACK),
        blocks=blocks,
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


def _chunks(lines: list[str], limit: int) -> list[str]:
    """Lines joined into as few texts as fit, each within ``limit`` characters (a line
    longer than that alone)."""
    out: list[str] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > limit:
            out.append("\n".join(chunk))
            chunk = []
        chunk.append(line)
    if chunk:
        out.append("\n".join(chunk))
    return out


def sections(lines: list[str]) -> list[Block]:
    """Lines as sections of up to 3,000 characters each (Slack's limit)."""
    return [section(c) for c in _chunks([clip(x, MAX_SECTION) for x in lines], MAX_SECTION)]


def _record_line(f: FigureRecord) -> str:
    """A figure as the ledger holds it, on one line: its status, the figure, its own source,
    and who settled it."""
    source = escape(clip(f.source_name, 60)) if f.source_name else "_unattributed_"
    by = f" by <@{f.updated_by}>" if f.updated_by and f.status != "open" else ""
    return (
        f"{STATUS_EMOJI.get(f.status, '')} *{escape(clip(f.text, 80))}* · {source} · "
        f"{STATUS_WORDS.get(f.status, f.status)}{by}"
    )


def history_message(words: str, figures: list[FigureRecord], *, timezone: str) -> SlackMessage:
    """``/digest history``: each figure seen on the subject, newest first, with its own
    source, its status and who settled it, the claim's words and its thread."""
    shown = escape(clip(words, 100))
    if not figures:
        return notice_message(f"No figures on “{shown}” in the desk's memory.", ":mag:")
    lines = []
    for f in figures:
        words_of = _claim_words(f, width=60)
        line = (
            f"{_record_line(f)} · {_link(f.title, f.permalink)} · "
            f"{_day(f.digest_created_at, timezone)}"
        )
        lines.append(clip(line + (f"\n      {words_of}" if words_of else ""), MAX_LINE * 2))
    blocks: list[Block] = [
        section(f":mag: *Figures the desk has seen on “{shown}”*"),
        *sections(lines),
        context("Public channels and this one · newest first"),
    ]
    text = f"{plural(len(figures), 'figure')} on {clip(words, 100)}"
    return SlackMessage(text=text, blocks=blocks[:MAX_BLOCKS])


def home_view(
    *,
    user_id: str | None = None,
    counts: dict[str, int] | None = None,
    mine_open: list[FigureRecord] | None = None,
    carried: list[FigureRecord] | None = None,
    recent: list | None = None,
    permalinks: dict[str, str] | None = None,
    timezone: str = "UTC",
) -> dict:
    """The App Home tab: my open figures, what story memory carried over for me this week,
    recent digests in my channels, counts, usage."""
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
    if carried:
        blocks.append({"type": "divider"})
        n = len(carried)
        blocks.append(
            section(
                f"*Carried over this week:* {plural(n, 'figure')} in your articles "
                f"{'was' if n == 1 else 'were'} settled before, so nobody checked "
                f"{'it' if n == 1 else 'them'} twice."
            )
        )
        lines = [
            clip(_record_line(f) + memory_words(f, timezone=timezone), MAX_LINE)
            for f in carried[:MAX_HOME_FIGURES]
        ]
        blocks += sections(lines)
        if n > MAX_HOME_FIGURES:
            blocks.append(context(f"…and {n - MAX_HOME_FIGURES} more."))
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
    return {"type": "home", "blocks": blocks[:100]}


def status_note(change_text: str) -> SlackMessage:
    """The short thread note after a status change."""
    return SlackMessage(text=clip(change_text, MAX_FALLBACK), blocks=[context(change_text)])


def _input(
    block_id: str, label: str, *, hint: str, optional: bool, multiline: bool = False
) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "hint": {"type": "plain_text", "text": hint},
        "element": (
            {"type": "url_text_input", "action_id": "value"}
            if block_id == "evidence"
            else {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": multiline,
                "max_length": 2000 if multiline else 500,
            }
        ),
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
                hint="https://… (a document, a source's page). A link or a note is needed.",
                optional=True,
            ),
            _input(
                "note",
                "Note",
                hint="How it was checked, with whom. A link or a note is needed.",
                optional=True,
                multiline=True,
            ),
        ]
        title, submit = "Verify a figure", "Verified"
    return {
        "type": "modal",
        "callback_id": FORMS[choice],
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
    line = f"{plural(len(worth), 'figure')} · {still_open} open"
    if shown:
        line += f" · sources: {shown}{more}"
    title = escape(clip(digest.article.title or "Article", 150))
    outlet = f" — {escape(digest.article.outlet)}" if digest.article.outlet else ""
    return [
        section(f"*{title}*{outlet}"),
        context(f":mag: Newsroom Digest: {line}"),
    ]
