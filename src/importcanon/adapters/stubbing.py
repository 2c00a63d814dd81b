"""Function bodies that cannot change a parse's facts, replaced by ``pass`` before ``ast`` reads them.

Most of a file's bytes are function bodies, and most bodies hold nothing a parse is asked for:
no import, no nested ``def`` or ``class`` (a scope), no ``global`` (a module-level binding), and,
when calls are collected, no call of the few names asked about. ``ast.parse`` still builds every
node of them, which is most of the time a parse takes. Such a body is replaced here by a single
``pass`` followed by as many empty lines as it had, so every line number stays what it was and
the facts of the stubbed text are those of the whole text (tests/test_stubbing.py holds that
against the full parse on the standard library and generated programs).

The text is read as Python's tokenizer reads it: strings and comments (the exact reader of
:mod:`importcanon.adapters.kinds`) are blanked out first, so a ``def`` in a docstring is no
definition and a line inside a string or a bracket never ends a body. A body is only stubbed
when its end is certain: a logical line (outside strings and brackets, not after a backslash)
indented no deeper than its ``def``. Text whose indentation the plain reading might get wrong
(tabs, form feeds, carriage returns, an f-string with unbalanced braces) is left whole.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator
from functools import cache

from importcanon.adapters.kinds import NOT_CODE_PATTERN

_NOT_CODE = re.compile(NOT_CODE_PATTERN, re.DOTALL)
#: What a stubbed body may not hold (in code, strings and comments blanked): a scope, an import,
#: a module-level binding from inside a function; lambda and nonlocal too, to stay far from any
#: question of scopes. Also found inside longer words (``undef``): a body kept needlessly is
#: still right, and a pattern without ``\b`` in front is searched four times faster.
_KEEPS_BODY = re.compile(r"(?:def|class|lambda|import|global|nonlocal)\b")
_ASYNC = re.compile(r" *async +$")
#: Indentation the reading below does not model: a tab or a form feed before a line's code.
_ODD_INDENT = re.compile(r"^ *[\t\f]", re.MULTILINE)
#: An f-string prefix just before a string's quote.
_F_PREFIX = re.compile(r"(?<!\w)[rRbB]?[fFtT][rR]?$")
_PREFIX_LETTERS = frozenset("rRbBfFtT")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
#: Marks a skeleton line that continues a string begun above (never a logical line's start).
_CONTINUED = "\x01"


def stub_bodies(text: str, words: Collection[str] = ()) -> str | None:
    """``text`` with every function body that holds nothing a parse records replaced by ``pass``
    (line numbers kept); None when no body can be (or the text is not read plainly).

    ``words``: names whose calls are collected; a body that mentions one anywhere (or holds any
    character beyond ASCII, which an identifier may normalize from) is kept whole.
    """
    if "\r" in text or "\x00" in text or _CONTINUED in text:
        return None
    skeleton = _skeleton(text)
    if skeleton is None or _ODD_INDENT.search(skeleton):
        return None
    wanted = _lines_mentioning(text, words) if words else []
    keeping = [match.start() for match in _KEEPS_BODY.finditer(skeleton)]
    reader = _Reader(skeleton)
    lines: list[str] | None = None
    stubbed_to = 0  # stubbed bodies do not overlap and come in order
    for start in keeping:
        if not skeleton.startswith("def", start):
            continue
        line_start = skeleton.rfind("\n", 0, start) + 1
        indent = start - line_start
        if skeleton[line_start:start].strip(" "):
            if not _ASYNC.fullmatch(skeleton, line_start, start):
                continue  # not a def statement
            indent = len(skeleton[line_start:start]) - len(skeleton[line_start:start].lstrip(" "))
        body = reader.body_of(line_start, indent)
        if body is None:
            continue
        first, end = body  # skeleton offsets: the body's first line start, the line that ends it
        after = bisect_left(keeping, first)
        if after < len(keeping) and keeping[after] < end:
            continue
        if first < stubbed_to:
            continue
        lines = lines if lines is not None else text.split("\n")
        start_line = reader.line_of(first)
        end_line = reader.line_of(end) if end < len(skeleton) else len(lines) + 1
        mention = bisect_left(wanted, start_line)
        if mention < len(wanted) and wanted[mention] < end_line:
            continue
        lines[start_line - 1] = " " * (indent + 1) + "pass"
        for number in range(start_line, end_line - 1):
            lines[number] = ""
        stubbed_to = end
    return "\n".join(lines) if lines is not None else None


def _lines_mentioning(text: str, words: Collection[str]) -> list[int]:
    """The numbers of the lines where one of ``words`` occurs, even inside a longer word or a
    string, or where a character beyond ASCII does (an identifier may normalize to a word)."""
    starts = [start for word in words for start in _occurrences(text, word)]
    if not text.isascii():
        starts += [match.start() for match in _NOT_ASCII.finditer(text)]
    starts.sort()
    numbers, line, counted = [], 1, 0
    for start in starts:
        line += text.count("\n", counted, start)
        counted = start
        numbers.append(line)
    return numbers


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Where ``word`` occurs in ``text`` (a literal search: far faster than a pattern's)."""
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + 1)


