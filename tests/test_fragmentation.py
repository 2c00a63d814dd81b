"""Fragmentation: canonical homes, legacy shims, divergent aliases, deprecated names, where."""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES

import pytest
from conftest import run_cli

#: A name defined once, aliased to a different class in a second module, re-exported by a
#: package __init__, by a shim package and by a bridge module.
WHERE = {
    "pkg/__init__.py": "",
    "pkg/core/__init__.py": '"""Facade."""\nfrom pkg.core.session import Manager\n',
    "pkg/core/session.py": "class Manager:\n    pass\n",
    "pkg/core/other.py": "class Other:\n    pass\n\n\nManager = Other\n",
    "pkg/legacy/__init__.py": "from pkg.core.session import Manager\n\n__all__ = ['Manager']\n",
    "pkg/bridge.py": "from pkg.core import Manager\n\n\ndef build():\n    return Manager()\n",
    "pkg/consumer.py": "from pkg.bridge import Manager\n\n\ndef use():\n    return Manager()\n",
    "pkg/plain_user.py": "from pkg.core.session import Manager\n\nINSTANCE = Manager()\n",
}


def test_where_lists_every_binding_with_what_it_resolves_to(project):
    root = project(WHERE)

    run = run_cli("where", "Manager", root, "--format", "json")

    assert run.exit_code == 0
    assert run.json == {
        "symbol": "Manager",
        "canonical": None,
        "bindings": [
            {
                "module": "pkg.bridge",
                "path": "pkg/bridge.py",
                "line": 1,
                "kind": "re-export",
                "resolves_to": "pkg.core.session.Manager",
                "broken": None,
                "stand_in": False,
            },
            {
                "module": "pkg.core",
                "path": "pkg/core/__init__.py",
                "line": 2,
                "kind": "re-export",
                "resolves_to": "pkg.core.session.Manager",
                "broken": None,
                "stand_in": False,
            },
            {
                "module": "pkg.core.other",
                "path": "pkg/core/other.py",
                "line": 5,
                "kind": "alias",
                "resolves_to": "pkg.core.other.Other",
                "broken": None,
                "stand_in": False,
            },
            {
                "module": "pkg.core.session",
                "path": "pkg/core/session.py",
                "line": 1,
                "kind": "definition",
                "resolves_to": "pkg.core.session.Manager",
                "broken": None,
                "stand_in": False,
            },
            {
                "module": "pkg.legacy",
                "path": "pkg/legacy/__init__.py",
                "line": 1,
                "kind": "re-export",
                "resolves_to": "pkg.core.session.Manager",
                "broken": None,
                "stand_in": False,
            },
        ],
        "implementations": 2,
        "import_paths": ["pkg.bridge", "pkg.core", "pkg.core.session"],
    }


def test_where_names_the_canonical_home_and_the_statement_to_use(project):
    files = dict(WHERE)
    files["contracts/c.toml"] = '[[canonical]]\nsymbol = "Manager"\nmodule = "pkg.core.session"\n'
    root = project(files)

    text = run_cli("where", "Manager", root).stdout
    document = run_cli("where", "Manager", root, "--format", "json").json

    assert document["canonical"] == {"module": "pkg.core.session", "import": "from pkg.core.session import Manager"}
    assert text.splitlines()[:2] == [
        "Manager: canonical home pkg.core.session",
        "  import it as: from pkg.core.session import Manager",
    ]
    assert "pkg/core/other.py:5" in text and "alias" in text
    assert text.splitlines()[-1] == "2 implementations in 5 modules"


def test_where_exits_1_for_a_name_bound_nowhere(project):
    root = project(WHERE)

    run = run_cli("where", "Nothing", root)

    assert run.exit_code == 1
    assert "0 implementations" in run.stdout


FRAGMENTED = {
    "app/__init__.py": "",
    "app/core/__init__.py": "from app.core.session import Manager\n",
    "app/core/session.py": '"""Home."""\n\n\nclass Manager:\n    pass\n',
    "app/core/broadcast.py": "class Broadcast:\n    pass\n\n\nManager = Broadcast\n",
    "app/core/unified.py": "import os\n\n\nclass Manager:\n    root = os.sep\n",
    "app/core/factory.py": ("from app.core.session import Manager\n\n\ndef make_manager():\n    return Manager()\n"),
    "app/old/__init__.py": '"""Legacy."""\nfrom app.core.session import Manager\n',
    "app/old/compat.py": (
        "import warnings\n"
        "from app.core.broadcast import Broadcast as Manager\n"
        "from app.core.factory import make_manager as build\n"
        "warnings.warn('moved', DeprecationWarning)\n"
    ),
    "app/old/own.py": "class Info:\n    pass\n",
    "app/old/inner.py": "from app.old import compat\n\n\ndef f():\n    return compat\n",
    "app/api.py": (
        "from app.old import Manager\n"
        "from app.old.compat import Manager as Connection, build\n"
        "from app.core import Manager as Facade\n"
        "import app.old.own as own_module\n"
        "from app.old import own\n"
        "\n"
        "\n"
        "def endpoint():\n"
        "    from app.core.factory import make_manager\n"
        "\n"
        "    first = make_manager()\n"
        "    second = build()\n"
        "    return first, second, Manager, Connection, Facade, own_module, own\n"
        "\n"
        "\n"
        "def other():\n"
        "    import app.core.factory as factories\n"
        "\n"
        "    return factories.make_manager()\n"
    ),
    "contracts/importcanon.toml": """
        [[canonical]]
        symbol = "Manager"
        module = "app.core.session"

        [[legacy]]
        package = "app.old"
        replacement = "app.core"

        [[deprecated]]
        name = "app.core.factory.make_manager"
        replacement = "app.core.session.Manager"
    """,
}


