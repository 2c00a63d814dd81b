"""Full parses with Python's ``ast``, for the few files whose facts the line scan cannot give.

``ast.parse`` of a whole 1.4 M-line backend takes seconds, twelve times an import-linter run, so
nothing here runs unless an analysis asks about a specific module, and results are cached by
content hash. One pass over the statements collects everything any analysis wants of a file:
imports with their kinds, module-level bindings, ``__all__``, calls of dotted names, scopes, and
whether the top level has the shape of a compatibility shim.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Iterator
from typing import Any

from importcanon.adapters.callee_heads import binding_lines, may_assign, may_bind
from importcanon.adapters.scoping import (
    EXPRESSION_SCOPES,
    ScopeNames,
    dotted_name,
    expression_scopes,
    plain_alias,
    scope_names,
)
from importcanon.adapters.stubbing import stub_bodies
from importcanon.domain.facts import (
    IMPORT_ERROR_CATCHERS,
    Binding,
    BindingKind,
    Call,
    ImportKind,
    ImportStatement,
    NameUses,
    ParsedModule,
)


def parse_module(
    text: str, filename: str, *, with_calls: bool = False, calls_of: frozenset[str] | None = None, stub: bool = False
) -> ParsedModule:
    """Parse ``text``; raises SyntaxError or ValueError like ``compile`` for a broken file (and
    RecursionError or MemoryError for one too deep for Python).

    Syntax newer than the running Python's is read through libcst (see
    :mod:`importcanon.adapters.newer_syntax`), giving the same facts. Collecting calls walks
    every expression, which costs more than the parse itself; it is done only when asked for
    (``calls`` is None otherwise): every call ``with_calls``, else the calls of the names
    ``calls_of`` holds (see ``ParsedModule.call_words``).

    ``stub``: parse without the function bodies that cannot change the facts (see
    :mod:`importcanon.adapters.stubbing`), for a text the import scan's parser has accepted
    already: the facts are the same, but a syntax error inside such a body goes unseen.
    """
    if stub and not with_calls:
        stubbed = _stubbed_facts(text, filename, calls_of)
        if stubbed is not None:
            return stubbed
    try:
        tree = ast.parse(text, filename=filename)
    except SyntaxError as error:
        from importcanon.adapters.newer_syntax import parse_newer_syntax  # libcst only when needed

        tree = parse_newer_syntax(text, filename, error)
    return module_facts(tree, with_calls=with_calls, calls_of=calls_of, text=text)


def parse_plainly(
    text: str, filename: str, *, calls_of: frozenset[str] | None = None, stub: bool = False
) -> ParsedModule | None:
    """The facts of a file that ``ast`` reads as it is; None for any other (a syntax error,
    newer syntax, too deep, a null byte), which only :func:`parse_module` can judge. The
    options as there."""
    try:
        stubbed = _stubbed_facts(text, filename, calls_of) if stub else None
        return stubbed or module_facts(ast.parse(text, filename=filename), calls_of=calls_of, text=text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _stubbed_facts(text: str, filename: str, calls_of: frozenset[str] | None) -> ParsedModule | None:
    """The facts of ``text`` parsed with the function bodies that cannot change them stubbed out
    (see :mod:`importcanon.adapters.stubbing`); None when there are none, or the stubbed text
    does not parse (then only the whole text can say why).

    Whether a call inside a function calls a module-level name depends on every binding of its
    dotted callee's first part there (``def f(util): util.old_fn()``), so the lines where such a
    first part may be bound are kept too (see :mod:`importcanon.adapters.callee_heads`), once
    a parse has shown which first parts need it (see ``_Collector.finish``): the text is then
    stubbed again, rarely (an occurrence followed by a dot binds nothing), and only when the
    stub has cut one of those lines (``dt as dt_util,`` in a bracketed import is kept already).
    """
    words = frozenset(calls_of or ())
    heads: set[str] = set()
    lines: list[int] = []
    while True:
        stubbed = stub_bodies(text, words, lines)
        if stubbed is None:
            return None
        try:
            tree = ast.parse(stubbed, filename=filename)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        collector = _collect(tree, with_calls=False, calls_of=calls_of, text=text)
        heads |= collector.scoped_heads - words
        more = binding_lines(text, heads) if heads else []
        if more == lines or _kept_already(text, stubbed, more):
            return _facts(tree, collector)
        lines = more


def _kept_already(text: str, stubbed: str, numbers: list[int]) -> bool:
    """Whether every line numbered ``numbers`` stands in ``stubbed`` as in ``text``: the stub
    kept its statement, so the parse has seen whatever binds there."""
    original, kept = text.split("\n"), stubbed.split("\n")
    return all(original[number - 1] == kept[number - 1] for number in numbers)


def module_facts(
    tree: ast.Module, *, with_calls: bool = False, calls_of: frozenset[str] | None = None, text: str | None = None
) -> ParsedModule:
    """The facts of an already parsed module (see :func:`parse_module`); ``text``, when given,
    is its text, read to spare a walk of the scopes (see ``_Collector.finish``)."""
    return _facts(tree, _collect(tree, with_calls=with_calls, calls_of=calls_of, text=text))


def _collect(tree: ast.Module, *, with_calls: bool, calls_of: frozenset[str] | None, text: str | None) -> _Collector:
    words = None if with_calls else calls_of
    collector = _Collector(with_calls or words is not None, words, text)
    collector.visit_body(tree.body, _MODULE_LEVEL)
    collector.finish()
    return collector


def _facts(tree: ast.Module, collector: _Collector) -> ParsedModule:
    return ParsedModule(
        imports=tuple(collector.imports),
        bindings=tuple(collector.bindings),
        all_names=collector.all_names,
        calls=tuple(collector.calls) if collector.with_calls else None,
        local_aliases=tuple(collector.local_aliases) if collector.with_calls else (),
        scopes=tuple(collector.scopes),
        shim_shaped=_is_shim_shaped(tree.body),
        call_words=collector.call_words,
    )


#: Where a statement runs, as a plain tuple (a new one only when a block is entered, never per
#: statement): (scope, inside a function, under ``if TYPE_CHECKING``, inside a ``try`` that
#: catches ImportError, may not run or be the binding in force).
_Context = tuple[int, bool, bool, bool, bool]
_MODULE_LEVEL: _Context = (0, False, False, False, False)


def _kind(context: _Context) -> ImportKind:
    _, in_function, type_checking, guarded, _ = context
    if type_checking:
        return ImportKind.TYPE_CHECKING
    if in_function:
        return ImportKind.DEFERRED
    if guarded:
        return ImportKind.GUARDED
    return ImportKind.MODULE


def _conditional(context: _Context) -> _Context:
    return context if context[4] else (*context[:4], True)


class _Collector:
    """One pass over the statements; each statement type goes to its handler by a dict lookup.

    Statements that neither bind, import nor hold a body (``return``, ``raise``, an expression
    inside a function...) cost one lookup; bindings are only looked for at module level.
    """

    def __init__(self, with_calls: bool, call_words: frozenset[str] | None = None, text: str | None = None) -> None:
        self.with_calls = with_calls
        self.text = text
        self.call_words = call_words  # None: every call
        self.imports: list[ImportStatement] = []
        self.bindings: list[Binding] = []
        self.calls: list[Call] = []
        self.scopes: list[tuple[int, str, bool]] = [(0, "<module>", False)]
        self.all_names: tuple[str, ...] | None = None
        #: The def or class statement of each scope but the module's, for what it binds.
        self.scope_nodes: list[ast.AST | None] = [None]
        #: The calls found, each with the lambdas and comprehensions around it, innermost first.
        self.found: list[tuple[ast.Call, str, int, tuple[ast.AST, ...]]] = []
        #: The first parts of the callees of the calls collected that a scope may bind.
        self.scoped_heads: set[str] = set()
        #: The names a function or class body assigns a dotted name to (``fn = old_fn``): a call
        #: of one may call that name's object (see ``_reading``).
        self.assigned: set[str] = set()
        #: Those assignments whose dotted name holds one of the words (see ``ParsedModule``).
        self.local_aliases: list[tuple[str, str]] = []
        self._names: dict[int, ScopeNames] = {}
        self._imported: dict[int, set[str]] | None = None  # by scope: the names its imports bind

    def visit_body(self, body: list[ast.stmt], context: _Context) -> None:
        handlers = _MODULE_LEVEL_HANDLERS if context[0] == 0 else _NESTED_HANDLERS
        with_calls = self.with_calls
        for node in body:
            if with_calls:
                self._collect_calls(node, context[0])
            handler = handlers.get(type(node))
            if handler is not None:
                handler(self, node, context)

    def _import(self, node: ast.Import | ast.ImportFrom, context: _Context) -> None:
        level, module = (node.level or 0, node.module) if type(node) is ast.ImportFrom else (0, None)
        self.imports.append(
            ImportStatement(
                line=node.lineno,
                kind=_kind(context),
                level=level,
                module=module,
                names=tuple((alias.name, alias.asname) for alias in node.names),
                scope=context[0],
                conditional=context[4],
            )
        )

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, context: _Context) -> None:
        if context[0] == 0:
            self.bindings.append(Binding(node.name, node.lineno, BindingKind.FUNCTION, None, context[4], context[2]))
        self.visit_body(node.body, self._scope(node, context, is_class=False))

    def _class(self, node: ast.ClassDef, context: _Context) -> None:
        if context[0] == 0:
            self.bindings.append(Binding(node.name, node.lineno, BindingKind.CLASS, None, context[4], context[2]))
        self.visit_body(node.body, self._scope(node, context, is_class=True))

    def _scope(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, context: _Context, *, is_class: bool
    ) -> _Context:
        """Open the scope of a def or class body; a class body still runs at import time."""
        scope, in_function, type_checking, guarded, conditional = context
        qualified = node.name if scope == 0 else f"{self.scopes[scope][1]}.{node.name}"
        self.scopes.append((scope, qualified, is_class))
        self.scope_nodes.append(node)
        return (len(self.scopes) - 1, in_function or not is_class, type_checking, guarded, conditional)

    def _if(self, node: ast.If, context: _Context) -> None:
        inner = _conditional(context)
        if _is_type_checking(node.test):
            inner = (inner[0], inner[1], True, inner[3], True)
        elif is_main_guard(node.test):  # runs when the module is run as a script, never on import
            inner = (inner[0], True, inner[2], inner[3], True)
        self.visit_body(node.body, inner)
        if node.orelse:
            self.visit_body(node.orelse, _conditional(context))

    def _try(self, node: ast.Try | ast.TryStar, context: _Context) -> None:
        scope, in_function, type_checking, guarded, conditional = context
        if not guarded and any(_catches_import_error(handler) for handler in node.handlers):
            self.visit_body(node.body, (scope, in_function, type_checking, True, conditional))
        else:
            self.visit_body(node.body, context)
        fallback = _conditional(context)
        for handler in node.handlers:
            self.visit_body(handler.body, fallback)
        if node.orelse:
            self.visit_body(node.orelse, fallback)
        if node.finalbody:
            self.visit_body(node.finalbody, context)

    def _for(self, node: ast.For | ast.AsyncFor, context: _Context) -> None:
        inner = _conditional(context)
        if context[0] == 0:
            self._bind_targets(node.target, node.lineno, inner)
        self.visit_body(node.body, inner)
        if node.orelse:
            self.visit_body(node.orelse, inner)

    def _while(self, node: ast.While, context: _Context) -> None:
        inner = _conditional(context)
        self.visit_body(node.body, inner)
        if node.orelse:
            self.visit_body(node.orelse, inner)

    def _match(self, node: ast.Match, context: _Context) -> None:
        inner = _conditional(context)
        for case in node.cases:
            self.visit_body(case.body, inner)

    def _with(self, node: ast.With | ast.AsyncWith, context: _Context) -> None:
        if context[0] == 0:
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind_targets(item.optional_vars, node.lineno, context)
        self.visit_body(node.body, context)

    def _global(self, node: ast.Global, context: _Context) -> None:
        """``global X`` in a function: X is a module-level name once the function has run."""
        for name in node.names:
            self.bindings.append(Binding(name, node.lineno, BindingKind.VALUE, None, conditional=True))

    def _assignment(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign, context: _Context) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        for target in targets:
            if type(target) is not ast.Name:
                self._bind_targets(target, node.lineno, context)  # a, b = ...: values
                continue
            if target.id == "__all__":
                names = _string_list(value)
                if type(node) is ast.AugAssign:
                    self._extend_all(names)
                else:
                    self.all_names = names
            elif value is None or type(node) is ast.AugAssign:
                continue  # a bare annotation binds nothing; += keeps the earlier binding
            else:
                source = dotted_name(value)
                kind = BindingKind.ALIAS if source else BindingKind.VALUE
                self.bindings.append(Binding(target.id, node.lineno, kind, source, context[4], context[2]))

    def _bind_targets(self, target: ast.expr, line: int, context: _Context) -> None:
        """Every plain name an unpacking target (``a, (b, *c)``) binds, as values."""
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.bindings.append(Binding(node.id, line, BindingKind.VALUE, None, context[4], context[2]))

    def _expression(self, node: ast.Expr, context: _Context) -> None:
        """``__all__.extend([...])`` and ``__all__.append("x")``."""
        value = node.value
        if not (type(value) is ast.Call and type(value.func) is ast.Attribute):
            return
        owner = value.func.value
        if not (type(owner) is ast.Name and owner.id == "__all__" and value.args):
            return
        if value.func.attr == "extend":
            self._extend_all(_string_list(value.args[0]))
        elif value.func.attr == "append":
            item = value.args[0]
            self._extend_all((item.value,) if isinstance(item, ast.Constant) and isinstance(item.value, str) else None)

    def _nested_assignment(self, node: ast.Assign, context: _Context) -> None:
        """``fn = old_fn`` in a function or class body: a local alias when nothing else binds
        ``fn`` there (see :mod:`importcanon.adapters.scoping`)."""
        alias = plain_alias(node)
        if alias is None:
            return
        name, source = alias
        self.assigned.add(name)
        words = self.call_words
        if words is None or not words.isdisjoint(source.split(".")):
            self.local_aliases.append((name, source))

    def _nested_expression(self, node: ast.Expr, context: _Context) -> None:
        """``__all__.append(name)`` in a function or class body: ``__all__`` is then computed
        at run time (numpy's ``_core.numeric`` grows it in ``extend_all(module)``, called at
        module level), and a star import of the module may bring any of its names."""
        value = node.value
        if (
            type(value) is ast.Call
            and type(value.func) is ast.Attribute
            and type(value.func.value) is ast.Name
            and value.func.value.id == "__all__"
            and value.func.attr in _LIST_GROWERS
        ):
            self._extend_all(None)

    def _extend_all(self, extra: tuple[str, ...] | None) -> None:
        """``__all__`` grows by ``extra`` while both are known lists of strings; once either is
        computed at run time (``__all__ = fields_all + ...``), the whole list is unknown (None),
        never the literal part alone: a star import would otherwise lose every computed name."""
        self.all_names = (*self.all_names, *extra) if self.all_names is not None and extra is not None else None

    def _collect_calls(self, statement: ast.stmt, scope: int) -> None:
        """The calls in the expressions ``statement`` evaluates itself (not in its nested
        statements), each expression breadth first, as ``ast.walk`` would meet them; but not
        those whose callee's first part a scope around them binds otherwise than by an import
        (see :mod:`importcanon.adapters.scoping`): they call something else."""
        words = self.call_words
        found: list[tuple[ast.Call, str]] = []
        openers: list[ast.AST] = []  # lambdas and comprehensions, outer ones first
        for field in _OWN_EXPRESSIONS[type(statement)]:
            value = getattr(statement, field)
            for root in value if type(value) is list else (value,):
                if type(root) in _NO_CALLS:
                    continue
                queue = [root]
                for node in queue:  # grows while iterated: breadth first
                    kind = type(node)
                    if kind is ast.Call:
                        callee = dotted_name(node.func)  # type: ignore[attr-defined]
                        if callee and (words is None or not words.isdisjoint(callee.split("."))):
                            found.append((node, callee))  # type: ignore[arg-type]
                    elif kind in _OPENING_SCOPES:
                        openers.append(node)
                    for child in _CHILDREN[kind]:
                        inner = getattr(node, child)
                        if type(inner) is list:
                            queue.extend(inner)
                        elif inner is not None:
                            queue.append(inner)
        if found:
            chains = expression_scopes(openers) if openers else {}
            self.found.extend((node, callee, scope, chains.get(id(node), ())) for node, callee in found)

    def finish(self) -> None:
        """The calls found, once every statement has been read, each with the scope whose
        imports bind its first part (see ``Call.binder``).

        A first part that the module binds nowhere (no module-level binding, no import in any
        scope, no star import, no plain assignment of a dotted name in a function or class body
        that could make it a local alias) nor Python's builtins name, names nothing a module can
        name, wherever it is read: its calls are kept as they are, without asking which scopes
        bind it, so that ``self.method()`` costs no scope analysis, nor a stubbed parse the
        lines of every ``self``. And one that the text binds only by imports (see
        :mod:`importcanon.adapters.callee_heads`) needs only the imports of each scope."""
        if not self.found:
            return
        imported = self._imports_by_scope()
        anything = any("*" in names for names in imported.values())  # a star import
        module_level = {binding.name for binding in self.bindings}
        asked: dict[str, bool] = {}  # by first part: whether only imports bind it
        assignable: dict[str, bool] = {}  # by first part: whether the text may assign it
        for node, callee, scope, chain in self.found:
            head = callee.partition(".")[0]
            binder: int | None = 0
            through = None
            if (scope or chain) and (
                anything
                or head in module_level
                or head in _BUILTINS
                or head in self.assigned
                or any(head in names for names in imported.values())
            ):
                if head not in asked:
                    asked[head] = self.text is not None and not may_bind(self.text, head)
                if asked[head]:
                    binder = self._importing_scope(head, chain, scope)
                else:
                    self.scoped_heads.add(head)
                    read = self._reading(head, chain, scope, frozenset())
                    binder = read[0] if read is not None else None
                    if read is not None and read[1] != head:
                        through = read[1] + callee[len(head) :]
            elif (scope or chain) and self.text is not None:
                if head not in assignable:
                    assignable[head] = may_assign(self.text, head)
                if assignable[head]:
                    self.scoped_heads.add(head)  # a stub may have cut what makes it a local alias
            if binder is not None:
                self.calls.append(Call(node.lineno, callee, scope, binder, through))

    def _imports_by_scope(self) -> dict[int, set[str]]:
        """The names the imports of each scope bind (``*`` for a star import)."""
        if self._imported is None:
            self._imported = {}
            for statement in self.imports:
                names = self._imported.setdefault(statement.scope, set())
                plain = statement.module is None and not statement.level  # import a.b binds a
                for name, alias in statement.names:
                    names.add(alias or (name.partition(".")[0] if plain else name))
        return self._imported

    def _reading(
        self, head: str, chain: tuple[ast.AST, ...], scope: int, followed: frozenset[tuple[str, int]]
    ) -> tuple[int, str] | None:
        """What ``head`` is where it is read, inside the lambdas and comprehensions ``chain``
        (innermost first) in ``scope``: the scope whose imports bind it (0 for the module's
        namespace) and the dotted name it stands for there, itself or, through a local alias
        (``fn = util.old_fn``), that name as read where the alias is assigned; None when a scope
        binds it otherwise (a parameter, another assignment...). ``followed``: the aliases
        followed so far, by (name, scope), so that ``a = b`` beside ``b = a`` ends."""
        for node in chain:
            if head in self._scope_names(node).bound:
                return None  # a lambda's or a comprehension's: bound, never imported
        current = scope
        passing = bool(chain)  # a class body is no scope to what is nested in it
        while current:
            parent, _, is_class = self.scopes[current]
            if not (is_class and passing):
                names = self._scope_names(self.scope_nodes[current])
                if head in names.declared_global:
                    return 0, head
                if head in names.imported:
                    return current, head
                if head in names.bound:
                    source = names.aliases.get(head)
                    if source is None or (head, current) in followed:
                        return None
                    first, dot, rest = source.partition(".")
                    self.scoped_heads.add(first)  # its bindings decide too: a stub keeps them
                    read = self._reading(first, (), current, followed | {(head, current)})
                    return None if read is None else (read[0], read[1] + dot + rest)
            passing = True
            current = parent
        return 0, head

    def _importing_scope(self, head: str, chain: tuple[ast.AST, ...], scope: int) -> int:
        """``_reading`` for a name that only imports bind: the first scope around that imports it."""
        imported = self._imports_by_scope()
        current = scope
        passing = bool(chain)
        while current:
            parent, _, is_class = self.scopes[current]
            if not (is_class and passing) and head in imported.get(current, ()):
                return current
            passing = True
            current = parent
        return 0

    def _scope_names(self, node: ast.AST | None) -> ScopeNames:
        names = self._names.get(id(node))
        if names is None:
            names = self._names[id(node)] = scope_names(node)  # type: ignore[arg-type]
        return names


_Handler = Callable[[_Collector, Any, _Context], None]
_NESTED_HANDLERS: dict[type[ast.AST], _Handler] = {
    ast.Import: _Collector._import,
    ast.ImportFrom: _Collector._import,
    ast.FunctionDef: _Collector._function,
    ast.AsyncFunctionDef: _Collector._function,
    ast.ClassDef: _Collector._class,
    ast.If: _Collector._if,
    ast.Try: _Collector._try,
    ast.TryStar: _Collector._try,
    ast.For: _Collector._for,
    ast.AsyncFor: _Collector._for,
    ast.While: _Collector._while,
    ast.Match: _Collector._match,
    ast.With: _Collector._with,
    ast.AsyncWith: _Collector._with,
    ast.Global: _Collector._global,
    ast.Expr: _Collector._nested_expression,
    ast.Assign: _Collector._nested_assignment,
}
#: The methods that add to a list.
_LIST_GROWERS = frozenset({"append", "extend", "insert", "__iadd__"})
#: At module level assignments bind names and ``__all__.extend(...)`` grows ``__all__``.
_MODULE_LEVEL_HANDLERS: dict[type[ast.AST], _Handler] = {
    **_NESTED_HANDLERS,
    ast.Assign: _Collector._assignment,
    ast.AnnAssign: _Collector._assignment,
    ast.AugAssign: _Collector._assignment,
    ast.Expr: _Collector._expression,
}

#: Fields that hold no node, or only nodes without children (``ctx``, operators): never a call.
_LEAF_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "name", "asname", "names", "module", "level", "conversion", "kind"}
    | {"type_comment", "is_async", "simple", "tag"}
)
#: The statement fields that hold nested statements, not expressions the statement evaluates.
_BODY_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})


def _node_classes(base: type[ast.AST]) -> Iterator[type[ast.AST]]:
    for cls in base.__subclasses__():
        yield cls
        yield from _node_classes(cls)


#: For every node class, the fields that may hold a node with a call below it (None in a list,
#: like a ``**`` key of a dict, is visited as a node without fields).
_CHILDREN: dict[type, tuple[str, ...]] = {
    cls: () if issubclass(cls, ast.Constant) else tuple(f for f in cls._fields if f not in _LEAF_FIELDS)
    for cls in _node_classes(ast.AST)
}
_CHILDREN[type(None)] = ()
#: For every statement class, the fields holding the expressions it evaluates itself.
_OWN_EXPRESSIONS: dict[type, tuple[str, ...]] = {
    cls: tuple(f for f in cls._fields if f not in _LEAF_FIELDS and f not in _BODY_FIELDS)
    for cls in _node_classes(ast.stmt)
}
_NO_CALLS = frozenset({ast.Name, ast.Constant, type(None)})
_BUILTINS = frozenset(dir(builtins))
_OPENING_SCOPES = frozenset(EXPRESSION_SCOPES)


def _string_list(node: ast.expr | None) -> tuple[str, ...] | None:
    if isinstance(node, (ast.List, ast.Tuple)) and all(
        isinstance(item, ast.Constant) and isinstance(item.value, str) for item in node.elts
    ):
        return tuple(item.value for item in node.elts)  # type: ignore[attr-defined]
    return None


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round): its block runs only when the module is run
    as a script, never when it is imported, so its imports are deferred (rich/default_styles.py
    imports rich.console there: no start-up cycle)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = (test.left, test.comparators[0])
    return any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides) and any(
        isinstance(side, ast.Constant) and side.value == "__main__" for side in sides
    )


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    candidates = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for candidate in candidates:
        name = candidate.attr if isinstance(candidate, ast.Attribute) else getattr(candidate, "id", None)
        if name in IMPORT_ERROR_CATCHERS:
            return True
    return False


# The shape of a compatibility shim --------------------------------------------------------------


def _is_shim_shaped(body: list[ast.stmt]) -> bool:
    statements = body[1:] if body and _is_docstring(body[0]) else body
    return bool(statements) and all(_shim_statement(statement) for statement in statements)


def _shim_statement(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.Pass, ast.Delete)):
        return True
    if isinstance(node, ast.Assign):
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if len(names) != len(node.targets):
            return False
        return "__all__" in names or dotted_name(node.value) is not None or _is_none(node.value)
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return isinstance(node.target, ast.Name) and node.target.id == "__all__"
    if isinstance(node, ast.Expr):
        return _is_docstring(node) or _is_warning_or_all_call(node.value)
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        return all(_shim_statement(inner) for inner in node.body + node.orelse)
    if isinstance(node, (ast.Try, ast.TryStar)):
        return (
            bool(node.handlers)
            and all(_catches_import_error(handler) for handler in node.handlers)
            and all(_shim_statement(inner) for inner in node.body + node.orelse + node.finalbody)
            and all(_shim_statement(inner) for h in node.handlers for inner in h.body)
        )
    return False


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_warning_or_all_call(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    callee = dotted_name(node.func) or ""
    return callee in {"warn", "warnings.warn", "__all__.extend", "__all__.append"}


# Imports meant to fail -------------------------------------------------------------------------

#: What a ``with`` block that expects an exception calls (pytest's ``raises``, unittest's).
_EXPECTING = frozenset({"raises", "assertRaises", "assertRaisesRegex"})
_IMPORT_FAILURES = frozenset({"ImportError", "ModuleNotFoundError"})


def imports_expected_to_fail(tree: ast.Module) -> frozenset[int]:
    """The lines of the import statements inside a ``with`` block that expects an ImportError
    (``with pytest.raises(ImportError):``, ``with self.assertRaises(ModuleNotFoundError):``): a
    test that something is *not* importable, whose failing import is the point. A function or
    class defined in the block runs elsewhere: its imports are not the block's."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
            _expects_import_error(i.context_expr) for i in node.items
        ):
            lines.update(_import_lines_run_by(node.body))
    return frozenset(lines)


