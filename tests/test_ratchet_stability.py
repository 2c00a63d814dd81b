"""The ratchet on cycles is monotone: properties over random graphs written as real projects.

For a graph G and one more import e: ``check(G + e)`` against ``baseline(G)`` reports every new
finding at e's ``path:line`` and changes the status of nothing recorded; ``check(G)`` against
``baseline(G + e)`` has no new finding and ``baseline update`` shrinks the file without
``--allow-growth``; a cold run, a warm run after tree edits and ``--no-cache`` agree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import run_cli, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.adapters.workspace import open_workspace
from importcanon.application.check import run_check
from importcanon.domain.baseline import Baseline
from importcanon.domain.findings import fingerprint_of

MODULES = [f"pkg.m{i}" for i in range(5)]
KINDS = ["module", "deferred", "type-checking", "guarded"]
CONTRACTS = '[settings]\nroot_packages = ["pkg"]\n\n[cycles]\n'


@dataclass(frozen=True)
class Statement:
    importer: str
    imported: str
    kind: str


def render(module: str, statements: list[Statement]) -> tuple[str, dict[Statement, int]]:
    """The module's text, every statement of the given kind on a line of its own, and its lines."""
    lines = ["from typing import TYPE_CHECKING", "", "VALUE = 1", ""]
    where: dict[Statement, int] = {}
    for statement in statements:
        target = f"import {statement.imported}"
        if statement.kind == "module":
            lines.append(target)
        elif statement.kind == "type-checking":
            lines += ["if TYPE_CHECKING:", f"    {target}"]
        elif statement.kind == "guarded":
            lines += ["try:", f"    {target}", "except ImportError:", "    pass"]
            where[statement] = len(lines) - 2
            continue
        else:
            lines += [f"def use_{len(lines)}():", f"    {target}", f"    return {statement.imported}"]
            where[statement] = len(lines) - 1
            continue
        where[statement] = len(lines)
    return "\n".join(lines) + "\n", where


def write_graph(root: Path, statements: list[Statement]) -> dict[Statement, tuple[str, int]]:
    """(Re)write the package with exactly these statements; each statement's ``path:line``."""
    files = {"pkg/__init__.py": "", "contracts/importcanon.toml": CONTRACTS}
    located = {}
    for module in MODULES:
        path = module.replace(".", "/") + ".py"
        text, lines = render(module, [s for s in statements if s.importer == module])
        files[path] = text
        located.update({statement: (path, line) for statement, line in lines.items()})
    write_project(root, files)
    return located


statements = st.builds(Statement, st.sampled_from(MODULES), st.sampled_from(MODULES), st.sampled_from(KINDS)).filter(
    lambda s: s.importer != s.imported
)
graphs = st.lists(statements, max_size=9, unique=True)


