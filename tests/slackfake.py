"""A local stand-in for Slack: the Web API, response_url and Socket Mode, on 127.0.0.1.

It answers the way Slack does (``{"ok": true, ...}`` or ``{"ok": false, "error": ...}``,
tokens checked, Block Kit limits enforced), records every call for tests to assert on,
and injects faults on request: a 429 with ``Retry-After``, a 500, or an ``ok: false``
error, for the next N calls to a method.

Socket Mode: ``apps.connections.open`` (with the app-level token) returns a ``ws://``
URL served here; a connecting client gets Slack's ``hello``, ``push()`` sends it an
envelope (optionally marked as a redelivery with a higher ``retry_attempt``), and the
client's acknowledgements are collected by ``envelope_id``.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import random
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-1-test"
TEAM_ID = "T0NEWS"
BOT_USER_ID = "UBOTNEWS"
BOT_ID = "BBOTNEWS"
APP_ID = "A0NEWS"
# The app's OAuth credentials (Basic Information → App Credentials).
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret-abcdef"
TOKEN_LIFETIME = 12 * 3600  # a rotating token lasts 12 hours, as Slack's do

T = TypeVar("T")

# Methods that take the app-level token rather than the bot token.
_APP_METHODS = {"apps.connections.open"}
# Methods called with the app's client id and secret instead of a token.
_CLIENT_METHODS = {"oauth.v2.access"}
# Block Kit limits Slack enforces (https://api.slack.com/reference/block-kit/blocks).
_MAX_BLOCKS = 50
_MAX_SECTION_TEXT = 3000
_MAX_HEADER_TEXT = 150
_MAX_CONTEXT_ELEMENTS = 10
_MAX_ACTIONS_ELEMENTS = 25
_MAX_BLOCK_ID = 255
_MAX_BLOCKS_JSON = 12_000


@dataclass
class Call:
    """One request Slack received: the method, its arguments, and what Slack answered."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived
    response: dict[str, Any] = field(default_factory=dict)
    status: int = 200


@dataclass
class Install:
    """One workspace's installation of the app: its bot and the token Slack issued."""

    team_id: str | None
    enterprise_id: str | None = None
    org: bool = False  # installed org-wide on Enterprise Grid
    bot_user_id: str = BOT_USER_ID
    bot_id: str = BOT_ID
    token: str = BOT_TOKEN
    refresh_token: str | None = None  # set when tokens rotate
    expires_at: float | None = None  # time.time() when the token stops working
    lifetime: float = TOKEN_LIFETIME  # how long each token it is issued lasts

    def expired(self) -> bool:
        return self.expires_at is not None and time.time() >= self.expires_at


@dataclass
class _Fault:
    status: int
    error: str | None
    retry_after: int | None
    times: int


