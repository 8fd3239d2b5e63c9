"""Shared fixtures: a local Slack (tests/slackfake.py) and the real app served over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bot.settings import Settings
from bot.slack.app import Bot, build
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
    bot: Bot


def bot_settings(slack: FakeSlack, tmp_path, **overrides: object) -> Settings:
    """Settings pointing the app at the fake Slack and a fresh SQLite file."""
    values = {
        "bot_token": BOT_TOKEN,
        "signing_secret": SIGNING_SECRET,
        "api_url": slack.api_url,
        "db_path": str(tmp_path / "newsroom-bot.db"),
        "roundup_at": "off",
        "work_hours": "always",  # nudges whenever the suite runs (the hours have their tests)
        **overrides,
    }
    return Settings(**values)


def _running(
    slack: FakeSlack, tmp_path, *, scheduler: bool, **overrides: object
) -> Iterator[RunningBot]:
    settings = bot_settings(slack, tmp_path, **overrides)
    store = Store(settings.db_path)
    bot = build(settings, store=store).start(scheduler=scheduler)
    server = HttpServer(bot.app, host="127.0.0.1", port=0).start()
    try:
        yield RunningBot(settings, store, server, Driver(server.url), bot)
    finally:
        # As serve stops: running work finishes (new work is answered "restarting"),
        # then the door closes, then the ledger is left and the store closed.
        bot.stop()
        server.stop()
        bot.close()


@pytest.fixture
def bot(slack: FakeSlack, tmp_path) -> Iterator[RunningBot]:
    """The real Bolt app on 127.0.0.1:<free port>, with a driver that signs requests."""
    yield from _running(slack, tmp_path, scheduler=False)


@pytest.fixture
def make_bot(slack: FakeSlack, tmp_path):
    """Start the app with the scheduler running and these settings (durations in seconds)."""
    started: list[Iterator[RunningBot]] = []

    def make(**overrides: object) -> RunningBot:
        running = _running(slack, tmp_path, scheduler=True, **overrides)
        started.append(running)
        return next(running)

    yield make
    for running in reversed(started):
        next(running, None)
