"""The cycle analysis on random graphs, checked against networkx and grimp."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import textwrap

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.application.cycle_breaking import _grimp_break_set, analyse_cycles, cyclic_components
from importcanon.application.digraphs import Digraph
from importcanon.domain.cycles import EdgeFacts

NODES = [f"pkg.m{i}" for i in range(9)]


@st.composite
def graphs(draw):
    """Small random import graphs; each edge is import-time or deferred, with 1-3 statements."""
    edges = draw(st.sets(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)), max_size=28))
    graph = Digraph(NODES)
    facts = {}
    for u, v in sorted(edges):
        graph.add_edge(u, v)
        facts[(u, v)] = EdgeFacts(draw(st.integers(1, 3)), draw(st.booleans()))
    return graph, facts


def as_networkx(graph: Digraph) -> nx.DiGraph:
    """The same graph for networkx, the oracle."""
    copied = nx.DiGraph()
    copied.add_nodes_from(graph.nodes)
    copied.add_edges_from(graph.edges)
    return copied


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_every_reported_cycle_is_a_real_cycle_of_its_component(case):
    graph, facts = case
    for component in analyse_cycles(graph, lambda u, v: facts[(u, v)]):
        assert component.cycles
        for cycle in component.cycles:
            assert set(cycle.modules) <= set(component.modules)
            assert len(set(cycle.modules)) == len(cycle.modules)
            assert all(graph.has_edge(u, v) for u, v in cycle.hops)
            assert cycle.modules[0] == min(cycle.modules)  # canonical rotation
            assert cycle.import_time == all(facts[hop].import_time for hop in cycle.hops)


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_a_component_is_reported_if_and_only_if_it_has_a_cycle(case):
    graph, facts = case
    reported = {component.modules for component in analyse_cycles(graph, lambda u, v: facts[(u, v)])}
    graph = as_networkx(graph)
    expected = set()
    for nodes in nx.strongly_connected_components(graph):
        if not nx.is_directed_acyclic_graph(graph.subgraph(nodes)):
            expected.add(tuple(sorted(nodes)))
    assert reported == expected
    assert (not reported) == nx.is_directed_acyclic_graph(graph)


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_removing_the_break_set_leaves_the_component_acyclic_and_it_is_minimal(case):
    graph, facts = case
    for component in analyse_cycles(graph, lambda u, v: facts[(u, v)]):
        remaining = nx.DiGraph(as_networkx(graph).subgraph(component.modules))
        remaining.remove_edges_from(component.break_set)
        assert nx.is_directed_acyclic_graph(remaining)
        for edge in component.break_set:  # no import in it could be kept
            remaining.add_edge(*edge)
            assert not nx.is_directed_acyclic_graph(remaining)
            remaining.remove_edge(*edge)


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_the_break_set_is_never_larger_than_grimps(case):
    graph, facts = case
    for component in analyse_cycles(graph, lambda u, v: facts[(u, v)]):
        subgraph = graph.induced(component.modules)
        assert len(component.break_set) <= len(_grimp_break_set(subgraph))


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_cycles_are_bounded_and_every_import_time_tangle_gets_an_import_time_cycle(case):
    graph, facts = case
    for component in analyse_cycles(graph, lambda u, v: facts[(u, v)]):
        assert len(component.cycles) <= len(component.edges)
        import_time = Digraph(
            edges=[edge for edge in graph.induced(component.modules).edges if facts[edge].import_time]
        )
        for nodes in cyclic_components(import_time):
            assert any(cycle.import_time and set(cycle.modules) <= set(nodes) for cycle in component.cycles)


SCRIPT = textwrap.dedent(
    """
    import json, random
    from importcanon.application.cycle_breaking import analyse_cycles
    from importcanon.application.digraphs import Digraph
    from importcanon.domain.cycles import EdgeFacts
    rng = random.Random(11)
    nodes = [f"pkg.m{i}" for i in range(60)]
    graph = Digraph()
    for _ in range(240):
        u, v = rng.sample(nodes, 2)
        graph.add_edge(u, v)
    facts = {e: EdgeFacts(rng.randint(1, 3), rng.random() < 0.5) for e in sorted(graph.edges)}
    components = analyse_cycles(graph, lambda u, v: facts[(u, v)])
    print(json.dumps([[c.modules, c.break_set, [(x.modules, x.kind) for x in c.cycles]] for c in components]))
    """
)


def test_output_is_identical_across_runs_and_hash_seeds():
    outputs = set()
    for seed in ("0", "1", "12345", "random"):
        environment = dict(os.environ, PYTHONHASHSEED=seed)
        completed = subprocess.run(
            [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=environment, check=True
        )
        outputs.add(completed.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())  # the graph does have cycles


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_small_components_get_a_minimum_break_set(case):
    graph, facts = case
    for component in analyse_cycles(graph, lambda u, v: facts[(u, v)]):
        edges = list(component.edges)
        if len(edges) > 10:
            continue
        smallest = next(
            size
            for size in range(len(edges) + 1)
            for chosen in itertools.combinations(edges, size)
            if nx.is_directed_acyclic_graph(nx.DiGraph(set(edges) - set(chosen)))
        )
        assert len(component.break_set) == smallest


def test_an_import_time_cycle_is_reported_even_when_a_shorter_deferred_one_shares_the_break():
    graph = Digraph(edges=[("a", "b"), ("b", "a"), ("b", "c"), ("c", "a")])
    facts = {
        ("a", "b"): EdgeFacts(1, True),
        ("b", "a"): EdgeFacts(1, False),  # a function-local import back
        ("b", "c"): EdgeFacts(1, True),
        ("c", "a"): EdgeFacts(1, True),
    }

    (component,) = analyse_cycles(graph, lambda u, v: facts[(u, v)])

    assert component.break_set == (("a", "b"),)
    assert [(cycle.modules, cycle.kind) for cycle in component.cycles] == [
        (("a", "b", "c"), "import-time"),
        (("a", "b"), "deferred"),
    ]


def test_import_time_only_ignores_deferred_imports():
    graph = Digraph(edges=[("a", "b"), ("b", "a"), ("c", "d"), ("d", "c")])
    facts = {("a", "b"): EdgeFacts(1, True), ("b", "a"): EdgeFacts(1, False)}
    facts.update({("c", "d"): EdgeFacts(1, True), ("d", "c"): EdgeFacts(2, True)})

    components = analyse_cycles(graph, lambda u, v: facts[(u, v)], import_time_only=True)

    assert [component.modules for component in components] == [("c", "d")]
    assert components[0].break_set == (("c", "d"),)  # fewer statements behind it
