"""Many workspaces on one node: digests/s, CPU per digest, nudge lateness and memory.

    python bench/workspaces.py [--workspaces 200] [--rates 4,8,16,20,24,32] [--seconds 15]

Starts the local Slack stand-in and ``newsroom-bot serve --http`` in OAuth mode (many
workspaces) as a separate process, installs ``--workspaces`` workspaces through
``/slack/install`` (each gets its own token), then pastes the seed article at each offered
rate for ``--seconds``, spread round-robin over the workspaces (a channel each), open loop:
a paste goes when it is due, whether or not the last one is done. Each digest's first
nudge falls due ``--nudge-after`` seconds after it is posted, so nudges for every
workspace come due while pastes keep arriving.

``serve`` is pinned to CPU 0 and this process (the stand-in and the driver) to CPU 1
(``sched_setaffinity``, as ``taskset`` does), so the bot's figures are one core's. Prints,
per offered rate: digests/s achieved, paste-to-digest p50/p95, CPU ms per digest (serve's
user+system time over the step, per digest), serve's RSS; then the nudges' lateness
(posted minus due) and whether every digest and nudge went out with its own workspace's
token. One process saturates where the achieved rate falls behind the offered one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import pct, rss_mb  # noqa: E402
from tests.drive import SIGNING_SECRET, Driver, message_event  # noqa: E402
from tests.slackfake import CLIENT_ID, CLIENT_SECRET, FakeSlack, _bearer  # noqa: E402

SEED = (ROOT / "seeds" / "business-insider-russian-deserters.txt").read_text()
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def pin(cpu: int) -> None:
    """Run this process (and what it starts) on one CPU, as ``taskset -c`` does."""
    if hasattr(os, "sched_setaffinity") and cpu < (os.cpu_count() or 1):
        os.sched_setaffinity(0, {cpu})


def start_serve(env: dict[str, str], cwd: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "bot.cli", "serve", "--http"),
            *("--host", "127.0.0.1", "--port", "0", "--log-level", "WARNING"),
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: pin(0),
    )
    assert proc.stdout is not None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("serve ended before it listened")
        if "listening on " in line:
            return proc, line.split("listening on ", 1)[1].strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspaces", type=int, default=200)
    parser.add_argument("--rates", default="4,8,16,20,24,32", help="offered pastes/s, per step")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each step")
    parser.add_argument("--nudge-after", type=float, default=10.0, help="first nudge delay, s")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    pin(1)

    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NEWSROOM_"))}
        env.update(
            SLACK_CLIENT_ID=CLIENT_ID,
            SLACK_CLIENT_SECRET=CLIENT_SECRET,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.api_url,
            NEWSROOM_BOT_DB=str(Path(tmp) / "bench.db"),
            NEWSROOM_BOT_NUDGE_AFTER=f"{args.nudge_after}s",
            NEWSROOM_BOT_NUDGE_BATCH="0",
            NEWSROOM_BOT_MAX_NUDGES="1",
            NEWSROOM_BOT_WORK_HOURS="always",
            NEWSROOM_BOT_ROUNDUP_AT="off",
            PYTHONPATH=str(ROOT),
        )
        proc, url = start_serve(env, tmp)
        try:
            driver = Driver(url)
            teams = [f"T{n:05d}" for n in range(args.workspaces)]
            began = time.perf_counter()
            for team in teams:
                reply = driver.install(lambda t=team: slack.approve_install(t))
                assert reply.status == 200, reply.body[:200]
            install_s = time.perf_counter() - began
            tokens = {team: slack.token_of(team) for team in teams}
            sent: dict[str, tuple[float, str]] = {}  # event ts -> (monotonic send, team)
            lock = threading.Lock()

            def paste(n: int) -> None:
                team = teams[n % len(teams)]
                event = message_event(SEED, channel=f"C{team[1:]}", team=team)
                with lock:
                    sent[event["ts"]] = (time.monotonic(), team)
                driver.event(event)

            # Warm-up: imports, the first connection, the first query plans.
            for n in range(4):
                paste(n)
            slack.wait_for(lambda: len(digests(slack)) >= 4, timeout=60)
            rows = []
            n = 4
            for rate in rates:
                step_began = time.monotonic()
                cpu_before = cpu_seconds(proc.pid)
                with ThreadPoolExecutor(32) as pool:
                    count = int(rate * args.seconds)
                    for i in range(count):
                        due = step_began + i / rate
                        time.sleep(max(0.0, due - time.monotonic()))
                        pool.submit(paste, n)
                        n += 1
                wanted = {ts for ts, (at, _) in sent.items() if at >= step_began}
                done = slack.wait_for(
                    lambda w=wanted: all_in(digests(slack, w), w),
                    timeout=max(60.0, 4 * args.seconds),
                )
                last = max(c.at for c in done.values())
                cpu = cpu_seconds(proc.pid) - cpu_before
                latencies = [(done[ts].at - sent[ts][0]) * 1000 for ts in wanted]
                rows.append(
                    {
                        "offered": rate,
                        "digests": len(done),
                        "achieved": len(done) / (last - step_began),
                        "p50": pct(latencies, 0.5),
                        "p95": pct(latencies, 0.95),
                        "cpu_ms": cpu / len(done) * 1000,
                        "rss": rss_mb(proc.pid),
                    }
                )
            # Every digest's nudge: wait for the last ones to fall due and go out.
            total = len(sent)
            slack.wait_for(lambda: len(nudges(slack)) >= total, timeout=args.nudge_after + 120)
            posted = digests(slack, set(sent))
            late = [
                (call.at - (posted[ts].at + args.nudge_after)) * 1000
                for ts, call in nudges(slack).items()
                if ts in posted
            ]
            wrong = sum(
                1
                for c in slack.calls_to("chat.postMessage")
                if c.args.get("thread_ts") in sent
                and _bearer(c.headers) != tokens[sent[c.args["thread_ts"]][1]]
            )
            rss_end = rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    print(
        f"python bench/workspaces.py --workspaces {args.workspaces} --rates {args.rates}"
        f" --seconds {args.seconds:g} --nudge-after {args.nudge_after:g}"
    )
    print(f"\n{args.workspaces} workspaces installed by OAuth in {install_s:.1f} s")
    print(
        "\n| offered pastes/s | digests | achieved digests/s | p50 ms | p95 ms"
        " | CPU ms per digest | serve RSS MB |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['offered']:g} | {r['digests']} | {r['achieved']:.1f} | {r['p50']:.0f}"
            f" | {r['p95']:.0f} | {r['cpu_ms']:.1f} | {r['rss']:.0f} |"
        )
    print(
        f"\nnudges: {len(late)} of {len(posted)} digests; lateness p50 {pct(late, 0.5):.0f} ms,"
        f" p95 {pct(late, 0.95):.0f} ms, max {max(late):.0f} ms"
    )
    print(f"posts with another workspace's token: {wrong}; serve RSS at the end {rss_end:.0f} MB")
    return 0


def digests(slack: FakeSlack, wanted: set[str] | None = None) -> dict:
    """The digest each pasted message got (chat.postMessage in its thread), by its ts."""
    out = {}
    for c in slack.calls_to("chat.postMessage"):
        ts = c.args.get("thread_ts")
        if ts and (wanted is None or ts in wanted) and "still open" not in c.args.get("text", ""):
            out.setdefault(ts, c)
    return out


def all_in(found: dict, wanted: set[str]) -> dict | None:
    """``found`` once it holds every one of ``wanted``."""
    return found if len(found) >= len(wanted) else None


def nudges(slack: FakeSlack) -> dict:
    """The first nudge of each digest (a thread reply saying figures are still open)."""
    out = {}
    for c in slack.calls_to("chat.postMessage"):
        if "still open" in c.args.get("text", "") and c.args.get("thread_ts"):
            out.setdefault(c.args["thread_ts"], c)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
