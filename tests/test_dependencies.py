"""The dependency set: every runtime dependency is used, and every import is declared."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# Distribution name -> the module it is imported as.
MODULE = {
    "pydantic-settings": "pydantic_settings",
    "slack-bolt": "slack_bolt",
    "slack-sdk": "slack_sdk",
    "sqlite-utils": "sqlite_utils",
    "charset-normalizer": "charset_normalizer",
}
# Needed without being imported by name, and why.
INDIRECT = {
    "sqlalchemy": "APScheduler's SQLAlchemyJobStore persists the nudge jobs",
    "lxml_html_clean": "justext (trafilatura's fallback) imports lxml.html.clean from it",
}


def declared() -> dict[str, str]:
    names = {}
    for spec in PYPROJECT["project"]["dependencies"]:
        name = re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]
        names[name] = MODULE.get(name, name.replace("-", "_"))
    return names


def imported() -> set[str]:
    modules: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def test_every_runtime_dependency_is_used():
    used = imported()
    unused = {n for n, m in declared().items() if m not in used and n not in INDIRECT}
    assert not unused, unused


def test_every_third_party_import_is_declared():
    third_party = imported() - set(sys.stdlib_module_names) - {"bot"}
    assert third_party <= set(declared().values()), third_party - set(declared().values())


def test_every_dependency_has_an_upper_bound():
    for spec in PYPROJECT["project"]["dependencies"]:
        assert "<" in spec, f"{spec}: pin a major version range"
