"""import-linter ``contract_types``: imported only from installed packages unless the command line
says otherwise, and nothing a plugin does while imported can end the run or corrupt its report."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import run_cli, write_project

MARKER = "ran.txt"


def plugin_project(root: Path, plugin_body: str, type_path: str | None = None) -> Path:
    """A project that keeps a contract type in its own tree (``tools_*/``, not a root package).

    The package name is the test's own: tests run in one process, and a module stays imported.
    """
    tools = "tools_" + re.sub(r"\W", "_", root.parent.name)
    return write_project(
        root,
        {
            "app/__init__.py": "",
            "app/a.py": "import app.b\n",
            "app/b.py": "",
            f"{tools}/__init__.py": "",
            f"{tools}/archcontracts.py": plugin_body,
            ".importlinter": f"""
                [importlinter]
                root_package = app
                contract_types =
                    mine: {type_path or tools + ".archcontracts.Mine"}

                [importlinter:contract:x]
                name = Mine
                type = mine
            """,
        },
    )


EVIL = f"""
import pathlib
pathlib.Path(__file__).parent.parent.joinpath("{MARKER}").write_text("the repository's code ran")
print("plugin chatter on stdout")
from importlinter.contracts.forbidden import ForbiddenContract as Mine
"""


def importcanon(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """As CI runs it: from the project's root, with the project on PYTHONPATH."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([".", os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "importcanon", *args, "--no-cache"]
    return subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True, timeout=60)


def test_a_plugin_in_the_project_tree_is_not_imported_by_default(tmp_path):
    root = plugin_project(tmp_path / "project", EVIL)

    run = importcanon(root, "check", ".", "--format", "json")

    assert not (root / MARKER).exists()
    assert run.returncode == 1, run.stderr
    (finding,) = [f for f in json.loads(run.stdout)["findings"] if f["rule"] == "contract"]
    assert "not an installed package" in finding["message"]
    assert "--allow-project-plugins" in finding["message"]


def test_the_command_line_can_allow_it_and_its_output_stays_off_stdout(tmp_path):
    root = plugin_project(tmp_path / "project", EVIL)
    options = ["source_modules = app.a", "forbidden_modules = app.b"]
    config = root / ".importlinter"
    config.write_text(config.read_text() + "".join(f"{option}\n" for option in options))

    run = importcanon(root, "check", ".", "--format", "json", "--allow-project-plugins")

    assert (root / MARKER).exists()
    report = json.loads(run.stdout)  # the plugin's print went to stderr
    assert "plugin chatter on stdout" in run.stderr
    (finding,) = [f for f in report["findings"] if f["rule"] == "contract"]
    assert "app.a is not allowed to import app.b" in finding["message"]


def test_a_plugin_that_exits_while_imported_is_a_finding_not_the_exit_code(tmp_path):
    root = plugin_project(tmp_path / "project", "raise SystemExit(7)\n")

    run = run_cli("check", root, "--format", "json", "--allow-project-plugins", "--no-cache")

    assert run.exit_code == 1
    (finding,) = run.findings("contract")
    assert "exited while being imported (SystemExit: 7)" in finding["message"]


def test_a_plugin_whose_check_exits_is_a_finding_not_the_exit_code(tmp_path):
    body = """
from importlinter.contracts.forbidden import ForbiddenContract


class Mine(ForbiddenContract):
    def check(self, graph, verbose):
        raise SystemExit(7)
"""
    root = plugin_project(tmp_path / "project", body)
    config = root / ".importlinter"
    config.write_text(config.read_text() + "source_modules = app.a\nforbidden_modules = app.b\n")

    run = run_cli("check", root, "--format", "json", "--allow-project-plugins", "--no-cache")

    assert run.exit_code == 1
    (finding,) = run.findings("contract")
    assert "its check exited (SystemExit: 7)" in finding["message"]


def test_an_installed_contract_type_is_imported_by_default(tmp_path):
    root = plugin_project(tmp_path / "project", "", type_path="importlinter.contracts.forbidden.ForbiddenContract")
    config = root / ".importlinter"
    config.write_text(config.read_text() + "source_modules = app.a\nforbidden_modules = app.b\n")

    run = run_cli("check", root, "--format", "json", "--no-cache")

    (finding,) = run.findings("contract")
    assert "app.a is not allowed to import app.b" in finding["message"]


def test_a_plugin_inside_a_root_package_is_refused_even_when_allowed(tmp_path):
    root = plugin_project(tmp_path / "project", "", type_path="app.b.Mine")
    (root / "app/b.py").write_text(f"open({str(root / MARKER)!r}, 'w')\n")

    run = run_cli("check", root, "--format", "json", "--allow-project-plugins", "--no-cache")

    assert not (root / MARKER).exists()
    (finding,) = run.findings("contract")
    assert "part of the code being checked" in finding["message"]
