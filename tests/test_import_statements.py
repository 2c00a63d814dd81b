"""The text reading that spares broken-import a parse of every file: it claims a name bound only
on plain evidence, and reads every import statement that starts a line."""

from __future__ import annotations

import re
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st
from text_reading_reference import names_outside_blocks

from importcanon.adapters.import_statements import (
    _DEFINED_HERE,
    _FROM_BODY,
    _IMPORT_BODY,
    _MODULE_BLOCK,
    _assigned,
    evident_names,
    names_of_code_lines,
    text_imports,
)
from importcanon.domain.facts import TextImport

SOURCE = textwrap.dedent(
    """
    '''Docstring.'''
    import os.path, json as j
    from . import sibling
    from ..pkg.mod import (
        first,  # a comment
        second as other,
    )
    from .x \\
        import y
    a, b = 1, 2
    X = Y = 3
    (p, q) = 4, 5
    if os:
        D = 1
        def e():
            local = 1
        class F:
            attr = 2
    try:
        import g
    except ImportError:
        g = None


    def h():
        inner_value = 1

        def inner():
            pass


    class K:
        member = 1
    """
)


def test_evident_names_are_the_module_level_bindings_only():
    names = evident_names(SOURCE)

    assert {"os", "j", "sibling", "first", "other", "y", "a", "b", "X", "Y", "p", "q"} <= names
    assert {"D", "e", "F", "g", "h", "K"} <= names
    assert not names & {"local", "attr", "inner_value", "inner", "member", "second", "json"}


def test_every_import_statement_is_read_whole():
    assert text_imports(SOURCE) == [
        TextImport(3, 0, None, (("os.path", None), ("json", "j"))),
        TextImport(4, 1, None, (("sibling", None),)),
        TextImport(5, 2, "pkg.mod", (("first", None), ("second", "other"))),
        TextImport(9, 1, "x", (("y", None),)),
        TextImport(21, 0, None, (("g", None),)),
    ]


def _block_names_one_line_at_a_time(text: str) -> set[str]:
    """The reading as it was first written, one line at a time: the oracle of the fast one."""
    names: set[str] = set()
    in_block, level = False, -1
    for line in text.splitlines():
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if indent == 0:
            in_block, level = _MODULE_BLOCK.match(stripped) is not None, -1
            if not in_block:
                names.update(_assigned(stripped))
            continue
        if in_block and level in (-1, indent):
            level = indent
            defined = _DEFINED_HERE.match(stripped)
            names.update([defined.group(1)] if defined else _assigned(stripped))
    return names


_LINES = st.sampled_from(
    [
        "if x:",
        "try:",
        "except ImportError:",
        "else:",
        "with a:",
        "for i in y:",
        "async for i in y:",
        "def f():",
        "class C:",
        "@decorator",
        "a = 1",
        "a, b = 1, 2",
        "(p, q) = 3",
        "X = Y = 4",
        "t: int = 5",
        "x == 1",
        "import os",
        "# comment",
        "",
        "   ",
        "\t",
        "async def g():",
        "value=6",
        "z",
    ]
)
_INDENTS = st.sampled_from(["", "", "    ", "        ", "\t", "  ", " \t"])
_BREAKS = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\f", "\x0b", "\u2028"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_INDENTS, _LINES, _BREAKS), max_size=30))
def test_block_names_are_found_as_one_line_at_a_time_finds_them(lines):
    text = "".join(indent + line + end for indent, line, end in lines)
    # The reading of lines, not of strings: a comment here may hold a line break only to
    # str.splitlines (``# c\f`` then ``a = 1`` is one comment to Python, and evident_names
    # folds it away; see test_evident_names_in_strings.py).
    assert names_of_code_lines(text) == names_outside_blocks(text) | _block_names_one_line_at_a_time(text)
    plain = text.replace("\r", "").replace("\f", "").replace("\x0b", "").replace("\u2028", "\n")
    assert evident_names(plain) == names_outside_blocks(plain) | _block_names_one_line_at_a_time(plain)


#: The statement patterns as first written (no possessive quantifiers, names one character at a
#: time): the oracle of the faster ones. ``import`` is a whole word (``from . import importer``).
_FROM_AS_WRITTEN = re.compile(
    r"[ \t]*from(?=[ \t.\\(])[ \t\\\n]*(?:(\.*)[ \t\\\n]*((?:\w[\w.]*)?)[ \t\\\n]+import(?!\w)"
    r"|((?:[.\w \t]|\\\r?\n)*?)(?<!\w)import(?!\w))[ \t\\]*"
    r"(?:\(([^)]*)\)|((?:[^\n\\;#]|\\\n)*))"
)
_IMPORT_AS_WRITTEN = re.compile(r"[ \t]*import[ \t\\]+((?:[^\n\\;#]|\\\n)*)")

_FRAGMENTS = st.sampled_from(
    [
        " ",
        "\t",
        "\\",
        "\n",
        "\\\n",
        ".",
        "..",
        "from",
        "import",
        "importer",
        "pkg",
        "a.b",
        "x",
        ",",
        " as ",
        "(",
        ")",
        "#",
        ";",
        "*",
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=14))
def test_statement_patterns_match_as_first_written(fragments):
    text = "".join(fragments)
    fast_from, fast_import = (re.compile(r"[ \t]*+" + body) for body in (_FROM_BODY, _IMPORT_BODY))
    for fast, written in ((fast_from, _FROM_AS_WRITTEN), (fast_import, _IMPORT_AS_WRITTEN)):
        for start in range(len(text) + 1):
            found, expected = fast.match(text, start), written.match(text, start)
            assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))
