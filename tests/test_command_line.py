"""A command line that names a command builds that command alone (start-up time), and its user
sees exactly what the whole application would show: the same output, errors and exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from importcanon.cli import _command_line, _command_name, app

COMMANDS = sorted(_command_name(info) for info in app.registered_commands)
GROUPS = sorted(str(info.name) for info in app.registered_groups)
ARGUMENT_TAILS = [["--help"], ["-h"], ["--no-such-option"], ["--version"], ["a", "b", "c", "d"], ["--format", "xml"]]


def _seen(application: object, arguments: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(application, arguments, catch_exceptions=False)  # type: ignore[arg-type]
    return result.exit_code, result.stdout, result.stderr


def test_every_command_is_found_by_its_name_and_built_alone():
    assert {"check", "can-import", "where", "rules"} <= set(COMMANDS)
    for name in COMMANDS:
        alone = _command_line([name, "--help"])
        assert alone is not app
        assert [_command_name(info) for info in alone.registered_commands] == [name]
        assert alone.registered_groups == []
    assert GROUPS == ["baseline"]
    alone = _command_line(["baseline", "update"])
    assert [info.name for info in alone.registered_groups] == ["baseline"]
    assert alone.registered_commands == []
    assert len(app.registered_commands) == len(COMMANDS)  # the application itself is untouched
    assert len(app.registered_groups) == len(GROUPS)


@pytest.mark.parametrize(
    "arguments", [[], ["--help"], ["--version"], ["chek"], ["-h", "check"], ["--help", "baseline"]]
)
def test_a_command_line_that_names_no_command_first_gets_the_whole_application(arguments):
    assert _command_line(arguments) is app


@pytest.mark.parametrize("name", COMMANDS + GROUPS)
@pytest.mark.parametrize("tail", [*ARGUMENT_TAILS, ["update", "--help"], ["create", "--nope"], ["show"]])
def test_a_command_alone_answers_as_the_whole_application_does(name, tail, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a command that runs finds no project here: the same error either way
    arguments = [name, *tail]

    assert _seen(_command_line(arguments), arguments) == _seen(app, arguments)


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(COMMANDS + GROUPS),
    tail=st.lists(st.sampled_from(["--help", "--quiet", "-q", "--nope", "--format", "json", "x", "-"]), max_size=3),
)
def test_any_options_after_a_command_get_the_same_answer(name, tail):
    # --help first, where no option can take it for its value: no command body ever runs here
    arguments = [name, "--help", *tail]

    assert _seen(_command_line(arguments), arguments) == _seen(app, arguments)


def test_the_console_entry_point_runs_the_command_named(tmp_path: Path):
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "importcanon", "rules"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )

    assert run.returncode == 0, run.stderr
    assert "import-cycle" in run.stdout
