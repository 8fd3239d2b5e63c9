"""``Store``: one SQLite file (WAL mode) behind a small API of newsroom words.

sqlite-utils opens connections with ``check_same_thread=True``, and Bolt's listeners and
the scheduler run on many threads, so every thread gets its own connection to the same
file. WAL lets readers carry on while one writer commits; ``busy_timeout`` makes a writer
wait for the lock instead of failing at once.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel
from sqlite_utils import Database

from bot.core.models import Digest
from bot.errors import StoreError
from bot.store.ledger import LedgerMixin, figure_rows, insert, plan_first_nudge
from bot.store.memory import Memory, MemoryMixin, audit_carried
from bot.store.migrations import APPEND_ONLY, migrations
from bot.store.owners import GONE, OwnersMixin

_BUSY_TIMEOUT_S = 15.0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class DigestRecord(BaseModel):
    """A digest the bot produced, and where it lives in Slack."""

    id: str
    team_id: str | None = None
    enterprise_id: str | None = None  # the organisation, on Enterprise Grid
    channel: str | None = None
    source_ts: str | None = None
    thread_ts: str | None = None
    user_id: str | None = None
    via: str = "paste"
    title: str | None = None
    digest: Digest
    message_ts: str | None = None
    permalink: str | None = None
    created_at: str = ""
    source_deleted: bool = False  # the message it answers was deleted
    revises: str | None = None  # the digest of the version before, when this is a new one
    changes: str | None = None  # JSON: what changed since that version (bot.store.memory)
    superseded_by: str | None = None  # the digest of the edited message that replaced this one


def _rows(record: DigestRecord, memory: Memory | None) -> tuple[dict, list[dict]]:
    """A new digest's row and its figures' rows, with what the desk remembers of them.
    Built before the write lock is taken: Python work inside a transaction holds every
    other writer up while it waits for the interpreter."""
    digest = record.digest
    row = record.model_dump(mode="json")
    row["digest"] = digest.model_dump_json()
    row["summary"] = digest.summary
    row["body"] = digest.article.text
    row["url"] = digest.article.url
    figures = figure_rows(
        record.id,
        digest,
        channel=record.channel,
        user_id=record.user_id,
        team_id=record.team_id,
        earlier=memory.earlier if memory is not None else None,
        keys=memory.keys if memory is not None and memory.keys else None,
    )
    return row, list(figures)


def _workspace_rows(team_id: str | None, enterprise_id: str | None) -> tuple[str, list[str]]:
    """Which digests (``d``) belong to a workspace, or to every workspace of an
    organisation (an org-wide install, ``team_id`` None)."""
    if team_id:
        return "d.team_id = ?", [team_id]
    if enterprise_id:
        return "d.enterprise_id = ?", [enterprise_id]
    raise ValueError("a workspace or an organisation is needed")


def _connect(path: str, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=timeout, check_same_thread=False)


def trouble(exc: sqlite3.Error) -> str:
    """What went wrong with the database, in a reporter's words."""
    text = str(exc).lower()
    if "full" in text:
        return "the bot's database is full (out of disk space)"
    if "locked" in text or "busy" in text:
        return "the bot's database is busy"
    if "readonly" in text or "read-only" in text:
        return "the bot's database is read-only"
    return "the bot's database failed"


