"""``ScopedImports.closes`` (the question fix and can-import ask) against check's own analysis.

On random graphs whose imports are module-level, deferred or under ``if TYPE_CHECKING:``, spread
over two packages of which a random part is the ``[cycles]`` scope: a new import closes a cycle
exactly when check, run with it, puts it on a cycle it was not on (or on an import-time cycle
when it was only on deferred ones), of the kind check gives it and the length of check's cycle.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.application.cycle_breaking import analyse_cycles, cyclic_imports
from importcanon.application.cycles import CycleScope, ScopedImports
from importcanon.application.digraphs import Digraph
from importcanon.application.project import Project
from importcanon.domain.cycles import CyclicImport, EdgeFacts
from importcanon.domain.facts import ImportKind, SourceModule
from importcanon.domain.modules import within_test

NODES = [f"pkg.{package}.m{i}" for package in "ab" for i in range(4)]
PACKAGES = {"pkg": True, "pkg.a": True, "pkg.b": True, **dict.fromkeys(NODES, False)}
KINDS = st.sampled_from([ImportKind.MODULE, ImportKind.DEFERRED, ImportKind.TYPE_CHECKING, ImportKind.GUARDED])

Statement = tuple[str, str, ImportKind]


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Statement], CycleScope, Statement]:
    """Import statements (an edge may have several, of different kinds), a scope, a new one."""
    pairs = st.tuples(st.sampled_from(NODES), st.sampled_from(NODES))
    statements = draw(st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES), KINDS), max_size=30))
    packages = draw(st.sampled_from([("pkg",), ("pkg.a",), ("pkg.b",), ("pkg.a", "pkg.b")]))
    scope = CycleScope(packages, exclude_type_checking=draw(st.booleans()))
    u, v = draw(pairs.filter(lambda pair: pair[0] != pair[1]))
    return [s for s in statements if s[0] != s[1]], scope, (u, v, draw(KINDS))


def project_of(statements: list[Statement]) -> Project:
    """A project the scan would give for these statements (every kind known: nothing parsed)."""
    imports: dict[str, list[tuple[str, int, str, ImportKind | None]]] = {}
    for importer, imported, kind in statements:
        listed = imports.setdefault(importer, [])
        listed.append((imported, len(listed) + 1, f"import {imported}", kind))
    modules = {
        name: SourceModule(name, name.replace(".", "/") + ("/__init__.py" if package else ".py"), package)
        for name, package in PACKAGES.items()
    }
    return Project(
        root=Path("."),
        root_packages=("pkg",),
        modules=modules,
        namespace_packages=(),
        imports=imports,
        problems=(),
        facts=None,  # type: ignore[arg-type]  # every kind is known: the facts are never asked
    )


def checked(statements: list[Statement], scope: CycleScope) -> dict[tuple[str, str], CyclicImport]:
    """Every import on a cycle, as check's analysis finds them in ``scope`` (its algorithm, without
    the cache that needs real files)."""
    in_scope = within_test(scope.packages)
    runs: dict[tuple[str, str], bool] = {}
    for u, v, kind in statements:
        if in_scope(u) and in_scope(v) and not (scope.exclude_type_checking and kind is ImportKind.TYPE_CHECKING):
            runs[(u, v)] = runs.get((u, v), False) or kind.runs_at_import
    graph = Digraph(sorted(m for m in PACKAGES if in_scope(m)), sorted(runs))

    def facts(u: str, v: str) -> EdgeFacts:
        return EdgeFacts(1, runs[(u, v)])

    found = cyclic_imports(analyse_cycles(graph, facts), facts)
    return {(item.importer, item.imported): item for item in found}


@settings(max_examples=400, deadline=None)
@given(cases())
def test_a_new_import_closes_the_cycle_check_would_report_with_it(case):
    statements, scope, new = case
    importer, imported, kind = new
    before = checked(statements, scope).get((importer, imported))
    after = checked([*statements, new], scope).get((importer, imported))

    closed = ScopedImports(project_of(statements), scope).closes(importer, imported, kind)

    new_cycle = after is not None and (before is None or (after.import_time and not before.import_time))
    assert (closed is not None) == new_cycle
    if closed is not None and after is not None:
        assert closed.import_time == after.import_time
        assert closed.modules[0] == closed.modules[-1] == importer and closed.modules[1] == imported
        assert len(closed.modules) - 1 == len(after.cycle)  # a shortest one, as check's


@settings(max_examples=200, deadline=None)
@given(cases(), st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES), KINDS), max_size=4))
def test_imports_added_count_as_if_they_had_been_scanned(case, added):
    statements, scope, new = case
    added = [s for s in added if s[0] != s[1]]
    grown = ScopedImports(project_of(statements), scope)
    for u, v, kind in added:
        grown.add(u, v, kind)

    scanned = ScopedImports(project_of([*statements, *added]), scope)

    assert grown.closes(*new) == scanned.closes(*new)
