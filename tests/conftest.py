"""Fixture projects written to tmp_path and the real CLI run on them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from importcanon.cli import app

# Property tests judge answers, not speed: a deadline per example only fails them on a loaded
# machine (a shared CI runner), where a 200 ms example can take 300 ms.
settings.register_profile("importcanon", deadline=None)
settings.load_profile("importcanon")

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "examples" / "chat-backend"


def write_project(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``files`` (relative path -> dedented text) under ``root``; return ``root``."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    def findings(self, rule: str | None = None) -> list[dict[str, Any]]:
        return [f for f in self.json["findings"] if rule is None or f["rule"] == rule]


def run_cli(*args: str | Path) -> Run:
    result = CliRunner().invoke(app, [str(arg) for arg in args], catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Callable[[Mapping[str, str]], Path]:
    def make(files: Mapping[str, str]) -> Path:
        return write_project(tmp_path / "project", files)

    return make


LAYERED = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/views.py": """
        from app.services import billing


        def show():
            return billing.total()
    """,
    "app/services/__init__.py": "",
    "app/services/billing.py": """
        \"\"\"Billing.\"\"\"
        from app.db import models


        def total():
            return models.PRICE
    """,
    "app/db/__init__.py": "",
    "app/db/models.py": """
        PRICE = 3


        def audit():
            from app.services import audit_log
            return audit_log
    """,
    "app/services/audit_log.py": """
        import app.api.views
    """,
    ".importlinter": """
        [importlinter]
        root_package = app

        [importlinter:contract:layers]
        name = Layered
        type = layers
        layers =
            app.api
            app.services
            app.db
    """,
}


# As an unprivileged user ------------------------------------------------------------------------


def run_as_nobody(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as the unprivileged user nobody (root only reads what any user can't)."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to switch to an unprivileged user")
    switch = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*switch, sys.executable, "-c", "import importcanon"], capture_output=True, cwd=cwd)
    if probe.returncode != 0:
        pytest.skip("the unprivileged user cannot reach this interpreter or importcanon")
    return subprocess.run([*switch, *command], capture_output=True, text=True, cwd=cwd, timeout=60)


@pytest.fixture
def shared() -> Iterator[Path]:
    """A directory an unprivileged user can reach (pytest's own temporary directory is private)."""
    directory = Path(tempfile.mkdtemp(prefix="importcanon-nobody-"))
    directory.chmod(0o755)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)
