"""The follow-through: posting digests into the ledger, status changes, nudges, roundups.

``Desk`` is what listeners and scheduled jobs call; it joins the store (the truth), the
scheduler (when the next nudge is due) and Slack (what people see). Every change re-reads
the ledger before drawing, and a digest's messages are redrawn under a per-digest lock, so
the last edit Slack receives always shows the current state, even when two people click at
once.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from slack_sdk.errors import SlackApiError

from bot.choices import CHOICES
from bot.core.models import Digest
from bot.errors import FetchError, StoreError
from bot.ingest import canonical, digest_link
from bot.ingest.urls import host_of
from bot.reminders import Reminders
from bot.settings import Settings
from bot.slack.blocks import (
    LedgerView,
    SlackMessage,
    context,
    digest_message,
    escape,
    history_message,
    home_view,
    notice_message,
    open_figures_message,
    review_view,
    search_message,
    status_note,
    when,
)
from bot.slack.channel_settings import ChannelSettings
from bot.slack.deliver import (
    explain,
    is_transient,
    post_messages,
)
from bot.slack.nudges import Nudges
from bot.slack.outbox import Outbox, Posted, _why
from bot.slack.workspaces import NoWorkspace, Workspace, Workspaces
from bot.store import Change, DigestRecord, FigureRecord, Store, parse_stamp, trouble, utcnow
from bot.store.memory import Memory, changes_of
from bot.workhours import WorkHours

log = logging.getLogger(__name__)

# Links digested per message at most, and how long a link's digest is pointed to instead
# of digesting it again in the same channel.
MAX_LINKS = 3
LINK_MEMORY = timedelta(days=7)
# Permalinks looked up per list drawn (each is a chat.getPermalink call, then cached).
_PERMALINK_LOOKUPS = 12


@dataclass(frozen=True)
class Origin:
    """Where a digest comes from and goes, built once from the payload: the message it
    answers (``source_ts``) in ``channel``, the thread it goes in, who brought it, and how
    ("paste", "link", "mention", "shortcut", "command")."""

    channel: str
    thread_ts: str
    source_ts: str
    user_id: str | None = None
    team_id: str | None = None  # the workspace whose installation handles it
    enterprise_id: str | None = None  # its organisation, on Enterprise Grid
    via: str = "paste"
    private: bool | None = None  # a private channel or DM; None when the payload doesn't say

    def stored(self) -> dict[str, str | None]:
        """The digest row's fields that say where it belongs."""
        return {
            "team_id": self.team_id,
            "enterprise_id": self.enterprise_id,
            "channel": self.channel,
            "source_ts": self.source_ts,
            "thread_ts": self.thread_ts,
            "user_id": self.user_id,
            "via": self.via,
        }