@pytest.fixture
def fragmented(project):
    run = run_cli("check", project(FRAGMENTED), "--format", "json")
    assert run.exit_code == 1
    return run


def located(run, rule):
    return [(f["path"], f["line"]) for f in run.findings(rule)]


def test_legacy_imports_are_found_at_each_statement_with_the_resolved_replacement(fragmented):
    findings = fragmented.findings("legacy-import")

    assert located(fragmented, "legacy-import") == [
        ("app/api.py", 1),
        ("app/api.py", 2),
        ("app/api.py", 4),
        ("app/api.py", 5),
    ]
    instead = {f["line"]: f["instead"] for f in findings}
    assert instead[1] == ["from app.core.session import Manager"]
    # Resolved through the shim: Manager there is Broadcast, build is the deprecated factory.
    assert instead[2] == [
        "from app.core.broadcast import Broadcast as Connection",
        "from app.core.factory import make_manager as build",
    ]
    # A module of the legacy package with no counterpart in the replacement: say so.
    assert instead[4] == instead[5] == ["Move app.old.own into app.core first: it has no counterpart there yet."]
    assert findings[0]["suggestion"] == "Write instead: from app.core.session import Manager"
    assert all(f["kind"] == "module" for f in findings)
    assert "inside the legacy package app.old (module-level import)" in findings[0]["message"]


def test_imports_inside_the_legacy_package_itself_are_not_legacy_imports(fragmented):
    assert "app/old/inner.py" not in {path for path, _ in located(fragmented, "legacy-import")}


def test_non_canonical_imports_name_the_home_and_skip_legacy_ones(fragmented):
    (finding,) = fragmented.findings("non-canonical-import")

    assert (finding["path"], finding["line"]) == ("app/api.py", 3)
    assert finding["suggestion"] == "Import it from its home: from app.core.session import Manager as Facade"
    assert finding["imported_from"] == "app.core"


def test_a_non_canonical_import_of_a_different_object_warns_that_rewriting_changes_behaviour(project):
    files = dict(FRAGMENTED)
    files["app/user.py"] = "from app.core.broadcast import Manager\n\nX = Manager\n"
    run = run_cli("check", project(files), "--format", "json")

    finding = next(f for f in run.findings("non-canonical-import") if f["path"] == "app/user.py")

    assert finding["line"] == 1
    assert finding["resolves_to"] == "app.core.broadcast.Broadcast"
    assert "changes behaviour" in finding["message"]


def test_bindings_of_the_name_to_other_objects_are_divergent_aliases(fragmented):
    findings = fragmented.findings("alias-divergence")

    assert located(fragmented, "alias-divergence") == [("app/core/broadcast.py", 5), ("app/old/compat.py", 2)]
    assert all(f["resolves_to"] == "app.core.broadcast.Broadcast" for f in findings)
    assert "(Manager = Broadcast)" in findings[0]["message"]


def test_a_second_class_of_the_name_is_a_duplicate_definition(fragmented):
    assert located(fragmented, "duplicate-definition") == [("app/core/unified.py", 4)]


def test_deprecated_names_are_found_through_aliases_re_exports_and_module_attributes(fragmented):
    usages = {(f["line"], f["usage"]) for f in fragmented.findings("deprecated-usage") if f["path"] == "app/api.py"}
    compat = {
        (f["line"], f["usage"]) for f in fragmented.findings("deprecated-usage") if f["path"] == "app/old/compat.py"
    }

    assert usages == {(2, "import"), (9, "import"), (11, "call"), (12, "call"), (19, "call")}
    assert compat == {(3, "import")}
    call = next(f for f in fragmented.findings("deprecated-usage") if f["line"] == 19)
    assert "as factories.make_manager" in call["message"]
    assert call["suggestion"] == "Call Manager (from app.core.session import Manager) instead"


