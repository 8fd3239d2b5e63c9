"""Playing Slack's client side: signed HTTP requests to the app, and realistic payloads.

Slack signs every request with ``v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")``; the
helpers here sign exactly like that (with slack_sdk's SignatureVerifier), so the app's
real verification runs. Payload builders follow the shapes Slack documents.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk.signature import SignatureVerifier

from tests.slackfake import BOT_USER_ID, TEAM_ID

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
REPORTER = "UREPORTER"
CHANNEL = "CNEWSDESK"
_ids = itertools.count(1)
_ts = itertools.count(1)


def new_ts() -> str:
    """A fresh Slack-style message ts."""
    return f"1700000000.{next(_ts):06d}"


@dataclass
class Reply:
    """The app's HTTP answer."""

    status: int
    body: str
    headers: dict[str, str]
    elapsed: float

    def json(self) -> dict:
        return json.loads(self.body) if self.body else {}


@dataclass
class Driver:
    """Sends signed requests to the app at ``url`` (its /slack/events endpoint)."""

    url: str
    secret: str = SIGNING_SECRET
    sent: list[str] = field(default_factory=list)

    def post(
        self,
        body: str,
        *,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        sign: bool = True,
    ) -> Reply:
        """POST a raw body, signed unless told otherwise."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if sign:
            all_headers["X-Slack-Request-Timestamp"] = stamp
            all_headers["X-Slack-Signature"] = signature or SignatureVerifier(
                self.secret
            ).generate_signature(timestamp=stamp, body=body)
        request = urllib.request.Request(
            self.url, data=body.encode(), headers=all_headers, method="POST"
        )
        return _send(request)

    def event(
        self, event: dict, *, event_id: str | None = None, retry_num: int | None = None, **kwargs
    ) -> Reply:
        """Deliver an Events API callback (JSON)."""
        envelope = event_envelope(event, event_id=event_id)
        headers = {}
        if retry_num:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(
            json.dumps(envelope), content_type="application/json", headers=headers, **kwargs
        )

    def command(
        self,
        text: str,
        *,
        response_url: str,
        user: str = REPORTER,
        channel: str = CHANNEL,
        team: str = TEAM_ID,
    ) -> Reply:
        """Run /digest (form-encoded, as Slack sends commands)."""
        form = {
            "token": "legacy",
            "team_id": team,
            "team_domain": "newsroom",
            "channel_id": channel,
            "channel_name": "newsdesk",
            "user_id": user,
            "user_name": "reporter",
            "command": "/digest",
            "text": text,
            "api_app_id": "A0NEWS",
            "response_url": response_url,
            "trigger_id": f"trig.{next(_ids)}",
        }
        return self.post(
            urllib.parse.urlencode(form), content_type="application/x-www-form-urlencoded"
        )

    def install(self, approve: Callable[[], str]) -> Reply:
        """Install the app as a person does: open ``/slack/install`` (Bolt's page, which
        sets the state cookie), approve on Slack's side (``approve`` returns the code
        Slack would send back), and follow Slack's redirect to ``/slack/oauth_redirect``
        with the code, the state and the cookie."""
        base = self.url.rsplit("/slack/events", 1)[0]
        page = self.get(f"{base}/slack/install")
        assert page.status == 200, page
        state = re.search(r"[?&]state=([^&\"']+)", page.body)
        headers = {k.lower(): v for k, v in page.headers.items()}
        cookie = headers.get("set-cookie", "").split(";", 1)[0]
        assert state and cookie, "the install page carries a state and sets its cookie"
        query = urllib.parse.urlencode({"code": approve(), "state": state.group(1)})
        return self.get(f"{base}/slack/oauth_redirect?{query}", headers={"Cookie": cookie})

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Reply:
        """A plain GET (a browser on the install pages)."""
        return _send(urllib.request.Request(url, headers=headers or {}, method="GET"))

    def interactive(self, payload: dict) -> Reply:
        """Send an interactivity payload (form field ``payload`` holding JSON)."""
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return self.post(body, content_type="application/x-www-form-urlencoded")


def _send(request: urllib.request.Request) -> Reply:
    """Send a request to the app and time its answer (an error status is an answer too)."""
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return Reply(response.status, text, dict(response.headers), time.perf_counter() - began)
    except urllib.error.HTTPError as exc:
        text = exc.read().decode()
        return Reply(exc.code, text, dict(exc.headers), time.perf_counter() - began)


def event_envelope(event: dict, *, event_id: str | None = None) -> dict:
    """An ``event_callback`` as Slack wraps events."""
    team = event.get("team") or TEAM_ID  # the workspace it happened in
    envelope = {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "A0NEWS",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": team, "user_id": BOT_USER_ID, "is_bot": True, "enterprise_id": None}
        ],
    }
    if event.get("enterprise"):  # Enterprise Grid
        envelope["enterprise_id"] = event["enterprise"]
        envelope["authorizations"][0]["enterprise_id"] = event["enterprise"]
    return envelope


def message_event(
    text: str,
    *,
    channel: str = CHANNEL,
    user: str | None = REPORTER,
    ts: str | None = None,
    **extra,
) -> dict:
    """A person's message as the ``message.channels`` event carries it."""
    ts = ts or new_ts()
    event = {
        "type": "message",
        "channel": channel,
        "channel_type": "channel",
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": TEAM_ID,
    }
    if user:
        event["user"] = user
    event.update(extra)
    return event


