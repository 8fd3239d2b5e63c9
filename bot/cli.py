"""``newsroom-bot``: the digest in a terminal, the evaluation, and (later) the Slack app.

The CLI only wires the library: ``bot.digest`` does the work, ``bot.eval`` scores it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.errors import BotError, InputError

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


def _fail(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Digest news articles: the figures they cite, who gave them, what to check.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = sub.add_parser("digest", help="digest an article file (or - for standard input)")
    d.add_argument("path", metavar="PATH|-", help="article text file, or - to read stdin")
    d.add_argument("--json", action="store_true", help="print the newsroom-bot/digest@1 JSON")
    d.add_argument("--title", help="headline, when the text does not start with it")
    d.add_argument("--url", help="where the article was published")
    d.add_argument("--outlet", help="the publishing outlet")
    d.set_defaults(run=_digest)

    e = sub.add_parser("eval", help="score digests against NAME.gold.json annotations")
    e.add_argument("dirs", nargs="+", metavar="DIR", help="folders of NAME.txt + NAME.gold.json")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.set_defaults(run=_eval)
    return parser


def _digest(args: argparse.Namespace) -> int:
    from bot import digest
    from bot.textinput import read_article

    if args.path.startswith(("http://", "https://")):
        raise InputError("links are not read yet; save or paste the article's text instead")
    text = read_article(args.path)
    result = digest(text, title=args.title, url=args.url, outlet=args.outlet)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        from bot.render import render_terminal

        render_terminal(result)
    return 0


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