def test_shim_modules_are_found_without_any_contract(fragmented):
    findings = fragmented.findings("shim-module")

    assert located(fragmented, "shim-module") == [("app/old/__init__.py", 2), ("app/old/compat.py", 2)]
    assert findings[1]["reexports"] == [
        {"name": "Manager", "source": "app.core.broadcast", "resolves_to": "app.core.broadcast.Broadcast"},
        {"name": "build", "source": "app.core.factory", "resolves_to": "app.core.factory.make_manager"},
    ]
    assert findings[1]["importers"] == ["app.api", "app.old.inner"]


def test_the_metrics_count_what_the_seeds_counted_by_hand(fragmented):
    metrics = fragmented.json["metrics"]["fragmentation"]

    assert metrics["symbols"]["Manager"] == {
        "canonical": "app.core.session",
        "binding_modules": [
            "app.core",
            "app.core.broadcast",
            "app.core.session",
            "app.core.unified",
            "app.old",
            "app.old.compat",
        ],
        "implementations": 3,
        "import_paths": ["app.core", "app.core.session", "app.old", "app.old.compat"],
    }
    assert (metrics["shims"], metrics["legacy_imports"], metrics["non_canonical_imports"]) == (2, 4, 1)
    assert metrics["deprecated_usages"] == 6


def test_missing_canonical_homes_are_findings_at_the_contract(project):
    files = dict(FRAGMENTED)
    files["contracts/importcanon.toml"] = """
        [[canonical]]
        symbol = "Manager"
        module = "app.core.gone"

        [[canonical]]
        symbol = "Broadcaster"
        module = "app.core.broadcast"
    """
    run = run_cli("check", project(files), "--format", "json")

    findings = run.findings("missing-canonical")

    assert [(f["path"], f["line"]) for f in findings] == [
        ("contracts/importcanon.toml", 1),
        ("contracts/importcanon.toml", 5),
    ]
    assert "app.core.gone does not exist" in findings[0]["message"]
    assert "app.core.broadcast does not define or bind Broadcaster" in findings[1]["message"]


@pytest.mark.parametrize(
    ("contracts", "expected"),
    [
        (
            '[[canonical]]\nsymbol = "Manager"\n',
            "contracts/c.toml:1: [[canonical]] is missing the required key 'module'",
        ),
        (
            '[[legacy]]\npackage = "app.old"\nreplacement = "app core"\n',
            "contracts/c.toml:3: [[legacy]] replacement must be a dotted Python name",
        ),
        (
            '[canonical]\nsymbol = "M"\nmodule = "m"\n',
            "contracts/c.toml:1: 'canonical' must be written as [[canonical]]",
        ),
        ('[[deprecated]]\nname = "a.b"\nreason = "x"\n', "contracts/c.toml:3: unknown key 'reason' in [[deprecated]]"),
        (
            '[[canonical]]\nsymbol = "M"\nmodule = "a"\n\n[[canonical]]\nsymbol = "M"\nmodule = "b"\n',
            "contracts/c.toml:5: [[canonical]] M is already declared at contracts/c.toml:1",
        ),
    ],
)
def test_malformed_fragmentation_contracts_exit_2(project, contracts, expected):
    root = project({"app/__init__.py": "", "contracts/c.toml": contracts})

    run = run_cli("check", root)

    assert run.exit_code == 2
    assert run.stderr.startswith(f"importcanon: error: {expected}")


def test_the_canonical_definition_is_no_duplicate_even_behind_a_facade_or_overloads(project):
    overloads = (
        "from typing import overload\n\n\n@overload\ndef make(x: int) -> int: ...\n"
        "@overload\ndef make(x: str) -> str: ...\ndef make(x):\n    return x\n"
    )
    root = project(
        {
            "app/__init__.py": "from app.impl import make\n\n__all__ = ['make']\n",
            "app/impl.py": overloads,
            "app/other.py": overloads,
            "contracts/c.toml": '[[canonical]]\nsymbol = "make"\nmodule = "app"\n',
        }
    )

    run = run_cli("check", root, "--format", "json")

    assert [(f["path"], f["line"]) for f in run.findings("duplicate-definition")] == [("app/other.py", 5)]


def test_a_run_time_stand_in_for_a_name_imported_for_type_checkers_is_no_divergent_alias(project):
    """``if TYPE_CHECKING: from home import Name`` then ``else: Name = object`` (celery's
    contrib.pytest): the module only uses the name in annotations; at run time it stands for
    nothing. Bound so without the TYPE_CHECKING import, or to a real object, it still diverges."""
    typed = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.home import Thing\n"
    root = project(
        {
            "app/__init__.py": "",
            "app/home.py": "class Thing:\n    pass\n",
            "app/typed.py": typed + "else:\n    Thing = Other = object\n",
            "app/any.py": typed + "else:\n    from typing import Any as Thing\n",
            "app/real.py": typed + "else:\n    Thing = dict\n",  # 6: a real object at run time
            "app/plain.py": "Thing = object\n",  # 1: no import for type checkers
            "contracts/c.toml": '[[canonical]]\nsymbol = "Thing"\nmodule = "app.home"\n',
        }
    )

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert [(f["path"], f["line"]) for f in run.findings("alias-divergence")] == [
        ("app/plain.py", 1),
        ("app/real.py", 6),
    ]


