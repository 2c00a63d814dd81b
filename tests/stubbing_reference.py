"""``importcanon.adapters.stubbing``'s stub_bodies as it was before it was made cheaper (main b513e95), kept
as the oracle the faster one must equal, byte for byte, on any text, the texts it declines (None)
included (tests/test_stubbing_reference.py). It reads the text with its own copy of the plain
syntax screen (tests/plain_syntax_reference.py) and the live string reader of kinds."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator
from itertools import accumulate, pairwise

from plain_syntax_reference import reads_plainly

from importcanon.adapters.kinds import LITERALS, bracketed_newlines

#: What a body is kept for (in code, strings and comments blanked): a scope, an import, a
#: module-level binding from inside a function, ``__all__`` grown in one. Each word is searched
#: apart (a pattern that starts with a literal is searched fastest), then those that end a longer
#: name (``device_class``, ``undef``) are dropped (:func:`_ends_word`): no keyword is there.
_OPENING_WORDS = (re.compile(r"def\b"), re.compile(r"class\b"))
_OTHER_KEEPING_WORDS = (re.compile(r"import\b"), re.compile(r"global\b"), re.compile(r"__all__\b"))
_ASYNC = re.compile(r" *async +$")
#: A clause that goes with a compound statement above: no place to cut a body.
_CLAUSE = re.compile(r"(?:except|else|elif|finally)\b")
#: Indentation the reading below does not model: a tab or a form feed before a line's code.
_ODD_INDENT = re.compile(r"^ *[\t\f]", re.MULTILINE)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
#: Marks a skeleton line that continues a string begun above (never a logical line's start).
_CONTINUED = "\x01"


#: A cut of lines: (the first, the one after, the text put in place of the first, or None).
_Cut = tuple[int, int, str | None]


def stub_bodies(text: str, words: Collection[str] = ()) -> str | None:
    """``text`` without the statements of function and class bodies that hold nothing a parse
    records (line numbers kept); None when there are none (or the text is not read plainly).

    ``words``: names whose calls are collected; a line that mentions one anywhere (or holds any
    character beyond ASCII, which an identifier may normalize from) is kept like an import.
    """
    if "\r" in text or "\x00" in text or _CONTINUED in text:
        return None
    parts = LITERALS.split(text)
    if not reads_plainly(parts):
        return None  # a body cut might hide what this Python cannot parse: the full parse judges
    skeleton = _skeleton(parts)
    # The regex tries every position (^ with MULTILINE): asked only of text that holds what it needs.
    if skeleton is None or (("\t" in skeleton or "\f" in skeleton) and _ODD_INDENT.search(skeleton)):
        return None
    wanted = _lines_mentioning(text, words) if words else []
    openings = sorted(match.start() for pattern in _OPENING_WORDS for match in pattern.finditer(skeleton))
    openings = [start for start in openings if not _ends_word(skeleton, start)]
    others = (match.start() for pattern in _OTHER_KEEPING_WORDS for match in pattern.finditer(skeleton))
    keeping = sorted([*openings, *(start for start in others if not _ends_word(skeleton, start))])
    reader = _Reader(skeleton)
    # Every range asked about starts and ends at the start of a line: a wanted line is in one
    # when its start is, so both are looked for in one sorted list of skeleton offsets.
    wanted_starts = [reader.line_starts[number - 1] for number in wanted]
    marks = sorted(keeping + wanted_starts) if wanted_starts else keeping
    cuts: list[_Cut] = []
    for start in openings:
        opening = _opens_body(skeleton, start)
        if opening is None:
            continue
        line_start, indent = opening
        body = reader.body_of(line_start, indent)
        if body is None:
            continue
        header = _header_cut(skeleton, reader, start, line_start, body[0], wanted_starts)
        if header is not None:
            cuts.append(header)
        cuts += _block_cuts(reader, body, indent, marks)
    lines = text.split("\n")
    cuts += _table_cuts(lines, reader, marks)
    if not cuts:
        return None
    cuts.sort(key=_first_line)
    done = 0
    for first_line, end_line, replacement in cuts:
        if first_line < done:
            continue  # inside a body cut already
        if replacement is not None:
            lines[first_line - 1] = replacement
            first_line += 1
        lines[first_line - 1 : end_line - 1] = [""] * (end_line - first_line)
        done = end_line
    return "\n".join(lines)


def _block_cuts(reader: _Reader, block: tuple[int, int], indent: int, marks: list[int]) -> list[_Cut]:
    """The cuts of a block (skeleton offsets: its first line start, the line that ends it) below
    a header indented by ``indent``: the whole block, or each of its statements that holds
    nothing to keep (no offset of ``marks``), and within those that do, the blocks of their
    clauses in turn."""
    first, end = block
    line_starts = reader.line_starts
    index = bisect_left(marks, first)
    if index == len(marks) or marks[index] >= end:  # nothing to keep: the block becomes one pass
        return [(bisect_right(line_starts, first), bisect_right(line_starts, end), _pass(indent + 1))]
    cuts: list[_Cut] = []
    busy: list[tuple[int, int]] = []
    for begin, after in pairwise(reader.statements(first, end)):
        index = bisect_left(marks, begin, index)
        if index == len(marks) or marks[index] >= after:
            cuts.append((bisect_right(line_starts, begin), bisect_right(line_starts, after), None))
        else:
            busy.append((begin, after))
    if not busy:  # what was kept is in comments
        return [(bisect_right(line_starts, first), bisect_right(line_starts, end), _pass(indent + 1))]
    for begin, after in busy:
        cuts += _clause_cuts(reader, begin, after, marks)
    return cuts


def _clause_cuts(reader: _Reader, begin: int, after: int, marks: list[int]) -> list[_Cut]:
    """The cuts in the blocks of the clauses of a compound statement from ``begin`` to ``after``
    that holds something to keep (none for a def or class: its body is cut on its own)."""
    skeleton = reader.skeleton
    line = skeleton[begin : skeleton.find("\n", begin)]
    indent = len(line) - len(line.lstrip(" "))
    if _NOT_COMPOUND.match(skeleton, begin + indent):
        return []
    cuts: list[_Cut] = []
    clause = begin
    statement = _line_indented(indent, exactly=True)
    while True:
        block = reader.body_of(clause, indent)
        if block is not None:
            cuts += _block_cuts(reader, block, indent, marks)
        found = statement.search(skeleton, clause, after)
        while found is not None and not reader.starts_logical_line(found.end()):
            found = statement.search(skeleton, found.end(), after)
        if found is None:
            return cuts
        clause = found.end()


def _header_cut(
    skeleton: str, reader: _Reader, start: int, line_start: int, body: int, wanted_starts: list[int]
) -> _Cut | None:
    """The header of the def or class at ``start`` (its line starting at ``line_start``, its body
    at ``body``) made ``def name():`` or ``class name:`` on its first line, its other lines
    blank: its parameters, annotations, defaults and bases are facts of no kind, only the calls
    in them are, and a line mentioning a word asked about keeps the header whole. A third of
    the time ``ast`` took over stubbed modules went to their headers."""
    named = _NAMED.match(skeleton, start)
    if named is None:
        return None
    if _holds(wanted_starts, line_start, body):
        return None
    first_line, end_line = bisect_right(reader.line_starts, line_start), bisect_right(reader.line_starts, body)
    keyword, name = named.groups()
    # Before the keyword: the indentation, and ``async`` (nothing of a string: a statement starts there).
    return first_line, end_line, f"{skeleton[line_start:start]}{keyword} {name}{'():' if keyword == 'def' else ':'}"


#: A def or class keyword and the name it defines (ASCII: a line beyond it is a wanted one).
# Mended as the module was (a name going on beyond ASCII, ``def fooé``, was cut to ``foo``).
_NAMED = re.compile(r"(def|class)[ ]+([A-Za-z_][A-Za-z0-9_]*)(?!\w)")


def _pass(indent: int) -> str:
    return " " * indent + "pass"


def _first_line(cut: _Cut) -> int:
    return cut[0]


#: A statement whose blocks are not read here: a def or class (its body is cut on its own), and
#: a decorator above one. (A simple statement has no block: no header of it ends with ``:``.)
_NOT_COMPOUND = re.compile(r"(?:async +def|def|class)\b|@")


def _table_cuts(lines: list[str], reader: _Reader, marks: list[int]) -> list[_Cut]:
    """The lines inside each module-level table: an assignment to one name, in column 0, of a
    bracket (or a call) opened at the end of its first line and closed alone on its last, with
    nothing to keep inside (``SENSORS: tuple[Description, ...] = (`` ... ``)``). What the
    assignment binds does not depend on them: the value stays a call or a bracket of elements,
    never a dotted name (an alias) nor None; a plain name in brackets alone is left whole."""
    skeleton, line_starts = reader.skeleton, reader.line_starts
    cuts: list[_Cut] = []
    for logical in _SEVERAL_LINES.finditer(reader.starts):
        first, last = logical.start() + 1, logical.end()  # its first and last line
        begin = line_starts[first - 1]
        head = skeleton[begin : line_starts[first] - 1].rstrip(" ")
        table = _TABLE_HEAD.fullmatch(head)
        if table is None or head.count("(") - head.count(")") != 1:
            continue
        if table.group(1) and not _CALL_OPENED.search(lines[first - 1]):
            continue  # a subscript (``Callable[``): none is empty
        if skeleton[line_starts[last - 1] : line_starts[last] - 1].strip(" ") != ")":
            continue
        inside = skeleton[line_starts[first] : line_starts[last - 1]]
        if (not table.group(1) and _PLAIN_NAME.fullmatch(inside)) or ":=" in inside:
            continue  # a name (or a constant) in brackets; a binding inside
        if _holds(marks, begin, line_starts[last]):
            continue
        cuts.append((first + 1, last, None))
    return cuts


#: A logical line of three lines or more, in the starts of a :class:`_Reader`.
_SEVERAL_LINES = re.compile(rb"\x01\x00\x00+")
#: The first line of a table: ``NAME = (``, ``NAME: T = (``, ``NAME = call(`` (group 1).
_TABLE_HEAD = re.compile(r"(?!__all__\b)[A-Za-z_]\w*(?: *:[^=\n]*)? *= *([A-Za-z_][\w.]* *)?\(")
_PLAIN_NAME = re.compile(f"[\\w. \n{_CONTINUED}]*")
#: The end of a table's first line, in the text, when it opens a call: ``= call(  # comment``.
_CALL_OPENED = re.compile(r"= *[A-Za-z_][\w.]* *\( *(?:#.*)?$")


def _ends_word(skeleton: str, start: int) -> bool:
    """Whether the keyword found at ``start`` ends a longer name (``device_class``): no keyword."""
    return start > 0 and (skeleton[start - 1].isalnum() or skeleton[start - 1] == "_")


def _opens_body(skeleton: str, start: int) -> tuple[int, int] | None:
    """(where its line starts, its indentation) when the keyword at ``start`` opens a ``def`` or
    ``class`` statement (first on its line, ``async`` aside); None for any other."""
    if not (skeleton.startswith("def", start) or skeleton.startswith("class", start)):
        return None
    line_start = skeleton.rfind("\n", 0, start) + 1
    before = skeleton[line_start:start]
    if not before.strip(" "):
        return line_start, len(before)
    if skeleton.startswith("def", start) and _ASYNC.fullmatch(before):
        return line_start, len(before) - len(before.lstrip(" "))
    return None


def _holds(positions: list[int], begin: int, end: int) -> bool:
    """Whether one of the sorted ``positions`` lies from ``begin`` up to ``end``."""
    index = bisect_left(positions, begin)
    return index < len(positions) and positions[index] < end


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


def _skeleton(parts: list[str]) -> str | None:
    """The code of the text split into ``parts`` (code, literal, code...) with every string
    turned into ``0`` and every comment dropped, and every bracket made ``(`` or ``)``; a newline
    inside a string stays, followed by a mark that the line continues the string. None for a
    bracket left open."""
    parts = parts.copy()
    parts[1::2] = [
        "" if literal[0] == "#" else "0" if "\n" not in literal else "0" + ("\n" + _CONTINUED) * literal.count("\n")
        for literal in parts[1::2]
    ]
    skeleton = "".join(parts)
    skeleton = skeleton.replace("[", "(").replace("{", "(").replace("]", ")").replace("}", ")")
    return skeleton if skeleton.count("(") == skeleton.count(")") else None  # else a bracket left open


class _Reader:
    """Lines of a skeleton, and which of them end or start a logical line: told for every line
    at once where brackets, backslashes and strings leave them (see :func:`_logical_lines`)."""

    def __init__(self, skeleton: str) -> None:
        self.skeleton = skeleton
        #: Where each line starts: the running sum of the lengths of the lines before, newlines
        #: included (summed in C, not line by line in Python).
        self.line_starts = [0, *accumulate(map((1).__add__, map(len, skeleton.split("\n"))))]
        self.ends, self.starts = _logical_lines(skeleton, self.line_starts)

    def line_of(self, position: int) -> int:
        """The number of the line holding ``position``; past the end, the number after the last."""
        return bisect_right(self.line_starts, position)

    def starts_logical_line(self, position: int) -> bool:
        """Whether the skeleton line starting at ``position`` starts a logical line."""
        return bool(self.starts[bisect_right(self.line_starts, position) - 1])

    def body_of(self, start: int, indent: int) -> tuple[int, int] | None:
        """(where the body's first line starts, where the line that ends it starts, or the end)
        for the ``def`` whose line starts at ``start``; None when it is not a def statement, its
        body shares the header's line, or the end is not certain."""
        skeleton, line_starts, starts = self.skeleton, self.line_starts, self.starts
        line = bisect_right(line_starts, start)
        if not starts[line - 1]:
            return None
        # The header: lines until the brackets close, not continued by a backslash.
        header_end = self.ends.find(1, line - 1)  # the line whose newline ends it
        line_end = line_starts[header_end + 1] - 1 if header_end >= 0 else -1
        if line_end < 0 or not skeleton[start:line_end].rstrip(" ").endswith(":"):
            return None  # the body is on the header's line (or the file ends there)
        first = line_end + 1
        ending = _line_indented(indent, exactly=False)
        position = line_end
        while True:
            found = ending.search(skeleton, position)
            if found is None:
                return (first, len(skeleton) + 1) if first < len(skeleton) else None
            position = found.end()
            if starts[bisect_right(line_starts, position) - 1]:  # it starts a logical line
                return (first, position) if position > first else None

    def statements(self, first: int, end: int) -> list[int]:
        """Where each statement of the body from ``first`` to ``end`` starts (a clause that goes
        with a statement above, ``except`` or ``else``, is part of that one), then ``end``."""
        skeleton, line_starts, starts = self.skeleton, self.line_starts, self.starts
        code = _FIRST_CODE.search(skeleton, first, end)
        if code is None:
            return [end]
        indent = len(code.group(1))
        search = _line_indented(indent, exactly=True).search
        clause = _CLAUSE.match
        position = code.start()
        found_starts = [position]
        while (found := search(skeleton, position, end)) is not None:
            position = found.end()
            # A line that starts a logical line, and is no clause of the statement above.
            if starts[bisect_right(line_starts, position) - 1] and not clause(skeleton, position + indent):
                found_starts.append(position)
        found_starts.append(end)
        return found_starts


def _logical_lines(skeleton: str, line_starts: list[int]) -> tuple[bytearray, bytearray]:
    """For each line of ``skeleton``: whether its newline ends a logical line (outside brackets,
    not right after a backslash; a newline inside a string too), and whether it starts one (the
    first line, and a line after such a newline that does not continue a string).

    Read at C speed: only brackets and newlines are kept, and read as
    :func:`~importcanon.adapters.kinds.bracketed_newlines` reads them."""
    plain = skeleton if skeleton.isascii() else _NOT_STRUCTURE.sub("", skeleton)
    structure = plain.encode("ascii").translate(None, _NOT_BRACKET_OR_NEWLINE)
    structure = structure.replace(b"\n" + _CONTINUED_BYTE, _STRING_NEWLINE)
    newlines, _ = bracketed_newlines(structure, _INSIDE_BRACKETS)  # the skeleton's brackets balance in number
    ends = bytearray(newlines.translate(_ENDS))
    starts = bytearray(b"\x01" + newlines.translate(_STARTS))
    for backslash in _BACKSLASH_NEWLINE.finditer(skeleton):
        line = bisect_right(line_starts, backslash.start())  # its newline ends no logical line
        ends[line - 1] = starts[line] = 0
    ends.append(0)  # the last line has no newline
    return ends, starts


_CONTINUED_BYTE = _CONTINUED.encode()
#: In the bytes read by :func:`_logical_lines`: a newline inside a string, one inside brackets.
_STRING_NEWLINE, _NO_END = b"S", b"N"
_NOT_STRUCTURE = re.compile(f"[^()\n{_CONTINUED}]+")
_NOT_BRACKET_OR_NEWLINE = bytes(code for code in range(128) if chr(code) not in "()\n" + _CONTINUED)
_INSIDE_BRACKETS = bytes.maketrans(b"\n" + _STRING_NEWLINE, _NO_END * 2)
_ENDS = bytes.maketrans(b"\n" + _STRING_NEWLINE + _NO_END, b"\x01\x01\x00")
_STARTS = bytes.maketrans(b"\n" + _STRING_NEWLINE + _NO_END, b"\x01\x00\x00")
_BACKSLASH_NEWLINE = re.compile(r"\\\n")

#: The first line of code (in a skeleton, where comments are gone): group 1 is its indentation.
_FIRST_CODE = re.compile(f"^( *)[^ \n{_CONTINUED}]", re.MULTILINE)


def _line_indented(indent: int, *, exactly: bool) -> re.Pattern[str]:
    """A newline before a line of code indented by exactly ``indent`` (a statement of a body
    indented so), or by no more than ``indent`` (the end of a body indented deeper); compiled
    once (asked for at every def: a dict is read faster than a cache of keyword calls)."""
    known = _INDENTED[exactly]
    pattern = known.get(indent)
    if pattern is None:
        spaces = f" {{{indent}}}" if exactly else f" {{0,{indent}}}"
        pattern = known[indent] = re.compile(f"\n(?={spaces}[^ \n{_CONTINUED}])")
    return pattern


_INDENTED: dict[bool, dict[int, re.Pattern[str]]] = {True: {}, False: {}}
