"""importcanon check end to end: discovery, static scanning, bad input, the JSON shape, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LAYERED, run_cli, write_project

from importcanon.adapters import scanning


def test_a_file_with_a_syntax_error_is_a_finding_and_every_other_file_is_still_analysed(project):
    files = dict(LAYERED)
    files["app/db/broken.py"] = "def broken(:\n    pass\n"
    files["app/api/indented.py"] = "x = 1\n    y = 2\n"
    root = project(files)

    run = run_cli("check", root, "--format", "json")

    assert run.exit_code == 1
    errors = {f["path"]: f for f in run.findings("syntax-error")}
    assert set(errors) == {"app/db/broken.py", "app/api/indented.py"}
    assert errors["app/db/broken.py"]["line"] == 1
    assert errors["app/db/broken.py"]["module"] == "app.db.broken"
    assert errors["app/api/indented.py"]["line"] == 2
    assert "unexpected indent" in errors["app/api/indented.py"]["message"]
    # The layers violations in the files that parse are still found.
    assert len(run.findings("contract")) == 2
    assert run.json["metrics"]["modules"] == 10
    assert run.json["metrics"]["syntax_errors"] == 2


def test_several_broken_files_in_one_scan_chunk_are_each_reported(project, monkeypatch):
    monkeypatch.setattr(scanning, "CHUNK_SIZE", 3)
    files = {
        "pkg/__init__.py": "",
        "pkg/ok.py": "import pkg.also_ok\n",
        "pkg/also_ok.py": "",
        "contracts/c.toml": "[cycles]\n",
    }
    files.update({f"pkg/bad{n}.py": "if True\n    pass\n" for n in range(4)})
    root = project(files)

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert sorted(f["path"] for f in run.findings("syntax-error")) == [f"pkg/bad{n}.py" for n in range(4)]
    assert run.json["metrics"]["imports"] == 1


def test_the_checked_code_never_runs(project, tmp_path):
    """A tripwire: if any module of the target were imported, a marker file would appear."""
    marker = tmp_path / "tripwire-fired"
    tripwire = f"open({str(marker)!r}, 'w').write('imported')\nimport sys\nsys.exit(3)\n"
    root = project(
        {
            "victim/__init__.py": tripwire,
            "victim/core.py": tripwire + "import victim.other\n",
            "victim/other.py": tripwire,
            ".importlinter": """
                [importlinter]
                root_package = victim

                [importlinter:contract:layers]
                name = Layers
                type = layers
                layers =
                    victim.other
                    victim.core
            """,
        }
    )

    in_process = run_cli("check", root, "--format", "json")
    as_subprocess = subprocess.run(
        [sys.executable, "-m", "importcanon", "check", str(root), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
    )

    assert not marker.exists()
    assert "victim" not in sys.modules
    assert in_process.exit_code == 1
    assert [f["module"] for f in in_process.findings("contract")] == ["victim.core"]
    assert as_subprocess.returncode == 1, as_subprocess.stderr


def test_a_project_that_is_not_installed_is_found_in_a_src_layout(project):
    root = project(
        {
            "src/lib/__init__.py": "",
            "src/lib/a.py": "from lib import b\n\nVERSION = b.__name__.upper()\n",
            "src/lib/b.py": "",
            "contracts/importcanon.toml": '[settings]\nroot_packages = ["lib"]\n\n[cycles]\n',
        }
    )

    run = run_cli("check", root, "--format", "json")

    assert run.exit_code == 0
    metrics = run.json["metrics"]
    assert (metrics["modules"], metrics["imports"], metrics["syntax_errors"]) == (3, 1, 0)


def test_without_root_packages_configured_the_top_level_packages_are_discovered(project):
    root = project(
        {
            "one/__init__.py": "import two\n",
            "two/__init__.py": "",
            "notes/readme.txt": "x",
            "contracts/c.toml": "[cycles]",
        }
    )

    run = run_cli("check", root, "--format", "json")

    assert run.exit_code == 0
    assert run.json["metrics"]["modules"] == 2
    assert run.json["metrics"]["imports"] == 1


def test_exclude_globs_leave_files_out_of_the_graph(project):
    files = dict(LAYERED)
    files["app/db/generated/__init__.py"] = ""
    files["app/db/generated/broken.py"] = "def (:\n"
    files["contracts/importcanon.toml"] = """
        [settings]
        exclude = ["app/db/generated", "**/audit_log.py"]
    """
    root = project(files)

    run = run_cli("check", root, "--format", "json")

    assert run.findings("syntax-error") == []
    # With audit_log.py left out, `from app.services import audit_log` resolves to the package.
    (finding,) = run.findings("contract")
    assert finding["chain"][0]["imported"] == "app.services"
    assert run.json["metrics"]["modules"] == 7


def test_odd_encodings_are_decoded_like_python_or_reported(project):
    root = project(
        {"pkg/__init__.py": "", "pkg/user.py": "from pkg import latin, bom, garbage\n", "contracts/c.toml": "[cycles]"}
    )
    (root / "pkg/latin.py").write_bytes("# -*- coding: latin-1 -*-\nNAME = 'café'\nimport pkg.user\n".encode("latin-1"))
    (root / "pkg/bom.py").write_bytes(b"\xef\xbb\xbfimport pkg.user\n")
    (root / "pkg/garbage.py").write_bytes(b"import pkg.user\nNAME = '\xff\xfe'\n")

    run = run_cli("check", root, "--format", "json")

    (problem,) = run.findings("syntax-error")
    assert (problem["path"], problem["line"]) == ("pkg/garbage.py", 2)
    assert "cannot decode" in problem["message"]
    assert run.json["metrics"]["imports"] == 5


@pytest.mark.parametrize(
    ("contracts", "expected"),
    [
        ("[settings\nroot_packages = 1\n", "contracts/importcanon.toml:1: invalid TOML"),
        (
            "[settings]\nroot_packages = 'app'\n",
            "contracts/importcanon.toml:2: [settings] root_packages must be a list",
        ),
        ("[settings]\nbaseline = 'b.json'\nroots = ['app']\n", "contracts/importcanon.toml:3: unknown key 'roots'"),
        ("# header\n\n[setings]\nexclude = []\n", "contracts/importcanon.toml:3: unknown table [setings]"),
        ("[[settings]]\nexclude = []\n", "contracts/importcanon.toml:1: 'settings' must be written as [settings]"),
    ],
)
def test_malformed_contracts_exit_2_naming_the_file_line_and_key(project, contracts, expected):
    files = dict(LAYERED)
    files["contracts/importcanon.toml"] = contracts
    root = project(files)

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"importcanon: error: {expected}")
    assert "Traceback" not in run.stderr


def test_a_setting_given_in_two_contract_files_is_an_error(project):
    files = dict(LAYERED)
    files["contracts/a.toml"] = "[settings]\nexclude = []\n"
    files["contracts/b.toml"] = "[settings]\nroot_packages = ['app']\nexclude = ['x']\n"
    root = project(files)

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert "contracts/b.toml:3: [settings] exclude is already set in contracts/a.toml" in run.stderr


def test_a_malformed_import_linter_configuration_exits_2_with_its_line(project):
    files = dict(LAYERED)
    files[".importlinter"] = "[importlinter]\nroot_package = app\n[importlinter]\nroot_package = app\n"
    root = project(files)

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert run.stderr.startswith("importcanon: error: .importlinter:3:")


def test_a_root_package_that_does_not_exist_exits_2(project):
    root = project({"app/__init__.py": "", "contracts/x.toml": "[settings]\nroot_packages = ['nope']\n[cycles]\n"})

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert "root package 'nope' not found" in run.stderr


def test_the_json_report_has_the_documented_shape(project):
    files = dict(LAYERED)
    files["app/db/broken.py"] = "def broken(:\n"
    root = project(files)

    document = run_cli("check", root, "--format", "json").json

    assert list(document) == ["schema", "summary", "findings", "fixed", "metrics", "warnings"]
    assert document["schema"] == 1
    assert document["summary"] == {"new": 3, "baselined": 0, "fixed": 0}
    assert document["fixed"] == []
    for finding in document["findings"]:
        assert list(finding)[:8] == [
            "rule",
            "fingerprint",
            "path",
            "line",
            "module",
            "message",
            "suggestion",
            "status",
        ]
        assert finding["status"] == "new"
        assert isinstance(finding["line"], int)
        assert "\\" not in finding["path"] and not finding["path"].startswith("/")
        assert len(finding["fingerprint"]) == 16


def test_exit_codes_are_0_clean_1_new_findings_2_errors(project, tmp_path):
    clean = write_project(
        tmp_path / "clean", {"ok/__init__.py": "", "ok/a.py": "import ok\n", "contracts/c.toml": "[cycles]\n"}
    )
    dirty = project(LAYERED)

    assert run_cli("check", clean).exit_code == 0
    assert run_cli("check", dirty).exit_code == 1
    assert run_cli("check", tmp_path / "missing").exit_code == 2
    assert run_cli("check", dirty, "--format", "yaml").exit_code == 2


def test_fingerprints_do_not_change_when_lines_are_inserted_above(project):
    files = dict(LAYERED)
    files["app/db/broken.py"] = "x = 1\ndef broken(:\n"
    root = project(files)
    before = {f["fingerprint"]: f["line"] for f in run_cli("check", root, "--format", "json").findings()}

    for relative in ("app/db/models.py", "app/services/audit_log.py", "app/db/broken.py"):
        path = root / relative
        path.write_text('"""A new docstring."""\n\nimport os\n\n' + path.read_text())
    after = {f["fingerprint"]: f["line"] for f in run_cli("check", root, "--format", "json").findings()}

    assert set(after) == set(before)
    assert all(after[fingerprint] == before[fingerprint] + 4 for fingerprint in before)


def test_output_writes_the_report_to_a_file_and_prints_the_summary(project, tmp_path):
    root = project(LAYERED)
    report = tmp_path / "reports" / "importcanon.json"

    run = run_cli("check", root, "--format", "json", "--output", report)

    assert run.exit_code == 1
    assert json.loads(report.read_text())["summary"]["new"] == 2
    assert run.stdout.startswith("importcanon: 2 new, 0 baselined, 0 fixed")


def test_the_cache_gives_the_same_report_and_follows_content_changes(project, tmp_path):
    root = project(LAYERED)
    cache = tmp_path / "cache"

    cold = run_cli("check", root, "--format", "json", "--cache-dir", cache).json
    warm = run_cli("check", root, "--format", "json", "--cache-dir", cache).json
    (root / "app/services/audit_log.py").write_text("X = 1\n")
    changed = run_cli("check", root, "--format", "json", "--cache-dir", cache).json

    assert (cache / "meta.marshal").is_file()
    assert warm["findings"] == cold["findings"]
    assert len(changed["findings"]) == 1
    assert not (root / ".importcanon_cache").exists()


def test_a_new_module_changes_how_unchanged_files_resolve_their_imports(project, tmp_path):
    root = project({"pkg/__init__.py": "", "pkg/a.py": "from pkg import later\n", "contracts/c.toml": "[cycles]\n"})
    cache = tmp_path / "cache"
    run_cli("check", root, "--cache-dir", cache)

    (root / "pkg/later.py").write_text("import pkg.a\n")
    run = run_cli("check", root, "--format", "json", "--cache-dir", cache)

    assert run.json["metrics"]["imports"] == 2  # a -> later, not a -> pkg


def test_a_new_namespace_package_changes_how_unchanged_files_resolve_their_imports(project, tmp_path):
    settings = '[settings]\nroot_packages = ["pkg"]\nnamespace_packages = true\n\n[cycles]\n'
    root = project({"pkg/__init__.py": "", "pkg/a.py": "from pkg import later\n", "contracts/c.toml": settings})
    cache = tmp_path / "cache"
    run_cli("check", root, "--cache-dir", cache)

    (root / "pkg/later").mkdir()
    (root / "pkg/later/x.py").write_text("X = 1\n")  # pkg.later is now a namespace package
    warm = run_cli("why", "pkg.a", "pkg.later", root, "--format", "json", "--cache-dir", cache)
    cold = run_cli("why", "pkg.a", "pkg.later", root, "--format", "json", "--no-cache")

    assert cold.exit_code == 0, cold.stdout + cold.stderr
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)


def test_no_cache_writes_nothing_and_a_corrupt_cache_is_ignored(project):
    root = project(LAYERED)

    run_cli("check", root, "--no-cache")
    assert not (root / ".importcanon_cache").exists()

    run_cli("check", root)
    (root / ".importcanon_cache" / "meta.marshal").write_bytes(b"\x00garbage")
    run = run_cli("check", root, "--format", "json")
    assert run.exit_code == 1
    assert len(run.findings("contract")) == 2


def test_the_console_script_runs_from_a_subprocess(project):
    root = project(LAYERED)
    script = Path(sys.executable).with_name("importcanon")

    completed = subprocess.run([str(script), "check", str(root)], capture_output=True, text=True)

    assert completed.returncode == 1
    assert "app/db/models.py:5: contract" in completed.stdout
