"""The ledger as the desk's memory: a new digest's figures matched against earlier ones.

Each figure is stored with its matching key (``bot.memory.ClaimKey``): kind, unit, value
and the noun it counts as indexed columns, the whole key as JSON. ``recollect`` looks up a
new digest's figures, before it is kept, by index among the workspace's posted digests of
the last N days that its channel may see (its own channel, and channels known to be public:
what was said in a private channel stays there), asks ``bot.memory.relation`` about each
candidate, and keeps the best; ``add_digest`` writes what was found with the digest, in its
one transaction:

- the **same claim**, already verified, disputed or marked not needed, with the same or a
  compatible source: the new figure **carries** that status (who, when, note, evidence); an
  audit entry says where it was carried from once the digest is in Slack;
- the same claim settled for a **different source**: the figure stays open, and its digest
  says it was settled earlier for that source's figure;
- a **changed** figure (the same thing counted, another value): it stays open, and its
  digest shows the earlier value, its source, thread and date.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlite_utils import Database

from bot.choices import SETTLED, Status
from bot.core.models import Digest
from bot.memory import ClaimKey, align, claim_keys, relation
from bot.memory.match import sources_agree
from bot.store.ledger import (
    _FIGURE_COLUMNS,
    _POSTED,
    VISIBLE,
    FigureRecord,
    _figure,
    _fts_query,
    stamp,
    utcnow,
)

CARRIER = "newsroom-bot"  # the audit log's actor for a status carried from an earlier figure
# Candidates per figure, newest first: settled figures of the same value (few), and figures
# counting the same noun (many, in a big ledger: "people").
_SAME_VALUE_CANDIDATES = 50
_SAME_NOUN_CANDIDATES = 25
_PREFERENCE = {"verified": 0, "disputed": 1, "not_needed": 2}


class Earlier(BaseModel):
    """An earlier figure that a new one matches, as the new one's views show it."""

    relation: Literal["same", "changed"]
    key: str
    text: str
    status: Status
    by: str | None = None
    at: str | None = None
    note: str | None = None
    evidence_url: str | None = None
    correction: str | None = None
    source: str | None = None  # the earlier figure's own source
    same_source: bool = True  # the new figure's source is the same or compatible
    permalink: str | None = None  # its digest's thread
    title: str | None = None
    channel: str | None = None
    seen_at: str | None = None  # when its digest was made

    @property
    def carries(self) -> bool:
        """Whether the new figure takes this one's status."""
        return self.relation == "same" and self.status in SETTLED and self.same_source


class Changes(BaseModel):
    """What changed in an article since its earlier digest: figures with a new value (old →
    new), figures added and removed (their texts), and where the earlier digest is."""

    since: str | None = None  # when the earlier digest was made
    permalink: str | None = None
    changed: list[tuple[str, str]] = []
    added: list[str] = []
    removed: list[str] = []

    @property
    def any(self) -> bool:
        return bool(self.changed or self.added or self.removed)


def changes_of(value: str | None) -> Changes | None:
    """The ``changes`` column, read."""
    if not value:
        return None
    try:
        return Changes.model_validate_json(value)
    except ValueError:
        return None


class Memory(BaseModel):
    """What the desk remembers of a digest about to be kept: the earlier figure each of its
    figures matches (by figure id), and, for a new version of an article, what changed."""

    earlier: dict[str, Earlier] = {}
    changes: Changes | None = None
    revises: str | None = None
    keys: list[ClaimKey] = []  # the digest's claim keys, which its ledger rows store


_EARLIER_COLUMNS = (
    "f.key, f.mkey, f.status, f.updated_by, f.updated_at, f.note, f.evidence_url,"
    " f.correction, f.text, f.source_name, d.permalink, d.title, d.channel, d.created_at"
)


