"""The verification ledger: figures and their statuses, the audit log, nudge plans, channels.

Mixed into ``Store``; every write is one transaction. A status change reads the current
row, writes the new one and appends its audit entry under ``BEGIN IMMEDIATE``, so two
people clicking at once are applied one after the other: one consistent final state,
both actions in the log.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlite_utils import Database

from bot.choices import NEW_STATUS, SETTLED, Action, Status
from bot.core.models import Digest
from bot.errors import Conflict, StoreError
from bot.memory import ClaimKey, claim_keys


def utcnow() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """The one timestamp format in the file: UTC ISO with microseconds (sorts as text)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_stamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class FigureRecord(BaseModel):
    """One figure's row in the ledger, with the digest it belongs to."""

    key: str
    digest_id: str
    figure_id: str
    channel: str | None = None
    team_id: str | None = None  # the workspace
    user_id: str | None = None
    text: str
    kind: str
    claim_text: str | None = None
    source_name: str | None = None
    checkworthy: bool = True
    position: int = 0
    status: Status = "open"
    snoozed_until: str | None = None
    updated_by: str | None = None
    updated_at: str | None = None
    note: str | None = None
    evidence_url: str | None = None
    correction: str | None = None
    created_at: str = ""
    version: int = 0  # bumped by every status change
    carried_from: str | None = None  # the earlier figure whose status this one carries
    earlier: str | None = None  # JSON: the earlier figure it matches (bot.store.memory)
    # From the digest row, when a query joins it.
    title: str | None = None
    thread_ts: str | None = None
    permalink: str | None = None
    digest_created_at: str | None = None

    def snoozed(self, now: datetime | None = None) -> bool:
        until = parse_stamp(self.snoozed_until)
        return self.status == "open" and until is not None and until > (now or utcnow())


class AuditEntry(BaseModel):
    """One line of the append-only log: who changed which figure from what to what."""

    id: int
    figure_key: str
    digest_id: str
    channel: str | None = None
    team_id: str | None = None  # the workspace
    figure_text: str | None = None
    actor: str
    action: str
    old_status: str
    new_status: str
    note: str | None = None
    evidence_url: str | None = None
    correction: str | None = None
    snoozed_until: str | None = None
    at: str
    carried_from: str | None = None  # a status carried from this earlier figure


class Change(BaseModel):
    """What a status change did."""

    figure: FigureRecord
    entry: AuditEntry
    old_status: Status


class NudgePlan(BaseModel):
    """A digest's nudges: when the next is due and how many went out."""

    digest_id: str
    next_at: str | None = None
    sent: int = 0
    last_ts: str | None = None
    posting_since: str | None = None
    grouped: bool = False  # the latest nudge is a channel message shared with other digests


class DigestSummary(BaseModel):
    """A digest in lists: where it is and how its figures stand."""

    id: str
    channel: str | None = None
    title: str | None = None
    user_id: str | None = None
    thread_ts: str | None = None
    permalink: str | None = None
    created_at: str = ""
    open: int = 0
    total: int = 0


_POSTED = "d.message_ts IS NOT NULL AND d.message_ts != '' AND d.superseded_by IS NULL"
_FIGURE_COLUMNS = (
    "f.*, d.title AS title, d.thread_ts AS thread_ts, d.permalink AS permalink,"
    " d.created_at AS digest_created_at"
)


def memory_columns(digest: Digest, keys: list[ClaimKey] | None = None) -> dict[str, dict[str, Any]]:
    """The matching columns of each check-worthy figure, by figure id (``keys``: its claim
    keys, when they are at hand already)."""
    out = {}
    for k in claim_keys(digest) if keys is None else keys:
        out[k.figure_id] = {
            "mkind": k.kind,
            "munit": k.unit or "",
            "mvalue": k.magnitude,
            "mhead": k.head,
            "mkey": k.model_dump_json(),
        }
    return out


# What a channel may see of the ledger: its own digests, and those of channels known public.
VISIBLE = "(d.channel = ? OR d.channel IN (SELECT channel FROM channels WHERE private = 0))"

