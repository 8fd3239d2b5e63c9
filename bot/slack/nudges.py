"""Nudges: posting a digest's due nudge, and keeping posted nudges true.

A nudge goes in the article's thread. When other articles in the same channel have nudges
due within ``NEWSROOM_BOT_NUDGE_BATCH`` (default an hour), they go out together as one
channel message instead of one thread reply each (a busy desk's day of 20 articles is then
a handful of nudges, not sixty). Each digest's nudge is still claimed in the ledger before
anything is posted, counted and planned on its own ("Nudge 2 of 3" per article); a later
nudge for an article takes it out of the shared message, which says "superseded" once every
article in it has moved on. Messages are redrawn from the ledger whenever a figure changes.

``Desk`` inherits this; it provides ``store``, ``client``, ``settings``, ``reminders``,
``ledger_view``, ``hours``, ``_edit`` and ``_lock``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.reminders.plan import NudgeStep, next_nudge
from bot.slack.blocks import (
    MAX_ROUND,
    RoundEntry,
    nudge_message,
    round_nudge_message,
    superseded_nudge,
    superseded_round,
)
from bot.slack.deliver import post_messages
from bot.slack.outbox import _why
from bot.store import DigestRecord, NudgePlan, parse_stamp, utcnow

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from slack_sdk import WebClient

    from bot.reminders import Reminders
    from bot.settings import Settings
    from bot.slack.blocks import LedgerView, SlackMessage
    from bot.slack.workspaces import Workspaces
    from bot.store import Store
    from bot.workhours import WorkHours

log = logging.getLogger("bot.slack.desk")


@dataclass(frozen=True)
class _Due:
    """A digest whose nudge goes out now, and what the planner said about it."""

    record: DigestRecord
    plan: NudgePlan
    step: NudgeStep


class Nudges:
    """A digest's due nudge out (with any others due with it in the channel), and posted
    nudges redrawn or superseded."""

    settings: Settings
    store: Store
    workspaces: Workspaces
    slack: WebClient  # the workspace's client (Outbox)
    in_workspace: Callable[[DigestRecord], AbstractContextManager[object]]  # (Outbox)
    reachable: Callable[[DigestRecord], bool]  # (Outbox)
    reminders: Reminders | None

    # Provided by Desk.
    def ledger_view(self, digest_id: str, *, controls: bool = True) -> LedgerView:
        raise NotImplementedError

    def hours(self, channel: str | None) -> WorkHours:
        raise NotImplementedError

    def _edit(self, channel: str, ts: str, message: SlackMessage) -> None:
        raise NotImplementedError

    def _lock(self, name: str) -> threading.Lock:
        raise NotImplementedError

    # -- posting ----------------------------------------------------------------------------

    def nudge(self, digest_id: str) -> None:
        """Post a digest's due nudge (the scheduler calls this), then plan the next."""
        record = self.store.digest(digest_id)
        if record is None or not record.channel:
            return
        if not self.reachable(record):
            # The workspace uninstalled the app (its nudges were cancelled then; this job
            # fired before it was removed): nothing is posted there.
            log.info("nudge for %s skipped: its workspace has no installation", digest_id)
            return
        # One channel's nudges one at a time: those due together go out in one message,
        # and a job that fires meanwhile finds its nudge already sent. In the digest's
        # workspace, with its token.
        with self._lock(f"nudges:{record.channel}"), self.in_workspace(record):
            self._nudge(record)

    def _nudge(self, record: DigestRecord) -> None:
        digest_id, channel = record.id, record.channel or ""
        plan = self.store.nudge_plan(digest_id)
        if plan is None or not plan.next_at:
            return
        if record.source_deleted:
            self._set_next(digest_id, None)  # its message is gone: nothing more about it
            return
        now = utcnow()
        due = parse_stamp(plan.next_at)
        if due is not None and due > now + timedelta(seconds=1):
            # Moved later since this job was set (a snooze, a nudge that went out with
            # another article's, another process): never early.
            if self.reminders is not None:
                self.reminders.schedule_nudge(digest_id, due)
            return
        step = self._step(record, plan, now)
        if not step.post:
            self._set_next(digest_id, step.next_at)
            return
        going = [_Due(record, plan, step), *self._due_with(channel, now, besides=digest_id)]
        claimed = [
            d
            for d in going
            if self.store.claim_nudge(d.record.id, sent=d.plan.sent, next_at=d.step.next_at)
        ]  # one that fails was posted by another run
        if len(claimed) > 1:
            self._post_round(channel, claimed, now)
        elif claimed:
            self._post_in_thread(claimed[0], now)

    def _step(self, record: DigestRecord, plan: NudgePlan, now: datetime) -> NudgeStep:
        """What the planner says about this digest's nudge at ``now``."""
        awake = self.store.open_figures(digest_id=record.id, awake_at=now)
        sleeping = [
            parse_stamp(f.snoozed_until)
            for f in self.store.open_figures(digest_id=record.id)
            if f.snoozed(now)
        ]
        return next_nudge(
            sent=plan.sent,
            awake=len(awake),
            wakes_at=min((t for t in sleeping if t is not None), default=None),
            now=now,
            max_nudges=self.settings.max_nudges,
            delay=self.settings.nudge_delay,
            hours=self.hours(record.channel),
            timezone=self.settings.timezone,
        )

    def _due_with(self, channel: str, now: datetime, *, besides: str) -> list[_Due]:
        """Other digests in the channel whose nudges fall due within the batch window and
        would post now: they go out in the same message."""
        if self.settings.nudge_batch <= timedelta(0):
            return []
        found = []
        for plan in self.store.nudges_due_in(
            channel, by=now + self.settings.nudge_batch, besides=besides, limit=MAX_ROUND - 1
        ):
            record = self.store.digest(plan.digest_id)
            if record is None or record.channel != channel:
                continue
            step = self._step(record, plan, now)
            if step.post:
                found.append(_Due(record, plan, step))
        return found

    def _total(self, sent: int) -> int:
        return max(self.settings.max_nudges, sent)

    def _post_in_thread(self, due: _Due, now: datetime) -> None:
        record, plan, step = due.record, due.plan, due.step
        channel = record.channel or ""
        message = nudge_message(
            record.digest,
            self.ledger_view(record.id),
            user_id=record.user_id,
            number=step.number,
            total=self._total(step.number),
            next_at=step.next_at,
        )
        try:
            ts = post_messages(self.slack, [message], channel=channel, thread_ts=record.thread_ts)
        except (SlackApiError, OSError) as exc:
            self._not_posted([due], now, exc)
            return
        self.store.nudge_posted(record.id, ts[0])
        self._supersede(channel, [plan], ts[0])
        log.info("nudge %d for digest %s posted", step.number, record.id)
        self._plan_next([due])

    def _post_round(self, channel: str, going: list[_Due], now: datetime) -> None:
        entries = [
            self._entry(d.record, number=d.step.number, next_at=d.step.next_at) for d in going
        ]
        try:
            ts = post_messages(
                self.slack,
                [round_nudge_message(entries)],
                channel=channel,
                thread_ts=None,
            )[0]
        except (SlackApiError, OSError) as exc:
            self._not_posted(going, now, exc)
            return
        for d in going:
            self.store.nudge_posted(d.record.id, ts, grouped=True)
        self._supersede(channel, [d.plan for d in going], ts)
        log.info("nudges for %d digests posted together in %s", len(going), channel)
        self._plan_next(going)

    def _not_posted(self, going: list[_Due], now: datetime, exc: BaseException) -> None:
        """Slack refused the post: each nudge counts as not sent and is tried again."""
        retry = now + self.settings.retry_every
        for d in going:
            log.warning(
                "nudge for %s not posted (%s); retrying at %s", d.record.id, _why(exc), retry
            )
            self.store.unclaim_nudge(d.record.id, sent=d.plan.sent, retry_at=retry)
            if self.reminders is not None:
                self.reminders.schedule_nudge(d.record.id, retry)

    def _plan_next(self, going: list[_Due]) -> None:
        if self.reminders is None:
            return
        for d in going:
            if d.step.next_at is not None:
                self.reminders.schedule_nudge(d.record.id, d.step.next_at)

    def _entry(self, record: DigestRecord, *, number: int, next_at: datetime | None) -> RoundEntry:
        return RoundEntry(
            digest=record.digest,
            ledger=self.ledger_view(record.id),
            user_id=record.user_id,
            number=number,
            total=self._total(number),
            permalink=record.permalink,
            next_at=next_at,
        )

    # -- keeping posted nudges true ---------------------------------------------------------

    def _supersede(self, channel: str, earlier: list[NudgePlan], ts: str) -> None:
        """One live nudge per article: its nudge before the one just posted (``ts``) says it
        was superseded, or, shared with other articles, is redrawn without it."""
        redrawn = set()
        for plan in earlier:
            if not plan.last_ts or plan.last_ts == ts or plan.last_ts in redrawn:
                continue
            if plan.grouped:
                redrawn.add(plan.last_ts)
                self._redraw_round(channel, plan.last_ts)
            else:
                self._edit(
                    channel, plan.last_ts, superseded_nudge(plan.sent, self._total(plan.sent))
                )

    def _update_nudge(self, digest_id: str) -> None:
        """Redraw the digest's latest nudge, so it never lists a figure as open that is not."""
        record = self.store.digest(digest_id)
        plan = self.store.nudge_plan(digest_id)
        if record is None or not record.channel or plan is None or not plan.last_ts:
            return
        if plan.grouped:
            self._redraw_round(record.channel, plan.last_ts)
            return
        message = nudge_message(
            record.digest,
            self.ledger_view(digest_id),
            user_id=record.user_id,
            number=plan.sent,
            total=self._total(plan.sent),
            next_at=parse_stamp(plan.next_at),
        )
        with self._lock(f"nudge:{plan.last_ts}"):
            self._edit(record.channel, plan.last_ts, message)

    def _redraw_round(self, channel: str, ts: str) -> None:
        """Redraw a shared nudge from the ledger: the articles whose latest nudge it still
        is, each as it stands now ("superseded" once none is left)."""
        with self._lock(f"nudge:{ts}"):
            entries = []
            for digest_id in self.store.grouped_nudge(channel, ts):
                record = self.store.digest(digest_id)
                plan = self.store.nudge_plan(digest_id)
                if record is not None and plan is not None:
                    entries.append(
                        self._entry(record, number=plan.sent, next_at=parse_stamp(plan.next_at))
                    )
            message = round_nudge_message(entries) if entries else superseded_round()
            # Its metadata stays as posted (every article it went out for), so a process
            # adopting a nudge interrupted by a crash still finds it there.
            self._edit(channel, ts, message.model_copy(update={"metadata": None}))

    def _set_next(self, digest_id: str, at: datetime | None) -> None:
        self.store.set_next_nudge(digest_id, at)
        if self.reminders is not None:
            if at is None:
                self.reminders.cancel_nudge(digest_id)
            else:
                self.reminders.schedule_nudge(digest_id, at)
