"""Shim modules, found automatically: contract or not, a module that only passes names along.

A shim's top level holds nothing but imports and re-bindings (plus a docstring, ``__all__``,
``warnings.warn`` and ``try/except ImportError`` around imports) and re-exports at least one name
from a project module that is not its own descendant, under its own name or a new one
(``OldName = Thing``). Not shims:

- a package ``__init__`` whose re-exports all come from its own descendants (a facade), and the
  modules a package ``__init__`` imports just to load them; one that also passes on names from
  outside its package is a shim for those names;
- names a module imports for itself while declaring its interface in ``__all__`` without them;
- re-exports of third-party names (``try: import ujson as json``): no second home of project code;
- a module that a ``[[canonical]]`` contract names as the home of a symbol: that is its purpose;
- a ``conftest.py``: pytest loads it by its path, and the fixtures and hooks it imports serve the
  tests below it (deleting it once "nothing imports it" would take them away);
- an empty module.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import NamedTuple

from importcanon.application.project import Project
from importcanon.application.symbols import Broken, Resolver
from importcanon.domain.facts import ImportKind
from importcanon.domain.findings import Finding
from importcanon.domain.modules import is_within, leaf, split_qualified, within_any

RULE = "shim-module"
_LISTED = 3
_IF_INTENDED = "if it is a deliberate public interface, name it the [[canonical]] home of its symbols."


class ReExport(NamedTuple):
    name: str
    source: str
    line: int
    resolves_to: str | None
    is_module: bool = False


def find_shims(resolver: Resolver, canonical_homes: Collection[str] = ()) -> list[Finding]:
    project = resolver.project
    findings = []
    candidates = sorted(project.facts.shim_candidates())
    project.facts.parse_ahead(candidates)
    shims = [
        (module, reexports)
        for module in candidates
        if (reexports := shim_re_exports(resolver, module, canonical_homes))
    ]
    # From the scan's records, in one pass: a forked copy of the run, which may find the shims,
    # has built no grimp graph.
    importers_of = project.importers_of(module for module, _ in shims)
    importers_by_shim = {
        module: sorted(m for m in importers_of[module] if m in project.modules and m != module) for module, _ in shims
    }
    namers = _named_without_import(project, importers_by_shim)
    for module, reexports in shims:
        importers = importers_by_shim[module]
        shown = ", ".join(shown_re_export(resolver, r) for r in reexports[:_LISTED])
        more = f" and {len(reexports) - _LISTED} more" if len(reexports) > _LISTED else ""
        is_package = module in project.modules and project.modules[module].is_package
        example = _example(resolver, reexports)
        message, advice = _wording(module, f"{shown}{more}", example, importers, is_package, namers.get(module, []))
        findings.append(
            Finding(
                rule=RULE,
                path=project.path_of(module),
                line=reexports[0].line,
                module=module,
                message=message,
                suggestion=f"{advice}; {_IF_INTENDED}",
                identity=(module,),
                details={
                    "reexports": [
                        {"name": r.name, "source": r.source, "resolves_to": r.resolves_to} for r in reexports
                    ],
                    "importers": importers,
                },
            )
        )
    return findings


def _named_without_import(project: Project, importers_by_shim: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The files that name a shim module nothing imports by its dotted path, in one search of the
    files for all of them: a setting, an entry point or a plugin list loads a module by name
    (django's ``SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"``),
    which no import shows. Packages are never advised to go, so they are not searched for."""
    unimported = [
        module
        for module, importers in importers_by_shim.items()
        if not importers and module in project.modules and not project.modules[module].is_package
    ]
    containing = project.facts.modules_containing(frozenset(unimported)) if unimported else {}
    return {
        module: sorted(project.path_of(m) or m for m in containing[module] if m != module)
        for module in unimported
        if containing[module] - {module}
    }


def _wording(
    module: str, shown: str, example: str, importers: list[str], is_package: bool, namers: list[str]
) -> tuple[str, str]:
    """The message and what to do: a shim module can go once nothing imports it; a package stays
    (it has modules of its own), only the names it passes on from outside it should go. A module
    that files name by its dotted path may be loaded by that name: it is not said to be safe to
    delete then."""
    if is_package:
        return (
            f"{module} re-exports code that lives outside the package ({shown}): a second import path",
            f"If these are compatibility re-exports, import them from where the code lives ({example}) "
            f"and drop them from {module} once nothing imports them from there",
        )
    still = "1 module still imports it" if len(importers) == 1 else f"{len(importers)} modules still import it"
    if importers:
        delete = f"delete it once nothing imports it ({still})"
    elif namers:
        shown_namers = ", ".join(namers[:_LISTED]) + (
            f" and {len(namers) - _LISTED} more" if len(namers) > _LISTED else ""
        )
        delete = (
            f"delete it once nothing names it: nothing imports it, but {shown_namers} "
            f"{'names' if len(namers) == 1 else 'name'} it (a dotted path loads it by name)"
        )
    else:
        delete = "delete it: nothing imports it"
    return (
        f"{module} only re-exports code that lives elsewhere ({shown}): a second import path",
        f"If it is a compatibility shim, import from where the code lives ({example}) and {delete}",
    )


