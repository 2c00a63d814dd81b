"""Import kinds from the text alone: five times cheaper than ``ast.parse``, or no answer at all.

Python's block structure is the indentation of its *logical* lines. One regex pass finds which
physical lines start a logical line (not inside a string, a bracket or after a backslash); then
the blocks around an import are the nearest less-indented logical lines above it, read by their
keyword: ``def`` makes it deferred, ``if TYPE_CHECKING:`` type-checking, a ``try`` whose handlers
catch ``ImportError`` guarded. Whenever the text is not plainly of that shape (an unterminated
string, an inline ``if x: import y``, a test that mentions ``TYPE_CHECKING`` in some other way, a
less-indented line that is no block header), the answer is None and the caller parses the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import compress, count, repeat
from operator import mul

from importcanon.domain.facts import IMPORT_ERROR_CATCHERS, ImportKind

#: A string literal or a comment: what may contain brackets, quotes and newlines that are not
#: code. A string's prefix (``rb``, ``f``...) is left behind as harmless letters; every
#: alternative starts with a quote or ``#`` and no group encloses them, so that the regex engine
#: skips ahead to those characters at C speed instead of trying the pattern at every position;
#: "unrolled" loops take a run of plain characters at a time, not one by one. ASCII: the text
#: scan of names (:mod:`importcanon.adapters.mentions`) compiles the same pattern on bytes.
NOT_CODE_PATTERN = (
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    r"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    r"|#[^\n]*"
)
#: Splits a text into code and literals (strings and comments) in turn: code, literal, ... code.
LITERALS = re.compile(f"({NOT_CODE_PATTERN})", re.DOTALL)
_NOT_STRUCTURE = re.compile(r"[^()\[\]{}\n\\\x01]+")
#: A line that starts with an import statement; group 1 is its indentation.
_TOP_LEVEL_IMPORT_LINE = re.compile(r"\n()(?:import|from)[ \t\\(.]")
_IMPORT_LINE = re.compile(r"\n([ \t\f]*+)(?:import|from)[ \t\\(.]")  # a literal start: the fast search
_KEYWORD = re.compile(
    r"(async\s+def|def|class|if|elif|else|try|except\*?|finally|with|async\s+with|for|async\s+for|while|match|case)\b"
)
_TYPE_CHECKING_TEST = re.compile(r"(?:el)?if\s*(\(\s*)?(?:[A-Za-z_]\w*\.)?TYPE_CHECKING\s*(?(1)\))\s*:\s*(?:#.*)?$")
#: ``if __name__ == "__main__":`` (either way round, in brackets or not), the whole header.
_MAIN_GUARD_TEST = re.compile(
    r"""(?:el)?if\s*(\(\s*)?(?:__name__\s*==\s*(?P<q>['"])__main__(?P=q)|(?P<r>['"])__main__(?P=r)\s*==\s*__name__)"""
    r"\s*(?(1)\))\s*:\s*(?:#.*)?$"
)
_HANDLER = re.compile(r"except\*?\s*(?::|(?P<types>[^:]+?)\s*(?:\bas\s+\w+\s*)?:)")


def import_kinds(text: str) -> dict[int, ImportKind] | None:
    """The kind of every import statement starting a line, or None when unsure of any."""
    starts = logical_starts(text)
    if starts is None:
        return None
    lines = text.split("\n")
    reader = _Blocks(lines, starts)
    is_start = set(starts)
    kinds: dict[int, ImportKind] = {}
    for line, indented, _ in import_lines(text):
        if line not in is_start:
            continue  # an import-looking line inside a bracket or after a backslash
        kind = reader.classify(line) if indented else ImportKind.MODULE
        if kind is None:
            return None
        kinds[line] = kind
    return kinds


def import_lines(text: str, *, top_level_only: bool = False) -> Iterator[tuple[int, bool, int]]:
    """Every line that starts, after any indentation, with ``import`` or ``from`` (only those in
    column 0 with ``top_level_only``, which is five times faster to find): its number, whether it
    is indented, and the offset where it starts. (Some may sit inside a string.)"""
    pattern = _TOP_LEVEL_IMPORT_LINE if top_level_only else _IMPORT_LINE
    first = pattern.match("\n" + text[:200])  # the pattern wants a newline before the line
    if first:
        yield 1, bool(first.group(1)), 0
    line, offset = 1, 0
    for match in pattern.finditer(text):
        start = match.start() + 1
        line += text.count("\n", offset, start)
        offset = start
        yield line, bool(match.group(1)), start


def logical_starts(text: str, parts: list[str] | None = None) -> list[int] | None:
    """The physical lines (1-based) that begin a logical line; None for text that does not
    tokenize plainly (an unterminated string or bracket, a control character U+0001 in its code,
    which Python rejects). ``parts``: the text split by :data:`LITERALS`, when split already.

    Read at C speed: strings and comments become their newlines, each marked as continued (no
    line starts after it); then only brackets, newlines and backslashes are kept, and bracket
    pairs with nothing inside are dropped, innermost first, so that only the few brackets that
    span lines are walked one by one."""
    if parts is None:
        skeleton = _NOT_CODE.sub(_newlines_continued, text)
    else:
        marks = parts.copy()
        marks[1::2] = map(mul, repeat("\n" + _CONTINUED), map(str.count, parts[1::2], repeat("\n")))
        skeleton = "".join(marks)
    if '"' in skeleton or "'" in skeleton:
        return None  # a string left open
    if not skeleton.isascii():
        skeleton = _NOT_STRUCTURE.sub("", skeleton)
    structure = skeleton.encode("ascii").translate(_ONE_BRACKET, _NOT_STRUCTURE_BYTES)
    structure = structure.replace(b"\n" + _CONTINUED_BYTE, _NO_START)
    if _CONTINUED_BYTE in structure:
        return None  # a U+0001 in the code, not the mark of a string's newline
    if b"\\" in structure:  # a newline after backslashes continues the line; a bracket between, not
        structure = _CONTINUATION.sub(_NO_START, structure).replace(b"\\", b"")
    # Newlines left: b"\n" where a logical line ends, _NO_START any other.
    newlines, balanced = bracketed_newlines(structure, _IN_BRACKETS)
    if not balanced:
        return None
    return [1, *compress(count(2), newlines.translate(_ENDS_AS_TRUTH))]


def bracketed_newlines(structure: bytes, inside: bytes) -> tuple[bytes, bool]:
    """``structure`` (brackets as ``(`` and ``)``, newlines, one-byte marks) without its brackets,
    every byte between brackets translated by the table ``inside``; and whether the brackets
    balance (none closes before it opens, none is left open).

    Read at C speed: bracket pairs with nothing inside are dropped in passes, innermost first, so
    that only the few brackets that span lines are walked one by one."""
    for _ in range(_PAIR_PASSES):
        shorter = structure.replace(b"()", b"")
        if len(shorter) == len(structure):
            break
        structure = shorter
    pieces: list[bytes] = []
    depth = position = 0
    balanced = True
    for bracket in _BRACKET.finditer(structure):
        found = bracket.start()
        between = structure[position:found]
        pieces.append(between.translate(inside) if depth else between)
        position = found + 1
        depth += 1 if structure[found] == _OPENING else -1
        balanced = balanced and depth >= 0
    pieces.append(structure[position:].translate(inside) if depth else structure[position:])
    return b"".join(pieces), balanced and not depth


def _newlines_continued(literal: re.Match[str]) -> str:
    return ("\n" + _CONTINUED) * literal.group().count("\n")


_NOT_CODE = re.compile(NOT_CODE_PATTERN, re.DOTALL)
_CONTINUED = "\x01"  # marks a newline inside a string
_CONTINUED_BYTE = b"\x01"
_NO_START = b"N"  # a newline after which no logical line starts
_OPENING = ord("(")
_ONE_BRACKET = bytes.maketrans(b"[{]}", b"(())")
#: Every ASCII character but brackets, newlines, backslashes and the mark of a continued line.
_NOT_STRUCTURE_BYTES = bytes(code for code in range(128) if chr(code) not in "()[]{}\n\\\x01")
_CONTINUATION = re.compile(rb"\\+\n")
_BRACKET = re.compile(b"[()]")
_ENDS_AS_TRUTH = bytes.maketrans(b"\n" + _NO_START, b"\x01\x00")
_IN_BRACKETS = bytes.maketrans(b"\n", _NO_START)
#: Passes that drop bracket pairs: enough for most lines of real code; deeper pairs are walked.
_PAIR_PASSES = 16


class _Blocks:
    """Reads the blocks around a line from the indentation of the logical lines above it."""

    def __init__(self, lines: list[str], starts: list[int]) -> None:
        self.lines = lines
        self.starts = starts
        self.position = {number: index for index, number in enumerate(starts)}
        self._indents: dict[int, int | None] = {}
        self._parents: dict[int, int] = {}  # see ``parent``

    def indent(self, number: int) -> int | None:
        """The indentation of a logical line, None for a blank or comment-only one."""
        if number not in self._indents:
            line = self.lines[number - 1]
            stripped = line.lstrip(" \t\f")
            code = bool(stripped) and not stripped.startswith("#") and stripped != "\r"
            self._indents[number] = len(line[: len(line) - len(stripped)].expandtabs(8)) if code else None
        return self._indents[number]

    def logical_text(self, number: int) -> str:
        """The whole logical line starting at ``number``, its physical lines joined."""
        index = self.position[number] + 1
        end = self.starts[index] if index < len(self.starts) else len(self.lines) + 1
        return " ".join(line.strip() for line in self.lines[number - 1 : end - 1])

    def parent(self, index: int) -> int:
        """The index (in ``starts``) of the nearest logical line above ``starts[index]`` that is
        less indented than it, -1 for none. Every line between a line and its parent is at least
        as indented as that line, so the walk up jumps over lines whose parent is known: the
        imports of one class or function walk each line above them once between them."""
        known = self._parents.get(index)
        if known is None:
            bound = self.indent(self.starts[index]) or 0  # asked of code lines only: never None
            known = index - 1
            while known >= 0:
                level = self.indent(self.starts[known])
                if level is None:
                    known -= 1
                elif level < bound:
                    break
                else:
                    known = self._parents.get(known, known - 1)
            self._parents[index] = known
        return known

    def classify(self, number: int) -> ImportKind | None:
        in_function = type_checking = guarded = False
        bound = self.indent(number)
        index = self.position[number]
        while bound:
            index = self.parent(index)
            if index < 0:
                break
            header_line = self.starts[index]
            indent = bound = self.indent(header_line) or 0  # a parent is a code line: never None
            keyword = _KEYWORD.match(self.lines[header_line - 1].strip())
            if keyword is None:
                return None  # a less-indented line that opens no block: not the shape we read
            word = keyword.group().split()[-1]
            header = self.logical_text(header_line) if word in ("if", "elif") else ""
            if word == "def":
                in_function = True
            elif word in ("if", "elif") and "TYPE_CHECKING" in header:
                if not _TYPE_CHECKING_TEST.match(header):
                    return None
                type_checking = True
            elif word in ("if", "elif") and "__main__" in header:
                if not _MAIN_GUARD_TEST.match(header):
                    return None  # another test naming __main__: the parser reads it
                in_function = True  # run as a script only, never on import: deferred
            elif word == "try":
                handlers = self.catches_import_error(header_line, indent)
                if handlers is None:
                    return None
                guarded = guarded or handlers
        if bound:
            return None
        if type_checking:
            return ImportKind.TYPE_CHECKING
        if in_function:
            return ImportKind.DEFERRED
        return ImportKind.GUARDED if guarded else ImportKind.MODULE

    def catches_import_error(self, try_line: int, indent: int) -> bool | None:
        """Whether the ``try`` at ``try_line`` has a handler that catches ImportError (or wider)."""
        for following in self.starts[self.position[try_line] + 1 :]:
            level = self.indent(following)
            if level is None or level > indent:
                continue
            if level < indent:
                return False
            header = self.logical_text(following)
            if header.startswith("except"):
                handler = _HANDLER.match(header)
                if handler is None:
                    return None
                types = handler.group("types")
                if types is None or IMPORT_ERROR_CATCHERS.intersection(re.findall(r"\w+", types.split(" as ")[0])):
                    return True
            elif not header.startswith(("else", "finally")):
                return False
        return False
