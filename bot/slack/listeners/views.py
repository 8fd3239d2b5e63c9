"""Modal submissions: the evidence and notes behind Verified and Disputed."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.errors import StoreError
from bot.slack.blocks import MODAL_CALLBACKS
from bot.slack.desk import Where
from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.payloads import ViewSubmission, parse

log = logging.getLogger(__name__)

_URL = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)


def register(on: Registry) -> None:
    """Listen to both status modals."""
    for callback_id in MODAL_CALLBACKS.values():
        on.view(callback_id)(on_status_submitted)


def on_status_submitted(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """Check the inputs (errors go back into the modal), close it, then apply the change."""
    submission = parse(ViewSubmission, body)
    if submission is None:
        ack()
        return
    meta = submission.metadata
    evidence = submission.value("evidence")
    if evidence and not _URL.fullmatch(evidence):
        ack(response_action="errors", errors={"evidence": "Give a link starting with https://"})
        return
    key, choice = str(meta.get("key", "")), str(meta.get("choice", ""))
    container = None
    if meta.get("channel") and meta.get("ts"):
        numbers = meta.get("numbers") or [1, 1]
        container = Where(
            str(meta["channel"]),
            str(meta["ts"]),
            tuple(str(k) for k in meta.get("claims") or ()),
            (int(numbers[0]), int(numbers[1])),
        )
    desk = deps(context).desk
    try:
        change = desk.record_change(
            key,
            choice,
            actor=submission.user.id,
            note=submission.value("note"),
            evidence_url=evidence,
            correction=submission.value("correction"),
        )
    except StoreError as exc:
        # Still in the modal: say it there, so nothing typed is lost.
        log.warning("status change from a modal not applied: %s", exc)
        ack(response_action="errors", errors={"note": f"Not saved: {exc}"[:150]})
        return
    ack()  # stored first: a form Slack closes as done is never lost
    desk.show_change(change, container=container)
