"""why, can-import and explain: answers from the same scan, graph and contracts as check."""

from __future__ import annotations

import pytest
from conftest import run_cli

SHOP = {
    "shop/__init__.py": "",
    "shop/api/__init__.py": "",
    "shop/api/views.py": (
        "from shop.services import orders\n"
        "\n"
        "\n"
        "def render():\n"
        "    from shop.services import billing\n"
        "    return orders, billing\n"
    ),
    "shop/api/admin.py": "import typing\nif typing.TYPE_CHECKING:\n    from shop.db import models\n",
    "shop/services/__init__.py": "",
    "shop/services/orders.py": "from shop.db import models\n\n\ndef place():\n    return models\n",
    "shop/services/billing.py": (
        "try:\n    from shop.db import models\nexcept ImportError:\n    models = None\n"
        "\n\ndef charge():\n    return models\n"
    ),
    "shop/db/__init__.py": "",
    "shop/db/models.py": "from shop.db import session\n\n\nclass Order:\n    pass\n",
    "shop/db/session.py": "import shop.db.models\n\n\ndef connect():\n    return shop.db.models\n",
    "shop/legacy/__init__.py": "from shop.db.models import Order\n",
    ".importlinter": """
        [importlinter]
        root_package = shop

        [importlinter:contract:layers]
        name = API above services above the database
        type = layers
        layers =
            shop.api
            shop.services
            shop.db

        [importlinter:contract:admin]
        name = Admin stays away from billing
        type = forbidden
        source_modules =
            shop.api.admin
        forbidden_modules =
            shop.services.billing
    """,
    "contracts/importcanon.toml": """
        [[canonical]]
        symbol = "Order"
        module = "shop.db.models"

        [[legacy]]
        package = "shop.legacy"
        replacement = "shop.db"

        [cycles]
    """,
}


def test_why_lists_the_shortest_chains_with_path_line_kind_and_statement(project):
    root = project(SHOP)

    run = run_cli("why", "shop.api", "shop.db", root, "--format", "json")

    assert run.exit_code == 0
    chains = run.json["chains"]
    assert [[(h["importer"], h["imported"]) for h in chain] for chain in chains] == [
        [("shop.api.admin", "shop.db.models")],
        [("shop.api.views", "shop.services.billing"), ("shop.services.billing", "shop.db.models")],
        [("shop.api.views", "shop.services.orders"), ("shop.services.orders", "shop.db.models")],
    ]
    assert chains[0][0] == {
        "importer": "shop.api.admin",
        "imported": "shop.db.models",
        "path": "shop/api/admin.py",
        "line": 3,
        "kind": "type-checking",
        "statement": "from shop.db import models",
    }
    assert [(h["line"], h["kind"]) for h in chains[1]] == [(5, "deferred"), (2, "guarded")]


def test_why_respects_max_and_exits_1_when_there_is_no_chain(project):
    root = project(SHOP)

    limited = run_cli("why", "shop.api", "shop.db", root, "--max", "1", "--format", "json")
    none = run_cli("why", "shop.db", "shop.api", root)
    text = run_cli("why", "shop.api.views", "shop.db.models", root)

    assert len(limited.json["chains"]) == 1
    assert none.exit_code == 1
    assert none.stdout == "shop.db does not import shop.api, directly or indirectly\n"
    assert text.stdout.splitlines()[:3] == [
        "shop.api.views reaches shop.db.models through 2 chains (shortest first):",
        "chain 1 (2 imports):",
        "  shop/api/views.py:5: shop.api.views -> shop.services.billing [deferred] from shop.services import billing",
    ]


def test_why_rejects_unknown_and_nested_modules(project):
    root = project(SHOP)

    assert run_cli("why", "shop.nope", "shop.db", root).exit_code == 2
    nested = run_cli("why", "shop.db", "shop.db.models", root)
    assert nested.exit_code == 2
    assert "contain one another" in nested.stderr


def test_can_import_runs_the_import_linter_contracts_on_a_copy_of_the_graph(project):
    root = project(SHOP)

    upward = run_cli("can-import", "shop.db.session", "shop.api.views", root, "--format", "json")
    forbidden = run_cli("can-import", "shop.api.admin", "shop.services.billing", root, "--format", "json")
    fine = run_cli("can-import", "shop.api.views", "shop.db.session", root, "--format", "json")

    assert upward.exit_code == 1
    assert upward.json["allowed"] is False
    assert {
        "contract": "import-linter contract 'API above services above the database'",
        "reason": "shop.db is not allowed to import shop.api",
        "instead": None,
    } in upward.json["objections"]
    assert [o["contract"] for o in forbidden.json["objections"]] == [
        "import-linter contract 'Admin stays away from billing'"
    ]
    assert fine.exit_code == 0
    assert fine.json == {"allowed": True, "objections": [], "notes": []}


