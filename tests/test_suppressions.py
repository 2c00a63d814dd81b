"""Inline suppressions: ``# importcanon: ignore[rule-id, ...] -- reason`` on the reported line
(the first line of a multi-line statement), applied before the baseline diff, and
``unused-suppression`` for a comment that suppresses nothing."""

from __future__ import annotations

from conftest import LAYERED, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.suppression_comments import suppressions_in
from importcanon.domain.suppressions import parse_comment

DEPRECATED = {
    "app/__init__.py": "",
    "app/factory.py": "def make(*args):\n    return 1\n",
    "app/users.py": "from app.factory import make\n\n\ndef first():\n    return make() + make()\n",
    "contracts/importcanon.toml": '[[deprecated]]\nname = "app.factory.make"\n',
}


def findings(root, *args):
    run = run_cli("check", root, "--format", "json", *args)
    return run, [(f["rule"], f["path"], f["line"], f["status"]) for f in run.findings()]


def test_a_suppression_on_the_reported_line_removes_those_findings_and_counts_them(project):
    root = project(
        {
            **DEPRECATED,
            "app/users.py": (
                "from app.factory import make  # importcanon: ignore[deprecated-usage] -- migrating in #12\n\n\n"
                "def first():\n    return make() + make()\n"
            ),
        }
    )

    run, found = findings(root)

    assert found == [("deprecated-usage", "app/users.py", 5, "new"), ("deprecated-usage", "app/users.py", 5, "new")]
    assert run.json["metrics"]["suppressions"] == {"deprecated-usage": 1}
    assert run.json["summary"] == {"new": 2, "baselined": 0, "fixed": 0}


def test_a_suppression_on_the_first_line_covers_a_multi_line_statement(project):
    root = project(
        {
            **DEPRECATED,
            "app/users.py": (
                "from app.factory import (  # importcanon: ignore[deprecated-usage]\n    make,\n)\n\n\n"
                "def first():\n"
                "    return make(  # importcanon: ignore[deprecated-usage, legacy-import] -- both\n"
                "        1,\n    ) + make(\n        2,\n    )\n"
            ),
        }
    )

    run, found = findings(root)

    # Lines 7 and 9 are one statement, which the comment on line 7 covers; legacy-import is unused.
    assert found == [("unused-suppression", "app/users.py", 7, "new")]
    unused = run.findings("unused-suppression")[0]
    assert "legacy-import" in unused["message"] and "deprecated-usage" not in unused["unused_rules"]
    assert run.json["metrics"]["suppressions"] == {"deprecated-usage": 3}


def test_a_comment_on_a_later_line_of_a_statement_covers_only_its_own_line(project):
    root = project(
        {
            **DEPRECATED,
            "app/users.py": (
                "from app.factory import make\n\n\ndef first():\n"
                "    return (\n        make()  # importcanon: ignore[deprecated-usage]\n        + make()\n    )\n"
            ),
        }
    )

    _, found = findings(root, "--no-cache")

    assert ("deprecated-usage", "app/users.py", 6, "new") not in found
    assert ("deprecated-usage", "app/users.py", 7, "new") in found


def test_an_unused_suppression_is_a_finding_and_no_suppressions_shows_everything(project):
    root = project({**DEPRECATED, "app/orders.py": "import os  # importcanon: ignore[shim-module] -- old\n"})

    run, found = findings(root)
    everything, shown = findings(root, "--no-suppressions")

    assert ("unused-suppression", "app/orders.py", 1, "new") in found
    assert run.exit_code == 1
    assert not any(rule == "unused-suppression" for rule, *_ in shown)
    assert everything.json["metrics"]["suppressions"] == {}


def test_unknown_rules_and_malformed_comments_are_reported_not_ignored(project):
    root = project(
        {
            **DEPRECATED,
            "app/a.py": "X = 1  # importcanon: ignore[no-such-rule]\n",
            "app/b.py": "Y = 2  # importcanon: ignore\n",
        }
    )

    run, _ = findings(root)
    messages = {f["path"]: f["message"] for f in run.findings("unused-suppression")}

    assert "unknown rule no-such-rule" in messages["app/a.py"]
    assert "not a suppression importcanon understands" in messages["app/b.py"]


def test_a_suppressed_finding_is_neither_new_nor_baselined_nor_fixed(project):
    root = project(LAYERED)
    run_cli("baseline", "create", root)
    models = root / "app/db/models.py"
    models.write_text(
        models.read_text().replace(
            "from app.services import audit_log", "from app.services import audit_log  # importcanon: ignore[contract]"
        )
    )

    run, found = findings(root)

    assert run.json["metrics"]["suppressions"] == {"contract": 1}
    assert [status for rule, *_, status in found if rule == "contract"] == ["baselined"]
    assert run.json["summary"] == {"new": 0, "baselined": 1, "fixed": 0}
    assert run.json["fixed"] == []


