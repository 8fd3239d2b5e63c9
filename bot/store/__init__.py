"""The SQLite file newsroom-bot keeps its record in; the only code that writes SQL.

Public API: ``Store`` and its records. See ``bot.store.db`` for the schema.
"""

from bot.store.db import DigestRecord, Store, trouble
from bot.store.ledger import (
    AuditEntry,
    Change,
    DigestSummary,
    FigureRecord,
    NudgePlan,
    parse_stamp,
    stamp,
    utcnow,
)

__all__ = [
    "AuditEntry",
    "Change",
    "DigestRecord",
    "DigestSummary",
    "FigureRecord",
    "NudgePlan",
    "Store",
    "parse_stamp",
    "stamp",
    "trouble",
    "utcnow",
]
