"""Pasted articles: a person posts an article's text where the bot is → digest in the thread.

Every ``message`` event lands here, including edits, deletions, joins and bot posts, so
none of them is left unhandled (Bolt would answer 404 and Slack would retry); those are
acknowledged and dropped.
"""

from __future__ import annotations

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot import digest
from bot.slack.deliver import DeliveryError
from bot.slack.desk import Origin
from bot.slack.intent import MAX_PASTE, paste_intent
from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.markup import mentions
from bot.slack.payloads import MessageEvent, parse

log = logging.getLogger(__name__)


def register(on: Registry) -> None:
    """Listen to every message event."""
    on.event("message")(on_message)


def on_message(event: dict, context: BoltContext, client: WebClient) -> None:
    """Digest a person's paste when it reads like an article; ignore everything else."""
    message = parse(MessageEvent, event)
    if message is not None and message.subtype == "message_deleted" and message.deleted_ts:
        deps(context).desk.source_deleted(message.channel, message.deleted_ts)
        return
    if message is not None and message.edit is not None:
        # An article its author edited after its digest: digested again, in place.
        edited = message.edit
        intent = paste_intent(edited.text)
        if intent.kind == "article":
            deps(context).desk.source_edited(message.channel, edited.ts, digest(intent.text))
        return
    if message is None or not message.is_human_post:
        return
    if context.bot_user_id and context.bot_user_id in mentions(message.text):
        return  # an @mention: the app_mention listener answers it
    if not deps(context).desk.watching(message.channel):
        return  # /digest watch off: pastes here are left alone (mentions still work)
    intent = paste_intent(message.text)
    if intent.kind == "too_long":
        _too_long(context, message, intent.size)
        return
    if intent.kind == "ignore":
        log.debug("message %s in %s is not an article: %s", message.ts, message.channel, intent.why)
        return
    origin = Origin(
        channel=message.channel,
        thread_ts=message.thread_ts or message.ts,
        source_ts=message.ts,
        user_id=message.user,
        team_id=context.team_id or message.team,  # the installation's workspace
        enterprise_id=context.enterprise_id,
        via="paste" if intent.kind == "article" else "link",
        private=message.channel_type in ("group", "im", "mpim") if message.channel_type else None,
    )
    try:
        if intent.kind == "links":
            deps(context).desk.digest_links(intent.urls, origin)
        else:
            deps(context).desk.post_digest(digest(intent.text), origin)
    except DeliveryError as exc:
        # Nobody asked, and the bot cannot post there: a log line is the only answer.
        log.warning("could not answer a message in %s: %s", message.channel, exc)


def _too_long(context: BoltContext, message: MessageEvent, size: int) -> None:
    desk = deps(context).desk
    desk.say(
        message.channel,
        message.thread_ts or message.ts,
        f"That paste is too long for me ({size:,} characters; I read up to {MAX_PASTE:,}). "
        "Paste a link to the article instead, or a shorter excerpt.",
    )
