"""Where logical lines start and end, read at C speed (bracket pairs on one line dropped in
passes, only the brackets that span lines walked): exactly what the former readings found (kept
here as the oracles), on real files and on generated text full of strings, brackets, backslashes
and line breaks of every kind. Three readings: :func:`kinds.logical_starts`, the screen's
measure of logical lines and brackets (``plain_syntax._shallow``) and the lines the stubbing
reader cuts bodies at (``stubbing._Reader``)."""

from __future__ import annotations

import re
import warnings
from itertools import accumulate, compress, pairwise, repeat
from operator import add, not_, sub

from hypothesis import given, settings
from hypothesis import strategies as st
from test_parsing_reference import _corpus

from importcanon.adapters.kinds import LITERALS, NOT_CODE_PATTERN, logical_starts
from importcanon.adapters.plain_syntax import DEEPEST_BRACKETS, LONGEST_LOGICAL_LINE, _shallow
from importcanon.adapters.stubbing import _CONTINUED, _Reader

_NOT_CODE = re.compile(NOT_CODE_PATTERN, re.DOTALL)
_NOT_STRUCTURE = re.compile(r"[^()\[\]{}\n\\\x01]+")


def reference_logical_starts(text: str) -> list[int] | None:
    """The former reading (before the C-speed one): one character of the structure at a time."""
    skeleton = _NOT_CODE.sub(lambda match: "\n\x01" * match.group().count("\n"), text)
    if '"' in skeleton or "'" in skeleton:
        return None
    starts, line, depth, after_backslash = [1], 1, 0, False
    for char in _NOT_STRUCTURE.sub("", skeleton):
        if char == "\n":
            line += 1
            if depth == 0 and not after_backslash:
                starts.append(line)
            after_backslash = False
        elif char == "\x01":
            if starts[-1] == line:
                starts.pop()
        elif char == "\\":
            after_backslash = True
        else:
            after_backslash = False
            if char in "([{":
                depth += 1
            else:
                depth -= 1
                if depth < 0:
                    return None
    return None if depth else starts


def _assert_as_before(text: str) -> None:
    found = logical_starts(text)
    assert logical_starts(text, LITERALS.split(text)) == found
    if "\x01" in "".join(LITERALS.split(text)[0::2]):
        # A U+0001 in code (Python rejects it) may pass for the mark of a string's newline: read
        # so (as before) after a newline, declined elsewhere (it failed the former reading).
        assert found is None or found == reference_logical_starts(text)
    else:
        assert found == reference_logical_starts(text)


def test_the_logical_lines_of_real_files_are_those_read_before():
    for path in _corpus():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, ValueError):
                continue
        _assert_as_before(text)


#: Pieces of text that decide where logical lines start, and some that do not.
PIECES = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\n",
    "\r\n",
    "\r",
    "\\",
    "\\\n",
    "\\\\\n",
    " ",
    "    ",
    "x",
    "N",
    "#",
    "# c(\n",
    "'",
    '"',
    "'s'",
    '"s("',
    "'''a\nb'''",
    '"""\n"""',
    "'\\\n'",
    '"\\""',
    "f'{x}'",
    "\x01",
    "\n\x01",
    "é",
    "\t",
    "\f",
    "()" * 3,
    "(" * 20,
    ")" * 20,
    "import x",
    "def f():",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_the_logical_lines_of_generated_text_are_those_read_before(pieces):
    _assert_as_before("".join(pieces))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["(", ")", "(\n", "\n)", "x\n", "\\\n", "'''\n'''"]), max_size=400))
def test_brackets_nested_deeper_than_the_passes_that_drop_them_are_walked(pieces):
    _assert_as_before("".join(pieces))
    _assert_as_before("(" * 40 + "".join(pieces) + ")" * 40)


