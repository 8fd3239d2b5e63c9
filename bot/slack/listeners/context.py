"""What listeners get from the app besides Bolt's own arguments: settings, store, desk.

A global middleware puts a ``Deps`` in every request's context (``context["deps"]``), so
listeners stay plain functions that Bolt calls with injected keyword arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import BoltContext

from bot.settings import Settings
from bot.slack.desk import Desk
from bot.store import Store


@dataclass(frozen=True)
class Deps:
    """The app's long-lived parts, shared by every listener."""

    settings: Settings
    store: Store
    desk: Desk


def mark_handled(context: BoltContext) -> None:
    """The event this request carries is handled: it is not replayed after a restart."""
    event_id = context.get("event_id")
    if event_id:
        deps(context).store.finish_event(event_id)


def deps(context: BoltContext) -> Deps:
    """The Deps the app factory put in this request's context."""
    return context["deps"]
