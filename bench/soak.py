"""Soak: the real ``serve --http`` under a steady mix of work, injected faults and SIGKILLs.

    python bench/soak.py            # full: 2,000 events at 20/s
    python bench/soak.py --short    # CI: 200 events at 20/s
    python bench/soak.py --kills 6  # more SIGKILLs (default 2), evenly spread

Against the local Slack stand-in (5% of Web API calls answer 429 with Retry-After, 2% answer
500) and the local page server, it sends pasted articles, links, /digest commands and status
menu choices; 1% of events are delivered twice; the bot is killed with SIGKILL and restarted
at evenly spread points (one and two thirds of the run by default). Like Slack, it resends
an event the bot could not take (connection refused, non-2xx). When everything is sent it
waits for the bot to settle, then checks, from what Slack received and from the ledger file:

- every pasted article and link ends with exactly one digest (no duplicates, none lost);
- nudges posted = nudges the ledger counts as sent, and none overdue;
- status choices Slack saw acknowledged = entries in the audit log;
- time to recover from each SIGKILL: from the restart to the digest of the last event the
  killed process had acknowledged but not finished (under 10 s).

Prints a table; exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import pct, rss_mb, status_choices  # noqa: E402
from bot.store import Store, utcnow  # noqa: E402
from tests.drive import (  # noqa: E402
    CHANNEL,
    SIGNING_SECRET,
    Driver,
    button_payload,
    event_envelope,
    message_event,
    view_select_payload,
)
from tests.pages import CORPUS, PageServer  # noqa: E402
from tests.slackfake import BOT_TOKEN, FakeSlack  # noqa: E402

SEED = (ROOT / "seeds" / "business-insider-russian-deserters.txt").read_text()
TEXTS = [SEED] + [p.read_text() for p in sorted(CORPUS.glob("*.txt"))[:4]]


class Bot:
    """``serve --http`` as a process that can be killed and started again on the same file."""

    def __init__(self, env: dict[str, str], cwd: str, log: object) -> None:
        self.env, self.cwd, self.log = env, cwd, log
        self.proc: subprocess.Popen[str] | None = None
        self.driver: Driver | None = None
        self.rss: list[float] = []

    def start(self) -> None:
        command = [sys.executable, "-m", "bot.cli", "serve", "--http", "--host", "127.0.0.1"]
        self.proc = subprocess.Popen(
            [*command, "--port", "0", "--log-level", "WARNING"],
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        atexit.register(_reap, self.proc)  # never left running if the soak itself fails
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            raise SystemExit(f"serve did not start: {line!r}")
        self.driver = Driver(line.split("listening on ", 1)[1].strip())
        self.rss.append(rss_mb(self.proc.pid))

    def kill(self) -> None:
        assert self.proc is not None
        self.rss.append(rss_mb(self.proc.pid))
        self.proc.kill()
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.rss.append(rss_mb(self.proc.pid))
            self.proc.terminate()
            self.proc.wait(timeout=15)


def _reap(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


def first_digests(slack: FakeSlack, threads: set[str] | dict) -> dict[str, tuple[float, set]]:
    """For each thread among ``threads``: when its first digest appeared, and every digest
    message in it (a posted digest, or a link's placeholder edited into one)."""
    found: dict[str, tuple[float, set]] = {}
    posted_in: dict[str, str] = {}  # placeholder ts -> thread
    for call in list(slack.calls):
        if not call.response.get("ok"):
            continue
        if call.method == "chat.postMessage":
            thread = call.args.get("thread_ts")
            posted_in[call.response["ts"]] = thread
            ts = call.response["ts"]
        elif call.method == "chat.update":
            thread, ts = posted_in.get(call.args["ts"]), call.args["ts"]
        else:
            continue
        if thread in threads and str(call.args.get("text", "")).startswith("Digest:"):
            found.setdefault(thread, (call.at, set()))[1].add(ts)
    return found


def send_event(bot: Bot, envelope: dict, *, tries: int = 20) -> bool:
    """Deliver an event the way Slack does: again (marked as a retry) until it is taken."""
    import json

    body = json.dumps(envelope)
    for attempt in range(tries):
        headers = {"X-Slack-Retry-Num": str(attempt)} if attempt else {}
        try:
            reply = bot.driver.post(body, content_type="application/json", headers=headers)
            if reply.status < 300:
                return True
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.5)
    return False


def _opened_view(slack: FakeSlack, trigger_id: str, *, since: int, timeout: float = 10.0):
    """The views.open call answering ``trigger_id`` (looked for among the calls after
    ``since``, polling outside the stand-in's lock so its handlers are never held up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for call in slack.calls[since:]:
            if (
                call.method == "views.open"
                and call.args.get("trigger_id") == trigger_id
                and (call.response or {}).get("ok")
            ):
                return call
        time.sleep(0.05)
    return None


def _review_value(message: dict) -> str | None:
    """The digest id on a message's *Review* button, if it has one."""
    for block in message.get("blocks") or []:
        for element in [block.get("accessory") or {}, *(block.get("elements") or [])]:
            if element.get("action_id") == "review_figures":
                return str(element.get("value"))
    return None


