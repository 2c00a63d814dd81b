"""The straightforward collector that ``importcanon.adapters.parsing`` replaced, kept as the
reference its faster collector must equal on real files (tests/test_parsing_reference.py).

It is the original traversal: one ``isinstance`` chain per statement, a ``dataclasses.replace``
per block, ``ast.walk`` for calls. The leaves both collectors use unchanged (dotted names,
``__all__`` lists, ``TYPE_CHECKING`` tests, import-error handlers, the shape of a shim, what
each scope binds) are imported from the module itself, not copied. Which scopes a call is read in
is found here from the other end, climbing from the call through its parents (what each binds is
held to ``symtable`` by tests/test_scoping_oracle.py). Below, the original description.

Full parses with Python's ``ast``, for the few files whose facts the line scan cannot give.

``ast.parse`` of a whole 1.4 M-line backend takes seconds, twelve times an import-linter run, so
nothing here runs unless an analysis asks about a specific module, and results are cached by
content hash. One pass over the statements collects everything any analysis wants of a file:
imports with their kinds, module-level bindings, ``__all__``, calls of dotted names, scopes, and
whether the top level has the shape of a compatibility shim.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass, replace

from importcanon.adapters.parsing import (  # unchanged leaves the faster collector shares
    _catches_import_error,
    _is_shim_shaped,
    _is_type_checking,
    _string_list,
    is_main_guard,
)
from importcanon.adapters.scoping import COMPREHENSIONS, dotted_name, scope_names
from importcanon.domain.facts import (
    Binding,
    BindingKind,
    Call,
    ImportKind,
    ImportStatement,
    ParsedModule,
)

_BODY_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})


def reference_facts(tree: ast.Module, *, with_calls: bool = False) -> ParsedModule:
    collector = _Collector(with_calls)
    if with_calls:
        collector.parents = {
            id(child): (parent, field)
            for parent in ast.walk(tree)
            for field, value in ast.iter_fields(parent)
            for child in (value if isinstance(value, list) else [value])
            if isinstance(child, ast.AST)
        }
    collector.visit_body(tree.body, _Context())
    collector.finish()
    return ParsedModule(
        imports=tuple(collector.imports),
        bindings=tuple(collector.bindings),
        all_names=collector.all_names,
        calls=tuple(collector.calls) if with_calls else None,
        local_aliases=tuple(collector.local_aliases) if with_calls else (),
        scopes=tuple(collector.scopes),
        shim_shaped=_is_shim_shaped(tree.body),
    )


@dataclass(frozen=True)
class _Context:
    scope: int = 0
    in_function: bool = False
    type_checking: bool = False
    guarded: bool = False
    conditional: bool = False

    @property
    def kind(self) -> ImportKind:
        if self.type_checking:
            return ImportKind.TYPE_CHECKING
        if self.in_function:
            return ImportKind.DEFERRED
        if self.guarded:
            return ImportKind.GUARDED
        return ImportKind.MODULE

    @property
    def module_level(self) -> bool:
        return self.scope == 0


class _Collector:
    def __init__(self, with_calls: bool) -> None:
        self.with_calls = with_calls
        self.imports: list[ImportStatement] = []
        self.bindings: list[Binding] = []
        self.calls: list[Call] = []
        self.local_aliases: list[tuple[str, str]] = []
        self.scopes: list[tuple[int, str, bool]] = [(0, "<module>", False)]
        self.all_names: tuple[str, ...] | None = None
        self.found: list[tuple[ast.Call, str, int]] = []
        self.parents: dict[int, tuple[ast.AST, str]] = {}  # by a node's id: its parent and field
        self.scope_ids: dict[int, int] = {}  # by a def's or class's id: its scope

    def visit_body(self, body: list[ast.stmt], context: _Context) -> None:
        for statement in body:
            self.visit(statement, context)

    def visit(self, node: ast.stmt, context: _Context) -> None:
        if self.with_calls:
            self._collect_calls(node, context)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._import(node, context)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if context.module_level:
                self._bind(node.name, node.lineno, BindingKind.FUNCTION, None, context)
            self.visit_body(node.body, self._scope(node, context, is_class=False))
        elif isinstance(node, ast.ClassDef):
            if context.module_level:
                self._bind(node.name, node.lineno, BindingKind.CLASS, None, context)
            self.visit_body(node.body, self._scope(node, context, is_class=True))
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            if context.module_level:
                self._assignment(node, context)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                source = dotted_name(node.value)
                if source is not None:
                    self.local_aliases.append((node.targets[0].id, source))
        elif isinstance(node, ast.Expr) and context.module_level:
            self._all_extension(node.value)
        elif isinstance(node, ast.Expr):
            self._all_grown_at_run_time(node.value)
        elif isinstance(node, ast.If):
            inner = replace(context, conditional=True)
            if _is_type_checking(node.test):
                inner = replace(inner, type_checking=True)
            elif is_main_guard(node.test):  # run as a script only: deferred
                inner = replace(inner, in_function=True)
            self.visit_body(node.body, inner)
            self.visit_body(node.orelse, replace(context, conditional=True))
        elif isinstance(node, (ast.Try, ast.TryStar)):
            guarded = context.guarded or any(_catches_import_error(h) for h in node.handlers)
            self.visit_body(node.body, replace(context, guarded=guarded))
            for handler in node.handlers:
                self.visit_body(handler.body, replace(context, conditional=True))
            self.visit_body(node.orelse, replace(context, conditional=True))
            self.visit_body(node.finalbody, context)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.Match)):
            if isinstance(node, (ast.For, ast.AsyncFor)) and context.module_level:
                self._bind_targets(node.target, node.lineno, replace(context, conditional=True))
            for body in _nested_bodies(node):
                self.visit_body(body, replace(context, conditional=True))
        elif isinstance(node, ast.Global):
            # ``global X`` in a function: X is a module-level name once the function has run.
            for name in node.names:
                self.bindings.append(Binding(name, node.lineno, BindingKind.VALUE, None, conditional=True))
        else:
            if isinstance(node, (ast.With, ast.AsyncWith)) and context.module_level:
                for item in node.items:
                    if item.optional_vars is not None:
                        self._bind_targets(item.optional_vars, node.lineno, context)
            for body in _nested_bodies(node):
                self.visit_body(body, context)

    def _import(self, node: ast.Import | ast.ImportFrom, context: _Context) -> None:
        level, module = (node.level or 0, node.module) if isinstance(node, ast.ImportFrom) else (0, None)
        self.imports.append(
            ImportStatement(
                line=node.lineno,
                kind=context.kind,
                level=level,
                module=module,
                names=tuple((alias.name, alias.asname) for alias in node.names),
                scope=context.scope,
                conditional=context.conditional,
            )
        )

    def _scope(self, node: ast.AST, context: _Context, *, is_class: bool) -> _Context:
        """Open the scope of a def or class body; a class body still runs at import time."""
        name = node.name  # type: ignore[attr-defined]
        outer = self.scopes[context.scope][1]
        qualified = name if context.scope == 0 else f"{outer}.{name}"
        self.scopes.append((context.scope, qualified, is_class))
        self.scope_ids[id(node)] = len(self.scopes) - 1
        return replace(context, scope=len(self.scopes) - 1, in_function=context.in_function or not is_class)

    def _bind(self, name: str, line: int, kind: BindingKind, source: str | None, context: _Context) -> None:
        self.bindings.append(Binding(name, line, kind, source, context.conditional, context.type_checking))

    def _assignment(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign, context: _Context) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        for target in targets:
            if not isinstance(target, ast.Name):
                self._bind_targets(target, node.lineno, context)  # a, b = ...: values
                continue
            if target.id == "__all__":
                names = _string_list(value)
                if isinstance(node, ast.AugAssign):
                    self._extend_all(names)
                else:
                    self.all_names = names
            elif value is None or isinstance(node, ast.AugAssign):
                continue  # a bare annotation binds nothing; += keeps the earlier binding
            else:
                source = dotted_name(value)
                kind = BindingKind.ALIAS if source else BindingKind.VALUE
                self._bind(target.id, node.lineno, kind, source, context)

    def _bind_targets(self, target: ast.expr, line: int, context: _Context) -> None:
        """Every plain name an unpacking target (``a, (b, *c)``) binds, as values."""
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self._bind(node.id, line, BindingKind.VALUE, None, context)

    def _all_extension(self, value: ast.expr) -> None:
        """``__all__.extend([...])`` and ``__all__.append("x")``."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
            return
        owner = value.func.value
        if not (isinstance(owner, ast.Name) and owner.id == "__all__" and value.args):
            return
        if value.func.attr == "extend":
            self._extend_all(_string_list(value.args[0]))
        elif value.func.attr == "append":
            item = value.args[0]
            self._extend_all((item.value,) if isinstance(item, ast.Constant) and isinstance(item.value, str) else None)

    def _all_grown_at_run_time(self, value: ast.expr) -> None:
        """``__all__.append(name)`` (or extend, insert) in a function or class body: ``__all__``
        is computed at run time."""
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and isinstance(value.func.value, ast.Name)
            and value.func.value.id == "__all__"
            and value.func.attr in {"append", "extend", "insert", "__iadd__"}
        ):
            self._extend_all(None)

    def _extend_all(self, extra: tuple[str, ...] | None) -> None:
        """``__all__`` grows by ``extra`` while both are known lists of strings; once either is
        computed at run time (``__all__ = fields_all + ...``), the whole list is unknown (None),
        never the literal part alone: a star import would otherwise lose every computed name."""
        self.all_names = (*self.all_names, *extra) if self.all_names is not None and extra is not None else None

    def _collect_calls(self, node: ast.stmt, context: _Context) -> None:
        for expression in _own_expressions(node):
            for inner in ast.walk(expression):
                if isinstance(inner, ast.Call):
                    callee = dotted_name(inner.func)
                    if callee:
                        self.found.append((inner, callee, context.scope))

    def finish(self) -> None:
        """Every call found, unless a scope binds its first part otherwise than by an import;
        a first part nothing in the module can give is not looked up in the scopes."""
        imported = {
            alias or (name.split(".")[0] if statement.module is None and statement.level == 0 else name)
            for statement in self.imports
            for name, alias in statement.names
        }
        anything = "*" in imported
        known = imported | {binding.name for binding in self.bindings} | set(dir(builtins))
        known |= {name for name, _ in self.local_aliases}
        for call, callee, scope in self.found:
            head, dot, rest = callee.partition(".")
            read = self._binder(call, head) if anything or head in known else (0, head)
            if read is not None:
                through = read[1] + dot + rest if read[1] != head else None
                self.calls.append(Call(call.lineno, callee, scope, read[0], through))

    def _binder(self, call: ast.Call, head: str) -> tuple[int, str] | None:
        """Which scope's imports bind ``head`` where ``call`` reads it (0: the module's), None
        when a scope binds it otherwise: the scopes around the call, innermost first, found by
        climbing its parents (a def's decorators and defaults, a lambda's defaults and a
        comprehension's first iterable are read in the scope around it)."""
        around: list[ast.AST] = []
        node: ast.AST = call
        while id(node) in self.parents:
            parent, field = self.parents[id(node)]
            if isinstance(parent, ast.comprehension):
                grand, _ = self.parents[id(parent)]
                if not (field == "iter" and parent is grand.generators[0]):  # type: ignore[attr-defined]
                    around.append(grand)
                node = grand  # the comprehension node itself is done
                continue
            if _opens_scope_of(parent, field):
                around.append(parent)
            node = parent
        return self._read(around, 0, head, frozenset())

    def _read(
        self, around: list[ast.AST], start: int, head: str, followed: frozenset[tuple[str, int]]
    ) -> tuple[int, str] | None:
        """``_binder`` from the scope ``around[start]`` out, with the dotted name ``head`` stands
        for: a local alias's dotted name is read in the alias's own scope."""
        for depth in range(start, len(around)):
            scope = around[depth]
            if isinstance(scope, ast.ClassDef) and depth > start:
                continue  # a class body is no scope to what is nested in it
            names = scope_names(scope)
            if head in names.declared_global:
                return 0, head
            if head in names.imported and id(scope) in self.scope_ids:
                return self.scope_ids[id(scope)], head
            if head in names.bound:
                source = names.aliases.get(head)
                if source is None or (head, id(scope)) in followed:
                    return None
                first, dot, rest = source.partition(".")
                read = self._read(around, depth, first, followed | {(head, id(scope))})
                return None if read is None else (read[0], read[1] + dot + rest)
        return 0, head


def _opens_scope_of(parent: ast.AST, field: str) -> bool:
    """Whether what ``parent`` holds in ``field`` is read in ``parent``'s own scope."""
    if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
        return field == "body"
    return isinstance(parent, COMPREHENSIONS) and field != "generators"


def _own_expressions(node: ast.stmt) -> Iterator[ast.AST]:
    """The expressions a statement evaluates itself, not those of the statements nested in it."""
    for name, value in ast.iter_fields(node):
        if name in _BODY_FIELDS:
            continue
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            yield from (item for item in value if isinstance(item, ast.AST))


def _nested_bodies(node: ast.stmt) -> Iterator[list[ast.stmt]]:
    for name in ("body", "orelse", "finalbody"):
        body = getattr(node, name, None)
        if isinstance(body, list):
            yield body
    if isinstance(node, ast.Match):
        for case in node.cases:
            yield case.body
