"""What a module certainly binds at module level, read from its text: positive evidence only.

``broken-import`` asks whether a module has a name, and a parse answers; but most often a few
lines of text answer as well: ``class Name``, ``Name = ...`` or ``from x import Name`` at module
level (inside ``if``, ``try`` or ``with`` blocks too), or ``from x import *`` from a module that
exports it. A statement counts here only when the text shows exactly where it stands: it starts
a logical line (the reading of strings, brackets and backslashes in
:mod:`importcanon.adapters.kinds`, declined for text whose f-strings or line breaks that reading
cannot follow), and every block around it opens with a header other than ``def`` or ``class``,
whose bodies are other scopes. The statement itself is then read by ``ast``, alone. In a file
that parses, such a statement is one the parser finds at scope 0, binding what ``ast`` says it
binds. A name not found here may still be bound: only a parse can say that it is not.
"""

from __future__ import annotations

import ast
import keyword
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from enum import Enum
from itertools import accumulate, repeat
from operator import add

from importcanon.adapters.kinds import LITERALS, logical_starts
from importcanon.adapters.plain_syntax import reads_plainly
from importcanon.adapters.words import whole_words
from importcanon.domain.facts import TextImport

#: The headers of the blocks that run in the scope around them (a def or class body is another).
_SAME_SCOPE_HEADER = re.compile(
    r"(?:if|elif|else|try|except|finally|with|for|while|match|case|async[ \t]+(?:with|for))\b"
)
_NEW_SCOPE_HEADER = re.compile(r"(?:async[ \t]+def|def|class)\b")
_DEFINITION = re.compile(r"(?:async[ \t]+def|def|class)[ \t]+(\w+)")
#: A simple statement that may bind a name: an import, or something assigned (``a = ``,
#: ``a: T = ``, ``a, b = ``, ``(a, b) = ``).
_MAY_BIND = re.compile(r"(?:import|from)\b|[\w(\[*]")
_IMPORT_WORD = re.compile(r"import(?<!\wimport)(?!\w)")  # the literal first: see _lines_naming
_GLOBAL_WORD = re.compile(r"global(?<!\wglobal)(?!\w)")
_NOTHING = re.compile(r"(?!)")


class _Scope(Enum):
    MODULE = "module"
    NESTED = "nested"  # inside a def or class body
    UNKNOWN = "unknown"


