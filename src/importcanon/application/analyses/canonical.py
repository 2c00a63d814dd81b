"""Canonical homes: a contracted symbol is imported and bound from its one home only.

Rules: ``non-canonical-import`` (``from elsewhere import Symbol``), ``alias-divergence`` (the name
bound to a different object: ``Symbol = Other``, ``from x import Other as Symbol``),
``duplicate-definition`` (``class Symbol`` outside the home) and ``missing-canonical`` (the
contract names a home that does not exist or does not bind the symbol).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from importcanon.application.cycles import CycleClosing, CycleScope
from importcanon.application.ports import Mention
from importcanon.application.project import Project
from importcanon.application.symbols import Broken, NameBinding, Outcome, Resolved, Resolver, imports_told_by_text
from importcanon.domain.contracts import Canonical, Legacy
from importcanon.domain.facts import ImportKind
from importcanon.domain.findings import Finding
from importcanon.domain.modules import packages_above, within_any

NON_CANONICAL = "non-canonical-import"
DIVERGENCE = "alias-divergence"
DUPLICATE = "duplicate-definition"
MISSING = "missing-canonical"


def check_canonical_homes(
    resolver: Resolver,
    contracts: Sequence[Canonical],
    legacy: Sequence[Legacy],
    cycle_scope: CycleScope | None = None,
) -> list[Finding]:
    """``cycle_scope``: the ``[cycles]`` contract's, when there is one: the advice to import from
    the home says when that import would close a cycle the contract reports."""
    findings: list[Finding] = []
    if not contracts:
        return findings
    legacy_packages = [contract.package for contract in legacy]
    start_up = _StartUp(resolver.project)
    closing = CycleClosing(resolver.project, cycle_scope)
    for contract in contracts:
        missing = _missing_home(resolver, contract)
        if missing is not None:
            findings.append(missing)
            continue
        # None: the home binds the symbol to what no reading sees (an object of an extension
        # module, a name a module __getattr__ gives): only the import paths can be judged then.
        canonical = resolver.resolve(contract.module, contract.symbol)
        candidates = sorted(_may_import_or_bind(resolver, contract).items())
        told = {
            module: imports_told_by_text(resolver, module, contract.symbol, mention)
            for module, mention in candidates
            if module != contract.module
        }
        resolver.project.facts.parse_ahead(module for module, imports in told.items() if imports is None)
        for module, imports in told.items():
            if imports is not None:  # no binding of the symbol but these imports: nothing to parse
                imported = [_Imported(line, ImportKind.MODULE, 0, source, alias) for line, source, alias in imports]
                findings.extend(
                    _imports(resolver, contract, canonical, module, imported, legacy_packages, start_up, closing)
                )
                continue
            imported = list(_parsed_imports(resolver, contract, module))
            findings.extend(
                _imports(resolver, contract, canonical, module, imported, legacy_packages, start_up, closing)
            )
            if canonical is not None:
                findings.extend(_bindings(resolver, contract, canonical, module))
    return findings


def _may_import_or_bind(resolver: Resolver, contract: Canonical) -> dict[str, Mention]:
    """The modules worth looking at: those that may bind the symbol or import it from elsewhere
    (the thousands that only use it, or import it from its home, cannot give a finding)."""
    mentions = resolver.project.facts.mentions(contract.symbol)
    return {
        module: mention
        for module, mention in mentions.items()
        if mention.imports or mention.binds or mention.imports_from - {contract.module}
    }


class _Imported(NamedTuple):
    """One name of an import statement that imports the symbol under its own name."""

    line: int
    kind: ImportKind
    scope: int
    source: str  # the absolute module imported from
    alias: str | None


def _parsed_imports(resolver: Resolver, contract: Canonical, module: str) -> Iterator[_Imported]:
    parsed = resolver.parsed(module)
    for statement in parsed.imports if parsed is not None else ():
        if statement.module is None and statement.level == 0:
            continue
        source = resolver.import_source(module, statement)
        if source is None:
            continue
        for name, alias in statement.names:
            if name == contract.symbol:
                yield _Imported(statement.line, statement.kind, statement.scope, source, alias)


class _StartUp:
    """Which modules a module imports while it is being imported, directly or not.

    ``from home import X`` at the top of a module that ``home`` itself imports at start-up is a
    circular import that fails with a partially initialised module: never suggest that. The
    packages above ``home`` are not part of its start-up: Python has imported (or begun) them
    before ``home``'s body runs, so an import of them there runs nothing, and what their
    ``__init__`` imports can import from ``home`` (numpy.lib's modules from numpy.lib.array_utils).
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self._upstream: dict[str, set[str]] = {}
        self._reached: dict[str, set[str]] = {}

    def imports(self, home: str, module: str) -> bool:
        if home not in self.project.modules:
            return False  # a third-party or compiled module (where an object is defined): it loads no project module
        if home not in self._upstream:  # one search per home, not one per importing module
            self._upstream[home] = self.project.graph.find_upstream_modules(home)
        if module not in self._upstream[home]:
            return False  # the cheap answer, from grimp, for most pairs
        if home not in self._reached:
            above = set(packages_above(home))
            reached, frontier = {home, *above}, [home]
            while frontier:
                current = frontier.pop()
                for imported in self.project.graph.find_modules_directly_imported_by(current):
                    if imported not in reached and self.project.runs_at_import(current, imported):
                        reached.add(imported)
                        frontier.append(imported)
            self._reached[home] = reached - above
        return module in self._reached[home]


def _missing_home(resolver: Resolver, contract: Canonical) -> Finding | None:
    """The ``missing-canonical`` finding when the home does not exist, does not parse, or does
    not have the symbol (broken, or a module); None when it binds it, to what no reading may see."""
    project = resolver.project
    if contract.module not in project.modules:
        reason = f"the module {contract.module} does not exist"
    elif project.facts.parsed(contract.module) is None:
        line, why = project.facts.parse_failures().get(contract.module, (None, "it cannot be parsed"))
        where = f"{project.path_of(contract.module)}:{line or '?'}"
        reason = f"{contract.module} does not parse ({where}: {why}), so its {contract.symbol} cannot be found"
    else:
        outcome = resolver.lookup(contract.module, contract.symbol)
        if outcome is None or (isinstance(outcome, Resolved) and not outcome.is_module):
            return None
        reason = f"{contract.module} does not define or bind {contract.symbol}"
    return Finding(
        rule=MISSING,
        path=contract.origin.path,
        line=contract.origin.line,
        module=None,
        message=f"the canonical home of {contract.symbol} is missing: {reason}",
        suggestion=(
            f"Point the [[canonical]] contract for {contract.symbol} at the module that defines it, "
            f"or create {contract.module} with {contract.symbol} in it."
        ),
        identity=(contract.symbol, contract.module),
        details={"symbol": contract.symbol, "canonical": contract.module},
    )


def _imports(
    resolver: Resolver,
    contract: Canonical,
    canonical: Resolved | None,
    module: str,
    imported: Iterable[_Imported],
    legacy_packages: Iterable[str],
    start_up: _StartUp,
    closing: CycleClosing,
) -> Iterable[Finding]:
    name = contract.symbol
    for line, kind, scope, source, alias in imported:
        if source == contract.module:
            continue
        closes_cycle = False
        if within_any(source, legacy_packages):
            continue  # a legacy-import finding covers it, with the same fix
        resolved = resolver.resolve(source, name)
        broken = resolver.broken(source, name) if resolved is None else None
        possible = sorted(resolver.possible_objects(source, name)) if resolved else []
        statement_text = contract.statement + (f" as {alias}" if alias else "")
        message = f"imports {name} from {source}, not from its canonical home {contract.module}"
        if broken is not None:
            message += f"; the import is broken ({broken.reason}), see the broken-import finding"
            suggestion = f"Import it from its home: {statement_text}"
        elif resolved is not None and canonical is not None and resolved.qualified != canonical.qualified:
            if canonical.qualified in possible:
                message += (
                    f"; there it is bound conditionally, to {' or '.join(possible)} depending on the branch "
                    "taken when it is imported"
                )
                suggestion = f"Import it from its home where the canonical {name} is meant: {statement_text}"
            else:
                message += (
                    f"; there it is {resolved.qualified}, a different object than the canonical "
                    f"{canonical.qualified}, so rewriting the import changes behaviour"
                )
                suggestion = f"Decide which object is meant; the canonical import is: {statement_text}"
        elif kind is ImportKind.MODULE and start_up.imports(contract.module, module):
            advice = _without_cycle(resolver, contract, canonical, module, source, alias, start_up)
            if advice is None:
                continue  # already what a module the home loads should write
            suggestion = advice
        else:
            suggestion = f"Import it from its home: {statement_text}"
            if closes_cycle := closing.closes(contract.module, module, kind):
                # can-import asks of a module-level import: for another kind, fix names the cycle.
                named = (
                    f"`importcanon can-import {module} {contract.module}` names the cycle; `importcanon fix`"
                    if kind.runs_at_import
                    else "`importcanon fix --diff` names the cycle, and"
                )
                suggestion += (
                    f", once the import cycle that import would close is broken: {contract.module} already reaches "
                    f"{module} ({named} leaves this import until then)"
                )
        yield Finding(
            rule=NON_CANONICAL,
            path=resolver.project.path_of(module),
            line=line,
            module=module,
            message=message,
            suggestion=suggestion,
            identity=(module, resolver.scope_name(module, scope), name, source),
            details={
                "symbol": name,
                "canonical": contract.module,
                "imported_from": source,
                "resolves_to": resolved.qualified if resolved else None,
                "may_resolve_to": possible,
                "canonical_object": canonical.qualified if canonical else None,
                "alias": alias,
                "broken": broken.reason if broken else None,
                "closes_cycle": closes_cycle,
                "kind": kind.value,
            },
        )


def _without_cycle(
    resolver: Resolver,
    contract: Canonical,
    canonical: Resolved | None,
    module: str,
    source: str,
    alias: str | None,
    start_up: _StartUp,
) -> str | None:
    """Advice for a module that the canonical home itself imports at start-up; None when its
    import already is that advice: from the defining module (sklearn.utils._metadata_requests's
    ``from sklearn.utils._bunch import Bunch``; the home's own way to the object, as numpy's
    lib/_array_utils_impl.py is for numpy.lib.array_utils)."""
    why = f"{contract.module} imports {module} while it starts up: importing from it at module level is circular"
    if canonical is not None:
        definer, _, attribute = canonical.qualified.rpartition(".")
    else:  # where reading stops stands for the defining module: pandas._libs.tslibs.timestamps
        definer, attribute = resolver.origin(contract.module, contract.symbol)
    if definer != contract.module and not start_up.imports(definer, module):
        if (source, attribute) == (definer, contract.symbol):
            return None
        statement = f"from {definer} import {attribute}" + (f" as {alias}" if alias else "")
        return f"Import it from the module that defines it: {statement} ({why})."
    return f"Import it from {contract.module} inside the function that needs it ({why})."


def _bindings(resolver: Resolver, contract: Canonical, canonical: Resolved, module: str) -> Iterable[Finding]:
    defined = False
    for binding in resolver.namespace(module).get(contract.symbol, []):
        if binding.form in ("class", "function"):
            if f"{module}.{binding.name}" == canonical.qualified or defined:
                continue  # the canonical object itself, or another @overload of one definition
            defined = True
            yield _duplicate(resolver, contract, canonical, binding)
        elif binding.form == "import" and binding.source_name == contract.symbol:
            continue  # an import under its own name: judged as an import above
        else:
            outcome = resolver.lookup_binding(binding)
            if isinstance(outcome, Resolved) and outcome.qualified == canonical.qualified:
                continue
            if is_run_time_stand_in(resolver, binding, outcome):
                continue
            yield _divergence(resolver, contract, canonical, binding, outcome)


#: What a name imported under ``if TYPE_CHECKING:`` is bound to at run time, in the ``else:``
#: branch, when the module only uses it in annotations: a stand-in, not another concept.
_STAND_INS = frozenset({"builtins.object", "typing.Any", "typing_extensions.Any"})
#: A type variable stands in as well (pandas/core/methods/selectn.py: ``else: DataFrame = T``).
_TYPE_VARS = frozenset({"typing.TypeVar", "typing_extensions.TypeVar"})


def _stand_in(resolver: Resolver, outcome: Resolved) -> bool:
    """Whether ``outcome`` is a run-time stand-in: ``object``, ``Any``, or a module-level
    ``T = TypeVar("T")`` of the project (pandas._typing's ``T``)."""
    if outcome.qualified in _STAND_INS:
        return True
    module, _, name = outcome.qualified.rpartition(".")
    if outcome.external or not resolver.is_internal(module):
        return False
    lines = {binding.line for binding in resolver.namespace(module).get(name, []) if binding.form == "value"}
    parsed = resolver.project.facts.parsed(module, calls_of=frozenset({"TypeVar"})) if lines else None
    return parsed is not None and any(
        call.scope == 0
        and call.line in lines
        and _is_type_var(resolver.resolve_dotted(module, call.stands_for, call.binder))
        for call in parsed.calls or ()
    )


def _is_type_var(callee: Resolved | None) -> bool:
    return callee is not None and callee.qualified in _TYPE_VARS


def is_run_time_stand_in(resolver: Resolver, binding: NameBinding, outcome: Outcome) -> bool:
    """Whether a conditional ``binding`` is the run-time stand-in of a name its module imports
    under ``if TYPE_CHECKING:`` (``else: Thing = object``, pandas' ``else: DataFrame = T``): the
    module only uses the name in annotations, so it is no other concept; neither a divergent
    alias nor a second implementation (``where`` counts none)."""
    return (
        binding.conditional
        and isinstance(outcome, Resolved)
        and _imported_for_type_checkers(resolver, binding.name, binding.module)
        and _stand_in(resolver, outcome)
    )


def _imported_for_type_checkers(resolver: Resolver, symbol: str, module: str) -> bool:
    """Whether ``module`` imports ``symbol`` under its own name under ``if TYPE_CHECKING:``."""
    parsed = resolver.parsed(module)
    return parsed is not None and any(
        statement.kind is ImportKind.TYPE_CHECKING and (alias or name) == symbol
        for statement in parsed.imports
        if statement.module is not None or statement.level
        for name, alias in statement.names
    )


def _duplicate(resolver: Resolver, contract: Canonical, canonical: Resolved, binding: NameBinding) -> Finding:
    what = "class" if binding.form == "class" else "function"
    return Finding(
        rule=DUPLICATE,
        path=resolver.project.path_of(binding.module),
        line=binding.line,
        module=binding.module,
        message=(
            f"defines its own {what} {binding.name}, a second implementation besides the canonical "
            f"{canonical.qualified}"
        ),
        suggestion=(
            f"Delete it and use the canonical one ({contract.statement}), or give it a name of its "
            "own if it is a different concept."
        ),
        identity=(binding.module, binding.name),
        details={"symbol": binding.name, "canonical": contract.module},
    )


def _divergence(
    resolver: Resolver, contract: Canonical, canonical: Resolved, binding: NameBinding, outcome: Outcome
) -> Finding:
    resolved = outcome if isinstance(outcome, Resolved) else None
    broken = outcome if isinstance(outcome, Broken) else None
    if broken is not None:
        target = f"nothing: the import is broken ({broken.reason})"
    else:
        target = resolved.qualified if resolved else "something that cannot be resolved statically"
    if binding.form == "alias":
        how = f"{binding.name} = {binding.source_name}"
    elif binding.form == "import":
        how = f"from {binding.source_module} import {binding.source_name} as {binding.name}"
    elif binding.form == "module-import":
        how = f"import {binding.source_module} as {binding.name}"
    else:
        how = f"{binding.name} = <value>"
    return Finding(
        rule=DIVERGENCE,
        path=resolver.project.path_of(binding.module),
        line=binding.line,
        module=binding.module,
        message=(f"binds {binding.name} to {target} ({how}), not to the canonical {canonical.qualified}"),
        suggestion=(f"Give the other object its own name, or bind the canonical one: {contract.statement}"),
        identity=(binding.module, binding.name, resolved.qualified if resolved else "?"),
        details={
            "symbol": binding.name,
            "canonical": contract.module,
            "resolves_to": resolved.qualified if resolved else None,
            "broken": broken.reason if broken else None,
        },
    )
