#!/usr/bin/env python3
"""Cycle analysis on one large tangle: is it bounded in time and in the number of cycles?

The requirement: on a package whose 400 modules form one strongly connected component (about
2,000 imports), the cycle analysis takes under 2 s and reports no more cycles than the component
has imports. ``networkx.simple_cycles`` on such a graph does not finish: it has millions.

    python benchmarks/bench_cycles.py [--modules 400] [--imports 2000] [--seed 7] [--runs 5]

Times ``analyse_cycles`` itself (median of the runs, after one warm-up), and a real
``importcanon cycles`` run on a generated project with the same shape, cache disabled.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from importcanon.application.cycle_breaking import analyse_cycles
from importcanon.domain.cycles import EdgeFacts


def tangle(modules: int, imports: int, seed: int) -> tuple[nx.DiGraph, dict[tuple[str, str], EdgeFacts]]:
    """A ring through every module (one component) plus random imports, 70% of them import-time."""
    rng = random.Random(seed)
    names = [f"tangle.m{i:04d}" for i in range(modules)]
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    for i, name in enumerate(names):
        graph.add_edge(name, names[(i + 1) % modules])
    while graph.number_of_edges() < imports:
        graph.add_edge(*rng.sample(names, 2))
    facts = {edge: EdgeFacts(rng.randint(1, 3), rng.random() < 0.7) for edge in sorted(graph.edges)}
    return graph, facts


def write_project(directory: Path, graph: nx.DiGraph, facts: dict[tuple[str, str], EdgeFacts]) -> None:
    """The same tangle as files: import-time edges as top-level imports, the others in functions."""
    package = directory / "tangle"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for module in graph.nodes:
        top = [f"import {target}" for target in sorted(graph.successors(module)) if facts[(module, target)].import_time]
        inner = [f"    import {t}" for t in sorted(graph.successors(module)) if not facts[(module, t)].import_time]
        body = "\n".join(top) + "\n\n\ndef later():\n" + ("\n".join(inner) or "    pass") + "\n"
        (package / f"{module.split('.')[1]}.py").write_text(body)
    (directory / "contracts").mkdir()
    (directory / "contracts" / "importcanon.toml").write_text('[settings]\nroot_packages = ["tangle"]\n\n[cycles]\n')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=400)
    parser.add_argument("--imports", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()

    graph, facts = tangle(arguments.modules, arguments.imports, arguments.seed)
    analyse_cycles(graph, lambda u, v: facts[(u, v)])
    timings = []
    for _ in range(arguments.runs):
        started = time.perf_counter()
        (component,) = analyse_cycles(graph, lambda u, v: facts[(u, v)])
        timings.append(time.perf_counter() - started)
    analysis = statistics.median(timings)
    print(f"component: {len(component.modules)} modules, {len(component.edges)} imports")
    print(f"break set: {len(component.break_set)} imports")
    print(f"cycles reported: {len(component.cycles)} ({sum(c.import_time for c in component.cycles)} import-time)")
    print(f"analyse_cycles: {analysis:.2f} s (median of {arguments.runs})")

    directory = Path(tempfile.mkdtemp(prefix="bench-cycles-"))
    try:
        write_project(directory, graph, facts)
        executable = str(Path(sys.executable).with_name("importcanon"))
        command = [executable, "cycles", str(directory), "--no-cache", "-f", "json"]
        started = time.perf_counter()
        completed = subprocess.run(command, capture_output=True, text=True)
        end_to_end = time.perf_counter() - started
    finally:
        shutil.rmtree(directory)
    print(f"importcanon cycles (whole command, cold): {end_to_end:.2f} s, exit {completed.returncode}")

    bounded = len(component.cycles) <= len(component.edges)
    fast = analysis < 2.0
    print(f"bounded (cycles <= imports): {'OK' if bounded else 'MISSED'}; under 2 s: {'OK' if fast else 'MISSED'}")
    return 0 if bounded and fast and completed.returncode == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
