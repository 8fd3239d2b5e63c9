"""``/digest watch …`` and ``/digest settings …``: what a channel has set, and what a command
asks to change, as a pure function the listener applies (and the tests call directly)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel, Field

from bot.settings import Settings
from bot.workhours import WorkHours


class ChannelSettings(BaseModel):
    """What a channel has set: pastes digested, thread notes, its own nudge hours."""

    watch: bool = True
    notes: bool = False
    hours: str | None = None  # None: the desk's default working hours


class Answer(BaseModel):
    """The reply to a settings command, and the change it makes (nothing when empty)."""

    text: str  # mrkdwn
    emoji: str = ":information_source:"
    public: bool = False  # a change is announced in the channel
    change: dict[str, Any] = Field(default_factory=dict)  # ChannelSettings fields to set


def answer(
    command: str, argument: str, current: ChannelSettings, *, actor: str, settings: Settings
) -> Answer:
    """The answer to ``/digest watch <argument>`` or ``/digest settings <argument>``."""
    words = argument.lower().split()
    if command == "watch":
        return _watch(words, current, actor=actor)
    if words[:1] == ["notes"] and words[1:] in (["on"], ["off"]):
        return _switch(
            "notes",
            words[1],
            current,
            actor=actor,
            already="Thread notes here are already",
            turned="thread notes",
            said=(
                "each status change also gets a note in its digest's thread",
                "status changes only update the digest in place",
            ),
            emoji=":gear:",
        )
    if words[:1] == ["hours"] and words[1:]:
        spec = " ".join(words[1:])
        try:
            hours = None if spec == "default" else WorkHours.parse(spec).describe()
        except ValueError as exc:
            return Answer(text=f"{exc}. Nothing changed.", emoji=":warning:")
        shown = hours or f"the default, {settings.hours.describe()}"
        return Answer(
            text=f"<@{actor}> set this channel's nudge hours: *{shown}* ({settings.timezone}). "
            "A nudge due outside them waits for them.",
            emoji=":gear:",
            public=True,
            change={"hours": hours},
        )
    return Answer(text=_shown(current, settings), emoji=":gear:")


def _watch(words: list[str], current: ChannelSettings, *, actor: str) -> Answer:
    if words not in (["on"], ["off"]):
        state = "on" if current.watch else "off"
        return Answer(
            text=f"Watching pastes here is *{state}*. Use `/digest watch on` or "
            "`/digest watch off`."
        )
    return _switch(
        "watch",
        words[0],
        current,
        actor=actor,
        already="Watching pastes here is already",
        turned="watching",
        said=(
            "I will digest articles pasted here",
            "I will no longer digest pastes here; mentions, the shortcut and /digest still work",
        ),
    )


def _switch(
    field: str,
    word: str,
    current: ChannelSettings,
    *,
    actor: str,
    already: str,
    turned: str,
    said: tuple[str, str],
    emoji: str = ":information_source:",
) -> Answer:
    """Turn a channel's on/off setting ``field`` to ``word`` ("on"/"off"), announced; or
    say it already is."""
    on = word == "on"
    if on == getattr(current, field):
        return Answer(text=f"{already} *{word}*.")
    return Answer(
        text=f"<@{actor}> turned {turned} {word}: {said[0] if on else said[1]}.",
        emoji=emoji,
        public=True,
        change={field: on},
    )


def _shown(current: ChannelSettings, settings: Settings) -> str:
    hours = WorkHours.parse(current.hours).describe() if current.hours else None
    roundup = (
        "off" if settings.roundup_at == "off" else f"{settings.roundup_at} {settings.timezone}"
    )
    return (
        f"Watching pastes here: *{'on' if current.watch else 'off'}* · thread notes: "
        f"*{'on' if current.notes else 'off'}* · first nudge after "
        f"*{_duration(settings.nudge_after)}*, at most *{settings.max_nudges}* nudges, in "
        f"working hours *{hours or settings.hours.describe()}* ({settings.timezone}) · daily "
        f"roundup: *{roundup}*.\n`/digest settings notes on|off`: a note in the thread after "
        "each status change. `/digest settings hours sat,sun 09:00-17:00` (or `always`, or "
        "`default`): this channel's nudge hours."
    )


def _duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
