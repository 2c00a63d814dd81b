"""Relative imports spelt with whitespace or line continuations between their dots.

Python's tokenizer reads ``from . . . . import x`` as ``from .... import x`` (and ``from .\\``
then ``. import x``, ``from .. . mod import y``, ``from ... . import x``). Such a statement must
give exactly the findings of its plain spelling, with nothing on standard error: grimp's Rust
scanner panics on a relative import that climbs two levels or more above the top-level package,
and the text readings that tell importcanon where those are once missed the spaced ones (a
``syntax-error`` finding "grimp could not scan it" and a Rust backtrace instead of a
``broken-import``). ``ast`` is the oracle of the text readings.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import write_project
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.import_statements import statement_rows
from importcanon.adapters.mentions import scan_mentions
from importcanon.adapters.scanning import _clamped_relative_imports, scan_hints
from importcanon.adapters.sources import SourceFile

CONTRACTS = """
[settings]
root_packages = ["app"]

[[legacy]]
package = "app.core"
replacement = "app.api"

[cycles]
"""

#: Each statement stands in a module of ``app.api.sub`` (``...`` is ``app``, ``....`` one level
#: above it, where Python finds nothing, and grimp's scanner panics from ``.....`` on). Those
#: that climb less import a module that is not there: the broken-import screen must see them.
STATEMENTS = [
    "from . . . . import x",
    "from . . . . . . import x",
    "from .\\\n.... import x",
    "from ... . . import (x,\n    y)",
    "from .. . core . gone import thing",
    "from . . . sub . gone import x",
    "from\t.\t.\t.\t.\tsub import m_def",
    "from . ..import x",
    "from . .\\\n  . . .core import thing",
]


def _contexts(statement: str) -> dict[str, str]:
    """The statement at module level, in a function, under ``if TYPE_CHECKING:`` and in a
    ``try`` that catches ``ImportError``: one module each."""
    indented = statement.replace("\n", "\n    ")
    return {
        "app/api/sub/m_module.py": f"{statement}\n",
        "app/api/sub/m_def.py": f"def f():\n    {indented}\n",
        "app/api/sub/m_tc.py": f"from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    {indented}\n",
        "app/api/sub/m_try.py": f"try:\n    {indented}\nexcept ImportError:\n    pass\n",
    }


def _plain(statement: str) -> str:
    """The statement as formatters write it, on as many lines (the lines below keep their numbers)."""
    return ast.unparse(ast.parse(statement)) + "\n" * statement.count("\n")


def _write(root: Path, statement: str) -> Path:
    files = {
        "app/__init__.py": "",
        "app/api/__init__.py": "",
        "app/api/sub/__init__.py": "",
        "app/core/__init__.py": "",
        "app/core/models.py": "from app.api.sub import m_module\nthing = 1\n",
        "contracts/importcanon.toml": CONTRACTS,
    }
    for path, text in _contexts(statement).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")  # as it is: no dedent
    return write_project(root, files)


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "importcanon", *map(str, args)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "RUST_BACKTRACE": "1"},
    )


def _findings(root: Path) -> list[dict[str, Any]]:
    """The findings of a check, asserting that it said nothing on standard error."""
    run = _run("check", root, "--no-baseline", "--no-cache", "--format", "json")
    assert run.stderr == ""
    assert run.returncode in (0, 1)
    findings: list[dict[str, Any]] = json.loads(run.stdout)["findings"]
    return findings


@pytest.mark.parametrize("statement", STATEMENTS)
def test_a_spaced_relative_import_gives_the_findings_of_its_plain_spelling(tmp_path: Path, statement: str) -> None:
    spaced = _findings(_write(tmp_path / "spaced", statement))
    plain = _findings(_write(tmp_path / "plain", _plain(statement)))
    assert spaced == plain
    assert not [finding for finding in spaced if finding["rule"] == "syntax-error"]


def test_the_findings_of_spaced_imports_are_the_expected_ones(tmp_path: Path) -> None:
    """One spelling, read in full: the climbs above the top are broken imports in every context,
    the import of app.core.models a legacy import on the cycle it closes."""
    found = {(f["rule"], f["path"], f["line"]) for f in _findings(_write(tmp_path, STATEMENTS[1]))}
    for path, line in [("m_module", 1), ("m_def", 2), ("m_tc", 3), ("m_try", 2)]:
        assert ("broken-import", f"app/api/sub/{path}.py", line) in found
    found = {
        (f["rule"], f["path"], f["line"])
        for f in _findings(_write(tmp_path / "b", "from .. . core . models import thing"))
    }
    assert ("import-cycle", "app/api/sub/m_module.py", 1) in found
    assert ("legacy-import", "app/api/sub/m_def.py", 2) in found


def test_the_statement_is_shown_as_written_beside_a_clamped_one(tmp_path: Path) -> None:
    """grimp reads a file whose import climbs too far with the extra dots made spaces; the
    statement text it gives for each import is the file's own, dots and all."""
    root = _write(tmp_path, "from .. . core . models import thing; from . . . . . import x")
    run = _run("why", "app.api.sub.m_module", "app.core.models", root, "--no-cache")
    assert run.stderr == ""
    assert "[module] from .. . core . models import thing; from . . . . . import x\n" in run.stdout


@pytest.mark.parametrize(
    "text",
    [
        "from . import m_def; from . . . . . import x\n",  # a statement that does not start a line
        "if True: from ...... import x\n",
        "x = 1; \\\nfrom ......sub import x\n",
    ],
)
def test_a_climb_the_text_does_not_show_is_no_panic(tmp_path: Path, text: str) -> None:
    """A climb no reading of the text finds still panics grimp's scanner: quietly, and the file
    is scanned again clamped, with its other imports."""
    root = _write(tmp_path, "import app.core")
    (root / "app/api/sub/m_module.py").write_text(text + "import app.core.models\n", encoding="utf-8")
    findings = _findings(root)
    assert not [finding for finding in findings if finding["rule"] == "syntax-error"]
    cycles = {(f["path"], f["line"]) for f in findings if f["rule"] == "import-cycle"}
    assert ("app/api/sub/m_module.py", text.count("\n") + 1) in cycles