def _nudged(call) -> int:
    """How many digests' nudges a posted message carries (nudges due together share one)."""
    metadata = call.args.get("metadata") or {}
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    shared = str((metadata.get("event_payload") or {}).get("digest_ids") or "")
    return len(shared.split(",")) if shared else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="200 events (CI)")
    parser.add_argument("--events", type=int, help="events to send (default 2000)")
    parser.add_argument("--rate", type=float, default=20.0, help="events per second")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kills", type=int, default=2, help="SIGKILLs, evenly spread")
    parser.add_argument("--log", help="append serve's warnings and errors to this file")
    args = parser.parse_args()
    total = args.events or (200 if args.short else 2000)
    rng = random.Random(args.seed)

    with FakeSlack() as slack, PageServer() as pages, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "soak.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NEWSROOM_"))}
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.api_url,
            NEWSROOM_BOT_DB=str(db),
            NEWSROOM_BOT_FETCH_ALLOW_PRIVATE="true",
            NEWSROOM_BOT_NUDGE_AFTER="4s",
            NEWSROOM_BOT_MAX_NUDGES="1",
            NEWSROOM_BOT_RETRY_EVERY="1s",
            NEWSROOM_BOT_ROUNDUP_AT="off",
            NEWSROOM_BOT_WORK_HOURS="always",  # nudges at whatever hour the soak runs
            PYTHONPATH=str(ROOT),
        )
        log = open(args.log, "a") if args.log else subprocess.DEVNULL  # noqa: SIM115
        bot = Bot(env, tmp, log)
        bot.start()
        slack.chaos(rate_429=0.05, rate_500=0.02, seed=args.seed)

        articles: dict[str, float] = {}  # source ts -> when first sent
        sent = dict.fromkeys(("paste", "link", "command", "click", "redelivered"), 0)
        clicks_acked = 0
        rss_samples: list[float] = []
        ids = itertools.count(1)
        kills = {total * k // (args.kills + 1) for k in range(1, args.kills + 1)}
        began = time.monotonic()
        lock = threading.Lock()
        pool = ThreadPoolExecutor(8)  # like Slack, several deliveries in flight at once
        people = ThreadPoolExecutor(4)  # clicks wait for their review view: apart from events

        acked: set[str] = set()  # articles whose event the bot acknowledged
        recoveries: list[tuple[float, set[str]]] = []  # (restarted at, interrupted articles)

        def deliver(kind: str, envelope: dict, twice: bool) -> None:
            articles[envelope["event"]["ts"]] = time.monotonic()  # latency from delivery
            if send_event(bot, envelope):
                acked.add(envelope["event"]["ts"])
            if twice:
                send_event(bot, envelope)  # Slack delivers it twice

        def command(text: str) -> None:
            with contextlib.suppress(OSError):
                bot.driver.command(text, response_url=slack.response_url())

        def click(message: dict, chance: random.Random) -> None:
            """*Review figures* on a digest or nudge, then a choice from a menu in the view."""
            nonlocal clicks_acked
            payload = button_payload(
                "review_figures",
                _review_value(message) or "",
                response_url=slack.response_url(),
                message_ts=message["ts"],
            )
            seen = len(slack.calls)
            with contextlib.suppress(OSError):
                if bot.driver.interactive(payload).status != 200:
                    return
                opened = _opened_view(slack, payload["trigger_id"], since=seen)
                if opened is None:
                    return
                view = opened.response["view"]
                choices = [v for v in status_choices(view["blocks"]) if v[0] in "nrs"]
                if not choices:
                    return
                choice = view_select_payload(chance.choice(choices), view=view)
                if bot.driver.interactive(choice).status == 200:
                    with lock:
                        clicks_acked += 1

        for n in range(total):
            due = began + n / args.rate
            time.sleep(max(0.0, due - time.monotonic()))
            if n in kills:
                bot.kill()
                taken = set(acked)
                interrupted = taken - set(first_digests(slack, taken))
                bot.start()
                recoveries.append((time.monotonic(), interrupted))
            if n % 250 == 0:
                rss_samples.append(rss_mb(bot.proc.pid))
            roll = rng.random()
            if roll < 0.65:
                kind = "paste" if roll < 0.5 else "link"
                text = rng.choice(TEXTS) if kind == "paste" else f"<{pages.url(f'/article?n={n}')}>"
                ts = slack.add_message(CHANNEL, text, user="UREPORTER")
                envelope = event_envelope(message_event(text, ts=ts), event_id=f"EvS{next(ids)}")
                articles[ts] = time.monotonic()
                twice = rng.random() < 0.01
                sent[kind] += 1
                sent["redelivered"] += twice
                pool.submit(deliver, kind, envelope, twice)
            elif roll < 0.8:
                sent["command"] += 1
                pool.submit(command, rng.choice(TEXTS))
            else:
                reviews = [
                    m for m in slack.recent_messages(CHANNEL, 300) if _review_value(m) is not None
                ]
                if not reviews:
                    continue
                sent["click"] += 1
                people.submit(click, rng.choice(reviews), random.Random(rng.random()))
        pool.shutdown(wait=True)
        people.shutdown(wait=True)
        send_time = time.monotonic() - began

        # Settle: the outbox and replays finish, nudges fall due and go out.
        store = Store(db)
        deadline = time.monotonic() + (60 if args.short else 120)
        time.sleep(6)
        while time.monotonic() < deadline:
            now = utcnow()
            pending = store.unposted_digests(since=now - timedelta(hours=1))
            stale = store.stale_digests()
            overdue = [
                p
                for p in store.due_nudges()
                if p.next_at and p.next_at < (now - timedelta(seconds=3)).isoformat()
            ]
            if not pending and not stale and not overdue:
                break
            time.sleep(1)
        time.sleep(2)
        bot.stop()

        # What Slack shows, per source message.
        seen = first_digests(slack, articles)
        shown: dict[str, set[str]] = {ts: seen.get(ts, (0.0, set()))[1] for ts in articles}
        first_digest = {ts: at for ts, (at, _) in seen.items()}
        duplicates = sum(1 for s in shown.values() if len(s) > 1)
        for ts, messages in shown.items():
            if len(messages) > 1:
                print(f"duplicate digests in thread {ts}: {sorted(messages)}", file=sys.stderr)
        lost = sum(1 for s in shown.values() if not s)
        latencies = [(first_digest[ts] - articles[ts]) * 1000 for ts in first_digest]
        nudges_posted = sum(
            _nudged(c)
            for c in slack.calls
            if c.method == "chat.postMessage"
            and c.response.get("ok")
            and "still open" in str(c.args.get("text", ""))
        )
        nudges_recorded = store.db.execute("SELECT coalesce(sum(sent), 0) FROM nudges").fetchone()[
            0
        ]
        applied = store.db.execute(
            "SELECT count(*) FROM audit WHERE carried_from IS NULL"  # people's, not carried
        ).fetchone()[0]
        overdue_now = [
            p
            for p in store.due_nudges()
            if p.next_at and p.next_at < (utcnow() - timedelta(seconds=5)).isoformat()
        ]
        faults = sum(1 for c in slack.calls if c.status in {429, 500})
        # Recovery: restart to the digest of the last event the killed process had taken.
        recover = [
            max((first_digest.get(ts, float("inf")) for ts in interrupted), default=restarted)
            - restarted
            for restarted, interrupted in recoveries
        ]
        interrupted_total = sum(len(i) for _, i in recoveries)
        store.close()
        size_mb = db.stat().st_size / 1e6

    # Every acknowledged choice is in the log; one stored just before a SIGKILL (so Slack
    # showed the person an error) may be in it too, but never more than were sent.
    ok = (
        duplicates == 0
        and lost == 0
        and nudges_posted == nudges_recorded
        and not overdue_now
        and clicks_acked <= applied <= sent["click"]
        and all(r < 10 for r in recover)
    )
    mode = "--short" if args.short else ""
    print(f"python bench/soak.py {mode}".rstrip())
    print()
    print("| measure | value |")
    print("|---|---|")
    rows = [
        ("events sent", f"{sum(sent.values())} in {send_time:.0f} s ({total / send_time:.1f}/s)"),
        (
            "  pastes / links / commands / clicks",
            f"{sent['paste']} / {sent['link']} / {sent['command']} / {sent['click']}",
        ),
        ("  redelivered by 'Slack'", str(sent["redelivered"])),
        ("Web API faults injected (429 / 500)", str(faults)),
        ("SIGKILL + restart", str(len(kills))),
        ("  events interrupted by the kills", str(interrupted_total)),
        (
            "  time to recover p50 / max (must be < 10 s)",
            f"{statistics.median(recover):.1f} / {max(recover):.1f} s" if recover else "-",
        ),
        ("articles (pastes + links)", str(len(articles))),
        ("digests posted", str(sum(1 for s in shown.values() if s))),
        ("duplicates", f"{duplicates} (must be 0)"),
        ("lost", f"{lost} (must be 0)"),
        ("nudges posted / recorded sent", f"{nudges_posted} / {nudges_recorded}"),
        ("nudges overdue at the end", f"{len(overdue_now)} (must be 0)"),
        (
            "status choices sent / acknowledged / applied",
            f"{sent['click']} / {clicks_acked} / {applied}",
        ),
        (
            "paste-to-digest p50 / p95",
            f"{statistics.median(latencies):.0f} / {pct(latencies, 0.95):.0f} ms"
            if latencies
            else "-",
        ),
        ("serve RSS per segment (start, end)", " · ".join(f"{r:.0f}" for r in bot.rss) + " MB"),
        ("serve RSS every 250 events", " · ".join(f"{r:.0f}" for r in rss_samples) + " MB"),
        ("database size", f"{size_mb:.1f} MB"),
        ("result", "PASS" if ok else "FAIL"),
    ]
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
