"""Running the app: Bolt's ``/slack/events`` over HTTP, or Socket Mode.

HTTP mode serves the production WSGI adapter on a threaded stdlib server, plus
``GET /healthz`` for load balancers. Behind a heavier WSGI server, mount
``wsgi_app(bot.app)`` of a ``build(settings).start()`` in each worker process (registered,
so its unfinished work is taken over if it dies) and call ``bot.close()`` when it exits.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
StartResponse = Callable[..., Any]


# How often the serving loop checks for a stop request (stopping takes up to this long).
_POLL = 0.05
# Slack's own payloads are far smaller; anything bigger is not from Slack.
MAX_BODY = 4 * 1024 * 1024


def wsgi_app(app: App) -> Callable[[dict, StartResponse], Iterable[bytes]]:
    """A WSGI application: Bolt at ``/slack/events`` (and, for installs by OAuth, at
    ``/slack/install`` and ``/slack/oauth_redirect``), ``/healthz``, 404 elsewhere."""
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        flow = app.oauth_flow
        get = environ.get("REQUEST_METHOD") == "GET"
        if flow is not None and get and path in (flow.install_path, flow.redirect_uri_path):
            # Many workspaces: the install page, and Slack's redirect back with the code.
            return bolt(environ, start_response)
        if path == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            if _content_length(environ) > MAX_BODY:
                _drain(environ, _content_length(environ))
                start_response("413 Payload Too Large", [("Content-Type", "text/plain")])
                return [b"request body too large\n"]
            try:
                return bolt(environ, start_response)
            except Exception as exc:
                # Bolt parses the body before verifying the signature (and listeners' own
                # errors never reach here): a body that is not a Slack payload is refused
                # plainly instead of with a 500 that Slack would retry.
                log.warning("refused an unreadable request body: %s", type(exc).__name__)
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [b"unreadable request body\n"]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]

    return application


def _drain(environ: dict, length: int) -> None:
    # Read (and drop) a moderately oversized body so the client gets the 413 instead of a
    # reset connection; beyond twice the limit, the connection is simply closed.
    left = min(length, 2 * MAX_BODY)
    stream = environ["wsgi.input"]
    while left > 0:
        chunk = stream.read(min(left, 65536))
        if not chunk:
            break
        left -= len(chunk)


def _content_length(environ: dict) -> int:
    try:
        return int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # Slack may open many connections at once during a burst; a deep backlog keeps
    # them from being refused while workers are busy.
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("http %s", format % args)


class HttpServer:
    """The app on ``host:port`` (port 0 picks a free one; see ``port``)."""

    def __init__(self, app: App, *, host: str = "127.0.0.1", port: int = 3000) -> None:
        self._server = make_server(
            host, port, wsgi_app(app), server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self.host = host
        self.port = int(self._server.server_address[1])
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Where Slack should send requests."""
        return f"http://{self.host}:{self.port}{EVENTS_PATH}"

    def start(self) -> HttpServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": _POLL}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until stopped."""
        self._server.serve_forever(poll_interval=_POLL)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()


class Stopper:
    """Stops serving in order, once: first ``drain`` (the door stays open, answering that
    we are restarting, while running work finishes), then ``finish`` closes the door.

    Asked by SIGTERM/SIGINT, or by the process itself (a lost lease). A second signal stops
    at once: what is running is left in the ledger for the next process, as after a crash.
    """

    def __init__(self, drain: Callable[[], object]) -> None:
        self.drain = drain
        self._finish: Callable[[], None] = lambda: None
        self._serving = threading.Event()
        self._asked = threading.Lock()  # taken once, never released

    @property
    def requested(self) -> bool:
        return self._asked.locked()

    def serving(self, finish: Callable[[], None]) -> None:
        """The serving loop is up; ``finish`` ends it."""
        self._finish = finish
        self._serving.set()

    def request(self, why: str = "asked to stop") -> None:
        if not self._asked.acquire(blocking=False):  # safe in a signal handler
            return
        threading.Thread(target=self._run, args=(why,), name="stopper", daemon=True).start()

    def _run(self, why: str) -> None:
        log.info("%s: finishing running work, then stopping", why)
        try:
            self.drain()
        except Exception as exc:
            log.error("stopping: %s: %s", type(exc).__name__, exc)
        finally:
            self._serving.wait()
            self._finish()

    def on_signals(self) -> None:
        """SIGTERM and SIGINT ask for the stop (from the main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            return

        def handle(signum: int, frame: object) -> None:
            if self.requested:
                # Asked twice: stop now (nothing logged from a signal handler but this).
                os.write(2, b"newsroom-bot: stopping now; unfinished work goes to the next start\n")
                os._exit(1)
            self.request(f"signal {signum}")

        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)


def run_http(
    app: App, *, host: str, port: int, announce: Callable[[str], None], stopper: Stopper
) -> None:
    """Serve HTTP until ``stopper`` has drained the running work (SIGINT/SIGTERM)."""
    server = HttpServer(app, host=host, port=port)
    stopper.on_signals()
    stopper.serving(server.stop)
    announce(f"listening on {server.url}")
    server.serve_forever()


def run_socket_mode(
    app: App, *, app_token: str, announce: Callable[[str], None], stopper: Stopper
) -> None:
    """Connect over Socket Mode and serve until ``stopper`` has drained (SIGINT/SIGTERM)."""
    handler = SocketModeHandler(app, app_token=app_token)
    stopped = threading.Event()
    handler.connect()  # a signal before this ends the process at once (nothing in flight)
    stopper.on_signals()
    stopper.serving(stopped.set)
    announce("connected to Slack over Socket Mode")
    stopped.wait()
    handler.close()
