"""Working hours: when nudges may go out.

``NEWSROOM_BOT_WORK_HOURS``, or a channel's own from ``/digest settings hours``:
``mon-fri 08:00-19:00`` (the default), ``mon-sun 07:00-23:00``, ``sat,sun 09:00-17:00``, or
``always``, in ``NEWSROOM_BOT_TIMEZONE``. A nudge that falls due outside them waits for the
next working hour.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOURS = "mon-fri 08:00-19:00"
_SPEC = re.compile(
    r"^\s*(?P<days>[a-z]{3}(?:\s*[-,]\s*[a-z]{3})*)\s+"
    r"(?P<start>[0-2]?\d:[0-5]\d)\s*-\s*(?P<end>[0-2]?\d:[0-5]\d)\s*$"
)


class WorkHours(BaseModel):
    """Days of the week (0 = Monday) and the hours in them when nudges may go out."""

    days: frozenset[int] = frozenset(range(7))
    start: time = time(0, 0)
    end: time = time(23, 59, 59)
    always: bool = False

    @classmethod
    def parse(cls, spec: str) -> WorkHours:
        """``mon-fri 08:00-19:00``, ``sat,sun 09:00-17:00``, ``always``; ValueError says why."""
        text = spec.strip().lower()
        if text in ("always", "any", "24/7"):
            return cls(always=True)
        m = _SPEC.match(text)
        if m is None:
            raise ValueError(
                f"{spec!r} is not working hours like 'mon-fri 08:00-19:00' or 'always'"
            )
        days: set[int] = set()
        for part in re.split(r"\s*,\s*", m["days"]):
            ends = [p.strip() for p in part.split("-")]
            if any(e not in DAYS for e in ends) or len(ends) > 2:
                raise ValueError(f"{part!r} is not a day or range of days like mon-fri")
            first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
            days.update(span)
        start, end = (time.fromisoformat(x.zfill(5)) for x in (m["start"], m["end"]))
        if start >= end:
            raise ValueError(f"{spec!r}: the day must start before it ends")
        return cls(days=frozenset(days), start=start, end=end)

    def describe(self) -> str:
        if self.always:
            return "always"
        runs: list[str] = []
        day = 0
        while day < 7:
            if day in self.days:
                last = day
                while last + 1 < 7 and last + 1 in self.days:
                    last += 1
                runs.append(DAYS[day] if last == day else f"{DAYS[day]}-{DAYS[last]}")
                day = last + 1
            else:
                day += 1
        return f"{','.join(runs)} {self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, moment: datetime, timezone: str) -> bool:
        if self.always:
            return True
        local = moment.astimezone(ZoneInfo(timezone))
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def next_open(self, moment: datetime, timezone: str) -> datetime:
        """``moment`` if it is within working hours, else when they next begin."""
        if self.contains(moment, timezone) or not self.days:
            return moment
        zone = ZoneInfo(timezone)
        local = moment.astimezone(zone)
        for ahead in range(8):
            day = (local + timedelta(days=ahead)).date()
            if day.weekday() not in self.days:
                continue
            opening = datetime.combine(day, self.start, tzinfo=zone)
            if opening > local:
                return opening.astimezone(moment.tzinfo)
        return moment  # unreachable with at least one working day
