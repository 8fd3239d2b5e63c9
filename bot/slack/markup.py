"""Slack message markup to plain text, and the links and mentions in it.

Slack sends message text with its own markup: ``<https://…|label>`` links, ``<@U123>``
users, ``<#C123|name>`` channels, ``<!here>`` and ``<!date^…|fallback>``, and escapes
``&``, ``<`` and ``>`` as entities — so every literal ``<`` in a message is markup.
Entities are left for the core's ``normalise`` to unescape, so both paths agree.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"<([^<>\n]{1,3000})>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}


def _plain(token: str) -> str:
    target, _, label = token.partition("|")
    if target.startswith("@"):  # <@U123> or <@U123|name>
        return "@" + (label or target[1:])
    if target.startswith("#"):  # <#C123|general>
        return "#" + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!subteam^S1|@desk>, <!date^…|Nov 24>
        if label:
            return label
        return "@" + target[1:].split("^", 1)[0]
    return label or target


def to_plain(text: str) -> str:
    """The message as a reader sees it: links by their label, @names, #channels."""
    if "<" not in text:
        return text
    return _TOKEN.sub(lambda m: _plain(m.group(1)), text)


def links(text: str) -> list[str]:
    """The http(s) links in a message, in order, without duplicates."""
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        target = match.group(1).partition("|")[0].strip()
        target = re.sub(r"&(?:amp|lt|gt);", lambda e: _ENTITIES[e.group(0)], target)
        if target.lower().startswith(("http://", "https://")) and target not in found:
            found.append(target)
    return found


def mentions(text: str) -> list[str]:
    """The user ids mentioned (``<@U123>``), in order."""
    return [
        m.group(1).partition("|")[0][1:]
        for m in _TOKEN.finditer(text)
        if m.group(1).startswith("@")
    ]


def without_mention(text: str, user_id: str) -> str:
    """The message with every mention of ``user_id`` removed (to digest what follows it)."""
    return re.sub(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>[:,]?\s*", "", text).strip()


def is_only_links(text: str) -> bool:
    """True when the message is nothing but links (and whitespace)."""
    rest = _TOKEN.sub(lambda m: "" if m.group(1).lower().startswith("http") else m.group(0), text)
    return bool(links(text)) and not rest.strip()
