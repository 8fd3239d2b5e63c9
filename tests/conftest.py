"""Shared fixtures: a local Slack (tests/slackfake.py) and the real app served over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bot.settings import Settings
from bot.slack.app import create_app
from bot.slack.server import HttpServer
from bot.store import Store
from tests.drive import SIGNING_SECRET, Driver
from tests.slackfake import BOT_TOKEN, FakeSlack


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    """Slack's side of the wire, on 127.0.0.1."""
    with FakeSlack() as fake:
        yield fake


@dataclass
class RunningBot:
    """The app under test: served over real HTTP, talking to the fake Slack."""

    settings: Settings
    store: Store
    server: HttpServer
    driver: Driver


def bot_settings(slack: FakeSlack, tmp_path) -> Settings:
    """Settings pointing the app at the fake Slack and a fresh SQLite file."""
    return Settings(
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        api_url=slack.api_url,
        db_path=str(tmp_path / "newsroom-bot.db"),
    )


@pytest.fixture
def bot(slack: FakeSlack, tmp_path) -> Iterator[RunningBot]:
    """The real Bolt app on 127.0.0.1:<free port>, with a driver that signs requests."""
    settings = bot_settings(slack, tmp_path)
    store = Store(settings.db_path)
    app = create_app(settings, store=store)
    server = HttpServer(app, host="127.0.0.1", port=0).start()
    try:
        yield RunningBot(settings, store, server, Driver(server.url))
    finally:
        server.stop()
        store.close()