EMPTY_MEMORY = dict.fromkeys(("mkind", "munit", "mvalue", "mhead", "mkey"))


def figure_rows(
    digest_id: str,
    digest: Digest,
    *,
    channel: str | None,
    user_id: str | None,
    team_id: str | None = None,
    earlier: dict[str, Any] | None = None,
    keys: list[ClaimKey] | None = None,
):
    """Ledger rows for a new digest's figures (all of them; only check-worthy ones nag),
    with their story-memory keys (``keys``, when computed already) and what the desk
    remembers of each (``earlier``: a ``bot.store.memory.Earlier`` by figure id; a settled
    same claim's status is carried)."""
    created = stamp(utcnow())
    memory = memory_columns(digest, keys)
    for f in digest.figures:
        claim = digest.claim(f.claim_id)
        source = digest.source(f.source_id)
        e = (earlier or {}).get(f.id) if f.checkworthy else None
        carried = e is not None and e.carries
        yield {
            "key": f"{digest_id}:{f.id}",
            "digest_id": digest_id,
            "figure_id": f.id,
            "channel": channel,
            "team_id": team_id,
            "user_id": user_id,
            "text": f.text,
            "kind": f.kind,
            "claim_text": claim.text if claim else None,
            "source_name": source.name if source else None,
            "checkworthy": int(f.checkworthy),
            "position": f.start,
            "status": e.status if carried else f.status if f.checkworthy else "not_needed",
            "created_at": created,
            **memory.get(f.id, EMPTY_MEMORY),
            "updated_by": e.by if carried else None,
            "updated_at": e.at if carried else None,
            "note": e.note if carried else None,
            "evidence_url": e.evidence_url if carried else None,
            "correction": e.correction if carried else None,
            "carried_from": e.key if carried else None,
            "earlier": e.model_dump_json() if e is not None else None,
            "version": 1 if carried else 0,
        }


