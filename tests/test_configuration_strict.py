"""Configuration like every linter: found from any directory, read as import-linter reads it,
strict about mistakes (a contract naming nothing fails, no contracts is exit 2, a wrong type
names file, line and key)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_as_nobody, run_cli, write_project

from importcanon.adapters import configuration

LEGACY = {
    "app/__init__.py": "",
    "app/old/__init__.py": "from app.new.core import make\n",
    "app/new/__init__.py": "",
    "app/new/core.py": "def make():\n    return 1\n\n\ndef build():\n    return 2\n",
    "app/user.py": "from app.old import make\nfrom app.new.core import build\n\nX = make() + build()\n",
    "contracts/importcanon.toml": """
        [[legacy]]
        package = "app.old"
        replacement = "app.new"

        [[deprecated]]
        name = "app.new.core.build"
    """,
}


def _fingerprints(baseline: Path) -> dict[str, str]:
    return {e["fingerprint"]: e["rule"] for e in json.loads(baseline.read_text())["entries"]}


@pytest.mark.parametrize("allow_growth", [False, True])
def test_a_misspelt_legacy_package_and_deprecated_name_fail_and_keep_their_baseline(project, allow_growth):
    root = project(LEGACY)
    assert run_cli("baseline", "create", root).exit_code == 0
    baseline = root / "contracts" / "baseline.json"
    recorded = _fingerprints(baseline)
    assert set(recorded.values()) == {"deprecated-usage", "legacy-import", "shim-module"}
    contracts = root / "contracts" / "importcanon.toml"
    contracts.write_text(contracts.read_text().replace('"app.old"', '"app.odl"').replace(".build", ".biuld"))

    run = run_cli("check", root, "--format", "json")
    update = run_cli("baseline", "update", root, *(["--allow-growth"] if allow_growth else []))

    assert run.exit_code == 1
    stale = run.findings("stale-contract")
    assert [(f["path"], f["line"], f["names"], f["status"]) for f in stale] == [
        ("contracts/importcanon.toml", 1, "app.odl", "new"),
        ("contracts/importcanon.toml", 5, "app.new.core.biuld", "new"),
    ]
    assert "if the migration removed it, delete this contract; if it is a typo, fix it" in stale[0]["message"]
    assert run.json["summary"]["fixed"] == 0  # unseen, not fixed
    assert update.exit_code == 0  # a stale contract is no growth: nothing to allow
    assert "not recorded, never baselined" in update.stdout
    assert _fingerprints(baseline) == recorded  # the entries of the misspelt contracts are all kept


def test_a_stale_contract_is_never_recorded(project):
    files = dict(LEGACY)
    files["contracts/importcanon.toml"] += '\n[[canonical]]\nsymbol = "make"\nmodule = "app.nowhere"\n'
    root = project(files)

    create = run_cli("baseline", "create", root)
    run = run_cli("check", root, "--format", "json")

    assert create.exit_code == 0
    assert "stale-contract" not in _fingerprints(root / "contracts" / "baseline.json").values()
    assert [(f["names"], f["status"]) for f in run.findings("stale-contract")] == [("app.nowhere", "new")]
    assert run.exit_code == 1


def test_a_deprecated_replacement_that_names_nothing_is_a_stale_contract(project):
    """The usages are still found, but the advice to use the replacement would be an import that
    fails: the contract is reported, and the usages are told to stop instead. A replacement
    outside the root packages (a library's) is not judged."""
    files = dict(LEGACY)
    files["contracts/importcanon.toml"] = (
        '[[deprecated]]\nname = "app.new.core.build"\nreplacement = "app.new.core.nothere"\n\n'
        '[[deprecated]]\nname = "app.new.core.make"\nreplacement = "pathlib.Path"\n'
    )
    root = project(files)

    run = run_cli("check", root, "--format", "json", "--no-baseline")

    stale = run.findings("stale-contract")
    assert [(f["line"], f["names"]) for f in stale] == [(1, "app.new.core.nothere")]
    assert "replacement app.new.core.nothere (for app.new.core.build) names nothing" in stale[0]["message"]
    usages = run.findings("deprecated-usage")
    assert usages and all("nothere" not in f["suggestion"] for f in usages)
    assert any("Use pathlib.Path instead" in f["suggestion"] for f in usages)


def test_no_contracts_of_any_kind_is_exit_2(project):
    root = project({"app/__init__.py": "", "app/a.py": "X = 1\n", "contracts/c.toml": "[settings]\nexclude = []\n"})

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert "no contracts: no import-linter or importcanon contract is declared" in run.stderr


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (".importlinter", "[importlinter]\nroot_package = app\n\n[import-linter:contract:x]\nname = X\n", ""),
        (
            "pyproject.toml",
            '[tool.importlinter]\nroot_package = "app"\n\n[[tool.importlinter.contract]]\nname = "X"\n',
            "pyproject.toml:4: [tool.importlinter] contract must be a string, true/false or a list of strings",
        ),
    ],
)
def test_a_misspelt_import_linter_contract_section_is_exit_2(project, name, text, expected):
    root = project({"app/__init__.py": "", name: text})

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert expected in run.stderr
    if not expected:
        assert ".importlinter configures import-linter but declares no contract" in run.stderr


