"""The import graph as a picture sees it: modules collapsed to packages at one depth, with what
the contracts say about each package and each edge.

Every output format (DOT, mermaid, the HTML explorer) draws this one structure, so they agree.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from importcanon.application.project import Project
from importcanon.domain.contracts import ContractSet, ImportLinterConfig
from importcanon.domain.errors import UsageError
from importcanon.domain.findings import Finding
from importcanon.domain.modules import is_within

Edge = tuple[str, str]

#: The largest picture the default depth aims for: past this a graph stops being read.
READABLE_NODES = 40
READABLE_EDGES = 150


@dataclass(frozen=True)
class Scope:
    """Which modules are drawn (those of ``roots``), and how many levels below its root a node
    keeps of a module's name."""

    roots: tuple[str, ...]  # the package asked for, else every root package
    depth: int

    def collapse(self, module: str) -> str:
        root = max((root for root in self.roots if is_within(module, root)), key=len)
        return ".".join(module.split(".")[: root.count(".") + 1 + self.depth])


@dataclass(frozen=True)
class ModuleMarks:
    """What the contracts and analyses say about single modules and imports, before collapsing."""

    layers: Mapping[str, int]  # layer module -> rank (0 = top), from the first layers contract
    legacy: tuple[str, ...]  # [[legacy]] packages
    shims: frozenset[str]  # modules with a shim-module finding
    cyclic: frozenset[str]  # modules on an import cycle
    broken: Mapping[Edge, int]  # imports on a chain that breaks a contract -> how many chains

    def layer_of(self, name: str) -> int | None:
        best = max((layer for layer in self.layers if is_within(name, layer)), key=len, default=None)
        return None if best is None else self.layers[best]

    def is_legacy(self, name: str) -> bool:
        return any(is_within(name, package) for package in self.legacy)


@dataclass(frozen=True)
class PackageNode:
    name: str
    modules: int
    expandable: bool  # it has modules deeper than the drawn depth
    layer: int | None
    legacy: bool
    shims: int
    cyclic: int  # its modules on an import cycle
    component: int | None  # index of the package-level cycle it is part of


@dataclass(frozen=True)
class PackageEdge:
    importer: str
    imported: str
    imports: int  # module-to-module imports collapsed into this edge
    broken: int  # of those, imports on a chain that breaks a contract


@dataclass(frozen=True)
class PackageGraph:
    scope: Scope
    nodes: tuple[PackageNode, ...]
    edges: tuple[PackageEdge, ...]
    components: tuple[tuple[str, ...], ...]  # package-level cycles, each sorted


def module_marks(
    import_linter: ImportLinterConfig | None,
    contracts: ContractSet,
    findings: Iterable[Finding],
    cyclic: Iterable[str],
) -> ModuleMarks:
    findings = list(findings)
    broken: Counter[Edge] = Counter()
    for finding in findings:
        if finding.rule == "contract":
            for hop in finding.details.get("chain", ()):
                broken[(hop["importer"], hop["imported"])] += 1
    return ModuleMarks(
        layers=layer_ranks(import_linter),
        legacy=tuple(contract.package for contract in contracts.legacy),
        shims=frozenset(f.module for f in findings if f.rule == "shim-module" and f.module),
        cyclic=frozenset(cyclic),
        broken=dict(broken),
    )


def layer_ranks(import_linter: ImportLinterConfig | None) -> dict[str, int]:
    """Layer module -> rank, from the first layers contract (containers expanded)."""
    for contract in import_linter.contracts if import_linter else ():
        if contract.get("type") != "layers":
            continue
        containers = _strings(contract.get("containers")) or [""]
        ranks: dict[str, int] = {}
        for rank, layer in enumerate(_strings(contract.get("layers"))):
            for name in re.split(r"[|:]", layer):
                name = name.strip().strip("()").strip()
                for container in containers:
                    if name:
                        ranks[f"{container}.{name}" if container else name] = rank
        return ranks
    return {}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    return []