def test_a_home_that_binds_a_name_apart_for_type_checkers_has_its_run_time_binding(project):
    """scikit-learn's externals/array_api_compat/common/_typing.py: ``if TYPE_CHECKING:`` binds
    ``Array: TypeAlias = Incomplete``, ``else: Array = object``. Python runs the ``else``: the
    canonical ``Array`` is ``object``, so ``Array = object`` elsewhere is the same object (it was
    reported as an alias-divergence from ``Incomplete``), and ``Array = dict`` still diverges."""
    home = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.stubs import Incomplete\n\n"
        "    Array = Incomplete\nelse:\n    Array = object\n"
    )
    root = project(
        {
            "app/__init__.py": "",
            "app/stubs.py": "class Incomplete:\n    pass\n",
            "app/home.py": home,
            "app/same.py": "Array = object\n",
            "app/other.py": "Array = dict\n",
            "contracts/c.toml": '[[canonical]]\nsymbol = "Array"\nmodule = "app.home"\n',
        }
    )

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert [(f["path"], f["line"]) for f in run.findings("alias-divergence")] == [("app/other.py", 1)]


def test_a_type_variable_standing_in_for_a_name_imported_for_type_checkers_is_no_divergent_alias(project):
    """pandas/core/methods/selectn.py: ``if TYPE_CHECKING: from pandas import DataFrame`` then
    ``else: from pandas._typing import T`` and ``DataFrame = T``, a ``TypeVar`` "to avoid
    circular imports" (its comment): reported as an alias-divergence of DataFrame to
    pandas._typing.T. Bound to another value, or without the import for type checkers, it
    still diverges."""
    typed = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.home import Thing\n"
    root = project(
        {
            "app/__init__.py": "",
            "app/home.py": "class Thing:\n    pass\n",
            "app/types_.py": (
                "import typing as t\nfrom typing import TypeVar\n\nT = TypeVar('T')\nU = t.TypeVar('U')\nV = int\n"
            ),
            "app/plain_var.py": typed + "else:\n    from app.types_ import T\n\n    Thing = T\n",
            "app/dotted_var.py": typed + "else:\n    from app.types_ import U as Thing\n",
            "app/not_a_var.py": typed + "else:\n    from app.types_ import V\n\n    Thing = V\n",  # 8
            "app/untyped.py": "from app.types_ import T\n\nThing = T\n",  # 3
            "contracts/c.toml": '[[canonical]]\nsymbol = "Thing"\nmodule = "app.home"\n',
        }
    )

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert [(f["path"], f["line"]) for f in run.findings("alias-divergence")] == [
        ("app/not_a_var.py", 8),
        ("app/untyped.py", 3),
    ]


def test_a_qualified_name_is_resolved_then_its_name_looked_up(project):
    run = run_cli("where", "pkg.bridge.Manager", project(WHERE), "--format", "json")

    assert run.exit_code == 0
    assert run.json["asked"] == "pkg.bridge.Manager"
    assert run.json["asked_resolves_to"] == "pkg.core.session.Manager"
    assert run.json["implementations"] == 2


def test_a_suggested_canonical_import_never_makes_a_circular_import(project):
    root = project(
        {
            "lib/__init__.py": "from lib.core.things import Thing\nfrom lib import expression\n",
            "lib/core/__init__.py": "from lib.core.things import Thing\n",
            "lib/core/things.py": "class Thing:\n    pass\n",
            "lib/expression.py": "from lib.core import Thing\n\n\ndef build():\n    return Thing()\n",
            "lib/later.py": "def use():\n    from lib.core.things import Thing\n    return Thing\n",
            "contracts/c.toml": '[[canonical]]\nsymbol = "Thing"\nmodule = "lib"\n',
        }
    )

    findings = {
        f["path"]: f["suggestion"] for f in run_cli("check", root, "--format", "json").findings("non-canonical-import")
    }

    # lib imports lib.expression while it starts up: "from lib import Thing" there would be circular.
    assert findings["lib/expression.py"].startswith(
        "Import it from the module that defines it: from lib.core.things import Thing"
    )
    assert "imports lib.expression while it starts up" in findings["lib/expression.py"]
    # A function-local import runs after start-up: the home is fine there.
    assert findings["lib/later.py"] == "Import it from its home: from lib import Thing"


