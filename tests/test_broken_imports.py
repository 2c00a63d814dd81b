"""broken-import: a module of the project that does not exist, or a name its module does not have,
at the import's exact path:line with its kind; and the other rules call such a binding broken."""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES

from conftest import run_cli

IMPORTLINTER = "[importlinter]\nroot_package = app\n"

BROKEN = {
    ".importlinter": IMPORTLINTER,
    "contracts/cycles.toml": "[cycles]\n",
    "app/__init__.py": "",
    "app/core/__init__.py": "from app.core.session import Manager\n",
    "app/core/session.py": "class Manager:\n    pass\n",
    "app/services/__init__.py": "",
    "app/services/recovery.py": "class Recovery:\n    pass\n",
    "app/user.py": (
        "import app.core.gone\n"  # 1: module-level, missing module
        "from app.core import Recovery\n"  # 2: module-level, missing name
        "try:\n"
        "    from app.old_home import Manager\n"  # 4: guarded, missing module
        "except ImportError:\n"
        "    Manager = None\n"
        "try:\n"
        "    from app.core.session import Session\n"  # 8: guarded, missing name
        "except ImportError:\n"
        "    Session = None\n"
        "\n"
        "\n"
        "def later():\n"
        "    import app.services.absent\n"  # 14: deferred, missing module
        "    from app.services.recovery import Recover\n"  # 15: deferred, missing name
        "    return app, Recover\n"
    ),
    "app/relative.py": (
        "from .core import Manager\n"  # fine
        "from .absent import thing\n"  # 2: missing module, relative
        "from . import nothing\n"  # 3: missing name (no such submodule) in the package
        "from . import core\n"  # fine: a submodule
    ),
}


def _broken(root):
    run = run_cli("check", root, "--format", "json", "--no-cache")
    return run, [f for f in run.findings("broken-import")]


def test_every_missing_module_and_name_is_found_at_its_line_with_its_kind(project):
    run, findings = _broken(project(BROKEN))

    assert run.exit_code == 1
    assert [(f["path"], f["line"], f["kind"], f["target"], f["name"]) for f in findings] == [
        ("app/relative.py", 2, "module", "app.absent", None),
        ("app/relative.py", 3, "module", "app", "nothing"),
        ("app/user.py", 1, "module", "app.core.gone", None),
        ("app/user.py", 2, "module", "app.core", "Recovery"),
        ("app/user.py", 4, "guarded", "app.old_home", None),
        ("app/user.py", 8, "guarded", "app.core.session", "Session"),
        ("app/user.py", 14, "deferred", "app.services.absent", None),
        ("app/user.py", 15, "deferred", "app.services.recovery", "Recover"),
    ]


def test_messages_say_when_the_import_fails(project):
    _, findings = _broken(project(BROKEN))
    by_line = {(f["path"], f["line"]): f["message"] for f in findings}

    assert by_line["app/user.py", 1] == (
        "imports app.core.gone, a module that does not exist: it fails at import time (ModuleNotFoundError)"
    )
    assert by_line["app/user.py", 2] == (
        "imports Recovery from app.core, which does not define, bind, re-export or provide it: "
        "it fails at import time (ImportError)"
    )
    assert (
        "would fail at import time (ModuleNotFoundError) and the except clause around it swallows that"
        in (by_line["app/user.py", 4])
    )
    assert by_line["app/user.py", 14].endswith("it would fail (ModuleNotFoundError) whenever later runs")


def test_the_suggestion_names_where_the_name_is_defined(project):
    _, findings = _broken(project(BROKEN))
    by_line = {(f["path"], f["line"]): f for f in findings}

    assert by_line["app/user.py", 2]["suggestions"] == ["from app.services.recovery import Recovery"]
    assert by_line["app/user.py", 4]["suggestions"] == ["from app.core.session import Manager"]
    assert "from app.core.session import Manager" in by_line["app/user.py", 4]["suggestion"]


