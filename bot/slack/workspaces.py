"""Which workspace's Slack a piece of work talks to, and with which token.

Two modes, chosen by settings. **One workspace** (the default): the one ``SLACK_BOT_TOKEN``
serves everything. **Many workspaces** (``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET``
set): each workspace installs the app through Bolt's OAuth flow (``/slack/install``), and
slack_sdk's SQLite installation and state stores keep the tokens in a file of their own
beside the ledger (``Settings.installations_path``), never in the ledger.

Work runs *in* a workspace: a request, in the one it came from (a middleware sets it), a
scheduler job, in its digest's (``Workspaces.using``). ``Workspaces.client()`` is then that
workspace's client; with no workspace in scope, or one whose installation is gone, it
raises instead of reaching for another workspace's token.

Tokens that rotate (``token_rotation_enabled``) are refreshed here, for requests and jobs
alike, a few minutes before they expire, under one lock per process and a file lock across
processes (a refresh token works once: two refreshes at once would lose the installation).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.settings import Settings

log = logging.getLogger(__name__)

# The bot scopes an install asks for: manifest.yml's, checked by tests/test_manifest.py.
BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "im:history",
    "chat:write",
    "commands",
    "links:read",
    "links:write",
    "users:read",
    "channels:read",
    "groups:read",
    "im:read",
)
# A rotating token is refreshed this long before it expires (Slack's tokens last 12 hours).
ROTATE_BEFORE_MINUTES = 120
# How long an install link stays valid (slack_sdk's default).
STATE_SECONDS = 600


@dataclass(frozen=True)
class Workspace:
    """A Slack workspace (``team_id``), on Enterprise Grid within its organisation."""

    team_id: str | None
    enterprise_id: str | None = None
    org_install: bool = False  # the app is installed org-wide (Enterprise Grid)

    def __str__(self) -> str:
        return "/".join(x for x in (self.enterprise_id, self.team_id) if x) or "?"


class NoWorkspace(RuntimeError):
    """Work tried to reach Slack with no workspace in scope, or for a workspace with no
    installation (never installed, or uninstalled): nothing is sent."""


@dataclass
class _Scope:
    """The workspace work runs in, and its bot once known: looked up at the first Slack
    call of the scope (or handed over by the request's authorize step), then reused by the
    rest, so a digest's several calls cost one installation lookup, not one each."""

    workspace: Workspace
    token: str | None = None
    bot_user_id: str | None = None


current: ContextVar[_Scope | None] = ContextVar("newsroom_bot_workspace", default=None)


class Workspaces:
    """The Slack clients of the workspaces this process serves."""

    def __init__(self, settings: Settings, client: WebClient) -> None:
        self.settings = settings
        self.base = client  # the app's client: Slack's URL, retries; the bot token if single
        self.multi = settings.oauth
        self._me: str | None = None  # single mode: the bot's user id, asked once
        self._clients: dict[str, WebClient] = {}
        self._lock = threading.Lock()
        self.installations: SQLite3InstallationStore | None = None
        self.states: SQLite3OAuthStateStore | None = None
        self.rotator: TokenRotator | None = None
        if self.multi:
            path = settings.installations_path
            self.installations = SQLite3InstallationStore(
                database=path, client_id=str(settings.client_id)
            )
            self.states = SQLite3OAuthStateStore(database=path, expiration_seconds=STATE_SECONDS)
            self.installations.init()
            self.states.init()
            self.rotator = TokenRotator(
                client_id=str(settings.client_id),
                client_secret=settings.secret("client_secret") or "",
                client=self._client_with(None),
            )

    # -- in which workspace work runs ------------------------------------------------------

    @contextlib.contextmanager
    def using(
        self, team_id: str | None, enterprise_id: str | None = None, *, org_install: bool = False
    ) -> Iterator[Workspace]:
        """Run the block in this workspace: ``client()`` is its client meanwhile."""
        workspace = Workspace(team_id, enterprise_id, org_install)
        token = current.set(_Scope(workspace))
        try:
            yield workspace
        finally:
            current.reset(token)

    def enter(
        self,
        team_id: str | None,
        enterprise_id: str | None = None,
        *,
        org_install: bool = False,
        token: str | None = None,
        bot_user_id: str | None = None,
    ) -> Workspace:
        """Work in this workspace from now on in this context (a request's thread), with the
        bot ``token`` its authorize step found, when given."""
        workspace = Workspace(team_id, enterprise_id, org_install)
        current.set(_Scope(workspace, token, bot_user_id if token else None))
        return workspace

    @property
    def team_id(self) -> str | None:
        """The workspace work runs in now (None outside any)."""
        scope = current.get()
        return scope.workspace.team_id if scope is not None else None

    @property
    def scope(self) -> str | None:
        """What the ledger's lists are narrowed to: the workspace in scope, with many (one
        workspace sees only its own); None (everything) with one."""
        return self.team_id if self.multi else None

    def client(self) -> WebClient:
        """The client of the workspace in scope (single mode: the one client)."""
        if not self.multi:
            return self.base
        return self._client_with(self._installed_scope().token)

    def bot_user_id(self) -> str:
        """The bot's own user id in the workspace in scope."""
        if not self.multi:
            if self._me is None:
                self._me = str(self.base.auth_test().get("user_id") or "")
            return self._me
        return self._installed_scope().bot_user_id or ""

    def _installed_scope(self) -> _Scope:
        """The scope, its bot looked up if not yet; raises when there is none to use."""
        scope = current.get()
        if scope is None:
            raise NoWorkspace("no workspace in scope for a Slack call")
        if scope.token is None:
            bot = self.bot(scope.workspace)
            if bot is None or not bot.bot_token:
                raise NoWorkspace(f"workspace {scope.workspace} has no installation")
            scope.token, scope.bot_user_id = bot.bot_token, bot.bot_user_id or ""
        return scope

    def installed(self, team_id: str | None, enterprise_id: str | None = None) -> bool:
        """Whether this workspace can be reached (single mode: always)."""
        return not self.multi or self.bot(Workspace(team_id, enterprise_id)) is not None

    def _client_with(self, token: str | None) -> WebClient:
        key = token or ""
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                if len(self._clients) > 1000:  # rotated tokens pile up: start again
                    self._clients.clear()
                client = WebClient(
                    token=token,
                    base_url=self.base.base_url,
                    timeout=self.base.timeout,
                    retry_handlers=list(self.base.retry_handlers),
                )
                self._clients[key] = client
            return client

    # -- installations ------------------------------------------------------------------------

    def bot(self, workspace: Workspace) -> Bot | None:
        """The workspace's bot installation, its token refreshed first when it expires
        soon; None when it has none. An org-wide install serves every workspace of its
        organisation."""
        store = self.installations
        if store is None:
            return None
        bot = self._find(workspace)
        if bot is None or bot.bot_token_expires_at is None or self.rotator is None:
            return bot
        if not _expiring(bot):
            return bot
        with self._lock, self._file_lock():
            bot = self._find(workspace)  # another thread or process may have refreshed it
            if bot is None or not _expiring(bot):
                return bot
            try:
                fresh = self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES
                )
            except SlackTokenRotationError as exc:
                log.error("refreshing the token of %s failed: %s", workspace, exc)
                return bot  # still good until it expires; the next call tries again
            if fresh is not None:
                store.save_bot(fresh)
                log.info("refreshed the bot token of %s", workspace)
                return fresh
            return bot

    def _find(self, workspace: Workspace) -> Bot | None:
        store = self.installations
        assert store is not None
        enterprise = workspace.enterprise_id
        if not workspace.org_install:
            bot = store.find_bot(enterprise_id=enterprise, team_id=workspace.team_id)
            if bot is not None or not enterprise:
                return bot
        return store.find_bot(enterprise_id=enterprise, team_id=None, is_enterprise_install=True)

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        with open(self.settings.installations_path + ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def forget(self, workspace: Workspace) -> bool:
        """Delete the workspace's installation and tokens now (``app_uninstalled``,
        ``tokens_revoked``). Returns whether there was one."""
        store = self.installations
        if store is None:
            return False
        team = None if workspace.org_install else workspace.team_id
        had = self._find(workspace) is not None
        store.delete_installation(enterprise_id=workspace.enterprise_id, team_id=team)
        store.delete_bot(enterprise_id=workspace.enterprise_id, team_id=team)
        with self._lock:
            self._clients.clear()
        return had

    def oauth_settings(self) -> OAuthSettings:
        """Bolt's OAuth flow: ``/slack/install``, ``/slack/oauth_redirect``, our stores."""
        base = (self.settings.install_url or "").rstrip("/")
        return OAuthSettings(
            client_id=str(self.settings.client_id),
            client_secret=self.settings.secret("client_secret"),
            scopes=list(BOT_SCOPES),
            redirect_uri=f"{base}/slack/oauth_redirect" if base else None,
            installation_store=self.installations,
            installation_store_bot_only=True,
            state_store=self.states,
            state_expiration_seconds=STATE_SECONDS,
            token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        )

    def authorize(self) -> Authorize:
        """Bolt's authorize step, through ``bot()``: one place refreshes tokens."""
        return _Authorize(self)


def _expiring(bot: Bot) -> bool:
    expires = bot.bot_token_expires_at
    return expires is not None and expires <= time.time() + ROTATE_BEFORE_MINUTES * 60


class _Authorize(Authorize):
    """Each request authorised by its workspace's installation (refreshed if need be)."""

    def __init__(self, workspaces: Workspaces) -> None:
        super().__init__()
        self.workspaces = workspaces

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_: Any,
    ) -> AuthorizeResult | None:
        workspace = Workspace(team_id, enterprise_id, bool(context.is_enterprise_install))
        bot = self.workspaces.bot(workspace)
        if bot is None:
            log.warning("a request from %s, which has no installation: not handled", workspace)
            return None
        return AuthorizeResult(
            enterprise_id=bot.enterprise_id or enterprise_id,
            team_id=team_id or bot.team_id,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
            user_id=user_id,
        )
