"""Every report format of ``check``, read back by a real reader: SARIF against the official schema,
JUnit with junitparser, GitHub workflow commands parsed to file and line, GitLab Code Quality JSON,
and the Markdown summary's size limit."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import LAYERED, REPO_ROOT, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from junitparser import Failure, JUnitXml

from importcanon.adapters.reporting.formats import FORMATS, ReportContext, render
from importcanon.adapters.reporting.markdown_report import LIMIT
from importcanon.application.check import CheckResult
from importcanon.cli import CheckFormat
from importcanon.domain.findings import Finding, Status
from importcanon.domain.rules import RULES

SCHEMA_NAME = "sarif-schema-2.1.0.json"
SCHEMA_COPY = Path(__file__).parent / "data" / SCHEMA_NAME
SHARED_SCHEMA = REPO_ROOT.parent / "shared" / "schemas" / SCHEMA_NAME


@pytest.fixture
def mixed(project) -> Path:
    """A project with one baselined, two new and one fixed finding."""
    root = project(LAYERED)
    run_cli("baseline", "create", root)
    (root / "app/services/audit_log.py").write_text("")  # fixes one layers violation
    (root / "app/db/extra.py").write_text("from app.api import views\n")  # a new one (and a shim)
    return root


def json_report(root: Path) -> dict:
    return run_cli("check", root, "--format", "json").json


def test_every_format_is_a_choice_of_check():
    assert [member.value for member in CheckFormat] == list(FORMATS)


def test_sarif_is_valid_against_the_official_schema_with_every_baseline_state(mixed):
    run = run_cli("check", mixed, "--format", "sarif")
    document = json.loads(run.stdout)

    schema = json.loads(SCHEMA_COPY.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    assert run.exit_code == 1
    (sarif_run,) = document["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    assert all(rule["help"]["text"] and rule["shortDescription"]["text"] for rule in rules)
    results = sarif_run["results"]
    assert sorted(result["baselineState"] for result in results) == ["absent", "new", "new", "unchanged"]
    findings = json_report(mixed)["findings"]
    assert {(r["partialFingerprints"]["importcanon/v1"], r["baselineState"]) for r in results[:-1]} == {
        (f["fingerprint"], "new" if f["status"] == "new" else "unchanged") for f in findings
    }
    located = [r for r in results if "locations" in r]
    for result in located:
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "PROJECTROOT"
        assert (mixed / artifact["uri"]).is_file()  # relative to the project
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert sarif_run["originalUriBaseIds"]["PROJECTROOT"]["uri"] == mixed.resolve().as_uri() + "/"


def test_the_schema_copy_is_the_shared_one():
    """The tests read their own copy, so they never depend on ../shared; it must not drift."""
    if not SHARED_SCHEMA.is_file():
        pytest.skip(f"no shared schema at {SHARED_SCHEMA} in this checkout")
    assert json.loads(SCHEMA_COPY.read_text(encoding="utf-8")) == json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))


def test_junit_has_a_case_per_contract_and_per_rule_failing_with_the_new_findings(mixed):
    report = run_cli("check", mixed, "--format", "junit").stdout
    path = mixed.parent / "report.xml"
    path.write_text(report, encoding="utf-8")

    xml = JUnitXml.fromfile(str(path))
    cases = {(case.classname, case.name): case for suite in xml for case in suite}

    assert set(cases) == {("importcanon.contracts", "Layered")} | {
        ("importcanon.rules", rule) for rule in RULES if rule != "contract"
    }
    failing = {key for key, case in cases.items() if any(isinstance(r, Failure) for r in case.result)}
    assert failing == {("importcanon.contracts", "Layered"), ("importcanon.rules", "shim-module")}
    (failure,) = cases["importcanon.contracts", "Layered"].result
    assert failure.message == "1 new finding"
    assert failure.text.startswith("app/db/extra.py:1: contract ")
    assert "app/db/models.py" not in failure.text  # baselined: not a failure


def test_junit_survives_characters_xml_cannot_carry(project):
    root = project({**LAYERED, "app/api/views.py": "from app.services import billing  # \x0b odd\n"})
    report = run_cli("check", root, "--format", "junit", "--no-cache").stdout
    path = root / "report.xml"
    path.write_text(report, encoding="utf-8")
    assert len(list(JUnitXml.fromfile(str(path)))) == 1


_COMMAND = re.compile(r"^::(?P<name>\w+) (?P<properties>[^:]*)::(?P<message>.*)$")


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the GitHub runner reads it, unescaping what it escapes."""
    match = _COMMAND.match(line)
    assert match, line

    def unescape(text: str) -> str:
        for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            text = text.replace(escaped, plain)
        return text

    properties = dict(item.split("=", 1) for item in match["properties"].split(","))
    return match["name"], {key: unescape(value) for key, value in properties.items()}, unescape(match["message"])


