"""Every command prints the same bytes whatever ``PYTHONHASHSEED`` and whatever the cache's history.

A path chosen among equally short ones is a tie-break: it must follow a rule the graph alone
defines (the smallest by name), never the iteration order of a set of strings, which changes with
the hash seed, nor the order the graph was built in, which changes with what the cache knew.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
from conftest import run_cli, write_project
from hypothesis import given, settings
from hypothesis import strategies as st
from importlinter.configuration import configure

from importcanon.application.analyses.import_linter import check_import_linter_contracts
from importcanon.application.digraphs import smallest_shortest_path
from importcanon.application.project import Project
from importcanon.domain.contracts import ImportLinterConfig
from importcanon.domain.facts import ImportKind, SourceModule

#: Seeds under which sets of module names iterate in different orders (before the fix, can-import
#: named three different cycles under these).
HASH_SEEDS = ("0", "1", "2", "3", "4")

#: ``core.d -> old.a`` would close three equally short cycles (through core.b, core.c or core.e),
#: break the layers and import a legacy package, one that passes on a name whose canonical home is
#: elsewhere. The padding keeps the modules on those cycles fewer than half the graph, as in any
#: real project.
TIES = {
    "app/__init__.py": "",
    "app/core/__init__.py": "",
    "app/core/b.py": "from app.core import d\n",
    "app/core/c.py": "from app.core import d\n",
    "app/core/e.py": "from app.core import d\n",
    "app/core/d.py": "VALUE = 1\n",
    "app/old/__init__.py": "",
    "app/old/a.py": """
        from app.core import e, c, b
        from app.new.thing import Thing
    """,
    "app/new/__init__.py": "",
    "app/new/thing.py": "class Thing:\n    pass\n",
    "app/pad/__init__.py": "",
    **{f"app/pad/m{i}.py": f"from app.pad import m{i + 1}\n" for i in range(15)},
    "app/pad/m15.py": "",
    "contracts/importcanon.toml": """
        [[canonical]]
        symbol = "Thing"
        module = "app.new.thing"

        [[legacy]]
        package = "app.old"
        replacement = "app.new"

        [cycles]
    """,
    ".importlinter": """
        [importlinter]
        root_package = app

        [importlinter:contract:layers]
        name = Layered
        type = layers
        layers =
            app.old
            app.core

        [importlinter:contract:independence]
        name = Independent
        type = independence
        modules =
            app.new
            app.pad
    """,
}


def _under_seeds(project: Path, *arguments: str) -> set[str]:
    outputs = set()
    for seed in HASH_SEEDS:
        completed = subprocess.run(
            [sys.executable, "-m", "importcanon", *arguments, str(project), "--no-cache"],
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONHASHSEED=seed),
            timeout=120,
        )
        assert completed.returncode in (0, 1), completed.stderr
        outputs.add(completed.stdout)
    return outputs


def test_can_import_names_the_same_cycle_under_every_hash_seed(tmp_path: Path):
    project = write_project(tmp_path / "project", TIES)

    [text] = _under_seeds(project, "can-import", "app.core.d", "app.old.a")
    [as_json] = _under_seeds(project, "can-import", "app.core.d", "app.old.a", "--format", "json")

    assert "it would close a new import-time import cycle: app.core.d -> app.old.a -> app.core.b -> app.core.d" in text
    assert {o["contract"] for o in json.loads(as_json)["objections"]} == {
        "import-linter contract 'Layered'",
        "legacy app.old",
        "cycles",
    }
    assert [o["contract"] for o in json.loads(as_json)["notes"]] == ["canonical Thing"]


def test_check_prints_the_same_report_under_every_hash_seed(tmp_path: Path):
    project = write_project(tmp_path / "project", TIES)

    outputs = {_without_timing(out) for out in _under_seeds(project, "check", "--format", "json")}

    assert len(outputs) == 1


def _without_timing(report: str) -> str:
    data = json.loads(report)
    data.pop("seconds", None)
    return json.dumps(data, sort_keys=True)


#: A forbidden chain through a diamond: app.mid.a reaches app.mid.c through b0 or b1.
DIAMOND = {
    "app/__init__.py": "",
    "app/low/__init__.py": "",
    "app/low/start.py": "from app.mid import a\n",
    "app/mid/__init__.py": "",
    "app/mid/a.py": "from app.mid import b0\nfrom app.mid import b1\n",
    "app/mid/b0.py": "from app.mid import c\n",
    "app/mid/b1.py": "from app.mid import c\n",
    "app/mid/c.py": "from app.high import end\n",
    "app/high/__init__.py": "",
    "app/high/end.py": "",
    ".importlinter": """
        [importlinter]
        root_package = app

        [importlinter:contract:forbidden]
        name = Forbidden
        type = forbidden
        source_modules =
            app.low
        forbidden_modules =
            app.high
    """,
}


def test_a_contract_chain_does_not_depend_on_what_the_cache_knew(tmp_path: Path):
    # A warm run meets the files the cache knows before those it scans again; grimp picks among
    # equally short chains by the order its graph was built in.
    project = write_project(tmp_path / "project", DIAMOND)
    run_cli("check", project, "--format", "json")
    moved = project / "app" / "mid" / "b0.py"
    moved.write_text("# one line more: b0 is scanned again\n" + moved.read_text())

    warm = run_cli("check", project, "--format", "json")
    cold = run_cli("check", project, "--format", "json", "--no-cache")

    assert warm.findings("contract") == cold.findings("contract")
    [finding] = cold.findings("contract")
    assert [hop["imported"] for hop in finding["chain"]] == ["app.mid.a", "app.mid.b0", "app.mid.c", "app.high.end"]


#: Twelve equally short cycles through a deferred legacy import that fix would rewrite.
REWRITE_TIES = {
    "app/__init__.py": "",
    "app/core/__init__.py": "",
    "app/core/d.py": "def f():\n    from app.old import Thing\n    return Thing\n",
    "app/old/__init__.py": "from app.new.thing import Thing\n",
    "app/new/__init__.py": "",
    "app/new/thing.py": "".join(f"from app.mid import m{i}\n" for i in range(12)) + "\n\nclass Thing:\n    pass\n",
    "app/mid/__init__.py": "",
    **{f"app/mid/m{i}.py": "def g():\n    from app.core import d\n" for i in range(12)},
    "contracts/importcanon.toml": '[[legacy]]\npackage = "app.old"\nreplacement = "app.new"\n\n[cycles]\n',
}


def test_fix_and_can_import_name_the_smallest_of_equally_short_cycles(tmp_path: Path):
    project = write_project(tmp_path / "project", REWRITE_TIES)

    fixed = run_cli("fix", project, "--diff", "--no-cache")
    asked = run_cli("can-import", "app.core.d", "app.new.thing", project, "--no-cache")

    cycle = "app.core.d -> app.new.thing -> app.mid.m0 -> app.core.d"
    assert f"would close a new deferred import cycle ([cycles] contract): {cycle}" in fixed.stderr + fixed.stdout
    assert f"it would close a new deferred import cycle: {cycle}" in asked.stdout


# The tie-break ---------------------------------------------------------------------------------------

NODES = [f"m{i}" for i in range(7)]
edge_lists = st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)), unique=True, max_size=25)


def _successors(edges: list[tuple[str, str]]) -> dict[str, list[str]]:
    successors: dict[str, list[str]] = {}
    for u, v in edges:
        successors.setdefault(u, []).append(v)
    return successors


@settings(max_examples=300)
@given(edge_lists.flatmap(lambda edges: st.tuples(st.just(edges), st.permutations(edges))), st.sampled_from(NODES))
def test_the_smallest_shortest_path_does_not_depend_on_the_order_of_the_edges(pair, goal):
    edges, shuffled = pair
    ours, theirs = _successors(edges), _successors(shuffled)

    path = smallest_shortest_path(lambda node: ours.get(node, ()), "m0", goal)

    assert path == smallest_shortest_path(lambda node: theirs.get(node, ()), "m0", goal)
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(["m0", goal])
    if nx.has_path(graph, "m0", goal):
        assert path == min(nx.all_shortest_paths(graph, "m0", goal))
    else:
        assert path is None


#: The DIAMOND project as the scan reports it: importer -> imported modules (one line each).
DIAMOND_IMPORTS = {
    "app.low.start": ["app.mid.a"],
    "app.mid.a": ["app.mid.b0", "app.mid.b1"],
    "app.mid.b0": ["app.mid.c"],
    "app.mid.b1": ["app.mid.c"],
    "app.mid.c": ["app.high.end"],
}
FORBIDDEN = ImportLinterConfig(
    path=".importlinter",
    session_options={"root_packages": ["app"]},
    contracts=(
        {"name": "Forbidden", "type": "forbidden", "source_modules": ["app.low"], "forbidden_modules": ["app.high"]},
    ),
    contract_lines=(None,),
)


def _scanned(targets: list[str]) -> list[tuple[str, int, str, ImportKind | None]]:
    return [(target, line, f"import {target}", ImportKind.MODULE) for line, target in enumerate(targets, start=1)]


@settings(max_examples=40)
@given(st.permutations(list(DIAMOND_IMPORTS)))
def test_a_contract_chain_does_not_depend_on_the_order_the_scan_met_the_modules(importers):
    """grimp picks among equally short chains by the order its graph was built in: the project
    builds it in one order, whatever the order of the scan's results (a warm run's differs)."""
    configure()  # import-linter's settings, as reading its configuration sets them
    names = ["app", "app.low", "app.mid", "app.high", "app.high.end", *DIAMOND_IMPORTS, "app.mid.b0", "app.mid.b1"]
    modules = {name: SourceModule(name, name.replace(".", "/") + ".py", False) for name in sorted(set(names))}

    def chain(order: list[str]) -> list[str]:
        project = Project(
            root=Path("."),
            root_packages=("app",),
            modules=modules,
            namespace_packages=(),
            imports={m: _scanned(DIAMOND_IMPORTS[m]) for m in order},
            problems=(),
            facts=None,  # type: ignore[arg-type]  # every kind is known: the facts are never asked
        )
        [finding] = check_import_linter_contracts(project, FORBIDDEN).findings
        return [hop["imported"] for hop in finding.details["chain"]]

    assert chain(importers) == chain(sorted(importers))
