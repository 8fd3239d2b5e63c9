"""A ``serve`` process's life: who it is, the work it runs, and stopping in order.

Identity and lease
    Each process gets a boot id and registers it in the ledger with a lease of
    ``lease_for(busy timeout)`` (20 s with the default 15 s busy timeout), renewed by a
    heartbeat every ``HEARTBEAT`` (2 s). The lease outlasts the busy timeout, so a live
    process waiting its turn for the database never lapses. Beside the database, in
    ``<db>.live/``, the process also holds an exclusive ``flock`` on ``<boot id>.lock``;
    the kernel drops it the moment the process dies, even by SIGKILL. SQLite's WAL needs
    every process on one machine, so every neighbour can see that lock.

Who takes over
    Every process's keeper thread, at start and on every heartbeat, marks gone the live
    processes whose lease lapsed or whose lock is free (one statement: each is marked by
    exactly one process), then takes over the work of gone processes: events replayed,
    deliveries released and posted (adopted when Slack already has them), nudges found or
    posted again. A restart after a crash therefore recovers within a heartbeat of starting,
    without waiting out the lease. A process that finds its own row no longer live is
    fenced: its claims fail and ``on_fenced`` is called (``serve`` stops and exits 1).

Stopping
    ``begin_stop`` makes the app stop taking new work (see ``bot.slack.app``); ``drain``
    waits for the work already running, up to a bound; ``close`` stops the keeper, says
    goodbye in the ledger (so the next process takes over what is left at once) and drops
    the lock.
"""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import logging
import os
import queue
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.errors import LeaseLost
from bot.store import Store, parse_stamp, utcnow

log = logging.getLogger(__name__)

HEARTBEAT = timedelta(seconds=2)


def lease_for(busy_timeout: float) -> timedelta:
    """A lease that outlasts a heartbeat stuck for the whole busy timeout, and a beat more."""
    return timedelta(seconds=busy_timeout) + 2 * HEARTBEAT + timedelta(seconds=1)