def test_from_a_subdirectory_the_project_root_is_found_and_no_cache_is_left_there(project, monkeypatch):
    files = dict(LEGACY)
    files["app/new/deep/__init__.py"] = ""
    root = project(files)
    (root / ".git").mkdir()
    expected = run_cli("check", root, "--format", "json", "--no-cache").json["findings"]
    subdirectory = root / "app" / "new" / "deep"
    monkeypatch.chdir(subdirectory)

    run = run_cli("check", "--format", "json")

    assert run.exit_code == 1
    assert run.json["findings"] == expected
    assert os.listdir(subdirectory) == ["__init__.py"]
    assert (root / ".importcanon_cache").is_dir()


def test_discovery_stops_at_the_repository_root(tmp_path, monkeypatch):
    outer = write_project(tmp_path / "outer", {"contracts/c.toml": "[cycles]\n", "repo/app/__init__.py": ""})
    (outer / "repo" / ".git").mkdir()
    monkeypatch.chdir(outer / "repo" / "app")

    run = run_cli("check")

    assert run.exit_code == 2
    assert "no contracts" in run.stderr


FORBIDDEN = """
    [importlinter]
    root_package = app

    [importlinter:contract:{id}]
    name = {name}
    type = forbidden
    source_modules =
        app.{source}
    forbidden_modules =
        app.{target}
"""
TWO_CONFIGS = {
    "app/__init__.py": "",
    "app/a.py": "import app.b\n",
    "app/b.py": "",
    "app/c.py": "import app.d\n",
    "app/d.py": "",
}


def _lint_imports(root: Path) -> str:
    script = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(script), "--no-cache"], cwd=root, capture_output=True, text=True)
    return done.stdout + done.stderr


@pytest.mark.parametrize(
    ("setup_cfg_section", "expected"),
    [("[importlinter]", "From setup.cfg"), ("[metadata]", "From .importlinter")],
)
def test_setup_cfg_and_importlinter_are_read_as_lint_imports_reads_them(project, setup_cfg_section, expected):
    files = dict(TWO_CONFIGS)
    setup_cfg = FORBIDDEN.format(id="s", name="From setup.cfg", source="a", target="b")
    files["setup.cfg"] = setup_cfg.replace("[importlinter]", setup_cfg_section).replace(
        "[importlinter:contract:s]", "[importlinter:contract:s]" if setup_cfg_section == "[importlinter]" else "[x]"
    )
    files[".importlinter"] = FORBIDDEN.format(id="i", name="From .importlinter", source="c", target="d")
    files["pyproject.toml"] = '[tool.importlinter]\nroot_package = "app"\n[[tool.importlinter.contracts]]\nname = "P"\n'
    root = project(files)

    run = run_cli("check", root, "--format", "json")

    assert {f["contract"] for f in run.findings("contract")} == {expected}
    assert f"{expected} BROKEN" in _lint_imports(root)


@pytest.mark.parametrize(("value", "kept"), [("True", True), ("true", True), ("TRUE", False), ("yes", False)])
def test_booleans_are_parsed_as_import_linter_parses_them(project, value, kept):
    files = dict(TWO_CONFIGS)
    files["app/a.py"] = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import app.b\n"
    files[".importlinter"] = FORBIDDEN.format(id="s", name="Typed", source="a", target="b").replace(
        "root_package = app", f"root_package = app\n    exclude_type_checking_imports = {value}"
    )
    root = project(files)

    run = run_cli("check", root, "--format", "json")

    assert (run.findings("contract") == []) is kept
    assert ("Typed KEPT" in _lint_imports(root)) is kept