def shim_re_exports(resolver: Resolver, module: str, canonical_homes: Collection[str]) -> list[ReExport]:
    """The re-exports that make ``module`` a shim; empty when it is not one (a facade, a declared
    canonical home, a module with code of its own, or one that re-exports nothing)."""
    source_module = resolver.project.modules.get(module)
    parsed = resolver.parsed(module)
    if source_module is None or parsed is None or not parsed.shim_shaped or module in canonical_homes:
        return []
    if leaf(module) == "conftest":  # loaded by pytest, not imported: its names are fixtures and hooks
        return []
    declared = set(parsed.all_names) if parsed.all_names is not None else None

    def may_count(name: str, source: str | None) -> bool:
        """The structural tests, taken before a name is resolved (resolving may parse other
        modules): a name left out of ``__all__``, or a package's import from its own submodules
        (``source`` None: not known before resolving), is never a shim's re-export."""
        if source_module.is_package and source is not None and is_within(source, module):
            return False
        return declared is None or name in declared or name == "*"

    everything = [r for r in re_exports(resolver, module, may_count) if may_count(r.name, r.source)]
    if source_module.is_package:
        # What it gathers from its own submodules makes it a facade; what it passes on from
        # outside its package makes it a shim for those names all the same. Modules it names
        # are loaded, not passed on.
        everything = [r for r in everything if not (r.is_module or _inside(r, module))]
    return everything


def re_exports(
    resolver: Resolver, module: str, may_count: Callable[[str, str | None], bool] = lambda name, source: True
) -> list[ReExport]:
    """Names ``module`` binds at run time by importing them from another project module (those
    ``may_count`` rejects by name and source are left out before anything is resolved)."""
    parsed = resolver.parsed(module)
    if parsed is None:
        return []
    packages = resolver.project.root_packages
    found = []
    for statement in parsed.imports:
        if statement.scope != 0 or statement.kind is ImportKind.TYPE_CHECKING:
            continue
        if statement.is_star:
            source = resolver.import_source(module, statement)
            if source and within_any(source, packages) and source != module and may_count("*", source):
                found.append(ReExport("*", source, statement.line, None))
            continue
        for binding in resolver.import_bindings(module, statement):
            source = binding.source_module
            if source is None or source == "__future__" or not within_any(source, packages):
                continue
            if binding.form == "module-import" and binding.name == binding.source_module:
                continue  # plain ``import x``: a module used, not a name passed along
            if not may_count(binding.name, source):
                continue
            outcome = resolver.lookup_binding(binding)
            if isinstance(outcome, Broken):
                continue  # passes nothing along: a broken-import finding covers it
            if outcome is None and statement.kind is ImportKind.GUARDED:
                continue  # an optional hook that may find nothing (numpy's _distributor_init_local)
            found.append(
                ReExport(
                    binding.name,
                    source,
                    binding.line,
                    outcome.qualified if outcome else None,
                    is_module=bool(outcome and outcome.is_module),
                )
            )
    found.extend(_renamed(resolver, module, may_count))
    return sorted(found, key=lambda r: (r.line, r.name))


def _renamed(resolver: Resolver, module: str, may_count: Callable[[str, str | None], bool]) -> Iterator[ReExport]:
    """``OldName = Thing`` after ``from new.home import Thing``: the commonest compatibility shim
    passes the project's object on under its old name."""
    for bindings in resolver.namespace(module).values():
        for binding in bindings:
            if binding.form != "alias" or not may_count(binding.name, None):
                continue
            resolved = resolver.resolve_binding(binding)
            if resolved is None or resolved.external or resolved.is_module or is_within(resolved.qualified, module):
                continue
            home, _ = _home(resolver, resolved.qualified)
            yield ReExport(binding.name, home, binding.line, resolved.qualified)


def _home(resolver: Resolver, qualified: str) -> tuple[str, str]:
    """The module an object lives in and its path there: ``R.Empty`` for ``app.home.R.Empty``,
    an attribute of the object ``R`` (sympy's ``EmptySequence = S.EmptySequence``). A name in no
    module of the project (a third-party or compiled one) is split at its last dot."""
    parts = qualified.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        if resolver.has_module(home := ".".join(parts[:cut])):
            return home, ".".join(parts[cut:])
    return split_qualified(qualified)


def _inside(reexport: ReExport, module: str) -> bool:
    return reexport.resolves_to is not None and is_within(reexport.resolves_to, module)


def shown_re_export(resolver: Resolver, reexport: ReExport) -> str:
    """``name from module``; with the path to the object when it is an attribute of another
    (``EmptySequence (S.EmptySequence) from sympy.core.singleton``)."""
    path = _home(resolver, reexport.resolves_to)[1] if reexport.resolves_to and not reexport.is_module else ""
    name = f"{reexport.name} ({path})" if "." in path else reexport.name
    return f"{name} from {reexport.source}"


def _example(resolver: Resolver, reexports: list[ReExport]) -> str:
    """One import statement to write instead, for a name whose real home is known."""
    for reexport in reexports:
        if reexport.resolves_to and not reexport.is_module and reexport.name != "*":
            home, path = _home(resolver, reexport.resolves_to)
            owner, dot, _ = path.partition(".")
            if dot:  # an attribute of an object: its owner is what can be imported
                return f"for example: from {home} import {owner}, then {path}"
            alias = f" as {reexport.name}" if path != reexport.name else ""
            return f"for example: from {home} import {path}{alias}"
    first = reexports[0]
    return f"{first.source}, for example"
