"""The broken imports, the legacy imports and the import cycles, computed in a forked copy of the
run beside the other analyses, report and leave behind exactly what computing them in the run
itself does.

``check`` hands those analyses to ``FactSource.alongside`` (adapters/alongside.py) when the
project is big enough and a second core is there; the child's cache writes and parse failures
come back with its findings. Compared here: a whole check on two cores and on one, through the
real CLI, and the facts a run keeps after work done alongside.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write_project

from importcanon.adapters import forking
from importcanon.adapters.configuration import read_contracts
from importcanon.adapters.forking import forked
from importcanon.adapters.loading import FactStore, ScanOptions, load_project
from importcanon.application.analyses.legacy import find_legacy_imports
from importcanon.application.analyses.shims import find_shims
from importcanon.application.check import OVERLAPPED_IMPORTS
from importcanon.application.symbols import Resolver

# grimp scans it; CPython refuses it on every version and libcst too: only a parse meets it.
TOO_DEEP = "x = " + "(" * 201 + "1" + ")" * 201 + "\n"


def tangled_project(root: Path, importlinter: str = "") -> Path:
    """Enough imports to be worth a second process (most of them the same deferred import again):
    rings of cycles, one of whose imports only a parse can place (it does not start its line) in
    a file only a parse finds broken, a layers contract broken, the [cycles] contract over it,
    broken imports: of a name no module binds, and of one a star import does not bring; and imports
    of a legacy package, at module level and inside a function (that one needs a parse)."""
    rings = 60
    again = OVERLAPPED_IMPORTS // (rings * 5) + 1
    files = {"app/__init__.py": "", "app/low/__init__.py": "", "app/high/__init__.py": "app_name = 'high'\n"}
    for ring in range(rings):
        for position in range(5):
            following = f"app.low.m{ring}_{(position + 1) % 5}"
            deferred = position == 3
            files[f"app/low/m{ring}_{position}.py"] = (
                f"def f():\n    import {following}\n" if deferred else f"import {following}\n"
            ) + f"\n\ndef g():\n    import {following}\n" * again
    files["app/low/m0_0.py"] = "import sys\nif sys: import app.low.m0_1\n" + TOO_DEEP + "\n\ndef f():\n    return 0\n"
    files["app/low/m1_0.py"] = "import app.high\nimport app.low.m1_1\n"  # breaks the layers contract
    files["app/high/__init__.py"] = "import app.low.m1_0\n"  # and puts app.high on a cycle
    files["app/low/stars.py"] = "from app.low.m2_0 import *\n_hidden = 1\n"
    files["app/low/m2_1.py"] += "from app.low.stars import g, _hidden, nowhere\nfrom app.low.m2_3 import missing\n"
    files["app/low/m3_2.py"] += "\n\ndef legacy():\n    from app.high import app_name\n    return app_name\n"
    files["app/compat.py"] = "from app.low.m4_0 import g as old_g\n"  # a shim, imported below
    files["app/low/m4_4.py"] += "from app.compat import old_g\n"
    files["contracts/importcanon.toml"] = (
        '[settings]\nroot_packages = ["app"]\n\n[cycles]\n\n[[legacy]]\npackage = "app.high"\nreplacement = "app.low"\n'
    )
    files[".importlinter"] = importlinter or (
        "[importlinter]\nroot_package = app\n\n"
        "[importlinter:contract:layers]\nname = Layers\ntype = layers\nlayers =\n    app.high\n    app.low\n"
    )
    return write_project(root, files)


def check(root: Path, *options: str, one_core: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "importcanon", "check", str(root), "--no-baseline", *options]
    core = next(iter(os.sched_getaffinity(0)))
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=(lambda: os.sched_setaffinity(0, {core})) if one_core else None,
    )


def untimed(report: str) -> str:
    """A report without the time the run took."""
    return re.sub(r" in [0-9.]+ s\)", ")", report)


two_cores = pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2, reason="one core"
)


@two_cores
@pytest.mark.parametrize("report", ["json", "text"])
def test_a_check_on_two_cores_reports_what_a_check_on_one_core_reports(tmp_path, report):
    root = tangled_project(tmp_path / "project")

    shared = check(root, "--no-cache", "--format", report)
    alone = check(root, "--no-cache", "--format", report, one_core=True)

    assert (shared.returncode, shared.stderr) == (alone.returncode, alone.stderr)
    assert untimed(shared.stdout) == untimed(alone.stdout)
    assert shared.returncode == 1
    assert "import-cycle" in shared.stdout and "contract 'Layers'" in shared.stdout
    assert "app/low/m0_0.py:3: grimp scanned this file's imports, but neither Python" in shared.stdout
    broken = re.findall(r"app/low/m2_1.py:\d+: broken-import imports (\w+)", shared.stdout)
    assert report == "json" or broken == ["nowhere", "missing"], broken
    legacy = re.findall(r"(app/low/m\d_\d.py:\d+): legacy-import", shared.stdout)
    deferred = (root / "app/low/m3_2.py").read_text().splitlines().index("    from app.high import app_name") + 1
    assert report == "json" or legacy == ["app/low/m1_0.py:1", f"app/low/m3_2.py:{deferred}"], legacy
    assert report == "json" or "app/compat.py:1: shim-module" in shared.stdout


@two_cores
def test_a_remembered_check_after_two_cores_reports_what_a_cold_one_does(tmp_path):
    root = tangled_project(tmp_path / "project")
    cold = check(root, "--no-cache", "--format", "json", one_core=True)

    first = check(root, "--format", "json")
    (root / "app" / "low" / "m5_1.py").write_text("# a comment keeps every import\nimport app.low.m5_2\n")
    edited = check(root, "--format", "json")

    assert first.stdout == cold.stdout
    assert edited.stdout == check(root, "--no-cache", "--format", "json", one_core=True).stdout


@two_cores
def test_a_configuration_error_stops_a_check_the_same_way_on_any_number_of_cores(tmp_path):
    importlinter = "[importlinter]\nroot_package = app\nexclude_type_checking_imports = True\n"
    root = tangled_project(tmp_path / "project", importlinter)
    (root / "contracts" / "importcanon.toml").write_text("[cycles]\nexclude_type_checking = false\n")

    shared, alone = check(root, "--no-cache"), check(root, "--no-cache", one_core=True)

    assert (shared.returncode, shared.stdout, shared.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    assert shared.returncode == 2 and "Traceback" not in shared.stderr, shared.stderr


@two_cores
def test_legacy_imports_and_shims_found_in_a_forked_copy_are_those_found_here(tmp_path):
    """The legacy imports and the shims are done by whichever process is free first: the copy's
    findings (a deferred import among them, which only a parse places; a shim's importers, read
    without a grimp graph) are the run's, found afresh."""
    root = tangled_project(tmp_path / "project")
    contracts = read_contracts(root)
    project, _ = load_project(root, ["app"], [], ScanOptions(), None)
    resolver = Resolver(project)

    with forked(lambda: (os.getpid(), find_legacy_imports(resolver, contracts), find_shims(resolver))) as result:
        brought = result()
    here = find_legacy_imports(resolver, contracts)

    assert brought is not None and brought[0] != os.getpid()
    assert brought[2] == find_shims(resolver)
    assert [(f.path, f.details["importers"]) for f in brought[2]] == [("app/compat.py", ["app.low.m4_4"])]
    deferred = (root / "app/low/m3_2.py").read_text().splitlines().index("    from app.high import app_name") + 1
    assert brought[1] == here and [(finding.path, finding.line) for finding in here] == [
        ("app/low/m1_0.py", 1),
        ("app/low/m3_2.py", deferred),
    ]


