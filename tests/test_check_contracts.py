"""import-linter contracts run through importcanon check: chains, lines, kinds, broken contracts."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import LAYERED, run_cli


def test_a_broken_layers_contract_is_a_finding_at_the_first_import_of_each_chain(project):
    root = project(LAYERED)

    run = run_cli("check", root, "--format", "json")

    assert run.exit_code == 1
    findings = run.findings("contract")
    assert [(f["path"], f["line"], f["module"]) for f in findings] == [
        ("app/db/models.py", 5, "app.db.models"),
        ("app/services/audit_log.py", 1, "app.services.audit_log"),
    ]
    first = findings[0]
    assert first["contract"] == "Layered"
    assert first["message"].splitlines() == [
        "app.db is not allowed to import app.services (contract 'Layered'):",
        "  app.db.models -> app.services.audit_log (app/db/models.py: l.5 deferred)",
    ]
    assert first["chain"] == [
        {
            "importer": "app.db.models",
            "imported": "app.services.audit_log",
            "path": "app/db/models.py",
            "line": 5,
            "kind": "deferred",
        }
    ]
    assert "ignore_imports" in first["suggestion"]


def test_a_forbidden_chain_lists_every_hop_with_its_path_line_and_kind(project):
    files = dict(LAYERED)
    files[".importlinter"] = """
        [importlinter]
        root_package = app

        [importlinter:contract:no-db-to-api]
        name = Database never reaches the API
        type = forbidden
        source_modules =
            app.db
        forbidden_modules =
            app.api
    """
    root = project(files)

    run = run_cli("check", root, "--format", "json")

    (finding,) = run.findings("contract")
    assert (finding["path"], finding["line"]) == ("app/db/models.py", 5)
    assert finding["message"].splitlines() == [
        "app.db is not allowed to import app.api (contract 'Database never reaches the API'):",
        "  app.db.models -> app.services.audit_log (app/db/models.py: l.5 deferred)",
        "  app.services.audit_log -> app.api.views (app/services/audit_log.py: l.1 module)",
    ]
    assert [hop["line"] for hop in finding["chain"]] == [5, 1]
    assert "Break the chain" in finding["suggestion"]


def test_the_text_report_puts_path_and_line_first_and_ends_with_a_summary(project):
    root = project(LAYERED)

    run = run_cli("check", root)

    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == "contract: 2 findings (2 new)"
    assert lines[1].startswith("app/db/models.py:5: contract app.db is not allowed to import app.services")
    assert "app/services/audit_log.py:1: contract " in run.stdout
    assert lines[-1].startswith("importcanon: 2 new, 0 baselined, 0 fixed (8 modules, 4 imports")


def test_a_contract_naming_a_missing_module_is_a_finding_at_its_section(project):
    files = dict(LAYERED)
    files[".importlinter"] = LAYERED[".importlinter"].replace("app.db", "app.database")
    root = project(files)

    run = run_cli("check", root, "--format", "json")

    assert run.exit_code == 1
    (finding,) = run.findings("contract")
    assert (finding["path"], finding["line"]) == (".importlinter", 4)
    assert finding["contract"] == "Layered"
    assert "cannot be checked" in finding["message"]
    assert "app.database" in finding["message"]


def test_invalid_contract_options_and_unknown_types_are_findings_not_crashes(project):
    files = dict(LAYERED)
    files[".importlinter"] = """
        [importlinter]
        root_package = app

        [importlinter:contract:typo]
        name = Misspelt option
        type = forbidden
        source_modules =
            app.db
        forbiden_modules =
            app.api

        [importlinter:contract:unknown]
        name = Unknown type
        type = layered
        layers =
            app.api
    """
    root = project(files)

    run = run_cli("check", root, "--format", "json")

    assert run.exit_code == 1
    messages = {f["contract"]: (f["line"], f["message"]) for f in run.findings("contract")}
    assert messages["Misspelt option"][0] == 4
    assert "forbiden_modules: Unrecognized option" in messages["Misspelt option"][1]
    assert "forbidden_modules: This is a required field" in messages["Misspelt option"][1]
    assert messages["Unknown type"][0] == 12
    assert "unknown contract type 'layered'" in messages["Unknown type"][1]


def test_independence_protected_and_acyclic_siblings_contracts_report_chains(project):
    root = project(
        {
            "shop/__init__.py": "",
            "shop/a.py": "import shop.b\n",
            "shop/b.py": "import shop.c\n",
            "shop/c.py": "X = 1\n",
            "shop/cart/__init__.py": "",
            "shop/cart/items.py": "from shop.orders import history\n",
            "shop/orders/__init__.py": "",
            "shop/orders/history.py": "from shop.cart import items\n",
            ".importlinter": """
                [importlinter]
                root_package = shop

                [importlinter:contract:independent]
                name = Cart and orders are independent
                type = independence
                modules =
                    shop.cart
                    shop.orders

                [importlinter:contract:protected]
                name = Only b may use c
                type = protected
                protected_modules =
                    shop.c
                allowed_importers =
                    shop.a

                [importlinter:contract:acyclic]
                name = No cycles among shop's children
                type = acyclic_siblings
                ancestors =
                    shop
            """,
        }
    )

    run = run_cli("check", root, "--format", "json")

    by_contract: dict[str, list] = {}
    for finding in run.findings("contract"):
        by_contract.setdefault(finding["contract"], []).append(finding)
    assert {(f["path"], f["line"]) for f in by_contract["Cart and orders are independent"]} == {
        ("shop/cart/items.py", 1),
        ("shop/orders/history.py", 1),
    }
    (protected,) = by_contract["Only b may use c"]
    assert (protected["path"], protected["line"], protected["module"]) == ("shop/b.py", 1, "shop.b")
    # One finding per pair of children on the cycle, not the import a tie-break nominates.
    acyclic = by_contract["No cycles among shop's children"]
    assert [(f["path"], f["line"], f["message"].splitlines()[0]) for f in acyclic] == [
        (
            "shop/cart/items.py",
            1,
            "shop.cart imports shop.orders, and the children of shop import each other in a cycle through it "
            "(contract 'No cycles among shop's children'):",
        ),
        (
            "shop/orders/history.py",
            1,
            "shop.orders imports shop.cart, and the children of shop import each other in a cycle through it "
            "(contract 'No cycles among shop's children'):",
        ),
    ]


def test_pyproject_import_linter_configuration_is_read(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/low.py": "import pkg.high\n",
            "pkg/high.py": "",
            "pyproject.toml": """
                [project]
                name = "pkg"

                [tool.importlinter]
                root_packages = ["pkg"]

                [[tool.importlinter.contracts]]
                name = "High above low"
                type = "layers"
                layers = ["pkg.high", "pkg.low"]
            """,
        }
    )

    run = run_cli("check", root, "--format", "json")

    (finding,) = run.findings("contract")
    assert (finding["path"], finding["line"], finding["contract"]) == ("pkg/low.py", 1, "High above low")


def test_a_contract_type_defined_inside_the_project_is_refused_not_imported(project, tmp_path):
    marker = tmp_path / "plugin-ran"
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/plugin.py": f"open({str(marker)!r}, 'w').write('ran')\n",
            ".importlinter": """
                [importlinter]
                root_package = pkg
                contract_types =
                    mine: pkg.plugin.MyContract

                [importlinter:contract:mine]
                name = Custom
                type = mine
            """,
        }
    )

    run = run_cli("check", root, "--format", "json")

    assert not marker.exists()
    (finding,) = run.findings("contract")
    assert "not importable" in finding["message"] or "never imports" in finding["message"]


IMPORTED_CONTRACT_MODULES = """
import sys
from importcanon.cli import main
sys.argv = ["importcanon", "check", sys.argv[1], "--no-cache", "--format", "json"]
try:
    main()
except SystemExit:
    pass
print(sorted(name.rpartition(".")[2] for name in sys.modules if name.startswith("importlinter.contracts.")))
"""


@pytest.mark.parametrize(
    ("contract", "imported"),
    [
        ("", []),
        ("type = forbidden\nsource_modules = app.a\nforbidden_modules = app.b", ["_common", "forbidden"]),
        ("type = layers\nlayers =\n    app.a\n    app.b", ["_common", "layers"]),  # broken: told as layers
    ],
)
def test_a_check_imports_only_the_import_linter_contract_types_it_uses(project, contract, imported):
    files = {"app/__init__.py": "", "app/a.py": "x = 1\n", "app/b.py": "import app.a\n"}
    files["contracts/importcanon.toml"] = '[settings]\nroot_packages = ["app"]\n\n[cycles]\n'
    if contract:
        files[".importlinter"] = (
            f"[importlinter]\nroot_package = app\n\n[importlinter:contract:one]\nname = One\n{contract}\n"
        )
    root = project(files)

    run = subprocess.run(
        [sys.executable, "-c", IMPORTED_CONTRACT_MODULES, str(root)], capture_output=True, text=True, timeout=60
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == repr(imported)
