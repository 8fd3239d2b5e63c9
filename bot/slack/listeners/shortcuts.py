"""Message shortcut "Digest this message": the digest in that message's thread."""

from __future__ import annotations

import logging

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import digest
from bot.slack.blocks import notice_message
from bot.slack.deliver import DeliveryError
from bot.slack.desk import Origin
from bot.slack.intent import nothing_to_check
from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.markup import is_only_links, links, to_plain
from bot.slack.payloads import MessageShortcut, parse

log = logging.getLogger(__name__)

DIGEST_MESSAGE = "digest_message"


def register(on: Registry) -> None:
    """Listen to the message shortcut."""
    on.shortcut(DIGEST_MESSAGE)(on_digest_message)


def _tell(respond: Respond, text: str) -> None:
    respond(**notice_message(text).model_dump(), response_type="ephemeral", replace_original=False)


def on_digest_message(
    ack: Ack, shortcut: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """Digest the message the shortcut was used on, replying in its thread."""
    ack()
    request = parse(MessageShortcut, shortcut)
    if request is None:
        return
    message = request.message
    channel = request.channel.id
    if deps(context).desk.already_digested(channel, message.ts):
        _tell(respond, "That message already has a digest in its thread.")
        return
    origin = Origin(
        channel=channel,
        thread_ts=message.thread_ts or message.ts,
        source_ts=message.ts,
        user_id=message.user or request.user.id,  # the person who posted the article
        team_id=context.team_id or (request.team.id if request.team else None),
        enterprise_id=context.enterprise_id,
        via="shortcut",
    )
    if is_only_links(message.text):
        try:
            deps(context).desk.digest_links(links(message.text), origin)
        except DeliveryError as exc:
            _tell(respond, str(exc))
        return
    text = to_plain(message.text)
    if not text.strip():
        _tell(respond, "That message has no text to digest.")
        return
    result = digest(text)
    if nothing_to_check(text, result):
        # A line of chat: nothing a desk would check and nothing to post in the channel.
        _tell(respond, "Nothing to check in that message: it has no sourced figures to verify.")
        return
    try:
        deps(context).desk.post_digest(result, origin)
    except DeliveryError as exc:
        _tell(respond, str(exc))
