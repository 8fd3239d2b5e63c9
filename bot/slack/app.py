"""The app factory: settings in, a ``slack_bolt.App`` out, listeners registered.

One ``WebClient`` is built here, with ``base_url`` from ``SLACK_API_URL`` and retry
handlers for rate limits (``Retry-After`` honoured), dropped connections and Slack's own
5xx; Bolt copies them into every per-request client.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.error import BoltError as SlackBoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.errors import ConfigError, LeaseLost
from bot.lifecycle import Lifecycle
from bot.reminders import Callbacks, Reminders
from bot.settings import Settings
from bot.slack.desk import Desk
from bot.slack.listeners import Registry, register_all
from bot.slack.listeners.context import Deps, mark_handled
from bot.slack.workspaces import Workspaces
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


RESTARTING = "newsroom-bot is restarting: try again in a few seconds."


@dataclass
class StopReport:
    """What a stop finished and what it left for the next process."""

    seconds: float = 0.0
    finished: int = 0  # listener tasks and scheduler jobs that ended during the stop
    left: int = 0  # still running at the bound (their events are replayed by the next)
    kept: int = 0  # events this process holds unfinished (taken at the door, or left)
    fenced: bool = False

    def line(self) -> str:
        text = (
            f"stopped in {self.seconds:.1f} s: {self.finished} task(s) finished,"
            f" {self.left} left running, {self.kept} event(s) kept for the next process"
        )
        return text + (" (lease lost)" if self.fenced else "")


@dataclass
class Bot:
    """The app and its long-lived parts. ``start()`` registers the process (lease,
    takeovers); ``start_scheduler()`` in exactly one process; ``close()`` stops in order."""

    app: App
    deps: Deps
    lifecycle: Lifecycle
    _stopped: StopReport | None = None
    _closed: bool = False
    _stop_lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, *, scheduler: bool = False) -> Bot:
        """Register this process, start the scheduler (``scheduler``), then the keeper that
        takes over the work of processes that are gone (so a digest it delivers gets its
        nudge planned with the scheduler already running)."""
        self.lifecycle.register()
        if scheduler:
            self.start_scheduler()
        self.lifecycle.keep()
        return self

    def start_scheduler(self) -> Reminders:
        """Run nudges and the roundup in this process (jobs persisted beside the ledger)."""
        desk = self.deps.desk
        reminders = Reminders(
            self.deps.settings,
            self.deps.store,
            Callbacks(nudge=desk.nudge, roundup=desk.roundup, flush=desk.flush),
        )
        desk.reminders = reminders
        reminders.start()
        return reminders

    def take_over(self) -> int:
        """The work of processes that are gone: their deliveries posted (or adopted), their
        events replayed, their nudges found or posted again; all on the workers. Returns
        how many events were handed out for replay."""
        store, desk = self.deps.store, self.deps.desk
        released = store.release_orphaned_deliveries()
        if released and self._hand_over("delivery", desk.deliver_queued, released):
            log.warning("delivering %d digest(s) a stopped process left", len(released))
        events = store.take_over_events() if self.lifecycle.accepting else []
        for event_id, payload in events:
            if not self._hand_over("replay", self._replay, event_id, payload):
                store.give_back_event(event_id)
        nudges = store.take_over_nudges() if self.lifecycle.accepting else []
        if nudges and not self._hand_over("nudges", desk.finish_stuck_nudges, nudges):
            for plan in nudges:
                store.give_back_nudge(plan)
        return len(events)

    def _hand_over(self, what: str, work: Callable[..., object], *args: Any) -> bool:
        """Run taken-over work on the workers, its errors logged; False when stopping."""

        def logged() -> None:
            try:
                work(*args)
            except Exception as exc:
                log.error("taken-over %s failed: %s: %s", what, type(exc).__name__, exc)

        if not self.lifecycle.accepting:
            return False
        try:
            self.lifecycle.workers.submit(logged)
        except RuntimeError:  # the workers are shut down
            return False
        return True

    def _replay(self, event_id: str, payload: str) -> None:
        log.warning("replaying event %s, interrupted before it was handled", event_id)
        try:
            response = self.app.dispatch(BoltRequest(body=payload, mode="socket_mode"))
            taken = response.status == 200
        except Exception as exc:
            log.error("replay of %s: %s: %s", event_id, type(exc).__name__, exc)
            taken = False
        if not taken:  # not started (the database busy, a stop): for a later look
            log.warning("replay of %s not taken; handing it back", event_id)
            self.deps.store.give_back_event(event_id)

    def stop(self, *, timeout: float | None = None) -> StopReport:
        """Stop taking new work, then let what is running finish, up to ``timeout``
        (``NEWSROOM_BOT_STOP_TIMEOUT``; none once fenced): requests let in, listeners and
        scheduler jobs. Safe to call more than once, from any thread."""
        with self._stop_lock:
            if self._stopped is not None:
                return self._stopped
            began = time.monotonic()
            bound = self.deps.settings.stop_timeout.total_seconds() if timeout is None else timeout
            deadline = began + (0.0 if self.lifecycle.fenced else bound)
            self.lifecycle.begin_stop()
            reminders = self.deps.desk.reminders
            if reminders is not None:
                reminders.pause()  # no job starts from now on
            running = self.lifecycle.workers.pending + (reminders.in_flight if reminders else 0)
            left = self.lifecycle.wait_idle(deadline)
            if reminders is not None:
                left += reminders.shutdown(timeout=max(0.0, deadline - time.monotonic()))
                self.deps.desk.reminders = None
            self._stopped = StopReport(
                seconds=time.monotonic() - began, finished=max(0, running - left), left=left
            )
            return self._stopped

    def close(self, *, exiting: bool = False) -> StopReport:
        """Stop (if not stopped yet), leave the ledger, close the store, and log one line.

        ``exiting``: the process ends right after (``serve``); work left running at the
        bound is then taken over only once the process is gone (see ``Lifecycle.close``).
        """
        report = self.stop()
        with self._stop_lock:
            if self._closed:
                return report
            self._closed = True
        store = self.deps.store
        with contextlib.suppress(sqlite3.Error):
            report.kept = store.unfinished_events()
        self.lifecycle.close(left=report.left, exiting=exiting)
        report.fenced = self.lifecycle.fenced
        store.close()
        log.info("%s", report.line())
        return report


class _CountedApp(App):
    """Bolt's App, counting each request it dispatches while taking work, so a stop that
    begins meanwhile waits until the request's listener is on the workers."""

    def __init__(self, lifecycle: Lifecycle, **kwargs: Any) -> None:
        self._lifecycle = lifecycle
        super().__init__(**kwargs)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        if not self._lifecycle.accepting:
            return super().dispatch(req)
        with self._lifecycle.admitted():
            return super().dispatch(req)


