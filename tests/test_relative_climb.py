"""A relative import that climbs far above the top-level package: grimp's scanner panics on it
(a Rust backtrace on the error stream, the whole file lost to the scan); importcanon hands grimp
the text with the climb cut to one level above the top, where grimp finds no import, as Python
finds none, and reports the import as broken, with the file's other imports."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.scanning import _RELATIVE_DOTS, _clamped_relative_imports
from importcanon.adapters.sources import SourceFile

CONTRACTS = '[settings]\nroot_packages = ["app"]\n\n[cycles]\n'


@pytest.mark.parametrize(
    ("path", "statement"),
    [
        ("app/x.py", "from .... import gone"),  # a module: two levels above the top
        ("app/sub/__init__.py", "from .... import gone"),  # a package climbs one level less from itself
        ("app/sub/deep.py", "from .....sub import gone"),
    ],
)
def test_a_far_climbing_import_is_broken_not_a_scan_failure(
    project: Callable[[Mapping[str, str]], Path], path: str, statement: str
) -> None:
    files = {
        "app/__init__.py": "",
        "app/sub/__init__.py": "",
        "app/other.py": "import app.sub\n",
        "contracts/c.toml": CONTRACTS,
    }
    files[path] = f"{statement}\nimport app.missing\nimport app.other\n"
    root = project(files)
    run = subprocess.run(
        [sys.executable, "-m", "importcanon", "check", str(root), "--no-baseline", "--format", "json"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "RUST_BACKTRACE": "1"},
    )
    assert "panicked" not in run.stderr
    assert run.returncode == 1, run.stderr
    findings = [(f["rule"], f["path"], f["line"]) for f in json.loads(run.stdout)["findings"]]
    assert ("broken-import", path, 1) in findings
    assert ("broken-import", path, 2) in findings  # the rest of the file is scanned as ever
    assert not [finding for finding in findings if finding[0] == "syntax-error"]


@settings(max_examples=300)
@given(
    text=st.text(alphabet="from import.x \t\n#'\"", max_size=80),
    depth=st.integers(0, 3),
    is_package=st.booleans(),
)
def test_clamping_only_turns_extra_dots_into_spaces(text: str, depth: int, is_package: bool) -> None:
    """Lines and columns stay (grimp's line numbers and texts are the file's), and what changes
    is a dot become a space, only ever in a ``from`` import's dots that climb too far."""
    module = ".".join(["app", *["m"] * depth])
    source = SourceFile(module, "/x/app.py", "app.py", is_package, "app", 0, len(text))
    clamped = _clamped_relative_imports(text, source)
    if clamped is None:
        return
    most = depth + 1 + is_package
    assert len(clamped) == len(text)
    assert all(a == b or (a, b) == (".", " ") for a, b in zip(text, clamped, strict=True))
    assert clamped != text
    for match in _RELATIVE_DOTS.finditer(clamped):
        assert match.group(1).count(".") <= most
