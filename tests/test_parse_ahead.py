"""A batch parsed ahead, on several processes, gives exactly the facts parsing on demand gives.

``FactStore.parse_ahead`` shares a batch among forked processes (adapters/forking.py); ``parsed``
then answers from what they brought back. Whatever the split (one process, two, three) and
whatever the file (broken, newer syntax, too deep for the stack, undecodable), the answers and
the parse failures are those of a store that parsed nothing ahead.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write_project
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.forking import map_forked
from importcanon.adapters.loading import PARALLEL_PARSE_BYTES, FactStore, ScanOptions, load_project

FILES = {
    "app/__init__.py": "",
    "app/plain.py": """
        import os
        from app import helpers as h

        def run(x=h.default()):
            return [h.call(i) for i in os.listdir(x)]
        """,
    "app/helpers.py": "def default():\n    return '.'\n\n\ndef call(i):\n    return print(i)\n",
    "app/types.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.plain import run\n",
    "app/broken.py": "def f(:\n    pass\n",
    # PEP 701 (3.12): only libcst reads it on 3.11, and only parsing on demand goes there.
    "app/newer.py": 'from app.helpers import call\nLABEL = f"{ {"k": call(1)}["k"] }"\n',
    "app/guarded.py": "try:\n    import fast\nexcept ImportError:\n    fast = None\n",
}
# Long enough chains of ``+`` reach the depth ``ast`` can build at some stack depth and not at
# another: whether one parses must not depend on which process read it, or where from.
CHAINS = {f"app/chain_{terms}.py": "x = " + " + ".join(["f()"] * terms) + "\n" for terms in range(1800, 3001, 200)}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(tmp_path_factory.mktemp("ahead"), {**FILES, **CHAINS})
    (root / "app" / "latin.py").write_bytes(b"NAME = '\xe9'\n")  # not UTF-8, no cookie
    (root / "app" / "nul.py").write_bytes(b"x = 1\x00\n")
    return root


def _store(root: Path) -> tuple[FactStore, list[str]]:
    project, store = load_project(root, ["app"], [], ScanOptions(), None)
    return store, sorted(project.modules)


#: What ``parsed`` is asked for: no call, the calls of a few words.
Asked = tuple[tuple[str, object], ...]
NO_CALL: Asked = ()
SOME_CALLS: Asked = (("calls_of", frozenset({"call", "f", "listdir"})),)


def _on_demand(store: FactStore, modules: list[str], asked: Asked, depth: int) -> tuple[dict, dict]:
    """Asked from ``depth`` frames further down the stack, as an analysis deep in a resolution is."""
    if depth:
        return _on_demand(store, modules, asked, depth - 1)
    return {module: store.parsed(module, **dict(asked)) for module in modules}, dict(store.parse_failures())


@functools.cache
def _on_demand_reference(root: Path, asked: Asked) -> tuple[dict, dict]:
    """What a store that parsed nothing ahead answers (asked from the test's own depth: how deep
    ``ast`` may nest depends on the stack, so a fixture, set up at another depth, would not do)."""
    store, modules = _store(root)
    return _on_demand(store, modules, asked, 150)


@pytest.mark.parametrize(
    ("processes", "asked"),
    [(1, SOME_CALLS), (2, NO_CALL), (2, SOME_CALLS), (3, SOME_CALLS)],
)
def test_parsing_ahead_changes_no_answer_whatever_the_split(root, processes, asked):
    expected = _on_demand_reference(root, asked)
    ahead, modules = _store(root)

    ahead.parse_ahead(modules, processes=processes, **dict(asked))  # type: ignore[arg-type]
    parsed_ahead = len(ahead.cache.parsed)

    assert _on_demand(ahead, modules, asked, 150) == expected
    if processes > 1:  # the plain files came from the batch: nothing was left to parse for them
        assert parsed_ahead >= len(modules) - len(CHAINS) - 4


def test_a_module_parsed_already_is_not_parsed_again(root):
    store, modules = _store(root)
    store.parsed("app.plain", calls_of=frozenset({"call", "f"}))
    first = store.parsed("app.plain")

    store.parse_ahead(modules, calls_of=frozenset({"call", "f"}), processes=2)
    store.parse_ahead(modules, calls_of=frozenset({"f"}), processes=2)

    assert store.parsed("app.plain") is first
    assert store.parsed("app.plain", calls_of=frozenset({"f"})) is first  # the calls of f are among those


def test_calls_of_more_words_are_parsed_for_with_the_words_asked_before(root):
    store, _ = _store(root)
    of_call = store.parsed("app.plain", calls_of=frozenset({"call"}))
    assert of_call is not None and of_call.calls is not None
    assert [c.callee for c in of_call.calls] == ["h.call"]

    both = store.parsed("app.plain", calls_of=frozenset({"default"}))

    assert both is not None and both.calls is not None and both.call_words == {"call", "default"}
    assert [c.callee for c in both.calls] == ["h.default", "h.call"]
    assert store.parsed("app.plain", calls_of=frozenset({"call"})) is both
    assert store.parsed("app.plain") is both


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 1000), max_size=40), st.integers(1, 4), st.randoms(use_true_random=False))
def test_forked_work_comes_back_in_order_whatever_the_weights(items, processes, random):
    weights = [random.randint(0, 50) for _ in items]

    assert map_forked(lambda item: item * item, items, weights, processes) == [item * item for item in items]


def test_every_process_takes_chunks_and_a_failing_child_loses_only_those_it_took():
    parent = os.getpid()

    def slow(item: int) -> int:
        time.sleep(0.02)  # long enough for every child to start before the batch is gone
        return os.getpid()

    pids = map_forked(slow, list(range(12)), [1] * 12, 3)
    results = map_forked(lambda item: item if os.getpid() == parent else 1 // 0, list(range(24)), [1] * 24, 3)

    assert len(set(pids)) == 3
    lost = [index for index, result in enumerate(results) if result is None]
    assert len(lost) <= 2  # each child fails on its first chunk, one item: the rest is done here
    assert [result for result in results if result is not None] == [i for i in range(24) if i not in lost]
    with pytest.raises(ChildProcessError):  # every child was waited for: none is left a zombie
        os.waitpid(-1, os.WNOHANG)


def test_a_slower_process_takes_fewer_chunks():
    """The chunks go to whichever process is free: a child slowed down (by a busy core, say)
    leaves most of the batch to the others instead of holding them up with an equal share."""
    parent = os.getpid()

    def work(item: int) -> int:
        time.sleep(0.002 if os.getpid() == parent else 0.05)
        return os.getpid()

    pids = map_forked(work, list(range(48)), [1] * 48, 2)

    assert pids.count(parent) >= 36


# The whole check, with a batch big enough to be shared, against the same check on one core.
BIG_FILE = """
from app.home import Symbol
from app.tools import old_function