class ModuleLevelText:
    """One module's text, read for the statements that certainly run in the module's scope.

    Kept for the run by the modules asked about, so it holds no more than the text and two
    arrays of numbers: where each line starts, and which lines start a logical line."""

    def __init__(self, text: str, starts: list[int]) -> None:
        self.text = text
        self.starts = array("l", starts)
        # Where each line starts (and, last, one past the end): summed at C speed.
        self.offsets = array("l", accumulate(map(add, map(len, text.split("\n")), repeat(1)), initial=0))
        self._read: dict[int, frozenset[str]] = {}
        self._stars: tuple[tuple[int, str | None], ...] | None = None
        self._column_zero: array[int] | None = None  # the logical lines of code in column 0

    def binds(self, name: str) -> bool:
        """Whether a statement that certainly runs at module level binds ``name``."""
        if not (name.isascii() and name.isidentifier()) or keyword.iskeyword(name) or name == "__all__":
            return False  # a name the parser would spell otherwise (NFKC), or one it keeps apart
        return any(name in self._names_bound(start) for start in self._lines_naming(name, unless=_NOTHING))

    def star_imports(self) -> tuple[tuple[int, str | None], ...]:
        """(level, module as written) of every ``from ... import *`` certainly at module level."""
        if self._stars is None:
            stars: list[tuple[int, str | None]] = []
            for start in self.starts:
                code = self._line(start).lstrip(" \t")
                if code.startswith("from") and "*" in self._logical_text(start) and self._module_level(start):
                    stars.extend(
                        (node.level or 0, node.module)
                        for node in self._statements(start)
                        if isinstance(node, ast.ImportFrom) and [alias.name for alias in node.names] == ["*"]
                    )
            self._stars = tuple(stars)
        return self._stars

    def _names_bound(self, start: int) -> frozenset[str]:
        """The names the logical line at ``start`` binds in the module's scope (none when it is
        not certainly at module level, or not a statement this reading takes apart)."""
        if start not in self._read:
            code = self._line(start).lstrip(" \t")
            names: set[str] = set()
            definition = _DEFINITION.match(code)
            if (definition or _MAY_BIND.match(code)) and self._module_level(start):
                if definition:
                    names.add(definition.group(1))
                else:
                    for node in self._statements(start):
                        names.update(_bound_by(node))
            self._read[start] = frozenset(names)
        return self._read[start]

    def binds_apart_from_imports(self, name: str) -> bool:
        """False only when the text shows that nothing at module level binds ``name`` except
        ``from ... import name`` statements without an alias (star imports aside): every other
        logical line naming it is a comment, sits in a def or class body with no ``global`` on
        it, or is a module-level statement that ``ast`` reads alone and finds no other binding
        of it in."""
        if not (name.isascii() and name.isidentifier()):
            return True
        for start in self._lines_naming(name, unless=_GLOBAL_WORD):
            scope = self._scope(start)
            if scope is _Scope.NESTED:
                if _GLOBAL_WORD.search(self._logical_text(start)):
                    return True  # ``global name`` binds it at module level
            elif scope is _Scope.MODULE:
                statements = self._module_statements(start)
                if statements is None or any(_binds_apart_from_import(node, name) for node in statements):
                    return True
            elif self._indent(start) is not None:  # not a comment line: where it stands is unknown
                return True
        return False

    def may_rebind(self, name: str) -> bool:
        """False only when the text shows that no module-level statement binds a name to
        something written with ``name``: ``other = name``, ``other = x.name``, ``from x import
        name as other`` (the lines naming it are comments, sit in def or class bodies, or are
        module-level statements that ``ast`` reads alone and finds no such binding in)."""
        if not (name.isascii() and name.isidentifier()):
            return True
        for start in self._lines_naming(name, unless=_NOTHING):
            scope = self._scope(start)
            if scope is _Scope.MODULE:
                statements = self._module_statements(start)
                if statements is None or any(_rebinds(node, name) for node in statements):
                    return True
            elif scope is _Scope.UNKNOWN and self._indent(start) is not None:
                return True
        return False

    def imports_of(self, name: str) -> list[TextImport] | None:
        """Every ``from ... import name`` (aliased or not) of the module, one per name imported,
        each as the parser reads it: only when every one is a simple statement in column 0 (so
        unconditional, at module level), and no other line naming it is an import (in a block,
        in a function: only a parse gives its kind and scope). None when only a parse can tell."""
        if not (name.isascii() and name.isidentifier()):
            return None
        found: list[TextImport] = []
        for start in self._lines_naming(name, unless=_IMPORT_WORD):
            scope = self._scope(start)
            if scope is _Scope.UNKNOWN:
                if self._indent(start) is not None:
                    return None
                continue  # a comment line
            if scope is _Scope.NESTED or self._indent(start):
                if _IMPORT_WORD.search(self._logical_text(start)):
                    return None  # perhaps an import in a block or a function
                continue
            statements = self._module_statements(start)
            if statements is None:
                return None
            for node in statements:
                if isinstance(node, ast.ImportFrom):
                    line = start + node.lineno - 1
                    pairs = [(alias.name, alias.asname) for alias in node.names if alias.name == name]
                    found += [TextImport(line, node.level or 0, node.module, (pair,)) for pair in pairs]
                elif hasattr(node, "body") and any(isinstance(inner, ast.ImportFrom) for inner in ast.walk(node)):
                    return None  # ``if x: from y import name`` on one line: not unconditional
        return found

    def imports_at(self, line: int) -> list[TextImport] | None:
        """The import statements that start on ``line`` (module level, kind aside), as the
        parser reads them; None unless the line starts a logical line at module level that
        ``ast`` reads alone as simple statements only (a one-line ``if x: import y`` is not)."""
        index = bisect_left(self.starts, line)
        if index == len(self.starts) or self.starts[index] != line or self._scope(line) is not _Scope.MODULE:
            return None
        statements = self._statements(line)
        if not statements or any(hasattr(node, "body") for node in statements):
            return None
        return [
            TextImport(
                line,
                node.level or 0 if isinstance(node, ast.ImportFrom) else 0,
                node.module if isinstance(node, ast.ImportFrom) else None,
                tuple((alias.name, alias.asname) for alias in node.names),
            )
            for node in statements
            if isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno == 1
        ]

    def _module_level(self, start: int) -> bool:
        return self._scope(start) is _Scope.MODULE

    def _scope(self, start: int) -> _Scope:
        """Whether every block around the logical line at ``start`` runs in the module's scope,
        or one is a def or class body: the nearest less indented logical line above a line is the
        header of its block. UNKNOWN for a blank or comment line, or a header not read here."""
        bound = self._indent(start)
        if bound is None:
            return _Scope.UNKNOWN
        if bound and _NEW_SCOPE_HEADER.match(self._line(self._outermost(start))):
            return _Scope.NESTED  # the fast answer for most lines of a module: they are in a def
        index = bisect_left(self.starts, start)
        while bound:
            index -= 1
            if index < 0:
                return _Scope.UNKNOWN
            header = self.starts[index]
            indent = self._indent(header)
            if indent is None or indent >= bound:
                continue
            code = self._line(header).lstrip(" \t")
            if _NEW_SCOPE_HEADER.match(code):
                return _Scope.NESTED
            if not _SAME_SCOPE_HEADER.match(code):
                return _Scope.UNKNOWN
            bound = indent
        return _Scope.MODULE

    def _lines_naming(self, name: str, unless: re.Pattern[str]) -> Iterator[int]:
        """The logical lines that name ``name`` as a word, each once, in order. Once one is met in
        the body of a top-level def or class, the rest of that body is passed over when
        ``unless`` finds nothing there: what a caller learns from lines in a function is only
        what ``unless`` matches (a ``global``, an ``import``)."""
        text, starts, offsets = self.text, self.starts, self.offsets
        position = 0
        while (found := next(whole_words(text, name, position), -1)) >= 0:
            index = bisect_right(starts, bisect_right(offsets, found)) - 1
            start = starts[index]
            yield start
            following = index + 1
            position = offsets[starts[following] - 1] if following < len(starts) else len(text)
            if self._indent(start) and _NEW_SCOPE_HEADER.match(self._line(self._outermost(start))):
                zero = self._column_zero or array("l")
                after = bisect_right(zero, start)
                end = offsets[zero[after] - 1] if after < len(zero) else len(text)
                if end > position and unless.search(text, position, end) is None:
                    position = end

    def _outermost(self, start: int) -> int:
        """The nearest logical line of code in column 0 above the indented line at ``start``: the
        top-level statement whose body holds it (line 1 when there is none)."""
        if self._column_zero is None:
            text, offsets, size = self.text, self.offsets, len(self.text)
            self._column_zero = array(
                "l", (n for n in self.starts if offsets[n - 1] < size and text[offsets[n - 1]] not in " \t\r\n#")
            )
        index = bisect_left(self._column_zero, start) - 1
        return self._column_zero[index] if index >= 0 else 1

    def _indent(self, number: int) -> int | None:
        """The indentation of a line (tabs to multiples of eight, as Python compares them),
        None for a blank or comment-only one."""
        line = self._line(number)
        code = line.lstrip(" \t")
        if not code or code[0] in "#\r":
            return None
        return len(line[: len(line) - len(code)].expandtabs(8))

    def _line(self, number: int) -> str:
        """Line ``number`` (1-based) without its newline."""
        end = self.offsets[number] - 1 if number < len(self.offsets) else len(self.text)
        return self.text[self.offsets[number - 1] : end]

    def _logical_text(self, start: int) -> str:
        index = bisect_left(self.starts, start) + 1
        end = self.offsets[self.starts[index] - 1] - 1 if index < len(self.starts) else len(self.text)
        return self.text[self.offsets[start - 1] : end].lstrip(" \t")

    def _module_statements(self, start: int) -> list[ast.stmt] | None:
        """What the logical line at ``start`` (at module level) runs there, as ``ast`` reads it
        alone: a block header with a ``pass`` body given (``class K(Base):``, ``for x in y:``), a
        decorator as nothing (it binds and imports nothing); None when ``ast`` cannot read it so
        (``else:``, ``try:``, a header with its body on the same line and more below)."""
        text = self._logical_text(start)
        if text.startswith("@"):
            return []
        for candidate in (text, text + "\n pass"):
            try:
                return ast.parse(candidate).body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
        return None

    def _statements(self, start: int) -> list[ast.stmt]:
        """The statements of the logical line at ``start`` as ``ast`` reads them alone; none when
        it does not (a block header, syntax this Python does not know)."""
        try:
            return ast.parse(self._logical_text(start)).body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return []


