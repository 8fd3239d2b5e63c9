"""The ledger at newsroom scale: 10,000 open figures across 1,000 digests (or 100,000).

    python bench/ledger.py [--digests 1000] [--channels 20] [--people 50] [--pastes 50]
    python bench/ledger.py --digests 10000      # 100,000 figures: story memory's target

Builds a ledger file (each digest a real engine digest of a 10-figure article, posted
and with a nudge planned a day out), then measures against the local Slack stand-in:

- ``serve --http`` start-up with that many pending nudges: first start (the scheduler's
  job store is created from the ledger) and a restart (jobs already persisted), from
  process start to "listening";
- App Home for a busy reporter, ``/digest pending`` for a busy channel, and the daily
  roundup over every channel (median of several runs; the first pays for permalinks);
- paste-to-digest on loopback with that ledger behind it (``--pastes`` articles like the
  ledger's, pasted one at a time into a public channel, so story memory finds earlier
  figures for every one of them; a tenth of the ledger's figures are verified).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import pct  # noqa: E402
from bot import digest  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack.app import web_client  # noqa: E402
from bot.slack.blocks import open_figures_message  # noqa: E402
from bot.slack.desk import Desk  # noqa: E402
from bot.slack.workspaces import Workspaces  # noqa: E402
from bot.store import Store, utcnow  # noqa: E402
from tests.drive import SIGNING_SECRET, TEAM_ID, Driver, message_event  # noqa: E402
from tests.slackfake import BOT_TOKEN, FakeSlack  # noqa: E402

AGENCIES = ["the health ministry", "Reuters", "the city council", "Acme Corp", "the UN"]
AREAS = ["north", "south", "east", "west", "central"]


def article(n: int) -> str:
    lines = [f"Floods force {1000 + n} families from homes in district {n}"]
    for i in range(5):
        lines.append(
            f"Officials said {100 + n + i * 7} families left the {AREAS[i]} quarter after the "
            "floods, "
            f"according to {AGENCIES[(n + i) % len(AGENCIES)]}. Repairs will cost "
            f"${i + 2} million, the agency said."
        )
    return "\n\n".join(lines)


def build(path: Path, *, digests: int, channels: int, people: int) -> int:
    store = Store(path)
    due = utcnow() + timedelta(days=1)
    figures = 0
    for c in range(channels):
        store.set_channel_private(f"C{c:04d}", False)
    for n in range(digests):
        channel, user = f"C{n % channels:04d}", f"U{n % people:04d}"
        result = digest(article(n))
        record = store.add_digest(
            result, team_id=TEAM_ID, channel=channel, source_ts=f"1.{n}", user_id=user
        )
        store.set_posted(record.id, channel=channel, message_ts=f"2.{n}", thread_ts=f"1.{n}")
        store.plan_nudges(record.id, due + timedelta(seconds=n))
        if n % 10 == 0:  # a tenth of the figures settled: what memory carries
            for f in store.figures(record.id)[:10]:
                if f.checkworthy:
                    store.change_status(f.key, "verified", actor=user, note="checked")
        figures += sum(1 for f in result.figures if f.checkworthy)
    store.close()
    return figures


def paste_latency(
    env: dict[str, str], slack: FakeSlack, *, pastes: int, first: int, memory: bool = True
) -> list:
    """Milliseconds from each paste's event to its digest in the thread, over HTTP (with
    story memory off, for comparison, when ``memory`` is False)."""
    days = {} if memory else {"NEWSROOM_BOT_MEMORY_DAYS": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--http", "--host", "127.0.0.1", "--port", "0"],
        env={**env, "NEWSROOM_BOT_ROUNDUP_AT": "off", **days},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        driver = Driver(line.split("listening on ", 1)[1].strip())
        out = []
        for n in range(first, first + pastes + 1):
            event = message_event(article(n), channel="C0000")
            began = time.perf_counter()
            driver.event(event)
            slack.wait_for(
                lambda e=event: any(
                    c.args.get("thread_ts") == e["ts"] for c in slack.calls_to("chat.postMessage")
                ),
                timeout=60,
            )
            out.append((time.perf_counter() - began) * 1000)
        return out[1:]  # the first pays for imports and auth.test
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def start_serve(env: dict[str, str]) -> float:
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--http", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - began
    proc.terminate()
    proc.wait(timeout=30)
    if "listening" not in line:
        raise SystemExit(f"serve did not start: {line!r}")
    return elapsed


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - began) * 1000)
    return runs[0], statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--digests", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--pastes", type=int, default=50)
    args = parser.parse_args()

    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ledger.db"
        began = time.perf_counter()
        figures = build(db, digests=args.digests, channels=args.channels, people=args.people)
        built = time.perf_counter() - began
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NEWSROOM_"))}
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.api_url,
            NEWSROOM_BOT_DB=str(db),
            PYTHONPATH=str(ROOT),
        )
        first_start = start_serve(env)
        restart = start_serve(env)

        settings = Settings(
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            api_url=slack.api_url,
            db_path=str(db),
        )
        store = Store(db)
        desk = Desk(settings, store, Workspaces(settings, web_client(settings)))
        home_first, home = timed(lambda: desk.home("U0000"))
        pending_first, pending = timed(
            lambda: open_figures_message(
                (figs := store.open_figures(channel="C0000")),
                heading="Open figures in this channel",
                empty="",
                permalinks=desk.permalinks(list(dict.fromkeys(f.digest_id for f in figs))[:30]),
            )
        )
        roundup_first, roundup = timed(desk.roundup, repeat=3)
        store.close()
        size_mb = db.stat().st_size / 1e6
        unmatched = paste_latency(env, slack, pastes=args.pastes, first=args.digests, memory=False)
        pastes = paste_latency(env, slack, pastes=args.pastes, first=args.digests + args.pastes + 1)

    print(f"python bench/ledger.py --digests {args.digests} --channels {args.channels}")
    print()
    print(f"ledger: {args.digests} digests, {figures} check-worthy figures", end="")
    print(f" (a tenth verified), {size_mb:.1f} MB,", end="")
    print(f" built in {built:.1f} s")
    print()
    print("| measure | first | median |")
    print("|---|---|---|")
    print(f"| serve start-up, jobs created from the ledger | {first_start * 1000:.0f} ms | |")
    print(f"| serve start-up, {args.digests} jobs persisted | {restart * 1000:.0f} ms | |")
    print(f"| App Home for a busy reporter | {home_first:.1f} ms | {home:.1f} ms |")
    print(f"| /digest pending, busy channel | {pending_first:.1f} ms | {pending:.1f} ms |")
    print(f"| roundup, {args.channels} channels | {roundup_first:.0f} ms | {roundup:.0f} ms |")
    for label, runs in (("story memory off", unmatched), ("with story memory", pastes)):
        print(
            f"| paste to digest, {label}, {len(runs)} pastes, p50 / p95 | "
            f"{statistics.median(runs):.1f} ms | {pct(runs, 0.95):.1f} ms (p95) |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