def test_a_module_the_home_loads_at_start_up_may_import_from_the_defining_module(project):
    """scikit-learn: sklearn/utils/__init__.py (the home of Bunch) imports
    sklearn.utils._metadata_requests, which imports Bunch from sklearn.utils._bunch, where it is
    defined; numpy: numpy.lib.array_utils gets normalize_axis_tuple through _array_utils_impl,
    which imports it from numpy._core.numeric. Importing from the home there is circular, and the
    advice was the very statement each module already has: no finding. A module the home loads
    that imports through another module, or one the home does not load, still gets one."""
    root = project(
        {
            "lib/__init__.py": "",
            "lib/api.py": "from lib._impl import Thing\nfrom lib import requests, through\n",
            "lib/_impl.py": "from lib.things import Thing as Thing\n",
            "lib/things.py": "class Thing:\n    pass\n",
            "lib/requests.py": "from lib.things import Thing\n",
            "lib/through.py": "from lib._impl import Thing\n",
            "lib/user.py": "from lib.things import Thing\n",
            "contracts/c.toml": '[[canonical]]\nsymbol = "Thing"\nmodule = "lib.api"\n',
        }
    )

    findings = run_cli("check", root, "--format", "json", "--no-cache").findings("non-canonical-import")

    assert [(f["path"], f["line"], f["suggestion"].split(" (")[0]) for f in findings] == [
        ("lib/through.py", 1, "Import it from the module that defines it: from lib.things import Thing"),
        ("lib/user.py", 1, "Import it from its home: from lib.api import Thing"),
    ]


def test_a_legacy_package_moving_up_into_its_parent_gets_an_exact_replacement(project):
    root = project(
        {
            "lib/__init__.py": "",
            "lib/future/__init__.py": "from lib.engine import Engine\n",
            "lib/engine.py": "class Engine:\n    pass\n",
            "lib/orm.py": "from lib import future, engine\n\n\ndef f():\n    return future.Engine, engine\n",
            "contracts/c.toml": '[[legacy]]\npackage = "lib.future"\nreplacement = "lib"\n',
        }
    )

    (finding,) = run_cli("check", root, "--format", "json").findings("legacy-import")

    assert finding["message"].startswith("imports future from lib, inside the legacy package lib.future")
    assert finding["instead"] == ["import lib as future"]


#: attrs' layout: the new package still gets its code from the legacy one (``attrs/__init__.py``:
#: ``from attr import define``; ``attrs/converters.py``: ``from attr.converters import *``), and a
#: wrapper that is the replacement of the package it wraps (scikit-learn's utils/_array_api.py:
#: ``from sklearn.externals import array_api_compat``).
REPLACEMENT_FROM_LEGACY = {
    "old/__init__.py": "from old._make import Thing\nfrom old import converters\n",
    "old/_make.py": "class Thing:\n    pass\n",
    "old/converters.py": "def convert():\n    pass\n",
    "new/__init__.py": "from old import Thing\nfrom new import converters\n",
    "new/converters.py": "from old.converters import *\n",
    "wrap/__init__.py": "",
    "wrap/vendored/__init__.py": "def api():\n    pass\n",
    "wrap/api.py": "from wrap import vendored\n\n\ndef api():\n    return vendored.api()\n",
    "app/__init__.py": "",
    "app/user.py": "from old import Thing\nfrom old.converters import convert\n",
    "contracts/c.toml": """
        [settings]
        root_packages = ["old", "new", "wrap", "app"]

        [[legacy]]
        package = "old"
        replacement = "new"

        [[legacy]]
        package = "wrap.vendored"
        replacement = "wrap.api"

        [[canonical]]
        symbol = "Thing"
        module = "new"
    """,
}


def test_a_legacy_import_in_the_replacement_itself_is_never_told_to_import_from_itself(project):
    """``from new import Thing`` inside new/__init__.py imports the half-initialised package
    itself (ImportError); ``importcanon fix`` wrote exactly that into attrs/__init__.py. The
    replacement is told to take the code in instead, and fix leaves it."""
    root = project(REPLACEMENT_FROM_LEGACY)

    findings = {f["path"]: f for f in run_cli("check", root, "--format", "json").findings("legacy-import")}

    assert findings["new/__init__.py"]["instead"] == [
        "Move old.Thing into new itself: it is the replacement, and a module cannot import from itself."
    ]
    assert findings["new/__init__.py"]["rewrites"] == []
    assert findings["new/converters.py"]["instead"] == [
        "Move old.converters into new.converters itself: it is the replacement, and a module cannot import from itself."
    ]
    assert findings["wrap/api.py"]["instead"] == [
        "Move wrap.vendored into wrap.api itself: it is the replacement, and a module cannot import from itself."
    ]

    run_cli("fix", root, "--no-cache")

    assert (root / "new/__init__.py").read_text() == "from old import Thing\nfrom new import converters\n"
    assert (root / "app/user.py").read_text().startswith("from new import Thing\n")