def test_the_closest_definition_is_suggested_first_and_the_canonical_home_alone(project):
    files = {
        ".importlinter": IMPORTLINTER,
        "contracts/cycles.toml": "[cycles]\n",
        "app/__init__.py": "",
        "app/a/__init__.py": "",
        "app/a/b/__init__.py": "",
        "app/a/b/far.py": "class Thing:\n    pass\n",
        "app/z/__init__.py": "",
        "app/z/near.py": "class Thing:\n    pass\n",
        "app/z/user.py": "from app.z.gone import Thing\n",
    }
    _, findings = _broken(project(files))
    assert findings[0]["suggestions"] == ["from app.z.near import Thing", "from app.a.b.far import Thing"]

    files["contracts/c.toml"] = '[[canonical]]\nsymbol = "Thing"\nmodule = "app.a.b.far"\n'
    _, findings = _broken(project(files))
    assert findings[0]["suggestions"] == ["from app.a.b.far import Thing"]


NOT_BROKEN = {
    ".importlinter": IMPORTLINTER,
    "contracts/cycles.toml": "[cycles]\n",
    "app/__init__.py": "from . import sub\n",
    "app/sub.py": "",
    "app/lazy.py": "def __getattr__(name):\n    return name\n",
    "app/starred.py": "from os.path import *\n",
    "app/dynamic.py": "globals()['made'] = 1\n",
    "app/conditional.py": (
        "import sys\n"
        "if sys.platform == 'win32':\n    WIN = True\nelse:\n    POSIX = True\n"
        "try:\n    import ujson as fast\nexcept ImportError:\n    fast = None\n"
        "first, (second, *rest) = 1, (2, 3)\n"
        "for looped in range(2):\n    pass\n"
        "with open(__file__) as handle:\n    pass\n"
        "def setup():\n    global configured\n    configured = True\n"
    ),
    "app/pkg/__init__.py": "",
    "app/pkg/mod.py": "",
    "app/reexport.py": "from app.conditional import WIN as IS_WINDOWS\n",
    "app/listed.py": "__all__ = ['x']\nx = 1\n",
    "app/user.py": (
        "from app.lazy import anything\n"
        "from app.starred import join\n"
        "from app.dynamic import made\n"
        "from app.conditional import WIN, POSIX, fast, first, second, rest, looped, handle, configured\n"
        "from app.pkg import mod\n"
        "from app.reexport import IS_WINDOWS\n"
        "from app.listed import __all__ as listed, __file__ as where\n"
        "from app import sub\n"
        "import app.pkg.mod\n"
        "import json, os.path\n"
        "from __future__ import annotations\n"
    ),
}


def test_names_provided_in_ways_a_static_reading_cannot_rule_out_are_not_broken(project):
    run, findings = _broken(project(NOT_BROKEN))

    assert run.json["metrics"]["modules"] == 11
    assert findings == []


def test_a_module_that_puts_another_in_its_place_in_sys_modules_provides_what_that_one_has(project):
    """ansible's ``module_utils.distro`` ends with ``sys.modules[__name__ of itself] = _distro``:
    ``from ansible.module_utils.distro import LinuxDistribution`` reads the other module, whose
    names no reading of the package shows; the same for a lazy module (pygments' lexers)."""
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["pkg"]\n[cycles]\n',
        "pkg/__init__.py": "",
        "pkg/distro/__init__.py": (
            "import sys\n\nfrom pkg.distro import _distro as distro\n\nsys.modules['pkg.distro'] = distro\n"
        ),
        "pkg/distro/_distro.py": "class LinuxDistribution:\n    pass\n",
        "pkg/lexers.py": "import sys\n\n\nclass _Lazy:\n    pass\n\n\nsys.modules[__name__] = _Lazy()\n",
        "pkg/plain.py": "import sys\n\nVALUE = sys.modules\n",
        "pkg/use.py": (
            "from pkg.distro import LinuxDistribution\n"
            "from pkg.lexers import PythonLexer\n"
            "from pkg.plain import Missing\n"  # 3: reads sys.modules, writes nothing
        ),
    }
    _, findings = _broken(project(files))

    assert [(f["line"], f["name"]) for f in findings] == [(3, "Missing")]


