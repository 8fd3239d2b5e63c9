"""Stop and restart, repeated: ``serve --http`` with 50 digests in flight, stopped, started again.

    python bench/lifecycle.py              # 20 rounds of each way of stopping
    python bench/lifecycle.py --rounds 5 --ways sigkill

Each round starts ``serve --http`` on a fresh ledger against the local Slack (every
``chat.postMessage`` answered 0.2 s late, so the listeners are busy), delivers 50 pasted
articles at once, and as soon as Slack has its 50 acknowledgements stops the process one way:

- ``sigterm``: SIGTERM with the default bound (10 s): running work should finish;
- ``bound``: SIGTERM with ``NEWSROOM_BOT_STOP_TIMEOUT=0.2s``: work is left at the bound;
- ``sigkill``: SIGKILL, no warning at all.

Then it starts ``serve`` again on the same file and waits until every article has its
digest. It counts crashes (a non-zero exit or a fatal error on SIGTERM), digests posted
twice and digests lost, and times the stop and the recovery (restart to the last digest).
Prints a table; exits 1 on any crash, duplicate or loss, or a recovery of 10 s or more.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import pct  # noqa: E402
from tests.slackfake import FakeSlack  # noqa: E402
from tests.test_lifecycle import digests_per_thread, left_running, paste_all  # noqa: E402
from tests.test_serve import serve_http  # noqa: E402
from tests.test_slack_app import SEED  # noqa: E402

WAYS = ("sigterm", "bound", "sigkill")


def one_round(way: str) -> dict:
    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        slack.delay("chat.postMessage", 0.2)
        env = {"NEWSROOM_BOT_STOP_TIMEOUT": "0.2s"} if way == "bound" else {}
        proc, driver = serve_http(Path(tmp), slack, "--log-level", "INFO", **env)
        pasted = paste_all(slack, driver, [SEED] * 50)
        began = time.monotonic()
        if way == "sigkill":
            proc.kill()
        else:
            proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        stop_s = time.monotonic() - began
        crashed = way != "sigkill" and (proc.returncode != 0 or "Fatal Python error" in err)
        left = left_running(err)
        undone = sum(1 for ts in pasted if not digests_per_thread(slack)[ts])

        restarted = time.monotonic()
        proc, _ = serve_http(Path(tmp), slack)
        deadline = restarted + 30
        while time.monotonic() < deadline:
            if all(digests_per_thread(slack)[ts] for ts in pasted):
                break
            time.sleep(0.05)
        recovered_s = time.monotonic() - restarted
        time.sleep(0.5)  # anything posted twice would show by now
        counts = digests_per_thread(slack)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
        return {
            "stop_s": stop_s,
            "left": left,
            "undone": undone,
            "recover_s": recovered_s if undone else 0.0,
            "twice": sum(1 for ts in pasted if counts[ts] > 1),
            "lost": sum(1 for ts in pasted if counts[ts] == 0),
            "crashed": crashed,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="rounds of each way")
    parser.add_argument("--ways", nargs="+", choices=WAYS, default=list(WAYS))
    args = parser.parse_args()

    results: dict[str, list[dict]] = {way: [] for way in args.ways}
    for n in range(args.rounds):
        for way in args.ways:
            results[way].append(one_round(way))
        print(f"round {n + 1}/{args.rounds} done", file=sys.stderr, flush=True)

    ok = True
    command = "python bench/lifecycle.py"
    if args.rounds != 20 or list(args.ways) != list(WAYS):
        command += f" --rounds {args.rounds} --ways {' '.join(args.ways)}"
    print(command)
    print()
    print(
        "| stop | rounds | stop p50 / max | left at bound | undone at stop"
        " | recovery p50 / p95 / max | twice | lost | crashes |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for way, rows in results.items():
        stops = [r["stop_s"] for r in rows]
        recover = [r["recover_s"] for r in rows if r["undone"]]
        twice = sum(r["twice"] for r in rows)
        lost = sum(r["lost"] for r in rows)
        crashes = sum(r["crashed"] for r in rows)
        ok = ok and not (twice or lost or crashes) and all(x < 10 for x in recover)
        recovery = (
            f"{statistics.median(recover):.2f} / {pct(recover, 0.95):.2f} / {max(recover):.2f} s"
            if recover
            else "-"
        )
        print(
            f"| {way} | {len(rows)} | {statistics.median(stops):.2f} / {max(stops):.2f} s"
            f" | {sum(r['left'] for r in rows)} | {sum(r['undone'] for r in rows)}"
            f" | {recovery} | {twice} | {lost} | {crashes} |"
        )
    print()
    print("result:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