def test_a_legacy_object_the_replacement_already_passes_on_is_imported_from_there(project):
    """attrs re-exports attr's objects (``from attr import Attribute``) before any code moves:
    ``from attr import Attribute`` elsewhere becomes ``from attrs import Attribute``, the same
    object, not 'Move attr._make.Attribute into attrs first: it has no counterpart there yet'.
    An object the replacement does not pass on still has to move first."""
    files = dict(REPLACEMENT_FROM_LEGACY)
    files["old/_make.py"] += "\n\nclass Lonely:\n    pass\n"
    files["app/user.py"] = "from old.converters import convert\nfrom old._make import Lonely, Thing\n"
    root = project(files)

    findings = {
        f["line"]: f
        for f in run_cli("check", root, "--format", "json").findings("legacy-import")
        if f["path"] == "app/user.py"
    }

    assert findings[1]["instead"] == ["from new.converters import convert"]
    assert findings[1]["suggestion"] == "Write instead: from new.converters import convert"
    assert findings[2]["instead"] == [
        "from new import Thing",
        "Move old._make.Lonely into new first: it has no counterpart there yet.",
    ]


def test_the_packages_above_a_canonical_home_are_not_part_of_its_start_up(project):
    """numpy: numpy.lib.array_utils (the home of normalize_axis_tuple) imports numpy._core, and
    numpy._core imports numpy; numpy's __init__ imports numpy.lib, whose __init__ imports
    numpy.lib._shape_base_impl. Python has begun numpy and numpy.lib before the home's body runs,
    so that import runs nothing: ``from numpy.lib.array_utils import normalize_axis_tuple`` at the
    top of _shape_base_impl works from every entry point, and is the advice (it was 'circular:
    import it inside the function that needs it')."""
    root = project(
        {
            "np/__init__.py": "from np import core, lib\n",
            "np/core/__init__.py": "",
            "np/core/numeric.py": "import np\n\n\ndef nat():\n    pass\n",
            "np/lib/__init__.py": "from np.lib import shape_base\n",
            "np/lib/array_utils.py": "from np.core.numeric import nat\n",
            "np/lib/shape_base.py": "from np.core.numeric import nat\n\n\ndef f():\n    return nat()\n",
            "contracts/c.toml": '[[canonical]]\nsymbol = "nat"\nmodule = "np.lib.array_utils"\n',
        }
    )

    (finding,) = run_cli("check", root, "--format", "json", "--no-cache").findings("non-canonical-import")

    assert (finding["path"], finding["line"]) == ("np/lib/shape_base.py", 1)
    assert finding["suggestion"] == "Import it from its home: from np.lib.array_utils import nat"


def test_a_home_that_binds_the_symbol_to_what_no_reading_sees_is_no_missing_home(project):
    """pandas/__init__.py binds Timestamp through pandas.core.api and pandas._libs from the
    compiled pandas._libs.tslibs.timestamps: '[[canonical]] symbol = "Timestamp" module =
    "pandas"' was 'missing-canonical: pandas does not define or bind Timestamp', and nothing else
    of the contract was checked. A lazy package (a module __getattr__) is the same: what it binds
    cannot be told, so it is not missing. The imports from elsewhere are still findings; whether
    they give the same object cannot be told, so none says it differs."""
    root = project(
        {
            "app/__init__.py": "from app._speed import Fast\n",
            f"app/_speed{EXTENSION_SUFFIXES[0]}": "",
            "app/user.py": "from app._speed import Fast\n",
            "app/other.py": "class Fast:\n    pass\n",
            "app/mixed.py": "from app.other import Fast\n",
            "lazy/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
            "lazy/user.py": "from lazy.impl import Slow\n",
            "lazy/impl.py": "class Slow:\n    pass\n",
            "contracts/c.toml": """
                [settings]
                root_packages = ["app", "lazy"]

                [[canonical]]
                symbol = "Fast"
                module = "app"

                [[canonical]]
                symbol = "Slow"
                module = "lazy"
            """,
        }
    )

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert run.findings("missing-canonical") == []
    assert [(f["path"], f["line"], f["message"], f["suggestion"]) for f in run.findings("non-canonical-import")] == [
        (
            "app/mixed.py",
            1,
            "imports Fast from app.other, not from its canonical home app",
            "Import it from its home: from app import Fast",
        ),
        (
            "app/user.py",
            1,
            "imports Fast from app._speed, not from its canonical home app",
            "Import it from its home: from app import Fast",
        ),
        (
            "lazy/user.py",
            1,
            "imports Slow from lazy.impl, not from its canonical home lazy",
            "Import it from its home: from lazy import Slow",
        ),
    ]

    fixed = run_cli("fix", root, "--no-cache")

    assert (root / "app/mixed.py").read_text() == "from app.other import Fast\n"
    assert "what Fast is in app cannot be told statically" in fixed.stdout


