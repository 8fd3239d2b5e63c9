"""The errors newsroom-bot raises, each with a message a reporter can read."""


class BotError(Exception):
    """Base of every error newsroom-bot raises on purpose."""


class InputError(BotError):
    """The text given cannot be digested (empty, binary, too large, undecodable)."""


class ConfigError(BotError):
    """A setting is missing or malformed (names the environment variable to fix)."""


class StoreError(BotError):
    """The SQLite file cannot be opened, migrated or written."""


class Conflict(BotError):
    """A status change made on an outdated view would overturn what someone else settled.

    ``current`` is the figure as the ledger has it now (a ``FigureRecord``): who set what,
    when, with which note, so the person can be shown it and confirm or cancel."""

    def __init__(self, current: object) -> None:
        super().__init__("someone else changed this figure after your view was drawn")
        self.current = current


class FetchError(BotError):
    """A linked page could not be read; ``kind`` says why in one word, the message in words.

    Kinds: bad_url, blocked, unreachable, timeout, http_error, too_large, not_html,
    no_article.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class LeaseLost(StoreError):
    """This process's lease in the ledger was taken over by another process (it was
    presumed dead): it must stop claiming work, so nothing is ever done twice."""
