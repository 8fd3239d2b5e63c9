"""Paste-to-digest latency over real HTTP on loopback, and ``serve``'s memory.

    python bench/slack_e2e.py [--n 100] [--concurrency 1]

Starts the local Slack stand-in (tests/slackfake.py) and ``newsroom-bot serve --http`` as
a separate process pointed at it, pastes the seed article N times as signed
``message.channels`` events (each a new message), and times each from sending the event
to the stand-in receiving the threaded digest (chat.postMessage). Prints p50/p95/max,
throughput, and serve's RSS before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import pct, rss_mb  # noqa: E402
from tests.drive import SIGNING_SECRET, Driver, message_event  # noqa: E402
from tests.slackfake import BOT_TOKEN, FakeSlack  # noqa: E402

SEED = (ROOT / "seeds" / "business-insider-russian-deserters.txt").read_text()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="pastes to send (default 100)")
    parser.add_argument("--concurrency", type=int, default=1, help="pastes in flight")
    args = parser.parse_args()

    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NEWSROOM_"))}
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.api_url,
            NEWSROOM_BOT_DB=str(Path(tmp) / "bench.db"),
            PYTHONPATH=str(ROOT),
        )
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "serve",
                "--http",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--log-level",
                "WARNING",
            ],
            cwd=tmp,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            line = proc.stdout.readline()
            url = line.split("listening on ", 1)[1].strip()
            driver = Driver(url)
            # Warm-up: first request pays for imports and auth.test.
            warm = message_event(SEED)
            driver.event(warm)
            slack.wait_for(lambda: slack.calls_to("chat.postMessage"), timeout=30)
            rss_start = rss_mb(proc.pid)

            def one(_: int) -> float:
                event = message_event(SEED)
                began = time.perf_counter()
                driver.event(event)
                slack.wait_for(
                    lambda: any(
                        c.args.get("thread_ts") == event["ts"]
                        for c in slack.calls_to("chat.postMessage")
                    ),
                    timeout=30,
                )
                return (time.perf_counter() - began) * 1000

            began = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                latencies = list(pool.map(one, range(args.n)))
            wall = time.perf_counter() - began
            rss_end = rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    print(f"python bench/slack_e2e.py --n {args.n} --concurrency {args.concurrency}")
    print()
    print("| pastes | p50 ms | p95 ms | max ms | digests/s | RSS start MB | RSS end MB |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {args.n} | {statistics.median(latencies):.1f} | {pct(latencies, 0.95):.1f} "
        f"| {max(latencies):.1f} | {args.n / wall:.1f} | {rss_start:.1f} | {rss_end:.1f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