def test_a_canonical_object_defined_outside_the_project_is_checked(project):
    """fastapi alone (starlette not a root package) with '[[canonical]] symbol = "Request"
    module = "fastapi"': fastapi loads fastapi.routing while it starts up, which imports Request
    from starlette.requests, and the check stopped with 'internal error: ModuleNotPresent: Module
    starlette.requests is not present in the graph'. That import is from the defining module: no
    finding; one through another module is told to import from there."""
    root = project(
        {
            "app/__init__.py": "from json import JSONDecoder\nfrom app import direct, through\n",
            "app/direct.py": "from json import JSONDecoder\n",
            "app/through.py": "from app.other import JSONDecoder\n",
            "app/other.py": "from json import JSONDecoder\n",
            "contracts/c.toml": '[[canonical]]\nsymbol = "JSONDecoder"\nmodule = "app"\n',
        }
    )

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert run.exit_code == 1, run.stderr
    assert [(f["path"], f["line"], f["suggestion"].split(" (")[0]) for f in run.findings("non-canonical-import")] == [
        ("app/through.py", 1, "Import it from the module that defines it: from json import JSONDecoder"),
    ]


def test_where_reading_stops_stands_for_the_defining_module(project):
    """pandas gets Timestamp through pandas._libs.tslibs from the compiled
    pandas._libs.tslibs.timestamps, and loads most of its modules while it starts up: those that
    import it from the compiled module itself are no finding (as for an import from the defining
    module); pandas/_libs/tslibs/__init__.py, on the home's own way to it, is one of them. Others
    are told to import it from there, not 'inside the function that needs it'."""
    root = project(
        {
            "app/__init__.py": "from app.core import Fast\nfrom app import direct, loaded\n",
            "app/core/__init__.py": "from app.core._speed import Fast\n",
            f"app/core/_speed{EXTENSION_SUFFIXES[0]}": "",
            "app/direct.py": "from app.core._speed import Fast\n",
            "app/loaded.py": "from app.core import Fast\n",
            "contracts/c.toml": '[[canonical]]\nsymbol = "Fast"\nmodule = "app"\n',
        }
    )

    findings = run_cli("check", root, "--format", "json", "--no-cache").findings("non-canonical-import")

    assert [(f["path"], f["line"], f["suggestion"].split(" (")[0]) for f in findings] == [
        ("app/loaded.py", 1, "Import it from the module that defines it: from app.core._speed import Fast"),
    ]


def test_a_legacy_name_the_replacement_does_not_have_is_never_imported_from_it(project):
    """pandas with [[legacy]] pandas.core.dtypes.common -> pandas.api.types: ensure_platform_int
    (from the compiled pandas._libs.algos) got 'Write instead: from pandas.api.types import
    ensure_platform_int', an ImportError (pandas.api.types does not have it), hedged as a
    namesake 'by name only'. It has to move first. is_list_like, which pandas.api.types passes on
    (through a star import), is the very object: no hedge."""
    root = project(
        {
            "app/__init__.py": "",
            f"app/_lib{EXTENSION_SUFFIXES[0]}": "",
            "app/common.py": "from app._lib import ensure_int, is_list\n",
            "app/api.py": "from app.common import is_list\n\n__all__ = ['is_list']\n",
            "app/types/__init__.py": "from app.api import *\n",
            "app/user.py": "from app.common import ensure_int, is_list\n",
            "contracts/c.toml": '[[legacy]]\npackage = "app.common"\nreplacement = "app.types"\n',
        }
    )

    findings = {f["path"]: f for f in run_cli("check", root, "--format", "json").findings("legacy-import")}

    assert findings["app/user.py"]["instead"] == [
        "from app.types import is_list",
        "Move app.common.ensure_int into app.types first: it has no counterpart there yet.",
    ]
    assert findings["app/user.py"]["suggestion"] == (
        "Write instead: from app.types import is_list. "
        "Move app.common.ensure_int into app.types first: it has no counterpart there yet."
    )


def test_a_name_bound_conditionally_to_the_canonical_object_or_another_is_no_different_object(project):
    """sympy.core.backend: ``if USE_SYMENGINE: from symengine import S`` / ``else: from
    sympy.core.singleton import S``. Which branch runs is decided at run time (an environment
    variable): the import from backend may well give the canonical S, so the finding must not
    claim "a different object", and fix must not call it one either."""
    root = project(
        {
            "app/__init__.py": "",
            "app/singleton.py": "class _S:\n    pass\n\n\nS = _S()\n",
            "app/backend.py": (
                "import os\n\nif os.environ.get('FAST'):\n    from fastlib import S\n"
                "else:\n    from app.singleton import S\n"
            ),
            "app/user.py": "from app.backend import S\n\nX = S\n",
            "contracts/c.toml": '[[canonical]]\nsymbol = "S"\nmodule = "app.singleton"\n',
        }
    )

    (finding,) = [
        f
        for f in run_cli("check", root, "--format", "json").findings("non-canonical-import")
        if f["path"] == "app/user.py"
    ]

    assert "different object" not in finding["message"]
    assert "bound conditionally" in finding["message"]
    assert finding["may_resolve_to"] == ["app.singleton.S", "fastlib.S"]
    assert finding["suggestion"].startswith("Import it from its home where the canonical S is meant:")
    fixed = run_cli("fix", root, "--rule", "non-canonical-import", "--diff")
    assert (
        "app/user.py:1: non-canonical-import from app.backend import S: bound conditionally in app.backend, "
        "to app.singleton.S or fastlib.S: decide which is meant [conditional]" in fixed.stderr
    )


