"""``newsroom-bot serve`` as a process, and the app over Socket Mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.slack.app import create_app
from bot.store import Store
from tests.conftest import bot_settings
from tests.drive import SIGNING_SECRET, Driver, event_envelope, message_event
from tests.slackfake import APP_TOKEN, BOT_TOKEN, TEAM_ID
from tests.test_slack_app import SEED, settle, texts

ROOT = Path(__file__).resolve().parents[1]


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NEWSROOM_BOT_"))}
    env["NEWSROOM_BOT_DB"] = str(tmp_path / "serve.db")
    env["PYTHONPATH"] = str(ROOT)
    env.update(values)
    return env


def _serve(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", *args],
        cwd=tmp_path,  # no stray .env
        env=_env(tmp_path, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def serve_http(
    tmp_path: Path, slack, *args: str, **env: str
) -> tuple[subprocess.Popen[str], Driver]:
    """``serve --http`` on 127.0.0.1:<free port> against the local Slack, once listening."""
    proc = _serve(
        tmp_path,
        "--http",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        *args,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        NEWSROOM_BOT_ROUNDUP_AT="off",
        NEWSROOM_BOT_WORK_HOURS="always",
        **env,
    )
    line = proc.stdout.readline()
    assert "listening on" in line, proc.stderr.read() if proc.poll() is not None else line
    return proc, Driver(line.split("listening on ", 1)[1].strip())


def test_serve_http_answers_slack_and_stops_cleanly(slack, tmp_path):
    proc, driver = serve_http(tmp_path, slack)
    try:
        assert driver.url.startswith("http://127.0.0.1:")
        event = message_event(SEED)
        assert driver.event(event).status == 200
        call = slack.wait_calls("chat.postMessage", timeout=10)[0]
        assert call.args["thread_ts"] == event["ts"]
        assert "*at least 115*" in texts(call.args["blocks"])
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    assert proc.returncode == 0
    assert Store(tmp_path / "serve.db").digest_for_message(event["channel"], event["ts"])


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        ((), {}, "SLACK_APP_TOKEN"),
        (("--http",), {}, "SLACK_BOT_TOKEN"),
        (("--http",), {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        (("--http",), {"NEWSROOM_BOT_NUDGE_AFTER": "whenever"}, "NEWSROOM_BOT_NUDGE_AFTER"),
    ],
)
def test_missing_settings_get_one_line_naming_the_variable(tmp_path, args, env, named):
    proc = _serve(tmp_path, *args, **env)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert named in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_refused_token_is_a_clear_error(slack, tmp_path):
    proc = _serve(
        tmp_path,
        "--http",
        "--port",
        "0",
        SLACK_BOT_TOKEN="not-a-token",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=slack.api_url,
    )
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "SLACK_BOT_TOKEN was refused" in err and "Traceback" not in err


def test_socket_mode_digests_once_and_answers_commands_in_the_ack(slack, tmp_path):
    settings = bot_settings(slack, tmp_path)
    store = Store(settings.db_path)
    app = create_app(settings, store=store, socket_mode=True)
    handler = SocketModeHandler(app, app_token=APP_TOKEN)
    handler.connect()
    try:
        slack.wait_connected()
        envelope = event_envelope(message_event(SEED), event_id="EvSOCKET1")
        first = slack.push("events_api", envelope)
        slack.wait_ack(first)
        call = slack.wait_calls("chat.postMessage")[0]
        assert "*upwards of 700*" in texts(call.args["blocks"])
        # Redelivered with a higher retry_attempt: acknowledged, not digested again.
        again = slack.push("events_api", envelope, retry_attempt=1, retry_reason="timeout")
        slack.wait_ack(again)
        settle()
        assert len(slack.calls_to("chat.postMessage")) == 1

        command = {
            "command": "/digest",
            "text": "help",
            "user_id": "UREPORTER",
            "channel_id": "CNEWSDESK",
            "team_id": TEAM_ID,
            "response_url": slack.response_url(),
            "trigger_id": "t1",
        }
        ack = slack.wait_ack(slack.push("slash_commands", command))
        payload = ack.get("payload") or {}
        payload = json.loads(payload) if isinstance(payload, str) else payload
        assert "/digest" in texts(payload.get("blocks"))
    finally:
        handler.close()
        store.close()
