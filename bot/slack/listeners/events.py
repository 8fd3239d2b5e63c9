"""@mentions and the App Home tab.

An @mention inside a thread digests the thread's first message (the article); an
@mention with an article after it digests that text; a bare @mention gets usage.
"""

from __future__ import annotations

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import digest
from bot.slack.blocks import notice_message, usage_message
from bot.slack.deliver import DeliveryError, explain, post_messages
from bot.slack.desk import Origin
from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.markup import is_only_links, links, to_plain, without_mention
from bot.slack.payloads import HomeOpened, MessageEvent, parse

log = logging.getLogger(__name__)


def register(on: Registry) -> None:
    """Listen to mentions and App Home visits."""
    on.event("app_mention")(on_mention)
    on.event("app_home_opened")(on_home_opened)


def on_mention(event: dict, context: BoltContext, client: WebClient) -> None:
    """Digest the thread's parent (or the text after the mention), replying in the thread."""
    mention = parse(MessageEvent, event)
    if mention is None or mention.bot_id or not mention.user:
        return
    thread_ts = mention.thread_ts or mention.ts

    def reply(text: str) -> None:
        message = notice_message(text)
        try:
            post_messages(client, [message], channel=mention.channel, thread_ts=thread_ts)
        except SlackApiError as exc:
            log.warning("could not answer a mention in %s: %s", mention.channel, explain(exc))

    if mention.in_thread:
        source_ts = mention.thread_ts
        if deps(context).desk.already_digested(mention.channel, source_ts):
            reply("This thread's article already has its digest above.")
            return
        try:
            raw = _parent_text(client, mention.channel, source_ts)
        except SlackApiError as exc:
            reply(f"I couldn't read this thread's first message: {explain(exc)}")
            return
        what = "This thread's first message"
    else:
        source_ts = mention.ts
        raw = without_mention(mention.text, context.bot_user_id or "")
        what = "Your message"
    origin = Origin(
        channel=mention.channel,
        thread_ts=thread_ts,
        source_ts=source_ts,
        user_id=mention.user,
        team_id=context.team_id or mention.team,  # the installation's workspace
        enterprise_id=context.enterprise_id,
        via="mention",
    )
    if is_only_links(raw):
        try:
            deps(context).desk.digest_links(links(raw), origin)
        except DeliveryError as exc:
            log.warning("could not answer links in %s: %s", mention.channel, exc)
        return
    text = to_plain(raw)
    if len(text.split()) < 3:
        if mention.in_thread:
            reply(f"{what} has no text to digest.")
        else:
            message = usage_message()
            post_messages(client, [message], channel=mention.channel, thread_ts=thread_ts)
        return
    try:
        deps(context).desk.post_digest(digest(text), origin)
    except DeliveryError as exc:
        log.warning("could not post a digest in %s: %s", mention.channel, exc)


def _parent_text(client: WebClient, channel: str, thread_ts: str) -> str:
    # The event carries only the mention; the article is the thread's first message.
    response = client.conversations_replies(channel=channel, ts=thread_ts, limit=1)
    messages = response.get("messages") or []
    return str(messages[0].get("text") or "") if messages else ""


def on_home_opened(event: dict, context: BoltContext) -> None:
    """Publish the App Home tab: my open figures, recent digests, counts, usage."""
    opened = parse(HomeOpened, event)
    if opened is None or opened.tab != "home":
        return
    deps(context).desk.publish_home(opened.user)
