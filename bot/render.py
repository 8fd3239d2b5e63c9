"""The digest for a person at a terminal (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.core.models import Digest, Figure, plural


def format_value(f: Figure) -> str:
    """A figure's reading in a few characters: "115+", "≤ 350,000,000", "242–330", "vague"."""

    def num(x: float | int) -> str:
        if isinstance(x, float) and not x.is_integer():
            return f"{x:,.4g}" if abs(x) < 1 else f"{x:,.2f}".rstrip("0").rstrip(".")
        return f"{int(x):,}"

    if f.low is not None and f.high is not None:
        return f"{num(f.low)}–{num(f.high)}"
    if f.low is not None:
        return f"≥ {num(f.low)}"
    if f.high is not None:
        return f"≤ {num(f.high)}"
    if f.value is not None:
        return ("~" if f.hedged else "") + num(f.value)
    return f.qualifier.replace("_", " ") if f.qualifier != "exact" else "—"


def render_terminal(d: Digest, *, console: Console | None = None) -> None:
    """Print the digest: headline, outlet, summary, figures table, sources."""
    console = console or Console(highlight=False)
    a = d.article
    console.print(Text(a.title or "(untitled article)", style="bold"))
    meta = " · ".join(x for x in (a.outlet, a.byline, a.published, a.url) if x)
    if meta:
        console.print(Text(meta, style="dim"))
    if d.summary:
        console.print()
        console.print(d.summary)
    console.print()
    others = sum(1 for f in d.figures if not f.checkworthy)
    line = Text(d.count_line() + " · " + plural(len(d.claims), "claim"), style="bold")
    if others:
        line.append(f" · {plural(others, 'more number')} not flagged", style="dim")
    console.print(line)
    if d.figures:
        table = Table(show_lines=False, expand=False)
        table.add_column("figure", overflow="fold")
        table.add_column("kind")
        table.add_column("value", justify="right")
        table.add_column("source", overflow="fold")
        table.add_column("status")
        table.add_column("why check", overflow="fold")
        for f in d.figures:
            source = d.source(f.source_id)
            status = f.status if f.checkworthy else "—"
            table.add_row(
                f.text,
                f.kind,
                format_value(f),
                source.name if source else "unattributed",
                Text(status, style="yellow" if status == "open" else "dim"),
                ", ".join(f.reasons),
            )
        console.print(table)
    if d.sources:
        console.print(Text("Sources", style="bold"))
        for src in d.sources:
            line = Text(f"  {src.name}", style="bold")
            line.append(f"  {src.kind}", style="cyan")
            if src.description:
                line.append(f" — {src.description}")
            if src.claim_ids:
                line.append(f"  ({plural(len(src.claim_ids), 'claim')})", style="dim")
            console.print(line)


def render_rows(
    rows: list[dict], columns: list[str], *, title: str, console: Console | None = None
) -> None:
    """A table of ledger or audit rows for a terminal (the widest columns left out)."""
    console = console or Console(highlight=False)
    shown = [c for c in columns if c not in {"claim_text", "permalink", "key", "figure_key"}]
    table = Table(title=f"{title}: {plural(len(rows), 'row')}")
    names = {
        "digest_created_at": "date",
        "source_name": "source",
        "figure_text": "figure",
        "updated_by_name": "by",
        "actor_name": "by",
    }
    for column in shown:
        table.add_column(names.get(column, column.replace("_", " ")), overflow="fold")
    for row in rows:
        cells = []
        for c in shown:
            value = "" if row.get(c) is None else str(row.get(c))
            if c in ("digest_created_at", "at", "updated_at") and len(value) > 16:
                value = value[:16].replace("T", " ")  # to the minute, UTC
            cells.append(value)
        table.add_row(*cells)
    console.print(table)
