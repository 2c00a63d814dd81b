"""What a ``[[legacy]]`` contract tells an importer: ``check``'s message and suggestion, and
``can-import``'s objection, agree with one another and with what the replacement really has.

Home Assistant's layout: ``homeassistant.backports.functools`` defines ``cached_property``, which
``homeassistant.util`` (the replacement) does not have; ``backports.enum`` passes the standard
library's ``StrEnum`` on. sympy's: ``sympy.codegen.ast`` re-exports ``Integer`` from sympy.core
beside classes of its own that ``sympy.printing`` (the replacement) has no counterpart of.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES

import pytest
from conftest import run_cli

BACKPORTS = {
    "ha/__init__.py": "",
    "ha/backports/__init__.py": '"""Backports."""\n',
    "ha/backports/functools.py": (
        "from ha.helpers import retry\n\n\nclass cached_property:\n    pass\n\n\nclass total_ordering:\n    pass\n"
    ),
    "ha/backports/enum.py": "from enum import StrEnum\n",
    "ha/backports/json.py": "from ha.util.json import dumps\n",
    "ha/util/__init__.py": "",
    "ha/util/enum.py": "def try_parse_enum():\n    pass\n",
    "ha/util/json.py": "def dumps():\n    pass\n",
    "ha/helpers.py": "def retry():\n    pass\n",
    "ha/core.py": "from ha.backports.functools import cached_property\n",
    "ha/strings.py": "from ha.backports.enum import StrEnum\n",
    "ha/moved.py": "from ha.backports.json import dumps\n",
    "ha/mixed.py": "from ha.backports.functools import cached_property, retry, total_ordering\n",
    "ha/pair.py": "from ha.backports.functools import retry, cached_property\n",
    "ha/plain.py": "import ha.backports.functools\nimport ha.backports.json\nimport ha.backports\n",
    "ha/demo.py": "",
    "contracts/importcanon.toml": """
        [[legacy]]
        package = "ha.backports"
        replacement = "ha.util"
    """,
}


@pytest.fixture
def backports(project):
    return project(BACKPORTS)


def _legacy_findings(root):
    run = run_cli("check", root, "--format", "json", "--no-cache")
    return {(f["path"], f["line"]): f for f in run.findings("legacy-import")}


@pytest.mark.parametrize(
    ("path", "name", "module"),
    [("ha/core.py", "cached_property", "functools"), ("ha/strings.py", "StrEnum", "enum")],
)
def test_a_legacy_import_with_no_counterpart_says_where_its_code_should_move_not_that_it_lives_there(
    backports, path, name, module
):
    """Home Assistant's 57 findings said 'its code lives in homeassistant.util now' above the help
    'it has no counterpart there yet': homeassistant.util has no cached_property, and its enum
    module (backports.enum's namesake) no StrEnum."""
    finding = _legacy_findings(backports)[path, 1]

    assert finding["message"] == (
        f"imports {name} from ha.backports.{module}, inside the legacy package ha.backports "
        "(module-level import); its code should move into ha.util: it has no counterpart there yet"
    )
    assert finding["suggestion"] == (
        f"Move ha.backports.{module}.{name} into ha.util first: it has no counterpart there yet."
    )


def test_a_legacy_import_whose_code_is_in_the_replacement_says_it_lives_there(backports):
    finding = _legacy_findings(backports)["ha/moved.py", 1]

    assert finding["message"].endswith("(module-level import); its code lives in ha.util now")
    assert finding["suggestion"] == "Write instead: from ha.util.json import dumps"


@pytest.mark.parametrize(
    ("path", "whereabouts"),
    [
        (
            "ha/mixed.py",
            "retry lives in ha.helpers now; the other 2 should move into ha.util: they have no counterpart there yet",
        ),
        (
            "ha/pair.py",
            "retry lives in ha.helpers now; cached_property should move into ha.util: it has no counterpart there yet",
        ),
    ],
)
def test_a_legacy_import_of_names_found_in_part_says_which_live_where_and_which_must_move(backports, path, whereabouts):
    """sympy's c_parser imports Integer and Float (sympy.core's) with 22 classes sympy.printing
    lacks from sympy.codegen.ast; none of them lives in sympy.printing."""
    finding = _legacy_findings(backports)[path, 1]

    assert finding["message"].endswith(f"(module-level import); {whereabouts}")
    assert finding["instead"][0] == "from ha.helpers import retry"
    assert all(line.startswith("Move ha.backports.functools.") for line in finding["instead"][1:])


def test_can_import_gives_no_replacement_that_lacks_the_code(backports):
    """It said '(import from homeassistant.util instead)' where check says to move the code first."""
    run = run_cli("can-import", "ha.demo", "ha.backports.functools", backports, "--no-cache")
    json_run = run_cli("can-import", "ha.demo", "ha.backports.functools", backports, "--no-cache", "--format", "json")

    assert run.exit_code == json_run.exit_code == 1
    assert run.stdout == (
        "no: ha.demo may not import ha.backports.functools:\n"
        "  legacy ha.backports: ha.backports.functools is part of the legacy package ha.backports, kept only for "
        "old imports. Move ha.backports.functools into ha.util first: it has no counterpart there yet\n"
    )
    assert json_run.json["objections"] == [
        {
            "contract": "legacy ha.backports",
            "reason": "ha.backports.functools is part of the legacy package ha.backports, kept only for old imports. "
            "Move ha.backports.functools into ha.util first: it has no counterpart there yet",
            "instead": None,
        }
    ]


@pytest.mark.parametrize(
    ("line", "imported"),
    [(1, "ha.backports.functools"), (2, "ha.backports.json"), (3, "ha.backports")],
)
def test_can_import_says_what_check_says_of_the_same_import(backports, line, imported):
    """ha/plain.py has the very import asked about: the objection's module to import instead is the
    one check rewrites it to (none when the code has to move first), and its reason carries the
    rest of check's advice word for word (what has to move, or that the module is a namesake)."""
    finding = _legacy_findings(backports)["ha/plain.py", line]

    (objection,) = run_cli("can-import", "ha.plain", imported, backports, "--no-cache", "--format", "json").json[
        "objections"
    ]

    assert objection["instead"] == next((r["module"] for r in finding["rewrites"]), None)
    advice = finding["suggestion"].removeprefix(f"Write instead: import {objection['instead']}. ").rstrip(".")
    assert objection["reason"] == (
        f"{imported} is part of the legacy package ha.backports, kept only for old imports. {advice}"
    )


def test_can_import_from_the_replacement_itself_is_told_to_move_the_code_in(backports):
    """ha.util importing ha.backports would be told 'import ha.util': a module importing itself."""
    (objection,) = run_cli("can-import", "ha.util", "ha.backports", backports, "--no-cache", "--format", "json").json[
        "objections"
    ]

    assert objection["instead"] is None
    assert objection["reason"].endswith(
        "Move ha.backports into ha.util itself: it is the replacement, and a module cannot import from itself"
    )


# Code already in the replacement, compiled --------------------------------------------------------

#: pandas' layout: pandas.tseries.offsets only re-exports the objects of the compiled
#: pandas._libs.tslibs.offsets, inside the replacement pandas._libs.tslibs, whose __init__ passes on
#: a few of them (Day); pandas.tseries.holiday defines code of its own.
COMPILED = {
    "pd/__init__.py": "",
    "pd/_libs/__init__.py": "",
    "pd/_libs/tslibs/__init__.py": "from pd._libs.tslibs.offsets import Day\n",
    f"pd/_libs/tslibs/offsets{EXTENSION_SUFFIXES[0]}": "",
    "pd/tseries/__init__.py": "from pd.tseries.offsets import Day, Hour\n",
    "pd/tseries/offsets.py": (
        "from pd._libs.tslibs.offsets import DateOffset, Day, Hour\n\n__all__ = ['DateOffset', 'Day', 'Hour']\n"
    ),
    "pd/tseries/holiday.py": "class Holiday:\n    pass\n",
    "pd/core/__init__.py": "",
    "pd/core/api.py": "from pd.tseries.offsets import DateOffset\n",
    "pd/core/resample.py": "from pd.tseries.offsets import Day, Hour\n",
    "pd/core/top.py": "from pd.tseries import Day, Hour\n",
    "pd/core/frame.py": "from pd.tseries import offsets\n\n\ndef hour():\n    return offsets.Hour\n",
    "pd/core/holidays.py": "from pd.tseries.holiday import Holiday\n",
    "contracts/importcanon.toml": '[[legacy]]\npackage = "pd.tseries"\nreplacement = "pd._libs.tslibs"\n',
}


@pytest.fixture
def compiled(project):
    return project(COMPILED)


@pytest.mark.parametrize(
    ("path", "statement"),
    [
        ("pd/core/api.py", "from pd._libs.tslibs.offsets import DateOffset"),
        ("pd/core/resample.py", "from pd._libs.tslibs.offsets import Day, Hour"),
        ("pd/core/top.py", "from pd._libs.tslibs import Day; from pd._libs.tslibs.offsets import Hour"),
    ],
)
def test_a_name_whose_code_is_compiled_inside_the_replacement_is_imported_from_there(compiled, path, statement):
    """pandas' 136 'Move pandas.tseries.offsets.DateOffset into pandas._libs.tslibs first': every
    name of pandas.tseries.offsets is the very object of the compiled pandas._libs.tslibs.offsets.
    Where reading stops (the compiled module) stands for the defining module, as for canonical
    homes; resample.py:80 had Day resolved and Hour, on the same line, 'no counterpart'. Through
    the legacy package's __init__ (top.py), Day is passed on by the replacement itself."""
    finding = _legacy_findings(compiled)[path, 1]

    assert finding["message"].endswith("(module-level import); its code lives in pd._libs.tslibs now")
    assert finding["suggestion"] == f"Write instead: {statement}"
    name = "Hour" if "Hour" in statement else "DateOffset"
    assert {"name": name, "alias": None, "module": "pd._libs.tslibs.offsets", "attribute": name} in finding["rewrites"]


def test_a_legacy_module_whose_namesake_is_compiled_is_swapped_for_it(compiled):
    """pandas' 18 'Move pandas.tseries.offsets into pandas._libs.tslibs first' for ``from
    pandas.tseries import offsets``: the namesake is the compiled module, and offsets.Hour is the
    same object through both; a namesake still, so the hedge stays."""
    finding = _legacy_findings(compiled)["pd/core/frame.py", 1]

    assert finding["message"].endswith("(module-level import); its code lives in pd._libs.tslibs now")
    assert finding["suggestion"] == (
        "Write instead: from pd._libs.tslibs import offsets. pd._libs.tslibs.offsets stands in for "
        "pd.tseries.offsets by name only: check that what this file uses of it exists there (importcanon fix does)."
    )


def test_a_name_defined_in_the_legacy_package_still_has_to_move(compiled):
    finding = _legacy_findings(compiled)["pd/core/holidays.py", 1]

    assert (
        finding["suggestion"]
        == "Move pd.tseries.holiday.Holiday into pd._libs.tslibs first: it has no counterpart there yet."
    )


def test_can_import_accepts_a_compiled_module_of_the_project(compiled):
    """It exited 2, 'pandas._libs.tslibs.offsets does not exist in the project': Python imports it."""
    run = run_cli("can-import", "pd.core.api", "pd._libs.tslibs.offsets", compiled, "--no-cache", "--format", "json")
    missing = run_cli("can-import", "pd.core.api", "pd._libs.tslibs.absent", compiled, "--no-cache")

    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.json == {"allowed": True, "objections": [], "notes": []}
    assert missing.exit_code == 2
    assert "pd._libs.tslibs.absent does not exist in the project" in missing.stderr + missing.stdout


def test_can_import_of_the_legacy_module_names_its_compiled_namesake(compiled):
    (objection,) = run_cli(
        "can-import", "pd.core.api", "pd.tseries.offsets", compiled, "--no-cache", "--format", "json"
    ).json["objections"]

    assert objection["instead"] == "pd._libs.tslibs.offsets"


# A legacy package imported through its parent ------------------------------------------------------

#: SQLAlchemy's layout: sqlalchemy.future passes on select (sqlalchemy.sql's) and create_engine
#: (sqlalchemy.engine's); sqlalchemy.orm.context does ``from .. import future`` and calls
#: ``future.select(``, which sqlalchemy.engine (the replacement) lacks.
SWAPPED = {
    "sa/__init__.py": "",
    "sa/sql.py": "def select():\n    pass\n",
    "sa/engine/__init__.py": "def create_engine():\n    pass\n",
    "sa/future/__init__.py": "from sa.sql import select\nfrom sa.engine import create_engine\n",
    "sa/orm/__init__.py": "",
    "sa/orm/context.py": "from .. import future\n\n\ndef run():\n    return future.select()\n",
    "sa/orm/aliased.py": "import sa.future as fut\n\nX = fut.select\n",
    "sa/orm/session.py": "from .. import future\n\n\ndef run():\n    return future.create_engine()\n",
    "sa/orm/passed.py": "from .. import future\n\n\ndef run(f=future):\n    return f.select()\n",
    "contracts/importcanon.toml": '[[legacy]]\npackage = "sa.future"\nreplacement = "sa.engine"\n',
}


@pytest.fixture
def swapped(project):
    return project(SWAPPED)


def test_a_legacy_package_swapped_for_the_replacement_that_has_what_the_file_uses_lives_in_the_replacement(swapped):
    """'its code lives in sqlalchemy now' named the module imported from, the replacement's parent."""
    finding = _legacy_findings(swapped)["sa/orm/session.py", 1]

    assert finding["message"] == (
        "imports future from sa, inside the legacy package sa.future (module-level import); "
        "its code lives in sa.engine now"
    )
    assert finding["suggestion"] == (
        "Write instead: from sa import engine as future. sa.engine stands in for sa.future by name only: "
        "check that what this file uses of it exists there (importcanon fix does)."
    )


@pytest.mark.parametrize(
    ("path", "used"), [("sa/orm/context.py", "future.select"), ("sa/orm/aliased.py", "fut.select")]
)
def test_a_legacy_module_swap_that_lacks_what_the_file_uses_says_what_has_to_move_first(swapped, path, used):
    """SQLAlchemy's orm/context.py:43 got 'Write instead: from sqlalchemy import engine as future',
    hedged 'by name only', though sqlalchemy.engine has no select: fix refuses it [module-uses].
    check says what fix knows."""
    finding = _legacy_findings(swapped)[path, 1]

    assert finding["message"].endswith(
        f"(module-level import); {used} has no counterpart in sa.engine: it should move there first"
    )
    assert finding["suggestion"] == "Move sa.future.select into sa.engine first: it has no counterpart there yet."
    assert finding["rewrites"] == []
    fix = run_cli("fix", swapped, "--no-cache", "--diff")
    refused = next(line for line in fix.stderr.splitlines() if line.strip().startswith(f"{path}:1: legacy-import"))
    assert refused.endswith(
        "Move sa.future.select into sa.engine first: it has no counterpart there yet. [no-counterpart]"
    )


def test_a_legacy_module_swap_fix_would_refuse_for_another_reason_keeps_its_hedge(swapped):
    """``f=future`` passes the module on: whether f.select exists in sa.engine is fix's to refuse."""
    finding = _legacy_findings(swapped)["sa/orm/passed.py", 1]

    assert finding["suggestion"] == (
        "Write instead: from sa import engine as future. sa.engine stands in for sa.future by name only: "
        "check that what this file uses of it exists there (importcanon fix does)."
    )


def test_fix_rewrites_a_name_whose_lookups_stop_at_the_same_compiled_module(compiled):
    """check advised 'from pandas._libs.tslibs.offsets import DateOffset' where fix refused the
    very rewrite as 'unresolved' (pandas: 154 names): no reading sees into the compiled module,
    but both imports ask it for the same name, so they give the same object. A name defined in
    the legacy package stays a human's."""
    run = run_cli("fix", compiled, "--no-cache", "--rule", "legacy-import")

    assert (compiled / "pd/core/api.py").read_text() == "from pd._libs.tslibs.offsets import DateOffset\n"
    assert (compiled / "pd/core/resample.py").read_text() == "from pd._libs.tslibs.offsets import Day, Hour\n"
    assert (compiled / "pd/core/holidays.py").read_text() == "from pd.tseries.holiday import Holiday\n"
    assert "[unresolved]" not in run.stderr


# A replacement with namesakes of its own -----------------------------------------------------------

#: pydantic's layout: pydantic.v1 passes on v1's BaseModel, a different class than pydantic's own;
#: pydantic.tools only migrates names through ``__getattr__``, which a star import never calls,
#: where pydantic.deprecated.tools names them in ``__all__``; pydantic.color passes on what
#: pydantic.deprecated.color's star import does.
NAMESAKES = {
    "pd/__init__.py": "from pd.main import BaseModel\n",
    "pd/main.py": "class BaseModel:\n    pass\n",
    "pd/_migration.py": "def getattr_migration(name):\n    pass\n",
    "pd/tools.py": "from pd._migration import getattr_migration\n\n__getattr__ = getattr_migration(__name__)\n",
    "pd/color.py": "__all__ = ['Color']\n\n\nclass Color:\n    pass\n",
    "pd/v1/__init__.py": "from pd.v1.main import BaseModel\n",
    "pd/v1/main.py": "class BaseModel:\n    pass\n",
    "pd/deprecated/__init__.py": "",
    "pd/deprecated/tools.py": (
        "__all__ = 'parse_obj_as', 'schema_of'\n\n\ndef parse_obj_as():\n    pass\n\n\ndef schema_of():\n    pass\n"
    ),
    "pd/deprecated/color.py": "from pd.color import *\n",
    "pd/schema.py": (
        "def is_v1(obj):\n    from pd.v1 import BaseModel as BaseModelV1\n\n    return issubclass(obj, BaseModelV1)\n"
    ),
    "pd/api.py": "from pd.deprecated.tools import *\n",
    "pd/paint.py": "from pd.deprecated.color import *\n",
    "pd/parse.py": "from pd._migration import getattr_migration\n\n__getattr__ = getattr_migration(__name__)\n",
    "pd/deprecated/parse.py": "def load_str_bytes():\n    pass\n\n\ndef load_file():\n    pass\n",
    "pd/model.py": (
        "class Model:\n"
        "    def parse_raw(self):\n"
        "        from pd.deprecated import parse\n\n"
        "        return parse.load_str_bytes()\n\n"
        "    def parse_file(self):\n"
        "        from pd.deprecated import parse\n\n"
        "        return parse.load_file()\n"
    ),
    "contracts/importcanon.toml": """
        [[legacy]]
        package = "pd.v1"
        replacement = "pd"

        [[legacy]]
        package = "pd.deprecated"
        replacement = "pd"
    """,
}


@pytest.fixture
def namesakes(project):
    return project(NAMESAKES)


def test_a_legacy_name_whose_replacement_binds_a_different_object_names_both_and_is_not_moved_over_it(namesakes):
    """pydantic's _generate_schema.py:1073 ``from pydantic.v1 import BaseModel as BaseModelV1``
    was told 'Move pydantic.v1.main.BaseModel into pydantic first: it has no counterpart there
    yet', though pydantic.BaseModel is v2's class: moving v1's in under that name replaces it."""
    finding = _legacy_findings(namesakes)["pd/schema.py", 2]

    assert finding["message"] == (
        "imports BaseModel from pd.v1, inside the legacy package pd.v1 (deferred import); "
        "pd.BaseModel is pd.main.BaseModel, a different object than pd.v1.main.BaseModel, "
        "which has no counterpart in pd"
    )
    assert finding["suggestion"] == (
        "Decide which object is meant: importing BaseModel from pd gives pd.main.BaseModel, "
        "and moving pd.v1.main.BaseModel into pd under that name would replace it."
    )
    assert finding["rewrites"] == []
    fix = run_cli("fix", namesakes, "--no-cache", "--diff")
    refused = next(line for line in fix.stderr.splitlines() if line.strip().startswith("pd/schema.py:2: legacy-import"))
    assert refused.endswith("would replace it. [different-object]")
    assert "pd/schema.py" not in fix.stdout


def test_a_star_import_whose_replacement_binds_less_says_what_it_would_lose(namesakes):
    """pydantic/__init__.py:70 ``from .deprecated.tools import *`` was told 'Write instead: from
    pydantic.tools import *' and 'its code lives in pydantic now': that binds only
    getattr_migration, not parse_obj_as, schema_of or schema_json_of."""
    finding = _legacy_findings(namesakes)["pd/api.py", 1]

    assert finding["message"] == (
        "imports * from pd.deprecated.tools, inside the legacy package pd.deprecated (module-level import); "
        "from pd.tools import * would not bind parse_obj_as, schema_of: they should move there first"
    )
    assert finding["suggestion"] == (
        "Move pd.deprecated.tools.parse_obj_as, pd.deprecated.tools.schema_of into pd.tools first: "
        "from pd.tools import * does not bind them."
    )
    assert finding["rewrites"] == []
    fix = run_cli("fix", namesakes, "--no-cache", "--diff")
    refused = next(line for line in fix.stderr.splitlines() if line.strip().startswith("pd/api.py:1: legacy-import"))
    assert refused.endswith("does not bind them. [no-counterpart]")


def test_a_star_import_whose_replacement_passes_on_the_same_names_is_rewritten(namesakes):
    finding = _legacy_findings(namesakes)["pd/paint.py", 1]

    assert finding["message"].endswith("(module-level import); its code lives in pd now")
    assert finding["suggestion"].startswith("Write instead: from pd.color import *")
    assert finding["rewrites"] == [{"name": "*", "alias": None, "module": "pd.color", "attribute": "*"}]


@pytest.mark.parametrize(("line", "used"), [(3, "load_str_bytes"), (8, "load_file")])
def test_a_legacy_module_imported_in_two_functions_has_the_uses_of_each_checked(namesakes, line, used):
    """pydantic's main.py:1480 and 1534 (``from .deprecated import parse`` in parse_raw and in
    parse_file) were told 'Write instead: from pydantic import parse', though pydantic.parse
    lacks load_str_bytes: two bindings of the name in the file switched the check of its uses
    off, where each function's import is used only in that function."""
    finding = _legacy_findings(namesakes)["pd/model.py", line]

    assert finding["message"].endswith(
        f"(deferred import); parse.{used} has no counterpart in pd.parse: it should move there first"
    )
    assert (
        finding["suggestion"]
        == f"Move pd.deprecated.parse.{used} into pd.parse first: it has no counterpart there yet."
    )
    assert finding["rewrites"] == []
    fix = run_cli("fix", namesakes, "--no-cache", "--diff")
    refused = next(
        line_ for line_ in fix.stderr.splitlines() if line_.strip().startswith(f"pd/model.py:{line}: legacy-import")
    )
    assert refused.endswith("it has no counterpart there yet. [no-counterpart]")


def test_a_legacy_name_the_replacement_passes_on_under_another_name_is_imported_by_that_name(project):
    """sklearn.utils.fixes: ``from sklearn.externals._packaging.version import parse as
    parse_version``. An import of the legacy ``parse`` was told to move it into the replacement
    first (fix refused it as no-counterpart): the replacement passes the very object on, as
    ``parse_version``. The message said its code lived in the replacement; it is still where it was."""
    root = project(
        {
            "app/__init__.py": "",
            "app/old/__init__.py": "",
            "app/old/v.py": "def parse(s):\n    return s\n",
            "app/fixes.py": "from app.old.v import parse as parse_version\n",
            "app/user.py": "from app.old.v import parse as parse_version\nfrom app.old.v import parse\n",
            "contracts/c.toml": (
                '[settings]\nroot_packages = ["app"]\n[[legacy]]\npackage = "app.old"\nreplacement = "app.fixes"\n'
            ),
        }
    )

    findings = _legacy_findings(root)
    run = run_cli("fix", root, "--no-cache")

    assert findings["app/user.py", 1]["suggestion"] == "Write instead: from app.fixes import parse_version"
    assert findings["app/user.py", 1]["message"].endswith(
        "(module-level import); app.fixes passes it on; the code is still in app.old.v"
    )
    assert findings["app/user.py", 2]["suggestion"] == "Write instead: from app.fixes import parse_version as parse"
    assert run.exit_code == 0, run.stdout
    assert "app.fixes import parse_version as parse" in (root / "app/user.py").read_text()


def test_legacy_advice_that_would_close_a_cycle_says_so_as_fix_refuses_it(project):
    """flask/debughelpers.py: ``from .sansio.app import App`` was told to write ``from flask.app
    import App``, but flask.app imports flask.debughelpers (in a function): the rewrite closes a
    cycle the [cycles] contract reports, which fix refuses and can-import objects to."""
    root = project(
        {
            "app/__init__.py": "",
            "app/old/__init__.py": "",
            "app/old/core.py": "class App:\n    pass\n",
            "app/new.py": "from app.old.core import App\n\n\ndef debug():\n    from app import helpers\n",
            "app/helpers.py": "from app.old.core import App\n",
            "app/other.py": "from app.old.core import App\n",
            "contracts/c.toml": (
                '[settings]\nroot_packages = ["app"]\n[[legacy]]\npackage = "app.old"\nreplacement = "app.new"\n'
                "[cycles]\n"
            ),
        }
    )

    findings = _legacy_findings(root)
    fixed = run_cli("fix", root, "--diff", "--no-cache")

    helpers, other = findings["app/helpers.py", 1], findings["app/other.py", 1]
    assert helpers["suggestion"] == (
        "Write instead: from app.new import App. Only once the import cycle it would close is broken: app.new "
        "already reaches app.helpers (`importcanon fix --diff` names the cycle, and leaves this import until then)."
    )
    assert (helpers["closes_cycle"], other["closes_cycle"]) == (True, False)
    assert other["suggestion"] == "Write instead: from app.new import App"
    refused = fixed.stdout + fixed.stderr
    assert "app/helpers.py:1: legacy-import" in refused and "[cycle]" in refused
    assert "+from app.new import App" in fixed.stdout  # app/other.py: no cycle