def reaches(graph: list[Statement], start: str) -> set[str]:
    """The modules ``start`` imports, directly or not, through imports that can make a cycle."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for s in graph:
            if s.importer == node and s.kind != "type-checking" and s.imported not in seen:
                seen.add(s.imported)
                todo.append(s.imported)
    return seen


@st.composite
def graph_and_extra(draw: st.DrawFn) -> tuple[list[Statement], Statement]:
    """A graph and one more import, which closes a cycle three times out of four when it can."""
    graph = draw(st.lists(statements, min_size=2, max_size=9, unique=True))
    closing = [
        Statement(importer, imported, kind)
        for imported in MODULES
        for importer in sorted(reaches(graph, imported) - {imported})
        for kind in KINDS
    ]
    if closing and draw(st.integers(0, 3)):
        return graph, draw(st.sampled_from(closing))
    return graph, draw(statements)


@contextmanager
def workdir() -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix="ratchet-"))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def check(root: Path, *args: str) -> dict:
    run = run_cli("check", root, "--format", "json", "--cache-dir", root.parent / "cache", *args)
    assert run.exit_code in (0, 1), run.stderr
    return run.json


def cycle_findings(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == "import-cycle"]


def entries(root: Path) -> set[str]:
    document = json.loads((root / "contracts/baseline.json").read_text())
    return {entry["fingerprint"] for entry in document["entries"]}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=graph_and_extra())
def test_adding_an_import_reports_only_it_and_removing_it_again_is_green(case):
    graph, extra = case
    with workdir() as directory:
        root = directory / "project"
        write_graph(root, graph)
        assert run_cli("baseline", "create", root, "--cache-dir", directory / "cache").exit_code == 0
        before = entries(root)

        located = write_graph(root, [*graph, extra])
        grown = check(root)

        new = [f for f in cycle_findings(grown) if f["status"] == "new"]
        assert all((f["path"], f["line"]) == located[extra] for f in new), new
        assert len(new) <= 1
        assert grown["fixed"] == []  # nothing recorded changed status
        accept = run_cli("baseline", "update", root, "--allow-growth", "--cache-dir", directory / "cache")
        assert accept.exit_code == 0
        grown_entries = entries(root)
        covered = {c["importer"] + ">" + c["imported"] for f in new for c in f.get("consequences", [])}
        assert len(grown_entries) == len(before) + len(new) + len(covered)

        write_graph(root, graph)
        shrunk = check(root)
        update = run_cli("baseline", "update", root, "--cache-dir", directory / "cache")

        assert [f for f in cycle_findings(shrunk) if f["status"] == "new"] == []
        assert shrunk["summary"]["new"] == 0
        assert sum(entry["count"] for entry in shrunk["fixed"]) == len(grown_entries) - len(before)
        assert update.exit_code == 0, update.stdout
        assert entries(root) == before


def snapshot(report: dict) -> list[tuple]:
    return [
        (f["rule"], f["fingerprint"], f["path"], f["line"], f["message"], f["status"], f.get("consequences"))
        for f in report["findings"]
    ]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=graphs, second=graphs)
def test_cold_warm_after_edits_and_no_cache_runs_agree(first, second):
    with workdir() as directory:
        root = directory / "project"
        write_graph(root, first)
        check(root)  # fills the cache with the first tree
        write_graph(root, second)

        warm = check(root)
        again = check(root)
        uncached = check(root, "--no-cache")
        shutil.rmtree(directory / "cache")
        cold = check(root)

        assert snapshot(warm) == snapshot(again) == snapshot(uncached) == snapshot(cold)


def closing_import(root: Path) -> tuple[str, str]:
    """An import that ties a module downstream of the project's largest tangle back into it."""
    from importcanon.adapters.workspace import open_workspace

    graph = open_workspace(root, cache_dir=None, use_cache=False).project.digraph
    import networkx as nx

    tangle = max(nx.strongly_connected_components(graph), key=len)
    entry = min(tangle)
    downstream = sorted(
        nx.descendants(graph, entry) - tangle, key=lambda m: (-nx.shortest_path_length(graph, entry, m), m)
    )
    return downstream[0], entry


def test_the_scenario_on_a_generated_tangle_ends_green_and_the_baseline_shrinks_back(tmp_path):
    """Baseline, add one import that closes cycles, accept it, remove it: green, and the file
    is byte for byte what it was."""
    root = tmp_path / "monorepo"
    generator = Path(__file__).resolve().parent.parent / "benchmarks" / "generate_monorepo.py"
    subprocess.run(
        [sys.executable, generator, root, "--modules", "120", "--extra-files", "0"], check=True, capture_output=True
    )
    (root / ".importlinter").unlink()  # the [cycles] contract alone: the scenario of the issue
    cache = ("--cache-dir", tmp_path / "cache")
    assert run_cli("baseline", "create", root, *cache).exit_code == 0
    baseline = root / "contracts" / "baseline.json"
    recorded = baseline.read_bytes()
    importer, imported = closing_import(root)
    path = root / (importer.replace(".", "/") + ".py")
    if not path.exists():
        path = root / importer.replace(".", "/") / "__init__.py"
    original = path.read_text()
    path.write_text(original + f"\nimport {imported}\n")
    added_line = len((original + "\n").splitlines()) + 1

    grown = run_cli("check", root, "--format", "json", *cache)

    new = [f for f in grown.findings() if f["status"] == "new"]
    assert grown.exit_code == 1
    assert [(f["rule"], f["path"], f["line"]) for f in new] == [
        ("import-cycle", path.relative_to(root).as_posix(), added_line)
    ]
    consequences = new[0]["consequences"]
    assert len(consequences) >= 2  # a chain of existing imports became cyclic: listed, not reported
    assert f"it also puts {len(consequences)} existing imports on a cycle" in new[0]["message"]
    assert grown.json["summary"]["fixed"] == 0
    assert run_cli("baseline", "update", root, *cache).exit_code == 1  # growth is refused...
    assert run_cli("baseline", "update", root, "--allow-growth", *cache).exit_code == 0  # ...unless asked

    path.write_text(original)
    shrunk = run_cli("check", root, "--format", "json", *cache)
    update = run_cli("baseline", "update", root, *cache)

    assert shrunk.exit_code == 0
    assert shrunk.json["summary"] == {
        "new": 0,
        "baselined": shrunk.json["summary"]["baselined"],
        "fixed": 1 + len(consequences),
    }
    assert update.exit_code == 0
    assert update.stdout.endswith(f"({-(1 + len(consequences)):+d})\n")
    assert baseline.read_bytes() == recorded


