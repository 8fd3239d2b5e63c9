"""What the benchmarks share: a percentile, a process's resident memory, and the status
menus of a Slack message or view."""

from __future__ import annotations

from pathlib import Path


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def status_choices(blocks: list[dict]) -> list[str]:
    """The value (``code|figure key|version``) of every option of every status menu in
    these blocks (beside a section, or in an actions block)."""
    out = []
    for block in blocks:
        for element in [block.get("accessory") or {}, *(block.get("elements") or [])]:
            options = element.get("options") or [
                o for g in element.get("option_groups") or [] for o in g.get("options", [])
            ]
            out += [str(o["value"]) for o in options if "|" in str(o.get("value"))]
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc), NaN where unknown."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
