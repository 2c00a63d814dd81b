"""The pre-commit hook: loaded by pre-commit's own manifest loader, and its entry run on the sample."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import LAYERED, REPO_ROOT, SAMPLE, write_project
from pre_commit.clientlib import load_manifest


def hook() -> dict:
    (found,) = [h for h in load_manifest(str(REPO_ROOT / ".pre-commit-hooks.yaml")) if h["id"] == "importcanon"]
    return found


def run_entry(cwd: Path) -> subprocess.CompletedProcess[str]:
    """The hook's entry as pre-commit runs it: in the repository, no file names, our venv's scripts."""
    entry = shlex.split(hook()["entry"])
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(entry, cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


def test_the_manifest_declares_a_whole_project_hook_running_check():
    found = hook()
    assert found["entry"] == "importcanon check"
    assert found["language"] == "python"
    assert found["pass_filenames"] is False
    assert found["always_run"] is True


def test_the_hook_entry_passes_on_the_sample_and_fails_on_a_new_violation(tmp_path):
    sample = shutil.copytree(SAMPLE, tmp_path / "sample")
    broken = write_project(tmp_path / "broken", LAYERED)

    passing = run_entry(sample)
    failing = run_entry(broken)

    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert passing.stdout.startswith("baselined: ") and "importcanon: 0 new" in passing.stdout
    assert failing.returncode == 1
    assert "app/db/models.py:5: contract app.db is not allowed to import app.services" in failing.stdout