def test_without_a_recorded_digest_every_new_cyclic_import_stands_on_its_own(project):
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": "import pkg.c\n",
        "pkg/c.py": "VALUE = 1\n",
        "contracts/importcanon.toml": CONTRACTS,
    }
    root = project(files)
    assert run_cli("baseline", "create", root).exit_code == 0
    baseline = root / "contracts" / "baseline.json"
    document = json.loads(baseline.read_text())
    assert document["cycle_imports"]  # written by create
    del document["cycle_imports"]  # as a baseline written before the digest existed
    baseline.write_text(json.dumps(document))
    (root / "pkg/c.py").write_text("VALUE = 1\nimport pkg.a\n")

    run = run_cli("check", root, "--format", "json")

    assert [(f["path"], f["line"]) for f in run.findings() if f["status"] == "new"] == [
        ("pkg/a.py", 1),
        ("pkg/b.py", 1),
        ("pkg/c.py", 2),
    ]
    assert run_cli("baseline", "show", root).exit_code == 0


# import-linter contracts whose chains tie: layers, forbidden and acyclic_siblings ------------------

CONTRACT_MODULES = ["app.high.a", "app.high.b", "app.low.x", "app.low.y", "app.u1", "app.u2"]
IMPORT_LINTER = """
[importlinter]
root_package = app

[importlinter:contract:layers]
name = High above low
type = layers
layers =
    app.high
    app.low

[importlinter:contract:forbidden]
name = Low never reaches high
type = forbidden
source_modules =
    app.low
forbidden_modules =
    app.high

[importlinter:contract:siblings]
name = Children of app are acyclic
type = acyclic_siblings
ancestors =
    app
"""

contract_statements = st.builds(
    Statement, st.sampled_from(CONTRACT_MODULES), st.sampled_from(CONTRACT_MODULES), st.sampled_from(KINDS)
).filter(lambda s: s.importer != s.imported)


def write_contract_graph(root: Path, statements: list[Statement]) -> dict[Statement, tuple[str, int]]:
    files = {
        "app/__init__.py": "",
        "app/high/__init__.py": "",
        "app/low/__init__.py": "",
        ".importlinter": IMPORT_LINTER,
        "contracts/importcanon.toml": '[settings]\nroot_packages = ["app"]\n',
    }
    located = {}
    for module in CONTRACT_MODULES:
        path = module.replace(".", "/") + ".py"
        text, lines = render(module, [s for s in statements if s.importer == module])
        files[path] = text
        located.update({statement: (path, line) for statement, line in lines.items()})
    write_project(root, files)
    return located


def contract_findings(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == "contract"]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=st.lists(contract_statements, min_size=3, max_size=10, unique=True), extra=contract_statements)
def test_contract_findings_never_flip_when_an_import_comes_and_goes(graph, extra):
    with workdir() as directory:
        root = directory / "project"
        cache = ("--cache-dir", directory / "cache")
        write_contract_graph(root, graph)
        assert run_cli("baseline", "create", root, *cache).exit_code == 0
        before = (root / "contracts/baseline.json").read_bytes()

        located = write_contract_graph(root, [*graph, extra])
        grown = check(root)

        assert grown["fixed"] == []  # nothing recorded changed status
        for finding in contract_findings(grown):
            if finding["status"] == "new":
                assert (finding["path"], finding["line"]) == located[extra], finding
        assert run_cli("baseline", "update", root, "--allow-growth", *cache).exit_code == 0

        write_contract_graph(root, graph)
        shrunk = check(root)
        update = run_cli("baseline", "update", root, *cache)

        assert shrunk["summary"]["new"] == 0, [f["message"] for f in shrunk["findings"] if f["status"] == "new"]
        assert update.exit_code == 0
        assert (root / "contracts/baseline.json").read_bytes() == before


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.lists(contract_statements, max_size=10, unique=True),
    second=st.lists(contract_statements, max_size=10, unique=True),
)
def test_contract_findings_agree_cold_warm_and_without_cache(first, second):
    with workdir() as directory:
        root = directory / "project"
        write_contract_graph(root, first)
        check(root)
        write_contract_graph(root, second)

        warm = check(root)
        uncached = check(root, "--no-cache")
        shutil.rmtree(directory / "cache")
        cold = check(root)

        assert snapshot(warm) == snapshot(uncached) == snapshot(cold)


