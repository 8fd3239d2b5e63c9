"""Posting into Slack: messages in order into a thread, and Slack's refusals in plain words.

``Desk.post_digest`` (bot/slack/desk.py) stores a digest first, keyed by its source
message, so a redelivered event, a double click or a second shortcut on the same message
finds it and posts nothing; if Slack refuses the first post, the row is removed again so
a retry can do the work.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import BotError
from bot.slack.blocks import SlackMessage

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


def explain(exc: SlackApiError) -> DeliveryError:
    """A DeliveryError from Slack's error code."""
    code = str(exc.response.get("error", "unknown_error"))
    message = _CANNOT_POST.get(code, f"Slack refused the message ({code}).")
    return DeliveryError(message, code=code)


def post_messages(
    client: WebClient, messages: list[SlackMessage], *, channel: str, thread_ts: str | None
) -> list[str]:
    """Post the messages in order; the first starts the thread when ``thread_ts`` is None.

    If one fails, the exception carries ``posted``: the ts of those already out, so the
    caller can record them instead of posting them again.
    """
    posted: list[str] = []
    for message in messages:
        try:
            extra = {"metadata": message.metadata} if message.metadata else {}
            response = client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=message.text,
                blocks=message.blocks,
                unfurl_links=False,
                unfurl_media=False,
                **extra,
            )
        except (SlackApiError, OSError) as exc:
            exc.posted = posted  # type: ignore[attr-defined]
            raise
        ts = str(response["ts"])
        posted.append(ts)
        thread_ts = thread_ts or ts
    return posted


# Slack error codes that mean "try again later", not "this can't be posted".
_TRANSIENT_CODES = {
    "ratelimited",
    "fatal_error",
    "internal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
}


def is_transient(exc: BaseException) -> bool:
    """Whether a failed Slack call is worth retrying later (an outage, a rate limit, a
    dropped connection) rather than refused for good (not in channel, invalid blocks…)."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", 200)
        return status >= 500 or status == 429 or exc.response.get("error") in _TRANSIENT_CODES
    return isinstance(exc, OSError | TimeoutError)
