"""manifest.yml and the code agree: what the app answers is declared, and the scopes
requested are exactly the ones the code's Slack calls and events need."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from slack_sdk import WebClient

from bot.slack.listeners import declared_features
from bot.slack.workspaces import BOT_SCOPES

ROOT = Path(__file__).parent.parent
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())
# The Enterprise Grid manifest: the same app, installed org-wide over HTTP with OAuth.
ORG_MANIFEST = yaml.safe_load((ROOT / "manifest.org.yml").read_text())
BOTH = pytest.mark.parametrize("manifest", [MANIFEST, ORG_MANIFEST], ids=["single", "org"])

# Slack's documented bot scopes per Web API method (api.slack.com/methods/<name>).
METHOD_SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "chat.delete": {"chat:write"},
    "chat.getPermalink": set(),
    "chat.unfurl": {"links:write"},
    # History reads need the history scope of each kind of conversation the bot is in.
    "conversations.replies": {"channels:history", "groups:history", "im:history"},
    "conversations.history": {"channels:history", "groups:history", "im:history"},
    "conversations.info": {"channels:read", "groups:read", "im:read"},
    "conversations.open": {"im:write"},
    "users.info": {"users:read"},
    "reactions.add": {"reactions:write"},
    "views.publish": set(),
    "views.open": set(),
    "views.update": set(),
    "views.push": set(),
}
# Scopes each subscribed bot event needs (api.slack.com/events/<name>).
EVENT_SCOPES: dict[str, set[str]] = {
    "app_home_opened": set(),
    "app_mention": {"app_mentions:read"},
    "app_uninstalled": set(),
    "tokens_revoked": set(),
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "message.im": {"im:history"},
    "message.mpim": {"mpim:history"},
    "link_shared": {"links:read"},
}


def api_methods_called() -> set[str]:
    """Web API methods the bot's code calls on a WebClient (``client.chat_postMessage(...)``)."""
    methods: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name = node.func.attr
                if re.fullmatch(r"[a-z]+_[a-zA-Z_]+", name) and callable(
                    getattr(WebClient, name, None)
                ):
                    group, _, rest = name.partition("_")
                    methods.add(group + "." + rest.replace("_", "."))
    return methods


def event_type(bot_event: str) -> str:
    """``message.channels`` is delivered as event type ``message``."""
    return bot_event.split(".", 1)[0]


def test_the_code_calls_slack_methods_we_know_the_scopes_of():
    called = api_methods_called()
    assert "chat.postMessage" in called  # the scan sees the calls
    assert called <= set(METHOD_SCOPES), called - set(METHOD_SCOPES)


@BOTH
def test_scopes_are_exactly_what_the_code_needs(manifest):
    features = manifest["features"]
    needed: set[str] = set()
    for method in api_methods_called():
        needed |= METHOD_SCOPES[method]
    for bot_event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        needed |= EVENT_SCOPES[bot_event]
    if features.get("slash_commands") or features.get("shortcuts"):
        needed.add("commands")
    requested = set(manifest["oauth_config"]["scopes"]["bot"])
    assert requested == needed, {"missing": needed - requested, "unused": requested - needed}
    assert set(BOT_SCOPES) == requested  # what an install by OAuth asks for


@BOTH
def test_every_event_the_app_answers_is_subscribed_and_back(manifest):
    subscribed = manifest["settings"]["event_subscriptions"]["bot_events"]
    answered = declared_features().events
    assert {event_type(e) for e in subscribed} == answered


@BOTH
def test_commands_and_shortcuts_match(manifest):
    features = declared_features()
    manifest = manifest["features"]
    assert {c["command"] for c in manifest["slash_commands"]} == features.commands
    assert {s["callback_id"] for s in manifest["shortcuts"]} == features.shortcuts
    for shortcut in manifest["shortcuts"]:
        assert set(shortcut) >= {"name", "type", "callback_id", "description"}
        assert shortcut["type"] in {"message", "global"}


def test_interactivity_is_on_for_buttons_shortcuts_and_modals():
    features = declared_features()
    assert features.actions or features.shortcuts
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True


def test_manifest_fields_within_slacks_limits():
    info = MANIFEST["display_information"]
    assert 0 < len(info["name"]) <= 35
    assert 0 < len(info["description"]) <= 140
    assert 174 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", info["background_color"])
    bot_user = MANIFEST["features"]["bot_user"]
    assert re.fullmatch(r"[\w\-.]{1,80}", bot_user["display_name"])
    for command in MANIFEST["features"]["slash_commands"]:
        assert command["command"].startswith("/") and len(command["command"]) <= 32
        assert command["description"]
    assert MANIFEST["_metadata"]["major_version"] == 1
    assert MANIFEST["settings"]["socket_mode_enabled"] is True  # newsroom-internal default
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True


def test_the_org_manifest_is_the_same_app_installed_org_wide_over_http():
    def without(m: dict, *keys: str) -> dict:
        return {k: v for k, v in m.items() if k not in keys}

    assert without(ORG_MANIFEST, "settings") == without(MANIFEST, "settings")
    org, single = ORG_MANIFEST["settings"], MANIFEST["settings"]
    assert org["org_deploy_enabled"] is True and single["org_deploy_enabled"] is False
    assert org["socket_mode_enabled"] is False  # installs by OAuth need HTTP mode
    assert without(org, "org_deploy_enabled", "socket_mode_enabled") == without(
        single, "org_deploy_enabled", "socket_mode_enabled"
    )
    for url in ORG_MANIFEST["oauth_config"]["redirect_urls"]:
        assert url.endswith("/slack/oauth_redirect")  # Bolt's callback path
