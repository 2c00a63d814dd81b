"""Directed graphs of modules on plain dictionaries, with the few searches the cycle analysis needs.

networkx takes longer to import than a warm run spends on everything else, and its generic graph
classes cost several times these dictionaries on the small, hot searches of the break-set
heuristics. Every walk here visits successors and predecessors in the order their edges were
added, as networkx does, so that a search that stops at the first of several equal answers
(:func:`shortest_path`) picks the same one. Every search is linear in the graph it walks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

Edge = tuple[str, str]


class Digraph:
    """Nodes in the order given, then those first met in an edge; edges in the order added."""

    def __init__(self, nodes: Iterable[str] = (), edges: Iterable[Edge] = ()) -> None:
        # add_node and add_edge, inlined: the analyses build a hundred graphs of thousands of edges.
        succ: dict[str, dict[str, None]] = {node: {} for node in nodes}
        pred: dict[str, dict[str, None]] = {node: {} for node in succ}
        for u, v in edges:
            targets = succ.get(u)
            if targets is None:
                targets = succ[u] = {}
                pred[u] = {}
            if v not in succ:
                succ[v] = {}
                pred[v] = {}
            targets[v] = None
            pred[v][u] = None
        self.succ = succ
        self.pred = pred

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
        """The same graph; each node's predecessors in the order of its predecessors' nodes."""
        copied = Digraph()
        pred: dict[str, dict[str, None]] = {node: {} for node in self.succ}
        for u, targets in self.succ.items():
            for v in targets:
                pred[v][u] = None
        copied.succ = {node: targets.copy() for node, targets in self.succ.items()}
        copied.pred = pred
        return copied

    def induced(self, nodes: Iterable[str]) -> Digraph:
        """The subgraph on ``nodes``, built in sorted order (deterministic walks)."""
        kept = {node for node in nodes if node in self.succ}
        subgraph = Digraph()
        succ: dict[str, dict[str, None]] = {}
        pred: dict[str, dict[str, None]] = {node: {} for node in sorted(kept)}
        for u in pred:  # sorted: each node's predecessors come in sorted order too
            targets = succ[u] = dict.fromkeys(sorted(v for v in self.succ[u] if v in kept))
            for v in targets:
                pred[v][u] = None
        subgraph.succ, subgraph.pred = succ, pred
        return subgraph

    def restricted(self, edges: Iterable[Edge]) -> Digraph:
        """All of this graph's nodes (sorted) and only ``edges``, in that order."""
        return Digraph(sorted(self.succ), edges)


def strongly_connected_components(graph: Digraph | Mapping[str, Iterable[str]]) -> Iterator[list[str]]:
    """Tarjan's algorithm, iteratively (no recursion limit on long chains), on a graph or on
    each node's successors (every successor a key too). One pass over each node's successors:
    a lowlink is lowered as each edge is met, and by each child as the search returns from it."""
    successors = graph.succ if isinstance(graph, Digraph) else graph
    preorder: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    done: set[str] = set()  # in a component already found (off the stack)
    stack: list[str] = []
    for root in successors:
        if root in preorder:
            continue
        preorder[root] = lowlink[root] = len(preorder)
        stack.append(root)
        path = [(root, iter(successors[root]))]
        while path:
            node, pending = path[-1]
            for target in pending:
                if target not in preorder:
                    preorder[target] = lowlink[target] = len(preorder)
                    stack.append(target)
                    path.append((target, iter(successors[target])))
                    break
                if target not in done and preorder[target] < lowlink[node]:
                    lowlink[node] = preorder[target]
            else:
                path.pop()
                low = lowlink[node]
                if path:
                    parent = path[-1][0]
                    if low < lowlink[parent]:
                        lowlink[parent] = low
                if low == preorder[node]:
                    start = len(stack) - 1
                    while stack[start] != node:
                        start -= 1
                    component = stack[start:]
                    del stack[start:]
                    done.update(component)
                    yield component


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
    ahead = reached(graph.succ, v, lambda node: order[node] <= high)
    behind = reached(graph.pred, u, lambda node: order[node] >= low)
    moved = sorted(behind, key=order.__getitem__) + sorted(ahead, key=order.__getitem__)
    for node, place in zip(moved, sorted(order[node] for node in moved)):
        order[node] = place


def reached(adjacency: dict[str, dict[str, None]], start: str, within: Callable[[str], bool] | None = None) -> set[str]:
    """``start`` and every node it reaches through ``adjacency`` (successors or predecessors)
    by way of nodes ``within`` allows (any, without it); each edge is looked at once."""
    seen = {start}
    stack = [start]
    while stack:
        for neighbour in adjacency[stack.pop()]:
            if neighbour not in seen and (within is None or within(neighbour)):
                seen.add(neighbour)
                stack.append(neighbour)
    return seen


def is_acyclic(graph: Digraph) -> bool:
    return topological_positions(graph) is not None


def find_cycle(graph: Digraph) -> list[Edge] | None:
    """The edges of one cycle of ``graph``; None when it is acyclic. Kahn's algorithm peels off
    every node that no cycle leads to; each node left has a predecessor left, so walking from
    one to a predecessor of it, and on, comes back round to a node met before: a cycle."""
    waiting = {node: len(sources) for node, sources in graph.pred.items()}
    ready = [node for node, count in waiting.items() if count == 0]
    while ready:
        for successor in graph.succ[ready.pop()]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                ready.append(successor)
    node = next((node for node, count in waiting.items() if count > 0), None)
    if node is None:
        return None
    met: dict[str, int] = {}
    walk: list[str] = []
    while node not in met:
        met[node] = len(walk)
        walk.append(node)
        node = next(source for source in graph.pred[node] if waiting[source] > 0)
    cycle = walk[met[node] :][::-1]  # walked backwards: turned round
    return list(zip(cycle, cycle[1:] + cycle[:1]))


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


def smallest_shortest_path(successors: Callable[[str], Iterable[str]], source: str, goal: str) -> list[str] | None:
    """The lexicographically smallest (as a list of names) of the shortest paths from ``source``
    to ``goal``; None when there is none. A choice the graph alone defines: not the order its
    edges were added in, nor that of a set, so a path a query shows never varies with
    ``PYTHONHASHSEED``, with the cache's history or with unrelated modules.

    A breadth-first search that takes each node's successors in sorted order, the oldest node
    first, and keeps the first way it reaches a node: the nodes of each level are then met in the
    order of their smallest paths, so each node's first way in is its smallest shortest path.
    """
    if source == goal:
        return [source]
    previous: dict[str, str | None] = {source: None}
    frontier = [source]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(successors(node)):
                if successor in previous:
                    continue
                previous[successor] = node
                if successor == goal:
                    path = [successor]
                    while (back := previous[path[-1]]) is not None:
                        path.append(back)
                    return path[::-1]
                following.append(successor)
        frontier = following
    return None


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