class Desk(Outbox, Nudges):
    """Digests into the thread and the ledger; changes, nudges and roundups out of it."""

    def __init__(self, settings: Settings, store: Store, workspaces: Workspaces) -> None:
        self.settings = settings
        self.store = store
        self.workspaces = workspaces
        self.reminders: Reminders | None = None
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # -- drawing ----------------------------------------------------------------------------

    def ledger_view(self, digest_id: str, *, controls: bool = True) -> LedgerView:
        return LedgerView(
            digest_id=digest_id,
            states={f.figure_id: f for f in self.store.figures(digest_id)},
            timezone=self.settings.timezone,
            controls=controls,
        )

    def review(self, digest_id: str, page: int = 0) -> dict | None:
        """The review modal of a digest, drawn from the ledger now (None: no such digest);
        for a digest replaced after its message was edited, the one that replaced it."""
        record = self.store.digest(self.store.latest_version(digest_id))
        if record is None:
            return None
        return review_view(record.digest, self.ledger_view(record.id), page=page)

    def render(self, record: DigestRecord) -> SlackMessage:
        """The digest as the channel sees it now: one message."""
        shared_by = record.user_id if record.via == "command" else None
        message = digest_message(
            record.digest,
            shared_by=shared_by,
            ledger=self.ledger_view(record.id),
            changes=changes_of(record.changes),
        )
        if record.source_deleted:
            gone = context(":wastebasket: The original message was deleted; no more nudges.")
            message = message.model_copy(update={"blocks": [*message.blocks, gone]})
        return message

    # -- posting ----------------------------------------------------------------------------

    def post_digest(self, digest: Digest, origin: Origin) -> Posted | None:
        """Store and post a digest in the origin's thread; None when that message already
        has one. Raises DeliveryError when Slack refuses (the digest is then not kept)."""
        channel, thread_ts, source_ts = origin.channel, origin.thread_ts, origin.source_ts
        self._learn_privacy(origin)
        try:
            record = self.store.add_digest(
                digest,
                **origin.stored(),
                claimed=True,  # the outbox leaves it alone while we post
                memory=self._recollect(digest, origin),
            )
        except sqlite3.Error as exc:
            # Nothing was kept (one transaction); say so where the article is.
            log.error(
                "digest for %s in %s not saved: %s (%s)", source_ts, channel, trouble(exc), exc
            )
            self.say(
                channel,
                thread_ts,
                f"I couldn't keep this article's digest: {trouble(exc)}. "
                "Mention me in this thread to try again once it's fixed.",
            )
            return None
        if record is None:
            log.info("message %s in %s already has a digest", source_ts, channel)
            return None
        return self._deliver(record, channel=channel, thread_ts=thread_ts, forget=True)

    def _recollect(
        self, digest: Digest, origin: Origin, *, revises: DigestRecord | None = None
    ) -> Memory | None:
        """What the desk remembers of this digest's figures (story memory): its earlier
        version's, if it is a new one, then the ledger's of the last
        ``NEWSROOM_BOT_MEMORY_DAYS``. A failure costs only the memory, never the digest."""
        days = self.settings.memory_days
        if days <= 0 and revises is None:
            return None
        try:
            memory = self.store.recollect(
                digest,
                team_id=origin.team_id,
                channel=origin.channel,
                since=utcnow() - timedelta(days=days) if days > 0 else None,
                revises=revises.id if revises is not None else None,
            )
        except (sqlite3.Error, ValueError) as exc:
            log.warning("a digest in %s made without story memory: %s", origin.channel, exc)
            return None
        carried = sum(1 for e in memory.earlier.values() if e.carries)
        if memory.earlier:
            log.info("%d figures seen before, %d carried", len(memory.earlier), carried)
        return memory

    def _learn_privacy(self, origin: Origin) -> None:
        """Keep whether the origin's channel is private, when its payload says."""
        if (
            origin.private is not None
            and self.store.channel_private(origin.channel, origin.team_id) != origin.private
        ):
            self.store.set_channel_private(origin.channel, origin.private, team_id=origin.team_id)

    def share(self, digest_id: str, *, channel: str) -> str | None:
        """Post a /digest the caller kept private, once however often Share is clicked.
        None when posted; otherwise why not, in a sentence for the person who clicked.
        A refusal from Slack raises DeliveryError."""
        record = self.store.digest(digest_id)
        if record is None:
            return "I no longer have that digest: run /digest again."
        if not self.store.claim_delivery(record.id):
            return "That digest is already shared in the channel."
        self._deliver(record, channel=channel, thread_ts=None, forget=False)
        return None

    def private_copy(
        self, result: Digest, *, channel: str, user_id: str, team_id: str | None
    ) -> SlackMessage:
        """A /digest only the caller sees, stored so its *Share in channel* button can post
        it (without the button when the ledger can't keep it)."""
        origin = Origin(channel=channel, thread_ts="", source_ts="", team_id=team_id)
        record = self.store.add_digest(
            result,
            team_id=team_id,
            channel=channel,
            user_id=user_id,
            via="command",
            memory=self._recollect(result, origin),
        )
        return digest_message(result, share_key=record.id if record else None)

    def already_digested(self, channel: str, ts: str) -> bool:
        """Whether the message ``ts`` in ``channel`` has its digest already."""
        found = self.store.digest_for_message(channel, ts, team_id=self.workspaces.scope)
        return found is not None

    def watching(self, channel: str) -> bool:
        """Whether pastes in ``channel`` are digested (``/digest watch``)."""
        return self.store.watching(channel, self.workspaces.team_id)

    def figure(self, key: str) -> FigureRecord | None:
        """A figure as the ledger holds it now."""
        return self.store.figure(key)

    def search(self, words: str, *, channel: str | None = None) -> SlackMessage:
        """``/digest search``: the digests matching ``words``, linked to their threads: in
        the workspace's public channels and the one asking (``channel``), never another
        private one."""
        results = self.store.search(
            words, seen_from=channel, team_id=self.workspaces.scope, limit=10
        )
        return search_message(
            words,
            results,
            permalinks=self.permalinks([r.id for r in results]),
            timezone=self.settings.timezone,
        )

    def history(self, words: str, *, channel: str, team_id: str | None) -> SlackMessage:
        """``/digest history``: the figures the desk has seen on a subject, with their
        statuses and threads (public channels, and this one)."""
        figures = self.store.history(words, channel=channel, team_id=team_id)
        return history_message(words, figures, timezone=self.settings.timezone)

    # -- links ----------------------------------------------------------------------------------

    def read_link(self, url: str, *, fresh: bool = False) -> Digest:
        """The digest of the article at ``url`` (pages read lately come from the ledger's
        cache, unless ``fresh``: a link pasted again is read again); FetchError says why it
        can't be read."""
        return digest_link(
            url,
            allow_private=self.settings.fetch_allow_private,
            cache=self.store,
            **({"ttl": timedelta(0)} if fresh else {}),
        )

    def first_unfurl(self, where: str, key: str) -> bool:
        """True the first time link ``key`` is to be unfurled at ``where`` (a composer preview
        and the posted message share one)."""
        team = self.workspaces.scope  # a channel two workspaces share: once in each
        return self.store.claim_event(
            f"unfurl:{team}:{where}:{key}" if team else f"unfurl:{where}:{key}"
        )

    def digest_links(self, urls: list[str], origin: Origin) -> int:
        """Digest up to MAX_LINKS article links into the thread: a "Reading…" placeholder
        first, then edited into the digest (or into why the page couldn't be read)."""
        channel, thread_ts = origin.channel, origin.thread_ts
        self._learn_privacy(origin)
        done = 0
        for n, url in enumerate(urls[:MAX_LINKS]):
            try:
                key = canonical(url)
            except FetchError:
                continue
            # Digested here lately: read again, and digest it again only if it changed.
            earlier = self.store.digest_for_link(
                channel, key, since=utcnow() - LINK_MEMORY, team_id=self.workspaces.scope
            )
            # The second and third links of a message are kept as "<ts>/1", "<ts>/2".
            source_ts = origin.source_ts if n == 0 else f"{origin.source_ts}/{n}"
            self._link_digest(url, key, replace(origin, source_ts=source_ts), earlier=earlier)
            done += 1
        if len(urls) > MAX_LINKS:
            self.say(
                channel,
                thread_ts,
                f"I read the first {MAX_LINKS} links; post the other {len(urls) - MAX_LINKS} "
                "in a message of their own.",
            )
        return done

    def _link_digest(
        self, url: str, key: str, origin: Origin, *, earlier: DigestRecord | None = None
    ) -> None:
        """Post a "Reading…" placeholder, read the page and edit the placeholder into its
        digest. A link digested here lately (``earlier``) is read afresh: an unchanged page
        gets a pointer to that thread; a changed one a new digest that leads with what
        changed."""
        channel, thread_ts = origin.channel, origin.thread_ts
        shown = f"<{url}|{escape(host_of(key) or url)}>"
        pointer = ""
        if earlier is not None:
            link = self.permalinks([earlier.id]).get(earlier.id)
            where = f"<{link}|in this thread>" if link else "in this channel"
            pointer = (
                f"That link was digested {where} on "
                f"{when(earlier.created_at, self.settings.timezone)}"
            )
        wording = f"{pointer}; reading it again for changes…" if pointer else f"Reading {shown}…"
        placeholder = notice_message(wording, ":hourglass_flowing_sand:")
        ts: str | None
        try:
            ts = post_messages(self.slack, [placeholder], channel=channel, thread_ts=thread_ts)[0]
        except (SlackApiError, OSError) as exc:
            if not is_transient(exc):
                assert isinstance(exc, SlackApiError)
                raise explain(exc) from exc
            ts = None  # Slack is struggling: no placeholder, the digest is queued below
        try:
            result = self.read_link(url, fresh=earlier is not None)
        except FetchError as exc:
            log.info("link %s not read: %s (%s)", key, exc.kind, exc)
            reason = notice_message(f"I couldn't read {shown}: {exc}.", ":warning:")
            if ts:
                self._edit(channel, ts, reason)
            else:
                self.say(channel, thread_ts, reason.text)
            return
        if earlier is not None and same_text(earlier.digest, result):
            unchanged = notice_message(f"{pointer}; the page has not changed since.")
            if ts:
                self._edit(channel, ts, unchanged)
            else:
                self.say(channel, thread_ts, unchanged.text)
            return
        record = self.store.add_digest(
            result,
            **origin.stored(),
            claimed=True,  # the outbox leaves it alone while we post
            memory=self._recollect(result, origin, revises=earlier),
        )
        if record is None:
            if ts:
                self._edit(channel, ts, notice_message(f"{shown} already has its digest here."))
            return
        if ts is None:
            self._deliver(record, channel=channel, thread_ts=thread_ts, forget=True)
            return
        with self._lock(record.id):
            self._fill_placeholder(record, ts, key, channel=channel, thread_ts=thread_ts)

    def _fill_placeholder(
        self, record: DigestRecord, ts: str, key: str, *, channel: str, thread_ts: str
    ) -> None:
        if not self.store.owns_delivery(record.id):
            log.warning("digest %s left to the process that took over", record.id)
            return
        message = self.render(record)
        try:
            self.slack.chat_update(
                channel=channel, ts=ts, text=message.text, blocks=message.blocks, **_meta(message)
            )
        except (SlackApiError, OSError) as exc:
            if is_transient(exc):
                # Queued: the outbox posts it (the "Reading…" line stays as it is).
                self.store.release_delivery(record.id)
            else:
                self.store.forget_digest(record.id)
            log.warning("could not put the digest of %s in place: %s", key, _why(exc))
            return
        if not self._record_posted(record, channel=channel, thread=thread_ts, pages=[ts]):
            log.warning("digest %s was taken over while being posted", record.id)
        log.info("link digest %s posted in %s: %s", record.id, channel, key)

    def say(self, channel: str, thread_ts: str | None, text: str) -> None:
        """A one-line reply (in the thread when given); a failure is only logged."""
        try:
            post_messages(
                self.slack,
                [notice_message(text)],
                channel=channel,
                thread_ts=thread_ts,
            )
        except (SlackApiError, OSError) as exc:
            log.warning("could not reply in %s: %s", channel, explain(exc))

    def _edit(self, channel: str, ts: str, message: SlackMessage) -> None:
        try:
            self.slack.chat_update(
                channel=channel, ts=ts, text=message.text, blocks=message.blocks, **_meta(message)
            )
        except (SlackApiError, OSError) as exc:
            log.warning("could not edit %s in %s: %s", ts, channel, _why(exc))

    # -- status changes -----------------------------------------------------------------------

    def record_change(
        self,
        key: str,
        choice: str,
        *,
        actor: str,
        note: str | None = None,
        evidence_url: str | None = None,
        correction: str | None = None,
        seen_version: int | None = None,
    ) -> Change:
        """Store a person's choice (and mark the digest for redrawing). Listeners call this
        before acknowledging the click, so a click Slack showed as done is never lost.

        ``seen_version`` is the figure's version in the view the choice was made on: a
        change that would overturn someone else's settled status on an outdated view raises
        ``Conflict`` and changes nothing (see ``Store.change_status``)."""
        known = CHOICES.get(choice)
        if known is None:
            raise StoreError(f"{choice!r} is not a choice I know; pick one from the menu")
        until = utcnow() + known.snooze if known.snooze else None
        change = self.store.change_status(
            key,
            known.action,
            actor=actor,
            note=note,
            evidence_url=evidence_url,
            correction=correction,
            snoozed_until=until,
            seen_version=seen_version,
        )
        self.store.set_stale(change.figure.digest_id, True)  # until the redraw reaches Slack
        return change

    def show_change(self, change: Change) -> None:
        """Everything Slack shows of a stored change: the digest and its latest nudge
        redrawn in place, the next nudge moved, the person's App Home, and a note in the
        thread where the channel asked for them (``/digest settings notes on``)."""
        digest_id = change.figure.digest_id
        self.refresh(digest_id)
        self._update_nudge(digest_id)
        self._replan(digest_id, change)
        channel = change.figure.channel
        if channel and self.store.thread_notes(channel, self.workspaces.team_id):
            self._note(change)
        self.publish_home(change.entry.actor)
        self.learn_names(users=[change.entry.actor])

    def refresh(self, digest_id: str) -> None:
        """Edit the digest's message in place to show the ledger as it is now."""
        with self._lock(digest_id):
            record = self.store.digest(digest_id)
            pages = self.store.pages(digest_id)
            if record is None or not record.channel or not pages:
                return
            if not self.reachable(record):
                self.store.set_stale(digest_id, False)  # uninstalled: nothing to redraw
                return
            with self.in_workspace(record):
                self._redraw(record, pages)

    def _redraw(self, record: DigestRecord, pages: list[str]) -> None:
        digest_id = record.id
        assert record.channel is not None
        message = self.render(record)
        for ts in pages[1:]:
            # A part of a digest posted in several messages by an earlier release: its
            # menus go, the review view has every figure.
            self._edit(record.channel, ts, _folded())
        stale = False
        try:
            self.slack.chat_update(
                channel=record.channel,
                ts=pages[0],
                text=message.text,
                blocks=message.blocks,
                **_meta(message),
            )
        except (SlackApiError, OSError) as exc:
            log.warning("could not edit digest %s: %s", digest_id, _why(exc))
            stale = is_transient(exc)  # a refusal would be refused again
        self.store.set_stale(digest_id, stale)

    def _replan(self, digest_id: str, change: Change) -> None:
        """Move or stop the digest's next nudge after a change."""
        plan = self.store.nudge_plan(digest_id)
        if plan is None:
            return
        still_open = self.store.open_figures(digest_id=digest_id)
        next_at = parse_stamp(plan.next_at)
        if not still_open:
            new_at = None
        elif change.entry.action == "snoozed":
            until = parse_stamp(change.entry.snoozed_until)
            new_at = min(x for x in (next_at, until) if x is not None)
        elif change.entry.action == "reopened" and next_at is None:
            new_at = self.hours(change.figure.channel).next_open(
                utcnow() + self.settings.nudge_delay(0), self.settings.timezone
            )
        else:
            return
        if new_at != next_at:
            self._set_next(digest_id, new_at)

    def _note(self, change: Change) -> None:
        record = self.store.digest(change.figure.digest_id)
        if record is None or not record.channel or not record.thread_ts:
            return
        e = change.entry
        figure = f"*{escape(change.figure.text)}*"
        who = f"<@{e.actor}>"
        extra = []
        if e.correction:
            extra.append(f"should be *{escape(e.correction)}*")
        if e.note:
            extra.append(escape(e.note[:300]))
        if e.evidence_url:
            extra.append(f"<{e.evidence_url}|evidence>")
        tail = (": " + " · ".join(extra)) if extra else ""
        wording = next(c.note for c in CHOICES.values() if c.action == e.action)
        text = wording.format(who=who, figure=figure)
        if e.action == "snoozed":
            text += f" until {when(e.snoozed_until, self.settings.timezone)}"
        else:
            text += tail
        try:
            post_messages(
                self.slack,
                [status_note(text)],
                channel=record.channel,
                thread_ts=record.thread_ts,
            )
        except SlackApiError as exc:
            log.warning("could not post a status note in %s: %s", record.channel, explain(exc))

    # -- nudges and roundups --------------------------------------------------------------------

    def channel_settings(self, channel: str) -> ChannelSettings:
        """What ``channel`` has set (``/digest watch``, ``/digest settings``)."""
        team = self.workspaces.team_id
        return ChannelSettings(
            watch=self.store.watching(channel, team),
            notes=self.store.thread_notes(channel, team),
            hours=self.store.channel_hours(channel, team),
        )

    def set_channel(self, channel: str, change: dict, *, actor: str) -> None:
        """Apply a settings command's change (fields of ``ChannelSettings``)."""
        team = self.workspaces.team_id
        if "watch" in change:
            self.store.set_watch(channel, bool(change["watch"]), actor=actor, team_id=team)
        if "notes" in change:
            self.store.set_thread_notes(channel, bool(change["notes"]), actor=actor, team_id=team)
        if "hours" in change:
            self.store.set_channel_hours(channel, change["hours"], actor=actor, team_id=team)

    def hours(self, channel: str | None) -> WorkHours:
        """The working hours nudges keep to in ``channel``: its own, or the default."""
        own = self.store.channel_hours(channel, self.workspaces.team_id) if channel else None
        if own:
            with contextlib.suppress(ValueError):
                return WorkHours.parse(own)
        return self.settings.hours

    def source_edited(self, channel: str, ts: str, result: Digest) -> None:
        """The author edited a message whose article has its digest: when the text changed,
        a new digest takes over the same Slack message (edited in place, leading with what
        changed; statuses of unchanged figures kept; the nudges moved to it)."""
        record = self.store.digest_for_message(channel, ts, team_id=self.workspaces.scope)
        if (
            record is None
            or not record.message_ts
            or record.source_deleted
            or record.via in ("link", "command")
            or same_text(record.digest, result)
        ):
            return
        origin = Origin(
            channel=channel, thread_ts=record.thread_ts or "", source_ts=ts, team_id=record.team_id
        )
        with self._lock(record.id):
            memory = self._recollect(result, origin, revises=record)
            new = self.store.supersede(record, result, memory=memory)
            if new is None:
                return
            self.store.record_carried(new.id)
            plan = self.store.nudge_plan(new.id)
            if self.reminders is not None:
                self.reminders.cancel_nudge(record.id)
                due = parse_stamp(plan.next_at) if plan is not None else None
                if due is not None:
                    self.reminders.schedule_nudge(new.id, due)
        self.refresh(new.id)
        log.info("digest %s revised as %s after its message was edited", record.id, new.id)

    def source_deleted(self, channel: str, ts: str) -> None:
        """The message a digest answers was deleted: its nudges stop and its digest says
        the original is gone (nothing new is posted about it)."""
        record = self.store.digest_for_message(channel, ts, team_id=self.workspaces.scope)
        if record is None:
            return
        self.store.mark_source_deleted(record.id)
        if self.reminders is not None:
            self.reminders.cancel_nudge(record.id)
        self.refresh(record.id)
        log.info("source of digest %s deleted: nudges stopped", record.id)

    def open_figures_list(
        self,
        channel: str,
        *,
        kind: str = "pending",
        page: int = 0,
        figures: list | None = None,
    ) -> SlackMessage:
        """A channel's open figures as ``/digest pending`` (kind "pending") or the roundup
        shows them, page ``page``; its page buttons carry the kind and the channel."""
        if figures is None:
            figures = self.store.open_figures(channel=channel, team_id=self.workspaces.scope)
        heading = "Still open in this channel" if kind == "roundup" else "Open figures here"
        digests = list(dict.fromkeys(f.digest_id for f in figures))
        return open_figures_message(
            figures,
            heading=heading,
            empty="Nothing is open in this channel: every figure is settled.",
            permalinks=self.permalinks(digests),
            timezone=self.settings.timezone,
            page=page,
            scope=f"{kind}:{channel}",
        )

    def roundup(self) -> int:
        """Post each channel's open figures (oldest first), each workspace's with its own
        token; skip channels with none, and workspaces that uninstalled the app."""
        posted = 0
        for team, enterprise, channel in self.store.channels_with_open_figures():
            if not self.workspaces.installed(team, enterprise):
                continue  # uninstalled: nothing more is posted there
            with self.workspaces.using(team, enterprise):
                scope = self.workspaces.scope
                figures = self.store.open_figures(channel=channel, team_id=scope)
                if not figures:
                    continue
                message = self.open_figures_list(channel, kind="roundup", figures=figures)
                try:
                    post_messages(self.slack, [message], channel=channel, thread_ts=None)
                    posted += 1
                except (SlackApiError, NoWorkspace) as exc:
                    log.warning("roundup for %s refused: %s", channel, _why(exc))
        log.info("roundup posted in %d channel(s)", posted)
        return posted

    # -- workspaces -------------------------------------------------------------------------------

    def leave(self, workspace: Workspace, *, why: str) -> None:
        """A workspace uninstalled the app or revoked its tokens: its tokens are deleted at
        once, its nudges cancelled, and nothing more is posted there (the outbox and the
        roundup pass it by). Its ledger stays for export, unless
        ``NEWSROOM_BOT_PURGE_ON_UNINSTALL`` asks for it to go (a recorded purge)."""
        had = self.workspaces.forget(workspace)
        team = None if workspace.org_install else workspace.team_id
        cancelled = self.store.leave_workspace(team, workspace.enterprise_id)
        reminders = self.reminders
        for digest_id in cancelled:
            if reminders is not None:
                reminders.cancel_nudge(digest_id)
        log.warning(
            "%s: workspace %s left (installation %s); %d nudge(s) cancelled",
            why,
            workspace,
            "deleted" if had else "already gone",
            len(cancelled),
        )
        if self.settings.purge_on_uninstall:
            counts = self.store.purge_workspace(team, workspace.enterprise_id, why=why)
            log.warning("workspace %s purged: %s", workspace, counts)

    # -- links and App Home ----------------------------------------------------------------------

    def permalinks(self, digest_ids: set[str] | list[str]) -> dict[str, str]:
        """Thread links for these digests: cached ones, plus a few looked up now."""
        links: dict[str, str] = {}
        lookups = 0
        for digest_id in digest_ids:
            record = self.store.digest(digest_id)
            if record is None or not record.channel:
                continue
            if record.permalink:
                links[digest_id] = record.permalink
                continue
            if lookups >= _PERMALINK_LOOKUPS:
                continue
            lookups += 1
            url = self.fetch_permalink(
                digest_id, channel=record.channel, ts=record.thread_ts or record.message_ts or ""
            )
            if url:
                links[digest_id] = url
        return links

    def fetch_permalink(self, digest_id: str, *, channel: str, ts: str) -> str | None:
        """Ask Slack once for the link to a digest's thread and keep it in the ledger."""
        try:
            url = str(self.slack.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
        except (SlackApiError, OSError, KeyError) as exc:
            log.info("no permalink for digest %s: %s", digest_id, exc)
            return None
        self.store.set_permalink(digest_id, url)
        return url

    def home(self, user_id: str) -> dict:
        """The App Home view for this person."""
        team = self.workspaces.scope  # on Enterprise Grid, one person is in several
        mine = self.store.open_figures(user_id=user_id, team_id=team, limit=50)
        recent = self.store.recent_digests(
            user_id=user_id,
            channels=self.store.channels_of(user_id, team_id=team),
            team_id=team,
            limit=10,
        )
        carried = self.store.carried_over(
            user_id=user_id, since=utcnow() - timedelta(days=7), team_id=team
        )
        wanted = list(dict.fromkeys([f.digest_id for f in mine[:15]] + [r.id for r in recent]))
        return home_view(
            user_id=user_id,
            counts=self.store.status_counts(user_id=user_id, team_id=team),
            mine_open=mine,
            carried=carried,
            recent=recent,
            permalinks=self.permalinks(wanted),
            timezone=self.settings.timezone,
        )

    def learn_names(
        self, *, users: Sequence[str | None] = (), channels: Sequence[str | None] = ()
    ) -> None:
        """Look up (once, then kept in the ledger) the names of these people and channels,
        for the ledger's export; a lookup Slack refuses is only logged."""
        known = self.store.names([*users, *channels])
        known = {
            i
            for i in known
            if i not in channels
            or self.store.channel_private(i, self.workspaces.team_id) is not None
        }  # a channel's privacy is looked up with its name
        for kind, ids in (("user", users), ("channel", channels)):
            for id_ in dict.fromkeys(i for i in ids if i and i not in known):
                try:
                    if kind == "user":
                        user = self.slack.users_info(user=id_)["user"]
                        profile = user.get("profile") or {}
                        name = (
                            profile.get("display_name") or user.get("name") or user.get("real_name")
                        )
                    else:
                        info = self.slack.conversations_info(channel=id_)["channel"]
                        name = info.get("name")
                        private = any(info.get(k) for k in ("is_private", "is_im", "is_mpim"))
                        self.store.set_channel_private(
                            id_, private, team_id=self.workspaces.team_id
                        )
                except (SlackApiError, OSError, KeyError, TypeError) as exc:
                    log.info("no name for %s %s: %s", kind, id_, exc)
                    continue
                if name:
                    self.store.remember_name(id_, str(name), kind=kind)

    def publish_home(self, user_id: str) -> None:
        try:
            self.slack.views_publish(user_id=user_id, view=self.home(user_id))
        except SlackApiError as exc:
            log.info("could not publish App Home for %s: %s", user_id, explain(exc))

    # -- helpers ------------------------------------------------------------------------------

    def _lock(self, name: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(name, threading.Lock())


def same_text(a: Digest, b: Digest) -> bool:
    """Whether two digests are of the same article text (spacing aside)."""
    return " ".join(a.article.text.split()) == " ".join(b.article.text.split())


def _meta(message: SlackMessage) -> dict:
    """``metadata=`` for a chat call, when the message carries any."""
    return {"metadata": message.metadata} if message.metadata else {}


def _folded() -> SlackMessage:
    text = "This part of the digest is now in Review figures, on the digest above."
    return SlackMessage(text=text, blocks=[context(text)])
