"""The nudge planner and working hours, with fixed datetimes: no clock, no waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.reminders.plan import next_nudge
from bot.settings import Settings
from bot.workhours import WorkHours
from tests.test_verification import paste

WEEKDAYS = WorkHours.parse("mon-fri 08:00-19:00")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # 1 Dec 2026 is a Tuesday
HOUR = timedelta(hours=1)


def step(**overrides):
    values = {
        "sent": 0,
        "awake": 5,
        "wakes_at": None,
        "now": TUESDAY_10,
        "max_nudges": 3,
        "delay": lambda n: HOUR * 2**n,
        "hours": WEEKDAYS,
        "timezone": "UTC",
    } | overrides
    return next_nudge(**values)


def test_a_nudge_in_working_hours_posts_and_plans_the_next_with_backoff():
    first = step()
    assert (first.post, first.number, first.next_at) == (True, 1, TUESDAY_10 + 2 * HOUR)
    second = step(sent=1, now=first.next_at)
    assert (second.number, second.next_at) == (2, first.next_at + 4 * HOUR)


def test_nudge_3_of_3_is_the_last_whatever_snoozes_did():
    last = step(sent=2)
    assert (last.post, last.number, last.next_at) == (True, 3, None)
    after = step(sent=3, wakes_at=TUESDAY_10 + HOUR)  # a snooze ended: still no fourth
    assert (after.post, after.next_at) == (False, None)


def test_a_nudge_due_outside_working_hours_waits_for_them():
    evening = step(now=datetime(2026, 12, 1, 20, 30, tzinfo=UTC))
    assert (evening.post, evening.next_at) == (False, datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
    saturday = step(now=datetime(2026, 12, 5, 11, 0, tzinfo=UTC))
    assert saturday.next_at == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday morning
    # The next nudge falls in the night: it is planned for the morning.
    late = step(now=datetime(2026, 12, 1, 18, 0, tzinfo=UTC), delay=lambda n: 3 * HOUR)
    assert late.post and late.next_at == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_working_hours_are_read_in_the_desks_time_zone():
    # 07:30 UTC is 08:30 in Paris (winter): working hours there, not in London.
    now = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    assert step(now=now, timezone="Europe/Paris").post
    london = step(now=now, timezone="Europe/London")
    assert not london.post and london.next_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_everything_snoozed_moves_the_nudge_to_the_first_waking():
    wake = TUESDAY_10 + 3 * HOUR
    asleep = step(awake=0, wakes_at=wake)
    assert (asleep.post, asleep.next_at) == (False, wake)
    overnight = step(awake=0, wakes_at=datetime(2026, 12, 1, 23, 0, tzinfo=UTC))
    assert overnight.next_at == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    soon = step(wakes_at=TUESDAY_10 + HOUR / 2)  # one wakes before the next nudge: then
    assert soon.post and soon.next_at == TUESDAY_10 + HOUR / 2
    nothing = step(awake=0)
    assert (nothing.post, nothing.next_at) == (False, None)


@pytest.mark.parametrize(
    ("spec", "shown"),
    [
        ("mon-fri 08:00-19:00", "mon-fri 08:00-19:00"),
        ("Sat, Sun 9:00-17:00", "sat-sun 09:00-17:00"),
        ("mon,wed,fri 07:00-23:00", "mon,wed,fri 07:00-23:00"),
        ("always", "always"),
    ],
)
def test_working_hours_read_as_people_write_them(spec, shown):
    assert WorkHours.parse(spec).describe() == shown
    assert WorkHours.parse(shown).describe() == shown


@pytest.mark.parametrize("spec", ["weekdays", "mon-fri 19:00-08:00", "xyz 08:00-10:00", ""])
def test_bad_working_hours_say_how_to_write_them(spec):
    with pytest.raises(ValueError):
        WorkHours.parse(spec)


def test_the_default_is_weekdays_and_a_bad_setting_names_the_variable(monkeypatch):
    assert Settings().work_hours == "mon-fri 08:00-19:00"
    monkeypatch.setenv("NEWSROOM_BOT_WORK_HOURS", "whenever")
    with pytest.raises(Exception, match="working hours"):
        Settings()


def test_a_weekend_desk_sets_its_own_hours(bot, slack):
    reply = bot.driver.command("settings hours sat,sun 09:00-17:00", response_url="")
    assert "set this channel's nudge hours: *sat-sun 09:00-17:00*" in str(reply.json())
    shown = bot.driver.command("settings", response_url="")
    assert "in working hours *sat-sun 09:00-17:00* (UTC)" in str(shown.json())
    bad = bot.driver.command("settings hours someday", response_url="")
    assert "Nothing changed" in str(bad.json())
    _, record = paste(bot, slack)
    planned = bot.store.nudge_plan(record.id).next_at
    assert datetime.fromisoformat(planned).weekday() in (5, 6)  # the first nudge waits for them
    bot.driver.command("settings hours default", response_url="")
    assert bot.store.channel_hours("CNEWSDESK") is None
