"""``newsroom-bot``: the digest in a terminal, the Slack app, the evaluation, the ledger.

The CLI only wires the library: ``bot.digest`` does the work, ``bot.eval`` scores it,
``bot.store`` keeps the verification record that ``ledger`` exports.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import BotError, ConfigError, InputError

if TYPE_CHECKING:
    from datetime import datetime

    from bot.store import Store

PROG = "newsroom-bot"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code (2 for bad input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except BotError as exc:
        _fail(str(exc))
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line for the person, not a traceback
        _fail(f"unexpected error ({type(exc).__name__}: {exc}); please report it")
        return 1


def _is_html(path: str, text: str) -> bool:
    """A saved web page (by its name, or its first characters)."""
    head = text.lstrip()[:100].lower()
    return path.lower().endswith((".html", ".htm")) or head.startswith(("<!doctype html", "<html"))


def _fail(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Digest news articles: the figures they cite, who gave them, what to check.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = sub.add_parser("digest", help="digest an article: a file, - for standard input, or a URL")
    d.add_argument(
        "path", metavar="PATH|URL|-", help="article text file, a link to the article, or -"
    )
    shape = d.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the newsroom-bot/digest@1 JSON")
    shape.add_argument(
        "--blocks",
        action="store_true",
        help="print the Slack Block Kit message of the digest",
    )
    d.add_argument("--title", help="headline, when the text does not start with it")
    d.add_argument("--url", help="where the article was published")
    d.add_argument("--outlet", help="the publishing outlet")
    d.set_defaults(run=_digest)

    g = sub.add_parser(
        "ledger", help="export the verification record: each check-worthy figure and its status"
    )
    g.add_argument(
        "--status",
        type=lambda v: v.strip().lower().replace("-", "_").replace(" ", "_"),
        choices=["open", "snoozed", "verified", "disputed", "not_needed", "reopened"],
        help="only figures with this status (snoozed: open but asleep); with --audit, "
        "only changes to it, or of this action",
    )
    g.add_argument("--channel", help="only this channel (its ID, e.g. C0123456)")
    g.add_argument(
        "--team", help="only this workspace (its ID, e.g. T0123456): one newsroom's record"
    )
    g.add_argument("--since", help="only digests from this date on (YYYY-MM-DD, UTC)")
    g.add_argument("--audit", action="store_true", help="the audit log (every change) instead")
    g.add_argument("--db", help="the SQLite file (default: NEWSROOM_BOT_DB or newsroom-bot.db)")
    out = g.add_mutually_exclusive_group()
    out.add_argument("--csv", action="store_true", help="CSV on standard output")
    out.add_argument("--json", action="store_true", help="JSON on standard output")
    out.add_argument(
        "--wide", action="store_true", help="every column in the terminal table (default: 80)"
    )
    out.add_argument(
        "--claimreview",
        action="store_true",
        help="the verified and disputed figures as schema.org ClaimReview JSON-LD",
    )
    g.add_argument(
        "--desk",
        default="News desk",
        help="the reviewing desk's name, ClaimReview's author (default: News desk)",
    )
    g.set_defaults(run=_ledger)

    s = sub.add_parser("serve", help="run the Slack app (Socket Mode, or --http)")
    s.add_argument("--http", action="store_true", help="serve /slack/events over HTTP")
    s.add_argument("--host", default="0.0.0.0", help="HTTP address to bind (default 0.0.0.0)")
    s.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000; 0 = any)")
    s.add_argument(
        "--no-scheduler",
        dest="scheduler",
        action="store_false",
        help="do not run nudges and the roundup here (extra HTTP workers; run exactly one"
        " process with the scheduler)",
    )
    s.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    s.add_argument(
        "--log-format",
        default="text",
        choices=["text", "json"],
        help="one line per event as text (default) or as JSON for log collectors",
    )
    s.set_defaults(run=_serve)

    e = sub.add_parser("eval", help="score digests against NAME.gold.json annotations")
    e.add_argument("dirs", nargs="+", metavar="DIR", help="folders of NAME.txt + NAME.gold.json")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.set_defaults(run=_eval)
    return parser


def _digest(args: argparse.Namespace) -> int:
    from bot import digest
    from bot.textinput import read_article

    if args.path.startswith(("http://", "https://")):
        from bot.errors import FetchError
        from bot.ingest import digest_link
        from bot.settings import load_settings

        try:
            result = digest_link(args.path, allow_private=load_settings().fetch_allow_private)
        except FetchError as exc:
            if exc.kind != "blocked":
                raise
            raise FetchError(
                exc.kind,
                f"{exc} (set NEWSROOM_BOT_FETCH_ALLOW_PRIVATE=true to read internal addresses, "
                "an intranet CMS say)",
            ) from None
    else:
        text = read_article(args.path)
        if _is_html(args.path, text):
            # A saved page: the article comes out of it as it does for a link.
            from bot.ingest.extract import extract

            page = extract(text, url=args.url or Path(args.path).resolve().as_uri())
            result = digest(
                page.article_text(),
                title=args.title or page.title,
                url=args.url,
                outlet=args.outlet or page.outlet,
            )
        else:
            result = digest(text, title=args.title, url=args.url, outlet=args.outlet)
    if args.json:
        print(result.model_dump_json(indent=2))
    elif args.blocks:
        import json

        from bot.slack.blocks import digest_message

        message = digest_message(result)
        print(json.dumps(message.model_dump(), indent=2, ensure_ascii=False))
    else:
        from bot.render import render_terminal

        render_terminal(result)
    return 0


def _serve(args: argparse.Namespace) -> int:
    import logging
    import os

    from bot.logs import configure
    from bot.settings import load_settings
    from bot.slack.app import build
    from bot.slack.server import Stopper, run_http, run_socket_mode

    settings = load_settings()
    configure(args.log_level, fmt=args.log_format, secrets=settings.secrets())

    def announce(line: str) -> None:
        print(f"{PROG}: {line}", flush=True)

    if settings.oauth and not args.http:
        raise ConfigError(
            "SLACK_CLIENT_ID is set: installs by OAuth need HTTP mode (`newsroom-bot serve --http`)"
        )
    if not args.http and not settings.secret("app_token"):
        raise ConfigError(
            "SLACK_APP_TOKEN is not set: set it for Socket Mode,"
            " or run `newsroom-bot serve --http` with SLACK_SIGNING_SECRET"
        )
    bot = build(settings, socket_mode=not args.http)
    stopper = Stopper(bot.stop)
    bot.lifecycle.on_fenced = lambda: stopper.request("lease lost")
    bot.start(scheduler=args.scheduler)
    if settings.oauth:
        base = (settings.install_url or f"http://{args.host}:{args.port}").rstrip("/")
        announce(f"workspaces install the app at {base}/slack/install")
    try:
        if args.http:
            run_http(bot.app, host=args.host, port=args.port, announce=announce, stopper=stopper)
        else:
            token = settings.secret("app_token") or ""
            run_socket_mode(bot.app, app_token=token, announce=announce, stopper=stopper)
    finally:
        report = bot.close(exiting=True)
    code = 1 if report.fenced else 0
    if report.left:
        # Work still running at the bound is left in the ledger for the next process; end
        # now rather than let it carry on (it would race its successor).
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _ledger(args: argparse.Namespace) -> int:
    import csv
    import json
    from datetime import UTC, datetime
    from pathlib import Path

    from bot.settings import load_settings
    from bot.store import Store

    path = args.db or load_settings().db_path
    if not Path(path).is_file():
        raise InputError(f"no ledger at {path} (set NEWSROOM_BOT_DB or pass --db)")
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            raise InputError(f"--since {args.since!r} is not a date like 2026-11-24") from None
        since = since if since.tzinfo else since.replace(tzinfo=UTC)
    store = Store(path)
    try:
        if args.claimreview:
            return _claimreview(store, args, since=since)
        if args.audit:
            rows = [
                e.model_dump()
                for e in store.audit()
                if (not args.channel or e.channel == args.channel)
                and (not args.team or e.team_id == args.team)
                and (since is None or datetime.fromisoformat(e.at) >= since)
                and (not args.status or args.status in (e.new_status, e.action))
            ]
            columns = list(AUDIT_COLUMNS)
        else:
            status = args.status if args.status not in ("snoozed", "reopened") else "open"
            figures = store.ledger(
                status=status, channel=args.channel, since=since, team_id=args.team
            )
            if args.status in ("snoozed", "open"):  # open: awake; snoozed: asleep
                figures = [f for f in figures if f.snoozed() == (args.status == "snoozed")]
            rows = [
                {c: getattr(f, c) for c in LEDGER_COLUMNS}
                | {"status": "snoozed" if f.snoozed() else f.status}
                for f in figures
            ]
            columns = list(LEDGER_COLUMNS)
        # People and channels by name where the bot has learnt them (users.info and
        # conversations.info, kept in the ledger), beside their ids.
        named = ["actor", "channel"] if args.audit else ["updated_by", "user_id", "channel"]
        names = store.names(r.get(c) for r in rows for c in named)
        for row in rows:
            for c in named:
                row[f"{c}_name"] = names.get(row.get(c) or "")
        columns += [f"{c}_name" for c in named]
    finally:
        store.close()
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        from rich.console import Console

        from bot.render import render_rows

        narrow = AUDIT_NARROW if args.audit else LEDGER_NARROW
        if not args.wide:  # a name, or the id where none was learnt
            rows = [{**r, **{f"{c}_name": r[f"{c}_name"] or r.get(c) for c in named}} for r in rows]
        render_rows(
            rows,
            columns if args.wide else list(narrow),
            title="Audit log" if args.audit else "Verification ledger",
            # --wide: every column at its width, for a wide terminal or a pager.
            console=Console(highlight=False, width=240) if args.wide else None,
        )
    return 0


def _claimreview(store: Store, args: argparse.Namespace, *, since: datetime | None) -> int:
    import json

    from bot.claimreview import claim_reviews

    figures = [
        f
        for status in ("verified", "disputed")
        for f in store.ledger(status=status, channel=args.channel, since=since, team_id=args.team)
    ]
    digests = {}
    for digest_id in dict.fromkeys(f.digest_id for f in figures):
        record = store.digest(digest_id)
        if record is not None:
            digests[digest_id] = record.digest
    figures.sort(key=lambda f: (f.digest_created_at or "", f.position))
    print(json.dumps(claim_reviews(figures, digests, desk=args.desk), indent=2, ensure_ascii=False))
    return 0


LEDGER_COLUMNS = (
    "digest_created_at",
    "channel",
    "user_id",
    "title",
    "text",
    "kind",
    "source_name",
    "status",
    "snoozed_until",
    "updated_by",
    "updated_at",
    "note",
    "evidence_url",
    "correction",
    "claim_text",
    "permalink",
    "key",
    "team_id",
)
# What the terminal shows by default: readable at 80 columns (--wide, or --csv, for all).
LEDGER_NARROW = ("digest_created_at", "text", "source_name", "status", "updated_by_name")
AUDIT_NARROW = ("at", "figure_text", "actor_name", "action")
AUDIT_COLUMNS = (
    "at",
    "channel",
    "figure_text",
    "actor",
    "action",
    "old_status",
    "new_status",
    "note",
    "evidence_url",
    "correction",
    "snoozed_until",
    "figure_key",
    "team_id",
)


def _eval(args: argparse.Namespace) -> int:
    from bot.eval import print_report, score_dirs

    report = score_dirs(args.dirs)
    if not report.articles:
        raise InputError("no NAME.txt with a NAME.gold.json beside it in " + ", ".join(args.dirs))
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
