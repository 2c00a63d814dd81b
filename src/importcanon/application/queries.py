"""Questions developers ask of the contracts, answered from the same scan, graph and resolution."""

from __future__ import annotations

from dataclasses import dataclass

from importcanon.application.symbols import NameBinding, Resolver
from importcanon.domain.contracts import Canonical, ContractSet


@dataclass(frozen=True)
class SymbolBinding:
    module: str
    path: str
    line: int
    kind: str  # "definition", "alias", "re-export" or "import-alias"
    resolves_to: str | None


@dataclass(frozen=True)
class WhereReport:
    symbol: str
    canonical: Canonical | None
    bindings: tuple[SymbolBinding, ...]
    import_paths: tuple[str, ...]  # every module the name is imported from, anywhere

    @property
    def implementations(self) -> int:
        """Distinct objects the name is bound to: 1 is a single source of truth."""
        return len({binding.resolves_to for binding in self.bindings if binding.resolves_to})

    @property
    def binding_modules(self) -> tuple[str, ...]:
        return tuple(sorted({binding.module for binding in self.bindings}))


def where(resolver: Resolver, contracts: ContractSet, symbol: str) -> WhereReport:
    """Every module-level home of ``symbol``: definitions, aliases and re-exports, resolved.

    Modules that merely import the name for their own use are not homes and are not listed; a
    same-name import counts as a re-export when the module is a package ``__init__``, a shim, lists
    the name in ``__all__``, or is itself imported from for that name.
    """
    project = resolver.project
    mentioning = sorted(project.facts.modules_containing(frozenset({symbol}))[symbol])
    imported_from: set[str] = set()
    for module in mentioning:
        parsed = resolver.parsed(module)
        for statement in parsed.imports if parsed else ():
            if (statement.module is not None or statement.level) and any(n == symbol for n, _ in statement.names):
                source = resolver.import_source(module, statement)
                if source:
                    imported_from.add(source)
    bindings = []
    for module in mentioning:
        for binding in resolver.namespace(module).get(symbol, []):
            kind = _kind(resolver, binding, imported_from)
            if kind is None:
                continue
            resolved = resolver.resolve_binding(binding)
            bindings.append(
                SymbolBinding(
                    module=module,
                    path=project.path_of(module) or module,
                    line=binding.line,
                    kind=kind,
                    resolves_to=resolved.qualified if resolved else None,
                )
            )
    bindings.sort(key=lambda b: (b.path, b.line))
    return WhereReport(symbol, contracts.canonical_home(symbol), tuple(bindings), tuple(sorted(imported_from)))


def _kind(resolver: Resolver, binding: NameBinding, imported_from: set[str]) -> str | None:
    if binding.is_definition:
        return "definition"
    if binding.form == "alias":
        return "alias"
    if binding.form == "module-import" or binding.source_name != binding.name:
        return "import-alias"
    parsed = resolver.parsed(binding.module)
    source = resolver.project.modules.get(binding.module)
    is_reexport = (
        binding.module in imported_from
        or (source is not None and source.is_package)
        or (parsed is not None and (parsed.shim_shaped or binding.name in (parsed.all_names or ())))
    )
    return "re-export" if is_reexport else None
