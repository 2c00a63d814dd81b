"""Baselines, histories and configuration that are hostile or corrupt: exit 2 naming the file.

Never an internal error, never a hang on a FIFO, never memory growing on ``/dev/zero``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import run_cli

PROJECT = {
    "app/__init__.py": "",
    "app/factory.py": "def make():\n    return 1\n",
    "app/users.py": "from app.factory import make\n\n\ndef first():\n    return make()\n",
    "contracts/importcanon.toml": '[[deprecated]]\nname = "app.factory.make"\n',
}
ENTRY = {"rule": "deprecated", "fingerprint": "0123456789abcdef", "description": "d"}


def baseline_text(count: str) -> str:
    entry = json.dumps(ENTRY)[:-1] + f', "count": {count}}}'
    return f'{{\n  "schema": 1,\n  "entries": [\n    {entry}\n  ]\n}}\n'


def run_bounded(*args: str) -> subprocess.CompletedProcess[str]:
    """The real process, with a deadline: a FIFO or /dev/zero must not hang it or eat memory."""
    command = [sys.executable, "-m", "importcanon", *args, "--no-cache"]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            baseline_text("9" * 5000),
            "baseline.json:4: the baseline is not valid JSON: a number with thousands of digits",
        ),
        (baseline_text("1" + "0" * 40), "contracts/baseline.json:4: baseline entry 1 is malformed"),
        ('{"schema": 1, "entries": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ],
    ids=["digits", "huge-count", "deep"],
)
def test_a_baseline_with_absurd_numbers_or_nesting_exits_2_naming_the_file(project, text, expected):
    root = project(PROJECT)
    (root / "contracts/baseline.json").write_text(text)

    for command in ("check", "baseline update", "baseline show"):
        run = run_cli(*command.split(), root)
        assert run.exit_code == 2, (command, run.stderr)
        assert expected in run.stderr
        assert "internal error" not in run.stderr
    assert (root / "contracts/baseline.json").read_text() == text


@pytest.mark.parametrize(
    "snapshot",
    [
        {"date": "2025-01-01T00:00:00Z", "total": "3", "rules": {}},
        {"date": "2025-01-01T00:00:00Z", "total": 3, "rules": {"deprecated": "x"}},
        {"date": "2025-01-01T00:00:00Z", "total": True, "rules": {}},
        {"date": "yesterday", "total": 3, "rules": {}},
        {"date": "2025-01-01T00:00:00Z", "total": 10**40, "rules": {}},
    ],
    ids=["total-string", "rule-string", "total-bool", "date", "huge"],
)
@pytest.mark.parametrize("format", ["text", "svg", "json"])
def test_a_history_value_of_the_wrong_type_exits_2_at_its_line(project, snapshot, format):
    root = project(PROJECT)
    good = {"date": "2024-12-01T00:00:00Z", "total": 1, "rules": {"deprecated": 1}}
    lines = json.dumps(good) + "\n" + json.dumps(snapshot) + "\n"
    (root / "contracts/baseline.history.jsonl").write_text(lines)

    run = run_cli("trend", root, "--format", format)

    assert run.exit_code == 2
    assert "contracts/baseline.history.jsonl:2: history line is not an importcanon snapshot" in run.stderr


def test_a_history_line_with_thousands_of_digits_exits_2_at_its_line(project):
    root = project(PROJECT)
    (root / "contracts/baseline.history.jsonl").write_text('{"date": "2025-01-01", "total": ' + "7" * 5000 + "}\n")

    run = run_cli("trend", root)

    assert run.exit_code == 2
    assert "contracts/baseline.history.jsonl:1: history line is not valid JSON" in run.stderr


def test_a_baseline_that_is_dev_zero_or_a_fifo_is_refused_at_once(project):
    settings = '\n[settings]\nbaseline = "/dev/zero"\n'
    root = project({**PROJECT, "contracts/importcanon.toml": PROJECT["contracts/importcanon.toml"] + settings})
    os.mkfifo(root / "contracts/fifo.json")

    zero = run_bounded("check", str(root))
    fifo = run_bounded("check", str(root), "--baseline", str(root / "contracts/fifo.json"))

    assert zero.returncode == 2
    assert "/dev/zero: cannot read the baseline: not a regular file" in zero.stderr
    assert fifo.returncode == 2
    assert "contracts/fifo.json: cannot read the baseline: not a regular file" in fifo.stderr


def test_a_contract_file_that_is_dev_zero_or_a_fifo_is_refused_at_once(project):
    root = project(PROJECT)
    (root / "contracts/zero.toml").symlink_to("/dev/zero")
    os.mkfifo(root / "contracts/wait.toml")

    run = run_bounded("check", str(root))

    assert run.returncode == 2
    assert "contracts/wait.toml: cannot read the file: not a regular file" in run.stderr