def test_github_commands_parse_back_to_the_new_findings_file_and_line(mixed, monkeypatch):
    monkeypatch.chdir(mixed.parent)  # CI runs at the repository root; the project is a directory in it
    run = run_cli("check", mixed, "--format", "github")
    commands = [parse_command(line) for line in run.stdout.splitlines() if line.startswith("::")]

    new = [f for f in json_report(mixed)["findings"] if f["status"] == "new"]
    errors = [
        (props["file"], int(props["line"]), props["title"], message)
        for name, props, message in commands
        if name == "error"
    ]
    assert [(file, line, title) for file, line, title, _ in errors] == [
        (f"project/{f['path']}", f["line"], f"importcanon {f['rule']}") for f in new
    ]
    assert all(message.startswith(f["message"]) and "\nhelp: " in message for (*_, message), f in zip(errors, new))
    notices = [(props, message) for name, props, message in commands if name == "notice"]
    assert len(notices) == 1 and notices[0][0]["title"] == "importcanon contract fixed"
    assert run.stdout.splitlines()[-1].startswith("importcanon: 2 new, 1 baselined, 1 fixed")


def test_github_escapes_what_would_end_a_command_early():
    from importcanon.adapters.reporting.github_report import command

    line = command("error", {"file": "a,b:c.py", "line": "3"}, "50% sure\nsecond: line, really")
    assert parse_command(line) == ("error", {"file": "a,b:c.py", "line": "3"}, "50% sure\nsecond: line, really")


def test_gitlab_code_quality_has_unique_fingerprints_severity_and_location(project):
    # The same call twice on one line: two issues, one fingerprint of ours, two of GitLab's.
    root = project(
        {
            "app/__init__.py": "",
            "app/factory.py": "def make():\n    return 1\n",
            "app/users.py": "from app.factory import make\n\n\ndef first():\n    return make() + make()\n",
            "contracts/importcanon.toml": '[[deprecated]]\nname = "app.factory.make"\n',
        }
    )
    issues = json.loads(run_cli("check", root, "--format", "gitlab").stdout)

    ours = [finding["fingerprint"] for finding in json_report(root)["findings"]]
    assert len(issues) == len(ours) > len(set(ours))
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    for issue in issues:
        assert issue["severity"] == "major"
        assert (root / issue["location"]["path"]).is_file()
        assert issue["location"]["lines"]["begin"] >= 1
        assert issue["check_name"] in RULES and issue["description"]


def test_markdown_counts_per_rule_new_findings_and_fixed(mixed):
    text = run_cli("check", mixed, "--format", "markdown").stdout

    assert text.startswith("### importcanon fails: 2 new, 1 baselined, 1 fixed")
    assert "| contract | 1 | 1 | 1 | 0 |" in text
    assert "- `app/db/extra.py:1` **contract**" in text
    assert "#### Fixed" in text


def _finding(index: int, message: str) -> Finding:
    return Finding("legacy-import", f"pkg/m{index}.py", index + 1, f"pkg.m{index}", message, "do x", (str(index),))


@settings(max_examples=25, deadline=None)
@given(count=st.integers(0, 4000), message=st.text(min_size=1, max_size=400), fixed_count=st.integers(0, 50))
def test_markdown_stays_under_the_comment_limit_however_many_findings(count, message, fixed_count):
    from importcanon.domain.baseline import BaselineEntry

    findings = [_finding(index, message) for index in range(count)]
    fixed = [BaselineEntry(f"{n:016x}", "shim-module", 1, message * 3) for n in range(fixed_count)]
    result = CheckResult(findings, fixed, metrics={"fragmentation": {}})

    text = render("markdown", ReportContext(result, Path(".")))

    assert len(text) <= LIMIT
    assert f"| legacy-import | {count} | 0 | 0 | 0 |" in text or count == 0