def cyclic_modules(project: Project) -> frozenset[str]:
    """The modules on an import cycle of any kind (the picture outlines them all)."""
    import networkx as nx

    digraph: nx.DiGraph = nx.DiGraph(sorted(project.import_lines()))
    return frozenset(m for c in nx.strongly_connected_components(digraph) if len(c) > 1 for m in c)


def roots_of(project: Project, package: str | None) -> tuple[str, ...]:
    return (package,) if package else project.root_packages


def scope_of(project: Project, roots: Sequence[str]) -> tuple[str, ...]:
    """The modules drawn: those inside ``roots``; a usage error when there are none."""
    drawn = tuple(sorted(module for module in project.modules if any(is_within(module, root) for root in roots)))
    if not drawn:
        raise UsageError(f"--package {', '.join(roots)}: no module of the project is in that package")
    return drawn


def readable_depth(modules: Sequence[str], packages: Iterable[str], edges: Iterable[Edge], roots: Sequence[str]) -> int:
    """The deepest level of *packages* whose picture stays readable (at least 1): a picture
    collapsed to packages, never down to single modules unless asked."""
    edges = list(edges)
    top = min(root.count(".") + 1 for root in roots)
    deepest = max((package.count(".") + 1 - top for package in packages), default=1)
    chosen = 1
    for depth in range(1, max(deepest, 1) + 1):
        scope = Scope(tuple(roots), depth)
        nodes = {scope.collapse(module) for module in modules}
        links = {(scope.collapse(u), scope.collapse(v)) for u, v in edges}
        if len(nodes) > READABLE_NODES or sum(1 for u, v in links if u != v) > READABLE_EDGES:
            break
        chosen = depth
    return chosen


def package_graph(
    project: Project,
    marks: ModuleMarks,
    *,
    package: str | None = None,
    depth: int | None = None,
) -> PackageGraph:
    roots = roots_of(project, package)
    modules = scope_of(project, roots)
    drawn = set(modules)
    lines = project.import_lines()
    edges = [edge for edge in lines if edge[0] in drawn and edge[1] in drawn]
    if depth is None:
        packages = [module for module in modules if project.modules[module].is_package]
        depth = readable_depth(modules, packages, edges, roots)
    scope = Scope(roots, depth)
    return collapsed_graph(modules, {edge: len(lines[edge]) for edge in edges}, marks, scope)


def collapsed_graph(
    modules: Sequence[str], statements: Mapping[Edge, int], marks: ModuleMarks, scope: Scope
) -> PackageGraph:
    members: dict[str, list[str]] = {}
    for module in modules:
        members.setdefault(scope.collapse(module), []).append(module)
    imports: Counter[Edge] = Counter()
    broken: Counter[Edge] = Counter()
    for (importer, imported), count in statements.items():
        link = (scope.collapse(importer), scope.collapse(imported))
        if link[0] != link[1]:
            imports[link] += count
            broken[link] += count if (importer, imported) in marks.broken else 0
    components = package_cycles(members, imports)
    component_of = {name: index for index, component in enumerate(components) for name in component}
    nodes = tuple(
        PackageNode(
            name=name,
            modules=len(names),
            expandable=any(module != name for module in names),
            layer=marks.layer_of(name),
            legacy=marks.is_legacy(name),
            shims=sum(1 for module in names if module in marks.shims),
            cyclic=sum(1 for module in names if module in marks.cyclic),
            component=component_of.get(name),
        )
        for name, names in sorted(members.items())
    )
    edges = tuple(
        PackageEdge(importer, imported, imports[(importer, imported)], broken[(importer, imported)])
        for importer, imported in sorted(imports)
    )
    return PackageGraph(scope, nodes, edges, components)


def package_cycles(members: Mapping[str, Sequence[str]], imports: Mapping[Edge, int]) -> tuple[tuple[str, ...], ...]:
    """The package-level cycles (strongly connected components of more than one package)."""
    import networkx as nx  # only pictures and cycle analyses pay for networkx's import

    digraph: nx.DiGraph = nx.DiGraph()
    digraph.add_nodes_from(sorted(members))
    digraph.add_edges_from(sorted(imports))
    found = [tuple(sorted(c)) for c in nx.strongly_connected_components(digraph) if len(c) > 1]
    return tuple(sorted(found))
