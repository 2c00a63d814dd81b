"""The cycle analysis as it was before its speed-ups (main 9b6e56b), kept as the oracle that the
faster code must match exactly: the same components, break sets, cycles and paths among equals.

A verbatim copy of ``application/digraphs.py`` and ``application/cycle_breaking.py`` then."""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from math import comb

import grimp

from importcanon.domain.cycles import Cycle, CycleComponent, CyclicImport, Edge, EdgeFacts, canonical_rotation, hops


class Digraph:
    """Nodes in the order given, then those first met in an edge; edges in the order added."""

    def __init__(self, nodes: Iterable[str] = (), edges: Iterable[Edge] = ()) -> None:
        self.succ: dict[str, dict[str, None]] = {}
        self.pred: dict[str, dict[str, None]] = {}
        for node in nodes:
            self.add_node(node)
        for u, v in edges:
            self.add_edge(u, v)

    def add_node(self, node: str) -> None:
        if node not in self.succ:
            self.succ[node] = {}
            self.pred[node] = {}

    def add_edge(self, u: str, v: str) -> None:
        self.add_node(u)
        self.add_node(v)
        self.succ[u][v] = None
        self.pred[v][u] = None

    def remove_edges(self, edges: Iterable[Edge]) -> None:
        for u, v in edges:
            if v in self.succ.get(u, ()):
                del self.succ[u][v]
                del self.pred[v][u]

    def __contains__(self, node: object) -> bool:
        return node in self.succ

    @property
    def nodes(self) -> list[str]:
        return list(self.succ)

    @property
    def edges(self) -> list[Edge]:
        return [(u, v) for u, targets in self.succ.items() for v in targets]

    def number_of_edges(self) -> int:
        return sum(len(targets) for targets in self.succ.values())

    def has_edge(self, u: str, v: str) -> bool:
        return v in self.succ.get(u, ())

    def copy(self) -> Digraph:
        copied = Digraph(self.succ)
        for u, targets in self.succ.items():
            for v in targets:
                copied.add_edge(u, v)
        return copied

    def induced(self, nodes: Iterable[str]) -> Digraph:
        """The subgraph on ``nodes``, built in sorted order (deterministic walks)."""
        kept = {node for node in nodes if node in self.succ}
        edges = sorted((u, v) for u in kept for v in self.succ[u] if v in kept)
        return Digraph(sorted(kept), edges)

    def restricted(self, edges: Iterable[Edge]) -> Digraph:
        """All of this graph's nodes (sorted) and only ``edges``, in that order."""
        return Digraph(sorted(self.succ), edges)


def strongly_connected_components(graph: Digraph) -> Iterator[set[str]]:
    """Tarjan's algorithm, iteratively (no recursion limit on long chains)."""
    preorder: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    found: set[str] = set()
    stack: list[str] = []
    counter = 0
    pending = {node: iter(targets) for node, targets in graph.succ.items()}
    for source in graph.succ:
        if source in found:
            continue
        queue = [source]
        while queue:
            node = queue[-1]
            if node not in preorder:
                counter += 1
                preorder[node] = counter
            descended = False
            for target in pending[node]:
                if target not in preorder:
                    queue.append(target)
                    descended = True
                    break
            if descended:
                continue
            low = preorder[node]
            for target in graph.succ[node]:
                if target not in found:
                    low = min(low, lowlink[target] if preorder[target] > preorder[node] else preorder[target])
            lowlink[node] = low
            queue.pop()
            if low == preorder[node]:
                component = {node}
                while stack and preorder[stack[-1]] > preorder[node]:
                    component.add(stack.pop())
                found.update(component)
                yield component
            else:
                stack.append(node)


def has_path(graph: Digraph, source: str, target: str) -> bool:
    if source == target:
        return True
    successors = graph.succ
    seen = {source}
    stack = [source]
    while stack:
        for successor in successors[stack.pop()]:
            if successor not in seen:
                if successor == target:
                    return True
                seen.add(successor)
                stack.append(successor)
    return False


def has_path_within(graph: Digraph, source: str, target: str, order: dict[str, int]) -> bool:
    """``has_path`` on an acyclic graph, given its topological ``order``: a path from ``source``
    to ``target`` only visits nodes placed between them, so no other node is searched."""
    if source == target:
        return True
    limit = order[target]
    successors = graph.succ
    seen = {source}
    stack = [source]
    while stack:
        for successor in successors[stack.pop()]:
            if successor not in seen and order[successor] <= limit:
                if successor == target:
                    return True
                seen.add(successor)
                stack.append(successor)
    return False


def add_edge_keeping_order(graph: Digraph, u: str, v: str, order: dict[str, int]) -> None:
    """Add ``u -> v`` to the acyclic ``graph``, which must stay acyclic (no path from v to u),
    and update its topological ``order`` in place (Pearce and Kelly): only the nodes placed
    between v and u that v reaches or that reach u move, into the places they held."""
    graph.add_edge(u, v)
    low, high = order[v], order[u]
    if low > high:
        return  # already in order
    ahead = _reached(graph.succ, v, lambda node: order[node] <= high)
    behind = _reached(graph.pred, u, lambda node: order[node] >= low)
    moved = sorted(behind, key=order.__getitem__) + sorted(ahead, key=order.__getitem__)
    for node, place in zip(moved, sorted(order[node] for node in moved)):
        order[node] = place


