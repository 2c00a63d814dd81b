"""The faster cycle analysis gives exactly the answers of the code it replaced (tests/cycles_reference.py):
the same components, break sets, representative cycles and shortest cycles, ties included."""

from __future__ import annotations

import cycles_reference as reference
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.application import cycle_breaking, digraphs
from importcanon.domain.cycles import EdgeFacts


@st.composite
def graphs(draw, most_nodes: int = 12, most_edges: int = 48):
    """A random graph with edges added in a drawn order, and facts for each edge."""
    count = draw(st.integers(1, most_nodes))
    nodes = [f"pkg.m{i:02}" for i in range(count)]
    edges = draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), unique=True, max_size=most_edges))
    facts = {edge: EdgeFacts(draw(st.integers(1, 3)), draw(st.booleans())) for edge in edges}
    ordered_nodes = draw(st.permutations(nodes))
    return ordered_nodes, edges, facts


def _both(case):
    nodes, edges, facts = case
    return digraphs.Digraph(nodes, edges), reference.Digraph(nodes, edges), lambda u, v: facts[(u, v)]


@settings(max_examples=400, deadline=None)
@given(graphs(), st.booleans())
def test_the_analysis_equals_the_reference_on_small_graphs(case, import_time_only):
    ours, theirs, facts = _both(case)
    found = cycle_breaking.analyse_cycles(ours, facts, import_time_only=import_time_only)
    assert found == reference.analyse_cycles(theirs, facts, import_time_only=import_time_only)
    assert cycle_breaking.cyclic_imports(found, facts) == reference.cyclic_imports(found, facts)


@settings(max_examples=40, deadline=None)
@given(graphs(most_nodes=40, most_edges=160))
def test_the_analysis_equals_the_reference_on_larger_tangles(case):
    """Large enough that the greedy order, grimp and the exhaustive search's budget all matter."""
    ours, theirs, facts = _both(case)
    found = cycle_breaking.analyse_cycles(ours, facts)
    assert found == reference.analyse_cycles(theirs, facts)
    assert cycle_breaking.cyclic_imports(found, facts) == reference.cyclic_imports(found, facts)


@settings(max_examples=300, deadline=None)
@given(graphs(), st.data())
def test_graph_operations_keep_the_reference_orders(case, data):
    """Walks follow the order of nodes and edges: copies and subgraphs keep it exactly."""
    ours, theirs, _ = _both(case)
    nodes = data.draw(st.lists(st.sampled_from(case[0])))
    removed = data.draw(st.lists(st.sampled_from(case[1]))) if case[1] else []
    for mine, old in (
        (ours, theirs),
        (ours.copy(), theirs.copy()),
        (ours.induced(nodes), theirs.induced(nodes)),
        (ours.restricted(case[1][::2]), theirs.restricted(case[1][::2])),
    ):
        mine.remove_edges(removed)
        old.remove_edges(removed)
        mine.add_edge(case[0][0], case[0][-1])
        old.add_edge(case[0][0], case[0][-1])
        for _ in range(2):
            assert (mine.succ, list(map(list, mine.succ.values()))) == (old.succ, list(map(list, old.succ.values())))
            assert list(mine.pred) == list(old.pred)
            assert list(map(list, mine.pred.values())) == list(map(list, old.pred.values()))
            mine, old = mine.copy(), old.copy()