def test_several_reports_from_one_scan(mixed, tmp_path):
    sarif, junit, github = tmp_path / "out.sarif", tmp_path / "out.xml", tmp_path / "annotations.txt"

    run = run_cli(
        "check",
        mixed,
        "--output-format",
        f"sarif={sarif}",
        "--output-format",
        f"junit={junit}",
        "--output-format",
        f"github={github}",
    )

    assert run.exit_code == 1
    assert "importcanon: 2 new, 1 baselined, 1 fixed" in run.stdout  # the text report still on stdout
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert len(list(JUnitXml.fromfile(str(junit)))) == 1
    assert github.read_text().startswith("::error file=app/db/extra.py,line=1,")


def test_output_writes_the_chosen_format_and_prints_the_summary(mixed, tmp_path):
    target = tmp_path / "report.sarif"
    run = run_cli("check", mixed, "--format", "sarif", "--output", target)
    assert run.stdout.startswith("importcanon: 2 new")
    assert json.loads(target.read_text())["runs"][0]["tool"]["driver"]["name"] == "importcanon"


@pytest.mark.parametrize("spec", ["sarif", "xml=out.xml", "sarif=", "=out.sarif"])
def test_a_bad_output_format_is_a_usage_error_before_any_scan(mixed, spec):
    run = run_cli("check", mixed, "--output-format", spec)
    assert run.exit_code == 2
    assert "expected FORMAT=FILE with FORMAT one of text, json, github, sarif" in run.stderr


def test_version_and_short_help():
    from importcanon import __version__

    assert run_cli("--version").stdout == f"importcanon {__version__}\n"
    assert "--output-format" in run_cli("check", "-h").stdout
    assert "baseline" in run_cli("-h").stdout
    assert "Record every current finding as known" in run_cli("baseline", "create", "-h").stdout


def test_help_imports_no_report_format():
    """``--help`` stays fast: the formats are imported only when a report is written."""
    probe = (
        "import sys\n"
        "from importcanon.cli import main\n"
        "sys.argv = ['importcanon', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.endswith(('_report', '.colour', '.progress')) and 'sarif' in m\n"
        "          or m.endswith(('junit_report', 'gitlab_report', 'markdown_report', 'github_report'))]\n"
        "print('LOADED', loaded, 'rich.progress' in sys.modules, 'libcst' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("LOADED [] False False")


def test_a_finding_without_a_file_is_still_reported_in_every_format(project):
    root = project({**LAYERED, ".importlinter": LAYERED[".importlinter"].replace("type = layers", "type = nosuch")})
    for name in FORMATS:
        run = run_cli("check", root, "--format", name)
        assert run.exit_code == 1, name
        assert "nosuch" in run.stdout or (name == "junit" and "cannot be checked" in run.stdout), name


def test_every_status_is_rendered_without_error():
    findings = [_finding(0, "x").with_status(Status.BASELINED), _finding(1, "y")]
    for name in FORMATS:
        assert render(name, ReportContext(CheckResult(findings), Path("."))), name


@settings(max_examples=100, deadline=None)
@given(path=st.text(min_size=1, max_size=40), message=st.text(max_size=200))
def test_any_path_and_message_survive_a_github_command(path, message):
    from importcanon.adapters.reporting.github_report import command

    assert parse_command(command("error", {"file": path, "line": "7"}, message)) == (
        "error",
        {"file": path, "line": "7"},
        message,
    )


_SCHEMA = json.loads(SCHEMA_COPY.read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.validators.validator_for(_SCHEMA)(_SCHEMA)


@settings(max_examples=25, deadline=None)
@given(
    found=st.lists(
        st.tuples(
            st.sampled_from(sorted(RULES)),
            st.one_of(st.none(), st.text(min_size=1, max_size=20)),
            st.one_of(st.none(), st.integers(1, 10_000)),
            st.text(min_size=1, max_size=50),
            st.booleans(),
        ),
        max_size=6,
    )
)
def test_sarif_is_schema_valid_for_any_findings(found):
    findings = [
        Finding(rule, path, line, None, message, "", (str(n),)).with_status(Status.BASELINED if known else Status.NEW)
        for n, (rule, path, line, message, known) in enumerate(found)
    ]
    document = json.loads(render("sarif", ReportContext(CheckResult(findings), Path("."))))
    _VALIDATOR.validate(document)
    assert len(document["runs"][0]["results"]) == len(findings)
