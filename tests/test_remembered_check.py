"""A check remembered whole (an unchanged project's warm run) reports exactly what a cold run does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.adapters import cache as cache_module
from importcanon.adapters.workspace import open_workspace
from importcanon.application.remembered import analysis_key
from tests.conftest import SAMPLE, run_cli
from tests.test_any_syntax import NEWER


def report(root: Path, *options: str) -> dict[str, object]:
    """The JSON report without the timing that differs between any two runs."""
    run = run_cli("check", root, "--format", "json", *options)
    assert run.exit_code in (0, 1), run.stderr
    data = json.loads(run.stdout)
    data.pop("elapsed", None)
    return data


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SAMPLE, root)
    return root


def test_a_remembered_check_reports_what_a_cold_one_does(sample):
    cold = report(sample, "--no-cache")
    first = report(sample)
    assert (sample / ".importcanon_cache" / "check.marshal").is_file()
    assert report(sample) == first == cold
    # Baseline and suppressions come after the remembered part: they still count.
    assert run_cli("baseline", "update", sample).exit_code == 0
    assert report(sample) == report(sample, "--no-cache")


def test_an_edit_is_never_answered_from_the_remembered_check(sample):
    report(sample)
    chat = sample / "app" / "services" / "chat.py"
    chat.write_text(chat.read_text() + "\nfrom app.legacy.session import SessionManager as Renamed\n")
    assert report(sample) == report(sample, "--no-cache")


def test_a_remembered_check_keeps_the_warnings_of_files_no_parser_reads(project):
    files = dict(NEWER)
    files["app/legacy/deep.py"] = "from app.core.factory import get_factory\nx = " + "(" * 201 + "1" + ")" * 201 + "\n"
    root = project(files)
    cold = report(root, "--no-cache")
    assert any("neither Python" in warning for warning in cold["warnings"])
    assert report(root) == cold
    assert report(root) == cold  # remembered


@pytest.mark.parametrize(
    "value",
    [
        ["not", "a", "check"],
        ([("rule",)], [], [], {}, None, {}, [], []),
        ([], [], [], [], None, {}, [], []),
        ([], [], [], {}, None, {}, [("app.x", "yes")], [("app.y", ("line", "why"))]),
    ],
)
def test_a_remembered_check_of_the_wrong_shape_is_analysed_again(sample, value):
    expected = report(sample, "--no-cache")
    report(sample)
    check = sample / ".importcanon_cache" / "check.marshal"
    data = check.read_bytes()
    start = len(cache_module._MAGIC)
    key = data[start : data.index(b"\n", start)].decode()
    check.write_bytes(cache_module.encode_whole(key, value))
    assert report(sample) == expected


def test_a_comment_added_to_a_file_keeps_the_remembered_check(sample):
    """An edit that changes no fact (a comment at the end) reuses the analyses: the remembered
    check is not written again, and the report is a cold run's."""
    report(sample)
    check = sample / ".importcanon_cache" / "check.marshal"
    remembered = check.read_bytes()
    routes = sample / "app" / "api" / "routes.py"
    routes.write_text(routes.read_text() + "# a comment\n")
    assert report(sample) == report(sample, "--no-cache")
    assert check.read_bytes() == remembered
    routes.write_text(routes.read_text() + "# another\n")  # and again, from the related content
    assert report(sample) == report(sample, "--no-cache")
    assert check.read_bytes() == remembered


EDITS = [
    "# a comment\n",
    "\n",
    "# SessionManager, importcanon: ignore[legacy-import]\n",
    "x_new = 1\n",
    "import app\n",
    "from app.db import repository  # importcanon: ignore\n",
    '"""a string"""\n',
    "def later():\n    import app.services\n",
]


@pytest.fixture(scope="module")
def warm_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("edits") / "project"
    shutil.copytree(SAMPLE, root)
    report(root)
    return root, {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), edit=st.sampled_from(EDITS), at_end=st.booleans())
def test_after_any_edit_a_warm_run_reports_what_a_cold_one_does(warm_sample, data, edit, at_end):
    """Whether the edit changes a fact or not, the analyses reused or redone give a cold run's report."""
    root, pristine = warm_sample
    for relative, content in pristine.items():
        (root / relative).write_bytes(content)
    name = data.draw(st.sampled_from(sorted(r for r in pristine if r.endswith(".py") and r.startswith("app"))))
    lines = pristine[name].decode().splitlines(keepends=True)
    position = len(lines) if at_end else data.draw(st.integers(min_value=0, max_value=len(lines)))
    (root / name).write_text("".join([*lines[:position], edit, *lines[position:]]))
    assert report(root) == report(root, "--no-cache")
    assert report(root) == report(root, "--no-cache")


@pytest.mark.parametrize(("before", "after"), [('["Name"]', '["Nome"]'), ('["Nome"]', '["Name"]')])
def test_an_edit_of_all_that_keeps_every_other_fact_is_not_answered_from_the_remembered_check(project, before, after):
    """``where`` reads ``__all__`` from the text of a plain importer: an edit of that list alone
    (same lines, same imports, same mentions) changes what the module re-exports."""
    root = project(
        {
            "contracts/importcanon.toml": '[settings]\nroot_packages = ["pkg"]\n\n'
            '[[canonical]]\nsymbol = "Name"\nmodule = "pkg.home"\n',
            "pkg/__init__.py": "",
            "pkg/home.py": "class Name:\n    pass\n",
            "pkg/m.py": f"from pkg.home import Name\n__all__ = {before}\nfor i in []:\n    pass\n",
        }
    )
    assert report(root, "--no-baseline") == report(root, "--no-cache", "--no-baseline")
    module = root / "pkg" / "m.py"
    module.write_text(module.read_text().replace(before, after))
    warm = report(root, "--no-baseline")
    assert warm == report(root, "--no-cache", "--no-baseline")
    assert warm["metrics"]["fragmentation"]["symbols"]["Name"]["binding_modules"] == (
        ["pkg.home", "pkg.m"] if after == '["Name"]' else ["pkg.home"]
    )


def test_without_a_cache_the_analysis_has_no_key_and_the_report_is_the_same(sample):
    for use_cache, keyed in ((False, False), (True, True)):
        workspace = open_workspace(sample, cache_dir=None, use_cache=use_cache)
        key = analysis_key(workspace.project, workspace.import_linter, workspace.contracts)
        assert (key is not None) is keyed
    assert report(sample, "--no-cache") == report(sample) == report(sample, "--no-cache")
