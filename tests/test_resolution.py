"""Static name resolution, checked against what Python itself binds when the code runs."""

from __future__ import annotations

import importlib
import itertools
import sys
import tempfile
from pathlib import Path

from conftest import run_cli, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.adapters.workspace import open_workspace
from importcanon.application.symbols import Resolver

_counter = itertools.count()

# How module i gets its name C: each form refers only to modules before it, so the generated
# package imports without cycles and Python can serve as the oracle.
FORMS = ["define", "reexport", "renamed", "relative", "star", "star_all", "module_attribute", "alias_of_other"]


def _module_source(index: int, form: str, source: int) -> str:
    if form == "define" or index == 0:
        return "class C:\n    pass\n\n\nclass Other:\n    pass\n"
    target = f"m{source}"
    return {
        "reexport": f"from PKG.{target} import C\n",
        "renamed": f"from PKG.{target} import C as Hidden\nC = Hidden\n",
        "relative": f"from .{target} import C\n",
        "star": f"from PKG.{target} import *\n",
        "star_all": f"from PKG.{target} import *\n__all__ = ['C']\n",
        "module_attribute": f"from PKG import {target}\nC = {target}.C\n",
        "alias_of_other": f"from PKG.{target} import C as Original\nclass Other:\n    pass\nC = Other\n",
    }[form]


plans = st.lists(st.tuples(st.sampled_from(FORMS), st.integers(0, 10)), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans)
def test_resolution_agrees_with_what_python_binds_at_run_time(plan):
    package = f"gen{next(_counter)}"
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        files = {f"{package}/__init__.py": ""}
        for index, (form, source) in enumerate(plan):
            files[f"{package}/m{index}.py"] = _module_source(index, form, source % max(index, 1)).replace(
                "PKG", package
            )
        write_project(root, files)
        workspace = open_workspace(root, cache_dir=None, use_cache=False)
        resolver = Resolver(workspace.project)

        sys.path.insert(0, str(root))
        try:
            for index in range(len(plan)):
                module = importlib.import_module(f"{package}.m{index}")
                runtime = getattr(module, "C", None)
                expected = f"{runtime.__module__}.{runtime.__qualname__}" if runtime else None
                resolved = resolver.resolve(f"{package}.m{index}", "C")
                assert (resolved.qualified if resolved else None) == expected, files
        finally:
            sys.path.remove(str(root))
            for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
                del sys.modules[name]


def test_a_re_export_cycle_terminates_and_resolves_to_nothing(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import Thing\n",
            "pkg/b.py": "from pkg.a import Thing\n",
            "pkg/user.py": "from pkg.a import Thing\n\n\ndef f():\n    return Thing\n",
        }
    )

    run = run_cli("where", "Thing", root, "--format", "json")

    assert run.exit_code == 0
    assert {b["module"]: b["resolves_to"] for b in run.json["bindings"]} == {"pkg.a": None, "pkg.b": None}
    assert run.json["implementations"] == 0


def test_star_imports_honour_all_and_skip_private_names(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/impl.py": "class Public:\n    pass\n\n\nclass _Private:\n    pass\n\n\nclass Hidden:\n    pass\n",
            "pkg/limited.py": "from pkg.impl import *\n__all__ = ['Public']\n",
            "pkg/unlimited.py": "from pkg.impl import *\n",
            "pkg/via_limited.py": "from pkg.limited import *\n",
        }
    )
    workspace = open_workspace(root, cache_dir=None, use_cache=False)
    resolver = Resolver(workspace.project)

    def resolved(module: str, name: str) -> str | None:
        result = resolver.resolve(module, name)
        return result.qualified if result else None

    assert resolved("pkg.unlimited", "Hidden") == "pkg.impl.Hidden"
    assert resolved("pkg.unlimited", "_Private") is None
    assert resolved("pkg.via_limited", "Public") == "pkg.impl.Public"
    assert resolved("pkg.via_limited", "Hidden") is None


def test_external_names_resolve_to_themselves(project):
    root = project({"pkg/__init__.py": "from collections import OrderedDict as Ordered\nimport json as serial\n"})
    resolver = Resolver(open_workspace(root, cache_dir=None, use_cache=False).project)

    ordered = resolver.resolve("pkg", "Ordered")
    serial = resolver.resolve("pkg", "serial")

    assert (ordered.qualified, ordered.external) == ("collections.OrderedDict", True)
    assert (serial.qualified, serial.is_module, serial.external) == ("json", True, True)


