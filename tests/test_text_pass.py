"""Each file read once, up front, for every text fact the run will ask: the same answers as
reading on demand, whatever the files and however many processes share the reading.

``load_project`` reads every file once, given the words a check will search for (``Needles``),
computes its text facts (import statements, scan hints, which needles it holds and their roles)
and lets the bytes go (adapters/text_pass.py). The reference is a store that reads nothing ahead
and learns each fact from the text when it is asked. Every answer of the two must be equal, for
needles known up front and for those asked later (which read the files again), one process or
several, cached or not.
"""

from __future__ import annotations

import gc
import os
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from conftest import run_cli, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_mentions import STATEMENTS

from importcanon.adapters import loading, text_pass
from importcanon.adapters.loading import FactStore, ScanOptions, load_project
from importcanon.adapters.text_pass import Needles
from importcanon.application.project import Project

#: Asked later, two contain a needle searched up front ("Target"): looked for only where it is.
NEEDLES = ("Target", "Other", "Renamed", "__all__", "importcanon", "old_Target", "Targets")
UP_FRONT = Needles(searched=frozenset({"Target", "__all__", "importcanon"}), mentioned=frozenset({"Target"}))

#: Texts no statement list writes: what decoding, the scan and the shim screen trip on.
ODD_FILES: dict[str, bytes] = {
    "latin.py": b"from pkg.home import Target\nNAME = '\xe9'\n",  # not UTF-8, no cookie
    "nul.py": b"from pkg.home import Target\nx = 1\x00\n",
    "cookie.py": b"# -*- coding: latin-1 -*-\nfrom pkg.home import Target\nNAME = '\xe9'\n",
    "bom.py": b"\xef\xbb\xbffrom pkg.home import Target as Renamed\n",
    "crlf.py": b"from pkg.home import (\r\n    Target,\r\n)\r\n__all__ = ['Target']\r\n",
    "lone_cr.py": b"import os\rfrom pkg.home import Target\r",
    "broken.py": b"from pkg.home import Target\ndef f(:\n    pass\n",
    "empty.py": b"",
    "blank.py": b"\n  \n",
    "shim.py": b"from pkg.home import Target  # importcanon: ignore[shim-module]\n__all__ = ['Target']\n",
    "deep.py": b"from pkg.home import Target\nx = " + b" + ".join([b"f()"] * 3000) + b"\n",
    "alias.py": b"from pkg.home import Target as old_Target\nTargets = [old_Target()]\n",
    "inside.py": b"from pkg.home import Other as old_Target\nx = old_Targets\n",  # Target only inside words
    "elsewhere.py": b"import os\nold_Target = os.sep\n",  # the later needle, without the word it contains
}


def _files(statement_lists: list[list[str]], odd: list[str]) -> dict[str, bytes]:
    files = {
        "pkg/__init__.py": b"",
        "pkg/home.py": b"class Target:\n    pass\n\n\nOther = Renamed = Target\n",
        "pkg/sub/__init__.py": b"from ..home import Target\n",
    }
    for index, statements in enumerate(statement_lists):
        files[f"pkg/sub/m{index}.py"] = ("\n".join(statements) + "\nTarget()\n").encode()
    for name in odd:
        files[f"pkg/{name}"] = ODD_FILES[name]
    return files


def _write(root: Path, files: dict[str, bytes]) -> Path:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _answers(project: Project, store: FactStore) -> dict[str, object]:
    """Everything a run can ask the store of the files' text (needles up front first, so that a
    needle asked later is asked after the bytes are gone)."""
    modules = sorted(project.modules)
    answers: dict[str, object] = {
        "imports": project._imports,
        "problems": project.problems,
        "containing": store.modules_containing(frozenset(NEEDLES)),
        "mentions": {needle: store.mentions(needle) for needle in NEEDLES},
        "shims": store.shim_candidates(),
    }
    readable = [module for module in modules if module not in {p.module for p in project.problems}]
    answers["statements"] = {module: store.text_imports(module) for module in modules}
    answers["evident"] = {module: store.evident_names(module) for module in modules}
    answers["top_level"] = {module: store.top_level(module) for module in modules}
    answers["kinds"] = {module: dict(store.import_kinds(module, 1)) for module in readable}
    return answers


def _load(root: Path, needles: Needles, cache: Path | None = None) -> dict[str, object]:
    project, store = load_project(root, ["pkg"], [], ScanOptions(), cache, needles=needles)
    answers = _answers(project, store)
    store.save()
    return answers


