"""The errors newsroom-bot raises, each with a message a reporter can read."""


class BotError(Exception):
    """Base of every error newsroom-bot raises on purpose."""


class InputError(BotError):
    """The text given cannot be digested (empty, binary, too large, undecodable)."""


class ConfigError(BotError):
    """A setting is missing or malformed (names the environment variable to fix)."""


class StoreError(BotError):
    """The SQLite file cannot be opened, migrated or written."""
