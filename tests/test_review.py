"""Regressions found by trying every command as a new user would, on real packages."""

from __future__ import annotations

import json

from conftest import run_cli

STALE = {
    "app/__init__.py": "",
    "app/core.py": "def make():\n    return 1\n",
    "app/user.py": "from app.core import make\n\nX = make()\n",
    "contracts/importcanon.toml": """
        [[deprecated]]
        name = "app.core.make"
    """,
}


def test_a_stale_contract_is_not_growth_that_allow_growth_would_record(project):
    root = project(STALE)
    assert run_cli("baseline", "create", root).exit_code == 0
    contracts = root / "contracts" / "importcanon.toml"
    contracts.write_text(contracts.read_text() + '\n[[deprecated]]\nname = "app.core.mkae"\n')
    baseline = root / "contracts" / "baseline.json"
    before = baseline.read_bytes()

    update = run_cli("baseline", "update", root)
    growth = run_cli("baseline", "update", root, "--allow-growth")
    check = run_cli("check", root, "--format", "json")

    assert update.exit_code == 0, update.stdout
    assert "--allow-growth" not in update.stdout  # it would not record a stale contract either
    assert "not recorded, never baselined (check fails until they are fixed): 1 finding" in update.stdout
    assert "contracts/importcanon.toml:4: stale-contract [[deprecated]] name app.core.mkae" in update.stdout
    assert growth.stdout == update.stdout
    assert json.loads(baseline.read_bytes()) == json.loads(before)
    assert check.exit_code == 1
    assert [f["rule"] for f in check.findings() if f["status"] == "new"] == ["stale-contract"]


def test_baseline_create_says_what_it_could_not_record(project):
    files = dict(STALE)
    files["contracts/importcanon.toml"] += '\n[[legacy]]\npackage = "app.old"\nreplacement = "app.core"\n'
    root = project(files)

    create = run_cli("baseline", "create", root)

    assert create.exit_code == 0
    assert "wrote contracts/baseline.json: 2 known violations in 2 entries" in create.stdout
    assert "not recorded, never baselined (check fails until they are fixed): 1 finding" in create.stdout
    assert "stale-contract [[legacy]] package app.old" in create.stdout


def test_real_growth_beside_a_stale_contract_is_still_refused(project):
    root = project(STALE)
    assert run_cli("baseline", "create", root).exit_code == 0
    (root / "app" / "other.py").write_text("from app.core import make\n\nY = make()\n")
    contracts = root / "contracts" / "importcanon.toml"
    contracts.write_text(contracts.read_text() + '\n[[deprecated]]\nname = "app.core.mkae"\n')

    update = run_cli("baseline", "update", root)

    assert update.exit_code == 1
    assert "refusing to add 2 new findings" in update.stdout  # the import and the call
    assert "app/other.py:1: deprecated-usage" in update.stdout
    assert "stale-contract" not in update.stdout.split("(use --allow-growth):")[1]


LEGACY_MODULE = {
    "app/__init__.py": "",
    "app/sql.py": "def select():\n    return 1\n",
    "app/engine/__init__.py": "def connect():\n    return 2\n",
    "app/future/__init__.py": "from app.sql import select\n",
    "app/user.py": """
        from app import future
        import app.future as fut
        from app.future import select

        X = future.select() + fut.select() + select()
    """,
    "contracts/importcanon.toml": """
        [[legacy]]
        package = "app.future"
        replacement = "app.engine"
    """,
}


def test_a_legacy_module_replaced_by_its_namesake_is_not_promised_to_behave_the_same(project):
    """``future.select`` does not exist in app.engine: the suggestion may not call the namesake
    module a drop-in (fix refuses that rewrite); it says what has to move first, as fix finds by
    the file's uses. A resolved object stays a plain statement."""
    root = project(LEGACY_MODULE)

    run = run_cli("check", root, "--format", "json")

    suggestions = {f["line"]: f["suggestion"] for f in run.findings("legacy-import")}
    move = "Move app.future.select into app.engine first: it has no counterpart there yet."
    assert suggestions[1] == move
    assert suggestions[2] == move
    assert suggestions[3] == "Write instead: from app.sql import select"
    fix = run_cli("fix", root, "--diff")
    assert "from app.sql import select" in fix.stdout
    assert "from app import engine" not in fix.stdout


