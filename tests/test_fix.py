"""``importcanon fix``: each rewrite shape, each refusal, --diff, --check, idempotence, the sample."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import SAMPLE, run_cli, write_project

LEGACY = {
    "app/__init__.py": "",
    "app/core/__init__.py": "",
    "app/core/things.py": """
        class Thing:
            pass


        class Other:
            pass
    """,
    "app/core/mod.py": """
        from app.core.things import Thing
    """,
    "app/legacy/__init__.py": """
        from app.core.things import Other, Thing
    """,
    "app/legacy/mod.py": """
        from app.core.things import Thing
    """,
    "app/legacy/only_here.py": """
        class Lonely:
            pass
    """,
    "contracts/importcanon.toml": """
        [settings]
        root_packages = ["app"]

        [[legacy]]
        package = "app.legacy"
        replacement = "app.core"
    """,
}


def make(tmp_path: Path, extra: dict[str, str], base: dict[str, str] = LEGACY) -> Path:
    return write_project(tmp_path / "project", {**base, **extra})


def fix(root: Path, *args: str):
    return run_cli("fix", root, "--no-cache", *args)


def source(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def rewrites(root: Path, path: str, text: str) -> str:
    """Write ``text`` to ``path``, run fix, and return the file afterwards."""
    (root / path).write_text(dedent(text), encoding="utf-8")
    run = fix(root)
    assert run.exit_code == 0, run.stdout + run.stderr
    return source(root, path)


# Rewrite shapes ---------------------------------------------------------------------------------


def test_a_legacy_import_becomes_the_import_of_the_object_where_it_lives_keeping_aliases_and_comments(tmp_path):
    root = make(tmp_path, {"app/user.py": ""})

    after = rewrites(
        root,
        "app/user.py",
        """
        # the user
        from app.legacy import Thing as T  # keep me

        VALUE = T()
        """,
    )

    assert after == dedent(
        """
        # the user
        from app.core.things import Thing as T  # keep me

        VALUE = T()
        """
    )


def test_names_merge_into_an_existing_parenthesised_import_from_their_home(tmp_path):
    root = make(tmp_path, {"app/user.py": ""})

    after = rewrites(
        root,
        "app/user.py",
        """
        from app.core.things import (
            Other,
        )
        from app.legacy.mod import Thing

        USED = (Thing, Other)
        """,
    )

    assert after == dedent(
        """
        from app.core.things import (
            Other,
            Thing,
        )

        USED = (Thing, Other)
        """
    )


def test_a_statement_keeps_the_names_that_cannot_move_and_the_refusal_says_why(tmp_path):
    text = "from app.legacy.only_here import Lonely\nfrom app.legacy import Thing, Other\n"
    root = make(tmp_path, {"app/user.py": text})

    run = fix(root)

    assert source(root, "app/user.py") == text.replace("from app.legacy import", "from app.core.things import")
    assert "Move app.legacy.only_here.Lonely into app.core first" in run.stdout
    assert "[no-counterpart]" in run.stdout


def test_relative_imports_stay_relative(tmp_path):
    root = make(tmp_path, {"app/web/__init__.py": "", "app/web/page.py": "from ..legacy import Thing\n"})

    run = fix(root)

    assert run.exit_code == 0, run.stdout
    assert source(root, "app/web/page.py") == "from ..core.things import Thing\n"


def test_imports_in_functions_type_checking_and_try_blocks_are_rewritten_where_they_are(tmp_path):
    root = make(tmp_path, {"app/user.py": ""})

    after = rewrites(
        root,
        "app/user.py",
        """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from app.legacy import Other

        try:
            from app.legacy.mod import Thing
        except ImportError:
            Thing = None


        def make():
            from app.legacy import Thing as Made
            return Made()
        """,
    )

    assert after == dedent(
        """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from app.core.things import Other

        try:
            from app.core.things import Thing
        except ImportError:
            Thing = None


        def make():
            from app.core.things import Thing as Made
            return Made()
        """
    )


def test_a_module_alias_moves_to_its_counterpart_when_every_use_resolves_to_the_same_object(tmp_path):
    root = make(tmp_path, {"app/user.py": "import app.legacy.mod as m\n\nVALUE = m.Thing()\n"})

    run = fix(root)

    assert run.exit_code == 0, run.stdout
    assert source(root, "app/user.py") == "import app.core.mod as m\n\nVALUE = m.Thing()\n"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # check's advice already says what fix found: m.Missing is nothing in app.core.mod
        ("import app.legacy.mod as m\n\nVALUE = m.Missing\n", "Move app.legacy.mod.Missing into app.core.mod first"),
        ("import app.legacy.mod as m\n\nprint(m)\n", "the module m is used as an object itself (line 3)"),
        ("from app.legacy import mod\n\nVALUE = mod.Lonely\n", "Move app.legacy.mod.Lonely into app.core.mod first"),
        ("import app.legacy.mod\n", "a plain import is used through its full dotted name"),
    ],
)
def test_a_module_whose_uses_do_not_all_resolve_is_left_and_the_reason_given(tmp_path, text, why):
    root = make(tmp_path, {"app/user.py": text, "app/legacy/mod.py": "from app.core.things import Thing\nLonely = 1\n"})

    run = fix(root)

    assert source(root, "app/user.py") == text
    assert why in run.stdout


#: app.core.mod stands in for app.legacy.mod by name: a swap fix accepts where only the file sees it.
NAMESAKE = {"app/legacy/mod.py": "from app.core.things import Thing\nLonely = 1\n"}


@pytest.mark.parametrize(
    ("files", "why"),
    [
        pytest.param(
            {"app/api.py": 'from app.legacy import mod\n\n__all__ = ["mod"]\n'},
            "app.api exports mod (listed in its __all__)",
            id="listed-in-__all__",
        ),
        pytest.param(
            {"app/api.py": "from app.legacy import mod\n", "app/client.py": "from app.api import mod\n"},
            "app.client imports mod from app.api (line 1)",
            id="imported-from-it",
        ),
        pytest.param(
            {"app/api.py": "from app.legacy import mod\n", "app/client.py": "from .api import mod as m\n"},
            "app.client imports mod from app.api (line 1)",
            id="imported-relatively",
        ),
        pytest.param(
            {"app/api.py": "from app.legacy import mod\n", "app/client.py": "import app.api\n\nX = app.api.mod\n"},
            "app.client imports app.api and mentions mod: it may read app.api.mod",
            id="read-as-an-attribute",
        ),
        pytest.param(
            {"app/api.py": "from app.legacy import mod\n", "app/client.py": "from app.api import *\n"},
            "app.client star-imports app.api, which passes mod on",
            id="star-imported",
        ),
        pytest.param(
            {"app/api.py": "from app.legacy import mod\n\n__all__ = ['m' + 'od']\n"},
            "app.api's __all__ is computed at run time: it may list mod",
            id="computed-__all__",
        ),
        pytest.param(
            {"app/api/__init__.py": "from app.legacy import mod\n"},
            "app.api is a package: the names of its __init__ are its public interface (app.api.mod)",
            id="package-__init__",
        ),
    ],
)
def test_a_module_swapped_for_its_namesake_is_left_where_other_modules_can_see_the_name(tmp_path, files, why):
    root = make(tmp_path, {**NAMESAKE, **files})

    run = fix(root)

    api = next(path for path in files if path.startswith("app/api"))
    assert source(root, api) == dedent(files[api])
    assert why in run.stdout
    assert "[exported]" in run.stdout
    assert "app.core.mod would stand in for app.legacy.mod" in run.stdout


def test_the_pandas_shape_a_package_exporting_the_legacy_package_by_name_keeps_it(tmp_path):
    """pandas/__init__.py: ``from pandas import ..., tseries`` with "tseries" in ``__all__``:
    ``from pandas._libs import tslibs as tseries`` would change ``pd.tseries`` for every user."""
    init = 'from app import legacy\n\n__all__ = ["legacy"]\n'
    root = make(tmp_path, {"app/web/__init__.py": init})

    run = fix(root)

    assert source(root, "app/web/__init__.py") == init
    assert "from app import core as legacy would give legacy app.core, not app.legacy" in run.stdout
    assert "app.web exports legacy (listed in its __all__)" in run.stdout
    assert "[exported]" in run.stdout


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({"app/api.py": "from app.legacy import mod\n\nX = mod.Thing\n"}, id="seen-only-here"),
        pytest.param(
            {"app/api.py": "from app.legacy import mod\n", "app/client.py": "import app.api\n\nX = app.api\n"},
            id="an-importer-that-never-mentions-it",
        ),
        pytest.param(
            {"app/api.py": "def f():\n    from app.legacy import mod\n    return mod.Thing\n\n\n__all__ = ['mod']\n"},
            id="bound-in-a-function",
        ),
    ],
)
def test_a_module_swapped_for_its_namesake_where_only_the_file_sees_it_is_rewritten(tmp_path, files):
    root = make(tmp_path, {**NAMESAKE, **files})

    run = fix(root)

    assert run.exit_code == 0, run.stdout
    assert "from app.core import mod" in source(root, "app/api.py")
    assert "[exported]" not in run.stdout


def test_an_exported_name_is_still_rewritten_when_it_stays_the_same_object(tmp_path):
    files = {
        "app/api/__init__.py": 'from app.legacy import Thing\n\n__all__ = ["Thing"]\n',
        "app/client.py": "from app.api import Thing\n",
    }
    root = make(tmp_path, files)

    run = fix(root)

    assert run.exit_code == 0, run.stdout
    assert source(root, "app/api/__init__.py") == 'from app.core.things import Thing\n\n__all__ = ["Thing"]\n'


def test_an_import_of_a_canonical_symbol_from_elsewhere_is_rewritten_to_its_home(tmp_path):
    contracts = LEGACY["contracts/importcanon.toml"] + '\n[[canonical]]\nsymbol = "Thing"\nmodule = "app.core.mod"\n'
    user = "from app.core.things import Thing\n"
    root = make(tmp_path, {"contracts/importcanon.toml": contracts, "app/user.py": user})

    run = fix(root)

    assert run.exit_code == 0, run.stdout
    assert source(root, "app/user.py") == "from app.core.mod import Thing\n"


# Refusals -----------------------------------------------------------------------------------------


def test_a_divergent_alias_is_never_rewritten(tmp_path):
    contracts = LEGACY["contracts/importcanon.toml"] + '\n[[canonical]]\nsymbol = "Thing"\nmodule = "app.core.things"\n'
    root = make(
        tmp_path,
        {
            "contracts/importcanon.toml": contracts,
            "app/core/other.py": "from app.core.things import Other as Thing\n",
            "app/user.py": "from app.core.other import Thing\n",
        },
    )

    run = fix(root)

    assert source(root, "app/user.py") == "from app.core.other import Thing\n"
    assert "there it is app.core.things.Other, not the canonical app.core.things.Thing" in run.stdout
    assert "[different-object]" in run.stdout


def test_an_edit_that_would_close_an_import_time_cycle_is_refused(tmp_path):
    contracts = LEGACY["contracts/importcanon.toml"] + '\n[[canonical]]\nsymbol = "Thing"\nmodule = "app.core.facade"\n'
    root = make(
        tmp_path,
        {
            "contracts/importcanon.toml": contracts,
            "app/core/facade.py": "from app.core.things import Thing\nimport app.user\n",
            "app/user.py": "from app.core.mod import Thing\n",  # from the defining module, it is no finding
        },
    )

    run = fix(root)

    assert source(root, "app/user.py") == "from app.core.mod import Thing\n"
    assert "would close an import-time cycle: app.user -> app.core.facade -> app.user" in run.stdout


def test_an_edit_that_would_run_on_an_import_time_cycle_already_there_is_refused_too(tmp_path):
    # Nothing new for a [cycles] contract, but the new statement meets app.core.facade part-way
    # through its import, when Thing may not be bound yet.
    contracts = LEGACY["contracts/importcanon.toml"] + '\n[[canonical]]\nsymbol = "Thing"\nmodule = "app.core.facade"\n'
    root = make(
        tmp_path,
        {
            "contracts/importcanon.toml": contracts + "\n[cycles]\n",
            "app/core/facade.py": "from app.core.things import Thing\nimport app.user\n",
            "app/user.py": "import app.core.facade\nfrom app.core.mod import Thing\n",
        },
    )

    run = fix(root)

    assert source(root, "app/user.py") == "import app.core.facade\nfrom app.core.mod import Thing\n"
    assert (
        "from app.core.facade import Thing would run at import time on an import-time cycle (there already): "
        "app.user -> app.core.facade -> app.user [cycle]" in run.stdout
    )


# Cycles: the [cycles] contract's own graph, as check and can-import see it -----------------------

# Thing lives in app.core.home; app.user takes it from the package, so fix would import it from its
# home, adding app.user -> app.core.home. The home's only import of app.user is for type checkers.
TYPED = {
    "app/__init__.py": "",
    "app/core/__init__.py": "from app.core.home import Thing\n",
    "app/core/home.py": """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from app.user import Helper


        class Thing:
            pass
    """,
    "app/user.py": """
        from app.core import Thing


        class Helper:
            pass
    """,
    "contracts/importcanon.toml": """
        [settings]
        root_packages = ["app"]

        [[canonical]]
        symbol = "Thing"
        module = "app.core.home"

        [cycles]
    """,
}


def typed(
    tmp_path: Path, extra: dict[str, str] | None = None, cycles: str = "[cycles]\n", roots: str = '["app"]'
) -> Path:
    """TYPED with ``extra`` files, another ``[cycles]`` table or other root packages."""
    contracts = dedent(TYPED["contracts/importcanon.toml"])
    contracts = contracts.replace("[cycles]\n", cycles).replace('["app"]', roots, 1)
    return make(tmp_path, {"contracts/importcanon.toml": contracts, **(extra or {})}, base=TYPED)


def test_a_cycle_only_through_a_type_checking_import_refuses_no_edit(tmp_path):
    root = typed(tmp_path)

    run = fix(root)

    assert run.exit_code == 0, run.stdout + run.stderr
    assert source(root, "app/user.py").startswith("from app.core.home import Thing\n")
    assert "cycle" not in run.stdout
    assert run_cli("check", root, "--no-cache", "--format", "json").findings("import-cycle") == []


def test_a_cycle_through_a_type_checking_import_refuses_the_edit_when_the_contract_counts_them(tmp_path):
    root = typed(tmp_path, cycles="[cycles]\nexclude_type_checking = false\n")

    run = fix(root)

    assert source(root, "app/user.py").startswith("from app.core import Thing\n")
    assert (
        "from app.core.home import Thing would close a new deferred import cycle ([cycles] contract): "
        "app.user -> app.core.home -> app.user [cycle]" in run.stdout
    )


def test_fix_names_the_cycle_check_would_count_and_can_import_names_it_too(tmp_path):
    # A shorter way back runs through the type-checking import; the one check counts is longer.
    home = dedent(TYPED["app/core/home.py"]).replace("from typing import", "import app.audit\nfrom typing import")
    audit = "def log():\n    from app.user import Helper\n\n    return Helper\n"
    root = typed(tmp_path, {"app/core/home.py": home, "app/audit.py": audit})

    run = fix(root)
    asked = run_cli("can-import", "app.user", "app.core.home", root, "--no-cache", "--format", "json")

    cycle = "app.user -> app.core.home -> app.audit -> app.user"
    assert source(root, "app/user.py").startswith("from app.core import Thing\n")
    assert f"would close a new deferred import cycle ([cycles] contract): {cycle} [cycle]" in run.stdout
    assert [o["reason"] for o in asked.json["objections"] if o["contract"] == "cycles"] == [
        f"it would close a new deferred import cycle: {cycle}"
    ]


@pytest.mark.parametrize(
    ("user", "kind"),
    [
        ("from app.core import Thing\n\n\nclass Helper:\n    pass\n", "import-time"),
        # The edited import runs only when make() is called: the cycle cannot break start-up.
        ("def make():\n    from app.core import Thing\n\n    return Thing\n\n\nclass Helper:\n    pass\n", "deferred"),
    ],
)
def test_a_refused_edit_says_whether_the_cycle_it_would_close_runs_at_import_time(tmp_path, user, kind):
    home = dedent(TYPED["app/core/home.py"]).replace("from typing import", "import app.audit\nfrom typing import")
    root = typed(tmp_path, {"app/core/home.py": home, "app/audit.py": "import app.user\n", "app/user.py": user})

    run = fix(root)

    assert (
        f"from app.core.home import Thing would close a new {kind} import cycle ([cycles] contract): "
        "app.user -> app.core.home -> app.audit -> app.user [cycle]" in run.stdout
    )


def test_a_cycle_outside_the_packages_of_the_cycles_contract_refuses_no_edit(tmp_path):
    home = dedent(TYPED["app/core/home.py"]).replace("from typing import", "import tools.audit\nfrom typing import")
    root = typed(
        tmp_path,
        {
            "app/core/home.py": home,
            "tools/__init__.py": "",
            "tools/audit.py": "def log():\n    from app.user import Helper\n\n    return Helper\n",
        },
        cycles='[cycles]\npackages = ["app"]\n',
        roots='["app", "tools"]',
    )

    run = fix(root)

    assert run.exit_code == 0, run.stdout + run.stderr
    assert source(root, "app/user.py").startswith("from app.core.home import Thing\n")
    assert run_cli("check", root, "--no-cache", "--format", "json").findings("import-cycle") == []


def test_an_import_that_turns_a_type_checking_import_into_a_real_one_can_close_a_cycle(tmp_path):
    home = "def make():\n    from app.user import Helper\n\n    return Helper\n\n\nclass Thing:\n    pass\n"
    user = """
        from typing import TYPE_CHECKING

        from app.core import Thing

        if TYPE_CHECKING:
            import app.core.home


        class Helper:
            pass
    """
    root = typed(tmp_path, {"app/core/home.py": home, "app/user.py": user})

    run = fix(root)
    asked = run_cli("can-import", "app.user", "app.core.home", root, "--no-cache", "--format", "json")

    assert "from app.core import Thing\n" in source(root, "app/user.py")
    cycle = "app.user -> app.core.home -> app.user"
    assert f"would close a new deferred import cycle ([cycles] contract): {cycle} [cycle]" in run.stdout
    assert f"it would close a new deferred import cycle: {cycle}" in [o["reason"] for o in asked.json["objections"]]


def test_an_edit_that_would_break_an_import_linter_contract_is_refused(tmp_path):
    root = make(
        tmp_path,
        {
            "app/web.py": "from app.legacy import Thing\n",
            ".importlinter": """
                [importlinter]
                root_package = app

                [importlinter:contract:web]
                name = The web never touches the things directly
                type = forbidden
                source_modules = app.web
                forbidden_modules = app.core.things
                allow_indirect_imports = true
            """,
        },
    )

    run = fix(root)

    assert source(root, "app/web.py") == "from app.legacy import Thing\n"
    assert "would break the import-linter contract 'The web never touches the things directly'" in run.stdout


def test_a_file_that_does_not_parse_is_not_touched_and_is_listed(tmp_path):
    newer = "from app.legacy import Thing\n\ntype Alias = Thing\n"  # 3.12 syntax: read through libcst on 3.11
    root = make(tmp_path, {"app/newer.py": newer, "app/broken.py": "from app.legacy import Thing\ndef (:\n"})

    run = fix(root)

    assert source(root, "app/broken.py") == "from app.legacy import Thing\ndef (:\n"
    assert "app/broken.py:2: syntax-error the file: the file does not parse" in run.stdout
    # Newer syntax is no obstacle: its facts come through libcst on any Python, so it is fixed.
    assert source(root, "app/newer.py") == "from app.core.things import Thing\n\ntype Alias = Thing\n"


def test_files_are_never_written_through_a_symbolic_link(tmp_path):
    root = make(tmp_path, {"app/user.py": "from app.legacy import Thing\n"})
    outside = tmp_path / "outside.py"
    outside.write_text("from app.legacy import Thing\n")
    os.symlink(outside, root / "app" / "linked.py")

    run = fix(root)

    assert outside.read_text() == "from app.legacy import Thing\n"
    assert "app/linked.py: not written: app/linked.py is a symbolic link" in run.stdout
    assert source(root, "app/user.py") == "from app.core.things import Thing\n"
    assert run.exit_code == 1


# Deprecated names ---------------------------------------------------------------------------------

DEPRECATED = """
    [settings]
    root_packages = ["app"]

    [[deprecated]]
    name = "app.old.make_thing"
    replacement = "app.new.build_thing"
    {drop_in}
