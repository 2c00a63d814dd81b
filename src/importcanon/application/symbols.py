"""Static name resolution: what does ``module.name`` really denote, through every re-export?

Follows ``from x import y``, ``import x.y as z``, ``y = x.y`` and ``y = x`` at module level,
``from x import *`` (honouring ``__all__``), relative imports and chains of re-exports across
packages of any length, and terminates on re-export cycles. Modules are parsed only when a
resolution passes through them. Names outside the root packages resolve to themselves, marked
external; a module inside them that does not exist, or a name its module does not have, is a
``Broken`` outcome, never an external object nor "unknown".
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from importcanon.application.ports import Mention
from importcanon.application.project import Project
from importcanon.domain.facts import BindingKind, ImportKind, ImportStatement, ParsedModule, TextImport
from importcanon.domain.modules import absolute_import_target, packages_above, within_any


class Resolved(NamedTuple):
    """What a name denotes: an object defined somewhere, a module, or something external."""

    qualified: str  # "pkg.mod.Name" for an object, "pkg.mod" for a module
    is_module: bool = False
    external: bool = False


class NameBinding(NamedTuple):
    """One module-level binding of a name, as written."""

    module: str
    name: str
    line: int
    form: str  # "import", "module-import", "class", "function", "alias", "value"
    source_module: str | None = None  # "import": the absolute module imported from
    source_name: str | None = None  # "import": the name imported; "alias": the dotted source
    conditional: bool = False
    type_checking: bool = False  # made under ``if TYPE_CHECKING:``: never in force at run time

    @property
    def is_definition(self) -> bool:
        return self.form in ("class", "function", "value")


class Broken(NamedTuple):
    """Where an import fails: ``module`` lacks ``name``, or (``name`` None) does not exist."""

    module: str
    name: str | None
    reason: str  # "module app.x does not exist", "app.core does not define, bind, ... Manager"


_BUILTINS = frozenset(dir(builtins))

#: What a lookup gives: an object or module, a break, or None when static analysis cannot tell.
Outcome = Resolved | Broken | None


class Resolver:
    """Resolution over one project, memoised for the run."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._known = set(project.modules) | project.namespace_packages
        self._namespaces: dict[str, dict[str, list[NameBinding]]] = {}
        self._stars: dict[str, list[str]] = {}
        self._memo: dict[tuple[str, str], Outcome] = {}
        self._active: set[tuple[str, str]] = set()
        self._on_disk: dict[str, bool] = {}
        self._walked: set[str] = set()  # modules a star-import walk has had parsed ahead

    # Namespaces ---------------------------------------------------------------------------------

    def is_internal(self, module: str) -> bool:
        return module in self.project.modules

    def parsed(self, module: str) -> ParsedModule | None:
        return self.project.facts.parsed(module) if self.is_internal(module) else None

    def scope_name(self, module: str, scope: int) -> str:
        """``Class.method`` for a scope id: stable across line moves, unlike a line number."""
        if scope == 0:
            return "<module>"  # the module itself: no need to parse it to know
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
                NameBinding(
                    module,
                    written.name,
                    written.line,
                    form,
                    None,
                    written.source,
                    written.conditional,
                    written.type_checking,
                )
            )
        for binding in sorted(bindings, key=lambda b: b.line):
            names.setdefault(binding.name, []).append(binding)
        return names, stars

    def has_module(self, module: str) -> bool:
        """A module or namespace package of the project."""
        return module in self._known

    def import_source(self, module: str, statement: ImportStatement | TextImport) -> str | None:
        """The absolute module a ``from ... import`` statement in ``module`` imports from."""
        source = self.project.modules.get(module)
        is_package = source.is_package if source else False
        return absolute_import_target(module, is_package, statement.level, statement.module)

    def import_bindings(self, module: str, statement: ImportStatement) -> Iterator[NameBinding]:
        """The names an import statement binds, and to what, as module-level bindings would be."""
        typing = statement.kind is ImportKind.TYPE_CHECKING
        if statement.module is None and statement.level == 0:  # import a.b [as c]
            for name, alias in statement.names:
                bound, target = (alias, name) if alias else (name.split(".")[0], name.split(".")[0])
                yield NameBinding(
                    module, bound, statement.line, "module-import", target, None, statement.conditional, typing
                )
            return
        source = self.import_source(module, statement)
        for name, alias in statement.names:
            yield NameBinding(
                module, alias or name, statement.line, "import", source, name, statement.conditional, typing
            )

    # Resolution ---------------------------------------------------------------------------------

    def module_ref(self, module: str) -> Resolved:
        return Resolved(module, is_module=True, external=module not in self._known)

    def module_outcome(self, module: str) -> Resolved | Broken:
        """A module by name: a reference, or broken when it lies in a root package but does not
        exist (never an external object)."""
        missing = self.missing_module(module)
        return Broken(missing, None, f"module {missing} does not exist") if missing else self.module_ref(module)

    def missing_module(self, module: str) -> str | None:
        """The first of ``module`` and the packages above it that ``import module`` would not
        find inside the root packages; None when it exists (analysed or not: an excluded file, a
        directory without ``__init__.py``, an extension module) or lies outside them."""
        for prefix in [*packages_above(module), module]:
            if prefix in self._known or not within_any(prefix, self.project.root_packages):
                continue
            if prefix not in self._on_disk:
                self._on_disk[prefix] = self.project.facts.module_on_disk(prefix)
            if not self._on_disk[prefix]:
                return prefix
        return None

    def disk_answers(self) -> dict[str, bool]:
        """Every module asked of the disk so far (it lies outside the scan: excluded, an extension
        module, a directory without ``__init__.py``), with the answer: what a result remembered by
        the analysed files' content must recheck, since no analysed file changes when these do."""
        return dict(self._on_disk)

    def learn_disk_answers(self, answers: Mapping[str, bool]) -> None:
        """Answers another process's copy of this resolver got from the disk (work done
        alongside): this one's too, so that what the run remembers rechecks them."""
        self._on_disk.update(answers)

    def resolve(self, module: str, name: str) -> Resolved | None:
        """What ``from module import name`` gives; None when it cannot be told statically or the
        import is broken (``lookup`` tells those apart)."""
        outcome = self.lookup(module, name)
        return outcome if isinstance(outcome, Resolved) else None

    def possible_objects(self, module: str, name: str) -> set[str]:
        """Every object ``from module import name`` may give, whichever conditional binding is in
        force at each step (``if FAST: from fastlib import S`` / ``else: from app.singleton import
        S``: the branch is taken at run time); ``resolve`` follows the first. Those made for type
        checkers only are left out while another binding stands. Each (module, name) is visited
        once: the walk is bounded by the project's bindings."""
        found: set[str] = set()
        pending, seen = [(module, name)], {(module, name)}
        while pending:
            key = pending.pop()
            bindings = self.bindings_in_order(*key) if self.is_internal(key[0]) else []
            at_run_time = [binding for binding in bindings if not binding.type_checking] or bindings
            steps = [self._binding_step(binding) for binding in at_run_time] or [self._step(*key)]
            for step in steps:
                if isinstance(step, _Next):
                    if step.key not in seen:
                        seen.add(step.key)
                        pending.append(step.key)
                elif isinstance(step, Resolved):
                    found.add(step.qualified)
        return found

    def broken(self, module: str, name: str) -> Broken | None:
        """Where ``from module import name`` breaks, following re-exports to the end."""
        outcome = self.lookup(module, name)
        return outcome if isinstance(outcome, Broken) else None

    def lookup(self, module: str, name: str) -> Outcome:
        """What ``from module import name`` gives: an object, a break, or None when static
        analysis cannot tell. Re-export chains are followed in a loop, not by recursion, so a
        chain of any length resolves; every name on the chain shares the answer."""
        key = (module, name)
        chain: list[tuple[str, str]] = []
        fallbacks: list[tuple[int, tuple[NameBinding, ...]]] = []  # (chain length then, alternatives)
        outcome: Outcome
        try:
            while True:
                if key in self._memo:
                    outcome = self._memo[key]
                    break
                if key in self._active:
                    # ``from . import b`` in a package's own __init__ asks the package for b, which
                    # is not bound yet: Python then imports the submodule. Anything else is a
                    # re-export cycle, and nothing defines the name.
                    submodule = f"{key[0]}.{key[1]}"
                    outcome = self.module_ref(submodule) if submodule in self._known else None
                    break
                chain.append(key)
                self._active.add(key)
                step = self._step(*key)
                if isinstance(step, _Next):
                    if step.alternatives:
                        fallbacks.append((len(chain), step.alternatives))
                    key = step.key
                    continue
                outcome = step
                break
            while isinstance(outcome, Broken) and fallbacks:
                # The names after the binding with alternatives are broken for good; that binding
                # and the names before it get whichever alternative works.
                mark, alternatives = fallbacks.pop()
                for visited in chain[mark:]:
                    self._memo[visited] = outcome
                self._active.difference_update(chain[mark:])
                del chain[mark:]
                outcome = self._first_working(outcome, alternatives)
        finally:
            self._active.difference_update(chain)
        for visited in chain:
            self._memo[visited] = outcome
        return outcome

    def _step(self, module: str, name: str) -> Outcome | _Next:
        """One hop of a lookup: an answer, or the next (module, name) to ask."""
        if not self.is_internal(module):
            submodule = f"{module}.{name}"
            if submodule in self._known:
                return self.module_ref(submodule)
            if module in self._known:  # a namespace package: only submodules live there
                if self.missing_module(submodule):
                    return Broken(module, name, f"{module} is a namespace package without a submodule {name}")
                return None  # a submodule that is not analysed
            if within_any(module, self.project.root_packages):
                missing = self.missing_module(module)
                return Broken(missing, None, f"module {missing} does not exist") if missing else None
            return Resolved(submodule, external=True)
        if self.parsed(module) is None:
            return None
        candidates = self.bindings_in_order(module, name)
        if candidates:
            # The first candidate is followed as a tail step; the others stand in only if its
            # chain turns out broken (``try: from new import X`` / ``except ImportError: X = None``).
            first = self._binding_step(candidates[0])
            if isinstance(first, _Next):
                return _Next(first.key, tuple(candidates[1:]))
            return self._first_working(first, candidates[1:])
        submodule = f"{module}.{name}"
        if submodule in self._known:
            return self.module_ref(submodule)
        stars = self._stars.get(module, [])
        for star in stars:
            if self.exports(star, name):
                return _Next((star, name))
        if self.provides(module, name) or self.provides_anything(module):
            return None  # a module attribute (``__all__``, ``__file__``) or a name no reading can see
        return Broken(module, name, f"{module} does not define, bind, re-export or provide {name}")

    def provides(self, module: str, name: str) -> bool | None:
        """Whether ``module`` has ``name`` at all (a binding of any kind, a submodule, a star
        import that brings it), regardless of what it is: None when that cannot be told."""
        if module not in self._known:
            return False if self.missing_module(module) else None
        if f"{module}.{name}" in self._known:
            return True
        if not self.is_internal(module):  # a namespace package inside the root packages: submodules only
            return not self.missing_module(f"{module}.{name}")
        parsed = self.parsed(module)
        if parsed is None:
            return None
        if name in MODULE_ATTRIBUTES or (name == "__all__" and parsed.all_names is not None):
            return True
        if name in self.namespace(module) or any(self.exports(star, name) for star in self._stars[module]):
            return True
        if self.provides_anything(module):
            return None
        # ``from package import name`` imports the submodule when no binding is found: one that
        # Python finds though the scan has none (an extension module, an excluded file).
        return self.project.modules[module].is_package and not self.missing_module(f"{module}.{name}")

    def provides_anything(self, module: str) -> bool:
        """A module whose names cannot all be seen statically: a module-level ``__getattr__``
        (PEP 562), writes to ``globals()``/``vars()``, ``exec``, a write into ``sys.modules``
        (it may put another module in its own place, whose names are read), a star import
        that may bring names no reading sees (see :meth:`_star_hides`), or an import of a
        function or class that may write names into the module using it (zope.interface's
        ``_use_c_impl``, matplotlib's ``_Backend.export``)."""
        return (
            "__getattr__" in self.namespace(module)
            or self._writes_names(module)
            or any(self._star_hides(star) for star in self._stars[module])
            or self._imports_foreign_writer(module)
        )

    def _imports_foreign_writer(self, module: str) -> bool:
        writers = self.project.facts.foreign_writers
        return any(
            binding.form == "import"
            and binding.source_module is not None
            and self.is_internal(binding.source_module)
            and binding.source_name in writers(binding.source_module)
            for bindings in self.namespace(module).values()
            for binding in bindings
        )

    def _star_hides(self, star: str) -> bool:
        """Whether ``from star import *`` may bind names no reading sees: it reads a module that
        cannot be read (third-party, or a file that does not parse), or one whose ``__all__`` is
        not a known list and that writes its own names or star-imports such a module in turn
        (numpy's ``_core.numeric`` star-imports ``numerictypes``, which writes its type names
        into ``globals()``). A known ``__all__`` is all a star import reads."""
        seen: set[str] = set()
        pending = [star]
        while pending:
            current = pending.pop()
            if current in seen or self.missing_module(current):
                continue
            seen.add(current)
            parsed = self.parsed(current)
            if parsed is None:
                return True
            if parsed.all_names is not None:
                continue
            if self._writes_names(current):
                return True
            self.namespace(current)
            pending.extend(self._stars[current])
        return False

    def _writes_names(self, module: str) -> bool:
        """Whether the module's code may write names no reading sees into its namespace, or put
        another module in its place."""
        if self.project.facts.writes_modules(module):
            return True
        parsed = self.project.facts.parsed(module, calls_of=_NAMESPACE_CALLS)
        if parsed is None or not parsed.calls:
            return False
        calls = parsed.calls
        # A function that imports the module itself and calls setattr writes into it (numpy's
        # dtypes._add_dtype_helper: ``from numpy import dtypes``, then ``setattr(dtypes, ...)``).
        setters = {call.scope for call in calls if call.stands_for == "setattr"}
        return any(call.stands_for in _NAMESPACE_WRITERS for call in calls) or any(
            scope == 0 or self._imports_itself(module, parsed, scope) for scope in setters
        )

    def _imports_itself(self, module: str, parsed: ParsedModule, scope: int) -> bool:
        return any(
            binding.source_module is not None
            and binding.source_name is not None
            and f"{binding.source_module}.{binding.source_name}" == module
            for statement in parsed.imports
            if statement.scope == scope
            for binding in self.import_bindings(module, statement)
        )

    def bindings_in_order(self, module: str, name: str) -> list[NameBinding]:
        """The bindings that may be in force, best first: the last unconditional one, then every
        conditional one in line order (the fallbacks when an import fails), those made under
        ``if TYPE_CHECKING:`` last: at run time the ``else`` branch binds the name
        (``if TYPE_CHECKING: Array: TypeAlias = Incomplete`` / ``else: Array = object``)."""
        candidates = self.namespace(module).get(name, [])
        unconditional = [b for b in candidates if not b.conditional]
        conditional = [b for b in candidates if b.conditional]
        return (
            unconditional[-1:]
            + [b for b in conditional if not b.type_checking]
            + [b for b in conditional if b.type_checking]
        )

    def _first_working(self, outcome: Outcome, alternatives: Sequence[NameBinding]) -> Outcome:
        """``outcome`` unless it is broken and an alternative binding works."""
        if not isinstance(outcome, Broken):
            return outcome
        for alternative in alternatives:
            other = self.lookup_binding(alternative)
            if not isinstance(other, Broken):
                return other
        return outcome

    def origin(self, module: str, name: str) -> tuple[str, str]:
        """The last (module, name) a lookup of ``from module import name`` reaches through the
        bindings in force: where the object is defined, or where reading stops (an extension
        module, a module ``__getattr__``). Fallback bindings are not followed."""
        seen = {(module, name)}
        key = (module, name)
        while isinstance(step := self._step(*key), _Next) and step.key not in seen:
            key = step.key
            seen.add(key)
        return key

    def resolve_binding(self, binding: NameBinding) -> Resolved | None:
        """What one particular binding gives its name (not necessarily the binding in force)."""
        outcome = self.lookup_binding(binding)
        return outcome if isinstance(outcome, Resolved) else None

    def lookup_binding(self, binding: NameBinding) -> Outcome:
        step = self._binding_step(binding)
        return self.lookup(*step.key) if isinstance(step, _Next) else step

    def _binding_step(self, binding: NameBinding) -> Outcome | _Next:
        if binding.is_definition:
            return Resolved(f"{binding.module}.{binding.name}")
        if binding.form == "module-import":
            return self.module_outcome(binding.source_module or binding.name)
        if binding.form == "import":
            if binding.source_name is None:
                return None
            if binding.source_module is None:
                return Broken(binding.module, binding.source_name, "a relative import above the top-level package")
            return _Next((binding.source_module, binding.source_name))
        return self._dotted_step(binding.module, binding.source_name or "", binder=0)

    def _builtin(self, module: str, name: str) -> bool:
        """Whether ``name``, read in ``module``'s code, is the builtin: Python looks a name up in
        builtins when the module binds it nowhere (an import of it from the module still fails)."""
        return (
            name in _BUILTINS
            and self.is_internal(module)
            and not self.bindings_in_order(module, name)
            and not any(self.exports(star, name) for star in self._stars.get(module, []))
        )

    def resolve_dotted(self, module: str, dotted: str, binder: int) -> Resolved | None:
        """A dotted name as read in ``module`` where the imports of scope ``binder`` bind its
        first part (0: the module's namespace; see ``Call.binder``)."""
        step = self._dotted_step(module, dotted, binder)
        outcome = self.lookup(*step.key) if isinstance(step, _Next) else step
        return outcome if isinstance(outcome, Resolved) else None

    def _dotted_step(self, module: str, dotted: str, binder: int) -> Outcome | _Next:
        head, *attributes = dotted.split(".")
        current = self._resolve_local(module, head, binder) if binder else _Next((module, head))
        if isinstance(current, _Next) and current.key == (module, head) and self._builtin(module, head):
            current = Resolved(f"builtins.{head}", external=True)
        for attribute in attributes:
            if isinstance(current, _Next):
                current = self.lookup(*current.key)
            if not isinstance(current, Resolved):
                return current
            current = self._attribute_step(current, attribute)
        return current

    def attribute(self, owner: Resolved, name: str) -> Resolved | None:
        step = self._attribute_step(owner, name)
        outcome = self.lookup(*step.key) if isinstance(step, _Next) else step
        return outcome if isinstance(outcome, Resolved) else None

    def _attribute_step(self, owner: Resolved, name: str) -> Outcome | _Next:
        if owner.is_module and not owner.external:
            return _Next((owner.qualified, name))
        return Resolved(f"{owner.qualified}.{name}", external=owner.external)

    def _resolve_local(self, module: str, name: str, binder: int) -> Outcome | _Next:
        """``name`` as the last import of scope ``binder`` that binds it gives it."""
        parsed = self.parsed(module)
        if parsed is not None:
            local = [
                binding
                for statement in parsed.imports
                if statement.scope == binder and not statement.is_star
                for binding in self.import_bindings(module, statement)
                if binding.name == name
            ]
            if local:
                return self._binding_step(local[-1])
        return _Next((module, name))

    def star_exports(self, module: str) -> set[str] | None:
        """Every name ``from module import *`` binds (through further star imports too), or None
        when that cannot be told (see :meth:`_star_hides`). A module-level ``__getattr__`` adds
        nothing: a star import never calls it (pydantic.tools' migrated names)."""
        if not self.is_internal(module) or self._star_hides(module):
            return None
        parsed = self.parsed(module)
        if parsed is None:
            return None
        if parsed.all_names is not None:
            return set(parsed.all_names)
        return {name for name in self._star_names(module) if not name.startswith("_")}

    def _star_names(self, module: str) -> set[str]:
        """The names of ``module``'s namespace and of what its star imports bring, as seen by a
        star import of a module without ``__all__`` (before its filtering of private names)."""
        names: set[str] = set()
        seen: set[str] = set()
        pending = [module]
        while pending:
            current = pending.pop()
            if current in seen or not self.is_internal(current):
                continue
            seen.add(current)
            parsed = self.parsed(current)
            if parsed is None:
                continue
            if current != module and parsed.all_names is not None:
                names.update(parsed.all_names)
                continue
            names.update(self.namespace(current))
            pending.extend(self._stars[current])
        return names

    def exports(self, module: str, name: str) -> bool:
        """Whether ``from module import *`` binds ``name`` (through further star imports too).

        Walked a level of star imports at a time, each level parsed on every core first: a
        package may star-import hundreds of packages that star-import their modules in turn
        (transformers' ``models`` under ``TYPE_CHECKING``). The answer does not depend on the
        order: a module's star imports are followed unless it has a known ``__all__``."""
        seen: set[str] = set()
        level = [module]
        while level:
            level = [current for current in dict.fromkeys(level) if current not in seen and self.is_internal(current)]
            seen.update(level)
            fresh = [current for current in level if current not in self._walked]
            if fresh:  # asked again for every name: a walk parses ahead only what none did before
                self._walked.update(fresh)
                self.project.facts.parse_ahead(fresh)
            following: list[str] = []
            for current in level:
                parsed = self.parsed(current)
                if parsed is None:
                    continue
                if parsed.all_names is not None:
                    if name in parsed.all_names:
                        return True
                    continue
                if name.startswith("_"):
                    return False  # the first module has no ``__all__``: it passes on no such name
                if name in self.namespace(current):
                    return True
                following.extend(self._stars[current])
            level = following
        return False


