"""why and can-import refuse a name that is not a dotted module name, with exit 2 and no traceback."""

from __future__ import annotations

import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.domain.modules import is_module_name

FILES = {
    "app/__init__.py": "",
    "app/core.py": "X = 1\n",
    "app/user.py": "from app.core import X\n",
    ".importlinter": "[importlinter]\nroot_package = app\n",
}


@pytest.mark.parametrize("bad", ["app..x", "app.x.", ".app", "app.1x", "app.x-y", ""])
@pytest.mark.parametrize("command", ["why", "can-import"])
@pytest.mark.parametrize("position", [0, 1])
def test_an_invalid_module_name_exits_2_naming_it(project, command, position, bad):
    root = project(FILES)
    names = ["app.user", "app.core"]
    names[position] = bad
    run = run_cli(command, *names, root)
    assert run.exit_code == 2
    assert f"'{bad}' is not a module name" in run.stderr
    assert "Traceback" not in run.stderr


def test_valid_names_still_answer(project):
    root = project(FILES)
    assert run_cli("why", "app.user", "app.core", root).exit_code == 0
    assert run_cli("can-import", "app.newcomer", "app.core", root).exit_code == 0


_identifier = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,5}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(st.one_of(_identifier, st.just("")), min_size=1, max_size=4))
def test_a_name_is_a_module_name_exactly_when_no_part_is_empty(parts):
    assert is_module_name(".".join(parts)) == all(parts)
