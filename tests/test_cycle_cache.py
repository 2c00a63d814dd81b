"""The cycle analysis is remembered by the imports it reads, not by whole file contents."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli, write_project

TANGLED = {
    "contracts/importcanon.toml": '[settings]\nroot_packages = ["pkg"]\n\n[cycles]\n',
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg import b\n\n\ndef f():\n    return b\n",
    "pkg/b.py": "from pkg import a\n\n\ndef g():\n    return a\n",
    "pkg/other.py": "import pkg.a\n\n\ndef h():\n    return 1\n",
}


def cycle_findings(root: Path, *options: str) -> list[dict[str, object]]:
    run = run_cli("check", root, "--no-baseline", "--format", "json", *options)
    return [finding for finding in json.loads(run.stdout)["findings"] if finding["rule"] == "import-cycle"]


def networkx_imported_by_a_check(root: Path) -> bool:
    """Whether a whole run (in a fresh interpreter) needed networkx, i.e. analysed cycles anew."""
    program = (
        "import sys\nfrom importcanon.cli import app\n"
        f"try:\n    app(['check', {str(root)!r}, '--no-baseline'])\nexcept SystemExit:\n    pass\n"
        "print('networkx' in sys.modules)"
    )
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    return completed.stdout.strip().endswith("True")


def test_an_edit_that_keeps_every_import_reuses_the_cycle_analysis(tmp_path):
    root = write_project(tmp_path / "project", TANGLED)
    expected = cycle_findings(root)
    assert expected

    other = root / "pkg" / "other.py"
    other.write_text(other.read_text() + "# a comment\n\n\ndef more():\n    return 2\n")

    assert not networkx_imported_by_a_check(root)
    assert cycle_findings(root) == expected == cycle_findings(root, "--no-cache")


def test_a_changed_import_kind_inside_a_tangle_is_analysed_again(tmp_path):
    root = write_project(tmp_path / "project", TANGLED)
    before = cycle_findings(root)

    # Same line, same statement text: only the block around it changes, making it deferred.
    (root / "pkg" / "b.py").write_text("def g():\n    from pkg import a\n    return a\n")

    after = cycle_findings(root)
    assert after == cycle_findings(root, "--no-cache")
    assert after != before


def test_a_new_import_is_analysed_again(tmp_path):
    root = write_project(tmp_path / "project", TANGLED)
    cycle_findings(root)

    (root / "pkg" / "other.py").write_text("import pkg.a\nfrom pkg import b\n")
    (root / "pkg" / "b.py").write_text("from pkg import a\nfrom pkg import other\n")

    assert cycle_findings(root) == cycle_findings(root, "--no-cache")


def test_an_edit_inside_a_tangle_that_keeps_its_imports_reuses_the_cycle_analysis(tmp_path):
    root = write_project(tmp_path / "project", TANGLED)
    expected = cycle_findings(root)

    member = root / "pkg" / "a.py"
    member.write_text(member.read_text() + "\n\ndef more():\n    return 3  # a new function body\n")

    assert not networkx_imported_by_a_check(root)
    assert cycle_findings(root) == expected == cycle_findings(root, "--no-cache")
