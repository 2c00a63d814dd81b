"""Module discovery as Python resolves names: a package beats a module of the same name, which
beats a namespace directory; what loses is never analysed, and a warning names it."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import run_cli, write_project

FORBIDDEN = """
    [importlinter]
    root_package = app

    [importlinter:contract:one]
    name = a stays off b and c
    type = forbidden
    source_modules =
        app.a
    forbidden_modules =
        app.b
        app.c
"""

COLLISION = {
    "app/__init__.py": "",
    "app/a.py": "from app.b import Thing\n",  # dead: a shim-shaped file Python never imports
    "app/a/__init__.py": (
        '"""The package Python imports."""\n\nfrom app.c import helper\n\n\ndef run():\n    return helper()\n'
    ),
    "app/b.py": "class Thing:\n    pass\n",
    "app/c.py": "def helper():\n    return 1\n",
    ".importlinter": FORBIDDEN,
}

SHADOWED_WARNING = (
    "app/a.py: shadowed by the package app/a/__init__.py: Python imports the package, never this file; "
    "it is not checked (delete or rename it)"
)


def _outcome(run):
    payload = run.json
    return [(f["rule"], f["path"], f["line"]) for f in payload["findings"]], payload["warnings"]


def test_the_package_wins_and_the_dead_module_is_named_once(project):
    root = project(COLLISION)

    run = run_cli("check", root, "--format", "json", "--no-cache")

    findings, warnings = _outcome(run)
    assert findings == [("contract", "app/a/__init__.py", 3)]
    assert "app.a -> app.c (app/a/__init__.py: l.3 module)" in run.json["findings"][0]["message"]
    assert warnings.count(SHADOWED_WARNING) == 1
    assert not any(path == "app/a.py" for _, path, _ in findings)


def test_cold_warm_and_the_first_warm_run_after_the_tree_changed_agree(project, tmp_path):
    files = dict(COLLISION)
    package = files.pop("app/a/__init__.py")
    root = project(files)
    cache = tmp_path / "cache"
    before = run_cli("check", root, "--format", "json", "--cache-dir", cache)
    assert _outcome(before)[0] == [("contract", "app/a.py", 1), ("shim-module", "app/a.py", 1)]

    write_project(root, {"app/a/__init__.py": package})
    first_warm = run_cli("check", root, "--format", "json", "--cache-dir", cache)
    warm = run_cli("check", root, "--format", "json", "--cache-dir", cache)
    cold = run_cli("check", root, "--format", "json", "--no-cache")

    assert _outcome(first_warm) == _outcome(warm) == _outcome(cold)
    assert _outcome(cold)[0] == [("contract", "app/a/__init__.py", 3)]

    shutil.rmtree(root / "app/a")  # and back: the module is alive again
    assert _outcome(run_cli("check", root, "--format", "json", "--cache-dir", cache)) == _outcome(before)


def test_a_module_beats_a_namespace_directory_of_the_same_name(project):
    root = project(
        {
            "ns/tools.py": "import ns.base\n",
            "ns/tools/extra.py": "import ns.nowhere(\n",  # never imported: Python finds tools.py first
            "ns/base.py": "X = 1\n",
            "contracts/importcanon.toml": '[settings]\nroot_packages = ["ns"]\n\n[cycles]\n',
        }
    )

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert run.findings("syntax-error") == []
    assert run.json["warnings"] == [
        "ns/tools: shadowed by the module ns/tools.py: Python imports the module, never this directory; "
        "it is not checked (delete or rename it)"
    ]


def test_queries_show_the_scan_warnings_on_stderr(project):
    run = run_cli("where", "helper", project(COLLISION), "--no-cache")

    assert run.exit_code == 0
    assert f"importcanon: warning: {SHADOWED_WARNING}" in run.stderr


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_warning(project):
    root = project({"app/__init__.py": "", "app/ok.py": "import app\n", "contracts/c.toml": "[cycles]\n"})
    (root / "app").joinpath(os.fsdecode(b"caf\xe9.py")).write_text("import app.ok\n")

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert run.exit_code == 0
    assert run.json["warnings"][-1] == (
        "app/caf\\xe9.py: its name is not valid UTF-8, so it is not an importable module: skipped"
    )


NAMESPACE_DIRECTORY = {
    "app/__init__.py": "",
    "app/core.py": "X = 1\n",
    "app/jobs/runner.py": "from app import core\n\n\ndef run():\n    return core.X\n",  # app/jobs has no __init__
    "app/jobs/broken.py": "def run(:\n",
    "app/jobs/nightly/sweep.py": "import app.jobs.runner\n",
    ".importlinter": """
        [importlinter]
        root_package = app

        [importlinter:contract:one]
        name = jobs stay off core
        type = forbidden
        source_modules =
            app.jobs.runner
        forbidden_modules =
            app.core
    """,
}


@pytest.mark.parametrize("cache", ["--no-cache", "cold", "warm"])
def test_namespace_directories_are_skipped_like_grimp_does_with_a_warning(project, cache):
    """The files are counted while grimp scans, or at once when nothing is scanned (a warm run)."""
    root = project(NAMESPACE_DIRECTORY)
    if cache == "warm":
        run_cli("check", root, "--format", "json")
    run = run_cli("check", root, "--format", "json", *(["--no-cache"] if cache == "--no-cache" else []))

    assert run.json["warnings"] == [
        "3 Python files in 1 directory without __init__.py inside a package: app/jobs; Python imports them as "
        "namespace packages but grimp and import-linter skip them, so their imports and syntax are not checked: "
        "set [settings] namespace_packages = true to check them, or add the __init__.py files"
    ]
    assert run.findings("syntax-error") == []


def test_namespace_packages_setting_checks_their_imports_and_syntax(project):
    files = {**NAMESPACE_DIRECTORY, "contracts/importcanon.toml": "[settings]\nnamespace_packages = true\n"}

    run = run_cli("check", project(files), "--format", "json", "--no-cache")

    assert [(f["rule"], f["path"], f["line"]) for f in run.findings()] == [
        ("contract", "app/jobs/runner.py", 1),
        ("syntax-error", "app/jobs/broken.py", 1),
    ]
    assert run.json["warnings"] == []
    assert run.json["metrics"]["modules"] == 5  # app, app.core and the three files below app/jobs


def test_namespace_packages_must_be_a_boolean(project):
    files = {**NAMESPACE_DIRECTORY, "contracts/importcanon.toml": '[settings]\nnamespace_packages = "yes"\n'}

    run = run_cli("check", project(files))

    assert run.exit_code == 2
    assert "contracts/importcanon.toml" in run.stderr and "namespace_packages" in run.stderr
