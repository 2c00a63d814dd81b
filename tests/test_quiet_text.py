"""A green run is quiet: the default text on a baselined project, --show-baselined, --quiet;
colour only on a terminal and never with NO_COLOR; progress only on a terminal."""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from conftest import SAMPLE, run_cli

from importcanon.adapters.reporting.progress import CheckProgress


def sample_counts() -> tuple[int, dict[str, int]]:
    """How many findings the sample's baseline knows, in all and per rule (from the JSON report)."""
    findings = run_cli("check", SAMPLE, "--no-cache", "--format", "json").findings()
    assert findings and all(finding["status"] == "baselined" for finding in findings)
    return len(findings), dict(Counter(finding["rule"] for finding in findings))


def summary(known: int) -> str:
    return f"importcanon: 0 new, {known} baselined, 0 fixed ("


def test_a_baselined_project_shows_counts_per_rule_not_the_findings():
    known, per_rule = sample_counts()
    run = run_cli("check", SAMPLE, "--no-cache")

    lines = run.stdout.splitlines()
    assert run.exit_code == 0
    counts = ", ".join(f"{rule} {count}" for rule, count in sorted(per_rule.items()))
    assert lines[0] == f"baselined: {known} known findings ({counts}); --show-baselined lists them"
    assert not any("[baselined]" in line for line in lines)
    assert lines[-1].startswith(summary(known))


def test_show_baselined_lists_them():
    known, _ = sample_counts()
    run = run_cli("check", SAMPLE, "--no-cache", "--show-baselined")
    assert sum("[baselined]" in line for line in run.stdout.splitlines()) == known
    assert "--show-baselined lists them" not in run.stdout


def test_quiet_prints_the_summary_alone_when_nothing_is_new_and_new_findings_in_full_otherwise(tmp_path):
    known, _ = sample_counts()
    quiet = run_cli("check", SAMPLE, "--no-cache", "--quiet")
    assert quiet.stdout.count("\n") == 1 and quiet.stdout.startswith(summary(known))

    sample = shutil.copytree(SAMPLE, tmp_path / "sample")
    (sample / "app/db/extra.py").write_text("from app.api import routes\n\n\ndef f():\n    return routes\n")
    noisy = run_cli("check", sample, "-q")
    lines = noisy.stdout.splitlines()
    assert noisy.exit_code == 1
    assert lines[0].startswith("app/db/extra.py:1: contract app.db is not allowed to import app.api")
    assert any(line.startswith("    help: ") for line in lines)
    assert lines[-1].startswith(f"importcanon: 1 new, {known} baselined")
    assert not any(line.startswith(("fragmentation:", "baselined:", "contract:")) for line in lines)


def run_on_a_terminal(*args: str, environment: dict[str, str]) -> str:
    """The CLI with standard output on a pseudo-terminal, as a person runs it."""
    main, secondary = pty.openpty()
    script = Path(sys.executable).parent / "importcanon"
    process = subprocess.Popen([str(script), *args], stdout=secondary, stderr=subprocess.DEVNULL, env=environment)
    os.close(secondary)
    chunks = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 1)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:  # the other end closed
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_and_never_with_no_color():
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    environment["TERM"] = "xterm-256color"
    coloured = run_on_a_terminal("check", str(SAMPLE), "--no-cache", environment=environment)
    plain = run_on_a_terminal("check", str(SAMPLE), "--no-cache", environment={**environment, "NO_COLOR": "1"})

    assert "\x1b[" in coloured and "known findings" in coloured
    assert "\x1b[" not in plain and "known findings" in plain
    assert "\x1b[" not in run_cli("check", SAMPLE, "--no-cache").stdout  # not a terminal


def test_progress_appears_on_a_terminal_once_the_delay_has_passed():
    main, secondary = pty.openpty()
    with open(secondary, "w", closefd=True) as terminal, CheckProgress(terminal, steps=4, delay=0.0) as progress:
        progress.step("scanning the sources")
        time.sleep(0.3)
        progress.step("import cycles")
        time.sleep(0.3)
    assert b"importcanon: " in read_all(main)


def test_no_progress_off_a_terminal_or_before_the_delay():
    stream = io.StringIO()
    with CheckProgress(stream, steps=4, delay=0.0) as progress:
        progress.step("scanning the sources")
        time.sleep(0.2)
    assert stream.getvalue() == ""

    main, secondary = pty.openpty()
    with open(secondary, "w", closefd=True) as terminal, CheckProgress(terminal, steps=4, delay=5.0) as progress:
        progress.step("scanning the sources")
    assert read_all(main) == b""


def read_all(main: int) -> bytes:
    """What the terminal received, once its other end is closed."""
    shown = b""
    while select.select([main], [], [], 0.2)[0]:
        try:
            data = os.read(main, 65536)
        except OSError:  # the other end is closed: nothing more
            break
        if not data:
            break
        shown += data
    os.close(main)
    return shown


def test_the_progress_total_counts_every_stage_of_a_check():
    from importcanon.adapters.workspace import open_workspace
    from importcanon.application.check import ANALYSIS_STEPS, run_check

    workspace = open_workspace(SAMPLE, cache_dir=None, use_cache=False)
    stages: list[str] = []
    run_check(workspace.project, workspace.import_linter, workspace.contracts, progress=stages.append)
    assert len(stages) == ANALYSIS_STEPS