class Model{index}(Symbol):
    def method(self, value=old_function()):
        return [old_function(item) for item in range({index})]
{padding}
"""
BIG = {
    "app/__init__.py": "",
    "app/home.py": "class Symbol:\n    pass\n",
    "app/tools.py": "from app.home import Symbol\n\n\ndef old_function(*args):\n    return Symbol\n",
    **{
        f"app/module_{index}.py": BIG_FILE.format(index=index, padding="\n".join(f"X{i} = {i}" for i in range(2700)))
        for index in range(40)
    },
    "contracts/importcanon.toml": """
        [settings]
        root_packages = ["app"]

        [[canonical]]
        symbol = "Symbol"
        module = "app.tools"

        [[deprecated]]
        name = "app.tools.old_function"
    """,
}


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2, reason="one core")
def test_a_check_on_every_core_reports_what_a_check_on_one_core_reports(project):
    root = project(BIG)
    assert sum(path.stat().st_size for path in root.rglob("*.py")) > PARALLEL_PARSE_BYTES
    command = [sys.executable, "-m", "importcanon", "check", str(root), "--format", "json", "--no-cache"]
    one_core = next(iter(os.sched_getaffinity(0)))

    shared = subprocess.run(command, capture_output=True, text=True, check=False)
    alone = subprocess.run(
        command, capture_output=True, text=True, check=False, preexec_fn=lambda: os.sched_setaffinity(0, {one_core})
    )

    assert shared.stdout == alone.stdout
    findings = json.loads(shared.stdout)["findings"]
    assert {f["rule"] for f in findings} >= {"non-canonical-import", "deprecated-usage"}


def test_no_batch_is_shared_with_a_third_process_while_both_processes_work(root, tmp_path, monkeypatch):
    """While a forked copy works beside the run (``FactSource.alongside``), each process has a
    core: a batch of parses stays in the process that asked for it, in the copy as long as the
    run works, in the run as long as the copy does. Once the run waits for the copy, or the copy
    is done, a batch is shared again. The answers are the same either way."""
    from importcanon.adapters import alongside, loading

    shared: list[int] = []  # the processes of every batch handed to map_forked
    monkeypatch.setattr(loading, "PARALLEL_PARSE_BYTES", 0)
    monkeypatch.setattr(loading, "usable_processes", lambda: 2)
    monkeypatch.setattr(alongside, "usable_processes", lambda: 2)

    def recorded(work, items, weights, processes):  # type: ignore[no-untyped-def]
        shared.append(processes)
        return map_forked(work, items, weights, processes)

    monkeypatch.setattr(loading, "map_forked", recorded)
    store, modules = _store(root)
    shared.clear()  # the reading of the files
    copy_first, copy_later, run_first, run_later = (modules[start : start + 3] for start in (0, 3, 6, 9))
    checked = tmp_path / "checked"

    def until(condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 30
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.005)

    def in_the_copy() -> tuple[bool, list[int], bool, list[int]]:
        run_busy = store.other_core_busy()
        store.parse_ahead(copy_first)
        kept = list(shared)
        checked.touch()
        until(lambda: not store.other_core_busy())  # the run asks for this work's result
        run_waits = not store.other_core_busy()
        store.parse_ahead(copy_later)
        return run_busy, kept, run_waits, list(shared)

    with store.alongside(in_the_copy) as (copy_work,):
        assert store.other_core_busy()
        store.parse_ahead(run_first)
        assert shared == []
        until(checked.exists)
        assert store.other_core_busy()
        run_busy, kept, run_waits, shared_there = copy_work()
        assert not store.other_core_busy()
        store.parse_ahead(run_later)
    assert (run_busy, kept, run_waits, shared_there) == (True, [], True, [2])
    assert shared == [2]
    assert not store.other_core_busy()
    assert _on_demand(store, modules, NO_CALL, 150) == _on_demand_reference(root, NO_CALL)


def test_a_batch_of_empty_items_is_still_shared():
    """Items that weigh nothing (empty files) still take time: they are cut into chunks too."""

    def slow(item: int) -> int:
        time.sleep(0.01)
        return os.getpid()

    assert len(set(map_forked(slow, list(range(12)), [0] * 12, 2))) == 2
