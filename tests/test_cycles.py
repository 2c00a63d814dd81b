"""The [cycles] contract and the cycles command on fixture projects."""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES

from conftest import run_cli

CYCLIC = {
    "core/__init__.py": "",
    "core/protocols.py": "from core import unified\n\n\nclass Protocol:\n    pass\n",
    "core/unified.py": (
        "from core.protocols import Protocol\nfrom core import manager\n\n\nclass Unified(Protocol):\n    pass\n"
    ),
    "core/manager.py": (
        "import typing\n"
        "if typing.TYPE_CHECKING:\n"
        "    from core import protocols\n"
        "\n"
        "\n"
        "def build():\n"
        "    from core.unified import Protocol\n"
        "    return Protocol\n"
    ),
    "core/typed_a.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from core import typed_b\n",
    "core/typed_b.py": "from core import typed_a\n\n\ndef name():\n    return typed_a.__name__\n",
    "core/other/__init__.py": "",
    "core/other/x.py": "from core.other import y\n\n\ndef g():\n    return y.f()\n",
    "core/other/y.py": "def f():\n    from core.other import x\n    return x\n",
    "contracts/importcanon.toml": "[cycles]\n",
}


def test_every_import_on_a_cycle_is_a_finding_with_its_shortest_cycle_and_kind(project):
    root = project(CYCLIC)

    run = run_cli("check", root, "--format", "json")

    assert run.exit_code == 1
    findings = run.findings("import-cycle")
    assert [(f["path"], f["line"], f["importer"], f["imported"], f["kind"]) for f in findings] == [
        ("core/manager.py", 7, "core.manager", "core.unified", "deferred"),
        ("core/other/x.py", 1, "core.other.x", "core.other.y", "deferred"),
        ("core/other/y.py", 2, "core.other.y", "core.other.x", "deferred"),
        ("core/protocols.py", 1, "core.protocols", "core.unified", "import-time"),
        ("core/unified.py", 1, "core.unified", "core.protocols", "import-time"),
        ("core/unified.py", 2, "core.unified", "core.manager", "deferred"),
    ]
    first = findings[3]
    assert first["message"].splitlines() == [
        "core.protocols -> core.unified is on an import cycle",
        "  import-time cycle through 2 modules:",
        "  core.protocols -> core.unified (core/protocols.py: l.1 module)",
        "  core.unified -> core.protocols (core/unified.py: l.1 module)",
    ]
    assert first["cycle"] == ["core.protocols", "core.unified"]
    assert first["suggestion"] == (
        "Remove, defer (into the function that needs it) or invert this import or another on the cycle. "
        "This import is one of the 2 whose removal makes this 3-module component acyclic."
    )
    deferred = findings[0]
    assert deferred["suggestion"].startswith(
        "Remove or invert this import or another on the cycle; none of them can break start-up"
    )
    for mutual in findings[1:3]:  # the two imports of a 2-module cycle: each alone is the fix, said alike
        assert mutual["suggestion"].endswith("Removing this import alone makes these 2 modules acyclic.")


def test_type_checking_imports_make_no_cycle_unless_asked(project):
    files = dict(CYCLIC)
    files["contracts/importcanon.toml"] = "[cycles]\nexclude_type_checking = false\n"
    root = project(files)

    run = run_cli("check", root, "--format", "json")

    assert ["core.typed_a", "core.typed_b"] in [f["cycle"] for f in run.findings("import-cycle")]
    assert run.json["metrics"]["cycles"]["sizes"] == [3, 2, 2]  # manager joins protocols/unified


def test_the_contract_can_limit_the_packages(project):
    files = dict(CYCLIC)
    files["contracts/importcanon.toml"] = '[cycles]\npackages = ["core.other"]\n'
    root = project(files)

    run = run_cli("check", root, "--format", "json")

    assert [f["cycle"] for f in run.findings("import-cycle")] == [
        ["core.other.x", "core.other.y"],
        ["core.other.y", "core.other.x"],
    ]
    assert run.json["metrics"]["cycles"] == {
        "components": 1,
        "sizes": [2],
        "imports": 2,
        "break_set": 1,
        "cycles": 1,
        "import_time_cycles": 0,
    }


def test_a_cycles_package_that_does_not_exist_is_a_stale_contract(project):
    files = dict(CYCLIC)
    files["contracts/importcanon.toml"] = '# cycles\n[cycles]\npackages = ["core.nowhere", "core.other"]\n'

    run = run_cli("check", project(files), "--format", "json")

    assert run.exit_code == 1
    ((stale,), cycles) = run.findings("stale-contract"), run.findings("import-cycle")
    assert (stale["path"], stale["line"], stale["names"]) == ("contracts/importcanon.toml", 2, "core.nowhere")
    assert {f["module"] for f in cycles} <= {"core.other.x", "core.other.y"} and cycles


