"""The scheduler: verification nudges and the daily roundup, as persistent APScheduler jobs.

Jobs live in SQLite beside the ledger (``Settings.jobs_path``), are referenced by import
path, carry only a digest id, and have deterministic ids (``nudge:<digest id>``,
``roundup``) with ``replace_existing``, so a restart never duplicates them. A nudge that
fell due while the bot was down runs once when it comes back (no misfire grace limit,
coalesced). The ledger is the truth: each job re-reads it when it fires, and
``reconcile`` (at start and every minute) re-creates any job the ledger plans but the job
store lacks, e.g. one planned by a ``serve --no-scheduler`` worker.

Exactly one process may run the scheduler (APScheduler 3 cannot share a job store).
What the jobs do is given as callbacks, so this package knows nothing about Slack.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.settings import Settings
from bot.store import Store, parse_stamp

log = logging.getLogger(__name__)

RECONCILE_EVERY = timedelta(minutes=1)
_active: Reminders | None = None
_busy = threading.Condition()


@dataclass(frozen=True)
class Callbacks:
    """What the jobs do: post a digest's nudge; post the roundups."""

    nudge: Callable[[str], None]
    roundup: Callable[[], None]
    flush: Callable[[], object] = lambda: None


def nudge_job_id(digest_id: str) -> str:
    return f"nudge:{digest_id}"


class Reminders:
    """The one scheduler of a process; ``start()`` it in exactly one process."""

    def __init__(self, settings: Settings, store: Store, callbacks: Callbacks) -> None:
        self.settings = settings
        self.store = store
        self.callbacks = callbacks
        self.stopping = False
        self._in_flight = 0
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{settings.jobs_path}")},
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
            timezone=UTC,
        )

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> Reminders:
        global _active
        _active = self
        self.scheduler.start()
        self._schedule_roundup()
        self.scheduler.add_job(
            "bot.reminders:reconcile",
            trigger="interval",
            seconds=RECONCILE_EVERY.total_seconds(),
            id="reconcile",
            replace_existing=True,
        )
        # The outbox: digests an outage kept from Slack, and edits that did not get through.
        self.scheduler.add_job(
            "bot.reminders:fire_flush",
            trigger="interval",
            seconds=max(self.settings.retry_every.total_seconds(), 1.0),
            id="outbox",
            replace_existing=True,
        )
        # Once now, in the scheduler's threads, so a large ledger does not delay serving.
        self.scheduler.add_job("bot.reminders:reconcile", id="reconcile-now", replace_existing=True)
        self.scheduler.add_job("bot.reminders:fire_flush", id="outbox-now", replace_existing=True)
        log.info("scheduler started")
        return self

    def pause(self) -> None:
        """Start no more jobs (those running go on); the first step of a stop."""
        self.stopping = True
        if self.scheduler.running:
            self.scheduler.pause()

    @property
    def in_flight(self) -> int:
        """Jobs running now."""
        with _busy:
            return self._in_flight

    def shutdown(self, *, timeout: float = 10.0) -> int:
        """Stop taking jobs, let a nudge being posted finish (up to ``timeout``), then stop
        the scheduler. Returns how many jobs were still running at the bound.

        APScheduler's own ``shutdown(wait=True)`` holds the job-store lock while it waits,
        so a running job that touches the store would never finish: wait here instead.
        """
        global _active
        self.pause()
        left = 0
        if self.scheduler.running:
            with _busy:
                _busy.wait_for(lambda: not self._in_flight, timeout)
                left = self._in_flight
            self.scheduler.shutdown(wait=False)
        if _active is self:
            _active = None
        return left

    @contextmanager
    def _job(self) -> Iterator[bool]:
        """Count a running job (shutdown waits for it); yields False when stopping."""
        with _busy:
            self._in_flight += 1
        try:
            yield not self.stopping
        finally:
            with _busy:
                self._in_flight -= 1
                _busy.notify_all()

    # -- nudges ---------------------------------------------------------------------------

    def schedule_nudge(self, digest_id: str, at: datetime) -> None:
        """(Re)schedule a digest's next nudge."""
        self.scheduler.add_job(
            "bot.reminders:fire_nudge",
            trigger="date",
            run_date=at,
            args=[digest_id],
            id=nudge_job_id(digest_id),
            replace_existing=True,
        )

    def cancel_nudge(self, digest_id: str) -> None:
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(nudge_job_id(digest_id))

    def next_nudge_at(self, digest_id: str) -> datetime | None:
        job = self.scheduler.get_job(nudge_job_id(digest_id))
        return job.next_run_time if job else None

    def _schedule_roundup(self) -> None:
        if self.settings.roundup_at == "off":
            with contextlib.suppress(JobLookupError):
                self.scheduler.remove_job("roundup")
            return
        hour, minute = (int(x) for x in self.settings.roundup_at.split(":"))
        self.scheduler.add_job(
            "bot.reminders:fire_roundup",
            trigger=CronTrigger(
                hour=hour, minute=minute, timezone=ZoneInfo(self.settings.timezone)
            ),
            id="roundup",
            replace_existing=True,
            # A roundup missed by more than an hour is stale; the next day's will come.
            misfire_grace_time=3600,
        )


def active() -> Reminders | None:
    """The running scheduler of this process, if any."""
    return _active


# Job entry points (referenced by import path in the job store; arguments are ids only).


def _run(what: str, work: Callable[[Reminders], object]) -> None:
    """Run a job's work in the active scheduler, counted for shutdown, errors logged."""
    reminders = active()
    if reminders is None:
        return
    with reminders._job() as go:
        if not go:
            return
        try:
            work(reminders)
        except Exception:
            log.exception("%s failed", what)


def fire_nudge(digest_id: str) -> None:
    _run(f"nudge for digest {digest_id}", lambda r: r.callbacks.nudge(digest_id))


def fire_roundup() -> None:
    _run("roundup", lambda r: r.callbacks.roundup())


def fire_flush() -> None:
    _run("outbox flush", lambda r: r.callbacks.flush())


def reconcile() -> None:
    """Make the job store match the ledger's nudge plans."""
    _run("reconcile", _reconcile)


def _reconcile(reminders: Reminders) -> None:
    planned = {}
    for plan in reminders.store.due_nudges():
        at = parse_stamp(plan.next_at)
        if at is not None:
            planned[nudge_job_id(plan.digest_id)] = (plan.digest_id, at)
    for job in reminders.scheduler.get_jobs():
        if job.id.startswith("nudge:") and job.id not in planned:
            reminders.scheduler.remove_job(job.id)
    for job_id, (digest_id, at) in planned.items():
        if reminders.stopping:
            return
        job = reminders.scheduler.get_job(job_id)
        if (
            job is None
            or job.next_run_time is None
            or abs(job.next_run_time - at) > timedelta(seconds=1)
        ):
            reminders.schedule_nudge(digest_id, at)