def _expects_import_error(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call) or (dotted_name(node.func) or "").rpartition(".")[2] not in _EXPECTING:
        return False
    expected = (
        node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "expected_exception"), None)
    )
    candidates = expected.elts if isinstance(expected, ast.Tuple) else [expected]
    return any((dotted_name(c) or "").rpartition(".")[2] in _IMPORT_FAILURES for c in candidates if c is not None)


def _import_lines_run_by(body: list[ast.stmt]) -> Iterator[int]:
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node.lineno
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))


def parsed_tree(text: str) -> ast.Module | None:
    """The file's syntax tree; None for a text Python cannot parse."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def name_uses(tree: ast.Module, name: str, line: int | None = None) -> NameUses:
    """How a module uses ``name``, anywhere in the file (conservatively, scopes are not told apart).

    ``line``: the import statement asked about. Where the name is bound more than once in the
    file but that import is in a function that binds it nowhere else (pydantic's main.py imports
    ``parse`` in parse_raw and again in parse_file), the uses are that function's: the name is
    its local, which no other scope sees (a ``global`` or ``nonlocal`` of it is another use)."""
    whole = _name_uses(list(ast.walk(tree)), name)
    if line is None or whole.bindings < 2:
        return whole
    function = _function_importing(tree, name, line)
    if function is None:
        return whole
    inside = [node for part in (function.args, *function.body) for node in ast.walk(part)]
    local = _name_uses(inside, name)
    return local if local.bindings == 1 else whole


def _function_importing(tree: ast.Module, name: str, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The innermost function whose body holds the import on ``line`` that binds ``name``."""
    found: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for part in node.body:
            for inner in ast.walk(part):
                if (
                    isinstance(inner, (ast.Import, ast.ImportFrom))
                    and inner.lineno == line
                    and any(_bound_by(alias, isinstance(inner, ast.Import)) == name for alias in inner.names)
                    and (found is None or node.lineno >= found.lineno)
                ):
                    found = node
    return found