def module_level_text(text: str) -> ModuleLevelText | None:
    """The reader of ``text``; None when its logical lines cannot be told plainly: a lone
    carriage return or a form feed (line breaks and indentation Python reads otherwise), a
    string or bracket left open; when this Python may not parse the text as it is (see
    :mod:`importcanon.adapters.plain_syntax`: newer syntax, nesting too deep), for the text
    cannot answer for a file whose parse fails; or when its code (not a string or comment)
    holds a character beyond ASCII, which may spell a name this reading searches for."""
    if "\f" in text or "\v" in text or text.count("\r") != text.count("\r\n"):
        return None
    parts = LITERALS.split(text)
    if not reads_plainly(parts):
        return None  # this Python may not parse the file: only the full parse may say what is in it
    if not text.isascii() and not "".join(parts[0::2]).isascii():
        return None  # a name spelled beyond ASCII is another to the parser (NFKC): ``Ｓ`` is ``S``
    starts = logical_starts(text, parts)
    return ModuleLevelText(text, starts) if starts is not None else None


def _bound_by(node: ast.stmt) -> set[str]:
    """The names a simple statement binds as the parser's module-level bindings count them."""
    if isinstance(node, ast.Import):
        return {alias.asname or alias.name.split(".")[0] for alias in node.names}
    if isinstance(node, ast.ImportFrom):
        return {alias.asname or alias.name for alias in node.names if alias.name != "*"}
    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return {node.name}
    if isinstance(node, ast.AnnAssign):
        return {node.target.id} if node.value is not None and isinstance(node.target, ast.Name) else set()
    if isinstance(node, ast.Assign):
        return {
            name.id
            for target in node.targets
            for name in ast.walk(target)
            if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store)
        }
    return set()


