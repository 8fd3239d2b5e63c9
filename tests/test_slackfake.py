"""The Slack stand-in answers like Slack: a wrong stand-in would make every other test lie."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.response import SocketModeResponse

from tests.slackfake import APP_TOKEN, BOT_TOKEN, BOT_USER_ID


def client(slack, token: str = BOT_TOKEN) -> WebClient:
    return WebClient(token=token, base_url=slack.api_url)


def test_tokens_are_checked(slack):
    assert client(slack).auth_test()["user_id"] == BOT_USER_ID
    with pytest.raises(SlackApiError) as wrong:
        client(slack, "xoxb-wrong").auth_test()
    assert wrong.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as app_token:
        client(slack, BOT_TOKEN).apps_connections_open(app_token=BOT_TOKEN)
    assert app_token.value.response["error"] == "invalid_auth"


def test_posts_are_recorded_and_threads_can_be_read_back(slack):
    web = client(slack)
    parent = slack.add_message("C1", "the article")
    reply = web.chat_postMessage(channel="C1", thread_ts=parent, text="digest", blocks=[])
    thread = web.conversations_replies(channel="C1", ts=parent)["messages"]
    assert [m["ts"] for m in thread] == [parent, reply["ts"]]
    web.chat_update(channel="C1", ts=reply["ts"], text="edited")
    assert slack.messages("C1")[-1]["text"] == "edited"
    with pytest.raises(SlackApiError) as missing:
        web.chat_update(channel="C1", ts="1.2", text="x")
    assert missing.value.response["error"] == "message_not_found"
    assert [(c.method, c.status, c.response["ok"]) for c in slack.calls] == [
        ("chat.postMessage", 200, True),
        ("conversations.replies", 200, True),
        ("chat.update", 200, True),
        ("chat.update", 200, False),
    ]
    assert slack.calls_to("chat.postMessage")[0].args["thread_ts"] == parent


def test_block_kit_limits_are_enforced(slack):
    web = client(slack)
    too_many = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 51
    too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    heavy = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}}] * 5
    for blocks, error in (
        (too_many, "invalid_blocks"),
        (too_long, "invalid_blocks"),
        (heavy, "msg_blocks_too_long"),
    ):
        with pytest.raises(SlackApiError) as refused:
            web.chat_postMessage(channel="C1", text="t", blocks=blocks)
        assert refused.value.response["error"] == error


def test_faults_are_injected_for_the_next_calls_only(slack):
    web = client(slack)
    slack.fail("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        web.chat_postMessage(channel="C1", text="t")
    assert limited.value.response.status_code == 429
    assert slack.calls_to("chat.postMessage")[0].status == 429
    assert limited.value.response.headers.get("Retry-After") == "7"
    slack.fail("chat.postMessage", error="is_archived", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError):
            web.chat_postMessage(channel="C1", text="t")
    assert web.chat_postMessage(channel="C1", text="t")["ok"]
    slack.kick_bot("C2")
    with pytest.raises(SlackApiError) as kicked:
        web.chat_postMessage(channel="C2", text="t")
    assert kicked.value.response["error"] == "not_in_channel"


def test_response_url_posts_are_recorded_with_their_key(slack):
    body = json.dumps({"text": "hi", "response_type": "ephemeral"}).encode()
    request = urllib.request.Request(
        slack.response_url("k1"), data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    call = slack.wait_calls("response_url")[0]
    assert call.args == {"text": "hi", "response_type": "ephemeral", "_key": "k1"}


def test_socket_mode_hello_envelopes_and_acks(slack):
    received: list[dict] = []

    def on_request(socket_client: SocketModeClient, request) -> None:
        received.append({"type": request.type, "retry": request.retry_attempt})
        socket_client.send_socket_mode_response(
            SocketModeResponse(envelope_id=request.envelope_id, payload={"text": "ok"})
        )

    socket = SocketModeClient(app_token=APP_TOKEN, web_client=client(slack, APP_TOKEN))
    socket.socket_mode_request_listeners.append(on_request)
    socket.connect()
    try:
        slack.wait_connected()
        first = slack.push("events_api", {"event": {"type": "app_mention"}})
        assert slack.wait_ack(first)["envelope_id"] == first
        again = slack.push("events_api", {"event": {}}, retry_attempt=2, retry_reason="timeout")
        assert slack.wait_ack(again)["payload"] == {"text": "ok"}
        slack.wait_for(lambda: len(received) == 2)
        assert received == [{"type": "events_api", "retry": 0}, {"type": "events_api", "retry": 2}]
        assert slack.calls_to("apps.connections.open")[0].status == 200
    finally:
        socket.close()


def test_wait_for_reports_what_slack_saw_when_it_times_out(slack):
    client(slack).auth_test()
    began = time.monotonic()
    with pytest.raises(AssertionError, match=r"auth\.test"):
        slack.wait_calls("chat.postMessage", timeout=0.2)
    assert time.monotonic() - began < 2