def test_a_file_in_an_encoding_grimp_does_not_know_is_scanned_from_pythons_decoding(tmp_path: Path) -> None:
    """grimp decodes a file itself, and knows fewer codecs than Python (``cp437``): the file is
    scanned again from the text Python decoded, not reported as one that cannot be parsed."""
    root = _write(tmp_path, "import app.core")
    (root / "app/api/sub/m_module.py").write_bytes(
        "# coding: cp437\n# \u00e9\nimport app.core.models\n".encode("cp437")
    )
    findings = _findings(root)
    assert not [finding for finding in findings if finding["rule"] == "syntax-error"]
    assert ("import-cycle", "app/api/sub/m_module.py", 3) in {(f["rule"], f["path"], f["line"]) for f in findings}


def test_a_panic_grimp_cannot_be_spared_is_a_finding_and_no_noise(tmp_path: Path) -> None:
    """A project under a directory whose name is not UTF-8: grimp's scanner panics on every file
    whatever its text. Each is a finding that says so, and standard error stays empty."""
    root = _write(tmp_path / os.fsdecode(b"caf\xe9"), "import app.core")
    findings = _findings(root)
    failed = [finding for finding in findings if finding["rule"] == "syntax-error"]
    assert {f["path"] for f in failed} == {path.relative_to(root).as_posix() for path in root.rglob("*.py")}
    assert all("grimp's import scanner panicked on it, though Python parses it" in f["message"] for f in failed)
    assert all(f["suggestion"].startswith("Nothing is wrong with the module: report the failure") for f in failed)


# What ast says of generated spellings: whitespace, tabs and continuations between the dots and
# around the dots of the module's name, ``...`` tokens among single dots.
_GAPS = st.lists(st.sampled_from([" ", "\t", "\\\n", " \\\n  ", "\\\r\n", ""]), min_size=1, max_size=2).map("".join)
_DOT_TOKENS = st.lists(st.sampled_from([".", "..."]), min_size=1, max_size=4)
_NAMES = st.lists(st.sampled_from(["m", "core", "sub_2", "Name"]), max_size=3)


@st.composite
def _relative_imports(draw: st.DrawFn) -> str:
    dots = draw(_DOT_TOKENS)
    source = dots[0] + "".join(draw(_GAPS.filter(bool) | st.just("")) + token for token in dots[1:])
    names = draw(_NAMES)
    if names:
        source += draw(_GAPS | st.just("")) + "".join(
            name if not index else draw(_GAPS | st.just("")) + "." + draw(_GAPS | st.just("")) + name
            for index, name in enumerate(names)
        )
    separator = draw(_GAPS.filter(bool)) if names else draw(_GAPS)
    listed = draw(st.sampled_from(["Name", "(Name)", "(\n    Name,\n)", "Name as other"]))
    return f"from{draw(_GAPS | st.just(''))}{source}{separator}import {listed}"


def _parsed(statement: str) -> ast.ImportFrom | None:
    try:
        node = ast.parse(statement).body[0]
    except SyntaxError:
        return None
    assert isinstance(node, ast.ImportFrom)
    return node


@settings(max_examples=400)
@given(statement=_relative_imports(), nested=st.booleans())
def test_the_text_reading_of_a_spelling_is_what_ast_reads(statement: str, nested: bool) -> None:
    node = _parsed(statement)
    if node is None:
        return
    text = "x = 1\n" + ("if x:\n    " if nested else "") + statement + "\n"
    rows = statement_rows(text)
    line = 3 if nested else 2
    assert rows == [(line, node.level, node.module, tuple((a.name, a.asname) for a in node.names))]
    assert scan_hints(text)[2] == node.level  # the most dots: what decides a clamp


@settings(max_examples=400)
@given(statement=_relative_imports())
def test_the_mentions_reading_is_what_ast_reads_or_nothing(statement: str) -> None:
    """The name-mentions reading takes apart only single-line spellings; what it takes apart
    it reads as ``ast`` does, and one it does not it leaves to the parser (every role)."""
    node = _parsed(statement)
    if node is None:
        return
    roles, sources = scan_mentions(f"x = 1\n{statement}\n".encode(), "Name")
    if sources:
        assert [(level, module or None) for level, module, _ in sources] == [(node.level, node.module)]
    else:
        assert roles  # claimed: the parser decides


@settings(max_examples=400)
@given(statement=_relative_imports(), depth=st.integers(0, 3), is_package=st.booleans())
def test_a_clamped_spelling_climbs_one_level_above_the_top_at_most(
    statement: str, depth: int, is_package: bool
) -> None:
    """What grimp is handed is Python still (same lines, same columns), and climbs as Python
    reads it, or to one level above the top-level package when it would climb further."""
    node = _parsed(statement)
    if node is None:
        return
    module = ".".join(["app", *["m"] * depth])
    text = f"x = 1\n{statement}\n"
    source = SourceFile(module, "/x/app.py", "app.py", is_package, "app", 0, len(text))
    most = depth + 1 + is_package
    clamped = _clamped_relative_imports(text, source)
    if node.level <= most:
        assert clamped is None
        return
    assert clamped is not None
    assert len(clamped) == len(text)
    assert [n.level for n in ast.walk(ast.parse(clamped)) if isinstance(n, ast.ImportFrom)] == [most]
    found = _parsed(clamped.split("\n", 1)[1])
    assert found is not None and found.module == node.module