def _store(root: Path) -> tuple[FactStore, list[str]]:
    project, store = load_project(root, ["app"], [], ScanOptions(), None)
    return store, sorted(project.modules)


def learn(store: FactStore) -> int:
    """What a cycle analysis asks of the facts: import kinds, a parse, a result to remember."""
    store.import_kinds("app.low.m0_0", 2)  # the text cannot place it: a parse, which fails
    store.import_kinds("app.low.m2_3", 2)
    store.parsed("app.low.m3_1")
    store.memorize("cycles", "a key", [["app.low.m0_0"]])
    return os.getpid()


@two_cores
def test_what_work_alongside_learned_is_the_runs_afterwards(tmp_path):
    root = tangled_project(tmp_path / "project")
    store, _ = _store(root)
    reference, _ = _store(root)
    learn(reference)

    with store.alongside(lambda: learn(store)) as (result,):
        assert store.parse_failures() == {}
        pid = result()

    assert pid != os.getpid()
    assert store.parse_failures() == reference.parse_failures() != {}
    assert store.recall("cycles", "a key") == [["app.low.m0_0"]]
    for module in ("app.low.m0_0", "app.low.m2_3", "app.low.m3_1"):
        digest = store.digest(store._files[module])
        assert digest is not None
        assert store.cache.parsed.get(digest) == reference.cache.parsed.get(digest)
        assert store.cache.kinds.get(digest) == reference.cache.kinds.get(digest)
    assert store.cache.parsed.get(store.digest(store._files["app.low.m3_1"]) or "") is not None