def test_every_command_skips_a_stale_cycles_package_as_check_does(project):
    """check reports the missing package as a stale-contract finding and analyses the rest; the
    other commands that read [cycles] used to stop on it with a configuration error instead."""
    files = dict(CYCLIC)
    files["contracts/importcanon.toml"] = '[cycles]\npackages = ["core.nowhere", "core.other"]\n'
    root = project(files)

    cycles = run_cli("cycles", root, "--format", "json")
    explain = run_cli("explain", "core.other.x", root)
    can_import = run_cli("can-import", "core.other.x", "core.other.y", root)
    fix = run_cli("fix", root)

    assert cycles.exit_code == 1, cycles.stderr
    assert {m for c in cycles.json["components"] for m in c["modules"]} == {"core.other.x", "core.other.y"}
    assert (explain.exit_code, can_import.exit_code, fix.exit_code) == (0, 0, 0), explain.stderr + fix.stderr
    assert "not a package of the project" not in explain.stderr + can_import.stderr + fix.stderr


def test_without_a_cycles_contract_cycles_are_not_findings(project):
    files = dict(CYCLIC)
    files["contracts/importcanon.toml"] = '[[deprecated]]\nname = "core.typed_b.name"\n'

    run = run_cli("check", project(files), "--format", "json")

    assert run.findings("import-cycle") == []
    assert run.exit_code == 0


def test_cycle_fingerprints_survive_inserted_lines(project):
    root = project(CYCLIC)
    before = {f["fingerprint"] for f in run_cli("check", root, "--format", "json").findings("import-cycle")}
    for name in ("protocols", "unified", "manager"):
        path = root / "core" / f"{name}.py"
        path.write_text("# a comment\n\n" + path.read_text())

    after = run_cli("check", root, "--format", "json").findings("import-cycle")

    assert {f["fingerprint"] for f in after} == before
    assert [f["line"] for f in after] == [9, 1, 2, 3, 3, 4]


def test_the_cycles_command_answers_for_any_package_in_text_json_and_mermaid(project):
    root = project(CYCLIC)

    text = run_cli("cycles", root, "--package", "core.other")
    document = run_cli("cycles", root, "--format", "json").json
    import_time = run_cli("cycles", root, "--format", "json", "--import-time-only").json
    mermaid = run_cli("cycles", root, "--format", "mermaid", "-p", "core.other").stdout
    clean = run_cli("cycles", root, "--package", "core.typed_a")

    assert text.exit_code == 1
    assert text.stdout.splitlines()[0] == "component 1: 2 modules, 2 imports; removing 1 import makes it acyclic:"
    assert "break core.other.y -> core.other.x (core/other/y.py: l.2 deferred)" in text.stdout
    assert [c["modules"] for c in document["components"]] == [
        ["core.manager", "core.protocols", "core.unified"],
        ["core.other.x", "core.other.y"],
    ]
    assert document["metrics"]["import_time_cycles"] == 1
    assert [c["modules"] for c in import_time["components"]] == [["core.protocols", "core.unified"]]
    assert mermaid.splitlines() == [
        "flowchart LR",
        '  subgraph component1["component 1: 2 modules"]',
        '    c1m0["core.other.x"]',
        '    c1m1["core.other.y"]',
        "  end",
        "  c1m0 --> c1m1",
        "  c1m1 ==> c1m0",
        "  linkStyle 1 stroke:#d62728,stroke-width:3px",
    ]
    assert clean.exit_code == 0


def test_the_cycles_command_rejects_an_unknown_package(project):
    run = run_cli("cycles", project(CYCLIC), "--package", "nope")

    assert run.exit_code == 2
    assert "nope is not a module or package of the project" in run.stderr


def test_exclude_type_checking_false_is_refused_when_import_linter_leaves_those_imports_out(project):
    files = dict(CYCLIC)
    files[".importlinter"] = "[importlinter]\nroot_package = core\nexclude_type_checking_imports = True\n"
    files["contracts/importcanon.toml"] = "# cycles, typing imports included\n[cycles]\nexclude_type_checking = false\n"
    root = project(files)

    refused = run_cli("check", root)
    files["contracts/importcanon.toml"] = "[cycles]\nexclude_type_checking = true\n"
    agreeing = run_cli("check", project(files), "--format", "json")

    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "importcanon: error: contracts/importcanon.toml:2: [cycles] exclude_type_checking = false cannot be "
        "honoured: .importlinter sets exclude_type_checking_imports = True"
    )
    assert agreeing.exit_code == 1
    assert ["core.typed_a", "core.typed_b"] not in [f["cycle"] for f in agreeing.findings("import-cycle")]


