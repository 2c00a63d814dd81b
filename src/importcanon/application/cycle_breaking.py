"""The cycle-breaking algorithms, on the plain graphs of :mod:`importcanon.application.digraphs`."""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping
from math import comb

import grimp

from importcanon.application.digraphs import (
    Digraph,
    add_edge_keeping_order,
    find_cycle,
    has_path,
    has_path_within,
    shortest_path,
    strongly_connected_components,
    topological_positions,
)
from importcanon.domain.cycles import (
    Cycle,
    CycleComponent,
    CyclicImport,
    Edge,
    EdgeFacts,
    canonical_rotation,
    hops,
)

#: The exhaustive search for a smaller break set stops before this many edge visits (candidate
#: sets times edges): it settles small components exactly and leaves large ones to the heuristics.
_EXACT_SEARCH_BUDGET = 60_000


def analyse_cycles(
    graph: Digraph, facts: Callable[[str, str], EdgeFacts], *, import_time_only: bool = False
) -> list[CycleComponent]:
    """Every component of ``graph`` that has a cycle, with its break set and representatives."""
    if import_time_only:
        graph = restricted(graph, [e for e in graph.edges if facts(*e).import_time])
    return [_component(graph, nodes, facts) for nodes in cyclic_components(graph)]


def cyclic_components(graph: Digraph | Mapping[str, Collection[str]]) -> list[tuple[str, ...]]:
    """Strongly connected components that contain a cycle, each sorted, ordered by first name
    (of a graph, or of each node's successors)."""
    successors = graph.succ if isinstance(graph, Digraph) else graph
    components = []
    for nodes in strongly_connected_components(successors):
        if len(nodes) > 1 or any(node in successors[node] for node in nodes):
            components.append(tuple(sorted(nodes)))
    return sorted(components)


def _component(graph: Digraph, nodes: tuple[str, ...], facts: Callable[[str, str], EdgeFacts]) -> CycleComponent:
    component = induced(graph, nodes)
    # Smaller is removed first: deferred imports, then edges with fewer statements. Every sort
    # below ranks these edges: each key is made once.
    keys = {edge: _preference(edge, facts(*edge)) for edge in component.edges}
    preference = keys.__getitem__
    breakers = break_set(component, preference)
    cycles: dict[tuple[str, ...], Cycle] = {}
    for edge in sorted(breakers, key=preference):
        modules = shortest_cycle_through(component, edge)
        cycles.setdefault(modules, Cycle(modules, all(facts(*hop).import_time for hop in hops(modules))))
    import_time = restricted(component, [e for e in component.edges if facts(*e).import_time])
    for sub_nodes in cyclic_components(import_time):
        sub = induced(import_time, sub_nodes)
        for edge in sorted(break_set(sub, preference), key=preference):
            modules = shortest_cycle_through(sub, edge)
            cycles.setdefault(modules, Cycle(modules, True))
    limit = component.number_of_edges()
    ordered = sorted(cycles.values(), key=lambda c: (not c.import_time, len(c.modules), c.modules))[:limit]
    return CycleComponent(
        modules=nodes,
        edges=tuple(sorted(component.edges)),
        break_set=tuple(sorted(breakers)),
        cycles=tuple(ordered),
    )


def _preference(edge: Edge, facts: EdgeFacts) -> tuple[int, int, str, str]:
    return (int(facts.import_time), facts.statements, *edge)


def break_set(graph: Digraph, preference: Callable[[Edge], tuple]) -> set[Edge]:
    """A small set of edges whose removal leaves ``graph`` acyclic (a feedback arc set).

    The smallest of a greedy ordering heuristic (Eades, Lin and Smyth) and grimp's own
    ``nominate_cycle_breakers``, made minimal (no edge in it can be put back), then, for small
    components, improved by an exhaustive search for a smaller one.
    """
    candidates = [_greedy_break_set(graph, preference), _grimp_break_set(graph)]
    best = min((_minimal(graph, c, preference) for c in candidates), key=lambda s: (len(s), sorted(map(preference, s))))
    return _exhaustive(graph, best, preference)