def _touch(root: Path) -> None:
    """Every file a new modification time (and size unchanged), as a fresh checkout gives."""
    for path in root.rglob("*.py"):
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def _on_demand(root: Path) -> dict[str, object]:
    """The answers of a store that reads nothing ahead: each fact from the text when asked."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(FactStore, "read_ahead", lambda store, files, needles: None)
        return _load(root, Needles())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=4), min_size=1, max_size=5),
    st.lists(st.sampled_from(sorted(ODD_FILES)), unique=True, max_size=4),
    st.sampled_from([1, 2]),
)
def test_reading_once_up_front_answers_as_reading_on_demand(monkeypatch, statement_lists, odd, processes):
    monkeypatch.setattr(loading, "PARALLEL_READ_WEIGHT", 0 if processes > 1 else 1 << 62)
    monkeypatch.setattr(loading, "usable_processes", lambda: processes)
    with tempfile.TemporaryDirectory() as directory:
        root = _write(Path(directory), _files(statement_lists, odd))

        on_demand = _on_demand(root)
        assert _load(root, Needles()) == on_demand
        assert _load(root, UP_FRONT) == on_demand
        # Cached: read up front into an empty cache, then a warm run that reads nothing.
        assert _load(root, UP_FRONT, root / ".cache") == on_demand
        assert _load(root, UP_FRONT, root / ".cache") == on_demand
        # A fresh checkout of the cached tree: no stat known, every content known by its digest.
        _touch(root)
        assert _load(root, UP_FRONT, root / ".cache") == on_demand
        _touch(root)
        assert _load(root, Needles(), root / ".cache") == on_demand


def test_a_fresh_checkout_of_a_cached_tree_takes_only_the_digests(tmp_path, monkeypatch):
    files = _files([["from pkg.home import Target"], ["import os"]], ["crlf.py", "latin.py", "broken.py"])
    root = _write(tmp_path, files)
    cold = _load(root, UP_FRONT, root / ".cache")
    _touch(root)
    (root / "pkg" / "sub" / "m1.py").write_text("from pkg.home import Other as Target\nimport os\n")
    statements: list[str] = []
    read = text_pass.statement_rows_and_top_level_lines
    monkeypatch.setattr(
        text_pass, "statement_rows_and_top_level_lines", lambda text: statements.append(text) or read(text)
    )

    checkout = _load(root, UP_FRONT, root / ".cache")

    assert statements == [(root / "pkg" / "sub" / "m1.py").read_text()]  # the one new content
    assert checkout == _on_demand(root) != cold


def test_an_edited_file_is_read_again_and_only_it(tmp_path, monkeypatch):
    root = _write(tmp_path, _files([["from pkg.home import Target"], ["import os"]], ["crlf.py"]))
    _load(root, UP_FRONT, root / ".cache")
    edited = root / "pkg" / "sub" / "m1.py"
    edited.write_text("from pkg.home import Other as Target\nimport os\n")
    opened: list[str] = []
    read_text = loading.read_text
    monkeypatch.setattr(loading, "read_text", lambda path, *a, **k: opened.append(path) or read_text(path, *a, **k))

    warm = _load(root, UP_FRONT, root / ".cache")

    assert opened == [str(edited)]
    assert warm == _on_demand(root)


def test_the_bytes_of_the_files_are_not_kept(tmp_path):
    """The memory a run keeps after the scan is far below the size of the sources it read."""
    comment = "# " + "x" * 78 + "\n"
    files = {f"pkg/m{index}.py": f"from pkg.m0 import Target\n{comment * 5000}Target = 1\n" for index in range(20)}
    root = write_project(tmp_path, {"pkg/__init__.py": "", **files})
    size = sum(path.stat().st_size for path in root.rglob("*.py"))
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        project, store = load_project(root, ["pkg"], [], ScanOptions(), None, needles=UP_FRONT)
        assert len(store.mentions("Target")) == 20
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()

    assert size > 8_000_000
    assert kept < size / 10
    assert project._imports["pkg.m1"][0][:2] == ("pkg.m0", 1)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_file_that_cannot_be_read_is_reported_as_before(tmp_path, monkeypatch, processes):
    monkeypatch.setattr(loading, "PARALLEL_READ_WEIGHT", 0)
    monkeypatch.setattr(loading, "usable_processes", lambda: processes)
    root = _write(tmp_path, _files([["from pkg.home import Target"]], []))
    (root / "pkg" / "gone.py").symlink_to(root / "nowhere.py")  # listed, then unreadable

    project, _ = load_project(root, ["pkg"], [], ScanOptions(), None, needles=UP_FRONT)
    with monkeypatch.context() as patch:
        patch.setattr(FactStore, "read_ahead", lambda store, files, needles: None)
        reference, _ = load_project(root, ["pkg"], [], ScanOptions(), None)

    assert project.problems == reference.problems
    assert [problem.module for problem in project.problems if not problem.readable] == ["pkg.gone"]


def test_names_met_later_are_searched_together(project, monkeypatch):
    """The homes suggested for several broken imports come from one more reading of the files."""
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/home.py": "class Target:\n    pass\n",
            "pkg/a.py": "from pkg.home import Gone\n",
            "pkg/b.py": "from pkg.home import Lost\n",
            "pkg/c.py": "Gone = Lost = 1\n",
            "contracts/importcanon.toml": """
                [settings]
                root_packages = ["pkg"]

                [[deprecated]]
                name = "pkg.home.Target"
            """,
        }
    )
    monkeypatch.setattr(loading, "usable_processes", lambda: 1)
    searched: list[str] = []
    search_text = loading.search_text
    monkeypatch.setattr(loading, "search_text", lambda path, *a: searched.append(path) or search_text(path, *a))

    run = run_cli("check", root, "--no-cache", "--format", "json")

    assert {f["name"] for f in run.findings("broken-import")} == {"Gone", "Lost"}
    assert all("from pkg.c import" in f["suggestion"] for f in run.findings("broken-import"))
    assert sorted(searched) == sorted(set(searched)) and len(searched) == 5


def test_a_later_needle_is_looked_for_only_where_the_word_it_contains_is(tmp_path, monkeypatch):
    """``old_Target`` cannot occur where ``Target``, searched up front, occurs nowhere, not even
    inside another word: such a file is not read again for it."""
    files = {
        "pkg/__init__.py": b"",
        "pkg/home.py": b"class Target:\n    pass\n",
        "pkg/a.py": b"from pkg.home import Target as old_Target\nold_Target()\n",
        "pkg/b.py": b"x = 1\n",
        "pkg/c.py": b"# old_Targets\n",
    }
    root = _write(tmp_path, files)
    monkeypatch.setattr(loading, "usable_processes", lambda: 1)
    searched: list[str] = []
    search_text = loading.search_text
    monkeypatch.setattr(loading, "search_text", lambda path, *a: searched.append(path) or search_text(path, *a))
    _, store = load_project(root, ["pkg"], [], ScanOptions(), None, needles=UP_FRONT)

    assert store.modules_containing(frozenset({"old_Target", "Other"}))["old_Target"] == {"pkg.a"}
    assert sorted(Path(path).name for path in searched) == ["__init__.py", "a.py", "b.py", "c.py", "home.py"]
    searched.clear()
    # Where ``old_Target`` (searched now too) is nowhere, neither is ``old_Targets``: not in home.py.
    assert store.modules_containing(frozenset({"old_Targets"}))["old_Targets"] == {"pkg.c"}  # a comment
    assert sorted(Path(path).name for path in searched) == ["a.py", "c.py"]


@pytest.mark.parametrize("processes", [1, 2])
def test_a_file_edited_while_a_run_reads_it_again_lends_its_facts_to_no_other_content(tmp_path, monkeypatch, processes):
    """The facts learnt of a file read again are cached under the digest of its first reading:
    a file edited in between is a read error for the rest of the run (run the check again), and
    the cache keeps nothing of the new content under the old content's name."""
    monkeypatch.setattr(loading, "PARALLEL_READ_WEIGHT", 0 if processes > 1 else 1 << 62)
    monkeypatch.setattr(loading, "usable_processes", lambda: processes)
    root = _write(tmp_path, _files([["from pkg.home import Target"]], []))
    edited = root / "pkg" / "sub" / "m0.py"
    first = edited.read_bytes()
    _, store = load_project(root, ["pkg"], [], ScanOptions(), root / ".cache", needles=UP_FRONT)
    edited.write_bytes(b"from pkg.home import Other as Renamed\nRenamed()\n")

    assert store.modules_containing(frozenset({"Renamed"}))["Renamed"] == {"pkg.home"}  # m0 read again: refused
    assert store.parsed("pkg.sub.m0") is None
    assert store.evident_names("pkg.sub.m0") == frozenset()
    store.save()

    edited.write_bytes(first)  # the first content again, as the cache knows it
    _, store = load_project(root, ["pkg"], [], ScanOptions(), root / ".cache", needles=UP_FRONT)
    parsed = store.parsed("pkg.sub.m0")
    assert parsed is not None and [statement.module for statement in parsed.imports] == ["pkg.home"]
    assert store.modules_containing(frozenset({"Renamed"}))["Renamed"] == {"pkg.home"}
    assert store.evident_names("pkg.sub.m0") == frozenset({"Target"})