"""


def deprecated_project(tmp_path: Path, drop_in: str) -> Path:
    return make(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/old.py": "def make_thing(size):\n    return size\n",
            "app/new.py": "def build_thing(size):\n    return size\n",
            "app/user.py": "from app.old import make_thing\n\nVALUE = make_thing(3)\n",
            "app/aliased.py": "from app.old import make_thing as mk\n\nVALUE = mk(size=3)\n",
            "contracts/importcanon.toml": DEPRECATED.format(drop_in=drop_in),
        },
        base={},
    )


def test_a_drop_in_replacement_is_swapped_in_with_its_references(tmp_path):
    root = deprecated_project(tmp_path, "drop_in = true")

    run = fix(root)
    check = run_cli("check", root, "--no-cache", "--no-baseline", "--format", "json")

    assert run.exit_code == 0, run.stdout
    assert source(root, "app/user.py") == "from app.new import build_thing\n\nVALUE = build_thing(3)\n"
    assert source(root, "app/aliased.py") == "from app.new import build_thing as mk\n\nVALUE = mk(size=3)\n"
    assert check.findings("deprecated-usage") == []


def test_a_call_through_a_local_alias_is_swapped_with_the_name_it_was_given(tmp_path):
    """``fn = make_thing`` in a function, then ``fn(3)``: the alias reads the import's name, which
    the rewrite renames; an alias of a module attribute (``fn = old.make_thing``) is left for a
    human, who rewrites the assignment."""
    root = deprecated_project(tmp_path, "drop_in = true")
    local = "from app.old import make_thing\n\n\ndef run():\n    fn = make_thing\n    return fn(3)\n"
    attribute = "import app.old as old\n\n\ndef run():\n    fn = old.make_thing\n    return fn(3)\n"
    (root / "app/local.py").write_text(local, encoding="utf-8")
    (root / "app/attribute.py").write_text(attribute, encoding="utf-8")
    before = run_cli("check", root, "--no-cache", "--no-baseline", "--format", "json")

    run = fix(root)
    after = run_cli("check", root, "--no-cache", "--no-baseline", "--format", "json")

    calls = {(f["path"], f["line"], f["callee"]) for f in before.findings("deprecated-usage") if f["usage"] == "call"}
    assert {("app/local.py", 6, "fn"), ("app/attribute.py", 6, "fn")} <= calls
    assert source(root, "app/local.py") == local.replace("make_thing", "build_thing").replace("app.old", "app.new")
    assert source(root, "app/attribute.py") == attribute
    assert "called through a module attribute (old.make_thing, by the local alias fn)" in run.stdout
    assert [(f["path"], f["line"]) for f in after.findings("deprecated-usage")] == [("app/attribute.py", 6)]


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        pytest.param(
            {"app/user.py": 'from app.old import make_thing\n\n__all__ = ["make_thing"]\nVALUE = make_thing(3)\n'},
            "app.user exports make_thing (listed in its __all__)",
            id="listed-in-__all__",
        ),
        pytest.param(
            {"app/client.py": "import app.user\n\nX = app.user.make_thing(2)\n"},
            "app.client imports app.user and mentions make_thing: it may read app.user.make_thing",
            id="read-as-an-attribute",
        ),
    ],
)
def test_a_renaming_drop_in_is_left_where_other_modules_see_the_old_name(tmp_path, extra, why):
    root = deprecated_project(tmp_path, "drop_in = true")
    for path, text in extra.items():
        (root / path).write_text(text, encoding="utf-8")
    user = source(root, "app/user.py")

    run = fix(root)

    assert source(root, "app/user.py") == user
    assert "from app.new import build_thing would leave app.user without make_thing" in run.stdout
    assert why in run.stdout
    assert "[exported]" in run.stdout


def test_a_replacement_not_declared_a_drop_in_is_reported_and_left(tmp_path):
    root = deprecated_project(tmp_path, "")

    run = fix(root)

    assert source(root, "app/user.py") == "from app.old import make_thing\n\nVALUE = make_thing(3)\n"
    assert "does not declare app.new.build_thing a drop-in (drop_in = true)" in run.stdout
    assert "refused 4 (not-drop-in 4)" in run.stdout


@pytest.mark.parametrize(
    ("line", "message"),
    [('drop_in = "yes"', "must be true or false"), ("drop_in = true", "drop_in = true needs a replacement")],
)
def test_drop_in_is_validated(tmp_path, line, message):
    root = deprecated_project(tmp_path, line)
    if "needs" in message:
        toml = root / "contracts" / "importcanon.toml"
        toml.write_text(toml.read_text().replace('replacement = "app.new.build_thing"', ""))

    run = fix(root)

    assert run.exit_code == 2
    assert message in run.stderr
    assert "contracts/importcanon.toml" in run.stderr


# Modes --------------------------------------------------------------------------------------------


def test_diff_prints_a_patch_and_writes_nothing(tmp_path):
    root = make(tmp_path, {"app/user.py": "from app.legacy import Thing\n"})

    run = fix(root, "--diff")

    assert run.exit_code == 0
    assert source(root, "app/user.py") == "from app.legacy import Thing\n"
    assert run.stdout == (
        "--- a/app/user.py\n+++ b/app/user.py\n@@ -1 +1 @@\n"
        "-from app.legacy import Thing\n+from app.core.things import Thing\n"
    )
    assert "would rewrite 1 import in 1 file" in run.stderr


def test_check_fails_while_anything_would_change_and_a_second_run_changes_nothing(tmp_path):
    root = make(tmp_path, {"app/user.py": "from app.legacy import Thing\nfrom app.legacy.mod import Thing as T\n"})

    before = fix(root, "--check")
    first = fix(root)
    written = source(root, "app/user.py")
    second = fix(root)
    after = fix(root, "--check")

    assert before.exit_code == 1
    assert source(root, "app/user.py") == written
    assert written == "from app.core.things import Thing, Thing as T\n"
    assert first.exit_code == 0 and "rewrote 2 imports in 1 file" in first.stdout
    assert "rewrote 0 imports in 0 files" in second.stdout
    assert after.exit_code == 0


def test_rules_select_what_is_rewritten(tmp_path):
    contracts = LEGACY["contracts/importcanon.toml"] + '\n[[canonical]]\nsymbol = "Thing"\nmodule = "app.core.mod"\n'
    root = make(
        tmp_path,
        {
            "contracts/importcanon.toml": contracts,
            "app/user.py": "from app.core.things import Thing\n",
            "app/old_user.py": "from app.legacy import Other\n",
        },
    )

    run = fix(root, "--rule", "legacy-import")
    wrong = fix(root, "--rule", "import-cycle")

    assert run.exit_code == 0
    assert source(root, "app/user.py") == "from app.core.things import Thing\n"
    assert source(root, "app/old_user.py") == "from app.core.things import Other\n"
    assert wrong.exit_code == 2 and "fix cannot rewrite import-cycle" in wrong.stderr


def test_dead_shims_are_deleted_and_the_others_say_who_still_imports_them(tmp_path):
    root = make(
        tmp_path,
        {
            "app/user.py": "from app.legacy.mod import Thing\n",
            "app/user2.py": "from app.legacy import Other\n",
            "app/core/shim.py": "from app.core.things import Other\n",
            "app/core/shim_user.py": "from app.core.shim import Other\n",
        },
    )

    run = fix(root, "--delete-dead-shims")

    assert run.exit_code == 0, run.stdout
    assert not (root / "app/legacy/mod.py").exists()
    assert (root / "app/core/mod.py").exists()  # a shim too, but nothing imported it before the fix
    assert "shim app.core.mod kept: nothing in the root packages imported it before either" in run.stdout
    assert "shim app.core.shim kept: still imported by app.core.shim_user" in run.stdout
    assert "shim app.legacy kept: a package __init__" in run.stdout


# The sample ---------------------------------------------------------------------------------------


def test_on_the_sample_fix_leaves_only_what_needs_a_human_and_the_baseline_shrinks(tmp_path):
    root = tmp_path / "chat-backend"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".importcanon_cache"))

    run = fix(root)
    check = run_cli("check", root, "--no-cache", "--format", "json")
    update = run_cli("baseline", "update", root, "--no-cache")
    remaining = run_cli("check", root, "--no-cache", "--no-baseline", "--format", "json")

    assert run.exit_code == 0, run.stdout
    assert "rewrote 3 imports in 2 files" in run.stdout
    assert check.json["summary"]["fixed"] == 3
    assert check.json["summary"]["new"] == 0
    assert "(-3)" in update.stdout
    assert sorted({f["rule"] for f in remaining.findings()}) == [
        "alias-divergence",
        "contract",
        "deprecated-usage",
        "duplicate-definition",
        "import-cycle",
        "shim-module",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("import os; from app.legacy import Thing\n", "import os\nfrom app.core.things import Thing\n"),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING: from app.legacy import Thing\n",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING: from app.core.things import Thing\n",
        ),
        (
            "def f():\n    from app.legacy.mod import Thing\n",
            "def f():\n    from app.core.things import Thing\n",
        ),
        (
            "from app.core.things import Other\n\n\ndef f():\n    from app.legacy import Thing  # why\n",
            "from app.core.things import Other\n\n\ndef f():\n    from app.core.things import Thing  # why\n",
        ),
        (
            "# -*- coding: latin-1 -*-\nfrom app.legacy import Thing\nNAME = 'caf\xe9'\n",
            "# -*- coding: latin-1 -*-\nfrom app.core.things import Thing\nNAME = 'caf\xe9'\n",
        ),
    ],
)
def test_statements_sharing_a_line_one_line_blocks_and_other_encodings_are_rewritten_too(tmp_path, text, expected):
    root = make(tmp_path, {"app/user.py": ""})
    encoding = "latin-1" if "latin-1" in text else "utf-8"
    (root / "app/user.py").write_bytes(text.encode(encoding))

    run = fix(root)

    assert run.exit_code == 0, run.stdout
    assert (root / "app/user.py").read_bytes().decode(encoding) == expected
    compile(expected, "user.py", "exec")


def test_an_explicit_re_export_keeps_its_redundant_alias(tmp_path):
    root = make(tmp_path, {"app/api.py": "from app.legacy import Thing as Thing\n"})

    fix(root)

    assert source(root, "app/api.py") == "from app.core.things import Thing as Thing\n"