def test_a_try_except_fallback_does_not_hide_the_primary_binding(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/fast.py": "class Parser:\n    pass\n",
            "pkg/slow.py": "class Parser:\n    pass\n",
            "pkg/api.py": (
                "try:\n    from pkg.fast import Parser\nexcept ImportError:\n    from pkg.slow import Parser\n"
            ),
        }
    )
    resolver = Resolver(open_workspace(root, cache_dir=None, use_cache=False).project)

    assert resolver.resolve("pkg.api", "Parser").qualified == "pkg.fast.Parser"


SHIM_CASES = {
    "pkg/__init__.py": "",
    "pkg/real.py": "class Thing:\n    pass\n",
    "pkg/facade/__init__.py": '"""Gathers its own submodules."""\nfrom pkg.facade.part import Piece\n',
    "pkg/facade/part.py": "class Piece:\n    pass\n",
    "pkg/empty.py": '"""Nothing here."""\n',
    "pkg/with_code.py": "from pkg.real import Thing\n\n\ndef helper():\n    return Thing\n",
    "pkg/guarded.py": (
        '"""Moved."""\nimport warnings\n\ntry:\n    from pkg.real import Thing\nexcept ImportError:\n'
        "    Thing = None\n__all__ = ['Thing']\nwarnings.warn('moved', DeprecationWarning)\n"
    ),
    "pkg/doc_with_code_lines.py": (
        '"""Old home.\n\nclass Thing:\n    was defined here\n"""\nfrom pkg.real import Thing\n'
    ),
    "pkg/third_party.py": "try:\n    import ujson as json\nexcept ImportError:\n    import json\n",
}


def test_shims_are_told_from_facades_empty_modules_and_real_code(project):
    run = run_cli("check", project({**SHIM_CASES, "contracts/c.toml": "[cycles]\n"}), "--format", "json")

    assert {f["module"]: f["line"] for f in run.findings("shim-module")} == {
        "pkg.guarded": 5,
        "pkg.doc_with_code_lines": 6,
    }


FACADES = {
    "app/__init__.py": "from . import helpers\nfrom app.models import Model\nfrom app.outside import util\n",
    "app/helpers.py": "def h():\n    return 1\n",
    "app/models.py": "class Model:\n    pass\n",
    "app/outside.py": "def util():\n    return 2\n",
    "app/series/__init__.py": "from app.models import Model\nfrom app.outside import util\n\n__all__ = ['util']\n",
    "app/only_private/__init__.py": "from app.models import Model\n\n__all__ = []\n",
    "app/api.py": "from app.models import Model\nfrom app.outside import *\n",
    "contracts/c.toml": '[[canonical]]\nsymbol = "Model"\nmodule = "app.api"\n',
}


def test_facades_interfaces_and_declared_homes_are_not_shims(project):
    run = run_cli("check", project(FACADES), "--format", "json")

    shims = {f["module"]: f["reexports"] for f in run.findings("shim-module")}
    # app: gathers its own submodules; app.only_private: declares none of its imports;
    # app.api: the declared canonical home of Model. app.series passes on util only.
    assert shims == {"app.series": [{"name": "util", "source": "app.outside", "resolves_to": "app.outside.util"}]}


def test_names_are_found_as_whole_words_only(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/settings.py": "Settings = dict\n_S = 1\n",
            "pkg/singleton.py": "S = object()\n",
            "pkg/user.py": "from pkg.singleton import S\n",
        }
    )
    workspace = open_workspace(root, cache_dir=None, use_cache=False)

    found = workspace.project.facts.modules_containing(frozenset({"S"}))

    assert found == {"S": {"pkg.singleton", "pkg.user"}}


def test_from_dot_import_in_a_package_init_is_its_submodule(project):
    root = project(
        {
            "app/__init__.py": "from . import b\n\n\ndef use():\n    return b.old()\n",
            "app/b.py": "def old():\n    return 1\n",
            "contracts/c.toml": '[[deprecated]]\nname = "app.b.old"\n',
        }
    )

    run = run_cli("check", root, "--format", "json")

    assert [(f["path"], f["line"], f["usage"]) for f in run.findings("deprecated-usage")] == [
        ("app/__init__.py", 5, "call")
    ]


def test_explain_agrees_with_check_that_a_canonical_home_is_no_shim(project):
    run = run_cli("explain", "app.api", project(FACADES), "--format", "json")

    assert run.json["shim_of"] == []
    assert "[[canonical]] Model lives here" in run.json["contracts"]