def _skeleton(text: str) -> str | None:
    """The code of ``text`` with every string turned into ``0`` and every comment dropped, and
    every bracket made ``(`` or ``)``; a newline inside a string stays, followed by a mark that
    the line continues the string. None for an f-string whose braces do not pair up (a newer
    Python's nested quotes, read wrongly here), a string or bracket left open."""
    unsure = False

    def blank(match: re.Match[str]) -> str:
        nonlocal unsure
        literal = match.group()
        if literal[0] == "#":
            return ""
        start = match.start()
        if start and text[start - 1] in _PREFIX_LETTERS and _F_PREFIX.search(text, max(0, start - 3), start):
            plain = literal.replace("{{", "").replace("}}", "")
            if plain.count("{") != plain.count("}"):
                unsure = True
        return "0" + ("\n" + _CONTINUED) * literal.count("\n") if "\n" in literal else "0"

    skeleton = _NOT_CODE.sub(blank, text)
    if unsure or '"' in skeleton or "'" in skeleton:
        return None  # an unterminated string: nothing here is certain
    skeleton = skeleton.replace("[", "(").replace("{", "(").replace("]", ")").replace("}", ")")
    return skeleton if skeleton.count("(") == skeleton.count(")") else None  # else a bracket left open


class _Reader:
    """Line numbers and bracket depths of a skeleton, counted from checkpoints, not each time from
    the start."""

    def __init__(self, skeleton: str) -> None:
        self.skeleton = skeleton
        self.checkpoints = [0]
        self.depths = [0]
        self.line_cursor = (0, 1)  # a position and the number of its line

    def line_of(self, position: int) -> int:
        """The number of the line holding ``position`` (asked in increasing order)."""
        known, number = self.line_cursor
        number += self.skeleton.count("\n", known, position)
        self.line_cursor = (position, number)
        return number

    def depth(self, position: int) -> int:
        """How many brackets are open at ``position``."""
        checkpoints = self.checkpoints
        index = len(checkpoints) - 1
        if checkpoints[index] > position:
            index = bisect_right(checkpoints, position) - 1
        start = checkpoints[index]
        skeleton = self.skeleton
        depth = self.depths[index] + skeleton.count("(", start, position) - skeleton.count(")", start, position)
        checkpoints.insert(index + 1, position)
        self.depths.insert(index + 1, depth)
        return depth

    def starts_logical_line(self, position: int) -> bool:
        """Whether the skeleton line starting at ``position`` starts a logical line."""
        skeleton = self.skeleton
        if skeleton.startswith(_CONTINUED, position):
            return False
        if position >= 2 and skeleton[position - 2] == "\\":
            return False
        return self.depth(position) == 0

    def body_of(self, start: int, indent: int) -> tuple[int, int] | None:
        """(where the body's first line starts, where the line that ends it starts) for the
        ``def`` whose line starts at ``start``; None when it is not a def statement, its body
        shares the header's line, or the end is not certain."""
        skeleton = self.skeleton
        if not self.starts_logical_line(start):
            return None
        # The header: lines until the brackets close, not continued by a backslash.
        line_end = skeleton.find("\n", start)
        while line_end >= 0 and (skeleton[line_end - 1] == "\\" or self.depth(line_end) != 0):
            line_end = skeleton.find("\n", line_end + 1)
        if line_end < 0 or not skeleton[start:line_end].rstrip(" ").endswith(":"):
            return None  # the body is on the header's line (or the file ends there)
        first = line_end + 1
        ending = _ending(indent)
        position = line_end
        while True:
            found = ending.search(skeleton, position)
            if found is None:
                return (first, len(skeleton)) if first < len(skeleton) else None
            position = found.end()
            if self.starts_logical_line(position):
                return (first, position) if position > first else None


@cache
def _ending(indent: int) -> re.Pattern[str]:
    """A line whose code starts no deeper than ``indent``: it may end a body indented deeper."""
    return re.compile(rf"\n(?= {{0,{indent}}}[^ \n{_CONTINUED}])")
