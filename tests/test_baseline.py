"""The baseline: fail only on what is new, and make the known set only shrink."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from conftest import run_cli

from importcanon.adapters.baseline_store import locked

PROJECT = {
    "app/__init__.py": "",
    "app/factory.py": "def make():\n    return 1\n",
    "app/users.py": ("from app.factory import make\n\n\ndef first():\n    return make() + make()\n"),
    "app/orders.py": "from app import factory\n\n\ndef total():\n    return factory.make()\n",
    "contracts/importcanon.toml": '[[deprecated]]\nname = "app.factory.make"\n',
}


def baseline_file(root: Path) -> Path:
    return root / "contracts" / "baseline.json"


def statuses(root: Path, *args: str) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["status"]) for f in run_cli("check", root, "--format", "json", *args).findings()]


def test_create_records_every_finding_and_check_then_passes(project):
    root = project(PROJECT)

    created = run_cli("baseline", "create", root)
    run = run_cli("check", root, "--format", "json")

    assert created.exit_code == 0
    assert created.stdout == "wrote contracts/baseline.json: 4 known violations in 3 entries\n"
    assert run.exit_code == 0
    assert run.json["summary"] == {"new": 0, "baselined": 4, "fixed": 0}
    document = json.loads(baseline_file(root).read_text())
    assert document["schema"] == 1
    assert sorted(e["count"] for e in document["entries"]) == [1, 1, 2]  # two calls in one function
    assert all(set(e) == {"rule", "fingerprint", "count", "description"} for e in document["entries"])


def test_the_file_has_one_entry_per_line_and_rewrites_are_byte_identical(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    first = baseline_file(root).read_bytes()

    run_cli("baseline", "create", root, "--force")
    forced = baseline_file(root).read_bytes()
    run_cli("baseline", "update", root)
    updated = baseline_file(root).read_bytes()

    assert first == forced == updated
    lines = first.decode().splitlines()
    assert lines[:3] == ["{", '  "schema": 1,', '  "entries": [']
    assert lines[-2:] == ["  ]", "}"]
    assert all(line.startswith('    {"rule": ') for line in lines[3:-2])


def test_create_refuses_to_overwrite_without_force(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    before = baseline_file(root).read_bytes()

    run = run_cli("baseline", "create", root)

    assert run.exit_code == 2
    assert "contracts/baseline.json already exists: use --force" in run.stderr
    assert baseline_file(root).read_bytes() == before


def test_lines_inserted_above_a_known_violation_change_nothing(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    users = root / "app/users.py"
    users.write_text('"""Users."""\nimport os\n\n\n' + users.read_text())

    assert {status for *_, status in statuses(root)} == {"baselined"}


def test_a_violation_moved_to_another_file_is_one_new_and_one_fixed(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    (root / "app/orders.py").write_text("def total():\n    return 0\n")
    (root / "app/invoices.py").write_text("from app import factory\n\n\ndef total():\n    return factory.make()\n")

    run = run_cli("check", root, "--format", "json")

    assert run.exit_code == 1
    assert run.json["summary"] == {"new": 1, "baselined": 3, "fixed": 1}
    assert [f["path"] for f in run.findings() if f["status"] == "new"] == ["app/invoices.py"]
    assert [(f["rule"], f["count"]) for f in run.json["fixed"]] == [("deprecated-usage", 1)]
    assert run.json["fixed"][0]["description"].startswith("app/orders.py: calls the deprecated app.factory.make")


def test_a_count_that_grows_is_new(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    users = root / "app/users.py"
    users.write_text(users.read_text().replace("make() + make()", "make() + make() + make()"))

    assert statuses(root) == [
        ("app/orders.py", 5, "baselined"),
        ("app/users.py", 1, "baselined"),
        ("app/users.py", 5, "baselined"),
        ("app/users.py", 5, "baselined"),
        ("app/users.py", 5, "new"),
    ]


def test_no_baseline_treats_everything_as_new(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)

    assert {status for *_, status in statuses(root, "--no-baseline")} == {"new"}


def test_fixed_entries_are_shown_as_stale_and_can_fail_the_run(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    (root / "app/orders.py").write_text("def total():\n    return 0\n")

    text = run_cli("check", root)
    strict = run_cli("check", root, "--fail-on-stale")

    assert text.exit_code == 0
    assert "fixed: 1 known violation no longer found, still in the baseline" in text.stdout
    assert "  deprecated-usage: app/orders.py: calls the deprecated app.factory.make" in text.stdout
    assert strict.exit_code == 1


def test_update_drops_fixed_entries_and_lowers_counts(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    (root / "app/orders.py").write_text("def total():\n    return 0\n")
    users = root / "app/users.py"
    users.write_text(users.read_text().replace("make() + make()", "make()"))

    run = run_cli("baseline", "update", root)

    assert run.exit_code == 0
    assert run.stdout == "updated contracts/baseline.json: 2 known violations (-2)\n"
    entries = json.loads(baseline_file(root).read_text())["entries"]
    assert sorted(e["count"] for e in entries) == [1, 1]


def test_update_refuses_new_findings_and_leaves_the_file_untouched(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    before = baseline_file(root).read_bytes()
    history_before = (root / "contracts/baseline.history.jsonl").read_bytes()
    (root / "app/invoices.py").write_text("from app.factory import make\n\nX = make()\n")

    refused = run_cli("baseline", "update", root)

    assert refused.exit_code == 1
    assert "refusing to add 2 new findings to contracts/baseline.json (use --allow-growth):" in refused.stdout
    assert "  app/invoices.py:1: deprecated-usage imports the deprecated app.factory.make" in refused.stdout
    assert baseline_file(root).read_bytes() == before
    assert (root / "contracts/baseline.history.jsonl").read_bytes() == history_before

    grown = run_cli("baseline", "update", root, "--allow-growth")

    assert grown.exit_code == 0
    assert run_cli("check", root).exit_code == 0


def test_update_without_a_baseline_exits_2(project):
    run = run_cli("baseline", "update", project(PROJECT))

    assert run.exit_code == 2
    assert "there is no baseline at contracts/baseline.json" in run.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"schema": 1,\n "entries": [\n  {"rule": "x",}\n]}',
            "contracts/baseline.json:3: the baseline is not valid JSON",
        ),
        (
            '{"schema": 2, "entries": []}',
            "contracts/baseline.json: baseline schema 2 is written by a newer importcanon",
        ),
        ('{"schema": "one", "entries": []}', "contracts/baseline.json: baseline schema 'one' is unknown"),
        ('["not", "a", "baseline"]', "contracts/baseline.json: the baseline has no 'schema'"),
        (
            '{"schema": 1, "entries": [\n'
            '{"rule": "r", "fingerprint": "0123456789abcdef", "count": 0, "description": "d"}]}',
            "contracts/baseline.json:2: baseline entry 1 is malformed",
        ),
    ],
)
def test_a_corrupt_baseline_exits_2_and_is_left_exactly_as_it_was(project, text, expected):
    root = project(PROJECT)
    baseline_file(root).write_text(text)

    for command in (["check"], ["baseline", "update"], ["baseline", "show"]):
        run = run_cli(*command, root)
        assert run.exit_code == 2, command
        assert run.stderr.startswith(f"importcanon: error: {expected}"), run.stderr
        assert "Traceback" not in run.stderr
    assert baseline_file(root).read_text() == text


def test_a_baseline_that_cannot_be_written_exits_2(project):
    root = project(PROJECT)
    (root / "not-a-directory").write_text("")

    run = run_cli("baseline", "create", root, "--baseline", root / "not-a-directory" / "baseline.json")

    assert run.exit_code == 2
    assert "not-a-directory" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_baseline_path_comes_from_settings_or_the_option(project, tmp_path):
    files = dict(PROJECT)
    files["contracts/importcanon.toml"] += '\n[settings]\nbaseline = "known.json"\n'
    root = project(files)
    elsewhere = tmp_path / "elsewhere.json"

    run_cli("baseline", "create", root)
    run_cli("baseline", "create", root, "--baseline", elsewhere)

    assert (root / "known.json").is_file()
    assert (root / "known.history.jsonl").is_file()
    assert elsewhere.is_file()
    assert run_cli("check", root, "--baseline", elsewhere).exit_code == 0


def test_concurrent_updates_wait_for_each_other(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    command = [sys.executable, "-m", "importcanon", "baseline", "update", str(root), "--allow-growth"]

    with locked(baseline_file(root), "baseline", base=root):
        waiting = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert waiting.poll() is None  # blocked on the lock we hold
    _, err = waiting.communicate(timeout=60)

    assert waiting.returncode == 0, err
    parallel = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    assert [process.wait(timeout=60) for process in parallel] == [0, 0, 0]
    history = (root / "contracts/baseline.history.jsonl").read_text().splitlines()
    assert len(history) == 5 and all(json.loads(line)["total"] == 4 for line in history)
    json.loads(baseline_file(root).read_text())
    assert not list(root.glob("contracts/.*.lock"))


def test_show_counts_per_rule_and_per_contract(project):
    files = dict(PROJECT)
    files["app/low.py"] = "import app.users\n"
    files[".importlinter"] = (
        "[importlinter]\nroot_package = app\n\n[importlinter:contract:l]\nname = Users above low\n"
        "type = layers\nlayers =\n    app.users\n    app.low\n"
    )
    root = project(files)
    run_cli("baseline", "create", root)
    (root / "app/orders.py").write_text("def total():\n    return 0\n")
    (root / "app/late.py").write_text("from app.factory import make\n\nX = make()\n")

    document = run_cli("baseline", "show", root, "--format", "json").json
    text = run_cli("baseline", "show", root).stdout

    assert document["rules"] == {
        "contract": {"baseline": 1, "now": 1, "new": 0, "fixed": 0},
        "deprecated-usage": {"baseline": 4, "now": 5, "new": 2, "fixed": 1},
    }
    assert document["contracts"] == {"Users above low": {"baseline": 1, "now": 1, "new": 0, "fixed": 0}}
    assert document["total"] == {"baseline": 5, "now": 6, "new": 2, "fixed": 1}
    assert text.splitlines()[1].split() == ["rule", "baseline", "now", "new", "fixed"]


def test_every_create_and_update_appends_a_snapshot_for_the_trend(project, tmp_path):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    (root / "app/orders.py").write_text("def total():\n    return 0\n")
    run_cli("baseline", "update", root)

    snapshots = run_cli("trend", root, "--format", "json").json["snapshots"]
    text = run_cli("trend", root).stdout
    chart = tmp_path / "trend.svg"
    run_cli("trend", root, "--format", "svg", "--output", chart)

    assert [s["total"] for s in snapshots] == [4, 3]
    assert [s["rules"] for s in snapshots] == [{"deprecated-usage": 4}, {"deprecated-usage": 3}]
    assert snapshots[0]["fragmentation"]["deprecated_usages"] == 4
    assert text.splitlines()[-1] == "known violations: 4 -> 3 (-1) over 2 snapshots"
    svg = ElementTree.parse(chart).getroot()
    assert svg.tag.endswith("svg")
    labels = [node.text for node in svg.iter() if node.tag.endswith("text")]
    assert "total: 3" in labels and "deprecated-usage: 3" in labels


def test_a_corrupt_history_exits_2_with_its_line(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    history = root / "contracts/baseline.history.jsonl"
    history.write_text(history.read_text() + "{not json\n")

    run = run_cli("trend", root)

    assert run.exit_code == 2
    assert run.stderr.startswith(
        "importcanon: error: contracts/baseline.history.jsonl:2: history line is not valid JSON"
    )


def test_two_branches_fixing_different_violations_merge_without_conflict(project, tmp_path):
    files = dict(PROJECT)
    for n in range(8):
        files[f"app/user{n}.py"] = f"from app.factory import make\n\n\ndef f{n}():\n    return make()\n"
    root = project(files)
    run_cli("baseline", "create", root)
    base = baseline_file(root).read_text()

    def fixed_in(name: str) -> str:
        (root / f"app/{name}.py").write_text("X = 1\n")
        run_cli("baseline", "update", root)
        text = baseline_file(root).read_text()
        baseline_file(root).write_text(base)
        write_project_file(root, name, files)
        return text

    ours, theirs = fixed_in("user1"), fixed_in("user6")
    paths = [tmp_path / name for name in ("ours.json", "base.json", "theirs.json")]
    for path, text in zip(paths, (ours, base, theirs)):
        path.write_text(text)

    merge = subprocess.run(["git", "merge-file", "-p", *map(str, paths)], capture_output=True, text=True)

    assert merge.returncode == 0, merge.stdout
    merged = json.loads(merge.stdout)
    assert len(merged["entries"]) == len(json.loads(base)["entries"]) - 4  # two imports and two calls fixed


def write_project_file(root: Path, name: str, files: dict[str, str]) -> None:
    (root / f"app/{name}.py").write_text(files[f"app/{name}.py"])


def test_markdown_verdict_follows_fail_on_stale_as_the_exit_code_does(project, tmp_path):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    (root / "app/orders.py").write_text("def total():\n    return 0\n")

    lenient = run_cli("check", root, "--format", "markdown")
    strict = run_cli("check", root, "--format", "markdown", "--fail-on-stale")

    assert lenient.exit_code == 0
    assert lenient.stdout.startswith("### importcanon passes: 0 new, 3 baselined, 1 fixed")
    assert strict.exit_code == 1
    assert strict.stdout.startswith("### importcanon fails: 0 new, 3 baselined, 1 fixed")
