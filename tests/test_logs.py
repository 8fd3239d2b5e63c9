"""Logs: no secrets ever, no article text at INFO, one structured line per event."""

from __future__ import annotations

import json
import logging

from bot.logs import JsonFormatter, Redact
from tests.drive import SIGNING_SECRET, message_event
from tests.slackfake import BOT_TOKEN
from tests.test_restart import stop
from tests.test_slack_app import SEED

SEED_SENTENCE = "at least 115 Russian national guardsmen"


def test_a_busy_run_logs_no_secret_and_no_article_text_at_info(bot, slack, caplog):
    with caplog.at_level(logging.DEBUG):
        bot.driver.event(message_event(SEED))
        slack.wait_calls("chat.postMessage")
        bot.driver.event({"type": "message", "text": SEED})  # malformed: logged, not echoed
        bot.driver.command(SEED, response_url=slack.response_url())
        slack.wait_calls("response_url")
        bot.driver.event(message_event(SEED), signature="v0=" + "0" * 64)  # forged
    records = caplog.records
    assert records  # the run did log
    everything = "\n".join(r.getMessage() + (r.exc_text or "") for r in records)
    assert BOT_TOKEN not in everything and SIGNING_SECRET not in everything
    info = "\n".join(r.getMessage() for r in records if r.levelno >= logging.INFO)
    assert SEED_SENTENCE not in info


def test_the_redaction_filter_scrubs_tokens_and_secrets_from_any_record():
    record = logging.LogRecord(
        "slack_sdk",
        logging.WARNING,
        "x",
        1,
        "token %s and secret %s",
        ("xoxb-123-abc", "s3cr3t-value"),
        None,
    )
    Redact(["s3cr3t-value"]).filter(record)
    assert record.getMessage() == "token [redacted] and secret [redacted]"


def test_json_lines_carry_time_level_logger_and_fields():
    record = logging.LogRecord(
        "bot.slack.desk", logging.INFO, "x", 1, "digest %s posted", ("d1",), None
    )
    record.digest_id = "d1"
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "info" and line["logger"] == "bot.slack.desk"
    assert line["message"] == "digest d1 posted" and line["digest_id"] == "d1"
    assert line["ts"].endswith("+00:00")


def test_serve_logs_json_lines_without_secrets(slack, tmp_path):
    from tests.test_serve import serve_http

    proc, driver = serve_http(tmp_path, slack, "--log-format", "json")
    driver.event(message_event(SEED))
    slack.wait_calls("chat.postMessage", timeout=10)
    stop(proc)
    lines = [json.loads(x) for x in proc.stderr.read().splitlines() if x.strip()]
    assert any("digest" in x["message"] and "posted" in x["message"] for x in lines)
    assert all({"ts", "level", "logger", "message"} <= set(x) for x in lines)
    text = json.dumps(lines)
    assert BOT_TOKEN not in text and SIGNING_SECRET not in text and SEED_SENTENCE not in text
