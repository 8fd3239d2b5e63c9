"""The schema, as sqlite-utils migrations applied in order at start-up.

Never edit a migration that has shipped: add a new one. Each runs in a transaction.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("newsroom-bot")


@migrations()
def m001_processed_events(db: Database) -> None:
    # Slack redelivers events (timeouts, non-2xx, Socket Mode reconnects): one row per
    # event_id is how the same delivery never produces a second digest.
    db["processed_events"].create(
        {"event_id": str, "team_id": str, "state": str, "received_at": str},
        pk="event_id",
    )
    db["processed_events"].create_index(["received_at"])


@migrations()
def m002_digests(db: Database) -> None:
    # One row per digest the bot produced: where the article was, who brought it, the
    # digest JSON, and where the bot's reply went (so it can be found, shared or edited).
    db["digests"].create(
        {
            "id": str,
            "team_id": str,
            "channel": str,
            "source_ts": str,
            "thread_ts": str,
            "user_id": str,
            "via": str,
            "title": str,
            "digest": str,
            "message_ts": str,
            "created_at": str,
        },
        pk="id",
    )
    db["digests"].create_index(["channel", "source_ts"], unique=True)
    db["digests"].create_index(["created_at"])


@migrations()
def m003_ledger(db: Database) -> None:
    # The verification ledger. Every figure of every digest gets a row; its status moves
    # open → verified / disputed / not_needed (or back) only through Store.change_status,
    # which also appends to the audit log in the same transaction.
    db["digests"].add_column("pages", str)  # JSON list of the ts of every message posted
    db["digests"].add_column("permalink", str)  # the thread's link, cached once asked for
    db["digests"].add_column("summary", str)
    db["digests"].add_column("body", str)  # the article text, for full-text search
    db["figures"].create(
        {
            "key": str,  # "{digest_id}:{figure_id}"
            "digest_id": str,
            "figure_id": str,
            "channel": str,
            "user_id": str,  # who brought the article
            "text": str,
            "kind": str,
            "claim_text": str,
            "source_name": str,
            "checkworthy": int,
            "position": int,  # the figure's offset in the article, for ordering
            "status": str,
            "snoozed_until": str,
            "updated_by": str,
            "updated_at": str,
            "note": str,
            "evidence_url": str,
            "correction": str,
            "created_at": str,
        },
        pk="key",
        foreign_keys=[("digest_id", "digests", "id")],
    )
    db["figures"].create_index(["digest_id"])
    db["figures"].create_index(["status", "channel"])
    db["figures"].create_index(["user_id", "status"])
    db["audit"].create(
        {
            "id": int,
            "figure_key": str,
            "digest_id": str,
            "channel": str,
            "figure_text": str,
            "actor": str,
            "action": str,
            "old_status": str,
            "new_status": str,
            "note": str,
            "evidence_url": str,
            "correction": str,
            "snoozed_until": str,
            "at": str,
        },
        pk="id",
    )
    db["audit"].create_index(["figure_key"])
    db["audit"].create_index(["at"])
    # Append-only: the record a standards desk files cannot be edited after the fact.
    db.execute(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    db["nudges"].create(
        {
            "digest_id": str,
            "next_at": str,  # when the next nudge is due (UTC ISO); NULL when none is
            "sent": int,  # nudges posted so far
            "last_ts": str,  # the last nudge message
            "updated_at": str,
        },
        pk="digest_id",
        foreign_keys=[("digest_id", "digests", "id")],
    )
    db["nudges"].create_index(["next_at"])
    db["channels"].create(
        {"channel": str, "watch": int, "updated_by": str, "updated_at": str}, pk="channel"
    )
    db["figures"].enable_fts(["text", "claim_text", "source_name"], create_triggers=True)
    db["digests"].enable_fts(["title", "summary", "body"], create_triggers=True)


@migrations()
def m004_links(db: Database) -> None:
    # Link digests: the canonical URL of a digest's article (to point a second paste of
    # the same link at the first thread), and fetched pages cached for a while.
    db["digests"].add_column("url", str)
    db["digests"].create_index(["channel", "url"])
    db["pages"].create(
        {
            "url": str,  # canonical
            "final_url": str,
            "title": str,
            "text": str,
            "byline": str,
            "published": str,
            "outlet": str,
            "fetched_at": str,
        },
        pk="url",
    )


@migrations()
def m005_outbox(db: Database) -> None:
    # A digest whose last edit (or continuation) did not reach Slack is redrawn by the
    # outbox when Slack is back; undelivered digests are the rows without a message_ts.
    db["digests"].add_column("stale", int, not_null_default=0)
    db["digests"].create_index(["stale"])


@migrations()
def m006_event_payloads(db: Database) -> None:
    # The event itself is kept until it is handled, so one a crash interrupted (Slack had
    # its 200 already and will not send it again) can be replayed from the file.
    db["processed_events"].add_column("payload", str)
    db["processed_events"].add_column("done_at", str)
    db["processed_events"].create_index(["state", "received_at"])


@migrations()
def m007_nudge_posting(db: Database) -> None:
    # Set while a claimed nudge is being posted: a crash in between leaves it set, and the
    # outbox then finds the nudge in the thread (adopts it) or posts it again.
    db["nudges"].add_column("posting_since", str)


@migrations()
def m008_owners(db: Database) -> None:
    # Each serve process registers itself with a heartbeat lease; the work it has taken
    # (events being handled, deliveries being posted, nudges being posted) names it as the
    # owner, so a successor takes over exactly the work of processes that are gone.
    db["processes"].create(
        {
            "boot_id": str,
            "pid": int,
            "host": str,
            "state": str,  # live, stopped (said goodbye) or gone (taken over)
            "started_at": str,
            "beat_at": str,
            "lease_until": str,
            "taken_by": str,
            "ended_at": str,
        },
        pk="boot_id",
    )
    db["processes"].create_index(["state"])
    db["processed_events"].add_column("owner", str)
    db["processed_events"].add_column("attempts", int, not_null_default=0)  # replays so far
    # Who is posting it: while message_ts = '' (the first message), and on until every
    # continuation is out; NULL once it is all in Slack.
    db["digests"].add_column("owner", str)
    db["nudges"].add_column("owner", str)  # who is posting it, while posting_since is set
    # Work in flight from before owners existed belongs to no live process: '' (nobody's).
    db.execute("UPDATE processed_events SET owner = '' WHERE state IN ('received', 'replaying')")
    db.execute("UPDATE digests SET owner = '' WHERE message_ts = ''")
    db.execute("UPDATE nudges SET owner = '' WHERE posting_since IS NOT NULL")
    # The takeover looks for claimed work every few seconds: keep those looks small.
    db.execute("CREATE INDEX idx_digests_in_flight ON digests(owner) WHERE owner IS NOT NULL")
    db.execute("CREATE INDEX idx_nudges_posting ON nudges(owner) WHERE posting_since IS NOT NULL")


@migrations()
def m009_figure_versions(db: Database) -> None:
    # Every status change bumps a figure's version; a change carries the version the person
    # saw, so one made on an outdated view never silently overturns someone else's work.
    db["figures"].add_column("version", int, not_null_default=0)
    # A note in the thread after each status change is off unless a channel turns it on.
    db["channels"].add_column("notes", int, not_null_default=0)
    # A channel's own working hours for nudges ("sat,sun 09:00-17:00"); NULL: the default.
    db["channels"].add_column("work_hours", str)
    # The message a digest answers was deleted: nothing more is posted for it.
    db["digests"].add_column("source_deleted", int, not_null_default=0)
    # People's and channels' names (users.info, conversations.info), so the ledger a
    # standards editor hands on reads "@alice in #newsdesk", not "U0123 in C0456".
    db["names"].create(
        {"id": str, "kind": str, "name": str, "updated_at": str}, pk="id", not_null={"name"}
    )


@migrations()
def m010_nudge_rounds(db: Database) -> None:
    # Nudges of several digests in one channel, due together, go out as one channel message
    # (a round); 1 while a digest's latest nudge (last_ts) is such a shared message.
    db["nudges"].add_column("grouped", int, not_null_default=0)


@migrations()
def m011_memory(db: Database) -> None:
    # Story memory. Each figure's matching key (bot.memory.ClaimKey): its kind, unit and value
    # and the noun it counts as indexed columns, so a new figure's candidates are found by
    # index, not by a scan; the whole key as JSON for scoring them.
    for column, kind in (
        ("mkind", str),
        ("munit", str),
        ("mvalue", float),
        ("mhead", str),
        ("mkey", str),
        ("carried_from", str),  # the earlier figure whose status this one carries
        ("earlier", str),  # JSON: the earlier figure it matches (bot.store.memory.Earlier)
    ):
        db["figures"].add_column(column, kind)
    # Newest first within each key: a lookup walks the index and stops at its limit. Only a
    # settled figure's value is looked up (the same claim matters once someone settled it),
    # so that index holds settled figures only.
    db.execute(
        "CREATE INDEX idx_figures_memory_value ON figures(mkind, munit, mvalue, created_at)"
        " WHERE status IN ('verified', 'disputed', 'not_needed')"
    )
    db.execute("CREATE INDEX idx_figures_memory_head ON figures(mkind, munit, mhead, created_at)")
    db["audit"].add_column("carried_from", str)
    # A digest of a new version of an article the desk digested before (a link pasted again
    # whose page changed, an edited paste): the earlier digest, and what changed (JSON).
    db["digests"].add_column("revises", str)
    db["digests"].add_column("changes", str)
    # An edited paste's digest is replaced in its message by the new version's: the old one
    # (its figures and audit kept) names the one that took over, and drops out of every list.
    db["digests"].add_column("superseded_by", str)
    # Whether a channel is private (1), public (0) or not known yet (NULL): what was said in
    # a private channel is remembered there only.
    db["channels"].add_column("private", int)


# The audit log's append-only guard (m003), as the purge of a workspace puts it back.
APPEND_ONLY = (
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
)


@migrations()
def m012_workspaces(db: Database) -> None:
    # Many workspaces on one install. Each row that belongs to a workspace says which: the
    # digest's team_id (recorded since m002) and, on Enterprise Grid, its organisation; its
    # figures and audit entries carry the team too, filled here from their digest.
    db["digests"].add_column("enterprise_id", str)
    db["figures"].add_column("team_id", str)
    db.execute(
        "UPDATE figures SET team_id = (SELECT d.team_id FROM digests d WHERE d.id = digest_id)"
    )
    db["audit"].add_column("team_id", str)
    db.execute("DROP TRIGGER audit_no_update")  # filling a new column is not an edit
    db.execute(
        "UPDATE audit SET team_id = (SELECT d.team_id FROM digests d WHERE d.id = digest_id)"
    )
    db.execute(APPEND_ONLY[0])
    db.execute("CREATE INDEX idx_digests_team ON digests(team_id, created_at)")
    # A message in a channel two installed workspaces share (Slack Connect) gets a digest
    # in each: one digest per message per workspace.
    db.execute("DROP INDEX idx_digests_channel_source_ts")
    db.execute(
        "CREATE UNIQUE INDEX idx_digests_team_channel_source"
        " ON digests(coalesce(team_id, ''), channel, source_ts)"
    )
    # Channel settings per workspace: '' for rows from before (and single-workspace use),
    # which every workspace falls back on; a channel whose digests all come from one
    # workspace is that workspace's.
    db.execute(
        "CREATE TABLE channels_by_team ("
        " team_id TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL, watch INTEGER,"
        " updated_by TEXT, updated_at TEXT, notes INTEGER NOT NULL DEFAULT 0,"
        " work_hours TEXT, private INTEGER, PRIMARY KEY (team_id, channel))"
    )
    db.execute(
        "INSERT INTO channels_by_team"
        " (team_id, channel, watch, updated_by, updated_at, notes, work_hours, private)"
        " SELECT coalesce((SELECT CASE WHEN count(DISTINCT d.team_id) = 1 THEN max(d.team_id) END"
        "   FROM digests d WHERE d.channel = c.channel), ''),"
        " c.channel, c.watch, c.updated_by, c.updated_at, c.notes, c.work_hours, c.private"
        " FROM channels c"
    )
    db.execute("DROP TABLE channels")
    db.execute("ALTER TABLE channels_by_team RENAME TO channels")
    # A workspace's rows deleted on uninstall (NEWSROOM_BOT_PURGE_ON_UNINSTALL) leave this:
    # which workspace, when, why, and how many rows of each kind went.
    db["purges"].create(
        {
            "id": int,
            "team_id": str,
            "enterprise_id": str,
            "at": str,
            "why": str,
            "counts": str,  # JSON: rows deleted per table
        },
        pk="id",
    )