def test_a_package_passing_on_names_from_outside_is_not_told_to_delete_itself(project):
    """django.forms re-exports ValidationError beside its own modules: the package stays, the
    re-export should go; a plain shim module that nothing imports is told so, not '0 modules'."""
    root = project(
        {
            "app/__init__.py": "",
            "app/errors.py": "class Invalid(Exception):\n    pass\n",
            "app/forms/__init__.py": "from app.errors import Invalid\nfrom app.forms.fields import Field\n",
            "app/forms/fields.py": "class Field:\n    pass\n",
            "app/compat.py": "from app.errors import Invalid\n",
            "app/user.py": "from app.forms import Field, Invalid\n",
            "contracts/importcanon.toml": '[cycles]\npackages = ["app"]\n',
        }
    )

    run = run_cli("check", root, "--format", "json")

    shims = {f["module"]: f for f in run.findings("shim-module")}
    package, module = shims["app.forms"], shims["app.compat"]
    assert package["message"] == (
        "app.forms re-exports code that lives outside the package (Invalid from app.errors): a second import path"
    )
    assert "and drop them from app.forms once nothing imports them from there;" in package["suggestion"]
    assert "delete" not in package["suggestion"]
    assert module["message"].startswith("app.compat only re-exports code that lives elsewhere (Invalid from")
    assert "from app.errors import Invalid) and delete it: nothing imports it;" in module["suggestion"]


DYNAMIC_ALL = {
    "app/__init__.py": "",
    "app/models/__init__.py": """
        from app.models.fields import *
        from app.models.fields import __all__ as fields_all
        from app.models.signals import Signal

        __all__ = fields_all
        __all__ += ["Signal"]
    """,
    "app/models/fields.py": '__all__ = ["CharField"]\n\n\nclass CharField:\n    pass\n',
    "app/models/signals.py": "class Signal:\n    pass\n",
    "app/gis/__init__.py": "from app.models import *\n",
    "app/user.py": "from app.gis import CharField, Signal\n",
    "contracts/importcanon.toml": '[cycles]\npackages = ["app"]\n',
}


def test_an_all_computed_at_run_time_then_extended_stays_unknown(project):
    """django.db.models: ``__all__ = fields_all + ...`` then ``__all__ += [...]``. Python's star
    import takes the whole list, so the extension alone is not the module's interface."""
    root = project(DYNAMIC_ALL)

    where = run_cli("where", "app.gis.CharField", root, "--format", "json")
    check = run_cli("check", root, "--format", "json")

    assert where.json["asked_resolves_to"] == "app.models.fields.CharField"
    assert where.json["asked_broken"] is None
    assert check.findings("broken-import") == []


def test_a_package_that_declares_its_interface_without_a_name_does_not_re_export_it(project):
    """django.db.models.fields imports cached_property for its own use and declares __all__
    without it: not a second home. A package without __all__ still passes its imports on."""
    root = project(
        {
            "app/__init__.py": "",
            "app/functional.py": "def cached(f):\n    return f\n",
            "app/fields/__init__.py": """
                __all__ = ["Field"]
                from app.functional import cached


                class Field:
                    pass
            """,
            "app/facade/__init__.py": "from app.functional import cached\n",
            "contracts/importcanon.toml": '[[canonical]]\nsymbol = "cached"\nmodule = "app.functional"\n',
        }
    )

    where = run_cli("where", "cached", root, "--format", "json")
    check = run_cli("check", root, "--format", "json", "--no-baseline")

    assert [(b["module"], b["kind"]) for b in where.json["bindings"]] == [
        ("app.facade", "re-export"),
        ("app.functional", "definition"),
    ]
    symbols = check.json["metrics"]["fragmentation"]["symbols"]
    assert symbols["cached"]["binding_modules"] == ["app.facade", "app.functional"]


