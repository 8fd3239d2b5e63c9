"""The outbox: getting a digest into Slack exactly once, whatever happens on the way.

A digest is stored (claimed by this process) before it is posted; ``_deliver`` posts it and
records where (with its first nudge planned) in one step. What an outage or a crash leaves
behind is delivered later by ``flush``: digests stored but not yet in Slack are posted, or
**adopted** when Slack had in fact posted them (the bot knows its own messages by their
metadata), and nudges caught between being claimed and recorded are adopted or posted again.
``Desk`` inherits this; it provides ``store``, ``client``, ``settings``, ``reminders``,
``render``, ``refresh``, ``fetch_permalink``, ``learn_names``, ``hours`` and ``_lock``.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.slack.blocks import DIGEST_EVENT, NUDGE_EVENT, SlackMessage, metadata_of
from bot.slack.deliver import DeliveryError, explain, is_transient, post_messages
from bot.store import DigestRecord, NudgePlan, parse_stamp, utcnow

if TYPE_CHECKING:
    import threading
    from collections.abc import Sequence
    from contextlib import AbstractContextManager

    from slack_sdk import WebClient

    from bot.reminders import Reminders
    from bot.settings import Settings
    from bot.slack.workspaces import Workspaces
    from bot.store import Store
    from bot.workhours import WorkHours

log = logging.getLogger("bot.slack.desk")


@dataclass(frozen=True)
class Posted:
    """Where a digest went: its record and the ts of every message posted."""

    record: DigestRecord
    message_ts: list[str]


class Outbox:
    """Posting digests once, and delivering or adopting what an outage or crash left."""

    settings: Settings
    store: Store
    workspaces: Workspaces
    reminders: Reminders | None

    @property
    def slack(self) -> WebClient:
        """The Slack client of the workspace this work runs in (``Workspaces.using``)."""
        return self.workspaces.client()

    def in_workspace(self, record: DigestRecord) -> AbstractContextManager[object]:
        """Work on ``record`` in its workspace (jobs and takeovers: requests are in theirs)."""
        return self.workspaces.using(record.team_id, record.enterprise_id)

    def reachable(self, record: DigestRecord) -> bool:
        """Whether the record's workspace still has the app (uninstalled: leave it be)."""
        return self.workspaces.installed(record.team_id, record.enterprise_id)

    # Provided by Desk (the drawing, the links, the names and the locks).
    def render(self, record: DigestRecord) -> SlackMessage:
        raise NotImplementedError

    def refresh(self, digest_id: str) -> None:
        raise NotImplementedError

    def fetch_permalink(self, digest_id: str, *, channel: str, ts: str) -> str | None:
        raise NotImplementedError

    def learn_names(
        self, *, users: Sequence[str | None] = (), channels: Sequence[str | None] = ()
    ) -> None:
        raise NotImplementedError

    def hours(self, channel: str | None) -> WorkHours:
        raise NotImplementedError

    def _lock(self, name: str) -> threading.Lock:
        raise NotImplementedError

    def _deliver(
        self, record: DigestRecord, *, channel: str, thread_ts: str | None, forget: bool
    ) -> Posted | None:
        """Post a claimed digest. A refusal raises DeliveryError (and the record is forgotten
        or released); an outage leaves it queued for ``flush`` and returns None."""
        # Held while posting, so a click on the digest waits to redraw until it is recorded.
        with self._lock(record.id):
            if not self.store.owns_delivery(record.id):
                # Delivered meanwhile, forgotten, or this process was taken over (presumed
                # dead) and its successor delivers it: never twice.
                log.info("digest %s is not this process's to post now", record.id)
                return None
            return self._post(record, channel=channel, thread_ts=thread_ts, forget=forget)

    def _post(
        self, record: DigestRecord, *, channel: str, thread_ts: str | None, forget: bool
    ) -> Posted | None:
        try:
            ts = post_messages(
                self.slack,
                [self.render(record)],
                channel=channel,
                thread_ts=thread_ts,
            )[0]
        except (SlackApiError, OSError) as exc:
            if is_transient(exc):
                self.store.release_delivery(record.id)
                log.warning(
                    "Slack unavailable (%s): digest %s queued for delivery",
                    _why(exc),
                    record.id,
                )
                return None
            if forget:
                self.store.forget_digest(record.id)
            else:
                self.store.release_delivery(record.id)
            assert isinstance(exc, SlackApiError)
            raise explain(exc) from exc
        thread = thread_ts or ts
        if not self._record_posted(record, channel=channel, thread=thread, pages=[ts]):
            log.warning("digest %s was taken over while being posted", record.id)
        log.info(
            "digest %s posted in %s (thread %s): %d figures",
            record.id,
            channel,
            thread,
            record.digest.stats.figures,
        )
        return Posted(record=record, message_ts=[ts])

    def flush(self, *, window: timedelta = timedelta(hours=24)) -> int:
        """The outbox: deliver digests that are stored but not yet in Slack (an outage, a
        crash), and redraw digests whose last edit did not reach Slack. Returns how many
        digests were delivered."""
        delivered = self.deliver_queued(window=window)
        for digest_id in self.store.stale_digests():
            self.refresh(digest_id)  # in the digest's own workspace
        return delivered

    def deliver_queued(
        self, digest_ids: list[str] | None = None, *, window: timedelta = timedelta(hours=24)
    ) -> int:
        """Deliver stored digests not yet in Slack (only ``digest_ids``, when given).

        A digest already in its thread (Slack posted it but the answer was lost) is adopted,
        never posted twice. Returns how many digests were delivered.
        """
        delivered = 0
        wanted = set(digest_ids) if digest_ids is not None else None
        for record in self.store.unposted_digests(since=utcnow() - window):
            if wanted is not None and record.id not in wanted:
                continue
            if not record.channel or not (record.thread_ts or record.source_ts):
                continue
            if not self.reachable(record):
                continue  # uninstalled: nothing is posted there any more
            if not self.store.claim_delivery(record.id):
                continue  # being posted right now
            thread = record.thread_ts or record.source_ts or ""
            with self.in_workspace(record):
                delivered += self._deliver_queued(record, thread)
        if delivered:
            log.info("delivered %d queued digest(s)", delivered)
        return delivered

    def _deliver_queued(self, record: DigestRecord, thread: str) -> int:
        """Deliver one claimed queued digest (or adopt it from its thread); 1 if done."""
        delivered = 0
        if record.channel:
            try:
                try:
                    mine = self._my_digest_in(record.channel, thread, record)
                except SlackApiError as exc:
                    if is_transient(exc):
                        raise
                    mine = []  # the thread can't be read (deleted?): posting will tell
                if mine:
                    self._record_posted(record, channel=record.channel, thread=thread, pages=mine)
                    delivered += 1
                elif self._deliver(record, channel=record.channel, thread_ts=thread, forget=False):
                    delivered += 1
            except (SlackApiError, OSError) as exc:
                self.store.release_delivery(record.id)
                log.warning("digest %s still queued: %s", record.id, _why(exc))
            except DeliveryError as exc:
                log.warning("digest %s cannot be delivered: %s", record.id, exc)
            except Exception as exc:  # the database: give the claim back for a later try
                log.error("digest %s not delivered: %s: %s", record.id, type(exc).__name__, exc)
                with contextlib.suppress(Exception):
                    self.store.release_delivery(record.id)
        return delivered

    def finish_stuck_nudges(self, plans: list[NudgePlan]) -> None:
        """Nudges taken over from a process that is gone (``Store.take_over_nudges``):
        adopt one that is in the thread, otherwise count it as not sent and post it again."""
        for plan in plans:
            try:
                self._finish_stuck_nudge(plan)
            except Exception as exc:  # give it back for a later look rather than strand it
                log.error("stuck nudge for %s: %s: %s", plan.digest_id, type(exc).__name__, exc)
                with contextlib.suppress(Exception):
                    self.store.give_back_nudge(plan)

    def _finish_stuck_nudge(self, plan: NudgePlan) -> None:
        record = self.store.digest(plan.digest_id)
        since = parse_stamp(plan.posting_since)
        if record is None or not record.channel or since is None:
            self.store.finish_stuck_nudge(plan, posted_ts=None, retry_at=utcnow())
            return
        with self.in_workspace(record):
            self._find_stuck_nudge(plan, record, since)

    def _find_stuck_nudge(self, plan: NudgePlan, record: DigestRecord, since: datetime) -> None:
        reminders = self.reminders
        assert record.channel is not None
        try:
            found, grouped = self._posted_nudge(plan, record.channel, record.thread_ts or "", since)
        except (SlackApiError, OSError) as exc:
            if is_transient(exc):
                log.warning("stuck nudge for %s not checked: %s", plan.digest_id, _why(exc))
                self.store.give_back_nudge(plan)  # for a later look
                return
            found, grouped = None, False
        retry = utcnow()
        if not self.store.finish_stuck_nudge(
            plan, posted_ts=found, retry_at=retry, grouped=grouped
        ):
            return
        if found is None:
            if reminders is not None:
                reminders.schedule_nudge(plan.digest_id, retry)
            log.warning("nudge for %s was interrupted; posting it again", plan.digest_id)

    def _posted_nudge(
        self, plan: NudgePlan, channel: str, thread: str, since: datetime
    ) -> tuple[str | None, bool]:
        """The nudge a gone process claimed, if Slack has it: in the article's thread, or
        in the channel (nudges due together, one message); and whether it is the latter."""
        oldest = since.timestamp() - 1
        for grouped, mine in (
            (False, lambda: self._my_messages(channel, thread)),
            (True, lambda: self._my_channel_messages(channel, oldest)),
        ):
            try:
                messages = mine()
            except (SlackApiError, OSError) as exc:
                if is_transient(exc):
                    raise
                messages = []  # can't be read (thread gone, no access): not found there
            found = [
                str(m["ts"])
                for m in messages
                if float(m["ts"]) >= oldest and _is_nudge_for(m, plan.digest_id)
            ]
            if found:
                return found[-1], grouped
        return None, False

    def _my_digest_in(self, channel: str, thread: str, record: DigestRecord) -> list[str]:
        """The ts of the bot's digest message for ``record`` in this thread, if any: known
        by its metadata (or, posted by an earlier release, by its opening words)."""
        title = record.digest.article.title or "Article digest"
        found = []
        for m in self._my_messages(channel, thread):
            event, payload = metadata_of(m)
            text = str(m.get("text") or "")
            if event == DIGEST_EVENT:
                if payload.get("digest_id") == record.id:
                    found.append(str(m["ts"]))
            elif not event and text.startswith(f"Digest: {title}"[:60]):
                found.append(str(m["ts"]))
            elif found and not event and text.startswith("Digest continued (") and title in text:
                found.append(str(m["ts"]))  # an earlier release's continuations
        return found

    def _my_channel_messages(self, channel: str, oldest: float) -> list[dict]:
        """The bot's own top-level messages in a channel since ``oldest`` (a Unix time)."""
        history = self.slack.conversations_history(
            channel=channel, oldest=f"{oldest:.6f}", limit=200, include_all_metadata=True
        )
        return self._mine(history.get("messages"))

    def _my_messages(self, channel: str, thread: str) -> list[dict]:
        """The bot's own messages in a thread (to adopt work a crash interrupted)."""
        replies = self.slack.conversations_replies(
            channel=channel, ts=thread, limit=200, include_all_metadata=True
        )
        return self._mine(replies.get("messages"))

    def _mine(self, messages: list[dict] | None) -> list[dict]:
        """Those of ``messages`` the bot posted (its user id asked of Slack once)."""
        me = self.workspaces.bot_user_id()
        return [m for m in messages or [] if m.get("user") == me]

    def _record_posted(
        self, record: DigestRecord, *, channel: str, thread: str, pages: list[str]
    ) -> bool:
        """The digest is in Slack as ``pages`` (its message; an earlier release's digest
        also its continuations): record it with its first nudge, in one transaction."""
        digest_id = record.id
        reminders = self.reminders  # read once: a stop may clear it meanwhile
        nudge_at = None
        still_open = any(f.status == "open" for f in self.store.figures(digest_id))
        if self.settings.max_nudges > 0 and still_open:
            nudge_at = self.hours(channel).next_open(
                utcnow() + self.settings.nudge_delay(0), self.settings.timezone
            )
        recorded = self.store.set_posted(
            digest_id,
            channel=channel,
            message_ts=pages[0],
            thread_ts=thread,
            pages=pages,
            nudge_at=nudge_at,
        )
        if recorded and nudge_at is not None and reminders is not None:
            reminders.schedule_nudge(digest_id, nudge_at)
        if recorded:
            # Fetched once, now: every list that links the thread later reads it from the
            # ledger instead of asking Slack again.
            self.fetch_permalink(digest_id, channel=channel, ts=thread)
            self.learn_names(users=[record.user_id], channels=[channel])
        return recorded


def _is_nudge_for(message: dict, digest_id: str) -> bool:
    """Is this one of the bot's nudges for ``digest_id`` (by its metadata; an earlier
    release's by its wording)?"""
    event, payload = metadata_of(message)
    if event:
        shared = str(payload.get("digest_ids") or "").split(",")
        return event == NUDGE_EVENT and (
            payload.get("digest_id") == digest_id or digest_id in shared
        )
    return "still open" in str(message.get("text") or "")


def _why(exc: BaseException) -> str:
    """A failed Slack call in a few words, for the log."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", "?")
        return f"{exc.response.get('error', 'error')} (HTTP {status})"
    return f"{type(exc).__name__}: {exc}"
