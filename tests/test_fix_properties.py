"""``importcanon fix`` never changes what a name is: a property over random re-export chains.

Random projects: a definitions module, a legacy package and its replacement whose modules pass
names along through every re-export form the resolver knows (plain, renamed, relative, star,
module attribute, a divergent alias), and users importing those names every way fix rewrites
(alias, relative, in a function, under TYPE_CHECKING, in try, a module alias). After fix, every
name each user binds resolves, by importcanon's own resolver, to the same object as before, and
every rewritten file compiles.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from conftest import write_project
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from importcanon.adapters.rewriting import LibcstEditor, write_changes
from importcanon.adapters.workspace import open_workspace
from importcanon.application.fixing import fix_project
from importcanon.application.project import Project
from importcanon.application.symbols import Resolved, Resolver

_counter = itertools.count()

CHAIN_FORMS = ["define", "reexport", "renamed", "relative", "star", "module_attribute", "alias_of_other"]
USE_FORMS = ["from", "alias", "function", "relative", "module_alias", "type_checking", "try"]


def _chain_module(package: str, form: str, source: str) -> str:
    """How a chain module gets its C and Other, from ``source`` (an earlier module)."""
    if form == "define":
        return "class C:\n    pass\n\n\nclass Other:\n    pass\n"
    return {
        "reexport": f"from {source} import C, Other\n",
        "renamed": f"from {source} import C as Hidden, Other\nC = Hidden\n",
        "relative": f"from {source.replace('app.' + package, '')} import C, Other\n"
        if source.startswith(f"app.{package}.")
        else f"from {source} import C, Other\n",
        "star": f"from {source} import *\n",
        "module_attribute": f"import {source} as source_module\nC = source_module.C\nOther = source_module.Other\n",
        "alias_of_other": f"from {source} import C as Original, Other\nC = Other\n",
    }[form]


def _use(index: int, form: str, source: str, name: str) -> str:
    if form == "from":
        return f"from {source} import {name}\n"
    if form == "alias":
        return f"from {source} import {name} as Alias{index}\n"
    if form == "function":
        return f"def use{index}():\n    from {source} import {name} as Local{index}\n    return Local{index}\n"
    if form == "relative":
        return f"from ..{source.removeprefix('app.')} import {name} as Relative{index}\n"
    if form == "module_alias":
        return f"import {source} as module{index}\nValue{index} = module{index}.{name}\n"
    if form == "type_checking":
        return f"from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from {source} import {name} as Typed{index}\n"
    return f"try:\n    from {source} import {name} as Tried{index}\nexcept ImportError:\n    Tried{index} = None\n"


chains = st.lists(
    st.tuples(st.sampled_from(CHAIN_FORMS), st.sampled_from(CHAIN_FORMS), st.integers(0, 20), st.booleans()),
    min_size=1,
    max_size=5,
)
uses = st.lists(
    st.tuples(st.sampled_from(USE_FORMS), st.integers(0, 20), st.booleans(), st.sampled_from(["C", "Other"])),
    min_size=1,
    max_size=8,
)


def _project(chain: list[tuple[str, str, int, bool]], users: list[tuple[str, int, bool, str]], canonical: bool) -> Path:
    files = {
        "app/__init__.py": "",
        "app/defs.py": "class C:\n    pass\n\n\nclass Other:\n    pass\n",
        "app/core/__init__.py": "",
        "app/legacy/__init__.py": "",
        "app/users/__init__.py": "",
    }
    modules = ["app.defs"]
    for index, (legacy_form, core_form, pick, from_legacy) in enumerate(chain):
        earlier = modules[pick % len(modules)]
        core_source = earlier.replace("app.legacy.", "app.core.") if not from_legacy else earlier
        files[f"app/core/m{index}.py"] = _chain_module("core", core_form, core_source)
        files[f"app/legacy/m{index}.py"] = _chain_module("legacy", legacy_form, earlier)
        modules += [f"app.core.m{index}", f"app.legacy.m{index}"]
    for index, (form, pick, legacy, name) in enumerate(users):
        source = f"app.{'legacy' if legacy else 'core'}.m{pick % len(chain)}"
        files[f"app/users/u{index}.py"] = _use(index, form, source, name)
    contracts = '[settings]\nroot_packages = ["app"]\n\n[[legacy]]\npackage = "app.legacy"\nreplacement = "app.core"\n'
    if canonical:
        contracts += '\n[[canonical]]\nsymbol = "C"\nmodule = "app.core.m0"\n'
    files["contracts/importcanon.toml"] = contracts
    root = Path(tempfile.mkdtemp(prefix=f"fixprop{next(_counter)}-"))
    return write_project(root, files)


def _meanings(project: Project) -> dict[tuple[str, str, str], Resolved | str | None]:
    """What every name bound in a user module (at any scope) resolves to. A module alias may be
    swapped for the module's moved counterpart: what counts then is what its attributes give,
    and those are bound to names of their own (``Value = module.C``), compared like any other."""
    resolver = Resolver(project)
    meanings: dict[tuple[str, str, str], Resolved | str | None] = {}
    for module in sorted(m for m in project.modules if m.startswith("app.users.u")):
        parsed = resolver.parsed(module)
        assert parsed is not None
        for statement in parsed.imports:
            scope_name = parsed.scopes[statement.scope][1]
            for binding in resolver.import_bindings(module, statement):
                meaning = resolver.resolve_dotted(module, binding.name, statement.scope)
                meanings[(module, scope_name, binding.name)] = "a module" if meaning and meaning.is_module else meaning
        for name in resolver.namespace(module):
            meaning = resolver.resolve(module, name)
            meanings[(module, "<namespace>", name)] = "a module" if meaning and meaning.is_module else meaning
    return meanings


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains, uses, st.booleans())
def test_every_rewritten_name_means_the_same_object_and_every_file_compiles(chain, users, canonical):
    root = _project(chain, users, canonical)
    workspace = open_workspace(root, cache_dir=None, use_cache=False)
    before = _meanings(workspace.project)
    result = fix_project(workspace.project, workspace.import_linter, workspace.contracts, LibcstEditor(root))
    assert write_changes(root, ["app"], result.changes) == []
    note(f"rewritten: {[e.old_statement + ' -> ' + e.statement for e in result.rewritten]}")
    note(f"refused: {[(r.what, r.reason) for r in result.plan.refusals]}")
    event(f"files rewritten: {min(len(result.changes), 3)}")
    event(f"refusals: {min(len(result.plan.refusals), 3)}")

    again = open_workspace(root, cache_dir=None, use_cache=False)
    after = _meanings(again.project)
    second = fix_project(again.project, again.import_linter, again.contracts, LibcstEditor(root))

    for change in result.changes:
        assert change.after is not None
        compile(change.after, change.path, "exec")
    assert {key: (before[key], after.get(key)) for key in before if before[key] != after.get(key)} == {}
    assert second.changes == []  # a second run changes nothing
