"""Which physical lines start a logical line, read at C speed: exactly what the former reading,
one character of the text's structure at a time, found (kept here as the oracle), on real files
and on generated text full of strings, brackets, backslashes and line breaks of every kind."""

from __future__ import annotations

import re
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from test_parsing_reference import _corpus

from importcanon.adapters.kinds import LITERALS, NOT_CODE_PATTERN, logical_starts

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
    "(", ")", "[", "]", "{", "}", "\n", "\r\n", "\r", "\\", "\\\n", "\\\\\n", " ", "    ", "x", "N",
    "#", "# c(\n", "'", '"', "'s'", '"s("', "'''a\nb'''", '"""\n"""', "'\\\n'", '"\\""', "f'{x}'",
    "\x01", "\n\x01", "é", "\t", "\f", "()" * 3, "(" * 20, ")" * 20, "import x", "def f():",
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
