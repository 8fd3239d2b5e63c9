"""Slack listeners, grouped by kind; each module has one ``register(on)``.

``Registry`` wraps the Bolt app and records what is registered, so a test can check the
app against ``manifest.yml`` without digging in Bolt's internals.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field
from slack_bolt import App

from bot.slack.listeners.context import mark_handled

Listener = Callable[..., Any]


class Features(BaseModel):
    """Everything the listeners answer: what ``manifest.yml`` must declare."""

    events: set[str] = Field(default_factory=set)
    commands: set[str] = Field(default_factory=set)
    shortcuts: set[str] = Field(default_factory=set)
    actions: set[str] = Field(default_factory=set)
    views: set[str] = Field(default_factory=set)


class Registry:
    """Registers listeners on a Bolt app (or only records them when ``app`` is None)."""

    def __init__(self, app: App | None) -> None:
        self.app = app
        self.features = Features()

    def _add(self, kind: str, name: str, attach: Callable[[], Callable[[Listener], Any]] | None):
        getattr(self.features, kind).add(name)

        def decorator(func: Listener) -> Listener:
            if attach is not None:
                attach()(func)
            return func

        return decorator

    def event(self, name: str) -> Callable[[Listener], Listener]:
        """Listen to an Events API event type (``message``, ``app_mention``…).

        The listener must take ``context``: when it returns, its event is marked handled
        (an event a crash interrupts is replayed from the store instead).
        """
        app = self.app
        add = self._add("events", name, (lambda: app.event(name)) if app else None)

        def decorator(func: Listener) -> Listener:
            assert "context" in inspect.signature(func).parameters, func

            @functools.wraps(func)
            def handled(**kwargs: Any) -> Any:
                result = func(**kwargs)
                mark_handled(kwargs["context"])
                return result

            add(handled)
            return func

        return decorator

    def command(self, name: str) -> Callable[[Listener], Listener]:
        """Listen to a slash command."""
        app = self.app
        return self._add("commands", name, (lambda: app.command(name)) if app else None)

    def shortcut(self, callback_id: str) -> Callable[[Listener], Listener]:
        """Listen to a global or message shortcut."""
        app = self.app
        attach = (lambda: app.shortcut(callback_id)) if app else None
        return self._add("shortcuts", callback_id, attach)

    def action(self, action_id: str) -> Callable[[Listener], Listener]:
        """Listen to clicks on a Block Kit element."""
        app = self.app
        return self._add("actions", action_id, (lambda: app.action(action_id)) if app else None)

    def view(self, callback_id: str) -> Callable[[Listener], Listener]:
        """Listen to modal submissions."""
        app = self.app
        return self._add("views", callback_id, (lambda: app.view(callback_id)) if app else None)


def register_all(on: Registry) -> Features:
    """Register every listener group; returns what was registered."""
    from bot.slack.listeners import (
        actions,
        commands,
        events,
        install,
        messages,
        shortcuts,
        unfurls,
        views,
    )

    for group in (messages, commands, shortcuts, events, actions, views, unfurls, install):
        group.register(on)
    return on.features


def declared_features() -> Features:
    """What the listeners answer, without building an app (for the manifest check)."""
    return register_all(Registry(None))
