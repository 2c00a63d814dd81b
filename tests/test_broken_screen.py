"""broken-import parses only the modules whose text leaves a doubt, and reports exactly what a
parse of every module, every statement checked against every module it imports from, reports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from importcanon.adapters.loading import ScanOptions, load_project
from importcanon.application.analyses.broken_imports import _breaks, _finding, _Screen, find_broken_imports
from importcanon.application.symbols import Resolver
from importcanon.domain.contracts import ContractSet
from importcanon.domain.facts import TextImport
from importcanon.domain.findings import Finding
from importcanon.domain.modules import within_any

MODULES = ("app/__init__.py", "app/a.py", "app/b.py", "app/pack/__init__.py", "app/pack/c.py")
#: Imports of names that exist, or not, through every way a module can have a name (or seem to):
#: a column-0 ``Z=1`` inside a call's brackets (a keyword argument) and an annotation holding an
#: ``=`` seem to bind and do not.
PIECES = [
    "print(\nZ=1)",
    'Y: "a=b"',
    "from app.a import X",
    "from app.b import Y, Z as W",
    "from app.pack import X",
    "from .c import Z",
    "from . import c, nothing",
    "from app.pack.c import *",
    "from app.a import *",
    "from .b import *",
    "from os.path import *",
    "import app.gone",
    "from app.gone import X",
    "X = 1",
    "X: int = 1",
    "Y: int",
    "class Y:\n    Z = 1",
    "def Z():\n    pass",
    "__all__ = ['X']",
    "__all__ = ['Y', '_Q']",
    "_Q = 2",
    "try:\n    from app.b import X\nexcept ImportError:\n    try:\n        import app.a as Y\n"
    "    except ImportError:\n        Y = None",
    "if TYPE_CHECKING:\n    from .c import Y",
    "class K:\n    from app.a import Z",
    "def f():\n    from app.b import X\n    return X",
    "'''\nfrom app.pack.c import *\n'''",
    "def __getattr__(name):\n    return name",
    "x = f'{X}'",
    '"""\nZ = 1\nclass X:\n    pass\n"""',
    "if TYPE_CHECKING:\n    doc = '''\n    Y = 1\n'''",
    'doc = "\\\nfrom app.a import Z"',
]


def _findings(found: list[Finding]) -> list[tuple[Any, ...]]:
    return sorted((f.path, f.line, f.message, f.suggestion, repr(f.details), f.identity) for f in found)


def _every_statement_parsed(root: Path) -> list[Finding]:
    """The oracle: every module parsed, every import statement checked."""
    project, _ = load_project(root, ["app"], [], ScanOptions(), None)
    resolver = Resolver(project)
    found = []
    for module in sorted(project.modules):
        parsed = resolver.parsed(module)
        for statement in parsed.imports if parsed is not None else ():
            for broken in _breaks(resolver, module, statement):
                found.append(_finding(resolver, ContractSet(), module, statement, broken))
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=4), min_size=len(MODULES), max_size=len(MODULES)))
@example([[], [PIECES[-3]], ["from app.a import X", "from app.a import Z"], [PIECES[-2]], ["from ..b import Y"]])
def test_the_findings_are_those_of_a_parse_of_every_module(project: Callable[[Mapping[str, str]], Path], texts):
    root = project({".importlinter": "[importlinter]\nroot_package = app\n"})
    for relative, pieces in zip(MODULES, texts, strict=True):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(pieces) + "\n")
    project_, _ = load_project(root, ["app"], [], ScanOptions(), None)

    screened = find_broken_imports(Resolver(project_), ContractSet())

    assert _findings(screened) == _findings(_every_statement_parsed(root))


def _may_break_one_by_one(screen: _Screen, module: str, statement: TextImport) -> bool:
    """The first look as it was, one ``TextImport`` object per statement, each name judged after
    the list of those the module does not show (the oracle of ``_Screen.any_may_break``, which
    reads the rows with the module's package resolved once, and judges name by name)."""
    resolver = screen.resolver
    if statement.level == 0:
        source = statement.module
        if source is None:
            return any(resolver.missing_module(name) for name, _ in statement.names)
    else:
        source = resolver.import_source(module, statement)
        if source is None:
            return True
    if source == module:
        return True  # from itself: judged by the parse (see broken_imports._from_itself)
    if not within_any(source, resolver.project.root_packages):
        return False
    if resolver.missing_module(source):
        return True
    evident = resolver.project.facts.evident_names
    unseen = [
        name
        for name, _ in statement.names
        if name != "*" and not resolver.has_module(f"{source}.{name}") and name not in evident(source)
    ]
    if unseen and not all(screen._has(source, name) for name in unseen):
        screen.doubted.add(source)
        return True
    return False


RELATIVE = [
    "from . import a, gone",
    "from .. import a",
    "from ... import a",
    "from .... import x",
    "from .a import X, Y",
    "from ..pack.c import Z",
    "from .pack import c",
    "import app.pack.gone, os",
    "from app import pack",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(PIECES + RELATIVE), max_size=5), min_size=len(MODULES), max_size=len(MODULES)))
def test_the_rows_screen_picks_the_modules_the_statement_screen_picks(project, texts):
    root = project({".importlinter": "[importlinter]\nroot_package = app\n"})
    for relative, pieces in zip(MODULES, texts, strict=True):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(pieces) + "\n")
    project_, _ = load_project(root, ["app"], [], ScanOptions(), None)
    resolver = Resolver(project_)
    rows = {module: project_.facts.text_imports(module) for module in sorted(project_.modules)}
    screen, oracle = _Screen(resolver), _Screen(resolver)

    picked = [module for module, found in rows.items() if screen.any_may_break(module, found)]
    expected = [
        module
        for module, found in rows.items()
        if any(_may_break_one_by_one(oracle, module, TextImport(*row)) for row in found)
    ]

    assert picked == expected
    assert screen.doubted == oracle.doubted
