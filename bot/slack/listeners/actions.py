"""Clicks: "Share in channel", "Review figures", and the status menus in the review view.

*Review figures* opens the review modal, drawn from the ledger. In it, Verified… and
Disputed… push a form (bot/slack/listeners/views.py takes the answer); Snooze, Not needed
and Reopen apply at once and the view is redrawn. A choice made on an outdated view that
would overturn someone else's status is not applied: a pushed view shows who set what and
asks. Menus on messages posted before digests had a review view still work the same way.
"""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.choices import FORMS
from bot.errors import Conflict, StoreError
from bot.slack.blocks import (
    FIGURE_ACTION,
    PAGE_ACTION,
    REVIEW_ACTION,
    REVIEW_PAGE_ACTION,
    SHARE_ACTION,
    confirm_view,
    notice_message,
    read_choice,
    status_modal,
)
from bot.slack.deliver import DeliveryError, explain
from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.payloads import BlockActions, parse

log = logging.getLogger(__name__)


def register(on: Registry) -> None:
    """Listen to the Share and Review buttons, the review's pages and the status menus."""
    on.action(SHARE_ACTION)(on_share)
    on.action(REVIEW_ACTION)(on_review)
    on.action(REVIEW_PAGE_ACTION)(on_review_page)
    on.action(FIGURE_ACTION)(on_figure_action)
    on.action(PAGE_ACTION)(on_list_page)


def _tell(respond: Respond, text: str) -> None:
    """A private line to the person who clicked (nothing when the click came from a modal,
    which has no response_url)."""
    try:
        respond(
            **notice_message(text).model_dump(), response_type="ephemeral", replace_original=False
        )
    except (ValueError, SlackApiError, OSError) as exc:
        log.info("could not answer a click privately: %s", exc)


def on_share(ack: Ack, body: dict, respond: Respond, context: BoltContext) -> None:
    """Post the stored digest in the channel, then remove the private copy."""
    ack()
    request = parse(BlockActions, body)
    if request is None or request.channel is None:
        return
    try:
        refused = deps(context).desk.share(
            request.actions[0].chosen or "", channel=request.channel.id
        )
    except DeliveryError as exc:
        refused = str(exc)
    if refused:
        _tell(respond, refused)
        return
    respond(delete_original=True)


def on_review(
    ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """Open the review view of the digest the button belongs to."""
    ack()
    request = parse(BlockActions, body)
    if request is None:
        return
    view = deps(context).desk.review(request.actions[0].chosen or "")
    if view is None:
        _tell(respond, "I no longer have that digest.")
        return
    try:
        client.views_open(trigger_id=request.trigger_id or "", view=view)
    except SlackApiError as exc:
        _tell(respond, f"I couldn't open the review: {explain(exc)}")


def on_list_page(ack: Ack, body: dict, respond: Respond, context: BoltContext) -> None:
    """Previous / Next under /digest pending (the private list turns its page) or under the
    roundup (the page comes privately to whoever asked)."""
    ack()
    request = parse(BlockActions, body)
    if request is None:
        return
    try:
        scope, page = json.loads(request.actions[0].chosen or "")
        kind, channel = str(scope).split(":", 1)
        page = int(page)
    except (ValueError, TypeError):
        return
    if request.channel is not None and request.channel.id != channel:
        return  # a list of one channel's figures is only drawn where it was asked for
    message = deps(context).desk.open_figures_list(channel, kind=kind, page=page)
    ephemeral = bool(request.container.get("is_ephemeral"))
    try:
        respond(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=ephemeral,
        )
    except (ValueError, SlackApiError, OSError) as exc:
        log.info("could not turn the page: %s", exc)


def on_review_page(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """Previous / Next in the review view: the same modal, another page, drawn now."""
    ack()
    request = parse(BlockActions, body)
    if request is None or request.view is None:
        return
    _redraw_review(
        client,
        context,
        str(request.view.get("id") or ""),
        str(request.view_metadata.get("digest") or ""),
        page_number(request.actions[0].chosen),
    )


def page_number(value: object) -> int:
    """A page number from a button or a view's metadata; 0 for anything else."""
    text = str(value if value is not None else "")
    return int(text) if text.isdigit() and len(text) < 6 else 0


def _redraw_review(
    client: WebClient, context: BoltContext, view_id: str, digest_id: str, page: int
) -> None:
    view = deps(context).desk.review(digest_id, page) if view_id and digest_id else None
    if view is None:
        return
    try:
        client.views_update(view_id=view_id, view=view)
    except SlackApiError as exc:
        # Closed meanwhile, or Slack refused: the ledger has the change either way.
        log.info("review view %s not redrawn: %s", view_id, explain(exc))


def on_figure_action(
    ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """A choice from a figure's status menu: push the form, or apply it (or ask first)."""
    request = parse(BlockActions, body)
    if request is None:
        ack()
        return
    choice, key, version = read_choice(request.actions[0].chosen or "")
    desk = deps(context).desk
    figure = desk.figure(key)
    if figure is None:
        ack()
        _tell(respond, "I can't find that figure any more.")
        return
    # In the review view: its root id (to redraw it) and page; on a message: neither.
    root = str((request.view or {}).get("root_view_id") or (request.view or {}).get("id") or "")
    page = page_number(request.view_metadata.get("page")) if root else 0
    metadata = {"key": key, "choice": choice, "version": version, "root": root, "page": page}

    def show(view: dict) -> None:
        try:
            if root:
                client.views_push(trigger_id=request.trigger_id or "", view=view)
            else:
                client.views_open(trigger_id=request.trigger_id or "", view=view)
        except SlackApiError as exc:
            _tell(respond, f"I couldn't open the form: {explain(exc)}")

    if choice in FORMS:
        ack()
        show(status_modal(choice, figure, metadata=json.dumps(metadata)))
        return
    try:
        change = desk.record_change(key, choice, actor=request.user.id, seen_version=version)
    except Conflict as conflict:
        ack()
        current = conflict.current
        metadata["version"] = current.version
        show(
            confirm_view(
                current, choice, metadata=json.dumps(metadata), timezone=desk.settings.timezone
            )
        )
        return
    except StoreError as exc:
        ack()
        log.warning("status change not applied: %s", exc)
        _tell(respond, f"Sorry, {exc}.")
        return
    ack()  # stored first: a click Slack shows as done is never lost
    if root:
        _redraw_review(client, context, root, figure.digest_id, page)
    desk.show_change(change)