def _greedy_break_set(graph: Digraph, preference: Callable[[Edge], tuple]) -> set[Edge]:
    """Order the nodes so that few edges point backwards; those edges break every cycle.

    The Eades-Lin-Smyth greedy order: sinks go last, sources first, otherwise the node with the
    largest out-minus-in weight goes first. Edges preferred for removal weigh a little less, so
    among orders with as many backward edges the one whose backward edges are deferred or backed
    by fewer statements wins. O(m log n) with a lazy heap.
    """
    ranked = sorted(graph.edges, key=preference)
    scale = float(len(ranked) + 1) ** 2
    weight = {edge: 1.0 + rank / scale for rank, edge in enumerate(ranked)}

    proper = [(u, v) for u, v in graph.edges if u != v]
    out_degree = dict.fromkeys(graph.nodes, 0)
    in_degree = dict.fromkeys(graph.nodes, 0)
    delta = dict.fromkeys(graph.nodes, 0.0)
    for u, v in proper:
        out_degree[u] += 1
        in_degree[v] += 1
        delta[u] += weight[(u, v)]
        delta[v] -= weight[(u, v)]
    remaining = set(graph.nodes)
    sinks = deque(n for n in sorted(remaining) if out_degree[n] == 0)
    sources = deque(n for n in sorted(remaining) if in_degree[n] == 0 and out_degree[n] > 0)
    heap = [(-delta[n], n) for n in sorted(remaining)]
    heapq.heapify(heap)
    head: list[str] = []
    tail: list[str] = []

    def drop(node: str) -> None:
        remaining.discard(node)
        for succ in graph.succ[node]:
            if succ in remaining and succ != node:
                in_degree[succ] -= 1
                delta[succ] += weight[(node, succ)]
                heapq.heappush(heap, (-delta[succ], succ))
                if in_degree[succ] == 0 and out_degree[succ] > 0:
                    sources.append(succ)
        for pred in graph.pred[node]:
            if pred in remaining and pred != node:
                out_degree[pred] -= 1
                delta[pred] -= weight[(pred, node)]
                heapq.heappush(heap, (-delta[pred], pred))
                if out_degree[pred] == 0:
                    sinks.append(pred)

    while remaining:
        while sinks or sources:
            while sinks:
                node = sinks.popleft()
                if node in remaining:
                    tail.append(node)
                    drop(node)
            while sources:
                node = sources.popleft()
                if node in remaining:
                    head.append(node)
                    drop(node)
        while heap:
            score, node = heapq.heappop(heap)
            if node in remaining and -score == delta[node]:
                head.append(node)
                drop(node)
                break
    order = {node: position for position, node in enumerate(head + tail[::-1])}
    return {(u, v) for u, v in graph.edges if order[u] >= order[v]}


def _grimp_break_set(graph: Digraph) -> set[Edge]:
    """grimp's answer for the same component, every module made a child of one package."""
    names = {node: f"__component__.m{index}" for index, node in enumerate(sorted(graph.nodes))}
    back = {name: node for node, name in names.items()}
    synthetic = grimp.ImportGraph()
    synthetic.add_module("__component__")
    for name in names.values():
        synthetic.add_module(name)
    for u, v in graph.edges:
        if u != v:
            synthetic.add_import(importer=names[u], imported=names[v])
    breakers = {(back[u], back[v]) for u, v in synthetic.nominate_cycle_breakers("__component__")}
    return breakers | {(u, v) for u, v in graph.edges if u == v}


def _minimal(graph: Digraph, removed: set[Edge], preference: Callable[[Edge], tuple]) -> set[Edge]:
    """Put back every removed edge that closes no cycle, the least preferred to remove first."""
    kept = graph.copy()
    kept.remove_edges(removed)
    result = set(removed)
    # In a topological order of what is kept, a path runs only forwards: an edge whose target
    # comes later closes no cycle without a search, and a search never leaves the span between.
    order = topological_positions(kept)
    for u, v in sorted(removed, key=preference, reverse=True):
        if u == v:
            continue
        closes = has_path(kept, v, u) if order is None else _closes(kept, u, v, order)
        if not closes:
            if order is None:
                kept.add_edge(u, v)
            else:
                add_edge_keeping_order(kept, u, v, order)
            result.discard((u, v))
    return result


def _closes(kept: Digraph, u: str, v: str, order: dict[str, int]) -> bool:
    """Whether ``u -> v`` closes a cycle in the acyclic ``kept``: no search when v comes later."""
    return order[v] < order[u] and has_path_within(kept, v, u, order)


