"""The real process at its edges: run from the project's root, and writing to a bad standard output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import write_project

CYCLE = {
    "app/__init__.py": "",
    "app/café.py": "import app.x\n",
    "app/x.py": "import app.café\n",
    "contracts/importcanon.toml": '[cycles]\npackages = ["app"]\n',
}


def importcanon(root: Path, *args: str, **options: object) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "importcanon", *args]
    return subprocess.run(command, cwd=root, text=True, timeout=60, **options)  # type: ignore[call-overload]


def test_python_m_from_the_project_root_never_imports_the_projects_own_modules(tmp_path):
    root = write_project(
        tmp_path / "project",
        {
            **CYCLE,
            "tomllib.py": "raise SystemExit('the project tomllib.py was imported')\n",
            "grimp.py": "raise SystemExit('the project grimp.py was imported')\n",
            "typer/__init__.py": "raise SystemExit('the project typer was imported')\n",
        },
    )

    run = importcanon(root, "check", ".", "--no-cache", capture_output=True)

    assert run.returncode == 1, run.stderr
    assert "was imported" not in run.stderr + run.stdout
    assert "import-cycle" in run.stdout


def test_a_standard_output_that_cannot_encode_a_name_gets_it_escaped(tmp_path):
    root = write_project(tmp_path / "project", CYCLE)

    run = importcanon(
        root, "check", ".", "--no-cache", capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}
    )

    assert run.returncode == 1, run.stderr
    assert "app.caf\\xe9 -> app.x" in run.stdout
    assert "error" not in run.stderr


def test_a_closed_standard_output_exits_2_with_a_message(tmp_path):
    root = write_project(tmp_path / "project", CYCLE)
    command = [sys.executable, "-m", "importcanon", "check", str(root), "--no-cache"]

    run = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", *command], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )

    assert run.returncode == 2
    assert run.stderr == "importcanon: error: standard output is closed: redirect it, to /dev/null to discard it\n"


def test_a_reader_that_goes_away_is_an_error_not_a_traceback(tmp_path):
    root = write_project(tmp_path / "project", CYCLE)
    read, write = os.pipe()
    os.close(read)  # nobody will ever read the report

    try:
        run = importcanon(root, "check", ".", "--no-cache", stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)

    assert run.returncode == 2
    assert run.stderr == "importcanon: error: standard output was closed before the report was written\n"


def test_the_command_ends_with_the_whole_report_and_the_code_that_main_gives(tmp_path):
    """The process ends without Python's clean-up, but with everything written: a report far
    larger than an output buffer, through a pipe, and the exit code."""
    files = {"app/__init__.py": "", "contracts/importcanon.toml": '[cycles]\npackages = ["app"]\n'}
    for index in range(150):  # a ring of imports: one cycle, each import a finding with its chain
        files[f"app/m{index}.py"] = f"import app.m{(index + 1) % 150}\n"
    root = write_project(tmp_path / "project", files)
    in_process = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom importcanon.cli import main\nsys.argv[0] = 'importcanon'\nmain()"]
        + ["check", ".", "--no-cache", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )

    run = importcanon(root, "check", ".", "--no-cache", "--format", "json", capture_output=True)

    assert run.returncode == in_process.returncode == 1, run.stderr
    assert len(run.stdout) > 65536
    assert [line for line in run.stdout.splitlines() if '"elapsed' not in line] == [
        line for line in in_process.stdout.splitlines() if '"elapsed' not in line
    ]


def test_the_atexit_handlers_still_run_before_the_command_ends():
    probe = (
        "import atexit, sys\n"
        "atexit.register(print, 'handler ran')\n"
        "sys.argv = ['importcanon', 'rules']\n"
        "from importcanon.cli import console\n"
        "console()\n"
    )

    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)

    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("contract ")
    assert run.stdout.endswith("handler ran\n")


def test_a_thread_still_running_gets_python_s_normal_exit():
    probe = (
        "import sys, threading, time\n"
        "def wait():\n"
        "    while threading.main_thread().is_alive():  # until Python's exit has begun\n"
        "        time.sleep(0.01)\n"
        "    print('thread finished')\n"
        "threading.Thread(target=wait).start()\n"
        "sys.argv = ['importcanon', '--version']\n"
        "from importcanon.cli import console\n"
        "console()\n"
    )

    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)

    assert run.returncode == 0, run.stderr
    assert run.stdout.endswith("thread finished\n")


def test_an_output_that_cannot_be_flushed_at_the_end_gets_python_s_normal_exit():
    """As Python's own exit reports it (exit status 120), whether the command ends at once or not."""
    probe = (
        "import atexit, io, sys\n"
        "class Output(io.StringIO):\n"
        "    broken = False\n"
        "    def flush(self):\n"
        "        if self.broken:\n"
        "            raise RuntimeError('the output went away')\n"
        "sys.stdout = Output()\n"
        "atexit.register(setattr, sys.stdout, 'broken', True)\n"
        "sys.argv = ['importcanon', '--version']\n"
        "from importcanon.cli import {entry}\n"
        "{entry}()\n"
    )

    runs = [
        subprocess.run([sys.executable, "-c", probe.format(entry=entry)], capture_output=True, text=True, timeout=60)
        for entry in ("console", "main")
    ]

    assert runs[0].returncode == runs[1].returncode == 120
    assert "the output went away" in runs[0].stderr
    at_once, normal = (re.sub("0x[0-9a-f]+", "0x", run.stderr) for run in runs)  # object addresses differ
    assert at_once == normal


def test_the_command_s_modules_are_imported_with_the_collector_off():
    """The console script (pyproject's ``importcanon``) and ``python -m importcanon`` import the
    command line through ``importcanon.entry``: no collection runs while they are imported."""
    probe = (
        "import gc, sys, tomllib\n"
        "collections = []\n"
        "gc.callbacks.append(lambda phase, info: collections.append(phase))\n"
        "script = tomllib.load(open(sys.argv[1], 'rb'))['project']['scripts']['importcanon']\n"
        "module, name = script.split(':')\n"
        "__import__(module)\n"
        "assert callable(getattr(sys.modules[module], name))\n"
        "print(len(collections), 'importcanon.cli' in sys.modules)\n"
    )
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"

    run = subprocess.run([sys.executable, "-c", probe, str(pyproject)], capture_output=True, text=True, timeout=60)

    assert run.returncode == 0, run.stderr
    assert run.stdout == "0 True\n"
    assert "from importcanon.entry import console" in (pyproject.parent / "src/importcanon/__main__.py").read_text()