def test_equally_short_chains_are_one_finding_of_the_pair_whatever_grimp_picks(project):
    files = {
        "app/__init__.py": "",
        "app/high/__init__.py": "",
        "app/high/a.py": "X = 1\n",
        "app/low/__init__.py": "",
        "app/low/x1.py": "import app.m\n",
        "app/low/x2.py": "import app.m\n",
        "app/low/y.py": "import app.u1\nimport app.u2\n",
        "app/m.py": "import app.high.a\n",
        "app/u1.py": "import app.high.a\n",
        "app/u2.py": "import app.high.a\n",
        ".importlinter": IMPORT_LINTER.replace("[importlinter:contract:siblings]", "[importlinter:unused]"),
        "contracts/importcanon.toml": '[settings]\nroot_packages = ["app"]\n',
    }
    root = project(files)
    assert run_cli("baseline", "create", root).exit_code == 0

    run = run_cli("check", root, "--format", "json")
    (root / "app/low/a0.py").write_text("X = 0\n")  # an unrelated module: grimp's choice may move
    (root / "app/low/x1.py").write_text("import app.m\n\n\nY = 2\n")
    moved = run_cli("check", root, "--format", "json")

    chains = {f["contract"]: f for f in run.findings("contract")}
    forbidden = chains["Low never reaches high"]
    # grimp reports one of x1 -> m -> a and x2 -> m -> a (a tie): the finding is the pair's.
    assert forbidden["message"].splitlines() == [
        "app.low is not allowed to import app.high through 3 chains of imports (contract 'Low never reaches high'):",
        "  app.low.x1 -> app.m (app/low/x1.py: l.1 module)",
        "  app.m -> app.high.a (app/m.py: l.1 module)",
        "  (and: app.low.y -> app.u1 -> app.high.a (app/low/y.py: l.1))",
        "  (and: app.low.y -> app.u2 -> app.high.a (app/low/y.py: l.2))",
    ]
    assert forbidden["fingerprint"] == fingerprint_of(
        "contract", ("Low never reaches high", "app.low", "app.high", "indirect")
    )
    assert {f["fingerprint"] for f in run.findings("contract")} == {
        f["fingerprint"] for f in moved.findings("contract")
    }
    assert run.json["summary"]["new"] == moved.json["summary"]["new"] == 0
    assert moved.json["summary"]["fixed"] == 0


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=graph_and_extra())
def test_a_check_without_a_cache_attributes_new_cycles_as_a_cached_one_does(case):
    """Without a cache and with no baseline written, a check hashes the imports only for a baseline
    that recorded their digest: against one that did, it attributes exactly as a cached check."""
    graph, extra = case
    with workdir() as directory:
        root = directory / "project"
        write_graph(root, graph)
        assert run_cli("baseline", "create", root, "--cache-dir", directory / "cache").exit_code == 0
        write_graph(root, [*graph, extra])

        assert snapshot(check(root, "--no-cache")) == snapshot(check(root))


def test_the_digest_of_the_imports_is_taken_only_when_a_baseline_needs_it(tmp_path):
    root = tmp_path / "project"
    write_graph(root, [Statement("pkg.m0", "pkg.m1", "module"), Statement("pkg.m1", "pkg.m0", "module")])
    workspace = open_workspace(root, cache_dir=None, use_cache=False)
    project, import_linter, contracts = workspace.project, workspace.import_linter, workspace.contracts

    assert run_check(project, import_linter, contracts, records_imports=False).cycle_imports is None
    assert run_check(project, import_linter, contracts).cycle_imports  # a baseline is to be written
    recorded = Baseline(cycle_imports={})
    assert run_check(project, import_linter, contracts, recorded, records_imports=False).cycle_imports is not None
