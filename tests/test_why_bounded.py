"""``why`` is bounded by design: chains through either end's own modules are cut out of the graph
before the search, so a tangle of 500 modules answers at once even when fewer chains exist than
asked for (the figure is in benchmarks/bench_why.py; these tests check the answers)."""

from __future__ import annotations

import itertools
import random
import shutil
import tempfile
from pathlib import Path

from conftest import run_cli, write_project
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.workspace import open_workspace
from importcanon.application.queries import why
from importcanon.domain.modules import is_within

TANGLE = 500


def _tangle() -> dict[str, str]:
    rng = random.Random(5)
    imports: dict[int, set[int]] = {i: {(i + 1) % TANGLE} for i in range(TANGLE)}
    for _ in range(2 * TANGLE):
        a, b = rng.sample(range(TANGLE), 2)
        imports[a].add(b)
    files = {"contracts/c.toml": '[settings]\nroot_packages = ["knot"]\n', "knot/__init__.py": ""}
    files["knot/tangle/__init__.py"] = ""
    files["knot/lonely.py"] = "X = 1\n"
    for i, targets in imports.items():
        lines = [f"import knot.tangle.m{t:03d}" for t in sorted(targets)]
        if i == 7:
            lines.append("import knot.lonely")
        files[f"knot/tangle/m{i:03d}.py"] = "\n".join(lines) + "\n"
    return files


def test_a_single_chain_out_of_a_500_module_tangle_is_found_alone(project):
    files = _tangle()
    line = files["knot/tangle/m007.py"].splitlines().index("import knot.lonely") + 1
    root = project(files)

    run = run_cli("why", "knot.tangle", "knot.lonely", root, "--format", "json", "--max", "5")

    assert run.exit_code == 0
    assert [[(hop["importer"], hop["imported"], hop["line"]) for hop in chain] for chain in run.json["chains"]] == [
        [("knot.tangle.m007", "knot.lonely", line)]
    ]


def test_chains_inside_the_tangle_are_shortest_first_and_simple(project):
    root = project(_tangle())

    chains = run_cli("why", "knot.tangle.m000", "knot.tangle.m250", root, "--format", "json", "--max", "4").json[
        "chains"
    ]

    assert len(chains) == 4
    lengths = [len(chain) for chain in chains]
    assert lengths == sorted(lengths)
    for chain in chains:
        modules = [chain[0]["importer"]] + [hop["imported"] for hop in chain]
        assert modules[0] == "knot.tangle.m000" and modules[-1] == "knot.tangle.m250"
        assert len(set(modules)) == len(modules)


# Small random projects: the answer is exactly what brute force over every simple path gives.
_NAMES = ["p.a", "p.b", "p.c", "p.d.x", "p.d.y", "p.e"]
_edges = st.sets(st.tuples(st.sampled_from(_NAMES), st.sampled_from(_NAMES)).filter(lambda e: e[0] != e[1]))


@settings(max_examples=25, deadline=None)
@given(edges=_edges, ends=st.sampled_from([("p.a", "p.e"), ("p.d", "p.b"), ("p.a", "p.d"), ("p.c", "p.d.y")]))
def test_why_gives_the_shortest_valid_chains_brute_force_finds(edges, ends):
    importer, imported = ends
    directory = Path(tempfile.mkdtemp())
    try:
        files = {"contracts/c.toml": '[settings]\nroot_packages = ["p"]\n', "p/__init__.py": "", "p/d/__init__.py": ""}
        for name in _NAMES:
            targets = sorted(v for u, v in edges if u == name)
            files[name.replace(".", "/") + ".py"] = "".join(f"import {t}\n" for t in targets) or "X = 1\n"
        write_project(directory, files)
        project = open_workspace(directory, cache_dir=None, use_cache=False).project
        chains = why(project, importer, imported, 3)
    finally:
        shutil.rmtree(directory)

    valid = sorted(len(path) - 1 for path in _valid_paths(edges, importer, imported))
    assert [len(chain) for chain in chains] == valid[:3]
    for chain in chains:
        assert all((hop.importer, hop.imported) in edges for hop in chain)
        assert is_within(chain[0].importer, importer) and is_within(chain[-1].imported, imported)
        middle = [hop.imported for hop in chain[:-1]]
        assert not any(is_within(m, importer) or is_within(m, imported) for m in middle)


def _valid_paths(edges, importer, imported):
    nodes = sorted({n for edge in edges for n in edge})
    for size in range(2, len(nodes) + 1):
        for path in itertools.permutations(nodes, size):
            if not all(step in edges for step in itertools.pairwise(path)):
                continue
            if not (is_within(path[0], importer) and is_within(path[-1], imported)):
                continue
            if any(is_within(m, importer) or is_within(m, imported) for m in path[1:-1]):
                continue
            yield path
