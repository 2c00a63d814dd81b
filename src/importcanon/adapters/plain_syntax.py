"""Whether this Python certainly parses a text plainly, told from the text before anything is
read from it instead of the parse.

A file's parse status is a property of the file, not of the question asked: a reading that
answers for a file in place of the full parse (a parse with idle bodies stubbed out, a text
reader of module-level statements) may only answer for text that the running Python (3.11 or
later) parses as it is. Otherwise the full parse runs, and its failure degrades as it always
did (a warning, libcst for newer syntax, a coarser message). grimp's scanner reads syntax up to
3.14, so a file in the graph may hold what 3.11 rejects; a stubbed body or an unread line would
hide it. This screen is one-sided: it may refuse text that parses (that costs only speed), it
never accepts text that may not. It refuses:

- an f-string whose braces do not pair up (3.12 nests quotes of its own kind in them), whose
  replacement fields hold a backslash or a ``#`` (3.12 only), a t-string (3.14), a string left
  open;
- a ``type X =`` statement or a ``def f[T]`` / ``class C[T]`` header (PEP 695, 3.12);
- ``except A, B:`` without parentheses (3.14);
- brackets nested 100 deep (the tokenizer stops at 200, the parser's stack earlier);
- a line indented 99 columns or more (the tokenizer stops at 100 levels);
- a logical line with 2,000 characters of code or more, spaces and plain strings aside: an
  expression nested about 3,000 deep (``1 + 1 + ...``, ``- - - x``) exceeds the recursion limit
  while ``ast`` builds it, and every level of it takes at least one character. Unless the line
  is a long table (a tuple of calls, a dict of lists): every level takes a character of its own
  element between the commas of the bracket around it, so the line nests no deeper than the
  most characters met on a path down its brackets, one element of each, and that is counted.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, compress
from operator import itemgetter

#: A logical line with this many characters of code (spaces and plain strings aside) may nest an
#: expression deeper than ``ast`` builds it at the default recursion limit (about 3,000 levels).
LONGEST_LOGICAL_LINE = 2_000
#: Brackets nested this deep may exceed the tokenizer's or the parser's limits.
DEEPEST_BRACKETS = 100

_PREFIX_LETTERS = frozenset("rRbBfFtTuU")
_STRING_PREFIX = re.compile(r"(?<!\w)[rRbBuUfFtT]{1,2}$")
_SPACE = r"(?:[ \t]|\\\r?\n)"
#: Words that may follow the name ``type`` in an expression (``x.type in [a, b]``).
_OPERATOR_WORD = "(?:in|is|if|else|and|or|not|for|async)"
#: PEP 695: ``type X = ...``, ``type X[T] = ...``, ``def f[T](...)``, ``class C[T]:`` (also found
#: inside a longer word: a needless refusal is still right; each pattern starts with a literal,
#: which the regex engine searches for at C speed).
_TYPE_PARAMETERS = (
    re.compile(rf"type(?!{_SPACE}+{_OPERATOR_WORD}\b){_SPACE}+[^\W\d]\w*{_SPACE}*[=\[]"),
    re.compile(rf"def{_SPACE}++[^\W\d]\w*+{_SPACE}*+\["),  # possessive: no backtracking at each def's '('
    re.compile(rf"class{_SPACE}++[^\W\d]\w*+{_SPACE}*+\["),
)
#: An ``except`` clause with a comma, to the end of its line (continued by a backslash or not).
_EXCEPT = re.compile(r"except(?!\w)(?:\\\r?\n|\\.|[^\n\\])*,[^\n]*")
_CLOSED_GROUP = re.compile(r"\([^()\[\]{}]*\)|\[[^()\[\]{}]*\]|\{[^()\[\]{}]*\}")
_OPENING = re.compile(r"[(\[{:]")
#: A line indented by 99 spaces; one indented with a tab (then its width is computed).
_DEEP_SPACES = "\n" + " " * 99
_TABS = re.compile(r"\n([ \t]*\t[ \t]*)")
_ONE_BRACKET = str.maketrans("[{]}", "(())", " \t\f\r")
_ONE_BRACKET_BYTES, _BLANKS = bytes.maketrans(b"[{]}", b"(())"), b" \t\f\r"
_FIELD_CHARS = re.compile(r"[{}\\#]")


def reads_plainly(parts: list[str]) -> bool:
    """Whether the text split into ``parts`` (by :data:`importcanon.adapters.kinds.LITERALS`)
    certainly parses plainly on this Python, by the screen described in the module docstring;
    False when it may not."""
    codes, literals = parts[0::2], parts[1::2]
    fills = ["0"] * len(literals)  # a literal counts as one character of code...
    ends = map(itemgetter(slice(-1, None)), codes)
    for index in compress(range(len(literals)), map(_PREFIX_LETTERS.__contains__, ends)):
        prefix = _STRING_PREFIX.search(codes[index], max(0, len(codes[index]) - 3))
        literal = literals[index]
        if prefix is None or literal[0] == "#":
            continue
        letters = prefix.group().lower()
        if "t" in letters:
            return False  # a t-string (3.14)
        if "f" in letters:
            if not _plain_fields(literal):
                return False
            fills[index] = "0" * (len(literal) - literal.count(" ") - literal.count("\n"))  # ...but code in it
    filled = parts.copy()
    filled[1::2] = fills
    code = "".join(filled)
    if '"' in code or "'" in code:
        return False  # a string left open
    if any(_starts_word(code, found.start()) for pattern in _TYPE_PARAMETERS for found in pattern.finditer(code)):
        return False
    if any(_lists_exceptions(code, found) for found in _EXCEPT.finditer(code)):
        return False
    if _DEEP_SPACES in code or ("\t" in code and any(_deep_tabs(found.group(1)) for found in _TABS.finditer(code))):
        return False
    if code.isascii():  # the same translation, at the speed of bytes
        return _shallow(code.encode("ascii").translate(_ONE_BRACKET_BYTES, _BLANKS).decode("ascii"))
    return _shallow(code.translate(_ONE_BRACKET))


def _starts_word(code: str, start: int) -> bool:
    """Whether the keyword found at ``start`` is a word of its own, not an attribute."""
    return not start or not (code[start - 1].isalnum() or code[start - 1] in "_.")


def _deep_tabs(indent: str) -> bool:
    return len(indent.expandtabs(8)) >= 99


def _plain_fields(literal: str) -> bool:
    """Whether every replacement field of an f-string literal closes and holds no backslash or
    ``#``. ``{{`` and ``}}`` outside a field are plain braces; inside one, braces nest
    (``{x:<{width}}``). One read short, at a quote of its own kind nested in a field (3.12),
    ends inside an open field."""
    depth, skip = 0, 0
    for found in _FIELD_CHARS.finditer(literal):
        position = found.start()
        if position < skip:
            continue
        char = literal[position]
        if char in "{}" and depth == 0 and literal.startswith(char * 2, position):
            skip = position + 2
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return False
            depth -= 1
        elif depth:
            return False  # a backslash or a comment in a field: 3.12 only
    return depth == 0


def _lists_exceptions(code: str, clause: re.Match[str]) -> bool:
    """Whether an ``except`` clause (to the end of its line) names exception types separated by
    a comma outside any bracket (``except A, B:``), which only 3.14 reads."""
    if not _starts_word(code, clause.start()):
        return False
    head = clause.group()[len("except") :]
    while (shorter := _CLOSED_GROUP.sub("", head)) != head:
        head = shorter
    opening = _OPENING.search(head)
    return "," in (head[: opening.start()] if opening else head)


def _shallow(code: str) -> bool:
    """Whether ``code`` (strings blanked, every bracket made ``(`` or ``)``, no spaces) has no
    brackets nested :data:`DEEPEST_BRACKETS` deep and no logical line that may nest
    :data:`LONGEST_LOGICAL_LINE` levels deep: one with fewer characters, or one whose
    :func:`_nesting_bound` is lower (a line continued by a backslash is one with the next; a line
    ends a logical line where the brackets opened before its end are all closed, or more closed
    than opened: then the lines after the last such end are not measured).

    Read at C speed: of the brackets, those of a pair on one line are dropped in passes, innermost
    first; only those left (pairs that span lines, or none) are walked one by one."""
    if code.count("(") < DEEPEST_BRACKETS and len(code) - code.count("\n") < LONGEST_LOGICAL_LINE:
        return True
    if "\\" in code:  # a single character is searched for far faster than a pair
        code = code.replace("\\\n", "")
    lines = code.split("\n")
    structure = (code if code.isascii() else _NOT_A_BRACKET_OR_NEWLINE.sub("", code)).encode("ascii")
    structure = structure.translate(None, _NOT_A_BRACKET_OR_NEWLINE_BYTES)
    passes = 0
    while passes < DEEPEST_BRACKETS and len(shorter := structure.replace(b"()", b"")) < len(structure):
        structure, passes = shorter, passes + 1
    # Walk what is left: the lines each logical line of several lines spans (from the line its
    # first bracket opens on to the one that closes them all), and the deepest bracket walked.
    spans: list[tuple[int, int]] = []  # (first line, last line) of those of several lines
    depth = deepest = line = position = first = 0
    closed = -1  # the line where the brackets last all closed
    for bracket in _BRACKET_BYTE.finditer(structure):
        found = bracket.start()
        line += structure.count(b"\n", position, found)
        position = found
        if not depth and line != closed:  # else the logical line goes on
            if closed > first:
                spans.append((first, closed))
            first = line
        depth += 1 if structure[found] == _OPEN_BRACKET else -1
        deepest = max(deepest, depth)
        if not depth:
            closed = line
    if not depth and closed > first:
        spans.append((first, closed))
    # Every bracket dropped lies in pairs no deeper than the passes, inside what was walked.
    if deepest + passes >= DEEPEST_BRACKETS:
        brackets = _NOT_A_BRACKET.sub("", code)
        if max(accumulate(map(_DEPTH_STEP.__getitem__, brackets))) >= DEEPEST_BRACKETS:
            return False
    measured = lines if not depth else lines[:first]  # lines after the last end are not measured
    long_lines = [(begin, end) for begin, end in spans if sum(map(len, lines[begin : end + 1])) >= LONGEST_LOGICAL_LINE]
    if not long_lines and max(map(len, measured), default=0) < LONGEST_LOGICAL_LINE:
        return True
    # A long logical line (a table, a long call): no deeper than the characters of its elements.
    within = [begin for begin, _ in spans]
    for number, physical in enumerate(measured):
        if len(physical) >= LONGEST_LOGICAL_LINE:
            index = bisect_right(within, number) - 1
            if index < 0 or spans[index][1] < number:
                long_lines.append((number, number))  # a logical line of its own
    return all(_nesting_bound("".join(lines[begin : end + 1])) < LONGEST_LOGICAL_LINE for begin, end in long_lines)


def _nesting_bound(line: str) -> int:
    """A bound on how deep the expressions of a logical line (code as :func:`_shallow` reads it,
    balanced brackets) nest: each level of an expression takes at least one character of its own
    between the commas of the bracket it sits in (a bracket is one of the level around it); so
    no expression nests deeper than the most characters any path from the line down into its
    brackets meets, one element of each bracket on the way."""
    # Per open bracket: the characters of its current element, the deepest bracket in that
    # element, the deepest element before it.
    frames = [[0, 0, 0]]
    position = 0
    for token in _ELEMENT_BOUNDARY.finditer(line):
        found = token.start()
        frame = frames[-1]
        frame[0] += found - position
        position = found + 1
        char = line[found]
        if char == "(":
            frame[0] += 1
            frames.append([0, 0, 0])
        elif char == ",":
            frame[2] = max(frame[2], frame[0] + frame[1])
            frame[0] = frame[1] = 0
        elif len(frames) == 1:
            return len(line)  # more brackets closed than opened: the plain length
        else:
            closed = frames.pop()
            frame = frames[-1]
            frame[0] += 1
            frame[1] = max(frame[1], closed[0] + closed[1], closed[2])
    frame = frames[-1]
    frame[0] += len(line) - position
    return max(frame[0] + frame[1], frame[2]) if len(frames) == 1 else len(line)


_DEPTH_STEP = {"(": 1, ")": -1}
_NOT_A_BRACKET = re.compile(r"[^()]+")
_NOT_A_BRACKET_OR_NEWLINE = re.compile(r"[^()\n]+")
_NOT_A_BRACKET_OR_NEWLINE_BYTES = bytes(code for code in range(128) if chr(code) not in "()\n")
_BRACKET_BYTE = re.compile(b"[()]")
_OPEN_BRACKET = ord("(")
_ELEMENT_BOUNDARY = re.compile("[(),]")