def test_can_import_objects_to_legacy_packages_and_notes_non_canonical_homes(project):
    root = project(SHOP)

    legacy = run_cli("can-import", "shop.services.orders", "shop.legacy", root, "--format", "json")

    # As check says of ``import shop.legacy``: shop.db is its namesake, and has no Order.
    assert legacy.json["objections"] == [
        {
            "contract": "legacy shop.legacy",
            "reason": "shop.legacy is part of the legacy package shop.legacy, kept only for old imports. shop.db "
            "stands in for shop.legacy by name only: check that what this file uses of it exists there "
            "(importcanon fix does)",
            "instead": "shop.db",
        },
    ]
    assert legacy.json["notes"] == [
        {
            "contract": "canonical Order",
            "reason": "shop.legacy also offers shop.db.models.Order, whose canonical home is shop.db.models; "
            "for Order itself, from shop.db.models import Order",
            "instead": "shop.db.models",
        },
    ]


def test_can_import_names_the_import_time_cycle_a_new_import_would_close(project):
    root = project(SHOP)

    run = run_cli("can-import", "shop.db.models", "shop.services.orders", root, "--format", "json")
    deferred = run_cli("can-import", "shop.db.session", "shop.services.billing", root, "--format", "json")

    assert {
        "contract": "cycles",
        "reason": "it would close a new import-time import cycle: "
        "shop.db.models -> shop.services.orders -> shop.db.models",
        "instead": None,
    } in run.json["objections"]
    # billing imports models inside a module-level try/except ImportError: that still runs at import time.
    assert any(
        o["reason"] == "it would close a new import-time import cycle: shop.db.session -> shop.services.billing "
        "-> shop.db.models -> shop.db.session"
        for o in deferred.json["objections"]
    )


# loop.a imports loop.b only for type checkers; loop.c reaches loop.a only through tools, which the
# [cycles] contract leaves out.
LOOP = {
    "loop/__init__.py": "",
    "loop/a.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from loop import b\n",
    "loop/b.py": "def late():\n    from loop import a\n\n    return a\n",
    "loop/c.py": "import tools.hook\n",
    "tools/__init__.py": "",
    "tools/hook.py": "def late():\n    from loop import a\n\n    return a\n",
    "contracts/importcanon.toml": '[settings]\nroot_packages = ["loop", "tools"]\n\n[cycles]\npackages = ["loop"]\n',
}


def test_can_import_counts_a_module_level_import_of_what_was_imported_only_for_type_checkers(project):
    run = run_cli("can-import", "loop.a", "loop.b", project(LOOP), "--format", "json")

    assert run.json["objections"] == [
        {
            "contract": "cycles",
            "reason": "it would close a new deferred import cycle: loop.a -> loop.b -> loop.a",
            "instead": None,
        }
    ]


def test_can_import_ignores_a_cycle_through_modules_outside_the_cycles_contract(project):
    root = project(LOOP)

    run = run_cli("can-import", "loop.a", "loop.c", root)
    checked = run_cli("check", root, "--no-cache", "--no-baseline", "--format", "json")

    assert run.exit_code == 0, run.stdout
    assert checked.findings("import-cycle") == []  # as check: the way back runs through tools


def test_can_import_accepts_a_module_that_does_not_exist_yet(project):
    run = run_cli("can-import", "shop.api.reports", "shop.services.orders", project(SHOP))

    assert run.exit_code == 0
    assert run.stdout == "yes: shop.api.reports may import shop.services.orders; no contract objects\n"


@pytest.mark.parametrize(
    ("importer", "imported", "message"),
    [
        ("shop.api.views", "shop.nope", "shop.nope does not exist in the project"),
        ("elsewhere.x", "shop.db", "elsewhere.x is not (and cannot become) a module"),
        ("shop.db", "shop.db", "a module does not import itself"),
    ],
)
def test_can_import_rejects_impossible_questions(project, importer, imported, message):
    run = run_cli("can-import", importer, imported, project(SHOP))

    assert run.exit_code == 2
    assert message in run.stderr