def test_a_star_import_brings_what_no_reading_sees_of_the_module_it_reads(project):
    """numpy's ``_core.numeric`` grows its ``__all__`` in a function (``extend_all(umath)``) and
    star-imports ``numerictypes``, which writes its type names into ``globals()`` and appends
    them to an ``__all__`` computed in a loop: ``from numpy._core import sqrt, uint8`` works.
    A star import reads only ``__all__`` when it is a known list; a function that only reads
    ``__all__`` changes nothing."""
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["pkg"]\n[cycles]\n',
        "pkg/__init__.py": "",
        "pkg/types.py": (
            "__all__ = ['base']\nbase = 1\nfor key in ('int8', 'uint8'):\n"
            "    globals()[key] = key\n    __all__.append(key)\n"
        ),
        "pkg/ufuncs.py": "__all__ = ['sqrt']\nsqrt = abs\n",
        "pkg/numeric.py": (
            "__all__ = ['ones']\n\n\ndef ones():\n    pass\n\n\n"
            "def extend_all(module):\n    for name in module.__all__:\n        __all__.append(name)\n\n\n"
            "from pkg import types, ufuncs\nfrom pkg.ufuncs import *\nfrom pkg.types import *\n\n"
            "extend_all(ufuncs)\nextend_all(types)\n"
        ),
        "pkg/core.py": "from pkg.numeric import *\n",
        "pkg/typed.py": "__all__ = ['a']\na = 1\nglobals()['b'] = 2\n",
        "pkg/exact.py": "from pkg.typed import *\n",
        "pkg/reads.py": "__all__ = ['x']\nx = 1\n\n\ndef names():\n    return list(__all__)\n",
        "pkg/star_reads.py": "from pkg.reads import *\n",
        "pkg/use.py": (
            "from pkg.numeric import uint8\n"
            "from pkg.core import sqrt, uint8, ones\n"
            "from pkg.ufuncs import uint8\n"  # 3: a known __all__, nothing written
            "from pkg.exact import b\n"  # 4: the star import reads __all__ only
            "from pkg.star_reads import names\n"  # 5: names is not in __all__
        ),
    }
    _, findings = _broken(project(files))

    assert [(f["line"], f["name"]) for f in findings] == [(3, "uint8"), (4, "b"), (5, "names")]


def test_a_module_that_imports_a_writer_of_other_modules_names_may_have_any_name(project):
    """zope.interface's ``@_use_c_impl`` writes ``LookupBaseFallback`` into the globals of the
    module it decorates in (``sys._getframe(1).f_globals``), matplotlib's ``@_Backend.export``
    ``FigureCanvas`` into the decorated class's module (``setattr(sys.modules[...], ...)``):
    a module that imports such a function or class has names no reading of it shows. Another
    name of the same module writes nothing."""
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["app"]\n[cycles]\n',
        "app/__init__.py": "",
        "app/compat.py": (
            "import sys\n\n\ndef use_c_impl(py_impl):\n    globs = sys._getframe(1).f_globals\n"
            "    globs[py_impl.__name__ + 'Fallback'] = py_impl\n    return py_impl\n\n\n"
            "def plain(func):\n    return func\n"
        ),
        "app/bases.py": (
            "import sys\n\n\nclass Backend:\n    @classmethod\n    def export(cls, exported):\n"
            "        setattr(sys.modules[exported.__module__], 'FigureCanvas', exported.FigureCanvas)\n"
            "        return exported\n\n\nclass Other:\n    pass\n"
        ),
        "app/adapter.py": "from app.compat import use_c_impl\n\n\n@use_c_impl\nclass LookupBase:\n    pass\n",
        "app/backend_agg.py": (
            "from app.bases import Backend\n\n\n@Backend.export\nclass _BackendAgg(Backend):\n    FigureCanvas = int\n"
        ),
        "app/decorated.py": "from app.compat import plain\n\n\n@plain\nclass Thing:\n    pass\n",
        "app/subclass.py": "from app.bases import Other\n\n\nclass Mine(Other):\n    pass\n",
        "app/use.py": (
            "from app.adapter import LookupBaseFallback\n"
            "from app.backend_agg import FigureCanvas\n"
            "from app.decorated import ThingFallback\n"  # 3: plain writes nothing
            "from app.subclass import FigureCanvas\n"  # 4: Other writes nothing
        ),
    }
    _, findings = _broken(project(files))

    assert [(f["line"], f["name"]) for f in findings] == [(3, "ThingFallback"), (4, "FigureCanvas")]


def test_a_statement_over_several_lines_is_read_whole(project):
    files = {
        ".importlinter": IMPORTLINTER,
        "contracts/cycles.toml": "[cycles]\n",
        "app/__init__.py": "",
        "app/home.py": "class Real:\n    pass\n",
        "app/user.py": (
            "import os\nfrom app.home import (\n    Real,\n    Gone,  # moved?\n)\nfrom app.home \\\n    import Lost\n"
        ),
    }
    _, findings = _broken(project(files))

    assert [(f["line"], f["name"]) for f in findings] == [(2, "Gone"), (6, "Lost")]


