"""Deprecated names: every import and every call, through any alias or re-export, anywhere.

The deprecated object is resolved first; then the names it is re-exported under are discovered
to a fixpoint (``from factory import get_x as make`` adds ``make``), so that
``from shim import make; make()`` is found as surely as a direct call. Only files whose text
mentions one of those names are ever parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from importcanon.application.definitions import replacement_exists
from importcanon.application.symbols import Resolver
from importcanon.domain.contracts import Deprecated
from importcanon.domain.facts import ParsedModule
from importcanon.domain.findings import Finding
from importcanon.domain.modules import leaf, split_qualified

RULE = "deprecated-usage"


def find_deprecated_usages(resolver: Resolver, contracts: Sequence[Deprecated]) -> list[Finding]:
    """A name the project does not define has no usages here: it is a ``stale-contract``.

    Only the calls that may name a deprecated object through one of its names are collected,
    those of every contract in one parse of each file that may use one."""
    facts = resolver.project.facts
    searches: list[tuple[Deprecated, str, set[str], set[str]]] = []
    for contract in contracts:
        target = resolver.resolve(*split_qualified(contract.name))  # validated as module.name
        if target is None or target.is_module:
            continue
        names = aliases_of(resolver, target.qualified)
        users = facts.may_use(frozenset(names))
        searches.append((contract, target.qualified, names, users))
    words = frozenset(name for _, _, names, _ in searches for name in names)
    facts.parse_ahead(sorted(set().union(*(users for _, _, _, users in searches))), calls_of=words)
    findings: list[Finding] = []
    for contract, qualified, names, users in searches:
        for user in sorted(users):
            parsed = facts.parsed(user, calls_of=words)
            if parsed is None:
                continue
            asked = words
            local = _local_aliases(resolver, qualified, names, user, parsed)
            while not local <= asked:  # their calls were not collected: parsed again for them too
                asked |= local
                parsed = facts.parsed(user, calls_of=asked)
                if parsed is None:
                    break
                local |= _local_aliases(resolver, qualified, names | local, user, parsed)
            if parsed is not None:
                findings.extend(_usages(resolver, contract, qualified, names | local, user, parsed))
    return findings


def _local_aliases(
    resolver: Resolver, qualified: str, names: set[str], module: str, parsed: ParsedModule
) -> frozenset[str]:
    """The names a function or class body binds the object ``qualified`` to in ``module``, or
    may: by an import (``def f(): from m import old as o; o()``), or by assigning one of
    ``names`` (``o = old``, ``o = m.old``, which the calls' reading follows where nothing else
    binds ``o``). Module-level ones are ``names``."""
    found = set()
    for statement in parsed.imports:
        if statement.scope == 0:
            continue
        for binding in resolver.import_bindings(module, statement):
            if binding.form != "import" or binding.source_name not in names or binding.name in names:
                continue
            resolved = resolver.resolve_binding(binding)
            if resolved is not None and resolved.qualified == qualified:
                found.add(binding.name)
    found.update(name for name, source in parsed.local_aliases if names.intersection(source.split(".")))
    return frozenset(found)


def aliases_of(resolver: Resolver, qualified: str) -> set[str]:
    """Every name under which the object ``qualified`` is bound at module level somewhere."""
    names = {leaf(qualified)}
    searched: set[str] = set()
    while pending := names - searched:
        searched |= pending
        facts = resolver.project.facts
        facts.modules_containing(frozenset(pending))  # one search of the files for all
        # Only a binding to another name can add one: ``other = name`` or an import with ``as``,
        # at module level (the text rules out most modules that use the name so in functions).
        binders = {
            module
            for name in pending
            for module, mention in facts.mentions(name).items()
            if (mention.imports or mention.aliases) and facts.may_rebind(module, name)
        }
        resolver.project.facts.parse_ahead(sorted(binders))
        for module in sorted(binders):
            for name, bindings in resolver.namespace(module).items():
                if name in names:
                    continue
                for binding in bindings:
                    source = binding.source_name or ""
                    if not pending.intersection(source.split(".")):
                        continue
                    resolved = resolver.resolve_binding(binding)
                    if resolved is not None and resolved.qualified == qualified:
                        names.add(name)
                        break
    return names


def _usages(
    resolver: Resolver, contract: Deprecated, qualified: str, names: set[str], module: str, parsed: ParsedModule
) -> Iterable[Finding]:
    for statement in parsed.imports:
        for binding in resolver.import_bindings(module, statement):
            if binding.form != "import" or binding.source_name not in names:
                continue
            resolved = resolver.resolve_binding(binding)
            if resolved is None or resolved.qualified != qualified:
                continue
            alias = f" as {binding.name}" if binding.name != binding.source_name else ""
            through = (
                f" (re-exported by {binding.source_module})"
                if f"{binding.source_module}.{binding.source_name}" != qualified
                else ""
            )
            yield _finding(
                resolver,
                contract,
                qualified,
                module,
                statement.line,
                statement.scope,
                "import",
                f"imports the deprecated {qualified}{alias}{through}",
                {
                    "imported": binding.source_name,
                    "imported_from": binding.source_module,
                    "alias": binding.name if alias else None,
                },
            )
    for call in parsed.calls or ():
        if not names.intersection(call.stands_for.split(".")):
            continue
        resolved = resolver.resolve_dotted(module, call.stands_for, call.binder)
        if resolved is not None and resolved.qualified == qualified:
            written = f" (as {call.callee})" if call.callee != leaf(qualified) else ""
            yield _finding(
                resolver,
                contract,
                qualified,
                module,
                call.line,
                call.scope,
                "call",
                f"calls the deprecated {qualified}{written}",
                {"callee": call.callee, "through": call.through},
            )


def _finding(
    resolver: Resolver,
    contract: Deprecated,
    qualified: str,
    module: str,
    line: int,
    scope: int,
    usage: str,
    message: str,
    written: dict[str, str | None],
) -> Finding:
    if contract.replacement and replacement_exists(resolver, contract.replacement):
        home, name = split_qualified(contract.replacement)
        if home == module:  # the replacement's own module (numpy/__init__.py re-exports row_stack)
            suggestion = f"Use {name} instead: {module} binds it itself"
        elif usage == "import":
            suggestion = f"Use {contract.replacement} instead: from {home} import {name}"
        else:
            suggestion = f"Call {name} (from {home} import {name}) instead"
    else:
        suggestion = f"Stop using it: it is deprecated ({contract.origin.path}:{contract.origin.line})"
    return Finding(
        rule=RULE,
        path=resolver.project.path_of(module),
        line=line,
        module=module,
        message=message,
        suggestion=suggestion,
        identity=(module, resolver.scope_name(module, scope), qualified, usage),
        details={"deprecated": qualified, "usage": usage, "replacement": contract.replacement, **written},
    )
