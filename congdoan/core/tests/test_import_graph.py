"""The import graph of the apps: the kernel imports no domain app, the domain apps respect one layering,
and no module reaches for another app's ``_private`` names.

Every module under ``congdoan/<app>/`` is parsed with ``ast`` (tests and migrations skipped; the
project-level modules ``settings``, ``urls``, ``cli``, ``conftest`` … wire everything and are not an
app). An arrow ``a → b`` is any ``import``/``from … import`` of ``congdoan.b`` in ``a`` — at the top or
inside a function, relative imports resolved — and any string constant naming a module of ``b``
(``"congdoan.b.module.function"``: a dependency hidden from the linters is still a dependency).

The layering, lowest first. An app may import the apps below it, never one above:

- ``core``, ``accounts``: the kernel (formatting, periods, audit, registries; users, roles, scope).
  Accounts' ``RoleAssignment`` points at ``org.OrgUnit`` by a lazy model reference, not an import.
- ``imports``: the tabular reader and the job pages. It knows no kind of file: org, members and
  indicators register their importers (``core.registry``) and use its reader.
- ``org``: units, the dated tree, employers, clusters.
- ``members``: people and memberships, in org units.
- ``indicators``: the roll-up engine and its provider registry; it counts memberships and units.
- ``bargaining``: agreements; registers its computed indicators.
- ``conferences``: conferences and dialogues; builds on bargaining (enterprise sectors, the CĐCS
  picker, the demo's agreements) and registers its computed indicators.
- ``care``: care campaigns, cases and payments; reads members and registers its computed indicators.
- ``loans``: the poor-workers loan fund (funds, journal, products, projects, loans, arrears); builds on
  members and org and registers its computed indicators and report section.
- ``reports``: reads figures of indicators and names of org.
- ``figures``: the figure checker; reads figures of indicators (the engine) and units of org.
- ``api``: the router only (built from ``core.registry``); no app imports it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # congdoan/
KERNEL = ("core", "accounts")
LAYERS = (
    "core",
    "accounts",
    "imports",
    "org",
    "members",
    "indicators",
    "bargaining",
    "conferences",
    "care",
    "loans",
    "emulation",
    "plans",
    "recommendations",
    "activities",
    "inspections",
    "disputes",
    "reports",
    "figures",
    "api",
)
DOMAIN = frozenset(LAYERS) - frozenset(KERNEL)

# Arrows that break the rules today, each with why it is still there. The test fails on any arrow
# not listed here and on a listed one that no longer occurs (then delete its line).
# (module, imported module, name) — name "" for a plain ``import`` or a dotted string.
KNOWN_EXCEPTIONS: set[tuple[str, str, str]] = set()


@dataclass(frozen=True)
class Arrow:
    module: str  # congdoan.members.services
    target: str  # congdoan.org.services
    name: str  # the imported name, "" for ``import x`` or a dotted string
    line: int

    @property
    def source_app(self) -> str:
        return self.module.split(".")[1]

    @property
    def target_app(self) -> str:
        return self.target.split(".")[1]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.module, self.target, self.name)

    def __str__(self) -> str:
        what = f"{self.target}.{self.name}" if self.name else self.target
        return f"{self.module}:{self.line} → {what}"


def app_modules(package: Path = PACKAGE) -> Iterator[tuple[str, Path]]:
    """``(dotted name, path)`` of every module of every app (tests and migrations left out)."""
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts or parts[-1] == "conftest.py":
            continue
        dotted = ".".join((package.name, *path.with_suffix("").relative_to(package).parts))
        yield dotted.removesuffix(".__init__"), path


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([name] if name else []))


def arrows_of(module: str, source: str, *, is_package: bool = False) -> list[Arrow]:
    """The arrows from ``module`` to other apps of ``congdoan``, read from its source."""
    app = module.split(".")[1]
    found: list[Arrow] = []

    def add(target: str, name: str, line: int) -> None:
        parts = target.split(".")
        if len(parts) >= 2 and parts[0] == "congdoan" and parts[1] != app and parts[1] in LAYERS:
            found.append(Arrow(module, target, name, line))

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, "", node.lineno)
        elif isinstance(node, ast.ImportFrom):
            target = (
                _resolve(module, is_package, node.level, node.module) if node.level else node.module or ""
            )
            for alias in node.names:
                add(target, alias.name, node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if text.startswith("congdoan.") and text.count(".") >= 2 and " " not in text:
                add(text, "", node.lineno)
    return found


def all_arrows() -> list[Arrow]:
    arrows: list[Arrow] = []
    for module, path in app_modules():
        arrows += arrows_of(module, path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py")
    return arrows


def violations(arrows: list[Arrow]) -> list[Arrow]:
    """Arrows breaking a rule: into a domain app from the kernel, upwards in the layering, or to a
    ``_private`` name of another app."""
    bad = []
    for arrow in arrows:
        source, target = arrow.source_app, arrow.target_app
        kernel_to_domain = source in KERNEL and target in DOMAIN
        upwards = LAYERS.index(target) > LAYERS.index(source)
        private = arrow.name.startswith("_") or arrow.target.split(".")[-1].startswith("_")
        if kernel_to_domain or upwards or private:
            bad.append(arrow)
    return bad


@pytest.fixture(scope="module")
def arrows() -> list[Arrow]:
    return all_arrows()


def test_every_app_has_a_layer() -> None:
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    assert apps == set(LAYERS), "add the new app to LAYERS (and to the docstring) where it belongs"


def test_the_kernel_imports_no_domain_app(arrows: list[Arrow]) -> None:
    offending = [str(a) for a in arrows if a.source_app in KERNEL and a.target_app in DOMAIN]
    assert offending == []


def test_no_app_imports_an_app_above_it_or_private_names_outside_the_known_exceptions(
    arrows: list[Arrow],
) -> None:
    bad = violations(arrows)
    new = sorted(str(a) for a in bad if a.key not in KNOWN_EXCEPTIONS)
    assert new == [], "new arrows against the layering or to private names"
    gone = sorted(KNOWN_EXCEPTIONS - {a.key for a in bad})
    assert gone == [], "fixed: remove these from KNOWN_EXCEPTIONS"


# -- the checker itself: it sees what it must see ---------------------------------------------------


def test_imports_inside_functions_relative_imports_and_dotted_strings_are_arrows() -> None:
    source = """