def _exhaustive(graph: Digraph, best: set[Edge], preference: Callable[[Edge], tuple]) -> set[Edge]:
    """Look for a strictly smaller break set while that takes few acyclicity checks.

    A candidate that removes no edge of a cycle already met leaves that cycle whole: it is passed
    over without a check. Each failed check yields such a cycle; the few that ruled out a
    candidate last are kept (a bounded list, searched from the front)."""
    edges = sorted(graph.edges, key=preference)
    budget = _EXACT_SEARCH_BUDGET
    trial = graph.copy()
    met: list[frozenset[Edge]] = []
    for size in range(1, len(best)):
        budget -= comb(len(edges), size) * len(edges)
        if budget < 0:
            break
        for chosen in itertools.combinations(edges, size):
            if _misses_one(met, chosen):
                continue
            trial.remove_edges(chosen)
            cycle = find_cycle(trial)
            for u, v in chosen:
                trial.add_edge(u, v)
            if cycle is None:
                return set(chosen)
            met.insert(0, frozenset(cycle))
            del met[_CYCLES_KEPT:]
    return best


#: Cycles the exhaustive search keeps to pass over candidates: enough for the few that rule out
#: most of them, few enough that looking costs less than a check.
_CYCLES_KEPT = 12


def _misses_one(cycles: list[frozenset[Edge]], chosen: tuple[Edge, ...]) -> bool:
    """Whether ``chosen`` leaves one of ``cycles`` whole; that cycle moves to the front."""
    for index, cycle in enumerate(cycles):
        if cycle.isdisjoint(chosen):
            if index:
                cycles.insert(0, cycles.pop(index))
            return True
    return False


def shortest_cycle_through(graph: Digraph, edge: Edge) -> tuple[str, ...]:
    """The shortest cycle that uses ``edge``, in canonical rotation."""
    u, v = edge
    if u == v:
        return (u,)
    path = shortest_path(graph, v, u)  # v ... u; the edge u -> v closes it
    return canonical_rotation((u, *path[:-1]))


def induced(graph: Digraph, nodes: Iterable[str]) -> Digraph:
    """The subgraph on ``nodes``, as a fresh graph built in sorted order (deterministic walks)."""
    return graph.induced(nodes)


def restricted(graph: Digraph, edges: Iterable[Edge]) -> Digraph:
    """A fresh graph with all of ``graph``'s nodes (sorted) and only ``edges``, in that order."""
    return graph.restricted(edges)


def cyclic_imports(components: Iterable[CycleComponent], facts: Callable[[str, str], EdgeFacts]) -> list[CyclicImport]:
    """Every import inside a tangled component (each lies on a cycle), with the shortest cycle
    through it: one backward breadth-first search per importing module, so O(n (n + m)) per
    component; import-time when it lies on a cycle of import-time imports (then that cycle is
    the one shown)."""
    result = []
    for component in components:
        at_import = {edge: facts(*edge).import_time for edge in component.edges}
        import_time_edges = [edge for edge in component.edges if at_import[edge]]
        import_time = Digraph(component.modules, import_time_edges)
        tangled = {node: nodes[0] for nodes in cyclic_components(import_time) for node in nodes}
        paths_all = _paths_to(component.edges)
        paths_import_time = _paths_to(
            [(u, v) for u, v in import_time_edges if u in tangled and tangled.get(v) == tangled[u]]
        )
        for u, v in component.edges:
            on_import_time = u in tangled and tangled.get(v) == tangled[u] and at_import[(u, v)]
            paths = paths_import_time if on_import_time else paths_all
            cycle = (u,) if u == v else (u, *paths(u, v))
            result.append(CyclicImport(u, v, component.modules[0], on_import_time, cycle))
    return result


def _paths_to(edges: Iterable[Edge]) -> Callable[[str, str], tuple[str, ...]]:
    """``paths(target, start)``: the shortest path from ``start`` to ``target`` without
    ``target`` itself, found by a breadth-first search backwards from ``target`` (once per
    target, predecessors in sorted order so that the choice among equals is always the same).
    The search goes only as far as the starts asked for so far: a node's place in the tree is
    fixed when it is reached, so stopping early changes no path. Only the last target's search
    is kept: callers ask target by target."""
    predecessors: dict[str, list[str]] = {}
    for u, v in sorted(edges):
        if u != v:
            predecessors.setdefault(v, []).append(u)
    searches: dict[str, tuple[dict[str, str], deque[str]]] = {}

    def paths(target: str, start: str) -> tuple[str, ...]:
        if target not in searches:
            searches.clear()
            searches[target] = ({target: target}, deque([target]))
        toward, queue = searches[target]
        while start not in toward and queue:
            node = queue.popleft()
            for pred in predecessors.get(node, ()):
                if pred not in toward:
                    toward[pred] = node
                    queue.append(pred)
        path, node = [], start
        while node != target:
            path.append(node)
            node = toward[node]
        return tuple(path)

    return paths
