"""Syntax newer than the running Python, rewritten into the older syntax that ``ast`` can read.

grimp's scanner reads any syntax up to 3.14, so a PEP 701 f-string, a ``type`` statement or PEP
695 type parameters put a file in the import graph even on Python 3.11, whose ``ast`` cannot read
it. Then the facts (bindings, calls, shims) would silently miss the file. libcst parses Python 3.0
to 3.14 on any interpreter; the file is parsed with it, only the new constructs are rewritten into
old ones that bind the same names at the same lines, and ``ast`` reads the result, so one
collector gives the facts of every file:

- an f-string or t-string becomes a tuple of the expressions it interpolates (their calls and
  names are kept), padded to the same number of lines;
- ``type X[T] = value`` becomes ``X = value``; type parameters of a def or class are dropped;
- ``except A, B:`` (3.14) gets its parentheses.

Only files ``ast`` rejects come here (and this module, with libcst, is imported only then), so a project on the
newest syntax costs nothing more than before.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst

#: CPython's own limits: files that break them fail to import on every version; a newer grammar
#: does not help, so they stay syntax errors.
PYTHON_LIMITS = ("too many nested parentheses", "too many levels of indentation", "too many statically nested blocks")
_STRINGS = (libcst.SimpleString, libcst.ConcatenatedString)


def parse_newer_syntax(text: str, filename: str, error: SyntaxError) -> ast.Module:
    """The ``ast`` of ``text`` through libcst; re-raises ``error`` when libcst cannot help."""
    if (error.msg or "").startswith(PYTHON_LIMITS):
        raise error
    try:
        module = libcst.parse_module(text)
        rewritten = module.visit(_OlderSyntax(module)).code
        return ast.parse(rewritten, filename=filename)
    except (libcst.ParserSyntaxError, SyntaxError, ValueError, RecursionError, MemoryError):
        raise error from None


class _OlderSyntax(libcst.CSTTransformer):
    """The rewrites listed in the module docstring, each keeping the line count of its node."""

    def __init__(self, module: libcst.Module) -> None:
        super().__init__()
        self.module = module

    def _code(self, node: libcst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def _expression(self, code: str, lines: int) -> libcst.BaseExpression:
        """``code`` parsed as an expression, padded inside its parentheses to span ``lines``."""
        padding = "\n" * max(0, lines - code.count("\n"))
        return libcst.parse_expression(f"({code}{padding})")

    def _interpolations(self, parts: Sequence[libcst.CSTNode]) -> list[str]:
        found: list[str] = []
        for part in parts:
            if isinstance(part, (libcst.FormattedStringExpression, libcst.TemplatedStringExpression)):
                found.append(self._code(part.expression))
                if part.format_spec:
                    found.extend(self._interpolations(part.format_spec))
        return found

    def _as_tuple(self, original: libcst.CSTNode, parts: Sequence[libcst.CSTNode]) -> libcst.BaseExpression:
        expressions = self._interpolations(parts)
        code = ", ".join(expressions) + ("," if expressions else "")
        return self._expression(code, self._code(original).count("\n"))

    def leave_FormattedString(
        self, original_node: libcst.FormattedString, updated_node: libcst.FormattedString
    ) -> libcst.BaseExpression:
        return self._as_tuple(original_node, updated_node.parts)

    def leave_TemplatedString(
        self, original_node: libcst.TemplatedString, updated_node: libcst.TemplatedString
    ) -> libcst.BaseExpression:
        return self._as_tuple(original_node, updated_node.parts)

    def leave_ConcatenatedString(
        self, original_node: libcst.ConcatenatedString, updated_node: libcst.ConcatenatedString
    ) -> libcst.BaseExpression:
        """``"a" f"{b}"``: once a part is a tuple, the parts make a tuple too."""
        if isinstance(updated_node.left, _STRINGS) and isinstance(updated_node.right, _STRINGS):
            return updated_node
        left, right = self._code(updated_node.left), self._code(updated_node.right)
        code = f"{left},{self._code(updated_node.whitespace_between)}{right}"
        return self._expression(code, self._code(original_node).count("\n"))

    def leave_TypeAlias(
        self, original_node: libcst.TypeAlias, updated_node: libcst.TypeAlias
    ) -> libcst.BaseSmallStatement:
        return libcst.Assign(targets=[libcst.AssignTarget(target=updated_node.name)], value=updated_node.value)

    def leave_FunctionDef(
        self, original_node: libcst.FunctionDef, updated_node: libcst.FunctionDef
    ) -> libcst.FunctionDef:
        return updated_node.with_changes(**self._without_type_parameters(original_node, updated_node))

    def leave_ClassDef(self, original_node: libcst.ClassDef, updated_node: libcst.ClassDef) -> libcst.ClassDef:
        return updated_node.with_changes(**self._without_type_parameters(original_node, updated_node))

    def _without_type_parameters(
        self, original: libcst.FunctionDef | libcst.ClassDef, updated: libcst.FunctionDef | libcst.ClassDef
    ) -> dict[str, object]:
        """The changes that drop a def's or class's type parameters: the space after them (``def
        f [T] ():``, which libcst allows only beside type parameters) joins the space before
        them, and each line they spanned becomes a line continuation there, so that the lines
        below keep their numbers."""
        if original.type_parameters is None:
            return {}
        lines = self._code(original.type_parameters).count("\n")
        space = updated.whitespace_after_name.value + "\\\n" * lines + updated.whitespace_after_type_parameters.value
        return {
            "type_parameters": None,
            "whitespace_after_name": libcst.SimpleWhitespace(space),
            "whitespace_after_type_parameters": libcst.SimpleWhitespace(""),
        }

    def leave_ExceptHandler(
        self, original_node: libcst.ExceptHandler, updated_node: libcst.ExceptHandler
    ) -> libcst.ExceptHandler:
        """``except A, B:`` (3.14) is ``except (A, B):`` before it."""
        kind = updated_node.type
        if isinstance(kind, libcst.Tuple) and not kind.lpar:
            parenthesized = kind.with_changes(lpar=[libcst.LeftParen()], rpar=[libcst.RightParen()])
            return updated_node.with_changes(type=parenthesized)
        return updated_node

    def leave_ExceptStarHandler(
        self, original_node: libcst.ExceptStarHandler, updated_node: libcst.ExceptStarHandler
    ) -> libcst.ExceptStarHandler:
        kind = updated_node.type
        if isinstance(kind, libcst.Tuple) and not kind.lpar:
            parenthesized = kind.with_changes(lpar=[libcst.LeftParen()], rpar=[libcst.RightParen()])
            return updated_node.with_changes(type=parenthesized)
        return updated_node