def test_a_package_importing_its_own_compiled_submodule_is_on_no_cycle(project):
    """pandas/_libs/__init__.py: ``import pandas._libs.pandas_parser`` (a .so). grimp records an
    import it cannot see as one of the nearest module it knows, the package itself: a self-import
    that check reported as a one-module import-time cycle. The package imports fine. So does a
    module importing a compiled sibling (numpy/_core/multiarray.py's ``from . import
    _multiarray_umath``), recorded as an import of the package, which read as a cycle through
    its ``__init__``; an import of a name of the package's body is one (``from . import NAME``)."""
    extension = EXTENSION_SUFFIXES[0]
    root = project(
        {
            "contracts/c.toml": "[cycles]\n",
            ".importlinter": "[importlinter]\nroot_package = app\n",
            "app/__init__.py": "import app.fast\nfrom app import speedy\nfrom app import mod\n",
            f"app/fast{extension}": "",
            f"app/speedy{extension}": "",
            "app/mod.py": "X = 1\n",
            "app/core/__init__.py": "from app.core import multiarray, named\nNAME = 1\n",
            "app/core/multiarray.py": "from . import _umath, other\n",
            f"app/core/_umath{extension}": "",
            "app/core/other.py": "",
            "app/core/named.py": "from . import NAME\n",
        }
    )

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert [(f["path"], f["line"]) for f in run.findings("import-cycle")] == [
        ("app/core/__init__.py", 1),
        ("app/core/named.py", 1),
    ]
    explained = run_cli("explain", "app", root, "--format", "json").json
    assert "app" not in explained["imports"]


def test_a_module_importing_from_itself_is_on_no_cycle(project):
    """A module importing from itself ties no modules together (numpy/dtypes.py's ``from numpy
    import dtypes`` in a function). It gets itself as far as it has run: a name it binds only
    below the statement does not exist yet there, and a package's ``from . import missing``
    (numpy/distutils/__init__.py's ``__config__``) asks for a submodule that is not there:
    broken imports, no longer one-module import-time cycles."""
    root = project(
        {
            "contracts/c.toml": "[cycles]\n",
            ".importlinter": "[importlinter]\nroot_package = app\n",
            "app/__init__.py": "",
            "app/dtypes.py": "def helper():\n    from app import dtypes\n    return dtypes\n",
            "app/early.py": "from app.early import X\n\nX = 1\n",
            "app/late.py": "X = 1\nfrom app.late import X\n",
            "app/pkg/__init__.py": "from . import nothere\n",
            "app/pkg2/__init__.py": "from .helpers import *\nfrom . import absent, X\n",
            "app/pkg2/helpers.py": "X = 1\n",
        }
    )

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert run.findings("import-cycle") == []
    broken = {(f["path"], f["line"]): f["message"] for f in run.findings("broken-import")}
    assert broken.keys() == {("app/early.py", 1), ("app/pkg/__init__.py", 1), ("app/pkg2/__init__.py", 2)}
    assert "imports absent from app.pkg2" in broken[("app/pkg2/__init__.py", 2)]  # X: the star import's
    assert "binds it only below this statement (l.3)" in broken[("app/early.py", 1)]
    assert "imports nothere from app.pkg, which does not define" in broken[("app/pkg/__init__.py", 1)]


def test_an_import_under_a_main_guard_is_on_no_import_time_cycle(project):
    """rich/default_styles.py imports rich.console under ``if __name__ == "__main__":`` (a demo
    run as a script): every one of rich's 158 import-time cycle findings ran through such a
    block, which never runs on import. Its imports are deferred; the else branch still runs."""
    root = project(
        {
            "contracts/c.toml": "[cycles]\n",
            ".importlinter": "[importlinter]\nroot_package = app\n",
            "app/__init__.py": "",
            "app/console.py": "import app.styles\n",
            "app/styles.py": (
                "X = 1\n\nif __name__ == '__main__':  # pragma: no cover\n    import app.console\n"
                "else:\n    import app.pager\n"
            ),
            "app/pager.py": "import app.console\n",
        }
    )

    run = run_cli("check", root, "--format", "json", "--no-cache")

    kinds = {(f["path"], f["line"]): f["kind"] for f in run.findings("import-cycle")}
    assert kinds[("app/styles.py", 4)] == "deferred"
    assert kinds[("app/styles.py", 6)] == "import-time"  # styles -> pager -> console -> styles
    assert (
        "app/styles.py:4: app.styles -> app.console [deferred]"
        in run_cli("why", "app.styles", "app.console", root).stdout
    )
