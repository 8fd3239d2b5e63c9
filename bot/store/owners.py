"""Who owns what: each ``serve`` process's identity and heartbeat lease in the ledger.

A process registers a boot id with a lease (``lease_until``) that its heartbeat renews.
Work it takes is stamped with that id as its owner: an event being handled
(``processed_events.owner``), a digest being posted (``digests.owner``, from its claim until
its last continuation is out), a nudge being posted (``nudges.owner`` while
``posting_since`` is set).

A process is *gone* when it said goodbye (``stopped``) or another process marked it gone
(``gone``): its lease lapsed, or it is known dead on this machine (``bot.lifecycle`` checks
a lock file the kernel releases when a process dies). Marking gone is one statement that
re-checks the lease, so a live process that renewed in time is never taken over. Only
the work of gone processes is taken over; a process whose own row is no longer ``live``
is *fenced*: its claims fail (``LeaseLost``) and it stops.

A row whose owner is ``''`` belongs to nobody (in flight before owners existed, or handed
back after a failed replay) and is taken over like a gone process's. A row with no owner
(NULL) was claimed by an app that never registered (``create_app`` without ``start``): it
is never taken over, since nothing can tell whether that app is alive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlite_utils import Database

from bot.errors import LeaseLost
from bot.store.ledger import NudgePlan, stamp, utcnow

log = logging.getLogger(__name__)

# A row's owner is gone (its work may be taken over); ``owner`` is the row's column.
GONE = "(owner IS NOT NULL AND owner NOT IN (SELECT boot_id FROM processes WHERE state = 'live'))"
# How long an interrupted event is still worth replaying, and how many times: an event whose
# handling kills the process every time must not crash every restart.
REPLAY_WITHIN = timedelta(days=1)
MAX_REPLAYS = 3


class ProcessRecord(BaseModel):
    """A ``serve`` process as the ledger knows it."""

    boot_id: str
    pid: int | None = None
    host: str | None = None
    state: str = "live"
    started_at: str | None = None
    beat_at: str | None = None
    lease_until: str | None = None
    taken_by: str | None = None
    ended_at: str | None = None


class OwnersMixin:
    """Process leases and takeovers for ``Store`` (which provides ``db`` and ``_immediate``)."""

    db: Database
    owner: str | None = None  # this process's boot id, once registered
    _immediate: Callable[[], AbstractContextManager[Database]]  # from LedgerMixin

    # -- this process -------------------------------------------------------------------

    def register_process(self, boot_id: str, *, pid: int, host: str, lease: timedelta) -> None:
        """Record this process as live with a fresh lease; its claims carry ``boot_id``."""
        now = utcnow()
        with self._immediate() as db:
            db.execute(
                "INSERT INTO processes (boot_id, pid, host, state, started_at, beat_at,"
                " lease_until) VALUES (?, ?, ?, 'live', ?, ?, ?)",
                [boot_id, pid, host, stamp(now), stamp(now), stamp(now + lease)],
            )
        self.owner = boot_id

    def heartbeat(self, lease: timedelta) -> bool:
        """Renew this process's lease; False when it was taken over (fenced)."""
        now = utcnow()
        with self._immediate() as db:
            cursor = db.execute(
                "UPDATE processes SET beat_at = ?, lease_until = ?"
                " WHERE boot_id = ? AND state = 'live'",
                [stamp(now), stamp(now + lease), self.owner],
            )
        return cursor.rowcount == 1

    def end_process(self, *, fence: bool = False) -> None:
        """Say goodbye: this process's unfinished work may be taken over at once. ``fence``:
        it leaves work running that it could not wait for, so it marks itself gone (taken
        over by itself) and those leftovers' claims fail from now on."""
        if self.owner is None:
            return
        with self._immediate() as db:
            db.execute(
                "UPDATE processes SET state = ?, taken_by = ?, ended_at = ?"
                " WHERE boot_id = ? AND state = 'live'",
                [
                    "gone" if fence else "stopped",
                    self.owner if fence else None,
                    stamp(utcnow()),
                    self.owner,
                ],
            )

    def live_processes(self) -> list[ProcessRecord]:
        """Every process the ledger counts as live (this one included)."""
        cursor = self.db.execute("SELECT * FROM processes WHERE state = 'live'")
        names = [d[0] for d in cursor.description]
        return [ProcessRecord(**dict(zip(names, r, strict=True))) for r in cursor.fetchall()]

    def _fence(self, db: Database) -> None:
        """Raise LeaseLost when this process may no longer claim work."""
        fence, params = self._fence_sql()
        if not db.execute(f"SELECT {fence}", params).fetchone()[0]:
            raise LeaseLost(f"process {self.owner} was taken over; it no longer claims work")

    def _fence_sql(self) -> tuple[str, list[str]]:
        """The fence as a condition for a single-statement claim."""
        if self.owner is None:
            return "1", []
        return (
            "EXISTS (SELECT 1 FROM processes WHERE boot_id = ? AND state = 'live')",
            [self.owner],
        )

    # -- other processes ----------------------------------------------------------------

    def mark_gone(self, *, dead: Iterable[str] = ()) -> list[str]:
        """Mark gone the live processes whose lease has lapsed, and those in ``dead``
        (known dead on this machine); returns their boot ids. Never this process."""
        dead = [d for d in dead if d != self.owner]
        now = stamp(utcnow())
        marks = ",".join("?" * len(dead)) or "NULL"
        with self._immediate() as db:
            rows = db.execute(
                "UPDATE processes SET state = 'gone', taken_by = ?, ended_at = ?"
                " WHERE state = 'live' AND boot_id IS NOT ?"
                f" AND (lease_until < ? OR boot_id IN ({marks})) RETURNING boot_id",
                [self.owner, now, self.owner, now, *dead],
            ).fetchall()
        return [r[0] for r in rows]

    def unfinished_events(self) -> int:
        """Events this process took and has not finished (they go to the next process)."""
        row = self.db.execute(
            "SELECT count(*) FROM processed_events"
            " WHERE owner IS ? AND state IN ('received', 'replaying') AND payload IS NOT NULL",
            [self.owner],
        ).fetchone()
        return int(row[0])

    def take_over_events(self, *, limit: int = 50) -> list[tuple[str, str]]:
        """Events a gone process took but never finished: (event_id, payload), now owned by
        this process and each handed out once for replay (``claim_event`` takes it back).
        An event whose replay started ``MAX_REPLAYS`` times already is marked failed instead."""
        since = stamp(utcnow() - REPLAY_WITHIN)
        orphans = (
            "SELECT event_id, payload, attempts FROM processed_events"
            " WHERE state IN ('received', 'replaying') AND payload IS NOT NULL"
            f" AND received_at > ? AND {GONE} ORDER BY received_at LIMIT ?"
        )
        if not self.db.execute(orphans, [since, 1]).fetchone():
            return []  # the usual answer, without taking the write lock
        taken = []
        with self._immediate() as db:
            self._fence(db)
            for event_id, payload, attempts in db.execute(orphans, [since, limit]).fetchall():
                if attempts >= MAX_REPLAYS:
                    log.error("event %s failed %d replays; giving up on it", event_id, attempts)
                    db.execute(
                        "UPDATE processed_events SET state = 'failed', owner = ?"
                        " WHERE event_id = ?",
                        [self.owner, event_id],
                    )
                    continue
                db.execute(
                    "UPDATE processed_events SET state = 'replaying', owner = ? WHERE event_id = ?",
                    [self.owner, event_id],
                )
                taken.append((event_id, payload))
        return taken

    def give_back_event(self, event_id: str) -> None:
        """A replay this process could not start (the database busy): nobody's again, so a
        later look (this process's or another's) takes it over."""
        with self.db.conn:
            self.db.execute(
                "UPDATE processed_events SET owner = '' WHERE event_id = ? AND owner IS ?"
                " AND state = 'replaying'",
                [event_id, self.owner],
            )

    def fail_event(self, event_id: str) -> None:
        """Handling this event failed with an error: keep it (and its payload, to look at)
        but never replay it; Slack had its 200 and will not send it again."""
        with self.db.conn:
            self.db.execute(
                "UPDATE processed_events SET state = 'failed', done_at = ?"
                " WHERE event_id = ? AND owner IS ?",
                [stamp(utcnow()), event_id, self.owner],
            )

    def release_orphaned_deliveries(self) -> list[str]:
        """Digests a gone process was posting: a first message never recorded is released
        for delivery (the outbox adopts one Slack did post); continuations cut short are
        marked for a redraw, which posts what is missing. Returns the ids released."""
        orphans = f"SELECT id FROM digests WHERE owner IS NOT NULL AND {GONE} LIMIT 1"
        if not self.db.execute(orphans).fetchone():
            return []
        with self._immediate() as db:
            self._fence(db)
            rows = db.execute(
                "UPDATE digests SET message_ts = NULL, owner = NULL"
                f" WHERE message_ts = '' AND {GONE} RETURNING id"
            ).fetchall()
            db.execute(f"UPDATE digests SET stale = 1, owner = NULL WHERE {GONE}")
        return [r[0] for r in rows]

    def take_over_nudges(self) -> list[NudgePlan]:
        """Nudges a gone process claimed and never recorded as posted, now this process's to
        finish (each taken by one process only); see ``finish_stuck_nudge``."""
        stuck = f"posting_since IS NOT NULL AND {GONE}"
        if not self.db.execute(f"SELECT 1 FROM nudges WHERE {stuck} LIMIT 1").fetchone():
            return []
        with self._immediate() as db:
            self._fence(db)
            cursor = db.execute(
                f"UPDATE nudges SET owner = ? WHERE {stuck} RETURNING *", [self.owner]
            )
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        return [NudgePlan.model_validate(r) for r in rows]

    def finish_stuck_nudge(
        self,
        plan: NudgePlan,
        *,
        posted_ts: str | None,
        retry_at: datetime,
        grouped: bool = False,
    ) -> bool:
        """Settle a nudge taken over: found in Slack (``posted_ts``; ``grouped``: in a
        channel message shared with other digests), or counted as not sent and due again at
        ``retry_at``. False when it moved on meanwhile."""
        with self._immediate() as db:
            if posted_ts is not None:
                cursor = db.execute(
                    "UPDATE nudges SET last_ts = ?, grouped = ?, posting_since = NULL,"
                    " owner = NULL WHERE digest_id = ? AND owner IS ? AND posting_since = ?",
                    [posted_ts, int(grouped), plan.digest_id, self.owner, plan.posting_since],
                )
            else:
                cursor = db.execute(
                    "UPDATE nudges SET sent = sent - 1, next_at = ?, updated_at = ?,"
                    " posting_since = NULL, owner = NULL"
                    " WHERE digest_id = ? AND owner IS ? AND posting_since = ?",
                    [
                        stamp(retry_at),
                        stamp(utcnow()),
                        plan.digest_id,
                        self.owner,
                        plan.posting_since,
                    ],
                )
        return cursor.rowcount == 1

    def give_back_nudge(self, plan: NudgePlan) -> None:
        """A nudge taken over that could not be checked now (Slack unavailable): nobody's
        again, for a later look."""
        with self.db.conn:
            self.db.execute(
                "UPDATE nudges SET owner = '' WHERE digest_id = ? AND owner IS ?"
                " AND posting_since = ?",
                [plan.digest_id, self.owner, plan.posting_since],
            )

    def owns_delivery(self, digest_id: str) -> bool:
        """Whether this process still holds the claim to post this digest (a process that
        was taken over must not post what its successor now delivers)."""
        fence, params = self._fence_sql()
        row = self.db.execute(
            "SELECT 1 FROM digests WHERE id = ? AND message_ts = '' AND owner IS ? AND " + fence,
            [digest_id, self.owner, *params],
        ).fetchone()
        return row is not None
