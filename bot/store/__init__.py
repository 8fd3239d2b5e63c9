"""The SQLite file newsroom-bot keeps its record in; the only code that writes SQL.

Public API: ``Store`` and its records. See ``bot.store.db`` for the schema.
"""

from bot.store.db import DigestRecord, Store

__all__ = ["DigestRecord", "Store"]
