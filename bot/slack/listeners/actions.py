"""Clicks: "Share in channel" under a /digest reply, and the status menu of each claim.

Verified… and Disputed… open a modal (bot/slack/listeners/views.py takes the answer);
Snooze, Not needed and Reopen apply at once.
"""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import StoreError
from bot.slack.blocks import (
    FIGURE_ACTION,
    MODAL_CALLBACKS,
    SHARE_ACTION,
    notice_message,
    read_choice,
    status_modal,
)
from bot.slack.deliver import DeliveryError, explain
from bot.slack.desk import Where
from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.payloads import BlockActions, parse

log = logging.getLogger(__name__)


def register(on: Registry) -> None:
    """Listen to the Share button and the status menus."""
    on.action(SHARE_ACTION)(on_share)
    on.action(FIGURE_ACTION)(on_figure_action)


def _tell(respond: Respond, text: str) -> None:
    respond(**notice_message(text).model_dump(), response_type="ephemeral", replace_original=False)


def on_share(ack: Ack, body: dict, respond: Respond, context: BoltContext) -> None:
    """Post the stored digest in the channel, then remove the private copy."""
    ack()
    request = parse(BlockActions, body)
    if request is None or request.channel is None:
        return
    store = deps(context).store
    record = store.digest(request.actions[0].chosen or "")
    if record is None:
        _tell(respond, "I no longer have that digest: run /digest again.")
        return
    if not store.claim_delivery(record.id):
        _tell(respond, "That digest is already shared in the channel.")
        return
    try:
        deps(context).desk.share(record, channel=request.channel.id)
    except DeliveryError as exc:
        _tell(respond, str(exc))
        return
    respond(delete_original=True)


def on_figure_action(
    ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """A choice from a claim's status menu: open the modal, or apply it."""
    request = parse(BlockActions, body)
    if request is None:
        ack()
        return
    choice, key = read_choice(request.actions[0].chosen or "")
    desk = deps(context).desk
    figure = desk.store.figure(key)
    if figure is None:
        ack()
        _tell(respond, "I can't find that figure any more.")
        return
    container = _where(request)
    if choice in MODAL_CALLBACKS:
        ack()
        metadata = {"key": key, "choice": choice}
        if container is not None:
            metadata.update(
                channel=container.channel,
                ts=container.ts,
                claims=list(container.claim_keys),
                numbers=list(container.numbers),
            )
        try:
            client.views_open(
                trigger_id=request.trigger_id or "",
                view=status_modal(choice, figure, metadata=json.dumps(metadata)[:3000]),
            )
        except SlackApiError as exc:
            _tell(respond, f"I couldn't open the form: {explain(exc)}")
        return
    try:
        change = desk.record_change(key, choice, actor=request.user.id)
    except StoreError as exc:
        ack()
        log.warning("status change not applied: %s", exc)
        _tell(respond, f"Sorry, {exc}.")
        return
    ack()  # stored first: a click Slack shows as done is never lost
    desk.show_change(change, container=container)


def _where(request: BlockActions) -> Where | None:
    container = request.container
    channel = container.get("channel_id") or (request.channel.id if request.channel else None)
    ts = container.get("message_ts")
    if not channel or not ts or container.get("is_ephemeral"):
        return None
    blocks = (request.message or {}).get("blocks")
    return Where.of(str(channel), str(ts), blocks if isinstance(blocks, list) else None)