def _reached(adjacency: dict[str, dict[str, None]], start: str, within: Callable[[str], bool]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for neighbour in adjacency[stack.pop()]:
            if neighbour not in seen and within(neighbour):
                seen.add(neighbour)
                stack.append(neighbour)
    return seen


def is_acyclic(graph: Digraph) -> bool:
    return topological_positions(graph) is not None


def topological_positions(graph: Digraph) -> dict[str, int] | None:
    """Each node's place in a topological order (Kahn's algorithm); None when there is a cycle."""
    waiting = {node: len(sources) for node, sources in graph.pred.items()}
    ready = [node for node, count in waiting.items() if count == 0]
    order: dict[str, int] = {}
    while ready:
        node = ready.pop()
        order[node] = len(order)
        for successor in graph.succ[node]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                ready.append(successor)
    return order if len(order) == len(waiting) else None


def shortest_path(graph: Digraph, source: str, target: str) -> list[str]:
    """A shortest path from ``source`` to ``target`` (which must exist), found as networkx's
    ``shortest_path`` finds it: a breadth-first search from both ends, growing the smaller
    fringe, stopping at the first meeting; so the same path among several of equal length."""
    if source == target:
        return [source]
    forward: dict[str, str | None] = {source: None}
    backward: dict[str, str | None] = {target: None}
    forward_fringe, backward_fringe = [source], [target]
    meeting: str | None = None
    while forward_fringe and backward_fringe and meeting is None:
        if len(forward_fringe) <= len(backward_fringe):
            level, forward_fringe = forward_fringe, []
            meeting = _grow(graph.succ, level, forward, backward, forward_fringe)
        else:
            level, backward_fringe = backward_fringe, []
            meeting = _grow(graph.pred, level, backward, forward, backward_fringe)
    if meeting is None:
        raise ValueError(f"no path from {source} to {target}")
    path: list[str] = []
    step: str | None = meeting
    while step is not None:
        path.append(step)
        step = forward[step]
    path.reverse()
    step = backward[meeting]
    while step is not None:
        path.append(step)
        step = backward[step]
    return path


def _grow(
    adjacency: dict[str, dict[str, None]],
    level: list[str],
    reached: dict[str, str | None],
    other: dict[str, str | None],
    fringe: list[str],
) -> str | None:
    """One level of one side of the bidirectional search; the meeting node when the sides meet."""
    for node in level:
        for neighbour in adjacency[node]:
            if neighbour not in reached:
                fringe.append(neighbour)
                reached[neighbour] = node
            if neighbour in other:
                return neighbour
    return None


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


def cyclic_components(graph: Digraph) -> list[tuple[str, ...]]:
    """Strongly connected components that contain a cycle, each sorted, ordered by first name."""
    components = []
    for nodes in strongly_connected_components(graph):
        if len(nodes) > 1 or any(graph.has_edge(node, node) for node in nodes):
            components.append(tuple(sorted(nodes)))
    return sorted(components)


def _component(graph: Digraph, nodes: tuple[str, ...], facts: Callable[[str, str], EdgeFacts]) -> CycleComponent:
    component = induced(graph, nodes)

    def preference(edge: Edge) -> tuple[int, int, str, str]:
        """Smaller is removed first: deferred imports, then edges with fewer statements."""
        edge_facts = facts(*edge)
        return (int(edge_facts.import_time), edge_facts.statements, *edge)

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
    ranked = {edge: rank for rank, edge in enumerate(sorted(graph.edges, key=preference))}
    scale = float(len(ranked) + 1) ** 2

    def weight(edge: Edge) -> float:
        return 1.0 + ranked[edge] / scale

    proper = [(u, v) for u, v in graph.edges if u != v]
    out_degree = dict.fromkeys(graph.nodes, 0)
    in_degree = dict.fromkeys(graph.nodes, 0)
    delta = dict.fromkeys(graph.nodes, 0.0)
    for u, v in proper:
        out_degree[u] += 1
        in_degree[v] += 1
        delta[u] += weight((u, v))
        delta[v] -= weight((u, v))
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
                delta[succ] += weight((node, succ))
                heapq.heappush(heap, (-delta[succ], succ))
                if in_degree[succ] == 0 and out_degree[succ] > 0:
                    sources.append(succ)
        for pred in graph.pred[node]:
            if pred in remaining and pred != node:
                out_degree[pred] -= 1
                delta[pred] -= weight((pred, node))
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
    """Look for a strictly smaller break set while that takes few acyclicity checks."""
    edges = sorted(graph.edges, key=preference)
    budget = _EXACT_SEARCH_BUDGET
    trial = graph.copy()
    for size in range(1, len(best)):
        budget -= comb(len(edges), size) * len(edges)
        if budget < 0:
            break
        for chosen in itertools.combinations(edges, size):
            trial.remove_edges(chosen)
            acyclic = is_acyclic(trial)
            for u, v in chosen:
                trial.add_edge(u, v)
            if acyclic:
                return set(chosen)
    return best


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
        import_time_edges = [edge for edge in component.edges if facts(*edge).import_time]
        import_time = Digraph(component.modules, import_time_edges)
        tangled = {node: nodes[0] for nodes in cyclic_components(import_time) for node in nodes}
        paths_all = _paths_to(component.edges)
        paths_import_time = _paths_to(
            [(u, v) for u, v in import_time_edges if u in tangled and tangled.get(v) == tangled[u]]
        )
        for u, v in component.edges:
            on_import_time = u in tangled and tangled.get(v) == tangled[u] and facts(u, v).import_time
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