def test_explain_tells_layer_contracts_homes_legacy_cycles_and_fan_in_out(project):
    root = project(SHOP)

    models = run_cli("explain", "shop.db.models", root, "--format", "json").json
    legacy = run_cli("explain", "shop.legacy", root, "--format", "json").json

    assert models["layers"] == [
        {
            "contract": "API above services above the database",
            "layer": "shop.db",
            "may_import": [],
            "may_not_import": ["shop.api", "shop.services"],
        }
    ]
    assert models["contracts"] == [
        "import-linter contract 'API above services above the database' (layers)",
        "[[canonical]] Order lives here",
        "[[legacy]] shop.legacy: this module is part of its replacement",
        "[cycles] no import cycles may run through this module",
    ]
    assert models["canonical_for"] == ["Order"]
    assert models["cycles"] == [{"cycle": ["shop.db.models", "shop.db.session"], "kind": "import-time"}]
    assert models["imported_by"] == [
        "shop.api.admin",
        "shop.db.session",
        "shop.legacy",
        "shop.services.billing",
        "shop.services.orders",
    ]
    assert models["imports"] == ["shop.db.session"]
    assert legacy["legacy"] == "shop.legacy"
    assert legacy["shim_of"] == ["Order from shop.db.models"]
    assert legacy["layers"] == []


def test_explain_in_text_reads_as_a_summary(project):
    run = run_cli("explain", "shop.api.admin", project(SHOP))

    assert run.exit_code == 0
    assert run.stdout.splitlines() == [
        "shop.api.admin (shop/api/admin.py)",
        "layer shop.api in contract 'API above services above the database'",
        "  may import:     shop.services, shop.db",
        "  may not import: (nothing above)",
        "contracts that mention it:",
        "  import-linter contract 'API above services above the database' (layers)",
        "  import-linter contract 'Admin stays away from billing' (forbidden)",
        "  [cycles] no import cycles may run through this module",
        "import cycles: none through it",
        "imported by 0 modules",
        "imports 1 module: shop.db.models",
    ]


#: One contracted name, Hub, and every way a module may bind it: for its own use (a package
#: that says nothing of its interface, one whose ``__all__`` leaves it out), as a different
#: object under the same name, and as a second home of the very object (a shim, an ``__all__``).
HUB = {
    "app/__init__.py": "",
    "app/core.py": "class Hub:\n    pass\n",
    "app/sensor/__init__.py": (
        "from app.core import Hub\n\n__all__ = ['Entity']\n\n\nclass Entity:\n    def setup(self, hub: Hub) -> None:\n"
        "        pass\n"
    ),
    "app/light/__init__.py": "from app.core import Hub\n\n\ndef setup(hub: Hub) -> None:\n    pass\n",
    # homeassistant's components: a literal __all__, then one computed at run time
    "app/switch/__init__.py": (
        "from app.core import Hub\n\n__all__ = ['Switch']\n\n\nclass Switch:\n    hub: Hub\n\n\n"
        "__all__ = sorted(__all__)\n"
    ),
    "app/demo.py": (
        "from app.sensor import Entity\nfrom app.light import setup\nfrom app.switch import Switch\n\n\n"
        "class DemoSensor(Entity, Switch):\n    setup = setup\n"
    ),
    "app/gate.py": "class PhaseGate:\n    pass\n\n\nHub = PhaseGate\n",
    "app/compat.py": "from app.core import Hub\n",
    "app/api/__init__.py": "from app.core import Hub\n\n__all__ = ['Hub', 'serve']\n\n\ndef serve():\n    pass\n",
    "contracts/importcanon.toml": '[[canonical]]\nsymbol = "Hub"\nmodule = "app.core"\n',
}


@pytest.mark.parametrize("imported", ["app.sensor", "app.light", "app.switch", "app.gate"])
def test_can_import_never_refuses_a_module_for_a_name_it_binds_for_itself_or_to_another_object(project, imported):
    """homeassistant.components.sensor imports HomeAssistant for its annotations; sympy's gate
    binds S to a gate of its own: importing either module is no import of the canonical object,
    and check accepts demo's existing import of it."""
    root = project(HUB)

    run = run_cli("can-import", "app.demo", imported, root, "--format", "json")
    check = run_cli("check", root, "--no-cache", "--no-baseline", "--format", "json")

    assert run.exit_code == 0
    assert run.json == {"allowed": True, "objections": [], "notes": []}
    assert [f for f in check.findings() if f["path"] == "app/demo.py"] == []