def reference_shallow(code: str) -> bool:
    """The screen's former measure (line by line): no brackets nested 100 deep, no logical line
    of 2,000 characters (lines after the last one that ends outside brackets not measured)."""
    lines = code.replace("\\\n", "").split("\n")
    opened = list(map(str.count, lines, repeat("(")))
    depths = list(accumulate(map(sub, opened, map(str.count, lines, repeat(")")))))
    if max(map(add, [0, *depths], opened)) >= DEEPEST_BRACKETS:
        steps = [1 if char == "(" else -1 for char in code if char in "()"]
        if max(accumulate(steps)) >= DEEPEST_BRACKETS:
            return False
    ends = compress(range(1, len(lines) + 1), map(not_, depths))  # after each line that ends one
    logical = ["".join(lines[begin:end]) for begin, end in pairwise([0, *ends])]
    return all(len(line) < LONGEST_LOGICAL_LINE or _reference_nesting(line) < LONGEST_LOGICAL_LINE for line in logical)


def _reference_nesting(line: str) -> int:
    """The bound on a long logical line's nesting, read character by character: the most
    characters met on a path down its brackets, one element (between commas) of each."""
    position = 0

    def bracket() -> int | None:  # from after an opening bracket to its closing one
        nonlocal position
        deepest = characters = inner = 0
        while position < len(line):
            char = line[position]
            position += 1
            if char == "(":
                nested = bracket()
                if nested is None:
                    return None
                inner, characters = max(inner, nested), characters + 2
            elif char == ")":
                return max(deepest, characters + inner)
            elif char == ",":
                deepest, characters, inner = max(deepest, characters + inner), 0, 0
            else:
                characters += 1
        return None  # the line ended inside the bracket

    line = line + ")"  # the line as the inside of a bracket that closes at its end
    found = bracket()
    return found if found is not None and position == len(line) else len(line) - 1


#: Code as the screen measures it (no spaces, every bracket ``(`` or ``)``), in pieces that reach
#: its limits: 100 brackets deep, 2,000 characters in a logical line.
CODE_PIECES = ["(", ")", "(" * 30, ")" * 30, "\n", "\\\n", "x", "x" * 300, "x=0", "é" * 200, "()" * 40]
CODE_PIECES += [",", "(x," * 5, "x,x" * 300]  # long tables: elements between commas


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(CODE_PIECES), max_size=60), st.sampled_from(["", "(" * 120, "\n" * 2]))
def test_the_screen_measures_brackets_and_logical_lines_as_before(pieces, prefix):
    code = prefix + "".join(pieces)
    assert _shallow(code) == reference_shallow(code)


def _reference_starts_logical_line(skeleton: str, position: int) -> bool:
    """The stubbing reader's former test, brackets counted from the start of the skeleton."""
    if skeleton.startswith(_CONTINUED, position) or (position >= 2 and skeleton[position - 2] == "\\"):
        return False
    return skeleton.count("(", 0, position) == skeleton.count(")", 0, position)


def _reference_header_end(skeleton: str, start: int) -> int:
    """The newline that ends the logical line from ``start`` (-1 for none), as found before."""
    line_end = skeleton.find("\n", start)
    while line_end >= 0 and (
        skeleton[line_end - 1 : line_end] == "\\"  # (not the last character for a newline at 0: a def has a line)
        or skeleton.count("(", 0, line_end) != skeleton.count(")", 0, line_end)
    ):
        line_end = skeleton.find("\n", line_end + 1)
    return line_end


#: Pieces of a stubbing skeleton: strings are ``0`` (a newline in one marked as continued),
#: comments gone, every bracket ``(`` or ``)``.
SKELETON_PIECES = ["(", ")", "\n", "\\", "\\\n", " ", "x", "0", "0\n" + _CONTINUED, "é", "def f():", ")(", "()" * 20]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(SKELETON_PIECES), max_size=50))
def test_the_stubbing_reader_finds_the_logical_lines_found_before(pieces):
    skeleton = "".join(pieces)
    if skeleton.startswith(_CONTINUED):
        return  # a skeleton's mark always follows a newline
    reader = _Reader(skeleton)
    for number, start in enumerate(reader.line_starts[:-1], start=1):
        assert reader.starts_logical_line(start) == _reference_starts_logical_line(skeleton, start), number
        end = reader.ends.find(1, number - 1)
        assert (reader.line_starts[end + 1] - 1 if end >= 0 else -1) == _reference_header_end(skeleton, start)