def test_a_missing_module_in_a_root_package_is_broken_in_where_not_external(project):
    files = dict(BROKEN)
    files["app/shim.py"] = "from app.old_home import Manager\n"
    root = project(files)

    asked = run_cli("where", "app.old_home.Manager", root, "--format", "json").json
    text = run_cli("where", "Manager", root).stdout
    bindings = run_cli("where", "Manager", root, "--format", "json").json["bindings"]

    assert asked["asked_resolves_to"] is None
    assert asked["asked_broken"] == "module app.old_home does not exist"
    shim = next(b for b in bindings if b["path"] == "app/shim.py")
    assert (shim["line"], shim["kind"], shim["resolves_to"]) == (1, "re-export", None)
    assert shim["broken"] == "module app.old_home does not exist"
    assert "re-export     (broken: module app.old_home does not exist)" in text


def test_alias_divergence_and_non_canonical_import_call_a_broken_binding_broken(project):
    files = dict(BROKEN)
    files["contracts/c.toml"] = '[[canonical]]\nsymbol = "Manager"\nmodule = "app.core.session"\n'
    files["app/legacy.py"] = "from app.gone import Other as Manager\n"
    files["app/caller.py"] = "from app.gone import Manager\n"
    run = run_cli("check", project(files), "--format", "json", "--no-cache")

    divergence = [f for f in run.findings("alias-divergence") if f["path"] == "app/legacy.py"]
    non_canonical = [f for f in run.findings("non-canonical-import") if f["path"] == "app/caller.py"]
    assert divergence[0]["message"] == (
        "binds Manager to nothing: the import is broken (module app.gone does not exist) "
        "(from app.gone import Other as Manager), not to the canonical app.core.session.Manager"
    )
    assert "the import is broken (module app.gone does not exist)" in non_canonical[0]["message"]
    for finding in divergence + non_canonical:
        assert "different object" not in finding["message"]
        assert "cannot be resolved statically" not in finding["message"]
    assert {(f["path"], f["line"]) for f in run.findings("broken-import")} >= {
        ("app/legacy.py", 1),
        ("app/caller.py", 1),
    }


def test_a_name_missing_at_the_end_of_a_re_export_chain_is_reported_where_it_is_missing(project):
    files = {
        ".importlinter": IMPORTLINTER,
        "contracts/cycles.toml": "[cycles]\n",
        "app/__init__.py": "",
        "app/home.py": "class Real:\n    pass\n",
        "app/middle.py": "from app.home import Gone\n",
        "app/front.py": "from app.middle import Gone\n",
    }
    root = project(files)
    _, findings = _broken(root)
    where = run_cli("where", "app.front.Gone", root, "--format", "json").json

    assert [(f["path"], f["line"]) for f in findings] == [("app/middle.py", 1)]
    assert where["asked_broken"] == "app.home does not define, bind, re-export or provide Gone"


def test_a_warm_run_remembers_the_findings_and_an_edit_updates_them(project):
    root = project(BROKEN)
    cold = run_cli("check", root, "--format", "json").findings("broken-import")
    warm = run_cli("check", root, "--format", "json").findings("broken-import")
    (root / "app/services/recovery.py").write_text("class Recovery:\n    pass\n\n\nclass Recover:\n    pass\n")
    edited = run_cli("check", root, "--format", "json").findings("broken-import")

    assert warm == cold
    assert [
        (f["path"], f["line"]) for f in cold if (f["path"], f["line"]) not in {(x["path"], x["line"]) for x in edited}
    ] == [("app/user.py", 15)]


def test_modules_python_finds_but_importcanon_does_not_analyse_exist(project):
    extension = EXTENSION_SUFFIXES[0]
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["app"]\nexclude = ["app/generated/**"]\n[cycles]\n',
        "app/__init__.py": "",
        "app/generated/__init__.py": "",
        "app/generated/proto.py": "Message = 1\n",  # excluded from the analysis, still importable
        "app/plain_dir/mod.py": "X = 1\n",  # a directory without __init__.py: a namespace portion
        f"app/speedups{extension}": "",  # an extension module
        "app/user.py": (
            "from app.generated.proto import Message\n"
            "import app.plain_dir.mod\n"
            "from app.speedups import fast_path\n"
            "from app.generated.absent import Nothing\n"  # 4: really missing
        ),
    }
    _, findings = _broken(project(files))

    assert [(f["path"], f["line"], f["target"]) for f in findings] == [("app/user.py", 4, "app.generated.absent")]