def test_text_summary_counts_suppressed_findings(project):
    users = "from app.factory import make  # importcanon: ignore[deprecated-usage]\n\n\ndef use():\n    pass\n"
    root = project({**DEPRECATED, "app/users.py": users})
    assert "0 new, 0 baselined, 0 fixed, 1 suppressed" in run_cli("check", root).stdout


def test_a_project_without_the_marker_reads_no_file_for_suppressions(project, monkeypatch):
    from importcanon.adapters import suppression_comments

    root = project(DEPRECATED)
    opened = []
    monkeypatch.setattr(suppression_comments, "suppressions_in", lambda *args: opened.append(args) or [])
    run_cli("check", root)
    assert opened == []


def test_a_string_that_looks_like_a_suppression_is_not_one():
    text = 'X = "# importcanon: ignore[contract]"\nY = 1  # importcanon: ignore[contract] -- why\n'
    assert [(s.line, s.rules, s.reason) for s in suppressions_in("a.py", text)] == [(2, ("contract",), "why")]


def test_a_file_that_does_not_tokenize_still_has_its_suppressions_read():
    text = "def broken(:  # importcanon: ignore[syntax-error]\n    '''\n"
    assert [(s.line, s.last_line, s.rules) for s in suppressions_in("a.py", text)] == [(1, 1, ("syntax-error",))]


rule_ids = st.lists(st.from_regex(r"[a-z][a-z-]{0,20}", fullmatch=True), min_size=1, max_size=4)


one_line = st.text(alphabet=st.characters(blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=30)


@settings(max_examples=200)
@given(rules=rule_ids, reason=one_line, spaces=st.sampled_from(["", " ", "  "]))
def test_every_well_formed_comment_parses_to_its_rules_and_reason(rules, reason, spaces):
    comment = f"#{spaces}importcanon:{spaces}ignore[{(',' + spaces).join(rules)}]"
    if reason.strip():
        comment += f" -- {reason}"
    parsed = parse_comment(comment)
    assert parsed is not None
    assert parsed[0] == tuple(dict.fromkeys(rules))
    assert parsed[1] == (reason.strip() if reason.strip() else "") or "#" in reason


def test_baseline_create_records_no_suppressed_finding(project):
    users = "from app.factory import make  # importcanon: ignore[deprecated-usage]\n\n\ndef use():\n    pass\n"
    root = project({**DEPRECATED, "app/users.py": users})

    created = run_cli("baseline", "create", root)

    assert created.stdout.startswith("wrote contracts/baseline.json: 0 known violations")


lines = st.integers(1, 6)
rules = st.sampled_from(["contract", "legacy-import", "shim-module"])


@settings(max_examples=200, deadline=None)
@given(
    found=st.lists(st.tuples(rules, st.sampled_from(["a.py", "b.py"]), lines), max_size=8),
    comments=st.lists(
        st.tuples(st.sampled_from(["a.py", "b.py"]), lines, st.integers(0, 2), st.lists(rules, min_size=1, max_size=2)),
        max_size=4,
    ),
)
def test_suppressions_partition_the_findings_and_flag_exactly_the_idle_ones(found, comments):
    from pathlib import Path

    from importcanon.application.analyses.suppressions import apply_suppressions
    from importcanon.application.project import Project
    from importcanon.domain.findings import Finding
    from importcanon.domain.suppressions import Suppression

    project = Project(
        root=Path("."), root_packages=(), modules={}, namespace_packages=(), imports={}, problems=(), facts=None
    )
    findings = [Finding(rule, path, line, None, "m", "s", (str(n),)) for n, (rule, path, line) in enumerate(found)]
    suppressions = [
        Suppression(path, line, line + extra, tuple(dict.fromkeys(names)), "", "# importcanon: ignore[...]")
        for path, line, extra, names in comments
    ]

    outcome = apply_suppressions(project, findings, suppressions)

    kept = [finding for finding in outcome.findings if finding.rule != "unused-suppression"]
    assert sorted(kept + outcome.suppressed, key=lambda f: f.identity) == findings
    for finding in outcome.suppressed:
        assert any(s.covers(finding.rule, finding.path, finding.line) for s in suppressions)
    for finding in kept:
        assert not any(s.covers(finding.rule, finding.path, finding.line) for s in suppressions)
    idle = {
        (s.path, s.line, rule)
        for s in suppressions
        for rule in s.rules
        if not any(f.rule == rule and s.covers(rule, f.path, f.line) for f in findings)
    }
    reported = {
        (f.path, f.line, rule)
        for f in outcome.findings
        if f.rule == "unused-suppression"
        for rule in f.details["unused_rules"]
    }
    assert reported == idle
