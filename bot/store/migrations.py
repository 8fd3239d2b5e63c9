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