def test_from_a_package_import_a_submodule_python_finds_but_importcanon_does_not_analyse(project):
    """``from package import name`` imports the submodule when the package binds no such name:
    an extension module, an excluded file or a directory without ``__init__.py`` is one; a plain
    module has no submodules, whatever directory stands beside it."""
    extension = EXTENSION_SUFFIXES[0]
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["app"]\nexclude = ["app/generated/**"]\n[cycles]\n',
        "app/__init__.py": "",
        "app/generated/__init__.py": "",
        "app/generated/proto.py": "Message = 1\n",
        "app/plain_dir/mod.py": "X = 1\n",
        "app/single.py": "Y = 1\n",
        "app/single/inner.py": "Z = 1\n",  # beside a module, no package: Python imports single.py
        "app/user.py": (
            "from app import speedups\n"
            "from app.generated import proto\n"
            "from app import plain_dir\n"
            "from app import absent\n"  # 4: nothing of that name
            "from app.single import inner\n"  # 5: single is a module
        ),
    }
    root = project(files)

    def broken() -> list[dict]:
        return run_cli("check", root, "--format", "json").findings("broken-import")

    before = broken()
    (root / f"app/speedups{extension}").write_text("")
    after = broken()  # warm: the remembered findings follow the disk

    assert [(f["line"], f["name"]) for f in before] == [(1, "speedups"), (4, "absent"), (5, "inner")]
    assert [(f["line"], f["name"]) for f in after] == [(4, "absent"), (5, "inner")]


def test_a_module_a_package_above_may_add_at_run_time_is_not_called_missing(project):
    """six puts an importer on ``sys.meta_path`` that provides ``six.moves``; a package may
    extend its ``__path__``; a compatibility alias is written into ``sys.modules`` under its
    name. Python imports every package above a module first, so a module one of them may add is
    not known to be missing; a write under another name (a lazy module replacing itself) adds
    nothing below it."""
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["pkg"]\n[cycles]\n',
        "pkg/__init__.py": "",
        "pkg/six.py": "import sys\n\n\nclass _Importer:\n    pass\n\n\nsys.meta_path.append(_Importer())\n",
        "pkg/compat/__init__.py": "import sys\n\nfrom pkg import real\n\nsys.modules[__name__ + '.old'] = real\n",
        "pkg/lazy/__init__.py": "import sys\n\nsys.modules[__name__] = object()\n",
        "pkg/real.py": "X = 1\n",
        "pkg/plugins/__init__.py": "from pkgutil import extend_path\n\n__path__ = extend_path(__path__, __name__)\n",
        "pkg/ns/__init__.py": "__import__('pkg_resources').declare_namespace(__name__)\n",
        "pkg/use.py": (
            "from pkg.six.moves import queue\n"
            "import pkg.six.moves.urllib.parse\n"
            "from pkg.compat.old import X\n"
            "from pkg.compat.other import X\n"  # 4: only .old is written
            "from pkg.lazy.gone import Y\n"  # 5: the write is of the package's own name
            "from pkg.real.sub import Z\n"  # 6: nothing above it adds modules
            "from pkg.plugins.elsewhere import plugin\n"  # its package extends __path__
            "from pkg.ns.other import thing\n"  # a pkg_resources namespace package
        ),
    }
    _, findings = _broken(project(files))

    assert [(f["line"], f["missing_module"]) for f in findings] == [
        (4, "pkg.compat.other"),
        (5, "pkg.lazy.gone"),
        (6, "pkg.real.sub"),
    ]