def test_work_alongside_that_fails_in_the_child_is_done_in_the_run(tmp_path):
    store, modules = _store(tangled_project(tmp_path / "project"))
    parent = os.getpid()

    with store.alongside(lambda: len(modules) if os.getpid() == parent else 1 // 0) as (result,):
        assert result() == len(modules)
    with store.alongside(lambda: os.getpid(), fork=False) as (result,):
        assert result() == parent


def test_a_child_whose_result_is_not_asked_for_ends_with_the_block(tmp_path):
    started = time.monotonic()
    pid_file = tmp_path / "pid"
    with forked(lambda: (pid_file.write_text(str(os.getpid())), time.sleep(30))):
        while not pid_file.exists() or not pid_file.read_text():
            time.sleep(0.01)
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # killed and waited for: no zombie left
        os.waitpid(int(pid_file.read_text()), os.WNOHANG)


def test_a_child_that_never_answers_is_ended_and_its_work_done_in_the_run(tmp_path, monkeypatch):
    """A child stuck for good (say, waiting on a thread pool fork did not copy) costs the run its
    patience, not the run itself: the block gets None, to compute the result itself."""
    monkeypatch.setattr(forking, "PATIENCE_SECONDS", 0.5)
    pid_file = tmp_path / "pid"
    parent = os.getpid()
    started = time.monotonic()
    with forked(
        lambda: (pid_file.write_text(str(os.getpid())), time.sleep(30)) if os.getpid() != parent else 1
    ) as result:
        assert result() is None
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # killed and waited for: no zombie left
        os.waitpid(int(pid_file.read_text()), os.WNOHANG)


def _done_by(log: Path, value: int) -> Callable[[], int]:
    """A work that notes which process did it, and returns ``value``."""

    def work() -> int:
        with log.open("a") as notes:
            notes.write(f"{os.getpid()}\n")
        return value

    return work


@two_cores
def test_a_later_work_is_the_childs_once_it_is_free_and_done_once(tmp_path):
    store, _ = _store(tangled_project(tmp_path / "project"))
    log = tmp_path / "log"

    with store.alongside(lambda: 1, _done_by(log, 2), fork=True) as (first, later):
        deadline = time.monotonic() + 30
        while not log.exists() and time.monotonic() < deadline:  # the child is free at once
            time.sleep(0.01)
        assert (later(), first()) == (2, 1)

    assert log.read_text().split() != [str(os.getpid())]
    assert len(log.read_text().split()) == 1


@two_cores
def test_a_later_work_asked_for_while_the_child_is_busy_is_done_here_once(tmp_path):
    store, _ = _store(tangled_project(tmp_path / "project"))
    log, go = tmp_path / "log", tmp_path / "go"

    def busy() -> int:
        while not go.exists():
            time.sleep(0.01)
        return 1

    with store.alongside(busy, _done_by(log, 2), _done_by(log, 3), fork=True) as (first, second, third):
        assert second() == 2  # the child is still busy with the first
        go.touch()
        assert (first(), third()) == (1, 3)

    done = log.read_text().split()
    assert done[0] == str(os.getpid()) and len(done) == 2


@two_cores
def test_a_run_waiting_for_a_work_the_child_took_first_does_the_later_ones_the_child_has_not(tmp_path):
    """The child took the second work; asked for it, this process does the third (which the
    child would only start once done with the second) instead of waiting idle meanwhile."""
    store, _ = _store(tangled_project(tmp_path / "project"))
    log, started, go = tmp_path / "log", tmp_path / "started", tmp_path / "go"

    def second() -> int:
        started.touch()
        deadline = time.monotonic() + 5  # bounded: a run that waits idle still ends, and fails below
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return _done_by(log, 2)()

    def third() -> int:
        go.touch()
        return _done_by(log, 3)()

    with store.alongside(lambda: 1, second, third, fork=True) as (first, later, last):
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:  # the child took the second
            time.sleep(0.01)
        assert (later(), last(), first()) == (2, 3, 1)

    done = log.read_text().split()
    assert done == [str(os.getpid()), done[1]] and done[1] != str(os.getpid())


def test_without_a_second_process_every_work_is_done_here_when_asked(tmp_path):
    store, _ = _store(tangled_project(tmp_path / "project"))
    log = tmp_path / "log"

    with store.alongside(_done_by(log, 1), _done_by(log, 2), fork=False) as (first, later):
        assert not log.exists()
        assert (later(), later(), first()) == (2, 2, 1)

    assert log.read_text().split() == [str(os.getpid())] * 2


@two_cores
def test_a_remembered_check_rechecks_the_disk_answers_of_broken_imports_found_alongside(tmp_path):
    """The broken imports found in the forked copy ask the disk about modules outside the scan
    (here ``app.gone``, missing); the remembered check must recheck those answers, so a directory
    made there since (a namespace portion: no analysed file changes) ends the finding."""
    modules = OVERLAPPED_IMPORTS // 10 + 1  # enough imports to be worth a second process
    files = {"app/__init__.py": "", "app/user.py": "import app.gone\n"}
    for index in range(modules):
        files[f"app/m{index}.py"] = "".join(f"import app.m{(index + k) % modules}\n" for k in range(1, 11))
    files["contracts/importcanon.toml"] = (
        '[settings]\nroot_packages = ["app"]\n\n[[deprecated]]\nname = "app.m1.old"\nreplacement = "app.m2.new"\n'
    )
    root = write_project(tmp_path / "project", files)
    first = check(root)
    assert "app.gone, a module that does not exist" in first.stdout, first.stdout + first.stderr
    (root / "app" / "gone").mkdir()
    assert "app.gone" not in check(root).stdout
    assert "app.gone" not in check(root, "--no-cache").stdout
