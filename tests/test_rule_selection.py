"""Rule selection: [settings] select / ignore / per_path_ignores, applied before the baseline, and
`importcanon rules`."""

from __future__ import annotations

import json
import re

import pytest
from conftest import run_cli
from hypothesis import given
from hypothesis import strategies as st

from importcanon.adapters.sources import compile_excludes
from importcanon.domain.rules import RULES
from importcanon.domain.selection import path_matches

PROJECT = {
    "app/__init__.py": "",
    "app/core.py": "def make():\n    return 1\n",
    "app/shim.py": "from app.core import make\n",
    "app/legacy/__init__.py": "",
    "app/legacy/shim.py": "from app.core import make\n",
    "app/a.py": "import app.b\n",
    "app/b.py": "import app.a\n",
}


CYCLE = ["app/a.py", "app/b.py"]  # each import on the cycle


def _project(project, settings: str):
    return project({**PROJECT, "contracts/c.toml": f"[settings]\n{settings}\n\n[cycles]\n"})


def _rules(run) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in run.findings():
        found.setdefault(finding["rule"], []).append(finding["path"])
    return found


def test_every_rule_runs_by_default(project):
    run = run_cli("check", _project(project, ""), "--format", "json")

    assert _rules(run) == {"import-cycle": CYCLE, "shim-module": ["app/legacy/shim.py", "app/shim.py"]}


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ('select = ["import-cycle"]', {"import-cycle": CYCLE}),
        ('ignore = ["shim-module"]', {"import-cycle": CYCLE}),
        (
            'select = ["shim-module", "import-cycle"]\nignore = ["import-cycle"]',
            {"shim-module": ["app/legacy/shim.py", "app/shim.py"]},
        ),
        (
            '[settings.per_path_ignores]\n"app/legacy/**" = ["shim-module"]\n"app/[ab].py" = ["import-cycle"]',
            {"shim-module": ["app/shim.py"]},
        ),
        ('per_path_ignores = {"app" = ["shim-module", "import-cycle"]}', {}),
    ],
)
def test_select_ignore_and_per_path_ignores_choose_the_findings(project, settings, expected):
    run = run_cli("check", _project(project, settings), "--format", "json")

    assert _rules(run) == expected
    assert run.exit_code == (1 if expected else 0)


def test_ignored_findings_are_neither_new_nor_baselined_nor_fixed(project):
    root = _project(project, "")
    assert run_cli("baseline", "create", root).exit_code == 0
    baseline = root / "contracts" / "baseline.json"
    recorded = baseline.read_text()
    contracts = root / "contracts" / "c.toml"
    contracts.write_text(contracts.read_text().replace("[settings]\n", '[settings]\nignore = ["shim-module"]\n'))

    run = run_cli("check", root, "--format", "json", "--fail-on-stale")
    update = run_cli("baseline", "update", root)
    after_update = baseline.read_text()
    (root / "app/b.py").write_text("")  # the cycle is fixed; the shims, ignored, stay recorded
    fixed = run_cli("check", root, "--format", "json")
    shrunk = run_cli("baseline", "update", root)

    assert (run.exit_code, run.json["summary"], run.json["fixed"]) == (0, {"new": 0, "baselined": 2, "fixed": 0}, [])
    assert update.exit_code == 0
    assert after_update == recorded
    assert {entry["rule"] for entry in fixed.json["fixed"]} == {"import-cycle"}
    assert shrunk.exit_code == 0
    assert sorted(e["rule"] for e in json.loads(baseline.read_text())["entries"]) == ["shim-module", "shim-module"]


def test_with_every_finding_ignored_nothing_is_recorded(project):
    root = _project(project, 'ignore = ["shim-module", "import-cycle"]')

    assert run_cli("baseline", "create", root).exit_code == 0
    assert json.loads((root / "contracts" / "baseline.json").read_text())["entries"] == []


@pytest.mark.parametrize(
    ("settings", "line", "message"),
    [
        ('select = ["shim-modules"]', 2, "[settings] select names the unknown rule 'shim-modules'"),
        ('ignore = "shim-module"', 2, "[settings] ignore must be a list of rule ids"),
        (
            '\n[settings.per_path_ignores]\n"app/**" = ["nope"]',
            3,
            "[settings] per_path_ignores 'app/**' names the unknown rule 'nope'",
        ),
        ('per_path_ignores = ["app"]', 2, "[settings] per_path_ignores must be a table of path globs"),
    ],
)
def test_an_unknown_rule_or_a_wrong_shape_is_exit_2_at_its_line(project, settings, line, message):
    run = run_cli("check", _project(project, settings))

    assert run.exit_code == 2
    assert run.stderr.startswith(f"importcanon: error: contracts/c.toml:{line}: {message}"), run.stderr


def test_rules_lists_every_rule_with_its_summary():
    text = run_cli("rules")
    document = run_cli("rules", "--format", "json").json

    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert all(RULES[line.split()[0]].summary in line for line in lines)
    assert "stale-contract" in RULES and not RULES["stale-contract"].baselinable
    assert [(rule["id"], rule["baselinable"]) for rule in document["rules"]] == [
        (rule.id, rule.baselinable) for rule in RULES.values()
    ]


_SEGMENT = st.sampled_from(["a", "b", "ab", "*", "?", "a*", "*b", "**"])


@given(
    glob=st.lists(_SEGMENT, min_size=1, max_size=5).map("/".join),
    path=st.lists(st.sampled_from(["a", "b", "ab", "ba", "aab"]), min_size=1, max_size=6).map("/".join),
)
def test_path_globs_mean_what_exclude_globs_mean(glob, path):
    reference = compile_excludes([glob])
    assert reference is not None
    assert path_matches(glob, path) == reference.matches(path)


def test_many_double_stars_match_in_linear_time():
    glob = "/".join(["**", "a"] * 20) + "/c"
    path = "/".join(["a"] * 200)

    assert not path_matches(glob, path)
    assert path_matches("**/" + glob, path + "/c/d")
    assert re.fullmatch(r"[a/]+", path)