def _binds_apart_from_import(node: ast.stmt, name: str) -> bool:
    """Whether anything in ``node`` may bind ``name`` other than ``from x import name``."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            bound = inner.id == name and not isinstance(inner.ctx, ast.Load)
        elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound = inner.name == name
        elif isinstance(inner, ast.Import):
            bound = any((alias.asname or alias.name.split(".")[0]) == name for alias in inner.names)
        elif isinstance(inner, ast.ImportFrom):
            bound = any(alias.asname == name for alias in inner.names)
        elif isinstance(inner, (ast.Global, ast.Nonlocal)):
            bound = name in inner.names
        elif isinstance(inner, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
            bound = inner.name == name
        elif isinstance(inner, ast.MatchMapping):
            bound = inner.rest == name
        else:
            continue
        if bound:
            return True
    return False


def _rebinds(node: ast.stmt, name: str) -> bool:
    """Whether anything in ``node`` may bind another name to one written with ``name``."""
    for inner in _statements_within(node):
        if isinstance(inner, ast.ImportFrom):
            rebound = any(alias.name == name and alias.asname for alias in inner.names)
        elif isinstance(inner, ast.Import):
            rebound = any(name in alias.name.split(".") for alias in inner.names)
        elif isinstance(inner, (ast.Assign, ast.AnnAssign)) and inner.value is not None:
            rebound = name in _dotted_parts(inner.value)
        else:
            continue
        if rebound:
            return True
    return False


def _statements_within(node: ast.stmt) -> Iterator[ast.stmt]:
    """``node`` and the statements of its blocks, at any depth: what ``ast.walk`` meets of the
    statements, without walking every node of the expressions (a statement holds none)."""
    pending = [node]
    while pending:
        statement = pending.pop()
        yield statement
        for field in _BLOCK_FIELDS:
            block = getattr(statement, field, None)
            if block:
                for inner in block:
                    # A ``try`` holds its except clauses, a ``match`` its cases: their bodies are blocks.
                    pending.extend(inner.body if isinstance(inner, (ast.ExceptHandler, ast.match_case)) else (inner,))


#: The fields of a statement that hold statements (or clauses that hold them).
_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def _dotted_parts(node: ast.expr) -> list[str]:
    """``["a", "b", "c"]`` for ``a.b.c``; empty for anything but a name or a chain of attributes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [*parts, node.id] if isinstance(node, ast.Name) else []
