"""Function and class bodies that cannot change a parse's facts, cut out before ``ast`` reads them.

Most of a file's bytes are function bodies, and most bodies hold nothing a parse is asked for:
no import, no nested ``def`` or ``class`` (a scope), no ``global`` (a module-level binding), no
``__all__`` (grown in a function, it is computed at run time), and,
when calls are collected, no call of the few names asked about. ``ast.parse`` still builds every
node of them, which is most of the time a parse takes. Such a body is replaced here by a single
``pass`` followed by as many empty lines as it had; a body that does hold such a statement loses
its other statements (``def test(): from m import X; ...checks of X...``, a class's attributes
beside its methods), and so, in turn, does each block of the compound statements it keeps (an
``if`` or ``try`` that holds an import keeps its header and its clauses, ``except ImportError``
included, each block cut alike, or made one ``pass``). A class body is no different: what it
binds stays in the class. A def or class header is left saying only what it defines (``def
name():``, ``class name:``): parameters, annotations, defaults and bases hold no fact but the
calls in them, and a header with a line that mentions a word asked about is kept whole. Every
line number stays what it was and the facts of the text left are those of the whole text
(tests/test_stubbing.py holds that against the full parse on the standard library and generated
programs). A ``lambda`` or ``nonlocal`` changes no fact but which scope binds the first part of
a call's callee, and the lines that mention that name are kept where it matters (the words
themselves, ``kept_lines`` for the others). At module level, only the inside of a table goes
(``SENSORS = (`` ... ``)``, see :func:`_table_cuts`).

The text is read as Python's tokenizer reads it: strings and comments (the exact reader of
:mod:`importcanon.adapters.kinds`) are blanked out first, so a ``def`` in a docstring is no
definition and a line inside a string or a bracket never ends a body. A body is only cut where
its end is certain: a logical line (outside strings and brackets, not after a backslash)
indented no deeper than its ``def``. Text whose indentation this reading might get wrong (tabs,
form feeds, carriage returns) is left whole, and so is text that this Python may not parse as it
is (:mod:`importcanon.adapters.plain_syntax`: newer syntax, nesting too deep): a body cut out
would hide from the parse what makes the file fail, and a file's parse status is the file's.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator
from itertools import accumulate, chain

from importcanon.adapters.kinds import LITERALS, bracketed_newlines
from importcanon.adapters.plain_syntax import reads_plainly
from importcanon.adapters.words import line_numbers

#: What a body is kept for (in code, strings and comments blanked): a scope, an import, a
#: module-level binding from inside a function, ``__all__`` grown in one. Each word is searched
#: apart (a pattern that starts with a literal is searched fastest), then those that end a longer
#: name are dropped (:func:`_keywords`).
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


#: A cut of lines: (the first, the one after, the text put in their place: as many lines, the
#: first of them a header or a ``pass`` or blank, the others blank).
_Cut = tuple[int, int, str]
#: A block: where its first line starts, where the line that ends it starts (or the end), the
#: numbers of those two lines, and the number of its header's first line.
_Body = tuple[int, int, int, int, int]


def stub_bodies(text: str, words: Collection[str] = (), kept_lines: Collection[int] = ()) -> str | None:
    """``text`` without the statements of function and class bodies that hold nothing a parse
    records (line numbers kept); None when there are none (or the text is not read plainly).

    ``words``: names whose calls are collected; a line that mentions one anywhere (or holds any
    character beyond ASCII, which an identifier may normalize from) is kept like an import, and
    so is each line numbered in ``kept_lines`` (where a callee's first part may be bound, see
    :mod:`importcanon.adapters.callee_heads`).
    """
    if "\r" in text or "\x00" in text or _CONTINUED in text:
        return None
    parts = LITERALS.split(text)
    if not reads_plainly(parts):
        return None  # a body cut might hide what this Python cannot parse: the full parse judges
    skeleton = _skeleton(parts)
    # The regex tries every position (^ with MULTILINE): asked only of text that holds what it needs.
    if ("\t" in skeleton or "\f" in skeleton) and _ODD_INDENT.search(skeleton):
        return None
    reader = _read(skeleton)
    if reader is None:
        return None  # a bracket left open
    line_starts = reader.line_starts
    wanted = _lines_mentioning(text, words) if words else []
    if kept_lines:
        wanted = sorted([*wanted, *kept_lines])
    openings = _keywords(skeleton, _OPENING_WORDS)
    keeping = sorted(openings + _keywords(skeleton, _OTHER_KEEPING_WORDS))
    # Every range asked about starts and ends at the start of a line: a wanted line is in one
    # when its start is, so both are looked for in one sorted list of skeleton offsets.
    wanted_starts = [line_starts[number - 1] for number in wanted]
    marks = sorted(keeping + wanted_starts) if wanted_starts else keeping
    # Each def or class statement (first on its line, ``async`` aside) and its body, by its keyword's offset.
    bodies: dict[int, tuple[int, int, _Body]] = {}
    for start in openings:
        line_start = skeleton.rfind("\n", 0, start) + 1
        if line_start == start:
            indent = 0
        else:
            before = skeleton[line_start:start]
            if not before.strip(" "):
                indent = len(before)
            elif skeleton.startswith("def", start) and _ASYNC.fullmatch(before):
                indent = len(before) - len(before.lstrip(" "))
            else:
                continue  # not first on its line: no def or class statement
        body = reader.body_of(line_start, indent)
        if body is not None:
            bodies[start] = line_start, indent, body
    lines = text.split("\n")
    tables = _table_cuts(lines, reader, marks)
    cuts = _def_cuts(reader, bodies, marks, wanted_starts, merged=True) + tables
    if not cuts:
        return None
    cuts.sort(key=_first_line)
    stubbed = _joined(lines, cuts, overlapping=False)
    if stubbed is None:
        # Cuts that meet, in text Python rejects (a line dedented to no level above it, a body
        # reaching past its statement): made one statement at a time, and one that starts inside
        # another dropped, as they always were.
        cuts = _def_cuts(reader, bodies, marks, wanted_starts, merged=False) + tables
        cuts.sort(key=_first_line)
        stubbed = _joined(lines, cuts, overlapping=True)
    return stubbed


def _def_cuts(
    reader: _Reader,
    bodies: dict[int, tuple[int, int, _Body]],
    marks: list[int],
    wanted_starts: list[int],
    *,
    merged: bool,
) -> list[_Cut]:
    """The cuts of each def or class of ``bodies``: its header made ``def name():``, its body
    cut. ``merged``: a header and its idle body in one cut, a run of idle statements in one
    (see :func:`_busy_block_cuts`); else one cut each, as read before (see :func:`_joined`)."""
    skeleton = reader.skeleton
    cuts: list[_Cut] = []
    for start, (line_start, indent, body) in bodies.items():
        first, end, first_line, end_line, header_line = body
        named = _NAMED.match(skeleton, start)
        if named is not None and not (wanted_starts and _holds(wanted_starts, line_start, first)):
            # The header says only what it defines: its parameters, annotations, defaults and
            # bases are facts of no kind, only the calls in them are (a third of the time ``ast``
            # took over stubbed modules went to headers); a line with a word asked about keeps it.
            keyword, name = named.groups()
            # Before the keyword: the indentation, and ``async`` (nothing of a string: a statement starts there).
            head = f"{skeleton[line_start:start]}{keyword} {name}{'():' if keyword == 'def' else ':'}"
        else:
            head = None
        index = bisect_left(marks, first)
        if index == len(marks) or marks[index] >= end:  # nothing to keep: the body becomes one pass
            body_lines = _lines(first_line, end_line, _pass(indent + 1))
            if head is None:
                cuts.append((first_line, end_line, body_lines))
            elif merged:
                cuts.append((header_line, end_line, f"{head}{_NEWLINES * (first_line - header_line)}{body_lines}"))
            else:
                cuts += [
                    (header_line, first_line, _lines(header_line, first_line, head)),
                    (first_line, end_line, body_lines),
                ]
        else:
            if head is not None:
                cuts.append((header_line, first_line, _lines(header_line, first_line, head)))
            cuts += _busy_block_cuts(reader, body, indent, marks, index, bodies if merged else None)
    return cuts


def _joined(lines: list[str], cuts: list[_Cut], *, overlapping: bool) -> str | None:
    """The text of ``lines`` with ``cuts`` (sorted by their first line) made: the lines kept
    between the cuts and the text of each cut, in turn (a line cut is never touched). A cut
    that starts inside one made before is left out when ``overlapping``; else the answer is None."""
    pieces: list[str] = []
    done = 0  # the lines before this one are in pieces
    for first_line, end_line, replacement in cuts:
        if first_line <= done:
            if not overlapping:
                return None
            continue  # inside a body cut already
        pieces += lines[done : first_line - 1]
        pieces.append(replacement)
        done = end_line - 1
    pieces += lines[done:]
    return "\n".join(pieces)


def _busy_block_cuts(
    reader: _Reader,
    block: _Body,
    indent: int,
    marks: list[int],
    index: int,
    bodies: dict[int, tuple[int, int, _Body]] | None,
) -> list[_Cut]:
    """The cuts of a block (see :meth:`_Reader.body_of`) below a header indented by ``indent``
    that holds something to keep (the offset of ``marks`` at ``index``, the first in it): its
    statements that hold nothing to keep, and within those that do, the blocks of their clauses
    in turn (a clause that goes with a statement above, ``except`` or ``else``, is part of that
    one). The whole block becomes one ``pass`` when what was kept is in comments.

    Read from mark to mark: the statement holding a mark starts at the last statement line at
    or above it (most often its own line: a method's ``def``) and ends at the next; the idle
    statements between two such are blanked as one run (no other cut meets them: every cut
    holds no mark or is the header of a def that marks its own statement). For a def or class
    on its statement's line (a method), the search for the next statement line starts where its
    body ends (``bodies``: a body's lines are indented deeper, none is a statement line), not
    reading the body again. ``bodies`` None: one cut per statement (see
    :func:`_statement_by_statement_cuts`)."""
    if bodies is None:
        return _statement_by_statement_cuts(reader, block, indent, marks, index)
    first, end, _, end_line, _ = block
    skeleton, line_starts, starts = reader.skeleton, reader.line_starts, reader.starts
    code = _FIRST_CODE.search(skeleton, first, end)
    if code is None:
        return _one_pass(block, indent)
    statement_indent = len(code.group(1))
    statement_line = _statement_indented(statement_indent)
    search = statement_line.search
    marked = len(marks)
    cuts: list[_Cut] = []
    compound: list[tuple[int, int]] = []  # compound statements with something to keep
    kept = False
    idle = code.start()  # where the statements not yet known to keep something start
    idle_line = bisect_right(line_starts, idle)
    index = bisect_left(marks, idle, index)  # a mark above the first statement is in a comment
    while index < marked and marks[index] < end:
        mark_line_start = skeleton.rfind("\n", 0, marks[index]) + 1
        known = bodies.get(marks[index])
        if known is not None and known[1] == statement_indent:
            # A def or class first on a statement line (a method) is its statement, which ends at
            # the next statement line: at or after the end of its body, whose lines are deeper.
            body = known[2]
            if mark_line_start > idle:
                cuts.append((idle_line, body[4], _NEWLINES * (body[4] - idle_line - 1)))
            kept = True  # its body is cut on its own
            idle, idle_line = end, end_line
            if body[1] < end and statement_line.match(skeleton, body[1] - 1):
                idle, idle_line = body[1], body[3]
            elif body[1] < end:
                found = search(skeleton, body[1] - 1, end)
                while found is not None:
                    line = bisect_right(line_starts, found.end())
                    if starts[line - 1]:  # else inside brackets or a string, after a backslash
                        idle, idle_line = found.end(), line
                        break
                    found = search(skeleton, found.end(), end)
            index = bisect_left(marks, idle, index)
            continue
        # The statement holding the mark: its line, or the last statement line above it.
        begin = mark_line_start
        if begin != idle and not (
            statement_line.match(skeleton, begin - 1) and starts[bisect_right(line_starts, begin) - 1]
        ):
            begin = idle
        # The next statement line: the end of the statement (or one above the mark's, then its start).
        after, after_line = end, end_line
        found = search(skeleton, begin, end)
        while found is not None:
            position = found.end()
            line = bisect_right(line_starts, position)
            if starts[line - 1]:  # else inside brackets or a string, after a backslash
                if position > mark_line_start:
                    after, after_line = position, line
                    break
                begin = position
            found = search(skeleton, position, end)
        if begin > idle:
            begin_line = bisect_right(line_starts, begin)
            cuts.append((idle_line, begin_line, _NEWLINES * (begin_line - idle_line - 1)))
        if _NOT_COMPOUND.match(skeleton, begin + statement_indent):
            kept = True  # a def or class (decorated or not): its body is cut on its own
        else:
            compound.append((begin, after))
        idle, idle_line = after, after_line
        index = bisect_left(marks, after, index)
    if not (compound or kept):  # what was kept is in comments
        return _one_pass(block, indent)
    if idle < end:
        cuts.append((idle_line, end_line, _NEWLINES * (end_line - idle_line - 1)))
    for begin, after in compound:
        cuts += _clause_cuts(reader, begin, after, statement_indent, marks, bodies)
    return cuts


def _statement_by_statement_cuts(
    reader: _Reader, block: _Body, indent: int, marks: list[int], index: int
) -> list[_Cut]:
    """The cuts of a busy block as :func:`_busy_block_cuts` makes them, one per idle statement,
    every statement found in turn (then the clauses of the compound ones with something to keep)."""
    first, end, _, end_line, _ = block
    skeleton, line_starts, starts = reader.skeleton, reader.line_starts, reader.starts
    code = _FIRST_CODE.search(skeleton, first, end)
    if code is None:
        return _one_pass(block, indent)
    statement_indent = len(code.group(1))
    search = _statement_indented(statement_indent).search
    marked = len(marks)
    cuts: list[_Cut] = []
    compound: list[tuple[int, int]] = []
    kept = False
    begin = position = code.start()
    begin_line = bisect_right(line_starts, begin)
    while True:
        found = search(skeleton, position, end)
        if found is None:
            after, after_line = end, end_line
        else:
            position = found.end()
            after_line = bisect_right(line_starts, position)
            if not starts[after_line - 1]:
                continue  # inside brackets or a string, after a backslash: no statement starts
            after = position
        index = bisect_left(marks, begin, index)
        if index == marked or marks[index] >= after:
            cuts.append((begin_line, after_line, _NEWLINES * (after_line - begin_line - 1)))
        elif not _NOT_COMPOUND.match(skeleton, begin + statement_indent):
            compound.append((begin, after))
        else:
            kept = True  # a def or class: its body is cut on its own
        if found is None:
            break
        begin, begin_line = after, after_line
    if not (compound or kept):  # what was kept is in comments
        return _one_pass(block, indent)
    for begin, after in compound:
        cuts += _clause_cuts(reader, begin, after, statement_indent, marks, None)
    return cuts


def _clause_cuts(
    reader: _Reader,
    begin: int,
    after: int,
    indent: int,
    marks: list[int],
    bodies: dict[int, tuple[int, int, _Body]] | None,
) -> list[_Cut]:
    """The cuts in the blocks of the clauses of a compound statement from ``begin`` to ``after``,
    indented by ``indent``, that holds something to keep."""
    skeleton = reader.skeleton
    cuts: list[_Cut] = []
    clause = begin
    statement = _line_indented(indent, exactly=True)
    while True:
        block = reader.body_of(clause, indent)
        if block is not None:
            index = bisect_left(marks, block[0])
            if index == len(marks) or marks[index] >= block[1]:
                cuts.append((block[2], block[3], _lines(block[2], block[3], _pass(indent + 1))))
            else:
                cuts += _busy_block_cuts(reader, block, indent, marks, index, bodies)
        found = statement.search(skeleton, clause, after)
        while found is not None and not reader.starts_logical_line(found.end()):
            found = statement.search(skeleton, found.end(), after)
        if found is None:
            return cuts
        clause = found.end()


#: A def or class keyword and the name it defines, when that is ASCII: a name that goes on
#: beyond (``def fooé``) is not matched at all, and its header is left whole.
_NAMED = re.compile(r"(def|class)[ ]+([A-Za-z_][A-Za-z0-9_]*)(?!\w)")


def _one_pass(block: _Body, indent: int) -> list[_Cut]:
    """The cut of a whole block below a header indented by ``indent``: one ``pass``, then blank lines."""
    first_line, end_line = block[2], block[3]
    return [(first_line, end_line, _lines(first_line, end_line, _pass(indent + 1)))]


def _pass(indent: int) -> str:
    return " " * indent + "pass"


def _lines(first_line: int, end_line: int, line: str) -> str:
    """The text of the lines from ``first_line`` up to ``end_line``: ``line``, then blank lines."""
    return f"{line}{_NEWLINES * (end_line - first_line - 1)}"


_NEWLINES = "\n"


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
        cuts.append((first + 1, last, _NEWLINES * (last - first - 2)))
    return cuts


#: A logical line of three lines or more, in the starts of a :class:`_Reader`.
_SEVERAL_LINES = re.compile(rb"\x01\x00\x00+")
#: The first line of a table: ``NAME = (``, ``NAME: T = (``, ``NAME = call(`` (group 1).
_TABLE_HEAD = re.compile(r"(?!__all__\b)[A-Za-z_]\w*(?: *:[^=\n]*)? *= *([A-Za-z_][\w.]* *)?\(")
_PLAIN_NAME = re.compile(f"[\\w. \n{_CONTINUED}]*")
#: The end of a table's first line, in the text, when it opens a call: ``= call(  # comment``.
_CALL_OPENED = re.compile(r"= *[A-Za-z_][\w.]* *\( *(?:#.*)?$")


def _keywords(skeleton: str, patterns: tuple[re.Pattern[str], ...]) -> list[int]:
    """Where the keywords of ``patterns`` start in ``skeleton``, in order, leaving out those that
    end a longer name (``device_class``, ``undef``): no keyword is there."""
    found = sorted(chain.from_iterable(map(_START, pattern.finditer(skeleton)) for pattern in patterns))
    return [start for start in found if not start or not (skeleton[start - 1].isalnum() or skeleton[start - 1] == "_")]


_START = re.Match.start


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
    return line_numbers(text, starts)


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Where ``word`` occurs in ``text`` (a literal search: far faster than a pattern's)."""
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + 1)


def _skeleton(parts: list[str]) -> str:
    """The code of the text split into ``parts`` (code, literal, code...) with every string
    turned into ``0`` and every comment dropped, and every bracket made ``(`` or ``)``; a newline
    inside a string stays, followed by a mark that the line continues the string."""
    parts = parts.copy()
    parts[1::2] = [
        "" if literal[0] == "#" else "0" if "\n" not in literal else "0" + ("\n" + _CONTINUED) * literal.count("\n")
        for literal in parts[1::2]
    ]
    skeleton = "".join(parts)
    return skeleton.replace("[", "(").replace("{", "(").replace("]", ")").replace("}", ")")


def _read(skeleton: str) -> _Reader | None:
    """The reader of ``skeleton``; None for a bracket left open (told from the brackets alone,
    far fewer characters than the skeleton's)."""
    structure = _structure(skeleton)
    if structure.count(b"(") != structure.count(b")"):
        return None
    return _Reader(skeleton, structure)


def _structure(skeleton: str) -> bytes:
    """The brackets and newlines of ``skeleton`` (and the marks of strings continued), alone."""
    plain = skeleton if skeleton.isascii() else _NOT_STRUCTURE.sub("", skeleton)
    return plain.encode("ascii").translate(None, _NOT_BRACKET_OR_NEWLINE)


class _Reader:
    """Lines of a skeleton, and which of them end or start a logical line: told for every line
    at once where brackets, backslashes and strings leave them (see :func:`_logical_lines`)."""

    def __init__(self, skeleton: str, structure: bytes | None = None) -> None:
        """``structure``: that of ``skeleton`` (see :func:`_structure`), when known already."""
        self.skeleton = skeleton
        #: Where each line starts, then one past the end: the running sum of the lengths of the
        #: lines before, newlines included (summed in C, not line by line in Python).
        self.line_starts = _line_starts(skeleton)
        self.ends, self.starts = _logical_lines(skeleton, structure or _structure(skeleton), self.line_starts)

    def starts_logical_line(self, position: int) -> bool:
        """Whether the skeleton line starting at ``position`` starts a logical line."""
        return bool(self.starts[bisect_right(self.line_starts, position) - 1])

    def body_of(self, start: int, indent: int) -> _Body | None:
        """The body of the ``def`` (or the block of the compound statement) whose line starts at
        ``start``, indented by ``indent``; None when it is not a logical line's start, its body
        shares the header's line, or the end is not certain."""
        skeleton, line_starts, starts = self.skeleton, self.line_starts, self.starts
        line = bisect_right(line_starts, start)
        if not starts[line - 1]:
            return None
        # The header: lines until the brackets close, not continued by a backslash.
        header_end = self.ends.find(1, line - 1)  # the line whose newline ends it
        if header_end < 0:
            return None  # the file ends with the header
        line_end = line_starts[header_end + 1] - 1
        last = skeleton[line_end - 1]
        if last != ":" and (last != " " or not skeleton[start:line_end].rstrip(" ").endswith(":")):
            return None  # the body is on the header's line
        first = line_end + 1
        # The body ends at the first logical line indented no deeper than the header.
        ending = _ENDING[indent] if indent < _KNOWN_INDENTS else _line_indented(indent, exactly=False)
        position = line_end
        while True:
            found = ending.search(skeleton, position)
            if found is None:  # the body ends with the file
                if first >= len(skeleton):
                    return None
                return first, len(skeleton) + 1, header_end + 2, len(line_starts), line
            position = found.end()
            end_line = bisect_right(line_starts, position)
            if starts[end_line - 1]:
                return (first, position, header_end + 2, end_line, line) if position > first else None


def _line_starts(skeleton: str) -> list[int]:
    """Where each line of ``skeleton`` starts, then its length plus one (where a line after the
    last would start). The lines are split with their newlines when nothing else splits them:
    one running sum, no newline added to each length."""
    breaks = _LINE_BREAKS if skeleton.isascii() else _LINE_BREAKS_BEYOND_ASCII
    if any(map(skeleton.__contains__, breaks)):  # each searched for at C speed
        return [0, *accumulate(map((1).__add__, map(len, skeleton.split("\n"))))]
    starts = list(accumulate(map(len, skeleton.splitlines(keepends=True)), initial=0))
    if skeleton.endswith("\n") or not skeleton:
        starts.append(len(skeleton) + 1)  # the empty line after the last newline
    else:
        starts[-1] = len(skeleton) + 1
    return starts


#: What ``str.splitlines`` splits at besides a newline (a carriage return is never in the text).
_LINE_BREAKS = "\v\f\x1c\x1d\x1e"
_LINE_BREAKS_BEYOND_ASCII = _LINE_BREAKS + "\x85\u2028\u2029"


def _logical_lines(skeleton: str, structure: bytes, line_starts: list[int]) -> tuple[bytearray, bytearray]:
    """For each line of ``skeleton``: whether its newline ends a logical line (outside brackets,
    not right after a backslash; a newline inside a string too), and whether it starts one (the
    first line, and a line after such a newline that does not continue a string).

    Read at C speed: only brackets and newlines are kept (``structure``), and read as
    :func:`~importcanon.adapters.kinds.bracketed_newlines` reads them."""
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
        spaces = f" {{{indent}}}" if exactly else f" {{0,{indent}}}+"  # possessive: a deeper line fails at once
        pattern = known[indent] = re.compile(f"\n(?={spaces}[^ \n{_CONTINUED}])")
    return pattern


_INDENTED: dict[bool, dict[int, re.Pattern[str]]] = {True: {}, False: {}}


def _statement_indented(indent: int) -> re.Pattern[str]:
    """A newline before a line of code indented by exactly ``indent`` that is no clause going
    with a statement above (``except``, ``else``...): a statement of a body indented so."""
    pattern = _STATEMENTS.get(indent)
    if pattern is None:
        pattern = _STATEMENTS[indent] = re.compile(f"\n(?= {{{indent}}}(?!{_CLAUSE.pattern})[^ \n{_CONTINUED}])")
    return pattern


_STATEMENTS: dict[int, re.Pattern[str]] = {}
#: Indentations met often enough to look up the ends of bodies so indented in a list.
_KNOWN_INDENTS = 40
_ENDING = [_line_indented(indent, exactly=False) for indent in range(_KNOWN_INDENTS)]
