"""/digest watch and /digest settings, called directly: every branch, no Slack needed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.settings import Settings
from bot.slack.channel_settings import ChannelSettings, answer

SETTINGS = Settings(nudge_after=timedelta(hours=24), timezone="Europe/London")
HERE = ChannelSettings()


def ask(command: str, argument: str = "", current: ChannelSettings = HERE):
    return answer(command, argument, current, actor="UED", settings=SETTINGS)


def test_watch_says_its_state_turns_and_knows_when_nothing_changes():
    assert "Watching pastes here is *on*" in ask("watch").text
    off = ask("watch", "off")
    assert off.public and off.change == {"watch": False}
    assert off.text.startswith("<@UED> turned watching off: I will no longer digest pastes")
    again = ask("watch", "OFF", ChannelSettings(watch=False))
    assert (again.public, again.change) == (False, {})
    assert again.text == "Watching pastes here is already *off*."
    assert ask("watch", "on", ChannelSettings(watch=False)).change == {"watch": True}
    assert ask("watch", "maybe").change == {}


def test_settings_show_what_is_set_here_and_how_to_change_it():
    shown = ask("settings")
    assert shown.change == {} and not shown.public
    assert "Watching pastes here: *on* · thread notes: *off*" in shown.text
    assert "first nudge after *1d*, at most *3* nudges" in shown.text
    assert "working hours *mon-fri 08:00-19:00* (Europe/London)" in shown.text
    own = ask("settings", "", ChannelSettings(hours="sat-sun 09:00-17:00"))
    assert "working hours *sat-sun 09:00-17:00*" in own.text


def test_thread_notes_turn_on_and_off_once():
    on = ask("settings", "notes on")
    assert on.public and on.change == {"notes": True}
    assert "turned thread notes on" in on.text
    assert ask("settings", "notes on", ChannelSettings(notes=True)).change == {}
    assert ask("settings", "notes off", ChannelSettings(notes=True)).change == {"notes": False}


@pytest.mark.parametrize(
    ("argument", "change"),
    [
        ("hours sat,sun 09:00-17:00", {"hours": "sat-sun 09:00-17:00"}),
        ("hours always", {"hours": "always"}),
        ("hours default", {"hours": None}),
        ("hours someday", {}),
        ("hours", {}),  # shows the settings
    ],
)
def test_a_channel_sets_its_own_nudge_hours(argument, change):
    reply = ask("settings", argument)
    assert reply.change == change
    if argument == "hours someday":
        assert reply.text.endswith("Nothing changed.") and reply.emoji == ":warning:"
    if argument == "hours default":
        assert "the default, mon-fri 08:00-19:00" in reply.text
