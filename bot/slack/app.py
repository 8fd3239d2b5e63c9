"""The app factory: settings in, a ``slack_bolt.App`` out, listeners registered.

One ``WebClient`` is built here, with ``base_url`` from ``SLACK_API_URL`` and retry
handlers for rate limits (``Retry-After`` honoured), dropped connections and Slack's own
5xx; Bolt copies them into every per-request client.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.error import BoltError as SlackBoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from bot.errors import ConfigError
from bot.reminders import Callbacks, Reminders
from bot.settings import Settings
from bot.slack.desk import Desk
from bot.slack.listeners import Registry, register_all
from bot.slack.listeners.context import Deps
from bot.store import Store, trouble

log = logging.getLogger(__name__)


class _TokenNotice(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN is unused when a client is given; ours carries it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("As you gave `client` as well")


logging.getLogger("slack_bolt.App").addFilter(_TokenNotice())


def web_client(settings: Settings) -> WebClient:
    """The Web API client: Slack's URL from settings, with retries for transient failures."""
    return WebClient(
        token=settings.secret("bot_token"),
        base_url=settings.api_url,
        timeout=15,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ConnectionErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


@dataclass
class Bot:
    """The app and its long-lived parts; ``start_scheduler()`` in exactly one process."""

    app: App
    deps: Deps

    def _flush(self) -> None:
        self.replay_interrupted()
        self.deps.desk.flush()

    def start_scheduler(self) -> Reminders:
        """Run nudges and the roundup in this process (jobs persisted beside the ledger)."""
        desk = self.deps.desk
        reminders = Reminders(
            self.deps.settings,
            self.deps.store,
            Callbacks(nudge=desk.nudge, roundup=desk.roundup, flush=self._flush),
        )
        desk.reminders = reminders
        desk.store.release_stuck_deliveries()  # before the outbox job can run
        reminders.start()
        return reminders

    def replay_interrupted(self) -> int:
        """Handle again the events a crashed process had taken but not finished."""
        older = max(timedelta(seconds=5), self.deps.settings.retry_every * 10)
        replayed = 0
        for event_id, payload in self.deps.store.interrupted_events(older_than=older):
            log.warning("replaying event %s, interrupted before it was handled", event_id)
            self.app.dispatch(BoltRequest(body=payload, mode="socket_mode"))
            replayed += 1
        return replayed

    def close(self) -> None:
        """Stop the scheduler (if this process runs it)."""
        reminders = self.deps.desk.reminders
        if reminders is not None:
            reminders.shutdown()
            self.deps.desk.reminders = None


def create_app(settings: Settings, *, store: Store | None = None, socket_mode: bool = False) -> App:
    """The Bolt app for these settings (see ``build``)."""
    return build(settings, store=store, socket_mode=socket_mode).app


def build(settings: Settings, *, store: Store | None = None, socket_mode: bool = False) -> Bot:
    """Build the Bolt app for these settings.

    ``socket_mode`` skips request signing (Socket Mode frames are not signed); otherwise
    ``SLACK_SIGNING_SECRET`` is required. Raises ConfigError naming a missing variable or
    a token Slack refuses.
    """
    settings.require("bot_token")
    if not socket_mode:
        settings.require("signing_secret")
    store = store or Store(settings.db_path)
    try:
        app = App(
            client=web_client(settings),
            signing_secret=settings.secret("signing_secret") or "",
            request_verification_enabled=not socket_mode,
            name="newsroom-bot",
        )
    except SlackBoltError as exc:
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack: {exc}") from None
    except SlackApiError as exc:
        code = exc.response.get("error")
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack: {code}") from None
    bundle = Deps(settings=settings, store=store, desk=Desk(settings, store, app.client))

    @app.middleware
    def refuse_malformed(body: Any, next: Any) -> BoltResponse | None:
        # Bolt's matchers assume Slack's shapes (a string event type, a list of actions);
        # anything else would surface as a 500, which Slack retries. Answer 400 instead.
        problem = malformed(body)
        if problem:
            log.warning("refused a malformed payload: %s", problem)
            return BoltResponse(status=400, body=problem)
        next()
        return None

    @app.middleware
    def provide_deps(context: BoltContext, next: Any) -> None:
        context["deps"] = bundle
        next()

    @app.middleware
    def drop_redeliveries(body: dict, context: BoltContext, next: Any) -> BoltResponse | None:
        # Slack redelivers an event when it thinks the first try failed (X-Slack-Retry-Num
        # over HTTP, retry_attempt in Socket Mode). The event_id is claimed on first sight,
        # so a redelivery is acknowledged and dropped instead of posting a second digest.
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if not event_id:
            next()
            return None
        try:
            claimed = store.claim_event(
                str(event_id), team_id=context.team_id, payload=json.dumps(body)
            )
        except sqlite3.Error as exc:
            # Nothing done yet: a 503 makes Slack deliver the event again a little later.
            log.error("event %s not taken: %s (%s)", event_id, trouble(exc), exc)
            return BoltResponse(status=503, body="database unavailable; retry")
        if claimed:
            context["event_id"] = str(event_id)
            next()
            return None
        log.info("event %s already handled; acknowledging the redelivery", event_id)
        return BoltResponse(status=200, body="")

    @app.error
    def on_error(error: Exception, body: dict) -> None:
        # A listener failed after the ack: forget the event so Slack's retry can redo it.
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id:
            store.release_event(str(event_id))
        log.error("listener failed: %s: %s", type(error).__name__, error, exc_info=error)

    register_all(Registry(app))
    _answer_the_rest(app)
    return Bot(app=app, deps=bundle)


def malformed(body: Any) -> str | None:
    """Why a (signed) body is not a payload Slack would send, or None."""
    if not isinstance(body, dict):
        return "not an object"
    kind = body.get("type")
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return "event without a type"
    elif kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not all(
            isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions
        ):
            return "actions without ids"
    elif kind in {"view_submission", "view_closed"}:
        view = body.get("view")
        if not isinstance(view, dict) or not isinstance(view.get("callback_id"), str):
            return "view without a callback id"
    elif kind in {"shortcut", "message_action"} and not isinstance(body.get("callback_id"), str):
        return "shortcut without a callback id"
    elif "command" in body and not isinstance(body.get("command"), str):
        return "command without a name"
    return None


def _answer_the_rest(app: App) -> None:
    """Acknowledge what no listener handles, so Slack gets a 200 instead of Bolt's 404 (which
    Slack retries, and counts against the app) for events, clicks and forms of other kinds."""
    anything = re.compile(".*")

    @app.event(anything)
    def other_event(event: dict) -> None:
        log.debug("ignoring a %s event", event.get("type"))

    @app.action(anything)
    def other_action(ack: Ack) -> None:
        ack()

    @app.view(anything)
    def other_view(ack: Ack) -> None:
        ack()

    @app.shortcut(anything)
    def other_shortcut(ack: Ack) -> None:
        ack()

    @app.command(anything)
    def other_command(ack: Ack, command: dict) -> None:
        name = str(command.get("command") or "that command")[:40]
        ack(text=f"I don't know {name}. Try /digest help.")
