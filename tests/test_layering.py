"""The import rule of docs/architecture.md: swot and actions may import teams; consultations
may import teams, swot and actions; teams imports none of them. No cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = {"teams", "swot", "actions", "consultations"}
ALLOWED = {
    "teams": set(),
    "swot": {"teams"},
    "actions": {"teams"},
    "consultations": {"teams", "swot", "actions"},
}


def imported_apps(app: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / app).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in APPS and top != app:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("app", sorted(APPS))
def test_app_imports_only_what_the_architecture_allows(app: str) -> None:
    forbidden = {
        other: files for other, files in imported_apps(app).items() if other not in ALLOWED[app]
    }
    assert not forbidden, f"{app} imports {forbidden}"
