"""The shim patterns real migrations leave behind: a renamed re-export, and a package __init__
that passes on names from outside its package next to its own submodules."""

from __future__ import annotations

from conftest import run_cli

PATTERNS = {
    ".importlinter": "[importlinter]\nroot_package = app\n",
    "contracts/cycles.toml": "[cycles]\n",
    "app/__init__.py": "",
    "app/new/__init__.py": "",
    "app/new/home.py": "class Thing:\n    pass\n\n\ndef helper():\n    return 1\n",
    # (1) the commonest compatibility shim: the new object under its old name, declared in __all__
    "app/old.py": (
        '"""Moved to app.new.home."""\nfrom app.new.home import Thing\n\nOldName = Thing\n__all__ = ["OldName"]\n'
    ),
    # (2) a package that gathers its own submodule and also passes on a name from outside
    "app/pkg/__init__.py": "from app.pkg.part import Piece\nfrom app.new.home import helper\n",
    "app/pkg/part.py": "class Piece:\n    pass\n",
    # a facade: every re-export comes from its own descendants
    "app/facade/__init__.py": "from .part import Piece\nfrom app.facade.deeper.bit import Bit\n",
    "app/facade/part.py": "class Piece:\n    pass\n",
    "app/facade/deeper/__init__.py": "",
    "app/facade/deeper/bit.py": "class Bit:\n    pass\n",
    # a renamed local value is no re-export
    "app/consts.py": "LIMIT = 3\nMAXIMUM = LIMIT\n",
    # an optional hook (numpy's _distributor_init): a guarded import that may find nothing, from a
    # package whose names no reading sees all of
    "app/lazy/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
    "app/lazy/hook.py": "try:\n    from . import _hook_local\nexcept ImportError:\n    pass\n",
}


def _shims(root):
    run = run_cli("check", root, "--format", "json", "--no-cache")
    return {f["module"]: (f["path"], f["line"], f["reexports"]) for f in run.findings("shim-module")}


def test_a_renamed_re_export_declared_in_all_is_a_shim(project):
    shims = _shims(project(PATTERNS))

    assert shims["app.old"] == (
        "app/old.py",
        4,
        [{"name": "OldName", "source": "app.new.home", "resolves_to": "app.new.home.Thing"}],
    )


def test_a_package_passing_on_names_from_outside_is_a_shim_for_those_names_only(project):
    shims = _shims(project(PATTERNS))

    assert shims["app.pkg"] == (
        "app/pkg/__init__.py",
        2,
        [{"name": "helper", "source": "app.new.home", "resolves_to": "app.new.home.helper"}],
    )


def test_facades_and_local_renames_are_not_shims(project):
    shims = _shims(project(PATTERNS))

    assert set(shims) == {"app.old", "app.pkg"}


def test_explain_names_what_the_shim_passes_on(project):
    root = project(PATTERNS)

    explained = run_cli("explain", "app.pkg", root, "--format", "json").json

    assert explained["shim_of"] == ["helper from app.new.home"]


def test_a_conftest_that_imports_fixtures_is_no_shim(project):
    """matplotlib/tests/conftest.py is ``from matplotlib.testing.conftest import
    mpl_test_settings, pd, ...``: pytest loads it by its path and offers the fixtures and hooks
    it binds to the tests below it. Nothing imports it, yet deleting it (the advice, 'delete it:
    nothing imports it') breaks those tests. A module of that shape under another name still is
    a shim."""
    files = {
        **PATTERNS,
        "app/testing/__init__.py": "",
        "app/testing/fixtures.py": "import pytest\n\n\n@pytest.fixture\ndef settings():\n    return 1\n",
        "app/tests/__init__.py": "",
        "app/tests/conftest.py": "from app.testing.fixtures import settings\n",
        "app/tests/helpers.py": "from app.testing.fixtures import settings\n",
    }

    shims = _shims(project(files))

    assert set(shims) == {"app.old", "app.pkg", "app.tests.helpers"}


def test_an_attribute_passed_on_is_advised_as_an_import_of_its_owner(project):
    """sympy/series/__init__.py: ``from sympy.core.singleton import S`` then
    ``EmptySequence = S.EmptySequence``. The object lives in sympy.core.singleton, as an
    attribute of S; ``from sympy.core.singleton.S import EmptySequence`` (the advice once) names
    a module that does not exist."""
    files = {
        **PATTERNS,
        "app/new/home.py": "class _Registry:\n    Empty = None\n\n\nR = _Registry()\n",
        "app/series/__init__.py": (
            "from .part import Piece\n\nfrom app.new.home import R\nEmpty = R.Empty\n__all__ = ['Piece', 'Empty']\n"
        ),
        "app/series/part.py": "class Piece:\n    pass\n",
    }
    root = project(files)

    run = run_cli("check", root, "--format", "json", "--no-cache")
    (shim,) = [f for f in run.findings("shim-module") if f["module"] == "app.series"]

    assert shim["reexports"] == [{"name": "Empty", "source": "app.new.home", "resolves_to": "app.new.home.R.Empty"}]
    assert "Empty (R.Empty) from app.new.home" in shim["message"]
    assert "for example: from app.new.home import R, then R.Empty" in shim["suggestion"]


def test_a_shim_nothing_imports_but_a_string_names_is_not_called_safe_to_delete(project):
    """django/contrib/sessions/serializers.py re-exports JSONSerializer and nothing imports it,
    but global_settings.py names it in a string (SESSION_SERIALIZER = "django.contrib.sessions.
    serializers.JSONSerializer"), which Django loads by its dotted path: deleting it breaks every
    default session. The advice names the file that names it instead of "delete it"."""
    files = {
        **PATTERNS,
        "app/settings.py": 'SERIALIZER = "app.old.OldName"\n',
        "app/lonely.py": "from app.new.home import helper as old_helper\n\nold_helper = old_helper\n",
    }

    run = run_cli("check", project(files), "--format", "json", "--no-cache")
    suggestions = {f["module"]: f["suggestion"] for f in run.findings("shim-module")}

    assert "delete it: nothing imports it" not in suggestions["app.old"]
    assert "nothing imports it, but app/settings.py names it (a dotted path loads it by name)" in suggestions["app.old"]
    assert "delete it: nothing imports it" in suggestions["app.lonely"]


def test_explain_says_a_package_passes_names_on_not_that_it_only_re_exports(project):
    """sympy.series has modules of its own and passes EmptySequence on: "only re-exports" said
    of it was false; a plain shim module still only re-exports."""
    root = project(PATTERNS)

    package = run_cli("explain", "app.pkg", root).stdout
    module = run_cli("explain", "app.old", root).stdout

    assert "shim: passes on from outside the package: helper from app.new.home" in package
    assert "only re-exports" not in package
    assert "shim: only re-exports OldName from app.new.home" in module
