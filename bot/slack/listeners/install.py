"""Leaving cleanly: a workspace that uninstalls the app, or revokes the bot's token.

Bolt answers these events without authorising them (the tokens are gone already); the
desk deletes the installation, cancels the workspace's nudges and stops posting there.
"""

from __future__ import annotations

from slack_bolt import BoltContext

from bot.slack.listeners import Registry
from bot.slack.listeners.context import deps
from bot.slack.workspaces import Workspace


def register(on: Registry) -> None:
    """Listen to uninstalls and revoked tokens."""
    on.event("app_uninstalled")(on_uninstalled)
    on.event("tokens_revoked")(on_tokens_revoked)


def _workspace(context: BoltContext) -> Workspace:
    return Workspace(
        context.team_id, context.enterprise_id, org_install=bool(context.is_enterprise_install)
    )


def on_uninstalled(event: dict, context: BoltContext) -> None:
    """The app was removed from the workspace (or, org-wide, from the organisation)."""
    deps(context).desk.leave(_workspace(context), why="app_uninstalled")


def on_tokens_revoked(event: dict, context: BoltContext) -> None:
    """Tokens were revoked: the bot's means the app can do nothing there any more (the app
    keeps no user tokens, so revoking those changes nothing)."""
    tokens = event.get("tokens") if isinstance(event.get("tokens"), dict) else {}
    if tokens.get("bot"):
        deps(context).desk.leave(_workspace(context), why="tokens_revoked")
