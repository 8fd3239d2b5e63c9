"""Settings: names from DESIGN.md, .env files, durations, and errors that name the variable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings, parse_duration

_NAMES = [
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_API_URL",
    "NEWSROOM_BOT_DB",
    "NEWSROOM_BOT_NUDGE_AFTER",
    "NEWSROOM_BOT_ROUNDUP_AT",
    "NEWSROOM_BOT_TIMEZONE",
    "NEWSROOM_BOT_FETCH_ALLOW_PRIVATE",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in _NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_match_the_design():
    s = load_settings()
    assert s.api_url == "https://slack.com/api/"
    assert s.db_path == "newsroom-bot.db"
    assert s.nudge_after == timedelta(hours=24)
    assert (s.roundup_at, s.timezone, s.fetch_allow_private) == ("09:30", "UTC", False)
    assert s.bot_token is None


def test_environment_and_dotenv_are_read(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text(
        "SLACK_BOT_TOKEN=xoxb-from-file\nNEWSROOM_BOT_NUDGE_AFTER=90s\nSLACK_API_URL=http://h/api\n"
    )
    monkeypatch.setenv("NEWSROOM_BOT_TIMEZONE", "Europe/London")
    s = load_settings()
    assert s.secret("bot_token") == "xoxb-from-file"
    assert "xoxb-from-file" not in repr(s)  # secrets stay out of reprs and tracebacks
    assert s.nudge_after == timedelta(seconds=90)
    assert s.api_url == "http://h/api/"  # slack_sdk urljoins method names onto it
    assert s.timezone == "Europe/London"


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("30m", 1800), ("24h", 86400), ("2d", 172800), ("15", 15)]
)
def test_durations(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSROOM_BOT_NUDGE_AFTER", "soon"),
        ("NEWSROOM_BOT_TIMEZONE", "Mars/Olympus"),
        ("NEWSROOM_BOT_ROUNDUP_AT", "25:00"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_settings()


def test_roundup_can_be_off(monkeypatch):
    monkeypatch.setenv("NEWSROOM_BOT_ROUNDUP_AT", "OFF")
    assert load_settings().roundup_at == "off"


def test_require_names_the_missing_token():
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN is not set"):
        load_settings().require("bot_token")
