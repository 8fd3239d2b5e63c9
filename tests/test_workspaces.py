"""Many workspaces, one install: OAuth installs, each workspace's token, isolation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import RunningBot, _running
from tests.drive import message_event
from tests.slackfake import CLIENT_ID, CLIENT_SECRET, FakeSlack, _bearer
from tests.test_slack_app import SEED

TEAM_A, TEAM_B = "T0AAAA", "T0BBBB"
CHANNEL_A, CHANNEL_B = "CDESKA", "CDESKB"


@pytest.fixture
def many(slack: FakeSlack, tmp_path) -> Iterator[RunningBot]:
    """The app installed by OAuth: no bot token of its own, a client id and secret."""
    yield from _running(
        slack,
        tmp_path,
        scheduler=True,
        bot_token=None,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        install_url="https://bot.example.org",
    )


def install(bot: RunningBot, slack: FakeSlack, team: str, **kwargs) -> str:
    """Install the app in ``team`` through /slack/install; returns the token Slack issued."""
    reply = bot.driver.install(lambda: slack.approve_install(team, **kwargs))
    assert reply.status == 200, reply.body
    token = slack.token_of(team, kwargs.get("enterprise_id"))
    assert token
    return token


def posted_with(slack: FakeSlack, channel: str) -> set[str | None]:
    """The tokens the digests and replies in ``channel`` were posted with."""
    return {_bearer(c.headers) for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == channel}


def test_two_workspaces_install_by_oauth_and_each_is_answered_with_its_own_token(many, slack):
    token_a = install(many, slack, TEAM_A)
    token_b = install(many, slack, TEAM_B)
    assert token_a != token_b
    many.driver.event(message_event(SEED, channel=CHANNEL_A, team=TEAM_A))
    many.driver.event(message_event(SEED.replace("115", "116"), channel=CHANNEL_B, team=TEAM_B))
    slack.wait_for(lambda: posted_with(slack, CHANNEL_A) and posted_with(slack, CHANNEL_B))
    assert posted_with(slack, CHANNEL_A) == {token_a}
    assert posted_with(slack, CHANNEL_B) == {token_b}
    teams = {r["team_id"] for r in many.store.db.query("SELECT team_id FROM digests")}
    assert teams == {TEAM_A, TEAM_B}