class LedgerMixin:
    """Ledger queries and writes for ``Store`` (which provides ``db``, and ``owner`` and
    ``_fence_sql`` through ``OwnersMixin``)."""

    db: Database
    owner: str | None = None
    _fence_sql: Callable[[], tuple[str, list[str]]]

    @contextmanager
    def _immediate(self) -> Iterator[Database]:
        # BEGIN IMMEDIATE takes the write lock up front, so a read-then-write cannot
        # interleave with another writer (busy_timeout makes the second one wait).
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- figures --------------------------------------------------------------------------

    def figures(self, digest_id: str) -> list[FigureRecord]:
        """Every figure of a digest, in article order."""
        rows = self.db.execute(
            f"SELECT {_FIGURE_COLUMNS} FROM figures f JOIN digests d ON d.id = f.digest_id"
            " WHERE f.digest_id = ? ORDER BY f.position",
            [digest_id],
        )
        return [_figure(row, rows.description) for row in rows.fetchall()]

    def figure(self, key: str) -> FigureRecord | None:
        rows = self.db.execute(
            f"SELECT {_FIGURE_COLUMNS} FROM figures f JOIN digests d ON d.id = f.digest_id"
            " WHERE f.key = ?",
            [key],
        )
        row = rows.fetchone()
        return _figure(row, rows.description) if row else None

    def change_status(
        self,
        key: str,
        action: Action,
        *,
        actor: str,
        note: str | None = None,
        evidence_url: str | None = None,
        correction: str | None = None,
        snoozed_until: datetime | None = None,
        seen_version: int | None = None,
    ) -> Change:
        """Apply a person's action to a figure and log it, atomically.

        ``seen_version``: the figure's version in the view the person acted on (-1: a view
        that carried none). When the figure has changed since and the change would overturn
        a verified, disputed or not-needed status someone else set, nothing is written and
        ``Conflict`` says what the figure is now. None skips the check (the command line).
        """
        try:
            return self._change_status(
                key,
                action,
                actor=actor,
                note=note,
                evidence_url=evidence_url,
                correction=correction,
                snoozed_until=snoozed_until,
                seen_version=seen_version,
            )
        except sqlite3.Error as exc:
            from bot.store.db import trouble

            raise StoreError(f"your change was not saved: {trouble(exc)}; try again") from exc

    def _change_status(
        self,
        key: str,
        action: Action,
        *,
        actor: str,
        note: str | None,
        evidence_url: str | None,
        correction: str | None,
        snoozed_until: datetime | None,
        seen_version: int | None,
    ) -> Change:
        new_status = NEW_STATUS[action]
        now = stamp(utcnow())
        with self._immediate() as db:
            cursor = db.execute("SELECT * FROM figures WHERE key = ?", [key])
            row = cursor.fetchone()
            if row is None:
                raise StoreError(f"no figure {key}")
            current = dict(zip([c[0] for c in cursor.description], row, strict=True))
            if (
                seen_version is not None
                and seen_version != current["version"]
                and current["status"] in SETTLED
                and current["updated_by"] not in (None, actor)
            ):
                raise Conflict(_figure(row, cursor.description))
            updates: dict[str, Any] = {
                "status": new_status,
                "updated_by": actor,
                "updated_at": now,
                "snoozed_until": stamp(snoozed_until) if snoozed_until else None,
                "version": current["version"] + 1,
            }
            if action in {"verified", "disputed", "not_needed"}:
                updates.update(note=note, evidence_url=evidence_url, correction=correction)
            elif action == "reopened":
                updates.update(note=note, evidence_url=None, correction=None)
            assignments = ", ".join(f"{k} = ?" for k in updates)
            db.execute(f"UPDATE figures SET {assignments} WHERE key = ?", [*updates.values(), key])
            entry = {
                "figure_key": key,
                "digest_id": current["digest_id"],
                "channel": current["channel"],
                "team_id": current["team_id"],
                "figure_text": current["text"],
                "actor": actor,
                "action": action,
                "old_status": current["status"],
                "new_status": new_status,
                "note": note,
                "evidence_url": evidence_url,
                "correction": correction,
                "snoozed_until": updates["snoozed_until"],
                "at": now,
            }
            cursor = db.execute(
                f"INSERT INTO audit ({', '.join(entry)}) VALUES ({', '.join('?' * len(entry))})",
                list(entry.values()),
            )
            entry["id"] = cursor.lastrowid
        figure = self.figure(key)
        assert figure is not None
        return Change(
            figure=figure, entry=AuditEntry.model_validate(entry), old_status=current["status"]
        )

    def audit(
        self, *, figure_key: str | None = None, digest_id: str | None = None
    ) -> list[AuditEntry]:
        """The log, oldest first, for one figure, one digest, or everything."""
        where, params = "1", []
        if figure_key:
            where, params = "figure_key = ?", [figure_key]
        elif digest_id:
            where, params = "digest_id = ?", [digest_id]
        rows = self.db["audit"].rows_where(where, params, order_by="id")
        return [AuditEntry.model_validate(r) for r in rows]

    def open_figures(
        self,
        *,
        channel: str | None = None,
        user_id: str | None = None,
        digest_id: str | None = None,
        team_id: str | None = None,
        awake_at: datetime | None = None,
        limit: int | None = None,
    ) -> list[FigureRecord]:
        """Open check-worthy figures of posted digests, oldest digest first (``team_id``: of
        that workspace only).

        ``awake_at`` leaves out figures snoozed beyond that moment.
        """
        where = [_POSTED, "f.status = 'open'", "f.checkworthy = 1"]
        params: list[Any] = []
        for column, value in (
            ("f.channel", channel),
            ("f.user_id", user_id),
            ("f.digest_id", digest_id),
            ("d.team_id", team_id),
        ):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if awake_at is not None:
            where.append("(f.snoozed_until IS NULL OR f.snoozed_until <= ?)")
            params.append(stamp(awake_at))
        sql = (
            f"SELECT {_FIGURE_COLUMNS} FROM figures f JOIN digests d ON d.id = f.digest_id"
            f" WHERE {' AND '.join(where)} ORDER BY d.created_at, f.position"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = self.db.execute(sql, params)
        return [_figure(row, rows.description) for row in rows.fetchall()]

    def status_counts(
        self,
        *,
        user_id: str | None = None,
        channel: str | None = None,
        team_id: str | None = None,
    ) -> dict[str, int]:
        """Check-worthy figures of posted digests by status (every status present, maybe 0)."""
        where = [_POSTED, "f.checkworthy = 1"]
        params: list[Any] = []
        for column, value in (
            ("f.user_id", user_id),
            ("f.channel", channel),
            ("d.team_id", team_id),
        ):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        counts = dict.fromkeys(("open", "verified", "disputed", "not_needed"), 0)
        for status, n in self.db.execute(
            "SELECT f.status, count(*) FROM figures f JOIN digests d ON d.id = f.digest_id"
            f" WHERE {' AND '.join(where)} GROUP BY f.status",
            params,
        ).fetchall():
            counts[status] = n
        return counts

    def channels_with_open_figures(self) -> list[tuple[str | None, str | None, str]]:
        """(workspace, its organisation, channel) of every channel with open figures, once
        each (digests from before organisations were recorded have none)."""
        rows = self.db.execute(
            "SELECT d.team_id, max(d.enterprise_id), f.channel FROM figures f JOIN digests d"
            f" ON d.id = f.digest_id WHERE {_POSTED} AND f.status = 'open' AND f.checkworthy = 1"
            " GROUP BY d.team_id, f.channel ORDER BY d.team_id, f.channel"
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows if r[2]]

    def recent_digests(
        self,
        *,
        user_id: str | None = None,
        channels: list[str] | None = None,
        team_id: str | None = None,
        limit: int = 10,
    ) -> list[DigestSummary]:
        """Posted digests, newest first: the person's own, or in these channels."""
        where = [_POSTED]
        params: list[Any] = []
        if team_id:
            where.append("d.team_id = ?")
            params.append(team_id)
        if user_id and channels:
            where.append(f"(d.user_id = ? OR d.channel IN ({', '.join('?' * len(channels))}))")
            params += [user_id, *channels]
        elif user_id:
            where.append("d.user_id = ?")
            params.append(user_id)
        elif channels:
            where.append(f"d.channel IN ({', '.join('?' * len(channels))})")
            params += channels
        return self._summaries(" AND ".join(where), params, order="d.created_at DESC", limit=limit)

    def channels_of(self, user_id: str, *, team_id: str | None = None) -> list[str]:
        """Channels where this person brought an article or acted on a figure (in this
        workspace, when given: on Enterprise Grid one person is in several)."""
        team = " AND team_id = ?" if team_id else ""
        rows = self.db.execute(
            f"SELECT channel FROM digests WHERE user_id = ? AND channel IS NOT NULL{team}"
            f" UNION SELECT channel FROM audit WHERE actor = ? AND channel IS NOT NULL{team}",
            [user_id, *([team_id] if team_id else []), user_id, *([team_id] if team_id else [])],
        ).fetchall()
        return sorted(r[0] for r in rows)

    def search(
        self,
        words: str,
        *,
        channel: str | None = None,
        seen_from: str | None = None,
        team_id: str | None = None,
        limit: int = 10,
    ) -> list[DigestSummary]:
        """Posted digests whose article or figures match ``words`` (full text), best first:
        in ``channel``; or, asked from the channel ``seen_from``, in it and in channels known
        public (never another private one); of workspace ``team_id`` when given."""
        query = _fts_query(words)
        if not query:
            return []
        params: list[Any] = [query, query]
        extra = ""
        if channel:
            extra = " AND d.channel = ?"
            params.append(channel)
        if seen_from:
            extra += f" AND {VISIBLE}"
            params.append(seen_from)
        if team_id:
            extra += " AND d.team_id = ?"
            params.append(team_id)
        sql = (
            "WITH hits AS ("
            " SELECT rowid AS r, rank FROM digests_fts WHERE digests_fts MATCH ?"
            "), fhits AS ("
            " SELECT f.digest_id AS id, min(figures_fts.rank) AS rank FROM figures_fts"
            " JOIN figures f ON f.rowid = figures_fts.rowid WHERE figures_fts MATCH ?"
            " GROUP BY f.digest_id"
            ")"
            " SELECT d.id, min(coalesce(h.rank, 0), coalesce(fh.rank, 0)) AS score FROM digests d"
            " LEFT JOIN hits h ON h.r = d.rowid LEFT JOIN fhits fh ON fh.id = d.id"
            f" WHERE (h.r IS NOT NULL OR fh.id IS NOT NULL) AND {_POSTED}{extra}"
            " ORDER BY score, d.created_at DESC"
            f" LIMIT {int(limit)}"
        )
        ids = [row[0] for row in self.db.execute(sql, params).fetchall()]
        if not ids:
            return []
        found = {s.id: s for s in self._summaries(f"d.id IN ({', '.join('?' * len(ids))})", ids)}
        return [found[i] for i in ids if i in found]

    def _summaries(
        self,
        where: str,
        params: list[Any],
        *,
        order: str = "d.created_at",
        limit: int | None = None,
    ) -> list[DigestSummary]:
        sql = (
            "SELECT d.id, d.channel, d.title, d.user_id, d.thread_ts, d.permalink, d.created_at,"
            " (SELECT count(*) FROM figures f WHERE f.digest_id = d.id AND f.checkworthy = 1"
            "   AND f.status = 'open') AS open,"
            " (SELECT count(*) FROM figures f WHERE f.digest_id = d.id AND f.checkworthy = 1)"
            "   AS total"
            f" FROM digests d WHERE {where} ORDER BY {order}"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        cursor = self.db.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [
            DigestSummary.model_validate(dict(zip(names, r, strict=True)))
            for r in cursor.fetchall()
        ]

    def ledger(
        self,
        *,
        status: str | None = None,
        channel: str | None = None,
        since: datetime | None = None,
        team_id: str | None = None,
    ) -> list[FigureRecord]:
        """Check-worthy figures of posted digests, for the exported verification record
        (one workspace's, with ``team_id``)."""
        where = [_POSTED, "f.checkworthy = 1"]
        params: list[Any] = []
        if team_id:
            where.append("d.team_id = ?")
            params.append(team_id)
        if status:
            where.append("f.status = ?")
            params.append(status)
        if channel:
            where.append("f.channel = ?")
            params.append(channel)
        if since:
            where.append("d.created_at >= ?")
            params.append(stamp(since))
        rows = self.db.execute(
            f"SELECT {_FIGURE_COLUMNS} FROM figures f JOIN digests d ON d.id = f.digest_id"
            f" WHERE {' AND '.join(where)} ORDER BY d.created_at, f.position",
            params,
        )
        return [_figure(row, rows.description) for row in rows.fetchall()]

    # -- nudges ---------------------------------------------------------------------------

    def plan_nudges(self, digest_id: str, first_at: datetime) -> None:
        """Start a digest's nudges (once: a second call leaves the plan as it is)."""
        with self.db.conn:
            plan_first_nudge(self.db, digest_id, first_at)

    def nudge_plan(self, digest_id: str) -> NudgePlan | None:
        rows = list(self.db["nudges"].rows_where("digest_id = ?", [digest_id]))
        return NudgePlan.model_validate(rows[0]) if rows else None

    def set_next_nudge(self, digest_id: str, at: datetime | None) -> None:
        """Move (or, with None, stop) a digest's next nudge."""
        with self.db.conn:
            self.db.execute(
                "UPDATE nudges SET next_at = ?, updated_at = ? WHERE digest_id = ?",
                [stamp(at) if at else None, stamp(utcnow()), digest_id],
            )

    def claim_nudge(self, digest_id: str, *, sent: int, next_at: datetime | None) -> bool:
        """Count a nudge as going out, posted by this process; False when another run
        already did (sent moved on), or this process was taken over."""
        fence, params = self._fence_sql()
        due = stamp(next_at) if next_at else None
        with self.db.conn:
            now = stamp(utcnow())
            cursor = self.db.execute(
                "UPDATE nudges SET sent = sent + 1, next_at = ?, updated_at = ?,"
                f" posting_since = ?, owner = ? WHERE digest_id = ? AND sent = ? AND {fence}",
                [due, now, now, self.owner, digest_id, sent, *params],
            )
        return cursor.rowcount == 1

    def unclaim_nudge(self, digest_id: str, *, sent: int, retry_at: datetime) -> None:
        """Undo ``claim_nudge`` after Slack refused the post; try again at ``retry_at``."""
        with self.db.conn:
            self.db.execute(
                "UPDATE nudges SET sent = ?, next_at = ?, updated_at = ?, posting_since = NULL,"
                " owner = NULL WHERE digest_id = ? AND sent = ?",
                [sent, stamp(retry_at), stamp(utcnow()), digest_id, sent + 1],
            )

    def nudge_posted(self, digest_id: str, ts: str, *, grouped: bool = False) -> None:
        """The nudge claimed is in Slack as ``ts`` (``grouped``: a channel message shared
        with other digests' nudges)."""
        with self.db.conn:
            self.db.execute(
                "UPDATE nudges SET last_ts = ?, grouped = ?, posting_since = NULL, owner = NULL"
                " WHERE digest_id = ?",
                [ts, int(grouped), digest_id],
            )

    def nudges_due_in(
        self, channel: str, *, by: datetime, besides: str, limit: int
    ) -> list[NudgePlan]:
        """Other digests in ``channel`` whose next nudge is due by ``by`` (soonest first), not
        being posted and not for a deleted message: they can go out together."""
        rows = self.db.execute(
            "SELECT n.* FROM nudges n JOIN digests d ON d.id = n.digest_id"
            " WHERE d.channel = ? AND n.digest_id != ? AND n.next_at IS NOT NULL"
            " AND n.next_at <= ? AND n.posting_since IS NULL AND d.source_deleted = 0"
            " ORDER BY n.next_at LIMIT ?",
            [channel, besides, stamp(by), limit],
        )
        names = [d[0] for d in rows.description]
        return [NudgePlan.model_validate(dict(zip(names, r, strict=True))) for r in rows]

    def grouped_nudge(self, channel: str, ts: str) -> list[str]:
        """The digests whose latest nudge is the shared channel message ``ts``, oldest first."""
        rows = self.db.execute(
            "SELECT n.digest_id FROM nudges n JOIN digests d ON d.id = n.digest_id"
            " WHERE d.channel = ? AND n.last_ts = ? AND n.grouped = 1 ORDER BY d.created_at",
            [channel, ts],
        )
        return [r[0] for r in rows]

    def due_nudges(self) -> list[NudgePlan]:
        """Every digest with a next nudge planned (the scheduler's jobs mirror these)."""
        rows = self.db["nudges"].rows_where("next_at IS NOT NULL", order_by="next_at")
        return [NudgePlan.model_validate(r) for r in rows]

    # -- channels ---------------------------------------------------------------------------

    def _channel_setting(self, channel: str, column: str, team_id: str | None = None) -> Any:
        """One of a channel's settings (``column`` of its row in this workspace, else of its
        row from before workspaces, keyed ''), or None when unset."""
        row = self.db.execute(
            f"SELECT {column} FROM channels WHERE channel = ? AND team_id IN (?, '')"
            f" AND {column} IS NOT NULL ORDER BY team_id DESC LIMIT 1",
            [channel, team_id or ""],
        ).fetchone()
        return None if row is None else row[0]

    def _set_channel(
        self,
        channel: str,
        values: dict[str, Any],
        *,
        actor: str | None = None,
        team_id: str | None = None,
    ) -> None:
        """Set some of a channel's settings in a workspace (and who set them, when a person
        did)."""
        row = {"team_id": team_id or "", "channel": channel, **values}
        if actor is not None:
            row |= {"updated_by": actor, "updated_at": stamp(utcnow())}
        with self.db.conn:
            self.db["channels"].upsert(row, pk=("team_id", "channel"))

    def watching(self, channel: str, team_id: str | None = None) -> bool:
        """Whether pastes in this channel are digested (on unless someone turned it off)."""
        value = self._channel_setting(channel, "watch", team_id)
        return True if value is None else bool(value)

    def set_watch(self, channel: str, on: bool, *, actor: str, team_id: str | None = None) -> None:
        self._set_channel(channel, {"watch": int(on)}, actor=actor, team_id=team_id)

    def thread_notes(self, channel: str, team_id: str | None = None) -> bool:
        """Whether a status change also gets a note in the digest's thread (off by default:
        the digest itself is redrawn in place)."""
        return bool(self._channel_setting(channel, "notes", team_id))

    def set_thread_notes(
        self, channel: str, on: bool, *, actor: str, team_id: str | None = None
    ) -> None:
        self._set_channel(channel, {"notes": int(on)}, actor=actor, team_id=team_id)

    def channel_hours(self, channel: str, team_id: str | None = None) -> str | None:
        """A channel's own working hours for nudges, or None (the default applies)."""
        return self._channel_setting(channel, "work_hours", team_id) or None

    def set_channel_hours(
        self, channel: str, hours: str | None, *, actor: str, team_id: str | None = None
    ) -> None:
        self._set_channel(channel, {"work_hours": hours}, actor=actor, team_id=team_id)

    # -- names ---------------------------------------------------------------------------

    def names(self, ids: Iterable[str | None]) -> dict[str, str]:
        """Known names of these user and channel ids (``alice``, ``newsdesk``)."""
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return {}
        rows = self.db.execute(
            f"SELECT id, name FROM names WHERE id IN ({', '.join('?' * len(wanted))})", wanted
        )
        return {str(i): str(n) for i, n in rows.fetchall()}

    def remember_name(self, id_: str, name: str, *, kind: str) -> None:
        with self.db.conn:
            self.db.execute(
                "INSERT INTO names (id, kind, name, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                " updated_at = excluded.updated_at",
                [id_, kind, name, stamp(utcnow())],
            )

    # -- digest extras ------------------------------------------------------------------------

    def pages(self, digest_id: str) -> list[str]:
        row = self.db.execute(
            "SELECT pages, message_ts FROM digests WHERE id = ?", [digest_id]
        ).fetchone()
        if row is None:
            return []
        if row[0]:
            return list(json.loads(row[0]))
        return [row[1]] if row[1] else []

    def set_permalink(self, digest_id: str, url: str) -> None:
        with self.db.conn:
            self.db.execute("UPDATE digests SET permalink = ? WHERE id = ?", [url, digest_id])


def plan_first_nudge(db: Database, digest_id: str, at: datetime) -> None:
    """Plan a digest's first nudge, inside the caller's transaction (once only)."""
    db.execute(
        "INSERT OR IGNORE INTO nudges (digest_id, next_at, sent, updated_at) VALUES (?, ?, 0, ?)",
        [digest_id, stamp(at), stamp(utcnow())],
    )


def insert(db: Database, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Plain INSERTs (no introspection reads that would spoil a write transaction)."""
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    db.conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [[r.get(c) for c in columns] for r in rows],
    )


def _figure(row: sqlite3.Row | tuple, description: Any) -> FigureRecord:
    return FigureRecord.model_validate(dict(zip([c[0] for c in description], row, strict=True)))


def _fts_query(words: str) -> str:
    """A safe FTS5 query: each word quoted, all required (no operators from users)."""
    tokens = re.findall(r"\w[\w'’.,%$-]*", words)
    return " ".join('"' + t.replace('"', "") + '"' for t in tokens[:12])