class MemoryMixin:
    """Story memory for ``Store`` (which provides ``db`` and ``_immediate``)."""

    db: Database
    _immediate: Callable[[], AbstractContextManager[Database]]
    _set_channel: Callable[..., None]
    _channel_setting: Callable[..., Any]

    def set_channel_private(
        self, channel: str, private: bool, *, team_id: str | None = None
    ) -> None:
        """Record whether a channel is private (from a payload or conversations.info)."""
        self._set_channel(channel, {"private": int(private)}, team_id=team_id)

    def channel_private(self, channel: str, team_id: str | None = None) -> bool | None:
        value = self._channel_setting(channel, "private", team_id)
        return None if value is None else bool(value)

    def history(
        self, words: str, *, channel: str, team_id: str | None, limit: int = 20
    ) -> list[FigureRecord]:
        """The check-worthy figures the desk has seen on a subject (full text over the
        figure, its claim and its source), newest first: from public channels and from
        ``channel`` (the one asking), never another private one."""
        query = _fts_query(words)
        if not query:
            return []
        rows = self.db.execute(
            f"SELECT {_FIGURE_COLUMNS} FROM figures_fts"
            " JOIN figures f ON f.rowid = figures_fts.rowid"
            " JOIN digests d ON d.id = f.digest_id"
            f" WHERE figures_fts MATCH ? AND f.checkworthy = 1 AND {_POSTED}"
            " AND d.team_id IS ?"
            f" AND {VISIBLE}"
            " ORDER BY d.created_at DESC, f.position LIMIT ?",
            [query, team_id, channel, limit],
        )
        return [_figure(row, rows.description) for row in rows.fetchall()]

    def carried_over(
        self, *, user_id: str, since: datetime, team_id: str | None = None, limit: int = 50
    ) -> list[FigureRecord]:
        """Figures of the digests this person brought in since ``since`` that carry a
        status settled earlier (checks the desk did not have to do again), newest first."""
        team = " AND d.team_id = ?" if team_id else ""
        rows = self.db.execute(
            f"SELECT {_FIGURE_COLUMNS} FROM figures f JOIN digests d ON d.id = f.digest_id"
            f" WHERE f.user_id = ? AND f.carried_from IS NOT NULL AND f.created_at >= ?{team}"
            f" AND {_POSTED} ORDER BY f.created_at DESC, f.position LIMIT ?",
            [user_id, stamp(since), *([team_id] if team_id else []), limit],
        )
        return [_figure(row, rows.description) for row in rows.fetchall()]

    def recollect(
        self,
        digest: Digest,
        *,
        team_id: str | None,
        channel: str | None,
        since: datetime | None,
        revises: str | None = None,
    ) -> Memory:
        """What the desk remembers of a digest about to be kept: with ``revises`` (an
        earlier version of the same article), its figures paired with that version's as a
        diff pairs lines, and what changed; then, for the rest, the ledger's posted digests
        since ``since`` that ``channel`` may see. Only reads: ``add_digest`` writes what is
        found with the digest, in its one transaction."""
        keys = claim_keys(digest)
        memory = Memory(keys=keys)
        if revises is not None:
            memory = self._version(keys, revises)
        if since is not None:
            for k in keys:
                if k.figure_id in memory.earlier:
                    continue
                best = self._best_earlier(
                    k, self._candidates(k, team=team_id, channel=channel, since=since)
                )
                if best is not None:
                    memory.earlier[k.figure_id] = best
        return memory

    def _version(self, keys: list[ClaimKey], earlier_id: str) -> Memory:
        """The figures of a new version paired with those of ``earlier_id``: each kept
        figure with its earlier state (a settled one carries it), each changed one with its
        earlier value; and what changed."""
        old = self._keyed(earlier_id)
        by_id = {k.figure_id: k for k in keys}
        alignment = align([k for k, _ in old.values()], keys)
        row = self.db.execute(
            "SELECT created_at, permalink FROM digests WHERE id = ?", [earlier_id]
        ).fetchone()
        since, permalink = (row[0], row[1]) if row else (None, None)
        changes = Changes(
            since=since,
            permalink=permalink,
            changed=[(old[p.old][0].text, by_id[p.new].text) for p in alignment.changed()],
            added=[by_id[i].text for i in alignment.added],
            removed=[old[i][0].text for i in alignment.removed],
        )
        earlier = {}
        for p in alignment.pairs:
            e = _earlier(old[p.old][1], p.relation, permalink=permalink, seen_at=since)
            if e.carries or e.relation == "changed":
                earlier[p.new] = e
        return Memory(earlier=earlier, changes=changes, revises=earlier_id, keys=keys)

    def _keyed(self, digest_id: str) -> dict[str, tuple[ClaimKey, dict]]:
        """A digest's check-worthy figures with their keys, by figure id, in article order."""
        cursor = self.db.execute(
            "SELECT figure_id, mkey, key, text, status, updated_by, updated_at, note,"
            " evidence_url, correction, source_name FROM figures"
            " WHERE digest_id = ? AND mkey IS NOT NULL AND checkworthy = 1 ORDER BY position",
            [digest_id],
        )
        names = [d[0] for d in cursor.description]
        out = {}
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            out[row["figure_id"]] = (ClaimKey.model_validate_json(row["mkey"]), row)
        return out

    def _candidates(
        self,
        k: ClaimKey,
        *,
        team: str | None,
        channel: str | None,
        since: datetime,
    ) -> Iterator[dict]:
        """Earlier figures of the same kind and unit with the same value, or counting the
        same noun, in posted digests this channel may see; each found by an index."""
        kind, unit, head, value = k.kind, k.unit or "", k.head, k.magnitude
        scope = (
            " AND d.team_id IS ? AND f.created_at >= ?"
            f" AND {_POSTED}"
            f" AND {VISIBLE}"
            " ORDER BY f.created_at DESC LIMIT ?"
        )
        params = [team, stamp(since), channel]
        seen = set()
        lookups: list[tuple[str, list, int]] = []
        if value is not None:  # the same claim matters only once someone has settled it
            settled = "f.mvalue = ? AND f.status IN ('verified', 'disputed', 'not_needed')"
            lookups.append((settled, [value], _SAME_VALUE_CANDIDATES))
        if head:  # a changed figure: the same noun counted, another value
            other = "f.mhead = ? AND (f.mvalue IS NULL OR f.mvalue != ?)"
            lookups.append((other, [head, value], _SAME_NOUN_CANDIDATES))
        for where, args, limit in lookups:
            rows = self.db.execute(
                f"SELECT {_EARLIER_COLUMNS} FROM figures f JOIN digests d ON d.id = f.digest_id"
                f" WHERE f.mkind = ? AND f.munit = ? AND {where} AND f.mkey IS NOT NULL{scope}",
                [kind, unit, *args, *params, limit],
            )
            names = [d[0] for d in rows.description]
            for values in rows:
                if values[0] not in seen:
                    seen.add(values[0])
                    yield dict(zip(names, values, strict=True))

    @staticmethod
    def _best_earlier(new: ClaimKey, candidates: Iterator[dict]) -> Earlier | None:
        """The earlier figure to show: a settled same claim (its own source first, verified
        before disputed before not needed, newest first), else the newest changed one."""
        best: tuple | None = None
        for row in candidates:
            status = row["status"]
            old = ClaimKey.model_validate_json(row["mkey"])
            match = relation(old, new)
            if match is None or (match.relation == "same" and status not in SETTLED):
                continue
            earlier = _earlier(
                row,
                match.relation,
                same_source=sources_agree(old, new),
                permalink=row["permalink"],
                title=row["title"],
                channel=row["channel"],
                seen_at=row["created_at"],
            )
            rank = (
                0 if earlier.carries else 1 if match.relation == "same" else 2,
                _PREFERENCE.get(status, 3) if match.relation == "same" else 0,
            )
            if best is None or rank < best[0]:  # candidates come newest first
                best = (rank, earlier)
        return best[1] if best is not None else None


