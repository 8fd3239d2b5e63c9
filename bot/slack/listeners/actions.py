"""Buttons: "Share in channel" under a /digest reply posts that digest for everyone."""

from __future__ import annotations

import logging

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import digest_messages, notice_message
from bot.slack.deliver import explain, post_messages
from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.payloads import BlockActions, parse

log = logging.getLogger(__name__)

SHARE_DIGEST = "share_digest"


def register(on: Registry) -> None:
    """Listen to the Share button."""
    on.action(SHARE_DIGEST)(on_share)


def _tell(respond: Respond, text: str) -> None:
    respond(**notice_message(text).model_dump(), response_type="ephemeral", replace_original=False)


def on_share(
    ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """Post the stored digest in the channel, then remove the private copy."""
    ack()
    request = parse(BlockActions, body)
    if request is None or request.channel is None:
        return
    store = deps(context).store
    record = store.digest(request.actions[0].value or "")
    if record is None:
        _tell(respond, "I no longer have that digest: run /digest again.")
        return
    if not store.claim_delivery(record.id):
        _tell(respond, "That digest is already shared in the channel.")
        return
    channel = request.channel.id
    messages = digest_messages(record.digest, shared_by=request.user.id)
    try:
        posted = post_messages(client, messages, channel=channel, thread_ts=None)
    except SlackApiError as exc:
        store.release_delivery(record.id)
        _tell(respond, str(explain(exc)))
        return
    store.set_posted(record.id, channel=channel, message_ts=posted[0], thread_ts=posted[0])
    respond(delete_original=True)
