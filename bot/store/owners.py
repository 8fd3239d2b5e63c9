"""Who owns what: each ``serve`` process's identity and heartbeat lease in the ledger.

A process registers a boot id with a lease (``lease_until``) that its heartbeat renews.
Work it takes is stamped with that id as its owner: an event being handled
(``processed_events.owner``), a digest being posted (``digests.owner`` while ``message_ts``
is ``''``), a nudge being posted (``nudges.owner`` while ``posting_since`` is set).

A process is *gone* when it said goodbye (``stopped``) or another process marked it gone
(``gone``): its lease lapsed, or it is known dead on this machine (``bot.lifecycle`` checks
a lock file the kernel releases when a process dies). Marking gone is one statement that
re-checks the lease, so a live process that renewed in time is never taken over. Only
the work of gone processes is taken over; a process whose own row is no longer ``live``
is *fenced*: its claims fail (``LeaseLost``) and it stops.

Rows with no owner (written before owners existed, or by a store without a process) count
as belonging to a gone process.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import timedelta

from pydantic import BaseModel
from sqlite_utils import Database

from bot.errors import LeaseLost
from bot.store.ledger import NudgePlan, stamp, utcnow

# A row's owner is gone (its work may be taken over); ``owner`` is the row's column.
GONE = "(owner IS NULL OR owner NOT IN (SELECT boot_id FROM processes WHERE state = 'live'))"
# How long an interrupted event is still worth replaying.
REPLAY_WITHIN = timedelta(days=1)


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

    def end_process(self) -> None:
        """Say goodbye: this process's unfinished work may be taken over at once."""
        if self.owner is None:
            return
        with self._immediate() as db:
            db.execute(
                "UPDATE processes SET state = 'stopped', ended_at = ?"
                " WHERE boot_id = ? AND state = 'live'",
                [stamp(utcnow()), self.owner],
            )

    def process(self, boot_id: str) -> ProcessRecord | None:
        row = self.db.execute("SELECT * FROM processes WHERE boot_id = ?", [boot_id])
        found = row.fetchone()
        if found is None:
            return None
        return ProcessRecord(**dict(zip([d[0] for d in row.description], found, strict=True)))

    def live_processes(self) -> list[ProcessRecord]:
        """Every process the ledger counts as live (this one included)."""
        cursor = self.db.execute("SELECT * FROM processes WHERE state = 'live'")
        names = [d[0] for d in cursor.description]
        return [ProcessRecord(**dict(zip(names, r, strict=True))) for r in cursor.fetchall()]

    def _fence(self, db: Database) -> None:
        """Raise LeaseLost when this process may no longer claim work."""
        if self.owner is None:
            return
        row = db.execute(
            "SELECT 1 FROM processes WHERE boot_id = ? AND state = 'live'", [self.owner]
        ).fetchone()
        if row is None:
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
        this process and each handed out once for replay (``claim_event`` takes it back)."""
        since = stamp(utcnow() - REPLAY_WITHIN)
        orphans = (
            "SELECT event_id, payload FROM processed_events"
            " WHERE state IN ('received', 'replaying') AND payload IS NOT NULL"
            f" AND received_at > ? AND {GONE} ORDER BY received_at LIMIT ?"
        )
        if not self.db.execute(orphans, [since, 1]).fetchone():
            return []  # the usual answer, without taking the write lock
        with self._immediate() as db:
            self._fence(db)
            rows = db.execute(orphans, [since, limit]).fetchall()
            for event_id, _ in rows:
                db.execute(
                    "UPDATE processed_events SET state = 'replaying', owner = ? WHERE event_id = ?",
                    [self.owner, event_id],
                )
        return [(r[0], r[1]) for r in rows]

    def release_orphaned_deliveries(self) -> list[str]:
        """Digests a gone process claimed for posting and never recorded as posted: release
        them for delivery (the outbox adopts one Slack did post). Returns their ids."""
        orphans = f"SELECT id FROM digests WHERE message_ts = '' AND {GONE} LIMIT 1"
        if not self.db.execute(orphans).fetchone():
            return []
        with self._immediate() as db:
            rows = db.execute(
                "UPDATE digests SET message_ts = NULL, owner = NULL"
                f" WHERE message_ts = '' AND {GONE} RETURNING id"
            ).fetchall()
        return [r[0] for r in rows]

    def stuck_nudges(self) -> list[NudgePlan]:
        """Nudges claimed for posting by a process that is gone and never marked posted."""
        rows = self.db["nudges"].rows_where(f"posting_since IS NOT NULL AND {GONE}")
        return [NudgePlan.model_validate(r) for r in rows]

    def owns_delivery(self, digest_id: str) -> bool:
        """Whether this process still holds the claim to post this digest (a process that
        was taken over must not post what its successor now delivers)."""
        fence, params = self._fence_sql()
        try:
            row = self.db.execute(
                "SELECT 1 FROM digests WHERE id = ? AND message_ts = '' AND owner IS ?"
                f" AND {fence}",
                [digest_id, self.owner, *params],
            ).fetchone()
        except sqlite3.Error:
            return False
        return row is not None