def test_why_does_not_count_only_the_chains_it_shows(project):
    """why --max 2 on four chains used to say 'through 2 chains': a floor stated as a count."""
    files = {"app/__init__.py": "", "app/top.py": "", "app/bottom.py": "", "contracts/c.toml": "[cycles]\n"}
    files["app/top.py"] = "".join(f"import app.mid{i}\n" for i in range(4))
    files.update({f"app/mid{i}.py": "import app.bottom\n" for i in range(4)})
    root = project(files)

    capped = run_cli("why", "app.top", "app.bottom", root, "--max", "2")
    exact = run_cli("why", "app.top", "app.bottom", root, "--max", "4")
    capped_json = run_cli("why", "app.top", "app.bottom", root, "--max", "2", "--format", "json")

    assert capped.stdout.splitlines()[0] == (
        "app.top reaches app.bottom through more than 2 chains; the 2 shortest (raise --max for more):"
    )
    assert capped.stdout.count("\nchain ") == 2
    assert exact.stdout.splitlines()[0] == "app.top reaches app.bottom through 4 chains (shortest first):"
    assert capped_json.json["more"] is True and len(capped_json.json["chains"]) == 2
    assert run_cli("why", "app.top", "app.bottom", root, "--max", "4", "--format", "json").json["more"] is False


LAYER_BREAK = {
    "app/__init__.py": "",
    "app/high.py": "",
    "app/low.py": "import app.high\n",
    ".importlinter": """
        [importlinter]
        root_package = app

        [importlinter:contract:layers]
        name = Layers
        type = layers
        layers =
            app.high
            app.low
    """,
}


def test_one_line_listings_do_not_end_on_the_colon_of_the_details_they_leave_out(project):
    """A contract finding's first line introduces its chain with ':'; markdown and
    --show-baselined list that line alone, which read as cut off."""
    root = project(LAYER_BREAK)
    assert run_cli("baseline", "create", root).exit_code == 0

    markdown = run_cli("check", root, "--format", "markdown", "--no-baseline")
    text = run_cli("check", root, "--show-baselined")

    headline = "app.low is not allowed to import app.high \\(contract 'Layers'\\)"
    assert f"- `app/low.py:1` **contract** {headline}\n" in markdown.stdout
    assert "app/low.py:1: contract [baselined] app.low is not allowed to import app.high (contract 'Layers')\n" in (
        text.stdout
    )


def test_an_ignored_stale_contract_still_keeps_the_violations_recorded_for_it(project):
    """Ignoring the stale-contract rule hides the finding, not the fact that the contract now
    checks nothing: its recorded violations were not looked at, so they are not fixed."""
    root = project(STALE)
    assert run_cli("baseline", "create", root).exit_code == 0
    baseline = root / "contracts" / "baseline.json"
    before = baseline.read_bytes()
    contracts = root / "contracts" / "importcanon.toml"
    typo = contracts.read_text().replace("app.core.make", "app.core.mkae")
    contracts.write_text(typo + '\n[settings]\nignore = ["stale-contract"]\n')

    check = run_cli("check", root, "--format", "json")
    update = run_cli("baseline", "update", root)

    assert check.exit_code == 0, check.stdout
    assert check.json["summary"] == {"new": 0, "baselined": 0, "fixed": 0}
    assert update.exit_code == 0, update.stdout
    assert json.loads(baseline.read_bytes()) == json.loads(before)


def test_a_deprecated_name_a_module_getattr_may_provide_is_not_a_stale_contract(project):
    """PEP 562 ``__getattr__`` is how modules deprecate names: what it provides cannot be seen
    statically, so the contract is not judged; a plain typo beside it still is."""
    root = project(
        {
            "app/__init__.py": "",
            "app/compat.py": (
                "def __getattr__(name):\n    if name == 'old':\n        return 1\n    raise AttributeError(name)\n"
            ),
            "app/core.py": "def make():\n    return 1\n",
            "contracts/importcanon.toml": (
                '[[deprecated]]\nname = "app.compat.old"\n\n[[deprecated]]\nname = "app.core.mkae"\n'
            ),
        }
    )

    run = run_cli("check", root, "--format", "json")

    assert [f["names"] for f in run.findings("stale-contract")] == ["app.core.mkae"]
