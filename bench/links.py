"""Link-to-digest latency on loopback: a pasted link until the digest is edited in place.

    python bench/links.py [--n 50]

Starts the local Slack stand-in, the local page server (tests/pages.py: our own article
page and, when ../shared/corpus is beside the checkout, the ten real news pages) and
``newsroom-bot serve --http`` as its own process. Pastes N links (each a distinct URL, so
neither the page cache nor the "already digested" pointer short-cuts them) and times each
from sending the event to Slack receiving the chat.update that puts the digest in place.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import pct  # noqa: E402
from tests.drive import SIGNING_SECRET, Driver, message_event  # noqa: E402
from tests.pages import CORPUS, PageServer  # noqa: E402
from tests.slackfake import BOT_TOKEN, FakeSlack  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50, help="links to paste (default 50)")
    args = parser.parse_args()
    pages = ["/article"] + [f"/corpus/{p.stem}" for p in sorted(CORPUS.glob("*.html"))]

    with FakeSlack() as slack, PageServer() as site, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NEWSROOM_"))}
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.api_url,
            NEWSROOM_BOT_DB=str(Path(tmp) / "bench.db"),
            NEWSROOM_BOT_FETCH_ALLOW_PRIVATE="true",
            PYTHONPATH=str(ROOT),
        )
        command = [sys.executable, "-m", "bot.cli", "serve", "--http", "--host", "127.0.0.1"]
        proc = subprocess.Popen(
            [*command, "--port", "0", "--log-level", "WARNING"],
            cwd=tmp,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            driver = Driver(proc.stdout.readline().split("listening on ", 1)[1].strip())

            def paste(n: int) -> float:
                url = site.url(f"{pages[n % len(pages)]}?n={n}")
                event = message_event(f"<{url}>")
                began = time.perf_counter()
                driver.event(event)
                placeholder = slack.wait_for(
                    lambda: next(
                        (
                            c
                            for c in slack.calls_to("chat.postMessage")
                            if c.args.get("thread_ts") == event["ts"]
                        ),
                        None,
                    ),
                    timeout=30,
                )
                slack.wait_for(
                    lambda: any(
                        c.args.get("ts") == placeholder.response["ts"]
                        for c in slack.calls_to("chat.update")
                    ),
                    timeout=30,
                )
                return (time.perf_counter() - began) * 1000

            paste(-1)  # warm-up: imports, auth.test, trafilatura's first parse
            latencies = [paste(n) for n in range(args.n)]
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    print(f"python bench/links.py --n {args.n}   ({len(pages)} distinct pages)")
    print()
    print("| links | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    print(
        f"| {args.n} | {statistics.median(latencies):.0f} | {pct(latencies, 0.95):.0f} "
        f"| {max(latencies):.0f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