from congdoan.core.text import fold
from . import selectors
from ..org import tree

def f():
    from congdoan.reports.selectors import report_build
    import congdoan.api.urls

RUN = "congdoan.members.member_import.import_members"
LABEL = "congdoan.org là gì"
"""
    found = {(a.target, a.name) for a in arrows_of("congdoan.indicators.views", source)}
    assert found == {
        ("congdoan.core.text", "fold"),
        ("congdoan.org", "tree"),
        ("congdoan.reports.selectors", "report_build"),
        ("congdoan.api.urls", ""),
        ("congdoan.members.member_import.import_members", ""),
    }
    names = {str(a) for a in violations(arrows_of("congdoan.indicators.views", source))}
    # Upwards to reports and api are refused; down to core, org and members is fine.
    assert names == {
        "congdoan.indicators.views:7 → congdoan.reports.selectors.report_build",
        "congdoan.indicators.views:8 → congdoan.api.urls",
    }


def test_the_kernel_reaching_into_org_and_private_names_are_refused() -> None:
    kernel = arrows_of("congdoan.accounts.scope", "from congdoan.org import tree\n")
    assert [str(a) for a in violations(kernel)] == ["congdoan.accounts.scope:1 → congdoan.org.tree"]
    private = arrows_of("congdoan.reports.views", "from congdoan.org.views import _show\n")
    assert [str(a) for a in violations(private)] == ["congdoan.reports.views:1 → congdoan.org.views._show"]