class Store(LedgerMixin, MemoryMixin, OwnersMixin):
    """The bot's SQLite file. Safe to share across threads; each thread has a connection.

    Claims (events, deliveries, nudges) carry ``owner``, this process's boot id once
    ``register_process`` ran (see ``bot.store.owners``)."""

    def __init__(
        self,
        path: str | Path,
        *,
        timeout: float = _BUSY_TIMEOUT_S,
        connect: Callable[[str, float], sqlite3.Connection] | None = None,
    ) -> None:
        """Open (and migrate) the file. ``timeout``: how long a writer waits for another's
        lock; ``connect``: how a thread's connection is made (a seam for tests)."""
        self.path = str(path)
        self.timeout = timeout
        self._connect = connect or _connect
        self._local = threading.local()
        self._lock = threading.Lock()
        # Each thread's connection, keyed by its thread: the HTTP server starts a thread per
        # request, so connections of threads that have ended are closed as new ones open.
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        try:
            db = self.db
            db.enable_wal()
            migrations.apply(db)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc

    @property
    def db(self) -> Database:
        """This thread's connection, opened on first use."""
        database = getattr(self._local, "db", None)
        if database is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # check_same_thread=False only so the connection of a thread that has ended can
            # be closed from another; a connection is only ever used by the thread that
            # opened it, and never closed while that thread may still use it.
            conn = self._connect(self.path, self.timeout)
            conn.execute("PRAGMA foreign_keys = ON")
            with self._lock:
                self._close_ended()
                self._connections[threading.current_thread()] = conn
            database = self._local.db = Database(conn)
        return database

    def _close_ended(self) -> None:
        for thread in [t for t in self._connections if not t.is_alive()]:
            self._connections.pop(thread).close()

    def close(self) -> int:
        """Close this thread's connection and those of threads that have ended.

        A connection of a thread still running (a listener the stop could not wait for) is
        left to that thread: it closes when the thread ends and drops its reference.
        Closing it here could pull it from under a statement in flight. Returns how many
        connections were left open that way.
        """
        me = threading.current_thread()
        with self._lock:
            mine = self._connections.pop(me, None)
            if mine is not None:
                mine.close()
            self._local.__dict__.pop("db", None)
            self._close_ended()
            left = len(self._connections)
            # Forget them: each stays referenced (and open) only by its own thread's local.
            self._connections.clear()
        return left

    # -- event deduplication -------------------------------------------------------------

    def claim_event(
        self, event_id: str, *, team_id: str | None = None, payload: str | None = None
    ) -> bool:
        """Record an incoming event (and its payload, until handled) as this process's;
        False when it was already claimed (a redelivery). An event this process took over
        for replay is claimable once. Raises LeaseLost when this process was taken over."""
        with self._immediate() as db:
            self._fence(db)
            cursor = db.execute(
                "INSERT OR IGNORE INTO processed_events"
                " (event_id, team_id, state, received_at, payload, owner)"
                " VALUES (?, ?, 'received', ?, ?, ?)",
                [event_id, team_id, _now(), payload, self.owner],
            )
            if cursor.rowcount == 1:
                return True
            cursor = db.execute(
                "UPDATE processed_events SET state = 'received', attempts = attempts + 1"
                " WHERE event_id = ? AND state = 'replaying' AND owner IS ?",
                [event_id, self.owner],
            )
            return cursor.rowcount == 1

    def finish_event(self, event_id: str) -> None:
        """The event was handled: its payload is no longer needed."""
        with self.db.conn:
            self.db.execute(
                "UPDATE processed_events SET state = 'done', payload = NULL, done_at = ?"
                " WHERE event_id = ?",
                [_now(), event_id],
            )

    def event_state(self, event_id: str) -> str | None:
        """'received', or None when the event was never claimed (or was released)."""
        row = self.db.execute(
            "SELECT state FROM processed_events WHERE event_id = ?", [event_id]
        ).fetchone()
        return row[0] if row else None

    def prune_events(self, *, older_than: timedelta = timedelta(days=2)) -> int:
        """Drop dedup rows older than Slack's retry window ever reaches; returns how many."""
        cutoff = (datetime.now(UTC) - older_than).isoformat(timespec="microseconds")
        with self.db.conn:
            cursor = self.db.execute("DELETE FROM processed_events WHERE received_at < ?", [cutoff])
        return cursor.rowcount

    # -- digests -----------------------------------------------------------------------------

    def add_digest(
        self,
        digest: Digest,
        *,
        team_id: str | None = None,
        enterprise_id: str | None = None,
        channel: str | None = None,
        source_ts: str | None = None,
        thread_ts: str | None = None,
        user_id: str | None = None,
        via: str = "paste",
        claimed: bool = False,
        memory: Memory | None = None,
    ) -> DigestRecord | None:
        """Keep a new digest; None when this message (channel, source_ts) already has one.

        ``claimed`` stores it as being delivered already (see ``claim_delivery``), so the
        outbox never sees it unclaimed between the insert and the post.
        """
        record = DigestRecord(
            id=uuid.uuid4().hex[:16],
            team_id=team_id,
            enterprise_id=enterprise_id,
            channel=channel,
            source_ts=source_ts,
            thread_ts=thread_ts,
            user_id=user_id,
            via=via,
            title=digest.article.title,
            digest=digest,
            created_at=_now(),
            revises=memory.revises if memory is not None else None,
            changes=memory.changes.model_dump_json() if memory and memory.changes else None,
        )
        row, figures = _rows(record, memory)
        if claimed:
            row["message_ts"] = ""
            row["owner"] = self.owner
        try:
            with self._immediate() as db:
                if claimed:
                    self._fence(db)
                insert(db, "digests", [row])
                insert(db, "figures", figures)
        except sqlite3.IntegrityError:
            return None
        return record

    def digest(self, digest_id: str) -> DigestRecord | None:
        """The digest with this id."""
        return self._one("id = ?", [digest_id])

    def leave_workspace(self, team_id: str | None, enterprise_id: str | None = None) -> list[str]:
        """A workspace uninstalled the app (``team_id``; an org-wide install: every workspace
        of ``enterprise_id``): its planned nudges are cancelled. Returns those digests."""
        where, params = _workspace_rows(team_id, enterprise_id)
        with self._immediate() as db:
            ids = [
                r[0]
                for r in db.execute(
                    "SELECT n.digest_id FROM nudges n JOIN digests d ON d.id = n.digest_id"
                    f" WHERE n.next_at IS NOT NULL AND {where}",
                    params,
                ).fetchall()
            ]
            db.execute(
                "UPDATE nudges SET next_at = NULL, updated_at = ?"
                f" WHERE digest_id IN (SELECT d.id FROM digests d WHERE {where})",
                [_now(), *params],
            )
        return ids

    def purge_workspace(
        self, team_id: str | None, enterprise_id: str | None = None, *, why: str
    ) -> dict[str, int]:
        """Delete a workspace's rows (its digests, figures, audit entries, nudge plans,
        channel settings and events), the audit log's included: a maintenance step that
        leaves a tombstone row (``purges``) saying which workspace, when and why. The audit
        log's append-only guard is lifted for this one transaction only, so no other
        connection ever sees it off. Returns the rows deleted per table."""
        where, params = _workspace_rows(team_id, enterprise_id)
        ids = f"SELECT d.id FROM digests d WHERE {where}"
        counts: dict[str, int] = {}
        with self._immediate() as db:
            db.execute("DROP TRIGGER audit_no_delete")
            for table in ("audit", "nudges", "figures"):
                cursor = db.execute(f"DELETE FROM {table} WHERE digest_id IN ({ids})", params)
                counts[table] = cursor.rowcount
            db.execute(APPEND_ONLY[1])
            counts["digests"] = db.execute(
                f"DELETE FROM digests AS d WHERE {where}", params
            ).rowcount
            if team_id:
                counts["channels"] = db.execute(
                    "DELETE FROM channels WHERE team_id = ?", [team_id]
                ).rowcount
                counts["events"] = db.execute(
                    "DELETE FROM processed_events WHERE team_id = ?", [team_id]
                ).rowcount
            db.execute(
                "INSERT INTO purges (team_id, enterprise_id, at, why, counts)"
                " VALUES (?, ?, ?, ?, ?)",
                [team_id, enterprise_id, _now(), why, json.dumps(counts)],
            )
        return counts

    def purges(self) -> list[dict]:
        """The tombstones of purged workspaces, oldest first."""
        return [dict(r) for r in self.db["purges"].rows_where(order_by="id")]

    def supersede(
        self, record: DigestRecord, digest: Digest, *, memory: Memory | None = None
    ) -> DigestRecord | None:
        """The author edited the message ``record`` answers: a new digest of it takes over
        (the same channel, source message, thread, Slack message and permalink, and the
        nudges), revising the old one, which keeps its figures and audit entries but drops
        out of every list. One transaction; None when ``record`` is not posted or was
        replaced already."""
        new = record.model_copy(
            update={
                "id": uuid.uuid4().hex[:16],
                "title": digest.article.title,
                "digest": digest,
                "created_at": _now(),
                "revises": record.id,
                "changes": memory.changes.model_dump_json() if memory and memory.changes else None,
                "superseded_by": None,
            }
        )
        row, figures = _rows(new, memory)
        now = _now()
        with self._immediate() as db:
            old = db.execute(
                "SELECT pages FROM digests WHERE id = ? AND superseded_by IS NULL"
                " AND message_ts IS NOT NULL AND message_ts != ''",
                [record.id],
            ).fetchone()
            if old is None:
                return None
            # The old one lets go of its message (the unique key) before the new takes it.
            db.execute(
                "UPDATE digests SET source_ts = ?, superseded_by = ? WHERE id = ?",
                [f"{record.source_ts}~{record.id}", new.id, record.id],
            )
            row["pages"] = old[0]
            insert(db, "digests", [row])
            insert(db, "figures", figures)
            db.execute(
                "INSERT INTO nudges (digest_id, next_at, sent, last_ts, grouped, updated_at)"
                " SELECT ?, next_at, sent, last_ts, grouped, ? FROM nudges WHERE digest_id = ?",
                [new.id, now, record.id],
            )
            db.execute("UPDATE nudges SET next_at = NULL WHERE digest_id = ?", [record.id])
        return self.digest(new.id)

    def record_carried(self, digest_id: str) -> None:
        """The audit entries of statuses this (already posted) digest carries."""
        with self._immediate() as db:
            audit_carried(db, digest_id)

    def latest_version(self, digest_id: str) -> str:
        """The digest that now stands for this one (following edits), or this one."""
        seen = {digest_id}
        while True:
            row = self.db.execute(
                "SELECT superseded_by FROM digests WHERE id = ?", [digest_id]
            ).fetchone()
            if row is None or not row[0] or row[0] in seen:
                return digest_id
            digest_id = row[0]
            seen.add(digest_id)

    def mark_source_deleted(self, digest_id: str) -> None:
        """The message this digest answers is gone: no more nudges for it."""
        with self.db.conn:
            self.db.execute("UPDATE digests SET source_deleted = 1 WHERE id = ?", [digest_id])
            self.db.execute("UPDATE nudges SET next_at = NULL WHERE digest_id = ?", [digest_id])

    def digest_for_message(
        self, channel: str, source_ts: str, *, team_id: str | None = None
    ) -> DigestRecord | None:
        """The digest of the Slack message at (channel, ts), if the bot made one (in this
        workspace, when given: a shared channel's message has one in each)."""
        if team_id:
            return self._one(
                "channel = ? AND source_ts = ? AND team_id = ?", [channel, source_ts, team_id]
            )
        return self._one("channel = ? AND source_ts = ?", [channel, source_ts])

    def set_posted(
        self,
        digest_id: str,
        *,
        channel: str,
        message_ts: str,
        thread_ts: str | None = None,
        pages: list[str] | None = None,
        nudge_at: datetime | None = None,
    ) -> bool:
        """Record where the digest's message went (its channel, ts and thread), in one
        transaction with the ts of every message posted (``pages``) and its first nudge
        (``nudge_at``). False when the digest is no longer this process's to record (taken
        over meanwhile)."""
        with self._immediate() as db:
            cursor = db.execute(
                "UPDATE digests SET channel = ?, message_ts = ?,"
                " thread_ts = coalesce(?, thread_ts), pages = coalesce(?, pages), owner = NULL"
                " WHERE id = ? AND (message_ts IS NULL OR (message_ts = '' AND owner IS ?))",
                [
                    channel,
                    message_ts,
                    thread_ts,
                    json.dumps(pages) if pages is not None else None,
                    digest_id,
                    self.owner,
                ],
            )
            if cursor.rowcount != 1:
                return False
            # A shared /digest gets its channel only now; its figures follow it.
            db.execute("UPDATE figures SET channel = ? WHERE digest_id = ?", [channel, digest_id])
            audit_carried(db, digest_id)
            if nudge_at is not None:
                plan_first_nudge(db, digest_id, nudge_at)
        return True

    def claim_delivery(self, digest_id: str) -> bool:
        """Reserve a not-yet-posted digest for posting by this process; False when it is
        posted or being posted (or this process was taken over)."""
        fence, params = self._fence_sql()
        with self.db.conn:
            cursor = self.db.execute(
                "UPDATE digests SET message_ts = '', owner = ?"
                f" WHERE id = ? AND message_ts IS NULL AND {fence}",
                [self.owner, digest_id, *params],
            )
        return cursor.rowcount == 1

    def release_delivery(self, digest_id: str) -> None:
        """Undo ``claim_delivery`` after a failed post."""
        with self.db.conn:
            self.db.execute(
                "UPDATE digests SET message_ts = NULL, owner = NULL"
                " WHERE id = ? AND message_ts = '' AND owner IS ?",
                [digest_id, self.owner],
            )

    def digest_for_link(
        self, channel: str, url: str, *, since: datetime, team_id: str | None = None
    ) -> DigestRecord | None:
        """The latest posted digest of this (canonical) link in this channel since ``since``
        (in this workspace, when given)."""
        team = " AND team_id = ?" if team_id else ""
        rows = list(
            self.db["digests"].rows_where(
                "channel = ? AND url = ? AND created_at >= ? AND message_ts IS NOT NULL"
                f" AND message_ts != ''{team}",
                [
                    channel,
                    url,
                    since.astimezone(UTC).isoformat(timespec="microseconds"),
                    *([team_id] if team_id else []),
                ],
                order_by="created_at DESC",
                limit=1,
            )
        )
        return self._record(dict(rows[0])) if rows else None

    def page(self, url: str, *, since: datetime) -> dict | None:
        """A page fetched from this canonical URL since ``since`` (the fetch cache)."""
        rows = list(
            self.db["pages"].rows_where(
                "url = ? AND fetched_at >= ?",
                [url, since.astimezone(UTC).isoformat(timespec="microseconds")],
            )
        )
        return dict(rows[0]) if rows else None

    def save_page(self, page: dict) -> None:
        """Keep a fetched page (replacing an older copy)."""
        row = {**page, "fetched_at": _now()}
        columns = list(row)
        with self.db.conn:
            self.db.execute(
                f"INSERT OR REPLACE INTO pages ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})",
                [row[c] for c in columns],
            )

    def unposted_digests(self, *, since: datetime) -> list[DigestRecord]:
        """Thread digests (not private /digest copies) stored but never recorded as posted:
        a crash between Slack's answer and ``set_posted`` leaves these behind."""
        rows = self.db["digests"].rows_where(
            "message_ts IS NULL AND via != 'command' AND created_at >= ?",
            [since.astimezone(UTC).isoformat(timespec="microseconds")],
            order_by="created_at",
        )
        return [self._record(dict(row)) for row in rows]

    def set_stale(self, digest_id: str, stale: bool) -> None:
        """Mark a digest whose Slack messages lag behind the ledger (or clear the mark)."""
        with self.db.conn:
            self.db.execute(
                "UPDATE digests SET stale = ? WHERE id = ? AND stale != ?",
                [int(stale), digest_id, int(stale)],
            )

    def stale_digests(self) -> list[str]:
        """Digests to redraw, leaving out those another live process is still posting."""
        rows = self.db.execute(
            "SELECT id FROM digests WHERE stale = 1 AND (owner IS NULL OR owner IS ?"
            f" OR {GONE}) ORDER BY created_at",
            [self.owner],
        )
        return [r[0] for r in rows.fetchall()]

    def forget_digest(self, digest_id: str) -> None:
        """Remove a digest that could not be delivered, so a retry may produce it again."""
        with self.db.conn:
            for table in ("nudges", "figures"):
                self.db.execute(f"DELETE FROM {table} WHERE digest_id = ?", [digest_id])
            self.db.execute("DELETE FROM digests WHERE id = ?", [digest_id])

    def _one(self, where: str, params: list[str]) -> DigestRecord | None:
        rows = list(self.db["digests"].rows_where(where, params, limit=1))
        if not rows:
            return None
        return self._record(dict(rows[0]))

    @staticmethod
    def _record(row: dict) -> DigestRecord:
        row["digest"] = Digest.model_validate_json(row["digest"])
        return DigestRecord.model_validate(row)
