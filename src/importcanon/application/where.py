"""``where``: every module-level home of a name (definitions, aliases, re-exports), resolved.

Its own module, apart from the other questions (``queries``): ``check`` asks it of every
canonical symbol for the migration's numbers, and a check's start-up should not pay for the
code and classes only ``why``, ``can-import`` and ``explain`` use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from importcanon.application.analyses.canonical import is_run_time_stand_in
from importcanon.application.symbols import Broken, NameBinding, Resolved, Resolver, imports_told_by_text
from importcanon.domain.contracts import Canonical, ContractSet
from importcanon.domain.modules import is_within


class SymbolBinding(NamedTuple):
    module: str
    path: str
    line: int
    kind: str  # "definition", "alias", "re-export" or "import-alias"
    resolves_to: str | None
    broken: str | None = None  # why the binding fails at run time, when it does
    stand_in: bool = False  # the run-time stand-in of a name imported for type checkers only


class WhereReport(NamedTuple):
    symbol: str
    canonical: Canonical | None
    bindings: tuple[SymbolBinding, ...]
    import_paths: tuple[str, ...]  # every module the name is imported from, anywhere
    asked: str | None = None  # a qualified name, when that is what was asked about
    asked_resolves_to: str | None = None
    asked_broken: str | None = None  # why importing the asked name fails, when it does

    @property
    def implementations(self) -> int:
        """Distinct objects the name is bound to: 1 is a single source of truth."""
        return len({binding.resolves_to for binding in self.bindings if binding.resolves_to and not binding.stand_in})

    @property
    def binding_modules(self) -> tuple[str, ...]:
        return tuple(sorted({binding.module for binding in self.bindings}))


def where(resolver: Resolver, contracts: ContractSet, symbol: str) -> WhereReport:
    """Every module-level home of ``symbol``: definitions, aliases and re-exports, resolved.

    Modules that merely import the name for their own use are not homes and are not listed; a
    same-name import counts as a re-export when the module is itself imported from for that name,
    lists the name in its ``__all__``, or, declaring no ``__all__``, is a shim or a package
    ``__init__`` gathering the name from one of its own modules (see :func:`_reexport_by_text`).
    """
    if "." in symbol:  # ``app.core.Thing``: what it is, and where its name lives
        module, _, name = symbol.rpartition(".")
        internal = module in resolver.project.modules or resolver.missing_module(module)
        outcome = resolver.lookup(module, name) if internal else None
        report = where(resolver, contracts, name)
        answer = outcome.qualified if isinstance(outcome, Resolved) else None
        broken = outcome.reason if isinstance(outcome, Broken) else None
        return report._replace(asked=symbol, asked_resolves_to=answer, asked_broken=broken)
    project = resolver.project
    mentions = project.facts.mentions(symbol)
    # Parsed: the modules that may bind the name or import it other than plainly. The plain
    # ``from x import symbol`` of the others is known from the text; such an import is a home
    # only in a package, a possible shim, a module with ``__all__`` or one imported from.
    # What the text tells of every binding and import of the name (a module that only imports it
    # plainly, some of those perhaps in a string or a function, is left to its mentions' sources).
    told = {
        module: imports_told_by_text(resolver, module, symbol, mention)
        if mention.imports or mention.binds or mention.module_level_imports is not None
        else None
        for module, mention in mentions.items()
    }
    parsed_ones = sorted(
        module for module, mention in mentions.items() if (mention.imports or mention.binds) and told[module] is None
    )
    plain: dict[str, frozenset[str]] = {}  # the sources of the modules' plain imports of the name
    for module, mention in mentions.items():
        imports = told[module]
        if imports is not None:
            plain[module] = frozenset(source for _, source, alias in imports if alias is None)
        elif module not in parsed_ones:
            plain[module] = mention.imports_from
    plain = {module: sources for module, sources in plain.items() if sources}
    imported_from: set[str] = set().union(*plain.values())
    imported_from.update(source for imports in told.values() for _, source, _ in imports or ())
    project.facts.parse_ahead(parsed_ones)
    for module in parsed_ones:
        parsed = resolver.parsed(module)
        for statement in parsed.imports if parsed else ():
            if (statement.module is not None or statement.level) and any(n == symbol for n, _ in statement.names):
                source = resolver.import_source(module, statement)
                if source:
                    imported_from.add(source)
    with_all = project.facts.modules_containing(frozenset({"__all__"}))["__all__"]
    shims = project.facts.shim_candidates()
    homes = [
        module
        for module in plain
        if module in imported_from
        or module in with_all
        or module in shims
        or (module in project.modules and project.modules[module].is_package)
    ]
    bindings = []
    project.facts.parse_ahead(
        module
        for module in homes
        if told[module] is None
        or any(
            _reexport_by_text(resolver, module, symbol, source, imported_from, with_all, shims) is None
            for _, source, alias in told[module] or ()
            if alias is None
        )
    )
    for module in parsed_ones + homes:
        for binding in _bindings_of(resolver, module, symbol, told[module]):
            kind = _binding_kind(resolver, binding, imported_from, with_all, shims)
            if kind is None:
                continue
            outcome = resolver.lookup_binding(binding)
            bindings.append(
                SymbolBinding(
                    module=module,
                    path=project.path_of(module) or module,
                    line=binding.line,
                    kind=kind,
                    resolves_to=outcome.qualified if isinstance(outcome, Resolved) else None,
                    broken=outcome.reason if isinstance(outcome, Broken) else None,
                    stand_in=is_run_time_stand_in(resolver, binding, outcome),
                )
            )
    bindings.extend(_star_bindings(resolver, symbol, {binding.module for binding in bindings}))
    bindings.sort(key=lambda b: (b.path, b.line))
    return WhereReport(symbol, contracts.canonical_home(symbol), tuple(bindings), tuple(sorted(imported_from)))


def _star_bindings(resolver: Resolver, symbol: str, homes: set[str]) -> Iterator[SymbolBinding]:
    """Modules that bind ``symbol`` only through ``from x import *`` (honouring ``__all__``): their
    text never names it, so they are found from the homes outwards, importer by importer."""
    project = resolver.project
    exporters = set(homes)
    frontier = sorted(homes)
    while frontier:
        exporter = frontier.pop()
        # Only an importer with ``import *`` among its imports of the exporter may bind the name
        # through it: the others need no parse to tell.
        for importer in sorted(project.star_importers(exporter)):
            if importer in exporters or importer not in project.modules:
                continue
            if symbol in resolver.namespace(importer):
                continue
            parsed = resolver.parsed(importer)
            star = next(
                (
                    statement
                    for statement in (parsed.imports if parsed else ())
                    if statement.scope == 0
                    and statement.is_star
                    and resolver.import_source(importer, statement) == exporter
                    and resolver.exports(exporter, symbol)
                ),
                None,
            )
            if star is None:
                continue
            exporters.add(importer)
            frontier.append(importer)
            outcome = resolver.lookup(importer, symbol)
            yield SymbolBinding(
                module=importer,
                path=project.path_of(importer) or importer,
                line=star.line,
                kind="re-export",
                resolves_to=outcome.qualified if isinstance(outcome, Resolved) else None,
                broken=outcome.reason if isinstance(outcome, Broken) else None,
            )


def _bindings_of(
    resolver: Resolver, module: str, symbol: str, told: list[tuple[int, str, str | None]] | None
) -> list[NameBinding]:
    """The module-level bindings of ``symbol`` in ``module``: from the text, without a parse,
    when it tells them all (see ``imports_told_by_text``): its imports under its own name."""
    if told is None:
        return resolver.namespace(module).get(symbol, [])
    located = sorted((line, source) for line, source, alias in told if alias is None)
    return [NameBinding(module, symbol, line, "import", source, symbol) for line, source in located]


def _reexport_by_text(
    resolver: Resolver,
    module: str,
    name: str,
    source: str | None,
    imported_from: set[str],
    with_all: set[str],
    shims: set[str],
) -> bool | None:
    """Whether a plain ``from source import name`` in ``module`` is a re-export, told without a
    parse (see :func:`_binding_kind`); None when only a parse can tell.

    A module offers what others import from it and what its ``__all__`` lists. Without an
    ``__all__``, a shim passes its imports on, and so does a package ``__init__`` its own
    modules' names (``from .models import Order``: a facade); a module with code of its own
    that imports a name from elsewhere uses it (homeassistant's 845 component packages import
    HomeAssistant for their annotations, django.contrib.auth its settings): counting those as
    homes made ``where`` list them, the fragmentation count say "bound in 846 modules" and
    ``can-import`` object to importing the package at all.
    """
    if module in imported_from:
        return True
    if module in with_all:
        facts = resolver.project.facts.top_level(module)
        if facts is None:
            return None
        declared, defines = facts
        if declared is not None:
            return name in declared
    else:
        defines = module not in shims  # a top-level def, class or loop: no shim
    if _gathers(resolver, module, source):
        return True
    return False if defines else None  # perhaps a shim: only a parse tells


def _gathers(resolver: Resolver, module: str, source: str | None) -> bool:
    """Whether ``module`` is a package ``__init__`` importing from one of its own modules."""
    package = resolver.project.modules.get(module)
    return package is not None and package.is_package and source is not None and is_within(source, module)


def _binding_kind(
    resolver: Resolver, binding: NameBinding, imported_from: set[str], with_all: set[str], shims: set[str]
) -> str | None:
    if binding.is_definition:
        return "definition"
    if binding.form == "alias":
        return "alias"
    if binding.form == "module-import" or binding.source_name != binding.name:
        return "import-alias"
    told = _reexport_by_text(
        resolver, binding.module, binding.name, binding.source_module, imported_from, with_all, shims
    )
    if told is not None:
        return "re-export" if told else None
    parsed = resolver.parsed(binding.module)
    if parsed is None:
        return None
    declared = parsed.all_names
    if declared is not None:  # the module declares its interface
        is_reexport = binding.name in declared
    else:
        is_reexport = parsed.shim_shaped or _gathers(resolver, binding.module, binding.source_module)
    return "re-export" if is_reexport else None
