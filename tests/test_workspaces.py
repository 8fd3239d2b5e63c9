"""Many workspaces, one install: OAuth installs, each workspace's token, isolation."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator

import pytest

from bot import digest
from bot.cli import main
from tests.conftest import RunningBot, _running
from tests.drive import REPORTER, message_event
from tests.slackfake import CLIENT_ID, CLIENT_SECRET, FakeSlack, _bearer
from tests.test_slack_app import SEED, texts

TEAM_A, TEAM_B = "T0AAAA", "T0BBBB"
CHANNEL_A, CHANNEL_B = "CDESKA", "CDESKB"
# Installs by OAuth: no bot token of the app's own, a client id and secret.
OAUTH = {"bot_token": None, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


@pytest.fixture
def many(slack: FakeSlack, tmp_path) -> Iterator[RunningBot]:
    """The app installed by OAuth, serving many workspaces."""
    yield from _running(
        slack, tmp_path, scheduler=True, install_url="https://bot.example.org", **OAUTH
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
    return {
        _bearer(c.headers)
        for c in slack.calls_to("chat.postMessage")
        if c.args.get("channel") == channel
    }


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


def paste_in(bot: RunningBot, slack: FakeSlack, text: str, *, team: str, channel: str) -> str:
    """Paste an article in a workspace's channel; returns its digest's id once posted."""
    event = message_event(text, channel=channel, team=team)
    bot.driver.event(event)
    record = slack.wait_for(
        lambda: (
            (r := bot.store.digest_for_message(channel, event["ts"], team_id=team))
            and r.message_ts
            and r
        )
    )
    return record.id


def command_in(bot, slack, text: str, *, team: str, channel: str, user: str) -> str:
    """Run /digest in a workspace; the text of its (private) answer."""
    key = f"{team}-{text.split()[0]}-{len(slack.calls)}"
    bot.driver.command(
        text, response_url=slack.response_url(key), team=team, channel=channel, user=user
    )
    call = slack.wait_for(
        lambda: next((c for c in slack.calls_to("response_url") if c.args["_key"] == key), None)
    )
    return texts(call.args.get("blocks"))


OTHER = (
    "River valley flooding forces thousands from homes\n\n"
    "Flooding in the river valley forced 2,350 residents from their homes this week, the "
    "county emergency office said on Tuesday. Officials said repairs to the levee and the "
    "two bridges would cost $14 million and take most of the year. Volunteers filled sandbags "
    "through the night while the water kept rising along the eastern bank. The school board "
    "closed four schools, and the regional hospital moved patients from its lower floors. "
    "Forecasters expect the river to crest on Thursday before the rain eases over the weekend."
)


def test_one_workspace_never_sees_another(many, slack, tmp_path, capsys):
    install(many, slack, TEAM_A)
    install(many, slack, TEAM_B)
    paste_in(many, slack, SEED, team=TEAM_A, channel=CHANNEL_A)
    paste_in(many, slack, OTHER, team=TEAM_B, channel=CHANNEL_B)
    # The same person in both (Enterprise Grid keeps one user id across workspaces).
    found_a = command_in(
        many, slack, "search guardsmen", team=TEAM_A, channel=CHANNEL_A, user=REPORTER
    )
    found_b = command_in(
        many, slack, "search guardsmen", team=TEAM_B, channel=CHANNEL_B, user=REPORTER
    )
    assert "Hundreds of Russian soldiers" in found_a
    assert "Hundreds of Russian soldiers" not in found_b and "No digest" in found_b
    pending_b = command_in(many, slack, "pending", team=TEAM_B, channel=CHANNEL_A, user=REPORTER)
    assert "guardsmen" not in pending_b and "at least 115" not in pending_b
    history_b = command_in(
        many, slack, "history guardsmen", team=TEAM_B, channel=CHANNEL_B, user=REPORTER
    )
    assert "at least 115" not in history_b
    # App Home, opened in B: B's article only.
    many.driver.event(
        {
            "type": "app_home_opened",
            "user": REPORTER,
            "channel": "D1",
            "tab": "home",
            "team": TEAM_B,
        }
    )
    view = slack.wait_calls("views.publish")[-1]
    assert _bearer(view.headers) == slack.token_of(TEAM_B)
    home = texts(view.args["view"]["blocks"])
    assert "2,350" in home and "at least 115" not in home
    # The ledger export, one newsroom's record.
    many.bot.close()
    assert main(["ledger", "--db", many.settings.db_path, "--json", "--team", TEAM_B]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["team_id"] for r in rows} == {TEAM_B}
    assert not any("115" in r["text"] for r in rows)


@pytest.fixture
def nudging(slack: FakeSlack, tmp_path) -> Iterator[RunningBot]:
    """The app installed by OAuth, nudging two seconds after each digest, in its thread."""
    yield from _running(
        slack,
        tmp_path,
        scheduler=True,
        nudge_after="2s",
        nudge_batch="0",
        max_nudges=1,
        **OAUTH,
    )


def nudges_in(slack: FakeSlack, channel: str) -> list:
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.args.get("channel") == channel and "still open" in c.args.get("text", "")
    ]


def uninstall(bot: RunningBot, slack: FakeSlack, team: str) -> None:
    """The workspace removes the app: Slack revokes its tokens and says so."""
    slack.revoke(team)
    reply = bot.driver.event({"type": "app_uninstalled", "team": team})
    assert reply.status == 200
    workspaces = bot.bot.deps.desk.workspaces
    slack.wait_for(lambda: not workspaces.installed(team))  # handled after the ack


def test_an_uninstalled_workspace_gets_nothing_more_while_the_other_carries_on(nudging, slack):
    bot = nudging
    install(bot, slack, TEAM_A)
    token_b = install(bot, slack, TEAM_B)
    a = paste_in(bot, slack, SEED, team=TEAM_A, channel=CHANNEL_A)
    paste_in(bot, slack, OTHER, team=TEAM_B, channel=CHANNEL_B)
    uninstall(bot, slack, TEAM_A)
    # Its tokens are gone at once, its nudge cancelled; B's nudge still goes out.
    workspaces = bot.bot.deps.desk.workspaces
    assert not workspaces.installed(TEAM_A) and workspaces.installed(TEAM_B)
    slack.wait_for(lambda: bot.store.nudge_plan(a).next_at is None)
    b_nudge = slack.wait_for(lambda: nudges_in(slack, CHANNEL_B))[0]
    assert _bearer(b_nudge.headers) == token_b
    bot.bot.deps.desk.nudge(a)  # a job that fired anyway posts nothing
    assert nudges_in(slack, CHANNEL_A) == []
    # Its ledger stays for export; a later event from it is answered and not handled.
    assert bot.store.digest(a) is not None
    before = len(slack.calls)
    reply = bot.driver.event(message_event(OTHER, channel=CHANNEL_A, team=TEAM_A))
    assert reply.status == 200
    assert [c.method for c in slack.calls[before:]] == []
    assert not any(c.status != 200 for c in slack.calls)  # never another workspace's token


def test_tokens_refreshed_before_they_expire_for_requests_and_jobs(nudging, slack):
    bot = nudging
    installations = bot.bot.deps.desk.workspaces.installations
    first = install(bot, slack, TEAM_A, rotating=True)  # a 12-hour token
    a = paste_in(bot, slack, SEED, team=TEAM_A, channel=CHANNEL_A)
    assert posted_with(slack, CHANNEL_A) == {first}
    refreshes = lambda: [c for c in slack.calls_to("oauth.v2.access") if c.args.get("grant_type")]  # noqa: E731
    assert refreshes() == []  # far from expiry: used as it is

    # Eleven hours and fifty minutes later: ten minutes left. The nudge job refreshes the
    # token first (once), keeps it, and posts with the fresh one.
    stored = installations.find_bot(enterprise_id=None, team_id=TEAM_A)
    stored.bot_token_expires_at = int(time.time()) + 600
    installations.save_bot(stored)
    slack.expire(first, in_seconds=600)
    nudge = slack.wait_for(lambda: nudges_in(slack, CHANNEL_A))[0]
    (refresh,) = refreshes()
    assert refresh.args["grant_type"] == "refresh_token"
    fresh = slack.token_of(TEAM_A)
    assert fresh != first and _bearer(nudge.headers) == fresh
    assert installations.find_bot(enterprise_id=None, team_id=TEAM_A).bot_token == fresh
    assert bot.store.nudge_plan(a).sent == 1
    # A request after it uses the fresh token too, without refreshing again.
    paste_in(bot, slack, OTHER, team=TEAM_A, channel=CHANNEL_A)
    assert _bearer(slack.calls_to("chat.postMessage")[-1].headers) == fresh
    assert len(refreshes()) == 1


def test_an_org_wide_install_serves_each_workspace_of_the_organisation_apart(many, slack):
    org = "E0ORG"
    token = install(many, slack, None, enterprise_id=org, org=True)
    for team, channel, text in ((TEAM_A, CHANNEL_A, SEED), (TEAM_B, CHANNEL_B, OTHER)):
        event = message_event(text, channel=channel, team=team, enterprise=org)
        many.driver.event(event)
        slack.wait_for(
            lambda c=channel, e=event, t=team: (
                (r := many.store.digest_for_message(c, e["ts"], team_id=t)) and r.message_ts
            )
        )
    assert posted_with(slack, CHANNEL_A) == posted_with(slack, CHANNEL_B) == {token}
    rows = many.store.db.execute("SELECT team_id, enterprise_id FROM digests ORDER BY team_id")
    assert rows.fetchall() == [(TEAM_A, org), (TEAM_B, org)]
    found_b = command_in(
        many, slack, "search guardsmen", team=TEAM_B, channel=CHANNEL_B, user=REPORTER
    )
    assert "Hundreds of Russian soldiers" not in found_b


def test_purge_on_uninstall_deletes_the_workspace_and_leaves_a_tombstone(slack, tmp_path):
    running = _running(slack, tmp_path, scheduler=False, purge_on_uninstall=True, **OAUTH)
    bot = next(running)
    try:
        install(bot, slack, TEAM_A)
        install(bot, slack, TEAM_B)
        a = paste_in(bot, slack, SEED, team=TEAM_A, channel=CHANNEL_A)
        b = paste_in(bot, slack, OTHER, team=TEAM_B, channel=CHANNEL_B)
        for digest_id in (a, b):
            key = f"{digest_id}:{bot.store.open_figures(digest_id=digest_id)[0].figure_id}"
            bot.store.change_status(key, "verified", actor="UALICE")
        uninstall(bot, slack, TEAM_A)
        db = bot.store.db
        slack.wait_for(lambda: bot.store.purges())
        assert bot.store.digest(a) is None and bot.store.audit(digest_id=a) == []
        assert (
            db.execute("SELECT count(*) FROM figures WHERE team_id = ?", [TEAM_A]).fetchone()[0]
            == 0
        )
        assert bot.store.digest(b) is not None  # the other workspace is untouched
        (tomb,) = bot.store.purges()
        assert tomb["team_id"] == TEAM_A and tomb["why"] == "app_uninstalled"
        assert json.loads(tomb["counts"])["audit"] == 1
        # The append-only guard is back for normal operation.
        assert len(bot.store.audit(digest_id=b)) == 1
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM audit")
    finally:
        next(running, None)


def test_the_roundup_posts_each_workspace_its_own_figures_with_its_own_token(many, slack):
    token_a = install(many, slack, TEAM_A)
    token_b = install(many, slack, TEAM_B)
    paste_in(many, slack, SEED, team=TEAM_A, channel=CHANNEL_A)
    paste_in(many, slack, OTHER, team=TEAM_B, channel=CHANNEL_B)
    assert many.bot.deps.desk.roundup() == 2  # the scheduler's job, outside any request
    roundups = {
        c.args["channel"]: c
        for c in slack.calls_to("chat.postMessage")
        if "Still open in this channel" in texts(c.args.get("blocks"))
    }
    assert _bearer(roundups[CHANNEL_A].headers) == token_a
    assert _bearer(roundups[CHANNEL_B].headers) == token_b
    assert "at least 115" in texts(roundups[CHANNEL_A].args["blocks"])
    assert "at least 115" not in texts(roundups[CHANNEL_B].args["blocks"])
    assert "2,350" in texts(roundups[CHANNEL_B].args["blocks"])


def test_a_channel_two_workspaces_share_is_handled_once_in_each(many, slack):
    token_a = install(many, slack, TEAM_A)
    token_b = install(many, slack, TEAM_B)
    shared = "CSHARED"
    event = message_event(SEED, channel=shared, team=TEAM_A)
    envelope_id = "Ev0SHARED1"
    # Slack Connect: the one message reaches the app through each workspace's installation.
    many.driver.event(event, event_id=envelope_id)
    many.driver.event({**event, "team": TEAM_B}, event_id=envelope_id)
    many.driver.event({**event, "team": TEAM_B}, event_id=envelope_id, retry_num=1)  # retried

    def posted() -> list | None:
        records = [
            many.store.digest_for_message(shared, event["ts"], team_id=t) for t in (TEAM_A, TEAM_B)
        ]
        return records if all(r and r.message_ts for r in records) else None

    found = slack.wait_for(posted)
    assert {r.team_id for r in found} == {TEAM_A, TEAM_B}
    assert posted_with(slack, shared) == {token_a, token_b}
    assert len([c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == shared]) == 2


def test_the_outbox_delivers_a_queued_digest_with_its_workspace_token(many, slack):
    install(many, slack, TEAM_A)
    token_b = install(many, slack, TEAM_B)
    # A digest kept but not yet in Slack (an outage, a crash between the two).
    ts = "1700000000.424242"
    record = many.store.add_digest(
        digest(OTHER), team_id=TEAM_B, channel=CHANNEL_B, source_ts=ts, thread_ts=ts
    )
    assert many.bot.deps.desk.flush() == 1  # the scheduler's outbox job, outside any request
    assert posted_with(slack, CHANNEL_B) == {token_b}
    assert many.store.digest(record.id).message_ts


def test_a_revoked_bot_token_is_leaving_too_but_a_revoked_user_token_is_not(many, slack):
    install(many, slack, TEAM_A)
    install(many, slack, TEAM_B)
    workspaces = many.bot.deps.desk.workspaces
    revoked = {"type": "tokens_revoked", "team": TEAM_B, "tokens": {"oauth": ["UALICE"]}}
    # A person's own token: the app keeps none, so nothing changes.
    many.driver.event(revoked, event_id="EvREVOKED1")
    slack.wait_for(lambda: many.store.event_state(f"EvREVOKED1@{TEAM_B}") == "done")
    assert workspaces.installed(TEAM_B)
    many.driver.event({**revoked, "team": TEAM_A, "tokens": {"bot": ["UBOT0001"]}})
    slack.wait_for(lambda: not workspaces.installed(TEAM_A))
