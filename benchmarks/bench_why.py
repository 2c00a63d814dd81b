#!/usr/bin/env python3
"""``why`` on a 3,000-module project with a 500-module tangle: does every pair answer quickly?

The requirement: under 2 s warm, whatever the pair, including the pairs where fewer chains exist
than ``--max`` asks for (the search then used to walk the tangle's exponentially many paths only
to discard them, for over ten minutes).

    python benchmarks/bench_why.py [--layered 2500] [--tangle 500] [--tangle-imports 2500] [--seed 3]

Writes the project to a temporary directory, warms the cache with one run, then times, for each
pair, the ``why`` query itself on an open workspace and a whole ``importcanon why`` command
(warm cache, process start-up included).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from importcanon.adapters.workspace import open_workspace
from importcanon.application.queries import why

LIMIT = 2.0


def write_project(directory: Path, layered: int, tangle: int, tangle_imports: int, seed: int) -> None:
    """``big.layer`` is acyclic (each module imports two later ones); its first 100 modules import
    the tangle, a ring plus random imports whose modules import the last 500 layered modules; one
    tangle module imports ``big.lonely``, which nothing else imports."""
    rng = random.Random(seed)
    layer = [f"big.layer.l{i:04d}" for i in range(layered)]
    knot = [f"big.tangle.m{i:04d}" for i in range(tangle)]
    imports: dict[str, set[str]] = {name: set() for name in layer + knot}
    for index, name in enumerate(layer[:-1]):
        imports[name].update(rng.sample(layer[index + 1 :], min(2, layered - index - 1)))
        if index < 100:
            imports[name].add(rng.choice(knot))
    edges = 0
    for index, name in enumerate(knot):
        imports[name].add(knot[(index + 1) % tangle])
        edges += 1
    while edges < tangle_imports:
        importer, imported = rng.sample(knot, 2)
        if imported not in imports[importer]:
            imports[importer].add(imported)
            edges += 1
    for name in knot:
        imports[name].add(rng.choice(layer[-500:]))
    imports["big.lonely"] = set()  # imported by one tangle module only: one chain leaves the tangle to it
    imports[knot[7]].add("big.lonely")
    for package in ("big", "big/layer", "big/tangle"):
        (directory / package).mkdir(parents=True)
        (directory / package / "__init__.py").write_text("")
    for name, targets in imports.items():
        body = "".join(f"import {target}\n" for target in sorted(targets))
        (directory / (name.replace(".", "/") + ".py")).write_text(body + "\n\ndef f():\n    return 1\n")
    (directory / "contracts").mkdir()
    (directory / "contracts" / "importcanon.toml").write_text('[settings]\nroot_packages = ["big"]\n')


PAIRS = [
    ("big.tangle.m0000", "big.tangle.m0250", 3),  # inside the tangle: chains everywhere
    ("big.tangle", "big.lonely", 3),  # one chain only, fewer than asked for, behind 500 tangled modules
    ("big.tangle", "big.layer.l2499", 3),  # the package as a whole: chains that leave it directly
    ("big.tangle", "big.layer.l2499", 50),
    ("big.layer.l0000", "big.layer.l2499", 3),  # through the layers and the tangle
    ("big.layer", "big.tangle", 10),
    ("big.tangle.m0001", "big.layer.l0005", 3),  # no chain at all
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layered", type=int, default=2500)
    parser.add_argument("--tangle", type=int, default=500)
    parser.add_argument("--tangle-imports", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=3)
    arguments = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="bench-why-"))
    executable = str(Path(sys.executable).with_name("importcanon"))
    worst = 0.0
    try:
        write_project(directory, arguments.layered, arguments.tangle, arguments.tangle_imports, arguments.seed)
        subprocess.run([executable, "why", "big.layer.l0000", "big.tangle", str(directory)], capture_output=True)
        workspace = open_workspace(directory, cache_dir=None)
        modules = len(workspace.project.modules)
        print(f"project: {modules} modules, {workspace.project.import_count} imports, tangle of {arguments.tangle}")
        for importer, imported, limit in PAIRS:
            started = time.perf_counter()
            chains = why(workspace.project, importer, imported, limit)
            query = time.perf_counter() - started
            started = time.perf_counter()
            command = [executable, "why", importer, imported, str(directory), "--max", str(limit)]
            completed = subprocess.run(command, capture_output=True, text=True)
            whole = time.perf_counter() - started
            worst = max(worst, whole)
            print(
                f"why {importer} {imported} --max {limit}: {len(chains)} chains, query {query:.2f} s, "
                f"command (warm) {whole:.2f} s, exit {completed.returncode}"
            )
    finally:
        shutil.rmtree(directory)
    print(f"worst command: {worst:.2f} s; under {LIMIT:.0f} s: {'OK' if worst < LIMIT else 'MISSED'}")
    return 0 if worst < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
