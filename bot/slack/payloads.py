"""The parts of Slack's payloads the listeners read, as lenient pydantic models.

Slack adds fields all the time, so unknown keys are ignored, and every field the bot
does not strictly need has a default. ``parse`` turns a malformed payload into None (and
a log line) instead of an exception in a listener thread.
"""

from __future__ import annotations

import json
import logging
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

# Message subtypes that are people posting: plain, "also send to channel" and file
# shares with a comment. Edits, deletions, joins, bot posts and the rest are not pastes.
_PASTE_SUBTYPES = {None, "thread_broadcast", "file_share"}


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Ref(_Lenient):
    """An object Slack identifies by id (user, channel, team)."""

    id: str


class EditedMessage(_Lenient):
    """The message as it now reads, in a ``message_changed`` event."""

    ts: str
    text: str = ""
    user: str | None = None
    bot_id: str | None = None


class MessageEvent(_Lenient):
    """A ``message`` or ``app_mention`` event."""

    type: str = "message"
    subtype: str | None = None
    channel: str
    channel_type: str | None = None
    user: str | None = None
    bot_id: str | None = None
    text: str = ""
    ts: str
    thread_ts: str | None = None
    team: str | None = None
    deleted_ts: str | None = None  # subtype message_deleted: the message that went
    message: EditedMessage | None = None  # subtype message_changed: the message, edited

    @property
    def edit(self) -> EditedMessage | None:
        """A person's edit of their message (``message_changed``), as it now reads."""
        m = self.message
        if self.subtype != "message_changed" or m is None or m.bot_id or not m.user:
            return None
        return m

    @property
    def is_human_post(self) -> bool:
        """A person's new message (not a bot's, not an edit, a deletion or a join)."""
        return self.subtype in _PASTE_SUBTYPES and not self.bot_id and bool(self.user)

    @property
    def in_thread(self) -> bool:
        """Posted as a reply inside a thread."""
        return bool(self.thread_ts) and self.thread_ts != self.ts


class SlashCommand(_Lenient):
    """A slash-command invocation (form fields)."""

    command: str
    text: str = ""
    user_id: str
    channel_id: str
    team_id: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None


class ShortcutMessage(_Lenient):
    """The message a message shortcut was used on."""

    ts: str
    thread_ts: str | None = None
    text: str = ""
    user: str | None = None
    bot_id: str | None = None


class MessageShortcut(_Lenient):
    """A message-shortcut payload ("Digest this message")."""

    callback_id: str
    user: Ref
    channel: Ref
    message: ShortcutMessage
    team: Ref | None = None
    response_url: str | None = None


class Option(_Lenient):
    """A chosen option of a select menu."""

    value: str


class Action(_Lenient):
    """One element a person clicked or chose from."""

    action_id: str
    value: str | None = None
    selected_option: Option | None = None

    @property
    def chosen(self) -> str | None:
        """A button's value, or the value of the option chosen from a menu."""
        return self.selected_option.value if self.selected_option else self.value


class BlockActions(_Lenient):
    """A ``block_actions`` payload."""

    user: Ref
    channel: Ref | None = None
    team: Ref | None = None
    response_url: str | None = None
    actions: list[Action] = Field(min_length=1)
    container: dict[str, Any] = Field(default_factory=dict)
    message: dict[str, Any] | None = None
    trigger_id: str | None = None
    view: dict[str, Any] | None = None  # when the click was inside a modal

    @property
    def view_metadata(self) -> dict[str, Any]:
        """What the modal the click was in stashed in its ``private_metadata``."""
        return _metadata(self.view or {})


class ViewSubmission(_Lenient):
    """A ``view_submission`` payload: the modal's inputs and what we stashed in it."""

    user: Ref
    view: dict[str, Any]

    @property
    def metadata(self) -> dict[str, Any]:
        return _metadata(self.view)

    def value(self, block_id: str) -> str | None:
        """The text typed into the input block ``block_id`` (None when empty)."""
        inputs = (self.view.get("state") or {}).get("values") or {}
        for element in (inputs.get(block_id) or {}).values():
            text = element.get("value") if isinstance(element, dict) else None
            if isinstance(text, str) and text.strip():
                return text.strip()
        return None


class HomeOpened(_Lenient):
    """An ``app_home_opened`` event."""

    user: str
    tab: str = "home"


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    raw = view.get("private_metadata") or "{}"
    try:
        data = json.loads(raw) if isinstance(raw, str) else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def parse(model: type[M], data: object) -> M | None:
    """``model`` from a payload, or None (logged) when Slack sent something unexpected."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # Never the input itself: it may hold a whole article.
        problems = exc.errors(include_input=False, include_url=False)[:3]
        log.warning("ignoring a malformed %s payload: %s", model.__name__, problems)
        return None


class SharedLink(_Lenient):
    domain: str = ""
    url: str


class LinkShared(_Lenient):
    """A ``link_shared`` event: links from the app's unfurl domains."""

    channel: str | None = None
    message_ts: str | None = None
    unfurl_id: str | None = None
    source: str | None = None  # "composer" or "conversations_history"
    links: list[SharedLink] = Field(default_factory=list)
