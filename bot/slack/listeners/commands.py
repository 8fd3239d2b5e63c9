"""``/digest``: the digest of the given text, shown only to the caller, with a Share button.

``/digest`` alone or ``/digest help`` shows usage. The sub-commands of the verification
ledger (pending, search, watch, settings) and links answer plainly that they are not
there yet, instead of digesting the words "pending" or a URL.
"""

from __future__ import annotations

import logging

from slack_bolt import Ack, BoltContext, Respond

from bot import digest
from bot.slack.blocks import digest_messages, notice_message, usage_message
from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.markup import is_only_links, to_plain
from bot.slack.payloads import SlashCommand, parse

log = logging.getLogger(__name__)

COMMAND = "/digest"
# Slack lets a response_url be used five times within 30 minutes.
_MAX_RESPONSES = 5
_LATER = {"pending", "search", "watch", "settings"}
NO_LINKS = "Links are not read yet: paste the article's text after /digest instead."


def register(on: Registry) -> None:
    """Listen to /digest."""
    on.command(COMMAND)(on_digest)


def on_digest(ack: Ack, command: dict, respond: Respond, context: BoltContext) -> None:
    """Answer /digest: usage, a plain refusal, or the caller's private digest."""
    request = parse(SlashCommand, command)
    if request is None:
        ack(**notice_message("Slack sent an incomplete command; please try again.").model_dump())
        return
    text = request.text.strip()
    first_word = text.split(maxsplit=1)[0].lower() if text else ""
    if first_word in {"", "help", "usage", "?"}:
        ack(**usage_message().model_dump())
        return
    if first_word in _LATER and len(text.split()) <= 4:
        ack(**notice_message(f"`/digest {first_word}` is not available yet.").model_dump())
        return
    if is_only_links(text):
        ack(**notice_message(NO_LINKS).model_dump())
        return
    ack()  # the digest comes through response_url, well inside Slack's 3 seconds

    result = digest(to_plain(text))
    record = deps(context).store.add_digest(
        result,
        team_id=request.team_id,
        channel=request.channel_id,
        user_id=request.user_id,
        via="command",
    )
    share_key = record.id if record else None
    messages = digest_messages(result, share_key=share_key)
    if len(messages) > _MAX_RESPONSES:
        log.warning("digest needs %d messages; Slack allows %d", len(messages), _MAX_RESPONSES)
        tail = notice_message(
            f"This digest has {len(messages)} parts; Slack shows {_MAX_RESPONSES - 1} here."
            " Press Share in channel to post all of it in a thread."
        )
        messages = [*messages[: _MAX_RESPONSES - 1], tail]
    for message in messages:
        respond(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=False,
        )
