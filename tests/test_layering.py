"""The import rule of docs/architecture.md, checked on every package of the project, the project
package included: each package imports only packages of the layers below it (and, within the
domain, only the domain packages the table allows), and no import hides inside a function to
dodge a cycle.

The one place an import sits inside a function on purpose is ``AppConfig.ready()`` in an app's
``apps.py``: Django loads ``apps.py`` before the models, so the modules that register
notification kinds, signal receivers and the drafts' answer source are imported there.
Imports under ``if TYPE_CHECKING:`` are for the type checker only and are not counted.
Migrations are data, not code that runs beside the app, and are not checked."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Each package and the packages it may import. Read bottom-up: library, infrastructure,
#: domain, composition, project.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "notifications": {"core"},
    "pdf": {"core"},
    "teams": {"core", "notifications"},
    "swot": {"core", "notifications", "teams"},
    "actions": {"core", "notifications", "teams"},
    "drafts": {"core", "notifications", "pdf", "teams", "actions"},
    # Following the adopted programme's actions, above the draft whose adopted version names them.
    "implementation": {"core", "notifications", "teams", "actions", "drafts"},
    "consultations": {"core", "notifications", "pdf", "teams", "swot", "actions", "drafts"},
    "documents": {
        "core",
        "pdf",
        "teams",
        "swot",
        "actions",
        "drafts",
        "implementation",
        "consultations",
    },
    "opendata": {"core", "teams", "swot", "actions", "drafts", "implementation", "consultations"},
    "demo": {"core", "teams", "swot", "actions", "drafts", "consultations"},
    "krakow_ngo": {
        "core",
        "notifications",
        "pdf",
        "teams",
        "swot",
        "actions",
        "drafts",
        "implementation",
        "consultations",
        "documents",
        "opendata",
        "demo",
    },
}
PACKAGES = set(ALLOWED)


def _sources(package: str) -> list[Path]:
    return [
        path for path in sorted((ROOT / package).rglob("*.py")) if "migrations" not in path.parts
    ]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Imports(ast.NodeVisitor):
    """Every project import of a module, with whether it sits inside a function."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.found: list[tuple[str, int, str | None]] = []  # (package, line, function)
        self._functions: list[str] = []

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._functions.append(node.name)
        self.generic_visit(node)
        self._functions.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def _add(self, name: str, line: int) -> None:
        top = name.split(".")[0]
        if top in PACKAGES:
            self.found.append((top, line, self._functions[-1] if self._functions else None))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:
            self._add(node.module, node.lineno)
        elif node.level:
            # A relative import stays inside the package, but a hidden one still counts.
            self._add(self.module.split(".")[0], node.lineno)


def _imports(package: str) -> list[tuple[Path, str, int, str | None]]:
    found = []
    for path in _sources(package):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        visitor = _Imports(module)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        found += [(path, top, line, function) for top, line, function in visitor.found]
    return found


def test_every_package_is_in_the_table() -> None:
    """A new top-level package must be placed in a layer before it can be imported."""
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "benchmarks", "scripts", "docs"}
    }
    assert packages == PACKAGES


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_package_imports_only_the_layers_below_it(package: str) -> None:
    forbidden = sorted(
        f"{path.relative_to(ROOT)}:{line} imports {top}"
        for path, top, line, _function in _imports(package)
        if top != package and top not in ALLOWED[package]
    )
    assert not forbidden, "\n".join(forbidden)


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_import_hides_inside_a_function(package: str) -> None:
    hidden = sorted(
        f"{path.relative_to(ROOT)}:{line} in {function}()"
        for path, _top, line, function in _imports(package)
        if function is not None and not (path.name == "apps.py" and function == "ready")
    )
    assert not hidden, "\n".join(hidden)


def test_the_table_has_no_cycle() -> None:
    seen: set[str] = set()

    def visit(package: str, path: tuple[str, ...]) -> None:
        assert package not in path, f"cycle: {' → '.join((*path, package))}"
        if package in seen:
            return
        for below in ALLOWED[package]:
            visit(below, (*path, package))
        seen.add(package)

    for package in PACKAGES:
        visit(package, ())
