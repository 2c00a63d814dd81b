"""Bad input gets a clear answer: a finding or an exit-2 message naming file and line."""

from __future__ import annotations

import os

import pytest
from conftest import run_cli, write_project

from importcanon.adapters import sources


def test_a_bare_import_linter_section_defers_to_importcanons_root_packages(project):
    root = project(
        {
            "app/__init__.py": "",
            ".importlinter": "[importlinter]\n",
            "contracts/c.toml": "[settings]\nroot_packages = ['app']\n\n[cycles]\n",
        }
    )

    run = run_cli("check", root)

    assert run.exit_code == 0, run.stderr


def test_a_contract_type_that_fails_to_import_is_a_finding(project, tmp_path, monkeypatch):
    plugins = write_project(tmp_path / "site", {"brokenplug/__init__.py": "raise RuntimeError('boom')\n"})
    monkeypatch.syspath_prepend(str(plugins))
    root = project(
        {
            "app/__init__.py": "",
            ".importlinter": """
                [importlinter]
                root_package = app
                contract_types =
                    mine: brokenplug.Mine

                [importlinter:contract:x]
                name = Mine
                type = mine
            """,
        }
    )

    (finding,) = run_cli("check", root, "--format", "json", "--allow-project-plugins").findings("contract")

    assert "cannot be imported: RuntimeError: boom" in finding["message"]


def test_a_symlinked_package_keeps_paths_inside_the_project_and_excludes_apply(project, tmp_path):
    real = write_project(
        tmp_path / "elsewhere",
        {"lib/__init__.py": "", "lib/a.py": "import lib.b\n", "lib/b.py": "def (:\n", "lib/gen/x.py": "def (:\n"},
    )
    (real / "lib/gen/__init__.py").write_text("")
    root = project({"contracts/c.toml": "[settings]\nroot_packages = ['lib']\nexclude = ['lib/gen']\n[cycles]\n"})
    (root / "lib").symlink_to(real / "lib")

    run = run_cli("check", root, "--format", "json")

    assert [f["path"] for f in run.findings("syntax-error")] == ["lib/b.py"]


def test_a_broken_symlink_and_an_unreadable_directory_are_findings(project, monkeypatch):
    root = project(
        {
            "app/__init__.py": "",
            "app/ok.py": "X = 1\n",
            "app/locked/__init__.py": "Y = 1\n",
            "contracts/c.toml": "[cycles]\n",
        }
    )
    (root / "app/dangling.py").symlink_to(root / "app/missing.py")
    real_scandir = os.scandir

    def scandir(path):  # the permission check root would pass: refuse this one directory
        if str(path).endswith(os.path.join("app", "locked")):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "scandir", scandir)

    run = run_cli("check", root, "--format", "json")

    assert run.exit_code == 1
    assert [(f["path"], f["message"]) for f in run.findings("unreadable-source")] == [
        (
            "app/dangling.py",
            "cannot read app/dangling.py: No such file or directory; the modules in it are not checked",
        ),
        ("app/locked", "cannot read app/locked: Permission denied; the modules in it are not checked"),
    ]
    assert run.json["metrics"]["unreadable"] == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'x = "\xff"\n', "cannot decode the file as utf-8"),
        (b"import os\x00\n", "contains a NUL byte"),
    ],
)
def test_bad_bytes_on_the_first_line_are_reported_at_line_1(project, content, message):
    root = project({"app/__init__.py": "", "contracts/c.toml": "[cycles]\n"})
    (root / "app/bad.py").write_bytes(content)

    (finding,) = run_cli("check", root, "--format", "json").findings("syntax-error")

    assert (finding["line"], message in finding["message"]) == (1, True)


def test_a_file_given_as_the_project_is_named_as_a_file(project):
    root = project({"app/__init__.py": ""})

    run = run_cli("check", root / "app" / "__init__.py")

    assert run.exit_code == 2
    assert "is a file: give the directory that holds the project's packages" in run.stderr


def test_checking_nothing_is_an_error_not_a_green_run(project):
    root = project({"app/__init__.py": "", "contracts/c.toml": "[settings]\nexclude = ['**']\n[cycles]\n"})

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert "no Python modules found in the root packages app" in run.stderr


@pytest.mark.parametrize(
    ("contracts", "expected"),
    [
        (
            '[[legacy]]\npackage = "app"\nreplacement = "app.new"\n',
            "c.toml:1: [[legacy]] the replacement app.new lies inside",
        ),
        (
            '[[deprecated]]\nname = "app.a.X"\n\n[[deprecated]]\nname = "app.a.X"\nreplacement = "app.a.Y"\n',
            "c.toml:4: [[deprecated]] app.a.X is already declared at contracts/c.toml:1",
        ),
        (
            '[[canonical]]\nsymbol = "X"\nmodule = "app"\n[[canonical]]\nsymbol = "X"\nmodule = "app"\n',
            "c.toml:4: [[canonical]] X is already declared at contracts/c.toml:1",
        ),
        ("# top\nsettings = 3\n", "c.toml:2: [settings] must be a table"),
    ],
)
def test_contracts_that_contradict_themselves_exit_2_at_the_line(project, contracts, expected):
    root = project({"app/__init__.py": "", "app/a.py": "X = 1\n", "contracts/c.toml": contracts})

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert run.stderr.startswith(f"importcanon: error: contracts/{expected}"), run.stderr


def test_a_canonical_home_in_newer_syntax_is_read_through_libcst(project):
    root = project(
        {
            "app/__init__.py": "",
            "app/typed.py": "type Alias = int\n\n\nclass Thing:\n    pass\n",
            "app/user.py": "from app.typed import Thing\n\nX = Thing\n",
            "contracts/c.toml": '[[canonical]]\nsymbol = "Thing"\nmodule = "app.typed"\n',
        }
    )

    run = run_cli("check", root, "--format", "json")

    assert run.findings("missing-canonical") == []
    assert not any("cannot parse" in warning for warning in run.json["warnings"])


def test_a_malformed_import_linter_table_in_pyproject_exits_2_naming_the_file(project):
    root = project(
        {"app/__init__.py": "", "pyproject.toml": '[tool.importlinter]\nroot_packages = ["app"]\ncontracts = "x"\n'}
    )

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert run.stderr.startswith(
        "importcanon: error: pyproject.toml:3: [tool.importlinter] contracts must be written as "
        "[[tool.importlinter.contracts]]"
    )


def test_a_deprecated_replacement_must_be_a_qualified_name(project):
    root = project(
        {"app/__init__.py": "", "contracts/c.toml": '[[deprecated]]\nname = "app.x"\nreplacement = "new_thing"\n'}
    )

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert "contracts/c.toml:3: [[deprecated]] replacement must name a module and a name in it" in run.stderr


def test_a_real_syntax_error_is_not_mistaken_for_newer_syntax(project):
    root = project(
        {
            "app/__init__.py": "",
            "app/broken.py": "def (:\n",
            "app/user.py": "from app.broken import thing\n\n\ndef f():\n    return thing\n",
            "contracts/c.toml": '[[canonical]]\nsymbol = "thing"\nmodule = "app.broken"\n',
        }
    )

    run = run_cli("check", root, "--format", "json")

    assert [f["path"] for f in run.findings("syntax-error")] == ["app/broken.py"]
    assert not any("cannot parse" in warning for warning in run.json["warnings"])
