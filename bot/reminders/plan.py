"""When the next nudge goes out: a pure planner, with no clock of its own.

``next_nudge`` takes the state (nudges sent, open figures, when snoozed ones wake) and
``now``, and says whether to post a nudge now and when the next one is due. The desk reads
the ledger, asks, and does what it says; the tests ask with fixed datetimes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from pydantic import BaseModel

from bot.workhours import WorkHours


class NudgeStep(BaseModel):
    """What to do when a nudge falls due: post (as number ``number``) or not, and when the
    next is due (None: no more)."""

    post: bool
    number: int = 0
    next_at: datetime | None = None


def next_nudge(
    *,
    sent: int,
    awake: int,
    wakes_at: datetime | None,
    now: datetime,
    max_nudges: int,
    delay: Callable[[int], timedelta],
    hours: WorkHours,
    timezone: str,
) -> NudgeStep:
    """The nudge due at ``now`` for a digest that has had ``sent`` nudges, with ``awake``
    figures open and not snoozed and the earliest snoozed one waking at ``wakes_at``.

    Never more than ``max_nudges`` ("Nudge 3 of 3" is the last): a snooze only moves the
    next nudge later. Nothing posts outside working hours; the nudge waits for them.
    """

    def within(at: datetime | None) -> datetime | None:
        return hours.next_open(at, timezone) if at is not None else None

    if sent >= max_nudges:
        return NudgeStep(post=False, next_at=None)
    if awake == 0:
        return NudgeStep(post=False, next_at=within(wakes_at))  # all asleep: when one wakes
    if not hours.contains(now, timezone):
        return NudgeStep(post=False, next_at=within(now))
    number = sent + 1
    next_at = now + delay(number) if number < max_nudges else None
    if next_at is not None and wakes_at is not None:
        next_at = min(next_at, wakes_at)
    return NudgeStep(post=True, number=number, next_at=within(next_at))