class Workers(Executor):
    """A thread pool for Bolt's listeners that counts its work, so a stop can wait for it.

    Its threads are daemons: work still running when a stop's bound runs out does not hold
    the process open (it is left in the ledger as interrupted, for the next process).
    """

    def __init__(self, size: int = 8, *, name: str = "listener") -> None:
        self.size = size
        self.name = name
        self._queue: queue.SimpleQueue[tuple[Future, Callable, tuple, dict] | None] = (
            queue.SimpleQueue()
        )
        self._threads: list[threading.Thread] = []
        self._busy = threading.Condition()
        self._pending = 0  # submitted and not finished
        self._shut = False

    @property
    def pending(self) -> int:
        """Work submitted and not yet finished (queued or running)."""
        with self._busy:
            return self._pending

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        with self._busy:
            if self._shut:
                raise RuntimeError("the workers are shut down")
            self._pending += 1
            if self._pending > len(self._threads) and len(self._threads) < self.size:
                # More work than threads: one more (threads are kept once started).
                thread = threading.Thread(
                    target=self._work, name=f"{self.name}-{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
                thread.start()
        # Run in the submitter's context: the workspace a request came from (a context
        # variable its middleware set) is the one its listener works in.
        self._queue.put((future, contextvars.copy_context().run, (fn, *args), kwargs))
        return future

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            future, fn, args, kwargs = item
            try:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args, **kwargs))
                    except BaseException as exc:
                        future.set_exception(exc)
            finally:
                with self._busy:
                    self._pending -= 1
                    self._busy.notify_all()

    def wait_idle(self, deadline: float) -> int:
        """Wait until no work is pending or ``deadline`` (monotonic) passes; returns how many
        pieces of work are still pending."""
        with self._busy:
            self._busy.wait_for(lambda: not self._pending, max(0.0, deadline - time.monotonic()))
            return self._pending

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Let the threads end once idle; ``wait`` joins those that are idle already."""
        with self._busy:
            if self._shut:
                return
            self._shut = True
            threads = list(self._threads)
        for _ in threads:
            self._queue.put(None)
        if wait:
            for thread in threads:
                thread.join(timeout=1.0)


class Liveness:
    """This process's lock file, and a look at whether a neighbour's lock is still held."""

    def __init__(self, db_path: str, boot_id: str) -> None:
        self.folder = Path(f"{db_path}.live")
        self.boot_id = boot_id
        self._file: Any = None

    def hold(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = open(self.folder / f"{self.boot_id}.lock", "a+b")  # noqa: SIM115
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._file = handle

    def release(self) -> None:
        if self._file is None:
            return
        with contextlib.suppress(OSError):
            (self.folder / f"{self.boot_id}.lock").unlink()
        self._file.close()  # drops the lock
        self._file = None

    def dead(self, boot_ids: list[str]) -> list[str]:
        """Those of ``boot_ids`` whose lock file exists and is not held: the process died.
        A missing file says nothing (another machine's, or cleaned up): the lease decides."""
        found = []
        for boot_id in boot_ids:
            if boot_id == self.boot_id:
                continue
            path = self.folder / f"{boot_id}.lock"
            try:
                handle = open(path, "rb")  # noqa: SIM115
            except OSError:
                continue
            with handle:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # held: alive
                found.append(boot_id)
                with contextlib.suppress(OSError):
                    path.unlink()
        return found


class Lifecycle:
    """One process's identity, lease and keeper, its listener workers, and its stop."""

    def __init__(
        self,
        store: Store,
        *,
        take_over: Callable[[], object] = lambda: None,
        on_fenced: Callable[[], object] = lambda: None,
        heartbeat: timedelta = HEARTBEAT,
        lease: timedelta | None = None,
        workers: int = 8,
    ) -> None:
        self.store = store
        self.boot_id = uuid.uuid4().hex[:12]
        self.heartbeat = heartbeat
        self.lease = lease or lease_for(store.timeout)
        self.workers = Workers(workers)
        self.take_over = take_over
        self.on_fenced = on_fenced
        self.state = "new"  # new → running → stopping → stopped
        self.fenced = False
        self._registered = False
        self._liveness = Liveness(store.path, self.boot_id)
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self._admitted = 0  # requests let in and not yet handed to the workers
        self._door = threading.Condition()
        self._tick = threading.Lock()  # held while the keeper takes work over

    @property
    def accepting(self) -> bool:
        """Whether new work is taken (not while stopping, nor once fenced)."""
        return self.state in {"new", "running"} and not self.fenced

    def register(self) -> Lifecycle:
        """Hold the lock file and register in the ledger: claims now carry the boot id."""
        self._liveness.hold()
        self.store.register_process(
            self.boot_id, pid=os.getpid(), host=socket.gethostname(), lease=self.lease
        )
        self._registered = True
        self.state = "running"
        return self

    def keep(self) -> Lifecycle:
        """Start the heartbeat, and the keeper that takes over the work of gone processes
        (now, then on every heartbeat). The heartbeat has its own thread, so a long takeover
        never lets this process's lease lapse."""
        for name, loop in (("heartbeat", self._beat), ("keeper", self._keep)):
            thread = threading.Thread(target=self._every, args=(loop,), name=name, daemon=True)
            self._threads.append(thread)
            thread.start()
        log.info("process %s started (lease %.0f s)", self.boot_id, self.lease.total_seconds())
        return self

    def _every(self, work: Callable[[], None]) -> None:
        while self.state != "stopped" and not self.fenced:
            try:
                work()
            except LeaseLost:
                self._fence()
            except Exception as exc:
                log.error("%s: %s: %s", threading.current_thread().name, type(exc).__name__, exc)
            self._wake.wait(self.heartbeat.total_seconds())

    def _beat(self) -> None:
        if not self.store.heartbeat(self.lease) and self.state != "stopped":
            raise LeaseLost(self.boot_id)

    def _keep(self) -> None:
        with self._tick:
            if self.state == "running":  # a stopping process takes nothing over
                self._take_over()

    def _take_over(self) -> None:
        now = utcnow()
        live = self.store.live_processes()
        dead = self._liveness.dead([p.boot_id for p in live])
        lapsed = [p for p in live if p.lease_until and parse_stamp(p.lease_until) < now]
        if dead or lapsed:
            gone = self.store.mark_gone(dead=dead)
            if gone:
                log.warning("taking over the work of process(es) %s (gone)", ", ".join(gone))
        self.take_over()

    def _fence(self) -> None:
        if self.fenced:
            return
        self.fenced = True
        log.error(
            "process %s lost its lease (taken over as presumed dead): it stops taking work",
            self.boot_id,
        )
        self.on_fenced()

    @contextlib.contextmanager
    def admitted(self) -> Iterator[None]:
        """Count a request let in until its work is handed to the workers, so a stop that
        begins meanwhile waits for it too."""
        with self._door:
            self._admitted += 1
        try:
            yield
        finally:
            with self._door:
                self._admitted -= 1
                self._door.notify_all()

    def begin_stop(self) -> None:
        """Stop taking new work; work already running goes on."""
        if self.state in {"new", "running"}:
            self.state = "stopping"

    def wait_idle(self, deadline: float) -> int:
        """Wait for a takeover in progress, requests let in and the work on the workers,
        until ``deadline`` (monotonic); returns how much is still running."""
        if self._tick.acquire(timeout=max(0.0, deadline - time.monotonic())):
            self._tick.release()
        with self._door:
            self._door.wait_for(lambda: not self._admitted, max(0.0, deadline - time.monotonic()))
            admitted = self._admitted
        return admitted + self.workers.wait_idle(deadline)

    def close(self, *, left: int = 0, exiting: bool = False) -> None:
        """Stop the heartbeat and keeper and leave the ledger.

        With nothing ``left`` running, say goodbye: the next process takes over what was
        kept at once. With work left running and the process ``exiting``, stay registered
        and keep the lock: the kernel drops it when the process is gone, and only then may
        a neighbour take the work over. With work left and the process staying (in tests),
        fence itself: the leftovers claim nothing more.
        """
        self.state = "stopped"
        self._wake.set()
        me = threading.current_thread()
        for thread in self._threads:
            if thread is not me:
                thread.join(timeout=self.store.timeout + 1)
        self.workers.shutdown(wait=False)
        if not self._registered or self.fenced:
            self._liveness.release()
            return
        if left and exiting:
            return
        try:
            self.store.end_process(fence=bool(left))
        except Exception as exc:  # the next process then waits out the lease instead
            log.error("could not record the stop: %s", exc)
        self._liveness.release()