def test_advice_to_import_from_the_home_says_when_that_import_would_close_an_import_cycle(project):
    """sympy: 106 of the 177 'Import it from its home: from sympy.core.singleton import S' were
    imports fix refuses, for sympy.core.singleton reaches the importer (sympy.solvers.solvers ->
    sympy.core.singleton -> sympy.core.basic -> ... -> sympy.solvers.solvers): the advice must say
    so, and say it exactly where fix refuses (an import under TYPE_CHECKING on the way back counts
    for neither)."""
    root = project(
        {
            "app/__init__.py": "",
            "app/home.py": (
                "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import app.typed\n\n\n"
                "class Thing:\n    pass\n\n\ndef later():\n    import app.looped\n    import app.later\n"
            ),
            "app/facade.py": "from app.home import Thing\n",
            "app/looped.py": "from app.facade import Thing\n",  # home reaches it: a deferred cycle
            "app/typed.py": "from app.facade import Thing\n",  # home reaches it for type checkers only
            "app/free.py": "from app.facade import Thing\n",  # home does not reach it
            "app/later.py": "def use():\n    from app.facade import Thing\n",  # reached, imported in a function
            "contracts/c.toml": '[cycles]\n\n[[canonical]]\nsymbol = "Thing"\nmodule = "app.home"\n',
        }
    )

    found = {f["path"]: f for f in run_cli("check", root, "--format", "json").findings("non-canonical-import")}

    assert found["app/free.py"]["suggestion"] == "Import it from its home: from app.home import Thing"
    assert found["app/typed.py"]["suggestion"] == "Import it from its home: from app.home import Thing"
    assert found["app/looped.py"]["suggestion"] == (
        "Import it from its home: from app.home import Thing, once the import cycle that import would close "
        "is broken: app.home already reaches app.looped (`importcanon can-import app.looped app.home` names "
        "the cycle; `importcanon fix` leaves this import until then)"
    )
    # can-import asks of a module-level import: for one in a function, fix names the cycle.
    assert found["app/later.py"]["suggestion"].endswith(
        "app.home already reaches app.later (`importcanon fix --diff` names the cycle, and leaves this import "
        "until then)"
    )
    assert [found[path]["closes_cycle"] for path in ("app/free.py", "app/typed.py", "app/looped.py")] == [
        False,
        False,
        True,
    ]
    fixed = run_cli("fix", root, "--rule", "non-canonical-import", "--diff").stderr
    refused = [line.split(":")[0].strip() for line in fixed.splitlines() if line.rstrip().endswith("[cycle]")]
    assert refused == ["app/later.py", "app/looped.py"]
    assert "app/free.py: l.1" in fixed and "app/typed.py: l.1" in fixed  # rewritten


def test_a_run_time_stand_in_is_no_implementation_of_the_name(project):
    """pandas/core/methods/selectn.py's ``else: DataFrame = T`` (a TypeVar standing in at run time
    for a name imported under TYPE_CHECKING) made ``where DataFrame`` count 3 implementations
    where there are 2: what alias-divergence exempts is no second concept either."""
    typed = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.home import Thing\n"
    root = project(
        {
            "app/__init__.py": "",
            "app/home.py": "class Thing:\n    pass\n",
            "app/types_.py": "from typing import TypeVar\n\nT = TypeVar('T')\n",
            "app/stand_in.py": typed + "else:\n    from app.types_ import T\n\n    Thing = T\n",
            "app/anything.py": typed + "else:\n    Thing = object\n",
            "app/other.py": "class Thing:\n    pass\n",  # a second implementation indeed
            "contracts/c.toml": '[[canonical]]\nsymbol = "Thing"\nmodule = "app.home"\n',
        }
    )

    report = run_cli("where", "Thing", root, "--format", "json").json

    assert report["implementations"] == 2
    assert {b["module"]: b["stand_in"] for b in report["bindings"]}["app.stand_in"] is True
    metrics = run_cli("check", root, "--format", "json", "--no-cache").json["metrics"]
    assert metrics["fragmentation"]["symbols"]["Thing"]["implementations"] == 2