def _name_uses(nodes: list[ast.AST], name: str) -> NameUses:
    attributes: set[str] = set()
    read_through: set[int] = set()
    for node in nodes:
        if isinstance(node, ast.Attribute) and _is_load_of(node.value, name):
            attributes.add(node.attr)
            read_through.add(id(node.value))
    other: list[int] = []
    bindings = 0
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bindings += sum(1 for alias in node.names if _bound_by(alias, isinstance(node, ast.Import)) == name)
        elif _is_load_of(node, name) and id(node) not in read_through:
            other.append(node.lineno)  # type: ignore[attr-defined]
        elif isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            other.append(node.lineno)
        elif _binds(node, name):
            bindings += 1
    return NameUses(frozenset(attributes), tuple(sorted(other)), bindings)


def _is_load_of(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)


def _binds(node: ast.AST, name: str) -> bool:
    """Whether ``node`` (other than an import) binds ``name``: an assignment, a def, a parameter..."""
    if isinstance(node, ast.Name):
        return node.id == name and not isinstance(node.ctx, ast.Load)
    if isinstance(node, ast.arg):
        return node.arg == name
    if isinstance(node, ast.MatchMapping):
        return node.rest == name
    named = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs, ast.MatchStar)
    return isinstance(node, named) and node.name == name


def _bound_by(alias: ast.alias, plain: bool) -> str:
    if alias.asname:
        return alias.asname
    return alias.name.split(".")[0] if plain else alias.name