def _earlier(row: dict, relation: Literal["same", "changed"], **where: Any) -> Earlier:
    """An ``Earlier`` from a figure's ledger row (and where its digest is, ``where``)."""
    return Earlier(
        relation=relation,
        key=row["key"],
        text=row["text"],
        status=row["status"],
        by=row["updated_by"],
        at=row["updated_at"],
        note=row["note"],
        evidence_url=row["evidence_url"],
        correction=row["correction"],
        source=row["source_name"],
        **where,
    )


def audit_carried(db: Database, digest_id: str) -> None:
    """The audit entries of the statuses this digest's figures carry (once each), written
    in the transaction that records the digest as posted."""
    db.execute(
        "INSERT INTO audit (figure_key, digest_id, channel, team_id, figure_text, actor, action,"
        " old_status, new_status, note, evidence_url, correction, at, carried_from)"
        " SELECT f.key, f.digest_id, f.channel, f.team_id, f.text, ?, f.status, 'open', f.status,"
        " 'carried from ' || f.carried_from, f.evidence_url, f.correction, ?, f.carried_from"
        " FROM figures f WHERE f.digest_id = ? AND f.carried_from IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.figure_key = f.key"
        " AND a.carried_from IS NOT NULL)",
        [CARRIER, stamp(utcnow()), digest_id],
    )


def earlier_of(value: str | None) -> Earlier | None:
    """The ``earlier`` column, read."""
    if not value:
        return None
    try:
        return Earlier.model_validate(json.loads(value))
    except ValueError:
        return None
