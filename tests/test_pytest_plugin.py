"""The pytest plugin through pytester: a test item per import-linter contract and per rule, failing
with the new findings before the fix and passing after it, honouring the baseline."""

from __future__ import annotations

import pytest
from conftest import LAYERED, run_cli, write_project
from junitparser import Failure, JUnitXml

from importcanon.domain.rules import RULES

RULE_ITEMS = len(RULES) - 1  # every rule but "contract", whose findings go to the contract items


@pytest.fixture
def layered(pytester):
    return write_project(pytester.path / "project", LAYERED)


def run(pytester, *args):
    """An in-process pytest run without hypothesis's plugin, whose summary re-imports hypothesis
    under assertion rewriting on every run (seconds each), and without a cache directory."""
    return pytester.runpytest("-p", "no:hypothesispytest", "-p", "no:cacheprovider", *args)


def fix_layers(root):
    (root / "app/services/audit_log.py").write_text("")
    models = root / "app/db/models.py"
    models.write_text("PRICE = 3\n")


def test_a_broken_contract_fails_its_item_and_passes_after_the_fix(pytester, layered):
    before = run(pytester, "--importcanon", "project")
    before.assert_outcomes(failed=1, passed=RULE_ITEMS)
    before.stdout.fnmatch_lines(
        [
            "*importcanon contract: Layered*",
            "2 new findings:",
            "app/db/models.py:5: contract app.db is not allowed to import app.services*",
            "app/services/audit_log.py:1: contract *",
        ]
    )
    assert "Traceback" not in before.stdout.str()

    fix_layers(layered)
    run(pytester, "--importcanon=project").assert_outcomes(passed=1 + RULE_ITEMS)


def test_the_baseline_is_honoured_and_a_new_violation_fails_its_rule(pytester, layered):
    run_cli("baseline", "create", layered)
    run(pytester, "--importcanon=project").assert_outcomes(passed=1 + RULE_ITEMS)

    (layered / "app/db/broken.py").write_text("def broken(:\n")
    result = run(pytester, "--importcanon=project")
    result.assert_outcomes(failed=1, passed=RULE_ITEMS)
    result.stdout.fnmatch_lines(["*importcanon syntax-error*", "app/db/broken.py:1: syntax-error *"])


def test_k_selects_items_and_x_stops_at_the_first_failure(pytester, layered):
    (layered / "app/db/broken.py").write_text("def broken(:\n")

    run(pytester, "--importcanon=project", "-k", "Layered").assert_outcomes(failed=1)
    run(pytester, "--importcanon=project", "-k", "cycle or shim").assert_outcomes(passed=2)
    run(pytester, "--importcanon=project", "-x").assert_outcomes(failed=1)


def test_the_items_run_beside_the_projects_own_tests(pytester, layered):
    pytester.makepyfile(test_plain="def test_one():\n    assert True\n")
    run(pytester, "--importcanon=project", "test_plain.py").assert_outcomes(failed=1, passed=1 + RULE_ITEMS)
    run(pytester, "test_plain.py").assert_outcomes(passed=1)  # without the option: no items
    run(pytester, "--importcanon=project", "-m", "importcanon", "test_plain.py").assert_outcomes(
        failed=1, passed=RULE_ITEMS
    )


def test_junitxml_has_a_case_per_item(pytester, layered):
    run(pytester, "--importcanon=project", "--junitxml=report.xml")

    xml = JUnitXml.fromfile(str(pytester.path / "report.xml"))
    cases = {case.name: case for suite in xml for case in suite}
    assert set(cases) == {"contract: Layered"} | {rule for rule in RULES if rule != "contract"}
    assert all(case.classname == "importcanon" for case in cases.values())
    (failure,) = cases["contract: Layered"].result
    assert isinstance(failure, Failure)
    assert "app/db/models.py:5" in failure.text


def test_the_plugin_can_be_disabled(pytester, layered):
    result = run(pytester, "-p", "no:importcanon", "--importcanon=project")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unrecognized arguments: --importcanon*"])


def test_a_project_importcanon_cannot_check_is_one_clear_failure(pytester):
    result = run(pytester, "--importcanon=missing")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["importcanon: error: project directory * does not exist"])
    assert "Traceback" not in result.stdout.str()
