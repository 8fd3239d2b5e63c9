"""What a person's text asks of the bot, decided without Slack.

The listeners' branches live here as pure functions with direct tests: what ``/digest``
text asks for, what a message pasted in a channel is, and whether a message the shortcut
was used on has anything to check. Listeners parse the payload, ask, and act.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from bot.core.models import Digest
from bot.core.paste import looks_like_article
from bot.slack.markup import is_only_links, links, to_plain

# Slack cuts messages at 40,000 characters; anything longer did not come from a person's
# paste, and an article that long is better given as a link.
MAX_PASTE = 100_000
SUBCOMMANDS = ("pending", "search", "history", "watch", "settings")
_HELP = {"", "help", "usage", "?"}
_MAX_SUBCOMMAND_WORDS = 8  # "/digest search …" longer than this is text to digest


class CommandIntent(BaseModel):
    """What ``/digest <text>`` asks for: ``usage``; a ``subcommand`` (``name`` and its
    ``argument``); the article at ``url``; or the digest of ``text``."""

    kind: Literal["usage", "subcommand", "link", "text"]
    name: str = ""
    argument: str = ""
    url: str = ""
    text: str = ""


def command_intent(raw: str) -> CommandIntent:
    """Read ``/digest`` text. A link with a few words around it ("please check <url>")
    is the link; a sentence that starts with "search" but runs on is text to digest."""
    text = raw.strip()
    words = text.split(maxsplit=1)
    first = words[0].lower() if words else ""
    if first in _HELP:
        return CommandIntent(kind="usage")
    if first in SUBCOMMANDS and len(text.split()) <= _MAX_SUBCOMMAND_WORDS:
        argument = words[1].strip() if len(words) > 1 else ""
        return CommandIntent(kind="subcommand", name=first, argument=argument)
    plain = to_plain(text)
    if is_only_links(text) or (links(text) and not looks_like_article(plain).article):
        return CommandIntent(kind="link", url=links(text)[0])
    return CommandIntent(kind="text", text=plain)


class PasteIntent(BaseModel):
    """What a message in a watched channel is: an ``article`` to digest (``text``), a
    message of ``links`` to read (``urls``), ``too_long`` to read (``size``), or chat to
    leave alone (``ignore``, with the ``why`` for the log)."""

    kind: Literal["article", "links", "too_long", "ignore"]
    text: str = ""
    urls: list[str] = []
    size: int = 0
    why: str = ""


def paste_intent(raw: str) -> PasteIntent:
    """Read a person's message in a channel the bot watches."""
    text = to_plain(raw)
    if len(text) > MAX_PASTE:
        return PasteIntent(kind="too_long", size=len(text))
    verdict = looks_like_article(text)
    if verdict.article:
        return PasteIntent(kind="article", text=text)
    urls = links(raw)
    if urls:  # a link with a word or two around it: read the pages it points at
        return PasteIntent(kind="links", urls=urls)
    return PasteIntent(kind="ignore", why=str(verdict))


def nothing_to_check(text: str, result: Digest) -> bool:
    """Whether a message the shortcut was used on is a line of chat ("3 more edits, then
    lunch"): no check-worthy figure, or neither a story nor any sourced figure."""
    worth = [f for f in result.figures if f.checkworthy]
    return not worth or (
        not looks_like_article(text).article and not any(f.source_id for f in worth)
    )
