"""``/digest``: the digest of the given text, shown only to the caller, with a Share button.

``/digest`` alone or ``/digest help`` shows usage; ``/digest pending`` this channel's open
figures; ``/digest search <words>`` past digests; ``/digest history <words>`` the figures
the desk has seen on a subject; ``/digest watch on|off`` whether pastes
here are digested; ``/digest settings`` how the bot is set up here. Links answer plainly
that they are not read yet, instead of digesting a URL.
"""

from __future__ import annotations

import logging

from slack_bolt import Ack, BoltContext, Respond

from bot import digest
from bot.core.models import Digest
from bot.errors import FetchError
from bot.slack.blocks import (
    notice_message,
    usage_message,
)
from bot.slack.channel_settings import answer
from bot.slack.intent import command_intent
from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.payloads import SlashCommand, parse

log = logging.getLogger(__name__)

COMMAND = "/digest"


def register(on: Registry) -> None:
    """Listen to /digest."""
    on.command(COMMAND)(on_digest)


def on_digest(ack: Ack, command: dict, respond: Respond, context: BoltContext) -> None:
    """Answer /digest: usage, a plain refusal, or the caller's private digest."""
    request = parse(SlashCommand, command)
    if request is None:
        ack(**notice_message("Slack sent an incomplete command; please try again.").model_dump())
        return
    intent = command_intent(request.text)
    if intent.kind == "usage":
        ack(**usage_message().model_dump())
        return
    if intent.kind == "subcommand":
        _subcommand(intent.name, intent.argument, ack, respond, request, context)
        return
    ack()  # the digest comes through response_url, well inside Slack's 3 seconds
    if intent.kind == "link":
        url = intent.url
        respond(
            **notice_message(f"Reading <{url}>…", ":hourglass_flowing_sand:").model_dump(),
            response_type="ephemeral",
        )
        try:
            result = deps(context).desk.read_link(url)
        except FetchError as exc:
            respond(
                **notice_message(f"I couldn't read <{url}>: {exc}.", ":warning:").model_dump(),
                response_type="ephemeral",
                replace_original=True,
            )
            return
        _private_digest(result, respond, request, context, replace=True)
        return
    _private_digest(digest(intent.text), respond, request, context, replace=False)


def _private_digest(
    result: Digest, respond: Respond, request: SlashCommand, context: BoltContext, *, replace: bool
) -> None:
    """The caller's private copy of a digest, with the Share in channel button."""
    message = deps(context).desk.private_copy(
        result, channel=request.channel_id, user_id=request.user_id, team_id=request.team_id
    )
    respond(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=replace,
    )


def _subcommand(
    name: str,
    argument: str,
    ack: Ack,
    respond: Respond,
    request: SlashCommand,
    context: BoltContext,
) -> None:
    desk = deps(context).desk
    settings = desk.settings
    if name in ("watch", "settings"):
        reply = answer(
            name,
            argument,
            desk.channel_settings(request.channel_id),
            actor=request.user_id,
            settings=settings,
        )
        if reply.change:
            desk.set_channel(request.channel_id, reply.change, actor=request.user_id)
        message = notice_message(reply.text, reply.emoji).model_dump()
        ack(**message, **({"response_type": "in_channel"} if reply.public else {}))
        return
    ack()  # lists can take a moment: they come through response_url
    if name == "pending":
        message = desk.open_figures_list(request.channel_id)
    elif not argument:
        example = "troops Ukraine" if name == "search" else "national guardsmen"
        respond(
            **notice_message(f"Give some words: `/digest {name} {example}`.").model_dump(),
            response_type="ephemeral",
        )
        return
    elif name == "history":
        message = desk.history(argument, channel=request.channel_id, team_id=request.team_id)
    else:
        message = desk.search(argument, channel=request.channel_id)
    respond(
        text=message.text, blocks=message.blocks, response_type="ephemeral", replace_original=False
    )
