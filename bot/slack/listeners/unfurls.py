"""Links from the news domains listed in the manifest: a one-line digest under the link.

Slack sends ``link_shared`` when such a link is typed in the composer and again when it is
posted; both carry the same ``unfurl_id``, so each link unfurls once (the claim is kept
in the store like an event id).
"""

from __future__ import annotations

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import FetchError
from bot.ingest import canonical
from bot.slack.blocks import unfurl_blocks
from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.payloads import LinkShared, parse

log = logging.getLogger(__name__)
MAX_UNFURLS = 3


def register(on: Registry) -> None:
    """Listen to links shared from the manifest's unfurl domains."""
    on.event("link_shared")(on_link_shared)


def on_link_shared(event: dict, client: WebClient, context: BoltContext) -> None:
    """Unfurl each new link with its compact digest."""
    shared = parse(LinkShared, event)
    if shared is None:
        return
    desk = deps(context).desk
    unfurls: dict[str, dict] = {}
    for link in shared.links[:MAX_UNFURLS]:
        try:
            key = canonical(link.url)
        except FetchError:
            continue
        where = shared.unfurl_id or f"{shared.channel}:{shared.message_ts}"
        if not desk.first_unfurl(where, key):
            continue  # the composer's preview already showed it
        try:
            result = desk.read_link(link.url)
        except FetchError as exc:
            log.info("no unfurl for %s: %s", key, exc.kind)
            continue
        unfurls[link.url] = {"blocks": unfurl_blocks(result)}
    if not unfurls:
        return
    target = (
        {"unfurl_id": shared.unfurl_id, "source": shared.source}
        if shared.unfurl_id and shared.source
        else {"channel": shared.channel, "ts": shared.message_ts}
    )
    try:
        client.chat_unfurl(unfurls=unfurls, **target)
    except SlackApiError as exc:
        log.warning("chat.unfurl refused: %s", exc.response.get("error"))