def test_a_module_below_an_extension_module_is_not_called_missing(project):
    """An extension module may write its own submodules into ``sys.modules`` (pyo3's, as
    hypothesis's ``_native`` provides ``hypothesis._native.internal.floats``): no reading sees
    its code, so a module below it is not known to be missing. A directory without
    ``__init__.py`` adds nothing below it, nor does a plain module that writes no module."""
    extension = EXTENSION_SUFFIXES[0]
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["app"]\n[cycles]\n',
        "app/__init__.py": "",
        f"app/_native{extension}": "",
        "app/plain_dir/mod.py": "X = 1\n",
        "app/real.py": "X = 1\n",
        "app/use.py": (
            "from app._native.internal.floats import next_up\n"
            "import app._native.internal\n"
            "from app.plain_dir.gone import X\n"  # 3: a namespace directory adds nothing
            "from app.real.sub import Y\n"  # 4: a plain module with no writes
        ),
    }
    _, findings = _broken(project(files))

    assert [(f["line"], f["missing_module"]) for f in findings] == [(3, "app.plain_dir.gone"), (4, "app.real.sub")]


def test_a_module_below_a_module_with_getattr_is_not_called_missing(project):
    """A plain module has no ``__path__``, so Python asks its ``__getattr__`` (PEP 562) for one
    before a submodule: dask's ``dask/distributed.py`` hands over the ``distributed`` package's,
    and ``from dask.distributed.protocol import dumps`` works. A package's ``__path__`` is its
    own: its ``__getattr__`` is never asked for it."""
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["app"]\n[cycles]\n',
        "app/__init__.py": "",
        "app/proxy.py": "def __getattr__(name):\n    import other\n\n    return getattr(other, name)\n",
        "app/plain.py": "X = 1\n",
        "app/pkg/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
        "app/use.py": (
            "from app.proxy.protocol import dumps\n"
            "import app.proxy.sub.deeper\n"
            "from app.plain.sub import Y\n"  # 3: a plain module without __getattr__
            "from app.pkg.gone import Z\n"  # 4: a package
        ),
    }
    _, findings = _broken(project(files))

    assert [(f["line"], f["missing_module"]) for f in findings] == [(3, "app.plain.sub"), (4, "app.pkg.gone")]


def test_a_warm_run_sees_an_excluded_module_appear_and_go(project):
    """No analysed file changes when an excluded file is added or deleted; the remembered
    findings must still follow the disk, or a warm run would disagree with a cold one."""
    root = project(
        {
            "contracts/c.toml": '[settings]\nroot_packages = ["app"]\nexclude = ["app/generated/**"]\n[cycles]\n',
            "app/__init__.py": "",
            "app/generated/__init__.py": "",
            "app/user.py": "import app.generated.proto\n",
        }
    )
    generated = root / "app" / "generated" / "proto.py"

    def broken() -> list[str]:
        return [f["message"] for f in run_cli("check", root, "--format", "json").findings("broken-import")]

    missing = broken()
    generated.write_text("Message = 1\n")
    present = broken()
    generated.unlink()
    gone = broken()

    assert len(missing) == 1 and "does not" in missing[0]
    assert present == []
    assert gone == missing


def test_an_import_a_test_expects_to_fail_is_no_broken_import(project):
    """sympy/core/tests/test_numbers.py: ``with raises(ImportError): from sympy import Pi`` tests
    that Pi is *not* exported. Advising to import it from where it lives would defeat the test.
    pytest.raises, a bare raises and unittest's assertRaises all say so; a with block expecting
    another error, or ImportError among others in a tuple, is read the same way as Python would."""
    files = {
        **BROKEN,
        "app/user.py": "",
        "app/relative.py": "",
        "app/tests/__init__.py": "",
        "app/tests/test_absent.py": (
            "import unittest\n"
            "import pytest\n"
            "from pytest import raises\n"
            "\n"
            "\n"
            "def test_pi():\n"
            "    with raises(ImportError):\n"
            "        from app.core import Pi\n"  # 8: meant to fail
            "    with pytest.raises((ValueError, ModuleNotFoundError)):\n"
            "        import app.absent\n"  # 10: meant to fail
            "    with pytest.raises(ValueError):\n"
            "        from app.core import Gone\n"  # 12: broken, and not what the block expects
            "\n"
            "\n"
            "class T(unittest.TestCase):\n"
            "    def test_it(self):\n"
            "        with self.assertRaises(ImportError), open('x'):\n"
            "            from app.core import Missing\n"  # 18: meant to fail
        ),
    }

    run = run_cli("check", project(files), "--format", "json", "--no-cache")

    assert [(f["path"], f["line"]) for f in run.findings("broken-import")] == [("app/tests/test_absent.py", 12)]
