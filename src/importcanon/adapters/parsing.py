"""Full parses with Python's ``ast``, for the few files whose facts the line scan cannot give.

``ast.parse`` of a whole 1.4 M-line backend takes seconds, twelve times an import-linter run, so
nothing here runs unless an analysis asks about a specific module, and results are cached by
content hash.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, replace

from importcanon.domain.facts import ImportKind, ImportStatement, ParsedModule

_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def parse_module(text: str, filename: str) -> ParsedModule:
    """Parse ``text``; raises SyntaxError or ValueError like ``compile`` for a broken file."""
    tree = ast.parse(text, filename=filename)
    collector = _Collector()
    collector.visit_body(tree.body, _Context())
    return ParsedModule(imports=tuple(collector.imports))


@dataclass(frozen=True)
class _Context:
    scope: int = 0
    in_function: bool = False
    type_checking: bool = False
    guarded: bool = False

    @property
    def kind(self) -> ImportKind:
        if self.type_checking:
            return ImportKind.TYPE_CHECKING
        if self.in_function:
            return ImportKind.DEFERRED
        if self.guarded:
            return ImportKind.GUARDED
        return ImportKind.MODULE


class _Collector:
    def __init__(self) -> None:
        self.imports: list[ImportStatement] = []
        self._scopes = 0

    def visit_body(self, body: list[ast.stmt], context: _Context) -> None:
        for statement in body:
            self.visit(statement, context)

    def visit(self, node: ast.stmt, context: _Context) -> None:
        if isinstance(node, ast.Import):
            self.imports.append(
                ImportStatement(
                    line=node.lineno,
                    kind=context.kind,
                    level=0,
                    module=None,
                    names=tuple((alias.name, alias.asname) for alias in node.names),
                    scope=context.scope,
                )
            )
        elif isinstance(node, ast.ImportFrom):
            self.imports.append(
                ImportStatement(
                    line=node.lineno,
                    kind=context.kind,
                    level=node.level or 0,
                    module=node.module,
                    names=tuple((alias.name, alias.asname) for alias in node.names),
                    scope=context.scope,
                )
            )
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._scopes += 1
            inner = _Context(self._scopes, True, context.type_checking, context.guarded)
            self.visit_body(node.body, inner)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            self.visit_body(node.body, replace(context, type_checking=True))
            self.visit_body(node.orelse, context)
        elif isinstance(node, (ast.Try, ast.TryStar)):
            guarded = context.guarded or any(_catches_import_error(h) for h in node.handlers)
            self.visit_body(node.body, replace(context, guarded=guarded))
            for handler in node.handlers:
                self.visit_body(handler.body, context)
            self.visit_body(node.orelse, context)
            self.visit_body(node.finalbody, context)
        else:
            for body in _nested_bodies(node):
                self.visit_body(body, context)


def _nested_bodies(node: ast.stmt) -> Iterator[list[ast.stmt]]:
    """Statement lists inside compound statements other than def/try/TYPE_CHECKING."""
    for name in ("body", "orelse", "finalbody"):
        body = getattr(node, name, None)
        if isinstance(body, list):
            yield body
    if isinstance(node, ast.Match):
        for case in node.cases:
            yield case.body


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    candidates = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for candidate in candidates:
        name = candidate.attr if isinstance(candidate, ast.Attribute) else getattr(candidate, "id", None)
        if name in _IMPORT_ERRORS:
            return True
    return False
