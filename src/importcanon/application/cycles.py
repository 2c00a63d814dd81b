"""Import cycles, counted in a way that is defined and bounded.

A real 3,400-module graph has a 180-module strongly connected component holding millions of
simple cycles, so cycles are never enumerated. For each component that has a cycle a *break set*
is computed (a small set of imports whose removal makes the component acyclic) and, as
representatives, the shortest cycle through each import of the break set. That is deterministic,
never more cycles than the component has imports, and every cycle reported is one a developer
can break by removing the import it is reported for.

A cycle is ``import-time`` when every import on it runs unconditionally at module level, so that
importing any module on it can fail at start-up with a partially initialised module; such cycles
get representatives of their own even when a shorter deferred cycle shares their imports.

The algorithms live in :mod:`importcanon.application.cycle_breaking`; this module holds the
results and the entry point, which reuses the last analysis when no file in scope has changed,
and :class:`ScopedImports`, which tells whether one more import would close a new cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, NoReturn

from importcanon.application.cycle_breaking import analyse_cycles, cyclic_components, cyclic_imports
from importcanon.application.digraphs import Digraph, reached, smallest_shortest_path
from importcanon.application.project import Project
from importcanon.domain.contracts import CycleContract, ImportLinterConfig
from importcanon.domain.cycles import Cycle, CycleComponent, CyclicImport, Edge, EdgeFacts, cycle_kind
from importcanon.domain.errors import ConfigurationError, UsageError
from importcanon.domain.facts import ImportKind
from importcanon.domain.modules import is_within, within_test


class CycleScope(NamedTuple):
    """What a cycle analysis covers: these packages, with or without TYPE_CHECKING imports."""

    packages: tuple[str, ...]
    exclude_type_checking: bool = True


def cycle_scope(project: Project, contract: CycleContract | None, packages: Sequence[str] = ()) -> CycleScope:
    """The packages asked for, else the ``[cycles]`` contract's, else every root package; each
    must be a package of the project (an error naming the contract's line, or the option)."""
    chosen = tuple(packages) or (contract.packages if contract and contract.packages else None)
    for package in chosen or ():
        if not any(is_within(module, package) for module in project.modules):
            if packages:
                raise UsageError(f"{package} is not a module or package of the project")
            origin = contract.origin if contract else None
            raise ConfigurationError(
                f"[cycles] packages: {package} is not a package of the project",
                path=origin.path if origin else None,
                line=origin.line if origin else None,
            )
    return CycleScope(chosen or project.root_packages, contract.exclude_type_checking if contract else True)


class ClosedCycle(NamedTuple):
    """A cycle one more import would close: from its importer round to the importer again."""

    modules: tuple[str, ...]
    import_time: bool  # every import on it, the new one too, runs at module level

    @property
    def kind(self) -> str:
        """The word check's import-cycle findings use for such a cycle."""
        return cycle_kind(self.import_time)

    def __str__(self) -> str:
        return " -> ".join(self.modules)


def counted_import(project: Project, scope: CycleScope, importer: str, imported: str) -> bool:
    """Whether check's analysis of ``scope`` counts the scanned import ``importer -> imported``
    (both in the scope's modules): not when every statement behind it is under
    ``if TYPE_CHECKING:`` and the scope leaves those out."""
    return not (scope.exclude_type_checking and project.typing_only(importer, imported))


def reached_through_counted_imports(project: Project, scope: CycleScope, start: str) -> frozenset[str]:
    """The modules of the scope that ``start`` reaches through the imports check's analysis
    counts: a new import of ``start`` in any of them closes a cycle check would report. One walk
    over the scan's records (no graph is built for it), bounded by the scope's imports."""
    within = within_test(scope.packages)
    if start not in project.modules or not within(start):
        return frozenset()
    seen, pending = {start}, [start]
    while pending:
        module = pending.pop()
        for imported in project.import_counts(module):
            if (
                imported not in seen
                and imported in project.modules
                and within(imported)
                and counted_import(project, scope, module, imported)
            ):
                seen.add(imported)
                pending.append(imported)
    return frozenset(seen)


class CycleClosing:
    """Whether a new import of ``home`` in ``module`` closes a cycle the ``[cycles]`` contract
    reports, as ``fix`` and ``can-import`` decide (:class:`ScopedImports`): ``home`` reaches
    ``module`` through the imports the contract counts, and ``module`` has no such import of
    ``home`` yet. The question the advice of non-canonical-import and legacy-import asks of the
    import it names; one walk per home over the scan's records, whatever the number of its
    importers (``ScopedImports`` builds a graph of every edge, which costs more per run)."""

    def __init__(self, project: Project, scope: CycleScope | None) -> None:
        self.project = project
        self.scope = scope
        self._reach: dict[str, frozenset[str]] = {}

    def closes(self, home: str, module: str, kind: ImportKind) -> bool:
        """For a new ``kind`` import (one under ``if TYPE_CHECKING:`` closes none where the
        scope leaves those out)."""
        scope = self.scope
        if scope is None or (scope.exclude_type_checking and kind is ImportKind.TYPE_CHECKING):
            return False
        if home not in self._reach:
            self._reach[home] = reached_through_counted_imports(self.project, scope, home)
        if module == home or module not in self._reach[home]:
            return False
        return not (home in self.project.import_counts(module) and counted_import(self.project, scope, module, home))


class ScopedImports:
    """The imports a cycle scope counts, as check's analysis counts them, with those a caller adds:
    the one answer ``can-import`` and ``fix`` give to "would this import close a new cycle", so
    that they object only to a cycle check would report, and name the same one.

    An import counts when both its modules are in the scope's packages and, when the scope leaves
    out TYPE_CHECKING imports, a statement behind it is not under ``if TYPE_CHECKING:``. Of the
    shortest cycles a new import would close, the one named is an import-time one when there is
    one (as check prefers them), and the smallest by module names (the same on every run).

    Bounded: each question walks the scope's imports a fixed number of times, and reads the kinds
    of only the imports on some way back from the imported module to the importer.
    """

    def __init__(self, project: Project, scope: CycleScope) -> None:
        self.project = project
        self.scope = scope
        self.exclude_type_checking = scope.exclude_type_checking
        self.modules = frozenset(filter(within_test(scope.packages), project.modules))
        self.scanned = {(u, v) for u, v in project.import_edges if u in self.modules and v in self.modules}
        self.graph = Digraph(sorted(self.modules), sorted(self.scanned))
        self.added: set[Edge] = set()  # added imports that count
        self.added_at_import: set[Edge] = set()
        self._between: dict[Edge, frozenset[str]] = {}  # the last question's (see _way_back)

    def add(self, importer: str, imported: str, kind: ImportKind) -> None:
        """Count a new import from now on (fix adds each edit it keeps, so that two edits that
        close a cycle only together are caught too)."""
        if importer in self.modules and imported in self.modules and self._counts(kind):
            if not self.graph.has_edge(importer, imported):
                self.graph.add_edge(importer, imported)
                self._between.clear()
            self.added.add((importer, imported))
            if kind.runs_at_import:
                self.added_at_import.add((importer, imported))

    def closes(self, importer: str, imported: str, kind: ImportKind) -> ClosedCycle | None:
        """The cycle a new ``kind`` import of ``imported`` in ``importer`` would close and that the
        scope does not have already; None when there is none. An import that is there already
        closes nothing new, unless it only ran later (or only for type checkers) and the new one
        runs at import time: then a new import-time cycle is all it can close."""
        if not (self._counts(kind) and self._in_scope(importer, imported)):
            return None
        counted = self.counts(importer, imported)
        if kind.runs_at_import and not (counted and self.runs_at_import(importer, imported)):
            closed = self.import_time_cycle(importer, imported)
            if closed is not None:
                return closed
        if counted:
            return None
        path = self._way_back(imported, importer, self.counts)
        return ClosedCycle((importer, *path), import_time=False) if path else None

    def import_time_cycle(self, importer: str, imported: str) -> ClosedCycle | None:
        """The import-time cycle a module-level import of ``imported`` in ``importer`` would lie
        on, new or not; None when nothing ``imported`` imports at import time leads back."""
        if not self._in_scope(importer, imported):
            return None
        path = self._way_back(imported, importer, self.runs_at_import)
        return ClosedCycle((importer, *path), import_time=True) if path else None

    def counts(self, importer: str, imported: str) -> bool:
        """Whether the import is one of the scope's (scanned or added) that the analysis counts."""
        edge = (importer, imported)
        if edge in self.added:
            return True
        return edge in self.scanned and counted_import(self.project, self.scope, importer, imported)

    def runs_at_import(self, importer: str, imported: str) -> bool:
        edge = (importer, imported)
        return edge in self.added_at_import or (edge in self.scanned and self.project.runs_at_import(*edge))

    def _counts(self, kind: ImportKind) -> bool:
        return not (self.exclude_type_checking and kind is ImportKind.TYPE_CHECKING)

    def _in_scope(self, importer: str, imported: str) -> bool:
        return importer != imported and importer in self.modules and imported in self.modules

    def _way_back(self, start: str, goal: str, follows: Callable[[str, str], bool]) -> list[str] | None:
        """The smallest shortest path from ``start`` to ``goal`` along imports ``follows`` takes.
        Only modules on some path between them can be on it: those are found first, on the bare
        graph, so that the kinds of no other import are read (a kind may need its file parsed),
        and kept for the next question about the same two modules (fix asks up to two of each
        instance) until the graph grows."""
        between = self._between.get((start, goal))
        if between is None:
            ahead = reached(self.graph.succ, start)
            behind = reached(self.graph.pred, goal, ahead.__contains__) if goal in ahead else set()
            self._between.clear()  # fix asks about one pair after another: one is kept
            between = self._between[(start, goal)] = frozenset(behind)
        if goal not in between:
            return None
        succ = self.graph.succ

        def successors(module: str) -> Iterator[str]:
            return (target for target in succ[module] if target in between and follows(module, target))

        return smallest_shortest_path(successors, start, goal)


def raise_type_checking_conflict(contract: CycleContract, import_linter: ImportLinterConfig | None) -> NoReturn:
    """``[cycles] exclude_type_checking = false`` cannot be honoured when the import-linter
    configuration leaves TYPE_CHECKING imports out of the one graph: say so, never ignore it."""
    origin = contract.origin
    where = import_linter.path if import_linter else "the import-linter configuration"
    raise ConfigurationError(
        f"[cycles] exclude_type_checking = false cannot be honoured: {where} sets "
        "exclude_type_checking_imports = True, so imports under `if TYPE_CHECKING:` are not in the "
        "import graph at all; drop one of the two settings",
        path=origin.path if origin else None,
        line=origin.line if origin else None,
    )


def project_cycles(
    project: Project,
    packages: Iterable[str],
    *,
    exclude_type_checking: bool = True,
    import_time_only: bool = False,
) -> list[CycleComponent]:
    """Cycle analysis over the project's modules inside ``packages``, remembered by content."""
    keyed = _KeyedScope.of(project, packages, exclude_type_checking, import_time_only)
    return _cycles_in(project, keyed, exclude_type_checking=exclude_type_checking, import_time_only=import_time_only)


class _KeyedScope(NamedTuple):
    """The modules of a scope and what its analyses are remembered under: the content key (of
    the modules, the packages and the options) and the ``extra`` of the import signature."""

    modules: list[str]
    extra: tuple[object, ...]
    key: str

    @classmethod
    def of(
        cls, project: Project, packages: Iterable[str], exclude_type_checking: bool, import_time_only: bool
    ) -> _KeyedScope:
        chosen = sorted(set(packages))
        modules = sorted(filter(within_test(chosen), project.modules))
        extra = (*chosen, exclude_type_checking, import_time_only)
        return cls(modules, extra, project.facts.content_key(modules, extra=extra))


def _cycles_in(
    project: Project, keyed: _KeyedScope, *, exclude_type_checking: bool, import_time_only: bool
) -> list[CycleComponent]:
    scope, extra, key = keyed
    remembered = project.facts.recall("cycles", key)
    if remembered is None:
        remembered = _recall_by_imports(project, "cycles", scope, extra)
    if remembered is not None:
        return [_component_from_primitive(item) for item in remembered]
    in_scope = set(scope)
    successors: dict[str, list[str]] = {module: [] for module in scope}
    # A module importing from itself ties no modules together: it gets the module as far as it
    # has run (a name bound above the statement), or a broken-import finding (one bound below).
    for u, v in project.import_edges:  # sorted: so is each module's list
        if u in in_scope and v in in_scope and u != v:
            successors[u].append(v)
    cache: dict[Edge, EdgeFacts] = {}

    def facts(u: str, v: str) -> EdgeFacts:
        if (u, v) not in cache:
            cache[(u, v)] = EdgeFacts(project.statement_count(u, v), project.runs_at_import(u, v))
        return cache[(u, v)]

    tangled = cyclic_components(successors)
    members = sorted({m for nodes in tangled for m in nodes})
    # Every cycle lies inside one of these components: the rest of the scope is searched no more.
    kept = set(members)
    graph = Digraph(members, [(u, v) for u in members for v in successors[u] if v in kept])
    if exclude_type_checking:
        # Only edges inside a component can be on a cycle: only their files are ever parsed.
        graph.remove_edges([edge for edge in _edges_within(graph, tangled) if project.typing_only(*edge)])
    components = analyse_cycles(graph, facts, import_time_only=import_time_only)
    result = [_component_to_primitive(c) for c in components]
    project.facts.memorize("cycles", key, result)
    _memorize_by_imports(project, "cycles", scope, extra, members, result)
    return components


def _edges_within(graph: Digraph, components: Sequence[tuple[str, ...]]) -> list[Edge]:
    """The edges of ``graph`` between modules of one component, component by component."""
    component_of = {node: index for index, nodes in enumerate(components) for node in nodes}
    within: list[list[Edge]] = [[] for _ in components]
    for u, v in graph.edges:
        index = component_of[u]
        if component_of[v] == index:
            within[index].append((u, v))
    return [edge for edges in within for edge in edges]


def _recall_by_imports(project: Project, name: str, scope: Sequence[str], extra: Sequence[object]) -> Any | None:
    """A result for the same imports, when the imports it read the kinds of are of the same kinds.

    An edit that leaves every import of the scope as it was (a comment, a function body) keeps
    the graph; only the kinds of the imports inside tangled components (at import time or not,
    under ``TYPE_CHECKING`` or not) enter the analysis beyond it, so those are compared too.
    """
    if not project.facts.remembers:  # nothing was kept: the signature is not worth its hashing
        return None
    remembered = project.facts.recall(f"{name}-by-imports", project.import_signature(scope, extra))
    if remembered is None:
        return None
    members, kinds, result = remembered
    return result if _kinds_signature(project, members) == kinds else None


def _memorize_by_imports(
    project: Project, name: str, scope: Sequence[str], extra: Sequence[object], members: list[str], result: Any
) -> None:
    if not project.facts.remembers:
        return
    key = project.import_signature(scope, extra)
    project.facts.memorize(f"{name}-by-imports", key, (members, _kinds_signature(project, members), result))


def _kinds_signature(project: Project, members: Sequence[str]) -> list[list[object]]:
    """How each import between ``members`` runs: what the analysis reads beyond the graph."""
    return project.import_kinds_between(members)


def project_cyclic_imports(project: Project, scope: CycleScope) -> tuple[list[CycleComponent], list[CyclicImport]]:
    """The tangled components of the scope and every import on a cycle, remembered by content."""
    # Both results are remembered under the scope's one key (one pass over its files' digests).
    keyed = _KeyedScope.of(project, scope.packages, scope.exclude_type_checking, False)
    components = _cycles_in(project, keyed, exclude_type_checking=scope.exclude_type_checking, import_time_only=False)
    modules, extra, key = keyed
    remembered = project.facts.recall("cyclic-imports", key)
    if remembered is None:
        remembered = _recall_by_imports(project, "cyclic-imports", modules, extra)
    if remembered is not None:
        return components, [CyclicImport(u, v, c, t, tuple(cycle)) for u, v, c, t, cycle in remembered]
    found = cyclic_imports(
        components, lambda u, v: EdgeFacts(project.statement_count(u, v), project.runs_at_import(u, v))
    )
    result = [(i.importer, i.imported, i.component, i.import_time, list(i.cycle)) for i in found]
    project.facts.memorize("cyclic-imports", key, result)
    members = sorted({module for component in components for module in component.modules})
    _memorize_by_imports(project, "cyclic-imports", modules, extra, members, result)
    return components, found


def _component_to_primitive(component: CycleComponent) -> Any:
    return (
        list(component.modules),
        [list(edge) for edge in component.edges],
        [list(edge) for edge in component.break_set],
        [(list(cycle.modules), cycle.import_time) for cycle in component.cycles],
    )


def _component_from_primitive(data: Any) -> CycleComponent:
    modules, edges, break_set, cycles = data
    return CycleComponent(
        modules=tuple(modules),
        edges=tuple((u, v) for u, v in edges),
        break_set=tuple((u, v) for u, v in break_set),
        cycles=tuple(Cycle(tuple(m), import_time) for m, import_time in cycles),
    )