def mention_event(text: str, *, thread_ts: str | None = None, channel: str = CHANNEL) -> dict:
    """An ``app_mention`` event."""
    event = message_event(f"<@{BOT_USER_ID}> {text}", channel=channel)
    event["type"] = "app_mention"
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def shortcut_payload(
    message: dict, *, response_url: str, user: str = REPORTER, channel: str = CHANNEL
) -> dict:
    """A ``message_action`` payload for "Digest this message"."""
    return {
        "type": "message_action",
        "callback_id": "digest_message",
        "trigger_id": f"trig.{next(_ids)}",
        "response_url": response_url,
        "team": {"id": TEAM_ID, "domain": "newsroom"},
        "channel": {"id": channel, "name": "newsdesk"},
        "user": {"id": user, "name": "reporter"},
        "message_ts": message["ts"],
        "message": {"type": "message", **message},
    }


def button_payload(
    action_id: str,
    value: str,
    *,
    response_url: str,
    user: str = REPORTER,
    channel: str = CHANNEL,
    message_ts: str | None = None,
) -> dict:
    """A ``block_actions`` payload for a button click (on an ephemeral message by default)."""
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "reporter", "team_id": TEAM_ID},
        "api_app_id": "A0NEWS",
        "team": {"id": TEAM_ID, "domain": "newsroom"},
        "channel": {"id": channel, "name": "newsdesk"},
        "container": {
            "type": "message",
            "message_ts": message_ts or new_ts(),
            "channel_id": channel,
            "is_ephemeral": message_ts is None,
        },
        "trigger_id": f"trig.{next(_ids)}",
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }


def select_payload(
    value: str,
    *,
    message: dict,
    channel: str = CHANNEL,
    user: str = REPORTER,
    response_url: str,
    block_id: str = "claim",
) -> dict:
    """A ``block_actions`` payload: an option chosen from a status menu on ``message``."""
    return {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0NEWS",
        "team": {"id": TEAM_ID, "domain": "newsroom"},
        "channel": {"id": channel, "name": "newsdesk"},
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "message": message,
        "trigger_id": f"trig.{next(_ids)}",
        "response_url": response_url,
        "actions": [
            {
                "type": "static_select",
                "action_id": "figure_action",
                "block_id": block_id,
                "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value},
                "action_ts": str(time.time()),
            }
        ],
    }


def view_submission(view: dict, values: dict[str, str], *, user: str = REPORTER) -> dict:
    """A ``view_submission`` payload for the modal ``view`` with these inputs typed in."""
    state = {
        block_id: {"value": {"type": "plain_text_input", "value": text}}
        for block_id, text in values.items()
    }
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "newsroom"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0NEWS",
        "trigger_id": f"trig.{next(_ids)}",
        "view": {"id": f"V{next(_ids)}", **view, "state": {"values": state}},
    }


def view_select_payload(
    value: str, *, view: dict, user: str = REPORTER, action_id: str = "figure_action"
) -> dict:
    """A ``block_actions`` payload: an option chosen from a menu inside the modal ``view``
    (as Slack holds it: with its ``id``)."""
    return {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0NEWS",
        "team": {"id": TEAM_ID, "domain": "newsroom"},
        "container": {"type": "view", "view_id": view["id"]},
        "view": {"root_view_id": view.get("root_view_id") or view["id"], **view},
        "trigger_id": f"trig.{next(_ids)}",
        "actions": [
            {
                "type": "static_select",
                "action_id": action_id,
                "block_id": "figure",
                "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value},
                "action_ts": str(time.time()),
            }
        ],
    }


def view_button_payload(action_id: str, value: str, *, view: dict, user: str = REPORTER) -> dict:
    """A ``block_actions`` payload: a button clicked inside the modal ``view``."""
    payload = view_select_payload(value, view=view, user=user, action_id=action_id)
    payload["actions"] = [
        {
            "type": "button",
            "action_id": action_id,
            "block_id": "b1",
            "value": value,
            "action_ts": str(time.time()),
        }
    ]
    return payload
