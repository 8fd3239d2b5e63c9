"""One vocabulary for a figure's statuses and the choices people make about them.

Everything that names a status or a choice reads it from here: the menus (label, the short
code in an option's value), the store (the audit action a choice records and the status it
leaves), the desk (how long a snooze lasts, how a thread note words it) and every view (the
emoji and the words for a status).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

Status = Literal["open", "verified", "disputed", "not_needed"]
Action = Literal["verified", "disputed", "not_needed", "snoozed", "reopened"]

STATUS_EMOJI: dict[str, str] = {
    "open": ":large_yellow_circle:",
    "verified": ":white_check_mark:",
    "disputed": ":x:",
    "not_needed": ":heavy_minus_sign:",
}
SNOOZED_EMOJI = ":zzz:"
STATUS_WORDS: dict[str, str] = {
    "open": "open",
    "verified": "verified",
    "disputed": "disputed",
    "not_needed": "not needed",
}
# Statuses a person settles a figure with: another person's change must not undo them unseen.
SETTLED: frozenset[str] = frozenset({"verified", "disputed", "not_needed"})


@dataclass(frozen=True)
class Choice:
    """One thing a person can do to a figure from its menu."""

    name: str  # "snooze_1h"
    code: str  # in a menu option's value: a menu per figure, on 40 figures, adds up
    label: str  # as the menu shows it
    action: Action  # what the audit log records
    status: Status  # what the figure's status becomes
    note: str  # the thread note: "{who} … {figure}"
    snooze: timedelta | None = None
    form: str | None = None  # the callback id of the form it opens first, if any


CHOICES: dict[str, Choice] = {
    c.name: c
    for c in (
        Choice(
            "verified", "v", "Verified…", "verified", "verified", "✅ {who} verified {figure}",
            form="figure_verified",
        ),
        Choice(
            "disputed", "d", "Disputed…", "disputed", "disputed", "❌ {who} disputed {figure}",
            form="figure_disputed",
        ),
        Choice(
            "snooze_1h", "s1h", "Snooze 1 hour", "snoozed", "open",
            "💤 {who} snoozed {figure}", snooze=timedelta(hours=1),
        ),
        Choice(
            "snooze_1d", "s1d", "Snooze 1 day", "snoozed", "open",
            "💤 {who} snoozed {figure}", snooze=timedelta(days=1),
        ),
        Choice(
            "snooze_1w", "s1w", "Snooze 1 week", "snoozed", "open",
            "💤 {who} snoozed {figure}", snooze=timedelta(weeks=1),
        ),
        Choice(
            "not_needed", "n", "Not needed", "not_needed", "not_needed",
            "➖ {who} marked {figure} as not needing a check",
        ),
        Choice("reopened", "r", "Reopen", "reopened", "open", "↩️ {who} reopened {figure}"),
    )
}  # fmt: skip
BY_CODE: dict[str, Choice] = {c.code: c for c in CHOICES.values()}
# What each audit action leaves the figure's status as.
NEW_STATUS: dict[str, Status] = {c.action: c.status for c in CHOICES.values()}
FORMS: dict[str, str] = {c.name: c.form for c in CHOICES.values() if c.form}
