"""Questions developers ask of the contracts, answered from the same scan, graph and analyses.

``why`` (how does this module reach that one), ``can_import`` (would a new import be accepted)
and ``explain`` (what do the contracts say about a module), with ``where`` (where does a name
live, in its own module: ``check`` uses it), share this one layer over the project, the resolver
and the analyses; no command has graph logic of its own.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from importlinter.contracts.layers import LayersContract
from importlinter.domain.contract import InvalidContractOptions
from importlinter.domain.helpers import module_expressions_to_modules

from importcanon.application.analyses.import_linter import check_import_linter_contracts
from importcanon.application.analyses.legacy import module_advice
from importcanon.application.analyses.shims import shim_re_exports, shown_re_export
from importcanon.application.analyses.stale_contracts import live_cycle_contract
from importcanon.application.cycles import ScopedImports, cycle_scope, project_cyclic_imports
from importcanon.application.project import Project
from importcanon.application.symbols import Resolver
from importcanon.application.where import where
from importcanon.domain.contracts import ContractSet, ImportLinterConfig
from importcanon.domain.cycles import Cycle, CycleComponent, CyclicImport
from importcanon.domain.errors import UsageError
from importcanon.domain.facts import ImportKind
from importcanon.domain.modules import is_module_name, is_within, parent, within_any

# why ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    importer: str
    imported: str
    path: str | None
    line: int | None
    kind: str | None
    statement: str | None
    more: int = 0  # further statements behind the same edge


def why(project: Project, importer: str, imported: str, limit: int) -> list[list[Hop]]:
    """The shortest import chains from ``importer`` to ``imported`` (modules or packages), shortest
    first, at most ``limit``; chains that pass through either end's own modules are left out,
    since a shorter one starts or ends there.

    Bounded by design: those chains are cut out of the graph before the search (no edge enters
    the importer's modules, none leaves the imported ones), so every path the search yields is an
    answer and it stops after ``limit`` of them, or when there are no more; it never walks the
    exponentially many paths of a tangle only to discard them.
    """
    for name in (importer, imported):
        _require_module(project, name)
    if is_within(importer, imported) or is_within(imported, importer):
        raise UsageError(f"{importer} and {imported} contain one another: ask about two separate modules")
    import networkx as nx  # only the queries that walk the graph pay for networkx's import

    source, target = ("__why_source__", "__why_target__")
    graph = nx.DiGraph()
    graph.add_edges_from(
        (u, v) for u, v in project.digraph.edges if not (is_within(v, importer) or is_within(u, imported))
    )
    nodes = list(project.digraph.nodes)
    graph.add_edges_from((source, m) for m in nodes if is_within(m, importer))
    graph.add_edges_from((m, target) for m in nodes if is_within(m, imported))
    if source not in graph or target not in graph or not nx.has_path(graph, source, target):
        return []
    paths = itertools.islice(nx.shortest_simple_paths(graph, source, target), limit)
    return [[_hop(project, u, v) for u, v in itertools.pairwise(path[1:-1])] for path in paths]


def _hop(project: Project, importer: str, imported: str) -> Hop:
    sites = project.sites(importer, imported)
    if not sites:
        return Hop(importer, imported, project.path_of(importer), None, None, None)
    chosen = min(sites, key=lambda site: (site.kind is not ImportKind.MODULE, site.line))
    return Hop(
        importer, imported, project.path_of(importer), chosen.line, chosen.kind.value, chosen.statement, len(sites) - 1
    )


def _require_module_name(name: str) -> None:
    if not is_module_name(name):
        raise UsageError(f"'{name}' is not a module name: dotted Python identifiers, such as app.core.models")


def _require_module(project: Project, name: str) -> None:
    _require_module_name(name)
    if name in project.modules or name in project.namespace_packages or name in project.graph.modules:
        return
    raise UsageError(f"{name} is not a module or package of the project (nor an external package it imports)")


# can-import -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Objection:
    contract: str
    reason: str
    instead: str | None = None


@dataclass(frozen=True)
class Verdict:
    """What the contracts say of a new import: ``objections`` refuse it (``check`` would report
    it); ``notes`` accept it with a caution about what to import from it."""

    objections: list[Objection]
    notes: list[Objection] = field(default_factory=list)


def can_import(
    project: Project,
    resolver: Resolver,
    import_linter: ImportLinterConfig | None,
    contracts: ContractSet,
    importer: str,
    imported: str,
) -> Verdict:
    """What every contract would say of a new module-level ``import imported`` in ``importer``.

    Checked for real: the import is added to a copy of the graph and import-linter's contracts
    run on both; every finding the copy has and the real graph has not is an objection. Then the
    legacy packages and the cycle contract. The canonical homes only ever add notes: they judge
    which module a name is imported from, never whether one module may import another.
    """
    for name in (importer, imported):
        _require_module_name(name)
    # A compiled module is one of the project's: Python imports it (pandas._libs.tslibs.offsets).
    exists = (
        imported in project.modules
        or imported in project.namespace_packages
        or project.facts.extension_module(imported)
    )
    if not exists and within_any(imported, project.root_packages):
        raise UsageError(f"{imported} does not exist in the project")
    if importer not in project.modules and not within_any(importer, project.root_packages):
        raise UsageError(f"{importer} is not (and cannot become) a module of the project's root packages")
    if importer == imported:
        raise UsageError("a module does not import itself")
    objections = _import_linter_objections(project, import_linter, importer, imported)
    objections += _legacy_objections(project, contracts, importer, imported)
    objections += _cycle_objections(project, contracts, importer, imported)
    return Verdict(objections, _canonical_notes(resolver, contracts, imported))


def _import_linter_objections(
    project: Project, config: ImportLinterConfig | None, importer: str, imported: str
) -> list[Objection]:
    if config is None:
        return []
    before = {f.fingerprint for f in check_import_linter_contracts(project, config).findings}
    graph = copy.deepcopy(project.graph)
    if imported not in graph.modules:
        graph.add_module(imported, is_squashed=True)
    graph.add_import(importer=importer, imported=imported)
    objections = []
    for finding in check_import_linter_contracts(project, config, graph).findings:
        if finding.fingerprint not in before:
            name = str(finding.details.get("contract", "?"))
            summary = _CONTRACT_SUFFIX.sub("", finding.message.splitlines()[0])
            objections.append(Objection(f"import-linter contract '{name}'", summary))
    return objections


_CONTRACT_SUFFIX = re.compile(r" \(contract '.*'\):?$")


def _legacy_objections(project: Project, contracts: ContractSet, importer: str, imported: str) -> list[Objection]:
    """The ``legacy-import`` rule's own advice for ``import imported`` in ``importer``: the module
    to import instead only where the replacement has one, else what has to move first."""
    objections = []
    for contract in contracts.legacy:
        if is_within(imported, contract.package) and not is_within(importer, contract.package):
            instead, advice = module_advice(project, contract, importer, imported)
            reason = f"{imported} is part of the legacy package {contract.package}, kept only for old imports."
            objections.append(Objection(f"legacy {contract.package}", " ".join([reason, *advice]).rstrip("."), instead))
    return objections


def _canonical_notes(resolver: Resolver, contracts: ContractSet, imported: str) -> list[Objection]:
    """A caution for each contracted object ``imported`` is a second home of: it offers the very
    object (not another of the same name) for others to import (see ``where``), so that
    ``from imported import Symbol`` would be a non-canonical import.

    Never an objection: ``check`` judges the name imported, not the module (demo/sensor.py's
    ``from homeassistant.components.sensor import SensorEntity`` passes, though the package
    imports HomeAssistant for its own annotations).
    """
    notes = []
    for contract in contracts.canonical:
        if imported == contract.module or contract.symbol not in resolver.namespace(imported):
            continue
        canonical = resolver.resolve(contract.module, contract.symbol)
        if canonical is None:
            continue  # the home's object is unknown: no binding can be shown to be it
        offered = (
            binding
            for binding in where(resolver, contracts, contract.symbol).bindings
            if binding.module == imported and binding.kind != "definition"
        )
        if any(binding.resolves_to == canonical.qualified for binding in offered):
            notes.append(
                Objection(
                    f"canonical {contract.symbol}",
                    f"{imported} also offers {canonical.qualified}, whose canonical home is {contract.module}; "
                    f"for {contract.symbol} itself, {contract.statement}",
                    contract.module,
                )
            )
    return notes


def _cycle_objections(project: Project, contracts: ContractSet, importer: str, imported: str) -> list[Objection]:
    """The new cycle the import would close, as check's ``[cycles]`` contract counts cycles (the
    one fix names when it refuses an edit for it)."""
    cycles = live_cycle_contract(project, contracts.cycles)  # as check: stale packages are findings
    if cycles is None:
        return []
    closed = ScopedImports(project, cycle_scope(project, cycles)).closes(importer, imported, ImportKind.MODULE)
    if closed is None:
        return []
    return [Objection("cycles", f"it would close a new {closed.kind} import cycle: {closed}")]


# explain --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerPlace:
    contract: str
    layer: str
    may_import: tuple[str, ...]
    may_not_import: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    module: str
    path: str | None
    layers: tuple[LayerPlace, ...]
    contracts: tuple[str, ...]  # every contract that mentions the module or a package around it
    canonical_for: tuple[str, ...]
    legacy: str | None  # the legacy package it belongs to
    shim_of: tuple[str, ...]  # what it re-exports, when it is a shim
    cycles: tuple[Cycle, ...]  # representatives: the component's break-set cycles through it
    imported_by: tuple[str, ...] = field(default=())
    imports: tuple[str, ...] = field(default=())
    on_cycles: CyclesAround | None = None  # None: on no import cycle
    is_package: bool = False  # a shim package passes names on beside modules of its own


@dataclass(frozen=True)
class CyclesAround:
    """A module's place among the import cycles, as ``check`` reports them: the tangled component
    it is in, its imports (and imports of it) that lie on a cycle, one ``import-cycle`` finding
    each with the shortest cycle through it, and how many of the component's findings have a
    cycle through it. The break-set representatives alone undercount: sympy.core.singleton is
    on one of them, but on the cycles of 123 findings."""

    component: str  # its first module: the label check's findings carry
    size: int
    imports: tuple[CyclicImport, ...]  # of it or by it: import-time first, then its own
    findings_through: int
    component_findings: int


def explain(
    project: Project,
    resolver: Resolver,
    import_linter: ImportLinterConfig | None,
    contracts: ContractSet,
    module: str,
) -> Explanation:
    if module not in project.modules and module not in project.namespace_packages:
        raise UsageError(f"{module} is not a module or package of the project")
    shim = tuple(shown_re_export(resolver, r) for r in shim_re_exports(resolver, module, contracts.canonical_homes))
    scope = cycle_scope(project, live_cycle_contract(project, contracts.cycles))
    components, cyclic = project_cyclic_imports(project, scope)  # check's analysis, remembered alike
    around = [component for component in components if module in component.modules]
    graph = project.graph
    return Explanation(
        module=module,
        path=project.path_of(module),
        layers=tuple(_layer_places(project, import_linter, module)),
        contracts=tuple(_mentions(import_linter, contracts, module)),
        canonical_for=tuple(c.symbol for c in contracts.canonical if c.module == module),
        legacy=next((c.package for c in contracts.legacy if is_within(module, c.package)), None),
        shim_of=shim,
        cycles=tuple(cycle for component in around for cycle in component.cycles if module in cycle.modules),
        imported_by=tuple(sorted(graph.find_modules_that_directly_import(module))),
        imports=tuple(sorted(graph.find_modules_directly_imported_by(module))),
        on_cycles=_cycles_around(module, around, cyclic),
        is_package=module in project.modules and project.modules[module].is_package,
    )


def _cycles_around(module: str, around: list[CycleComponent], cyclic: list[CyclicImport]) -> CyclesAround | None:
    """``module``'s place among the cycles ``cyclic`` (check's findings), when it is in one of
    the components ``around`` (at most one: components do not overlap)."""
    if not around:
        return None
    component = around[0]
    label = component.modules[0]
    within = [item for item in cyclic if item.component == label]
    return CyclesAround(
        component=label,
        size=len(component.modules),
        # What can fail at start-up first, then the module's own imports (findings in its file).
        imports=tuple(
            sorted(
                (item for item in within if module in (item.importer, item.imported)),
                key=lambda item: (not item.import_time, item.importer != module, item.importer, item.imported),
            )
        ),
        findings_through=sum(1 for item in within if module in item.cycle),
        component_findings=len(within),
    )


def _layer_places(project: Project, config: ImportLinterConfig | None, module: str) -> Iterator[LayerPlace]:
    if config is None:
        return
    session = dict(config.session_options, root_packages=list(project.root_packages))
    for options in config.contracts:
        if options.get("type") != "layers":
            continue
        name = str(options.get("name", "?"))
        try:
            contract = LayersContract(name=name, session_options=session, contract_options=options)
            containers = (
                sorted(m.name for m in module_expressions_to_modules(project.graph, contract.containers))  # type: ignore[arg-type]
                if contract.containers
                else [""]
            )
        except (InvalidContractOptions, ValueError):
            continue
        layers = [sorted(tail.name for tail in layer.module_tails) for layer in contract.layers]  # type: ignore[attr-defined]
        for container in containers:
            full = [[f"{container}.{tail}" if container else tail for tail in layer] for layer in layers]
            for index, layer in enumerate(full):
                own = next((m for m in layer if is_within(module, m)), None)
                if own is None:
                    continue
                independent = contract.layers[index].is_independent  # type: ignore[index]
                siblings = [m for m in layer if m != own]
                below = [m for lower in full[index + 1 :] for m in lower]
                above = [m for higher in full[:index] for m in higher]
                yield LayerPlace(
                    contract=name,
                    layer=own,
                    may_import=tuple(below if independent else siblings + below),
                    may_not_import=tuple(above + siblings if independent else above),
                )


_MODULE_TOKEN = re.compile(r"[A-Za-z_*][\w.*]*")


def _mentions(config: ImportLinterConfig | None, contracts: ContractSet, module: str) -> Iterator[str]:
    for options in config.contracts if config else ():
        if any(_matches(module, token) for token in _tokens(options)):
            yield f"import-linter contract '{options.get('name', '?')}' ({options.get('type', '?')})"
    for canonical in contracts.canonical:
        if canonical.module == module:
            yield f"[[canonical]] {canonical.symbol} lives here"
    for legacy in contracts.legacy:
        if is_within(module, legacy.package):
            yield f"[[legacy]] {legacy.package}: this module is legacy; use {legacy.replacement}"
        elif is_within(module, legacy.replacement):
            yield f"[[legacy]] {legacy.package}: this module is part of its replacement"
    for deprecated in contracts.deprecated:
        if parent(deprecated.name) == module:
            yield f"[[deprecated]] {deprecated.name} is defined here"
    if contracts.cycles is not None:
        packages = contracts.cycles.packages or ()
        if not packages or within_any(module, packages):
            yield "[cycles] no import cycles may run through this module"


def _tokens(options: dict[str, object]) -> Iterable[str]:
    for key, value in options.items():
        if key in ("name", "type", "id", "broken_contract_guidance"):
            continue
        for item in value if isinstance(value, (list, tuple, set)) else [value]:
            yield from _MODULE_TOKEN.findall(str(item))


def _matches(module: str, token: str) -> bool:
    """A module expression names the module or a package around it (``*`` is one level,
    ``**`` any number)."""
    if "*" not in token:
        return is_within(module, token)
    pattern = re.escape(token).replace(r"\*\*", ".+").replace(r"\*", r"[^.]+")
    return any(re.fullmatch(pattern, candidate) for candidate in _self_and_ancestors(module))


def _self_and_ancestors(module: str) -> Iterator[str]:
    current: str | None = module
    while current:
        yield current
        current = parent(current)