def test_tool_importcanon_in_pyproject_is_read_like_contracts_files(tmp_path):
    code = {name: text for name, text in LEGACY.items() if not name.startswith("contracts/")}
    in_pyproject = write_project(
        tmp_path / "pyproject",
        {
            **code,
            "pyproject.toml": """
                [project]
                name = "app"

                [[tool.importcanon.legacy]]
                package = "app.old"
                replacement = "app.new"

                [tool.importcanon.settings]
                baseline = "importcanon-baseline.json"
            """,
        },
    )
    in_contracts = write_project(
        tmp_path / "contracts",
        {**code, "contracts/c.toml": '[[legacy]]\npackage = "app.old"\nreplacement = "app.new"\n'},
    )

    from_pyproject = run_cli("check", in_pyproject, "--format", "json")
    from_contracts = run_cli("check", in_contracts, "--format", "json")

    assert from_pyproject.exit_code == 1
    assert [f["fingerprint"] for f in from_pyproject.findings()] == [
        f["fingerprint"] for f in from_contracts.findings()
    ]
    assert run_cli("baseline", "create", in_pyproject).exit_code == 0
    assert (in_pyproject / "importcanon-baseline.json").is_file()


def test_config_names_the_import_linter_configuration(project):
    files = dict(TWO_CONFIGS)
    files["lint/imports.ini"] = FORBIDDEN.format(id="x", name="Given", source="a", target="b")
    files[".importlinter"] = FORBIDDEN.format(id="i", name="Default", source="c", target="d")
    root = project(files)

    given = run_cli("check", root, "--config", root / "lint/imports.ini", "--format", "json")
    missing = run_cli("check", root, "--config", root / "lint/none.ini")
    no_section = run_cli("check", root, "--config", root / "app/b.py")

    assert {f["contract"] for f in given.findings("contract")} == {"Given"}
    assert (missing.exit_code, no_section.exit_code) == (2, 2)
    assert "lint/none.ini: the import-linter configuration given by --config does not exist" in missing.stderr
    assert "app/b.py: no [importlinter] section" in no_section.stderr


def test_config_naming_a_directory_or_fifo_says_what_it_is_not_that_it_is_missing(project):
    root = project({**TWO_CONFIGS, "lint/imports.toml/keep.txt": ""})
    os.mkfifo(root / "lint/fifo.ini")

    directory = run_cli("check", root, "--config", root / "lint/imports.toml")
    fifo = run_cli("check", root, "--config", root / "lint/fifo.ini")

    assert (directory.exit_code, fifo.exit_code) == (2, 2)
    assert "lint/imports.toml: cannot read the file: not a regular file" in directory.stderr
    assert "lint/fifo.ini: cannot read the file: not a regular file" in fifo.stderr


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "pyproject.toml",
            '[tool.importlinter]\nroot_package = 3\n[[tool.importlinter.contracts]]\nname = "L"\ntype = "layers"\n',
            "pyproject.toml:2: [tool.importlinter] root_package must be a dotted Python name",
        ),
        (
            "pyproject.toml",
            '[tool.importlinter]\nroot_package = []\n[[tool.importlinter.contracts]]\nname = "L"\n',
            "pyproject.toml:2: [tool.importlinter] root_package must be a dotted Python name",
        ),
        (
            "pyproject.toml",
            '[tool.importlinter]\nroot_packages = 3\n[[tool.importlinter.contracts]]\nname = "L"\n',
            "pyproject.toml:2: [tool.importlinter] root_packages must be a list of dotted Python names",
        ),
        (
            "pyproject.toml",
            '[tool.importlinter]\nroot_package = "app"\n\n[[tool.importlinter.contracts]]\nname = "A"\n'
            'type = "forbidden"\n\n[[tool.importlinter.contracts]]\nname = "L"\ntype = "layers"\nlayers = 5\n',
            "pyproject.toml:11: [[tool.importlinter.contracts]] layers must be a string",
        ),
        (
            "pyproject.toml",
            "[project]\nname = 'x'\n\n[tool]\nimportcanon.settings.root_packages = 3\n",
            "pyproject.toml:5: [settings] root_packages must be a list of strings",
        ),
        (
            "pyproject.toml",
            "[tool.importcanon]\ncycles.packages = ['app']\n\n[tool.importcanon.settings]\nbaseline = 3\n",
            "pyproject.toml:5: [settings] baseline must be a non-empty string",
        ),
        (
            "contracts/c.toml",
            "[cycles]\n\n[[legacy]]\npackage = 'app.a'\nreplacement = 'app.b'\n\n[[legacy]]\npackage = 'app.c'\n"
            "replacement = 5\n",
            "contracts/c.toml:9: [[legacy]] replacement must be a dotted Python name",
        ),
        (
            ".importlinter",
            "[importlinter]\nroot_package =\n    app\n    other\n[importlinter:contract:x]\nname = X\ntype = layers\n",
            ".importlinter:2: [importlinter] root_package must be a dotted Python name",
        ),
        (
            ".importlinter",
            "# empty\n[importlinter]\nroot_package =\n[importlinter:contract:x]\nname = X\ntype = layers\n",
            ".importlinter:3: [importlinter] root_package must be a dotted Python name",
        ),
        (
            "contracts/c.toml",
            "# dotted keys\nsettings.exclude = 'x'\ncycles.packages = ['app']\n",
            "contracts/c.toml:2: [settings] exclude must be a list of strings",
        ),
    ],
)
def test_every_wrong_type_names_file_line_and_key(project, name, text, expected):
    root = project({"app/__init__.py": "", name: text})

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert run.stderr.startswith(f"importcanon: error: {expected}"), run.stderr
    assert "internal error" not in run.stderr


