"""A desk's day, replayed: what the bot posts while three people work through the corpus.

    python bench/desk_day.py [--nudges 3] [--thorough] [--batch 0]

Runs the real app over HTTP against the local Slack (tests/slackfake.py) with the
scheduler on and nudges a second apart. Pastes the seed and each article of
``../shared/corpus`` (the seed alone when it is absent) into one channel; on each digest
three people act on the first three open figures (Alice verifies one with a link and a
note, Bob snoozes one, Carol marks one not needed) through whatever controls the posted
digest offers; with ``--thorough`` they settle every check-worthy figure in turn (verified,
not needed, verified …). Then every nudge falls due (nudges due together in the channel go
out as one message unless ``--batch 0``). Prints how many messages the bot posted (and
their bytes, text and blocks as sent), edits and private replies, by kind.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import status_choices  # noqa: E402
from tests.conftest import _running  # noqa: E402
from tests.drive import (  # noqa: E402
    CHANNEL,
    message_event,
    select_payload,
    view_select_payload,
    view_submission,
)
from tests.slackfake import FakeSlack  # noqa: E402
from tests.test_verification import open_review  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
PEOPLE = (("UALICE", "verified"), ("UBOB", "snooze_1h"), ("UCAROL", "not_needed"))
CODES = {"verified": "v", "snooze_1h": "s1h", "not_needed": "n"}


def articles() -> list[str]:
    found = [(ROOT / "seeds" / "business-insider-russian-deserters.txt").read_text()]
    if CORPUS.is_dir():
        found += [p.read_text() for p in sorted(CORPUS.glob("*.txt"))]
    return found


def _value_for(values: list[str], key: str, choice: str) -> str | None:
    return next(
        (v for v in values if v.split("|")[0] == CODES[choice] and v.split("|")[1] == key), None
    )


def act(bot, slack: FakeSlack, record, key: str, choice: str, user: str) -> bool:
    """``user`` makes ``choice`` on figure ``key`` with the controls the digest offers."""
    message = next(m for m in slack.messages(CHANNEL) if m["ts"] == record.message_ts)
    forms_before = len(_forms(slack))
    # A menu on the digest or on one of its continuations (a digest in several messages).
    for candidate in [message, *_thread(slack, record)]:
        value = _value_for(status_choices(candidate["blocks"]), key, choice)
        if value is not None:
            message = candidate
            break
    if value is not None:  # a status menu on the message itself
        bot.driver.interactive(
            select_payload(value, message=message, user=user, response_url=slack.response_url())
        )
    else:  # the Review button, opening a modal with the menus (as the tests click it)
        view = open_review(bot, slack, message, user=user)
        value = _value_for(status_choices(view["blocks"]), key, choice)
        if value is None:
            return False
        bot.driver.interactive(view_select_payload(value, view=view, user=user))
    if choice == "verified":
        pushed = slack.wait_for(lambda: _forms(slack)[forms_before:])[0]
        bot.driver.interactive(
            view_submission(
                pushed.args["view"],
                {"evidence": "https://example.org/checked", "note": "Checked with the source"},
                user=user,
            )
        )
    slack.wait_for(lambda: (f := bot.store.figure(key)) and f.updated_by == user)
    return True


def _thread(slack: FakeSlack, record) -> list[dict]:
    return [
        m
        for m in slack.messages(CHANNEL)
        if m.get("thread_ts") == record.thread_ts and m["ts"] != record.message_ts
    ]


def _forms(slack: FakeSlack) -> list:
    """Every Verified form the app opened or pushed so far."""
    return [
        c
        for c in slack.calls_to("views.open") + slack.calls_to("views.push")
        if c.args["view"].get("callback_id") == "figure_verified"
    ]


def kind_of(call) -> str:
    text = str(call.args.get("text") or "")
    if text.startswith("Digest continued"):
        return "continuation"
    if text.startswith("Digest"):
        return "digest"
    if "still open" in text or "Nudge" in text or "nudge" in text:
        return "nudge"
    if any(w in text for w in ("verified", "snoozed", "marked", "reopened", "disputed")):
        return "status note"
    return "other"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nudges", type=int, default=3)
    parser.add_argument("--thorough", action="store_true", help="settle every figure")
    parser.add_argument("--batch", help="NEWSROOM_BOT_NUDGE_BATCH (default: the app's, 1h)")
    args = parser.parse_args()
    texts = articles()
    began = time.perf_counter()
    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        running = _running(
            slack,
            Path(tmp),
            scheduler=True,
            nudge_after="1s",
            max_nudges=args.nudges,
            work_hours="always",
            **({"nudge_batch": args.batch} if args.batch is not None else {}),
        )
        bot = next(running)
        try:
            records = []
            for text in texts:
                event = message_event(text)
                bot.driver.event(event)
                records.append(
                    slack.wait_for(
                        lambda e=event: (
                            (r := bot.store.digest_for_message(CHANNEL, e["ts"]))
                            and r.message_ts
                            and r
                        )
                    )
                )
            acted = 0
            for record in records:
                open_keys = [f.key for f in bot.store.figures(record.id) if f.status == "open"]
                if args.thorough:
                    turns = [
                        (user, "not_needed" if n % 2 else "verified")
                        for n, (user, _) in enumerate(PEOPLE * len(open_keys))
                    ]
                else:
                    turns = list(PEOPLE)
                for (user, choice), key in zip(turns, open_keys, strict=False):
                    acted += act(bot, slack, record, key, choice, user)
            # Every nudge falls due (1 s, 2 s, 4 s … apart) or nothing is left open.
            deadline = time.monotonic() + 2 ** (args.nudges + 1) + 10
            while time.monotonic() < deadline:
                plans = [bot.store.nudge_plan(r.id) for r in records]
                if all(p is None or p.next_at is None for p in plans):
                    break
                time.sleep(0.2)
            time.sleep(0.5)
        finally:
            next(running, None)
        posts = slack.calls_to("chat.postMessage")
        by_kind: Counter[str] = Counter()
        bytes_by_kind: Counter[str] = Counter()
        for call in posts:
            size = len(
                json.dumps({"text": call.args.get("text"), "blocks": call.args.get("blocks")})
            )
            by_kind[kind_of(call)] += 1
            bytes_by_kind[kind_of(call)] += size
        total_bytes = sum(bytes_by_kind.values())
        took = time.perf_counter() - began
        print(f"articles {len(texts)} · status changes {acted} · {took:.1f} s")
        print(f"messages posted {len(posts)} · {total_bytes / 1000:.1f} KB")
        for kind, n in by_kind.most_common():
            print(f"  {kind:<14} {n:4d} messages  {bytes_by_kind[kind] / 1000:7.1f} KB")
        print(f"edits (chat.update) {len(slack.calls_to('chat.update'))}")
        print(f"private replies (chat.postEphemeral) {len(slack.calls_to('chat.postEphemeral'))}")
        print(
            json.dumps(
                {"messages": len(posts), "bytes": total_bytes, "status_changes": acted}
                | {f"messages_{k.replace(' ', '_')}": n for k, n in by_kind.items()}
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