def create_app(settings: Settings, *, store: Store | None = None, socket_mode: bool = False) -> App:
    """The Bolt app for these settings (see ``build``), for embedding and tests: it does not
    register a process, so nothing it starts is taken over if it dies. A serving process
    uses ``build(settings).start()`` and mounts its ``app``."""
    return build(settings, store=store, socket_mode=socket_mode).app


def build(settings: Settings, *, store: Store | None = None, socket_mode: bool = False) -> Bot:
    """Build the Bolt app for these settings.

    ``socket_mode`` skips request signing (Socket Mode frames are not signed); otherwise
    ``SLACK_SIGNING_SECRET`` is required. Raises ConfigError naming a missing variable or
    a token Slack refuses.
    """
    if settings.oauth:
        if socket_mode:
            raise ConfigError(
                "SLACK_CLIENT_ID is set: installs by OAuth need HTTP mode (serve --http)"
            )
    else:
        settings.require("bot_token")
    if not socket_mode:
        settings.require("signing_secret")
    store = store or Store(settings.db_path)
    lifecycle = Lifecycle(store)
    workspaces = Workspaces(settings, web_client(settings))
    # Many workspaces: Bolt's OAuth flow installs them, and each request is authorised by
    # its workspace's installation (through Workspaces, which refreshes rotating tokens).
    many: dict[str, Any] = (
        {"oauth_settings": workspaces.oauth_settings(), "authorize": workspaces.authorize()}
        if settings.oauth
        else {}
    )
    try:
        app = _CountedApp(
            lifecycle,
            client=workspaces.base,
            listener_executor=lifecycle.workers,
            signing_secret=settings.secret("signing_secret") or "",
            request_verification_enabled=not socket_mode,
            name="newsroom-bot",
            **many,
        )
    except SlackBoltError as exc:
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack: {exc}") from None
    except SlackApiError as exc:
        code = exc.response.get("error")
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack: {code}") from None
    bundle = Deps(settings=settings, store=store, desk=Desk(settings, store, workspaces))

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
        # The request's work runs in the workspace it came from. Bolt runs its listener
        # after the middleware returns, on the workers, which run it in this thread's
        # context as it is then: so the workspace is set here for the rest of the request
        # (every request sets its own), not within a block.
        workspaces.enter(
            context.team_id,
            context.enterprise_id,
            org_install=bool(context.is_enterprise_install),
            token=context.bot_token,  # what authorize found (and refreshed) for it
            bot_user_id=context.bot_user_id,
        )
        next()

    @app.middleware
    def hold_while_stopping(body: dict, next: Any) -> BoltResponse | None:
        # Stopping: events are still taken (below) and kept for the next process, since
        # Slack would resend them only a minute or more later; commands, clicks and forms
        # are never resent, so the person is told to try again in a moment.
        if lifecycle.accepting or body.get("type") == "event_callback":
            next()
            return None
        return restarting(body)

    @app.middleware
    def drop_redeliveries(body: dict, context: BoltContext, next: Any) -> BoltResponse | None:
        # Slack redelivers an event when it thinks the first try failed (X-Slack-Retry-Num
        # over HTTP, retry_attempt in Socket Mode). The event_id is claimed on first sight,
        # so a redelivery is acknowledged and dropped instead of posting a second digest.
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if not event_id:
            next()
            return None
        if workspaces.multi:
            # Per installation: a channel two installed workspaces share is handled in each.
            event_id = f"{event_id}@{context.team_id or context.enterprise_id or ''}"
        try:
            claimed = store.claim_event(
                str(event_id), team_id=context.team_id, payload=json.dumps(body)
            )
        except sqlite3.Error as exc:
            # Nothing done yet: a 503 makes Slack deliver the event again a little later.
            log.error("event %s not taken: %s (%s)", event_id, trouble(exc), exc)
            return BoltResponse(status=503, body="database unavailable; retry")
        except LeaseLost:  # taken over as dead: a live process takes Slack's retry
            return BoltResponse(status=503, body="restarting; retry")
        if claimed and not lifecycle.accepting:
            log.info("event %s kept for the next process (stopping)", event_id)
            return BoltResponse(status=200, body="")
        if claimed:
            context["event_id"] = str(event_id)
            next()
            return None
        log.info("event %s already handled; acknowledging the redelivery", event_id)
        return BoltResponse(status=200, body="")

    @app.error
    def on_error(error: Exception, body: dict) -> None:
        # A listener failed after the ack (Slack has its 200 and will not resend the event).
        # Lost lease: the event is the successor's now. Any other error: kept as failed
        # (never replayed into the same error on every restart).
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if isinstance(error, LeaseLost) or not lifecycle.accepting:
            # Taken over, or cut short by the stop: the event stays for the next process.
            log.warning("listener stopped: %s: %s", type(error).__name__, error)
            return
        if event_id:
            with contextlib.suppress(sqlite3.Error):
                store.fail_event(str(event_id))
        log.error("listener failed: %s: %s", type(error).__name__, error, exc_info=error)

    register_all(Registry(app))
    _answer_the_rest(app)
    bot = Bot(app=app, deps=bundle, lifecycle=lifecycle)
    lifecycle.take_over = bot.take_over
    return bot


def restarting(body: dict) -> BoltResponse:
    """The answer to a command, click or form that arrives while the process stops."""
    if "command" in body:
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": RESTARTING})
    if body.get("type") == "view_submission":
        view = body.get("view") or {}
        inputs = [b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"]
        if inputs and isinstance(inputs[0], str):
            errors = {inputs[0]: RESTARTING}
            return BoltResponse(status=200, body={"response_action": "errors", "errors": errors})
        return BoltResponse(status=200, body="")
    response_url = body.get("response_url")
    if isinstance(response_url, str) and response_url.startswith(("https://", "http://")):
        # Clicks and shortcuts have no reply of their own: a private line where they were.
        try:
            WebhookClient(response_url, timeout=2).send(
                text=RESTARTING, response_type="ephemeral", replace_original=False
            )
        except Exception as exc:  # the person sees nothing happen; nothing else to do
            log.info("could not say we are restarting: %s", type(exc).__name__)
    return BoltResponse(status=200, body="")


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
    def other_event(event: dict, context: BoltContext) -> None:
        log.debug("ignoring a %s event", event.get("type"))
        mark_handled(context)  # nothing to do is handled too

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
