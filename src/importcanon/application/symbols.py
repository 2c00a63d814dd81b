"""Static name resolution: what does ``module.name`` really denote, through every re-export?

Follows ``from x import y``, ``import x.y as z``, ``y = x.y`` and ``y = x`` at module level,
``from x import *`` (honouring ``__all__``), relative imports and chains of re-exports across
packages, and terminates on re-export cycles. Modules are parsed only when a resolution passes
through them. Names outside the root packages resolve to themselves, marked external.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from importcanon.application.project import Project
from importcanon.domain.facts import BindingKind, ImportStatement, ParsedModule
from importcanon.domain.modules import absolute_import_target


@dataclass(frozen=True)
class Resolved:
    """What a name denotes: an object defined somewhere, a module, or something external."""

    qualified: str  # "pkg.mod.Name" for an object, "pkg.mod" for a module
    is_module: bool = False
    external: bool = False


@dataclass(frozen=True)
class NameBinding:
    """One module-level binding of a name, as written."""

    module: str
    name: str
    line: int
    form: str  # "import", "module-import", "class", "function", "alias", "value"
    source_module: str | None = None  # "import": the absolute module imported from
    source_name: str | None = None  # "import": the name imported; "alias": the dotted source
    conditional: bool = False

    @property
    def is_definition(self) -> bool:
        return self.form in ("class", "function", "value")


class Resolver:
    """Resolution over one project, memoised for the run."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._known = set(project.modules) | project.namespace_packages
        self._namespaces: dict[str, dict[str, list[NameBinding]]] = {}
        self._stars: dict[str, list[str]] = {}
        self._memo: dict[tuple[str, str], Resolved | None] = {}
        self._active: set[tuple[str, str]] = set()

    # Namespaces ---------------------------------------------------------------------------------

    def is_internal(self, module: str) -> bool:
        return module in self.project.modules

    def parsed(self, module: str) -> ParsedModule | None:
        return self.project.facts.parsed(module) if self.is_internal(module) else None

    def scope_name(self, module: str, scope: int) -> str:
        """``Class.method`` for a scope id: stable across line moves, unlike a line number."""
        parsed = self.parsed(module)
        return parsed.scopes[scope][1] if parsed is not None else "<module>"

    def namespace(self, module: str) -> dict[str, list[NameBinding]]:
        """Every module-level binding of ``module``, by name, in line order."""
        if module not in self._namespaces:
            self._namespaces[module], self._stars[module] = self._build_namespace(module)
        return self._namespaces[module]

    def _build_namespace(self, module: str) -> tuple[dict[str, list[NameBinding]], list[str]]:
        parsed = self.parsed(module)
        names: dict[str, list[NameBinding]] = {}
        stars: list[str] = []
        if parsed is None:
            return names, stars
        bindings: list[NameBinding] = []
        for statement in parsed.imports:
            if statement.scope != 0:
                continue
            if statement.is_star:
                source = self.import_source(module, statement)
                if source:
                    stars.append(source)
                continue
            bindings.extend(self.import_bindings(module, statement))
        for written in parsed.bindings:
            form = "alias" if written.kind is BindingKind.ALIAS else written.kind.value
            bindings.append(
                NameBinding(module, written.name, written.line, form, None, written.source, written.conditional)
            )
        for binding in sorted(bindings, key=lambda b: b.line):
            names.setdefault(binding.name, []).append(binding)
        return names, stars

    def import_source(self, module: str, statement: ImportStatement) -> str | None:
        """The absolute module a ``from ... import`` statement in ``module`` imports from."""
        source = self.project.modules.get(module)
        is_package = source.is_package if source else False
        return absolute_import_target(module, is_package, statement.level, statement.module)

    def import_bindings(self, module: str, statement: ImportStatement) -> Iterator[NameBinding]:
        """The names an import statement binds, and to what, as module-level bindings would be."""
        if statement.module is None and statement.level == 0:  # import a.b [as c]
            for name, alias in statement.names:
                bound, target = (alias, name) if alias else (name.split(".")[0], name.split(".")[0])
                yield NameBinding(module, bound, statement.line, "module-import", target, None, statement.conditional)
            return
        source = self.import_source(module, statement)
        for name, alias in statement.names:
            yield NameBinding(module, alias or name, statement.line, "import", source, name, statement.conditional)

    def binding_in_force(self, module: str, name: str) -> NameBinding | None:
        """The last unconditional binding, else the first conditional one (a try/except fallback)."""
        candidates = self.namespace(module).get(name, [])
        unconditional = [b for b in candidates if not b.conditional]
        if unconditional:
            return unconditional[-1]
        return candidates[0] if candidates else None

    # Resolution ---------------------------------------------------------------------------------

    def module_ref(self, module: str) -> Resolved:
        return Resolved(module, is_module=True, external=module not in self._known)

    def resolve(self, module: str, name: str) -> Resolved | None:
        """What ``from module import name`` gives; None when it cannot be told statically."""
        key = (module, name)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            # ``from . import b`` in a package's own __init__ asks the package for b, which is
            # not bound yet: Python then imports the submodule. Anything else is a re-export
            # cycle, and nothing defines the name.
            submodule = f"{module}.{name}"
            return self.module_ref(submodule) if submodule in self._known else None
        self._active.add(key)
        try:
            result = self._resolve(module, name)
        finally:
            self._active.discard(key)
        self._memo[key] = result
        return result

    def _resolve(self, module: str, name: str) -> Resolved | None:
        if not self.is_internal(module):
            submodule = f"{module}.{name}"
            if submodule in self._known:
                return self.module_ref(submodule)
            if module in self._known:  # a namespace package: only submodules live there
                return None
            return Resolved(submodule, external=True)
        binding = self.binding_in_force(module, name)
        if binding is not None:
            return self.resolve_binding(binding)
        submodule = f"{module}.{name}"
        if submodule in self._known:
            return self.module_ref(submodule)
        for star in self._stars.get(module, []):
            if self._exports(star, name, set()):
                return self.resolve(star, name)
        return None

    def resolve_binding(self, binding: NameBinding) -> Resolved | None:
        """What one particular binding gives its name (not necessarily the binding in force)."""
        if binding.is_definition:
            return Resolved(f"{binding.module}.{binding.name}")
        if binding.form == "module-import":
            return self.module_ref(binding.source_module or binding.name)
        if binding.form == "import":
            if binding.source_module is None or binding.source_name is None:
                return None
            return self.resolve(binding.source_module, binding.source_name)
        return self.resolve_dotted(binding.module, binding.source_name or "", scope=0)

    def resolve_dotted(self, module: str, dotted: str, scope: int) -> Resolved | None:
        """A dotted name as written in ``module`` inside ``scope`` (local imports first)."""
        head, *attributes = dotted.split(".")
        current = self._resolve_local(module, head, scope)
        for attribute in attributes:
            if current is None:
                return None
            current = self.attribute(current, attribute)
        return current

    def attribute(self, owner: Resolved, name: str) -> Resolved | None:
        if owner.is_module and not owner.external:
            return self.resolve(owner.qualified, name)
        return Resolved(f"{owner.qualified}.{name}", external=owner.external)

    def _resolve_local(self, module: str, name: str, scope: int) -> Resolved | None:
        parsed = self.parsed(module)
        if parsed is not None and scope:
            for enclosing in _enclosing_scopes(parsed, scope):
                local = [
                    binding
                    for statement in parsed.imports
                    if statement.scope == enclosing and not statement.is_star
                    for binding in self.import_bindings(module, statement)
                    if binding.name == name
                ]
                if local:
                    return self.resolve_binding(local[-1])
        return self.resolve(module, name)

    def _exports(self, module: str, name: str, seen: set[str]) -> bool:
        """Whether ``from module import *`` binds ``name``."""
        if not self.is_internal(module):
            return False
        if module in seen:
            return False
        seen.add(module)
        parsed = self.parsed(module)
        if parsed is None:
            return False
        if parsed.all_names is not None:
            return name in parsed.all_names
        if name.startswith("_"):
            return False
        return name in self.namespace(module) or any(self._exports(star, name, seen) for star in self._stars[module])


def _enclosing_scopes(parsed: ParsedModule, scope: int) -> Iterator[int]:
    """The scope and the function scopes around it, innermost first (class bodies are skipped
    once left, as Python does), stopping before the module scope."""
    current = scope
    first = True
    while current:
        parent, _, is_class = parsed.scopes[current]
        if first or not is_class:
            yield current
        first = False
        current = parent