class SlackApiFailure(Exception):
    """Raised inside the fake to answer ``ok: false`` with this error code."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


class FakeSlack:
    """Slack's side of the wire for tests. Use as a context manager or start()/stop()."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._delays: dict[str, float] = {}
        self._down: str | None = None
        self._chaos: tuple[float, float, random.Random] | None = None
        self._kicked: set[str] = set()
        self.private: set[str] = set()  # channels conversations.info calls private
        self._messages: list[dict[str, Any]] = []
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self._sockets: list[ServerConnection] = []
        self._http: ThreadingHTTPServer | None = None
        self._ws: Any = None
        self._threads: list[threading.Thread] = []
        # Tokens Slack would accept, and whose bot each belongs to: the single-workspace
        # bot token from the start; more as workspaces install the app by OAuth.
        self._tokens: dict[str, Install] = {BOT_TOKEN: Install(TEAM_ID)}
        self._codes: dict[str, Install] = {}  # install approved, code not yet exchanged
        self._refresh: dict[str, Install] = {}  # refresh token -> the install it renews
        self._caller = threading.local()  # the install whose token made the current call

    # -- lifecycle ----------------------------------------------------------------

    def start(self) -> FakeSlack:
        fake = self

        class Handler(_Handler):
            slack = fake

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self._ws = serve(self._socket_session, "127.0.0.1", 0, compression=None)
        http, ws = self._http, self._ws
        for target in (lambda: http.serve_forever(poll_interval=0.05), ws.serve_forever):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        if self._ws is not None:
            for sock in list(self._sockets):
                sock.close()
            self._ws.shutdown()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._http is not None, "FakeSlack is not started"
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """What ``SLACK_API_URL`` points at (WebClient's base_url, with its trailing slash)."""
        return f"{self.base_url}/api/"

    @property
    def ws_url(self) -> str:
        host, port = self._ws.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link"

    def response_url(self, key: str | None = None) -> str:
        """A response_url for a command or interaction; posts to it are recorded as calls
        to the method ``response_url`` with ``args["_key"] == key``."""
        return f"{self.base_url}/response/{key or f'r{next(self._ids)}'}"

    # -- what tests set up --------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with a fault instead.

        ``status=429`` is a rate limit (``Retry-After`` header, default 1 s);
        ``status=500`` a server error; ``status=200`` with ``error`` an ``ok: false``.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        if status == 200 and error is None:
            error = "internal_error"
        with self._changed:
            self._faults.setdefault(method, []).append(_Fault(status, error, retry_after, times))

    def down(self, mode: str = "500") -> None:
        """Slack is down until ``up()``: every Web API call answers 500 (``mode="500"``) or
        the connection is dropped without an answer (``mode="drop"``)."""
        assert mode in {"500", "drop"}
        self._down = mode

    def up(self) -> None:
        self._down = None

    def chaos(self, *, rate_429: float, rate_500: float, seed: int = 0) -> None:
        """Answer a random share of all calls with 429 (Retry-After: 1) or 500."""
        self._chaos = (rate_429, rate_500, random.Random(seed))

    def delay(self, method: str, seconds: float) -> None:
        """Hold answers to ``method`` this long after acting on them (a slow Slack, or a
        window in which the caller can crash after Slack did the work)."""
        self._delays[method] = seconds

    def kick_bot(self, channel: str) -> None:
        """The bot is not a member of ``channel``: posting there answers ``not_in_channel``."""
        self._kicked.add(channel)

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str = "UEDITOR",
        ts: str | None = None,
        thread_ts: str | None = None,
    ) -> str:
        """A message someone posted (what conversations.history/replies will return)."""
        ts = ts or self._new_ts()
        message = {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._changed:
            self._messages.append(message)
        return ts

    def recent_messages(self, channel: str, count: int) -> list[dict[str, Any]]:
        """The last ``count`` messages in the channel (cheap on a long run)."""
        with self._changed:
            found: list[dict[str, Any]] = []
            for m in reversed(self._messages):
                if m["channel"] == channel:
                    found.append(dict(m))
                    if len(found) == count:
                        break
            return found[::-1]

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Every message in the channel (or everywhere), oldest first."""
        with self._changed:
            return [dict(m) for m in self._messages if channel in (None, m["channel"])]

    def approve_install(
        self,
        team_id: str | None,
        *,
        enterprise_id: str | None = None,
        org: bool = False,
        rotating: bool = False,
        lifetime: int = TOKEN_LIFETIME,
    ) -> str:
        """Someone approved installing the app (in ``team_id``; ``org``: org-wide on an
        Enterprise Grid) on Slack's authorize page: the code Slack sends back to the
        app's redirect URL, for ``oauth.v2.access``."""
        n = next(self._ids)
        install = Install(
            team_id=None if org else team_id,
            enterprise_id=enterprise_id,
            org=org,
            bot_user_id=f"UBOT{n:04d}",
            bot_id=f"BBOT{n:04d}",
            token="",
            refresh_token="" if rotating else None,
            lifetime=lifetime,
        )
        code = f"code-{n}"
        with self._changed:
            self._codes[code] = install
        return code

    def token_of(self, team_id: str | None, enterprise_id: str | None = None) -> str | None:
        """The newest bot token Slack issued for this workspace (or org-wide install)."""
        with self._changed:
            found = [
                t
                for t, i in self._tokens.items()
                if (i.team_id, i.enterprise_id) == (team_id, enterprise_id)
            ]
        return found[-1] if found else None

    def revoke(self, team_id: str | None, enterprise_id: str | None = None) -> None:
        """The workspace uninstalled the app: its tokens stop working."""
        with self._changed:
            for token, install in list(self._tokens.items()):
                if (install.team_id, install.enterprise_id) == (team_id, enterprise_id):
                    del self._tokens[token]
            for refresh, install in list(self._refresh.items()):
                if (install.team_id, install.enterprise_id) == (team_id, enterprise_id):
                    del self._refresh[refresh]

    def expire(self, token: str, *, in_seconds: float) -> None:
        """Make a token expire sooner (a rotating token near the end of its 12 hours)."""
        with self._changed:
            install = self._tokens[token]
            install.expires_at = time.time() + in_seconds

    # -- what tests read ----------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    @property
    def ephemerals(self) -> list[Call]:
        return self.calls_to("chat.postEphemeral")

    def wait_for(self, predicate: Callable[[], T], timeout: float = 15.0) -> T:
        """Wait until ``predicate()`` is truthy and return it; fail the test otherwise."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.status, c.response.get("error")) for c in self.calls]
                    raise AssertionError(f"timed out after {timeout}s; Slack saw {seen}")
                self._changed.wait(min(left, 0.05))

    def wait_calls(self, method: str, count: int = 1, timeout: float = 15.0) -> list[Call]:
        """Wait for at least ``count`` calls to ``method``; return all of them."""
        return self.wait_for(
            lambda: calls if len(calls := self.calls_to(method)) >= count else None, timeout
        )

    # -- Socket Mode --------------------------------------------------------------

    def wait_connected(self, timeout: float = 15.0) -> None:
        self.wait_for(lambda: bool(self._sockets), timeout)

    def push(
        self,
        type_: str,
        payload: dict[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Send an envelope to the connected app; returns its envelope_id."""
        envelope_id = f"env-{next(self._ids)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": type_,
            "payload": payload,
            "accepts_response_payload": type_ in {"slash_commands", "interactive"},
        }
        if type_ == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        self.wait_connected()
        self._sockets[-1].send(json.dumps(envelope))
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 15.0) -> dict[str, Any]:
        """The app's acknowledgement of an envelope."""
        return self.wait_for(lambda: self.acks.get(envelope_id), timeout)

    def _socket_session(self, connection: ServerConnection) -> None:
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake-slack", "approximate_connection_time": 3600},
            "connection_info": {"app_id": APP_ID},
        }
        connection.send(json.dumps(hello))
        with self._changed:
            self._sockets.append(connection)
            self._changed.notify_all()
        try:
            for frame in connection:
                try:
                    ack = json.loads(frame)
                except ValueError:
                    continue
                if isinstance(ack, dict) and "envelope_id" in ack:
                    with self._changed:
                        self.acks[ack["envelope_id"]] = ack
                        self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self._sockets.remove(connection)

    # -- the Web API --------------------------------------------------------------

    def _new_ts(self) -> str:
        return f"1800000000.{next(self._ts):06d}"

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _take_fault(self, method: str) -> _Fault | None:
        with self._changed:
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault

    def handle(
        self, method: str, args: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Answer one Web API call (status, extra headers, JSON body) and record it."""
        call = Call(method, args, headers, time.monotonic())
        status, extra, body = self._answer(method, args, headers)
        call.status, call.response = status, body
        self._record(call)
        return status, extra, body

    def _answer(
        self, method: str, args: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        token = _bearer(headers) or args.get("token")
        if method in _CLIENT_METHODS:
            if _client_credentials(headers, args) != (CLIENT_ID, CLIENT_SECRET):
                return 200, {}, {"ok": False, "error": "invalid_client_id"}
            self._caller.install = None
        elif not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        elif method in _APP_METHODS:
            if token != APP_TOKEN:
                return 200, {}, {"ok": False, "error": "invalid_auth"}
        else:
            with self._changed:
                install = self._tokens.get(token)
            if install is None:
                return 200, {}, {"ok": False, "error": "invalid_auth"}
            if install.expired():
                return 200, {}, {"ok": False, "error": "token_expired"}
            self._caller.install = install
        if self._down == "500":
            return 500, {}, {"ok": False, "error": "fatal_error"}
        if self._chaos is not None and method not in _APP_METHODS:
            rate_429, rate_500, rng = self._chaos
            with self._changed:
                roll = rng.random()
            if roll < rate_429:
                return 429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}
            if roll < rate_429 + rate_500:
                return 500, {}, {"ok": False, "error": "fatal_error"}
        fault = self._take_fault(method)
        if fault is not None:
            if fault.status == 429:
                return (
                    429,
                    {"Retry-After": str(fault.retry_after)},
                    {
                        "ok": False,
                        "error": "ratelimited",
                    },
                )
            if fault.status >= 500:
                return fault.status, {}, {"ok": False, "error": "fatal_error"}
            return fault.status, {}, {"ok": False, "error": fault.error}
        answer = _METHODS.get(method)
        if answer is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        try:
            return 200, {}, {"ok": True, **answer(self, args)}
        except SlackApiFailure as failure:
            return 200, {}, {"ok": False, "error": failure.error, **failure.extra}

    def handle_response_url(self, key: str, args: dict[str, Any], headers: dict[str, str]) -> int:
        call = Call("response_url", {**args, "_key": key}, headers, time.monotonic())
        problem = _block_problem(args.get("blocks"))
        call.status = 200 if problem is None else 400
        call.response = {"ok": problem is None, **({"error": problem} if problem else {})}
        self._record(call)
        return call.status

    # Method implementations: each returns the fields of an ok answer or raises.

    def _channel(self, args: dict[str, Any]) -> str:
        channel = args.get("channel")
        if not channel:
            raise SlackApiFailure("channel_not_found")
        if channel in self._kicked:
            raise SlackApiFailure("not_in_channel")
        return str(channel)

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        _check_message(args)
        ts = self._new_ts()
        message = {
            "type": "message",
            "channel": channel,
            "user": self._me().bot_user_id,
            "bot_id": self._me().bot_id,
            "text": args.get("text", ""),
            "blocks": args.get("blocks") or [],
            "ts": ts,
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        if args.get("metadata"):
            message["metadata"] = _metadata(args["metadata"])
        with self._changed:
            self._messages.append(message)
        return {"channel": channel, "ts": ts, "message": message}

    def _ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        self._channel(args)
        if not args.get("user"):
            raise SlackApiFailure("user_not_found")
        _check_message(args)
        return {"message_ts": self._new_ts()}

    def _find(self, channel: str, ts: str) -> dict[str, Any]:
        for message in self._messages:
            if message["channel"] == channel and message["ts"] == ts:
                return message
        raise SlackApiFailure("message_not_found")

    def _update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        _check_message(args)
        with self._changed:
            message = self._find(channel, str(args.get("ts")))
            message["text"] = args.get("text", message.get("text", ""))
            if "blocks" in args:
                message["blocks"] = args["blocks"] or []
            if args.get("metadata"):
                message["metadata"] = _metadata(args["metadata"])
        return {"channel": channel, "ts": message["ts"], "text": message["text"]}

    def _delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        with self._changed:
            message = self._find(channel, str(args.get("ts")))
            self._messages.remove(message)
        return {"channel": channel, "ts": message["ts"]}

    def _permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        ts = str(args.get("message_ts") or "")
        if not channel or not ts:
            raise SlackApiFailure("invalid_arguments")
        return {
            "channel": channel,
            "permalink": f"https://newsroom.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    def _replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        ts = str(args.get("ts") or "")
        with self._changed:
            thread = [
                dict(m)
                for m in self._messages
                if m["channel"] == channel and (m["ts"] == ts or m.get("thread_ts") == ts)
            ]
        if not thread or thread[0]["ts"] != ts:
            raise SlackApiFailure("thread_not_found")
        limit = int(args.get("limit") or 1000)
        if str(args.get("include_all_metadata")).lower() not in ("true", "1"):
            for m in thread:
                m.pop("metadata", None)  # Slack returns it only when asked
        return {"messages": thread[:limit], "has_more": len(thread) > limit}

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(args)
        with self._changed:
            top = [dict(m) for m in self._messages if m["channel"] == channel]
        top = [m for m in top if m.get("thread_ts") in (None, m["ts"])]
        oldest = float(args.get("oldest") or 0)
        top = [m for m in top if float(m["ts"]) > oldest]
        if str(args.get("include_all_metadata")).lower() not in ("true", "1"):
            for m in top:
                m.pop("metadata", None)  # Slack returns it only when asked
        limit = int(args.get("limit") or 100)
        newest_first = list(reversed(top))
        return {"messages": newest_first[:limit], "has_more": len(top) > limit}

    def _info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if not channel:
            raise SlackApiFailure("channel_not_found")
        return {
            "channel": {
                "id": channel,
                "name": channel.lower(),
                "is_channel": not channel.startswith("D"),
                "is_private": channel in self.private,
                "is_im": channel.startswith("D"),
                "is_member": channel not in self._kicked,
            }
        }

    def _join(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        self._kicked.discard(channel)
        return self._info(args)

    def _view(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        if not isinstance(view, dict) or "type" not in view:
            raise SlackApiFailure("invalid_arguments")
        problem = _block_problem(view.get("blocks"), limit=100)
        if problem:
            raise SlackApiFailure(problem)
        return {"view": {"id": f"V{next(self._ids):08d}", **view}}

    def _user(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user") or "")
        if not user:
            raise SlackApiFailure("user_not_found")
        return {
            "user": {
                "id": user,
                "team_id": TEAM_ID,
                "name": user.lower(),
                "real_name": f"Reporter {user}",
                "tz": "Europe/London",
                "is_bot": user == BOT_USER_ID,
            }
        }

    def _me(self) -> Install:
        """The installation whose token made the call being answered."""
        return getattr(self._caller, "install", None) or self._tokens[BOT_TOKEN]

    def _auth(self, args: dict[str, Any]) -> dict[str, Any]:
        me = self._me()
        return {
            "url": "https://newsroom.slack.com/",
            "team": "Newsroom",
            "user": "newsroom-bot",
            "team_id": me.team_id,
            "user_id": me.bot_user_id,
            "bot_id": me.bot_id,
            "enterprise_id": me.enterprise_id,
            "is_enterprise_install": me.org,
        }

    def _oauth_access(self, args: dict[str, Any]) -> dict[str, Any]:
        """``oauth.v2.access``: a code for an install's tokens, or (``grant_type=
        refresh_token``) a rotating token for a fresh one; a refresh token works once."""
        with self._changed:
            if args.get("grant_type") == "refresh_token":
                install = self._refresh.pop(str(args.get("refresh_token") or ""), None)
                if install is None:
                    raise SlackApiFailure("invalid_refresh_token")
            else:
                install = self._codes.pop(str(args.get("code") or ""), None)
                if install is None:
                    raise SlackApiFailure("invalid_code")
            n = next(self._ids)
            fresh = Install(**{**install.__dict__, "token": f"xoxb-{n}-{install.team_id}"})
            lifetime = int(install.lifetime)
            if install.refresh_token is not None:
                fresh.refresh_token = f"xoxe-1-{n}"
                fresh.expires_at = time.time() + lifetime
                self._refresh[fresh.refresh_token] = fresh
            self._tokens[fresh.token] = fresh
        answer: dict[str, Any] = {
            "access_token": fresh.token,
            "token_type": "bot",
            "scope": "chat:write,commands",
            "bot_user_id": fresh.bot_user_id,
            "app_id": APP_ID,
            "team": None if fresh.org else {"id": fresh.team_id, "name": f"Team {fresh.team_id}"},
            "enterprise": {"id": fresh.enterprise_id, "name": "Org"}
            if fresh.enterprise_id
            else None,
            "is_enterprise_install": fresh.org,
            "authed_user": {"id": "UINSTALLER"},
        }
        if fresh.refresh_token is not None:
            answer["refresh_token"] = fresh.refresh_token
            answer["expires_in"] = lifetime
        return answer

    def _open_connection(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.ws_url}

    def _unfurl(self, args: dict[str, Any]) -> dict[str, Any]:
        if not (args.get("channel") and args.get("ts")) and not (
            args.get("unfurl_id") and args.get("source")
        ):
            raise SlackApiFailure("invalid_arguments")
        unfurls = args.get("unfurls")
        if not isinstance(unfurls, dict) or not unfurls:
            raise SlackApiFailure("invalid_unfurls")
        for value in unfurls.values():
            problem = _block_problem(value.get("blocks") if isinstance(value, dict) else None)
            if problem:
                raise SlackApiFailure(problem)
        return {}

    def _nothing(self, args: dict[str, Any]) -> dict[str, Any]:
        return {}


_METHODS: dict[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "auth.test": FakeSlack._auth,
    "oauth.v2.access": FakeSlack._oauth_access,
    "apps.connections.open": FakeSlack._open_connection,
    "chat.postMessage": FakeSlack._post,
    "chat.postEphemeral": FakeSlack._ephemeral,
    "chat.update": FakeSlack._update,
    "chat.delete": FakeSlack._delete,
    "chat.getPermalink": FakeSlack._permalink,
    "chat.unfurl": FakeSlack._unfurl,
    "conversations.replies": FakeSlack._replies,
    "conversations.history": FakeSlack._history,
    "conversations.info": FakeSlack._info,
    "conversations.join": FakeSlack._join,
    "views.publish": FakeSlack._view,
    "views.open": FakeSlack._view,
    "views.update": FakeSlack._view,
    "views.push": FakeSlack._view,
    "users.info": FakeSlack._user,
    "reactions.add": FakeSlack._nothing,
}


def _metadata(raw: Any) -> dict[str, Any]:
    """Message metadata as Slack keeps it: an event_type and an event_payload object."""
    meta = json.loads(raw) if isinstance(raw, str) else raw
    if not isinstance(meta, dict) or not meta.get("event_type"):
        raise SlackApiFailure("invalid_metadata_format")
    if not isinstance(meta.get("event_payload", {}), dict):
        raise SlackApiFailure("invalid_metadata_format")
    return {"event_type": meta["event_type"], "event_payload": meta.get("event_payload", {})}


def _check_message(args: dict[str, Any]) -> None:
    if not args.get("text") and not args.get("blocks"):
        raise SlackApiFailure("no_text")
    problem = _block_problem(args.get("blocks"))
    if problem:
        raise SlackApiFailure(problem, response_metadata={"messages": [problem]})


def _block_problem(blocks: Any, *, limit: int = _MAX_BLOCKS) -> str | None:
    """Why Slack would refuse these blocks, or None."""
    if blocks in (None, "", []):
        return None
    if not isinstance(blocks, list):
        return "invalid_blocks_format"
    if len(blocks) > limit:
        return "invalid_blocks"
    if len(json.dumps(blocks, ensure_ascii=False)) > _MAX_BLOCKS_JSON and limit == _MAX_BLOCKS:
        return "msg_blocks_too_long"
    for block in blocks:
        if not isinstance(block, dict) or "type" not in block:
            return "invalid_blocks"
        if len(str(block.get("block_id", ""))) > _MAX_BLOCK_ID:
            return "invalid_blocks"
        text = block.get("text") if isinstance(block.get("text"), dict) else {}
        kind = block["type"]
        if kind == "section" and len(text.get("text", "")) > _MAX_SECTION_TEXT:
            return "invalid_blocks"
        if kind == "header" and (
            text.get("type") != "plain_text" or len(text.get("text", "")) > _MAX_HEADER_TEXT
        ):
            return "invalid_blocks"
        if kind == "context" and not 0 < len(block.get("elements", [])) <= _MAX_CONTEXT_ELEMENTS:
            return "invalid_blocks"
        if kind == "actions" and not 0 < len(block.get("elements", [])) <= _MAX_ACTIONS_ELEMENTS:
            return "invalid_blocks"
    return None


def _bearer(headers: dict[str, str]) -> str | None:
    value = headers.get("Authorization") or headers.get("authorization") or ""
    return value[7:] if value.startswith("Bearer ") else None


def _client_credentials(headers: dict[str, str], args: dict[str, Any]) -> tuple[str, str]:
    """The client id and secret of an ``oauth.v2.access`` call: HTTP Basic or the form."""
    value = headers.get("Authorization") or headers.get("authorization") or ""
    if value.startswith("Basic "):
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            user, _, secret = base64.b64decode(value[6:]).decode().partition(":")
            return user, secret
    return str(args.get("client_id") or ""), str(args.get("client_secret") or "")


def _decode_form(raw: str) -> dict[str, Any]:
    args: dict[str, Any] = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
    # Form-encoded Web API calls carry JSON in some fields, as Slack accepts.
    for key in ("blocks", "attachments", "view", "unfurls", "metadata"):
        if isinstance(args.get(key), str):
            with contextlib.suppress(ValueError):
                args[key] = json.loads(args[key])
    return args


class _Handler(BaseHTTPRequestHandler):
    slack: FakeSlack
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def _args(self) -> dict[str, Any]:
        parsed = urllib.parse.urlsplit(self.path)
        args: dict[str, Any] = dict(urllib.parse.parse_qsl(parsed.query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        if raw:
            if "json" in (self.headers.get("Content-Type") or ""):
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {}
                args.update(body if isinstance(body, dict) else {})
            else:
                args.update(_decode_form(raw))
        return args

    def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the caller went away (a test killed it): Slack would not care either

    def _dispatch(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        args = self._args()
        headers = dict(self.headers.items())
        if path.startswith("/api/") and self.slack._down == "drop":
            method = path[len("/api/") :]
            self.slack._record(Call(method, args, headers, time.monotonic(), {}, 0))
            self.close_connection = True  # hang up without an answer
            return
        if path.startswith("/api/"):
            method = path[len("/api/") :]
            status, extra, body = self.slack.handle(method, args, headers)
            time.sleep(self.slack._delays.get(method, 0))
            self._reply(status, body, extra)
        elif path.startswith("/response/"):
            status = self.slack.handle_response_url(path[len("/response/") :], args, headers)
            self._reply(status, {"ok": status == 200}, {})
        else:
            self._reply(404, {"ok": False, "error": "not_found"}, {})

    do_GET = _dispatch
    do_POST = _dispatch