def imports_told_by_text(
    resolver: Resolver, module: str, name: str, mention: Mention
) -> list[tuple[int, str, str | None]] | None:
    """(line, absolute source, alias) of every ``from source import name`` in ``module``, when
    the text tells them all, each unconditional at module level, and shows that nothing else
    binds the name at module level (a binding inside a function is none); None when only a parse
    can tell. The plain imports come from ``mention``; aliased ones from a reading of the lines."""
    facts = resolver.project.facts
    if not mention.imports and mention.module_level_imports is not None:
        told: list[tuple[int, str, str | None]] = [
            (line, source, None) for line, source in mention.module_level_imports
        ]
    else:
        read = facts.imports_of(module, name)
        if read is None:
            return None
        told = [
            (statement.line, source, alias)
            for statement in read
            if (source := resolver.import_source(module, statement))
            for _, alias in statement.names
        ]
    if (mention.binds or mention.imports) and facts.may_bind_apart_from_imports(module, name):
        return None
    return told


#: What every module has without binding it.
MODULE_ATTRIBUTES = frozenset(
    {
        "__name__",
        "__doc__",
        "__file__",
        "__loader__",
        "__package__",
        "__spec__",
        "__path__",
        "__builtins__",
        "__cached__",
    }
)

#: Calls that can bind module-level names no static reading sees.
_NAMESPACE_WRITERS = frozenset({"globals", "vars", "exec", "locals"})
#: The calls that tell whether a module writes names no reading can see (only theirs are parsed for).
_NAMESPACE_CALLS = _NAMESPACE_WRITERS | {"setattr"}


class _Next(NamedTuple):
    """A lookup continues with this (module, name): a tail step of a re-export chain."""

    key: tuple[str, str]
    alternatives: tuple[NameBinding, ...] = ()  # bindings that stand in if this chain is broken
