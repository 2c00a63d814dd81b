"""The plain graph searches give networkx's answers, the same path among equals included."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.application.digraphs import (
    Digraph,
    add_edge_keeping_order,
    find_cycle,
    has_path,
    has_path_within,
    is_acyclic,
    shortest_path,
    strongly_connected_components,
    topological_positions,
)

NODES = [f"m{i:02}" for i in range(14)]


@st.composite
def graph_pairs(draw):
    """The same random graph twice, edges added in the same (drawn) order."""
    edges = draw(st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)), unique=True, max_size=50))
    ours, theirs = Digraph(NODES), nx.DiGraph()
    theirs.add_nodes_from(NODES)
    for u, v in edges:
        ours.add_edge(u, v)
        theirs.add_edge(u, v)
    return ours, theirs


@settings(max_examples=300, deadline=None)
@given(graph_pairs(), st.sampled_from(NODES), st.sampled_from(NODES))
def test_shortest_path_is_the_one_networkx_finds(pair, source, target):
    ours, theirs = pair
    assert has_path(ours, source, target) == nx.has_path(theirs, source, target)
    if nx.has_path(theirs, source, target):
        assert shortest_path(ours, source, target) == nx.shortest_path(theirs, source, target)


@settings(max_examples=300, deadline=None)
@given(graph_pairs())
def test_components_and_acyclicity_agree_with_networkx(pair):
    ours, theirs = pair
    assert sorted(map(sorted, strongly_connected_components(ours))) == sorted(
        map(sorted, nx.strongly_connected_components(theirs))
    )
    assert is_acyclic(ours) == nx.is_directed_acyclic_graph(theirs)


@settings(max_examples=100, deadline=None)
@given(graph_pairs(), st.lists(st.sampled_from(NODES), max_size=10))
def test_induced_and_removed_edges_agree_with_networkx(pair, nodes):
    ours, theirs = pair
    induced = ours.induced(nodes)
    assert induced.nodes == sorted(set(nodes))
    assert induced.edges == sorted(theirs.subgraph(nodes).edges)
    removed = ours.edges[::2]
    ours.remove_edges(removed)
    theirs.remove_edges_from(removed)
    assert ours.edges == list(theirs.edges)
    assert ours.copy().edges == ours.edges


@settings(max_examples=300, deadline=None)
@given(graph_pairs(), st.sampled_from(NODES), st.sampled_from(NODES))
def test_a_topological_order_bounds_the_search_without_changing_its_answer(pair, source, target):
    ours, theirs = pair
    order = topological_positions(ours)
    assert (order is not None) == nx.is_directed_acyclic_graph(theirs)
    if order is None:  # keep only the edges that run forwards in NODES' order: acyclic
        backwards = [(u, v) for u, v in ours.edges if u >= v]
        ours.remove_edges(backwards)
        theirs.remove_edges_from(backwards)
        order = topological_positions(ours)
        assert order is not None
    assert all(order[u] < order[v] for u, v in ours.edges)
    assert has_path_within(ours, source, target, order) == nx.has_path(theirs, source, target)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)), unique=True, max_size=60))
def test_an_order_kept_while_edges_are_added_stays_topological(edges):
    graph = Digraph(NODES)
    order = topological_positions(graph)
    assert order is not None
    for u, v in edges:
        if u == v or has_path(graph, v, u):
            continue  # it would close a cycle
        add_edge_keeping_order(graph, u, v, order)
        assert sorted(order.values()) == list(range(len(NODES)))
        assert all(order[a] < order[b] for a, b in graph.edges)


@settings(max_examples=300, deadline=None)
@given(graph_pairs())
def test_a_cycle_is_found_exactly_when_there_is_one(pair):
    ours, theirs = pair
    cycle = find_cycle(ours)
    assert (cycle is None) == nx.is_directed_acyclic_graph(theirs)
    if cycle is not None:
        assert all(ours.has_edge(u, v) for u, v in cycle)
        assert [v for _, v in cycle] == [u for u, _ in cycle[1:] + cycle[:1]]  # each hop leads on to the next
        assert len({u for u, _ in cycle}) == len(cycle)  # a simple cycle
