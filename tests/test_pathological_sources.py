"""Sources that used to crash, hang or exhaust the run: each is one finding or one warning, and
the rest of the project is still checked."""

from __future__ import annotations

import os

from conftest import run_cli

HEALTHY = {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": "X = 1\n"}


def _unreadable(run):
    return [(f["path"], f["message"]) for f in run.findings("unreadable-source")]


def test_a_symlink_loop_is_an_unreadable_source(project):
    root = project(HEALTHY)
    os.symlink("y.py", root / "app/x.py")
    os.symlink("x.py", root / "app/y.py")

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert run.exit_code == 1
    assert [path for path, _ in _unreadable(run)] == ["app/x.py", "app/y.py"]
    assert "Too many levels of symbolic links" in _unreadable(run)[0][1]
    assert run.json["metrics"]["imports"] == 1  # the rest is checked


def test_special_files_named_py_are_never_read(project):
    root = project(HEALTHY)
    os.mkfifo(root / "app/fifo.py")  # reading it would block forever
    os.symlink("/dev/zero", root / "app/zero.py")  # reading it would never end

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert _unreadable(run) == [
        (
            "app/fifo.py",
            "cannot read app/fifo.py: not a regular file, so it is not read; the modules in it are not checked",
        ),
        (
            "app/zero.py",
            "cannot read app/zero.py: not a regular file, so it is not read; the modules in it are not checked",
        ),
    ]
    assert run.json["metrics"]["imports"] == 1
