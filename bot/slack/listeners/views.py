"""Modal submissions: the evidence and notes behind Verified and Disputed, and the
confirmation asked before overturning someone else's status."""

from __future__ import annotations

import json
import logging
import re

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.choices import FORMS
from bot.errors import Conflict, StoreError
from bot.slack.blocks import CONFIRM_CALLBACK, confirm_view
from bot.slack.deliver import explain
from bot.slack.listeners import Registry
from bot.slack.listeners.actions import page_number
from bot.slack.listeners.context import deps
from bot.slack.payloads import ViewSubmission, parse

log = logging.getLogger(__name__)

_URL = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)


def register(on: Registry) -> None:
    """Listen to both status forms and the confirmation."""
    for callback_id in FORMS.values():
        on.view(callback_id)(on_status_submitted)
    on.view(CONFIRM_CALLBACK)(on_confirmed)


def on_status_submitted(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """Check the inputs (errors go back into the form), close it, then apply the change."""
    submission = parse(ViewSubmission, body)
    if submission is None:
        ack()
        return
    meta = submission.metadata
    evidence = submission.value("evidence")
    note = submission.value("note")
    if evidence and not _URL.fullmatch(evidence):
        ack(response_action="errors", errors={"evidence": "Give a link starting with https://"})
        return
    if meta.get("choice") == "verified" and not (evidence or note):
        ack(
            response_action="errors",
            errors={"note": "Give a link to the evidence or a note on how it was checked."},
        )
        return
    _apply(
        ack,
        client,
        context,
        meta,
        actor=submission.user.id,
        note=note,
        evidence_url=evidence,
        correction=submission.value("correction"),
    )


def on_confirmed(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """The person saw who settled the figure and still wants their change."""
    submission = parse(ViewSubmission, body)
    if submission is None:
        ack()
        return
    meta = submission.metadata
    _apply(
        ack,
        client,
        context,
        meta,
        actor=submission.user.id,
        note=meta.get("note"),
        evidence_url=meta.get("evidence_url"),
        correction=meta.get("correction"),
    )


def _apply(
    ack: Ack,
    client: WebClient,
    context: BoltContext,
    meta: dict,
    *,
    actor: str,
    note: str | None,
    evidence_url: str | None,
    correction: str | None,
) -> None:
    key, choice = str(meta.get("key", "")), str(meta.get("choice", ""))
    version = meta.get("version")
    desk = deps(context).desk
    try:
        change = desk.record_change(
            key,
            choice,
            actor=actor,
            note=note,
            evidence_url=evidence_url,
            correction=correction,
            # A form opened before versions were kept carries none: no check, as then.
            seen_version=int(version) if isinstance(version, int) else None,
        )
    except Conflict as conflict:
        # Not applied: this form becomes the question, with what was typed kept in it.
        current = conflict.current
        kept = {
            **meta,
            "version": current.version,
            # The form's own limits keep these within private_metadata's 3,000 characters.
            "note": note[:2000] if note else None,
            "evidence_url": evidence_url[:500] if evidence_url else None,
            "correction": correction[:200] if correction else None,
        }
        view = confirm_view(
            current,
            choice,
            metadata=json.dumps(kept, ensure_ascii=False),
            timezone=desk.settings.timezone,
        )
        ack(response_action="update", view=view)
        return
    except StoreError as exc:
        # Still in the form: say it there, so nothing typed is lost.
        log.warning("status change from a form not applied: %s", exc)
        ack(response_action="errors", errors={"note": f"Not saved: {exc}"[:150]})
        return
    ack()  # stored first: a form Slack closes as done is never lost
    root = str(meta.get("root") or "")
    if root:
        view = desk.review(change.figure.digest_id, page_number(meta.get("page")))
        if view is not None:
            try:
                client.views_update(view_id=root, view=view)
            except SlackApiError as exc:
                log.info("review view %s not redrawn: %s", root, explain(exc))
    desk.show_change(change)
