"""Which binding a name read inside a function, lambda, comprehension or class body refers to.

A call ``old_fn()`` calls the module-level ``old_fn`` only when no scope around it binds the name
first: Python decides that at compile time, for the whole scope, whatever the order of the
statements (``symtable`` is the reference, and tests/test_scoping_oracle.py holds this reading to
it). A name is local to a function or lambda when anything in it binds the name: a parameter of
any kind, an assignment target (``x: int`` alone included), ``for``, ``with ... as``, ``except
... as``, a walrus (also one inside a comprehension, which binds in the function around it),
``import``, a nested ``def`` or ``class``, ``del``, a ``match`` capture; unless the scope declares
it ``global`` (the module's) or ``nonlocal`` (a function's around it). A comprehension's scope
holds only its ``for`` targets. A class body binds names for itself, not for the functions,
lambdas and comprehensions in it. What a ``def`` or ``lambda`` evaluates where it stands (its
decorators, defaults and annotations) and the first iterable of a comprehension belong to the
scope around them.

A name whose one binding in a function or class body is a plain assignment of a dotted name
(``fn = old_fn``, ``fn = util.old_fn``) is a local alias: any read of it that does not fail
finds that object, as the name assigned stands for it where the assignment is.

Only the scopes around a call of a name asked about are read, once each: a few in a file.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

#: The expressions that open a scope of their own.
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
EXPRESSION_SCOPES = (ast.Lambda, *COMPREHENSIONS)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class ScopeNames(NamedTuple):
    """The names one scope binds, by how; a name declared ``nonlocal`` is in none of them."""

    bound: frozenset[str]  # by anything but an import
    imported: frozenset[str]
    declared_global: frozenset[str]
    #: The local aliases: each name bound by one plain assignment of a dotted name and nothing
    #: else, with that dotted name (``fn = util.old_fn``: ``{"fn": "util.old_fn"}``).
    aliases: Mapping[str, str] = MappingProxyType({})


def scope_names(scope: ast.AST) -> ScopeNames:
    """What the def, class, lambda or comprehension ``scope`` binds in its own scope."""
    bound: Counter[str] = Counter()  # how many times: a local alias is bound once
    imported: set[str] = set()
    declared: set[str] = set()
    undeclared: set[str] = set()  # global and nonlocal
    assigned: dict[str, str] = {}  # plain assignments of a dotted name
    if isinstance(scope, COMPREHENSIONS):
        for generator in scope.generators:
            _store_names(generator.target, bound)
        return ScopeNames(frozenset(bound), frozenset(), frozenset())
    if isinstance(scope, (*_FUNCTIONS, ast.Lambda)):
        arguments = scope.args
        for parameter in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            bound[parameter.arg] += 1
        for starred in (arguments.vararg, arguments.kwarg):
            if starred is not None:
                bound[starred.arg] += 1
    body = scope.body if isinstance(scope.body, list) else [scope.body]  # type: ignore[attr-defined]
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                bound[node.id] += 1  # type: ignore[attr-defined]
        elif kind in _FUNCTIONS or kind is ast.ClassDef:
            bound[node.name] += 1  # type: ignore[attr-defined]
            pending.extend(_evaluated_where_defined(node))
        elif kind is ast.Lambda:
            pending.append(node.args)  # type: ignore[attr-defined]  # its defaults
        elif isinstance(node, COMPREHENSIONS):
            pending.append(node.generators[0].iter)
            bound.update(_walrus_targets(node))
        elif kind is ast.Import or kind is ast.ImportFrom:
            for alias in node.names:  # type: ignore[attr-defined]
                if alias.name != "*":
                    imported.add(alias.asname or (alias.name.partition(".")[0] if kind is ast.Import else alias.name))
        elif kind is ast.Global:
            declared.update(node.names)  # type: ignore[attr-defined]
            undeclared.update(node.names)  # type: ignore[attr-defined]
        elif kind is ast.Nonlocal:
            undeclared.update(node.names)  # type: ignore[attr-defined]
        else:
            alias = plain_alias(node) if kind is ast.Assign else None  # type: ignore[arg-type]
            if alias is not None:
                assigned[alias[0]] = alias[1]
            name = _captured(node)
            if name is not None:
                bound[name] += 1
            pending.extend(ast.iter_child_nodes(node))
    aliases = {
        name: source
        for name, source in assigned.items()
        if bound[name] == 1 and name not in imported and name not in undeclared
    }
    return ScopeNames(
        frozenset(bound.keys() - undeclared), frozenset(imported - undeclared), frozenset(declared), aliases
    )


def plain_alias(node: ast.Assign) -> tuple[str, str] | None:
    """(name, dotted name) of ``name = a.b``: one plain target, a dotted value; None otherwise."""
    if len(node.targets) != 1 or type(node.targets[0]) is not ast.Name:
        return None
    source = dotted_name(node.value)
    return None if source is None else (node.targets[0].id, source)


def dotted_name(node: ast.expr) -> str | None:
    """``a.b.c`` for a Name or a chain of Attributes on a Name; None for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def expression_scopes(openers: Iterable[ast.AST]) -> dict[int, tuple[ast.AST, ...]]:
    """For every call that one of ``openers`` (the lambdas and comprehensions of one statement,
    each before those nested in it) holds in its scope: those around it, innermost first, by
    the call node's id."""
    chains: dict[int, list[ast.AST]] = {}
    for opener in openers:
        if isinstance(opener, ast.Lambda):
            parts: list[ast.AST] = [opener.body]
        else:
            first = opener.generators[0]  # type: ignore[attr-defined]
            parts = [first.target, *first.ifs, *(child for child in ast.iter_child_nodes(opener) if child is not first)]
        for part in parts:
            for node in ast.walk(part):
                if type(node) is ast.Call:
                    chains.setdefault(id(node), []).append(opener)
    return {call: tuple(reversed(around)) for call, around in chains.items()}


def _evaluated_where_defined(node: ast.AST) -> list[ast.AST]:
    """What a nested def or class evaluates in the scope around it: decorators, defaults,
    annotations, bases and keywords (not its body, nor PEP 695 type parameters)."""
    if isinstance(node, ast.ClassDef):
        return [*node.decorator_list, *node.bases, *node.keywords]
    assert isinstance(node, _FUNCTIONS)
    return [*node.decorator_list, node.args, *([node.returns] if node.returns is not None else [])]


def _walrus_targets(comprehension: ast.AST) -> set[str]:
    """The names the walruses in a comprehension bind in the scope around it (those in nested
    comprehensions too, not those in a lambda's body)."""
    names: Counter[str] = Counter()
    pending = list(ast.iter_child_nodes(comprehension))
    while pending:
        node = pending.pop()
        if type(node) is ast.NamedExpr:
            _store_names(node.target, names)
        if type(node) is ast.Lambda:
            pending.append(node.args)
        else:
            pending.extend(ast.iter_child_nodes(node))
    return set(names)


def _store_names(target: ast.AST, names: Counter[str]) -> None:
    for node in ast.walk(target):
        if type(node) is ast.Name and type(node.ctx) is not ast.Load:
            names[node.id] += 1


def _captured(node: ast.AST) -> str | None:
    """The name an ``except ... as`` or a ``match`` pattern binds."""
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return node.name
    if isinstance(node, ast.MatchMapping):
        return node.rest
    return None
