"""Shim modules, found automatically: contract or not, a module that only passes names along.

A shim's top level holds nothing but imports and re-bindings (plus a docstring, ``__all__``,
``warnings.warn`` and ``try/except ImportError`` around imports) and re-exports at least one name
from a project module that is not its own descendant. A package ``__init__`` gathering its own
submodules is a facade, not a shim; an empty module is neither; re-exports of third-party names
(``try: import ujson as json``) are left alone, since they are not a second home of project code.
"""

from __future__ import annotations

from dataclasses import dataclass

from importcanon.application.symbols import Resolver, within_any
from importcanon.domain.facts import ImportKind
from importcanon.domain.findings import Finding
from importcanon.domain.modules import is_descendant

RULE = "shim-module"
_LISTED = 3


@dataclass(frozen=True)
class ReExport:
    name: str
    source: str
    line: int
    resolves_to: str | None


def find_shims(resolver: Resolver) -> list[Finding]:
    project = resolver.project
    findings = []
    for module in sorted(project.facts.shim_candidates()):
        parsed = project.facts.parsed(module)
        if parsed is None or not parsed.shim_shaped:
            continue
        reexports = re_exports(resolver, module)
        if not reexports:
            continue
        importers = sorted(
            m for m in project.graph.find_modules_that_directly_import(module) if m in project.modules and m != module
        )
        shown = ", ".join(f"{r.name} from {r.source}" for r in reexports[:_LISTED])
        more = f" and {len(reexports) - _LISTED} more" if len(reexports) > _LISTED else ""
        first = reexports[0]
        real = first.resolves_to or f"{first.source}.{first.name}"
        home, _, attribute = real.rpartition(".")
        still = (
            f"{len(importers)} module still imports it"
            if len(importers) == 1
            else f"{len(importers)} modules still import it"
        )
        findings.append(
            Finding(
                rule=RULE,
                path=project.path_of(module),
                line=first.line,
                module=module,
                message=f"{module} is a compatibility shim: it only re-exports {shown}{more}",
                suggestion=(
                    f"Import from where the code lives (for example: from {home} import {attribute}) "
                    f"and delete the shim once nothing imports it; {still}."
                ),
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


def re_exports(resolver: Resolver, module: str) -> list[ReExport]:
    """Names ``module`` binds at run time by importing them from another project module."""
    parsed = resolver.parsed(module)
    source_module = resolver.project.modules.get(module)
    if parsed is None or source_module is None:
        return []
    found = []
    for statement in parsed.imports:
        if statement.scope != 0 or statement.kind is ImportKind.TYPE_CHECKING:
            continue
        for binding in resolver.import_bindings(module, statement):
            source = binding.source_module
            if source is None or source == "__future__" or not within_any(source, resolver.project.root_packages):
                continue
            if binding.form == "module-import" and binding.name == binding.source_module:
                continue  # plain ``import x``: a module used, not a name passed along
            if source_module.is_package and is_descendant(source, module):
                continue  # a facade gathering its own submodules
            resolved = resolver.resolve_binding(binding)
            found.append(ReExport(binding.name, source, binding.line, resolved.qualified if resolved else None))
    for statement in parsed.imports:
        if statement.scope == 0 and statement.is_star:
            source = resolver.import_source(module, statement)
            if source and within_any(source, resolver.project.root_packages) and not is_descendant(source, module):
                found.append(ReExport("*", source, statement.line, None))
    return sorted(found, key=lambda r: (r.line, r.name))