def test_a_contracts_path_that_cannot_be_listed_is_exit_2(project, tmp_path):
    as_file = project({"app/__init__.py": "", "contracts": "[cycles]\n", ".importlinter": "[importlinter]\n"})
    dangling = write_project(tmp_path / "dangling", {"app/__init__.py": ""})
    (dangling / "contracts").symlink_to(tmp_path / "nowhere")

    for root in (as_file, dangling):
        run = run_cli("check", root)
        assert run.exit_code == 2
        assert run.stderr.startswith("importcanon: error: contracts: cannot list the contracts directory"), run.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any directory")
def test_an_unreadable_contracts_directory_is_exit_2(project):
    root = project({"app/__init__.py": "", "contracts/c.toml": "[cycles]\n"})
    (root / "contracts").chmod(0)
    try:
        run = run_cli("check", root)
    finally:
        (root / "contracts").chmod(0o755)

    assert run.exit_code == 2
    assert "cannot list the contracts directory: Permission denied" in run.stderr


def test_an_unreadable_contracts_directory_is_exit_2_for_an_unprivileged_user(shared):
    root = write_project(shared / "project", {"app/__init__.py": "", "contracts/c.toml": "[cycles]\n"})
    (root / "contracts").chmod(0)

    run = run_as_nobody([sys.executable, "-m", "importcanon", "check", str(root), "--no-cache"], shared)

    assert run.returncode == 2, run.stderr
    assert "cannot list the contracts directory: Permission denied" in run.stderr


def test_a_stale_cycles_package_is_a_finding_in_the_report_too(project, tmp_path):
    cycles = '[cycles]\npackages = ["app", "app.gone"]\n'
    root = project(
        {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": "import app.a\n", "contracts/c.toml": cycles}
    )

    check = run_cli("check", root, "--format", "json")
    report = run_cli("report", root, "--html", tmp_path / "report.html")

    assert [f["names"] for f in check.findings("stale-contract")] == ["app.gone"]
    assert check.findings("import-cycle")  # the packages that exist are still checked
    assert report.exit_code == 0, report.stderr
    assert "stale-contract" in (tmp_path / "report.html").read_text()


def test_a_contracts_directory_that_refuses_listing_is_exit_2_even_as_root(project, monkeypatch):
    root = project({"app/__init__.py": "", "contracts/c.toml": "[cycles]\n"})
    real_scandir = os.scandir

    def scandir(path):  # the permission check root would pass: refuse the contracts directory
        if str(path).endswith("contracts"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(configuration.os, "scandir", scandir)

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert run.stderr.startswith(
        "importcanon: error: contracts: cannot list the contracts directory: Permission denied"
    )