@pytest.mark.parametrize("imported", ["app.compat", "app.api"])
def test_can_import_notes_a_second_home_of_the_canonical_object_without_refusing(project, imported):
    """A shim, or a module whose __all__ offers the very object, is a second import path: worth a
    caution (check flags ``from it import Hub``), not a refusal (check accepts ``import it``)."""
    root = project(HUB)

    run = run_cli("can-import", "app.demo", imported, root, "--format", "json")
    text = run_cli("can-import", "app.demo", imported, root)

    assert run.exit_code == 0
    assert run.json == {
        "allowed": True,
        "objections": [],
        "notes": [
            {
                "contract": "canonical Hub",
                "reason": f"{imported} also offers app.core.Hub, whose canonical home is app.core; "
                "for Hub itself, from app.core import Hub",
                "instead": "app.core",
            }
        ],
    }
    assert text.exit_code == 0
    assert text.stdout.splitlines() == [
        f"yes: app.demo may import {imported}; no contract objects",
        f"  note, canonical Hub: {imported} also offers app.core.Hub, whose canonical home is app.core; "
        "for Hub itself, from app.core import Hub",
    ]


def test_where_and_the_fragmentation_count_homes_not_modules_that_import_the_name_for_their_own_use(project):
    root = project(HUB)

    where = run_cli("where", "Hub", root, "--format", "json")
    check = run_cli("check", root, "--no-cache", "--no-baseline", "--format", "json")
    text = run_cli("check", root, "--no-cache", "--no-baseline")

    assert [(b["module"], b["kind"]) for b in where.json["bindings"]] == [
        ("app.api", "re-export"),
        ("app.compat", "re-export"),
        ("app.core", "definition"),
        ("app.gate", "alias"),
    ]
    symbols = check.json["metrics"]["fragmentation"]["symbols"]
    assert symbols["Hub"]["binding_modules"] == ["app.api", "app.compat", "app.core", "app.gate"]
    assert "  Hub: offered by 4 modules, 2 implementations, imported from 1 module (canonical: app.core)" in (
        text.stdout.splitlines()
    )


#: sympy.core's start-up: the break set's representative cycle (basic -> singleton -> basic)
#: leaves out the longer cycle singleton -> sympify -> basic -> singleton that check reports.
TANGLE = {
    "core/__init__.py": "",
    "core/singleton.py": "from core import sympify\nfrom core import basic\n",
    "core/sympify.py": "from core import basic\n",
    "core/basic.py": "from core import singleton\n",
    "core/numbers.py": "from core import basic\n",
    "contracts/importcanon.toml": "[cycles]\n",
}


def test_explain_counts_every_import_cycle_check_reports_through_the_module(project):
    root = project(TANGLE)

    sympify = run_cli("explain", "core.sympify", root, "--format", "json").json
    check = run_cli("check", root, "--no-cache", "--no-baseline", "--format", "json")

    cyclic = check.findings("import-cycle")
    # the break set's one import (basic -> singleton) has the shortest cycle, and sympify is not on it
    assert sympify["cycles"] == []
    assert (sympify["component"], sympify["component_size"]) == ("core.basic", 3)
    assert sympify["cyclic_imports"] == [  # its own imports first
        {
            "importer": "core.sympify",
            "imported": "core.basic",
            "kind": "import-time",
            "cycle": ["core.sympify", "core.basic", "core.singleton"],
        },
        {
            "importer": "core.singleton",
            "imported": "core.sympify",
            "kind": "import-time",
            "cycle": ["core.singleton", "core.sympify", "core.basic"],
        },
    ]
    assert sorted(
        (f["importer"], f["imported"], f["kind"], f["cycle"]) for f in cyclic if "core.sympify" in f["cycle"]
    ) == sorted((i["importer"], i["imported"], i["kind"], i["cycle"]) for i in sympify["cyclic_imports"])
    through = [f for f in cyclic if "core.sympify" in f["cycle"]]
    assert sympify["findings_through"] == len(through) == 2
    assert sympify["component_findings"] == len(cyclic) == 4


def test_explain_in_text_states_the_component_and_labels_the_cycles_representative(project):
    root = project(TANGLE)

    singleton = run_cli("explain", "core.singleton", root).stdout.splitlines()
    numbers = run_cli("explain", "core.numbers", root).stdout.splitlines()

    start = singleton.index("import cycles: in the tangled component core.basic (3 modules)")
    assert singleton[start + 1 : start + 8] == [
        "  the cycles of 4 of the component's 4 import-cycle findings pass through it; 3 imports of it or by it "
        "lie on cycles (3 import-time), each on its shortest:",
        "    (import-time) core.singleton -> core.basic -> core.singleton",
        "    (import-time) core.singleton -> core.sympify -> core.basic -> core.singleton",
        "    (import-time) core.basic -> core.singleton -> core.basic",
        "  representative cycles (the shortest through each import of the component's break set): 1",
        "    (import-time) core.basic -> core.singleton -> core.basic",
        "imported by 1 module: core.basic",
    ]
    assert "import cycles: none through it" in numbers
