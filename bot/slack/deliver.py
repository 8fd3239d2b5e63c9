"""Posting a digest into Slack: store it, post it in the thread, record where it went.

The store row is written first and keyed by the source message, so a redelivered event,
a double click or a second shortcut on the same message finds it and posts nothing. If
Slack refuses the first post, the row is removed again so a retry can do the work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.models import Digest
from bot.errors import BotError
from bot.slack.blocks import SlackMessage, digest_messages
from bot.store import DigestRecord, Store

log = logging.getLogger(__name__)

# Slack errors that mean "the bot can't post there", with what to tell the person.
_CANNOT_POST = {
    "not_in_channel": "I'm not a member of that channel: invite me with /invite, then try again.",
    "channel_not_found": "I can't see that channel: invite me with /invite, then try again.",
    "is_archived": "That channel is archived, so I can't post there.",
    "restricted_action": "This workspace doesn't let me post in that channel.",
    "msg_too_long": "That digest is too long for Slack, even split up.",
}


class DeliveryError(BotError):
    """Slack refused a post; the message says why in words a reporter can act on."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Posted:
    """Where a digest went: its record and the ts of every message posted."""

    record: DigestRecord
    message_ts: list[str]


def explain(exc: SlackApiError) -> DeliveryError:
    """A DeliveryError from Slack's error code."""
    code = str(exc.response.get("error", "unknown_error"))
    message = _CANNOT_POST.get(code, f"Slack refused the message ({code}).")
    return DeliveryError(message, code=code)


def post_messages(
    client: WebClient, messages: list[SlackMessage], *, channel: str, thread_ts: str | None
) -> list[str]:
    """Post the messages in order; the first starts the thread when ``thread_ts`` is None."""
    posted: list[str] = []
    for message in messages:
        response = client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
        ts = str(response["ts"])
        posted.append(ts)
        thread_ts = thread_ts or ts
    return posted


def post_digest(
    client: WebClient,
    store: Store,
    digest: Digest,
    *,
    channel: str,
    thread_ts: str | None,
    source_ts: str | None,
    user_id: str | None = None,
    team_id: str | None = None,
    via: str = "paste",
) -> Posted | None:
    """Store and post a digest in ``channel``'s thread; None when that message already has one.

    Raises DeliveryError when Slack refuses the post (the digest is then not kept).
    """
    record = store.add_digest(
        digest,
        team_id=team_id,
        channel=channel,
        source_ts=source_ts,
        thread_ts=thread_ts,
        user_id=user_id,
        via=via,
    )
    if record is None:
        log.info("message %s in %s already has a digest; not posting another", source_ts, channel)
        return None
    messages = digest_messages(digest)
    try:
        first = post_messages(client, messages[:1], channel=channel, thread_ts=thread_ts)
    except SlackApiError as exc:
        store.forget_digest(record.id)
        raise explain(exc) from exc
    thread = thread_ts or first[0]
    store.set_posted(record.id, channel=channel, message_ts=first[0], thread_ts=thread)
    rest = post_messages(client, messages[1:], channel=channel, thread_ts=thread)
    log.info(
        "digest %s posted in %s (thread %s): %d figures, %d message(s)",
        record.id,
        channel,
        thread,
        digest.stats.figures,
        len(messages),
    )
    return Posted(record=record, message_ts=first + rest)
