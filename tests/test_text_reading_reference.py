"""The faster per-file text readings give exactly what they gave before they were made faster.

The reference (tests/text_reading_reference.py) is each reading as it was: a line search then a
match per statement, padded copies of the text, a regex pass per kind of line. The fast ones
must equal it on real files (a sample of the running Python's standard library and importcanon's
own source; ``IMPORTCANON_TEXT_CORPUS``, directories separated by ``os.pathsep``, compares every
file under them instead, e.g. the benchmark trees) and on generated text full of the shapes that
are easy to get wrong: statements spanning lines, backslashes, line breaks other than ``\\n``,
blocks at the end of the text, words that start like keywords.
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import text_reading_reference as reference
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.decoding import UndecodableSource, decode_source
from importcanon.adapters.import_statements import (
    _names,
    evident_names,
    names_of_code_lines,
    statement_rows_and_top_level_lines,
    text_imports,
)
from importcanon.adapters.kinds import import_lines
from importcanon.adapters.mentions import (
    StringSpans,
    _line_reading,
    holds_blocks,
    holds_code,
    top_level_facts,
    word_starts,
)
from importcanon.adapters.scanning import _maybe_too_deep, scan_hints
from importcanon.adapters.spanning_literals import fold_spanning_literals
from importcanon.adapters.text_pass import Needles, may_be_shim, names_imported_from, needle_facts
from importcanon.domain.facts import TextImport

STDLIB = Path(sysconfig.get_paths()["stdlib"])
REPO = Path(__file__).resolve().parent.parent
NEEDLES = ("__all__", "os", "import", "Path", "x", "a_b", "é")


def _corpus() -> list[Path]:
    chosen = os.environ.get("IMPORTCANON_TEXT_CORPUS")
    if chosen:
        return sorted(path for directory in chosen.split(os.pathsep) for path in Path(directory).rglob("*.py"))
    stdlib = sorted(path for path in STDLIB.rglob("*.py") if "site-packages" not in path.parts)
    return [*stdlib[:: max(1, len(stdlib) // 300)], *sorted((REPO / "src").rglob("*.py"))]


def _assert_same_readings(data: bytes, text: str, where: object) -> None:
    assert text_imports(text) == reference.text_imports(text), where
    _assert_one_pass_reads_statements_and_lines(text, where)
    _assert_shared_strings_read_alike(data, where)
    assert names_of_code_lines(text) == reference.evident_names(text), where
    folded = reference.folded_by_tokenize(text)
    if folded is not None:
        _assert_folded_as_tokenize_folds(text, folded, where)
    for top_level_only in (False, True):
        found = list(import_lines(text, top_level_only=top_level_only))
        assert found == list(reference.import_lines(text, top_level_only=top_level_only)), where
    for needle in NEEDLES:
        assert list(word_starts(data, needle)) == list(reference.word_starts(data, needle)), (where, needle)
    _assert_same_line_readings(data, where)
    assert _maybe_too_deep(text) == reference.maybe_too_deep(text), where
    assert holds_code(data) == reference.holds_code(data), where
    assert holds_blocks(data) == reference.holds_blocks(data), where
    assert may_be_shim(data) == reference.may_be_shim(data), where
    assert scan_hints(text)[:2] == reference.scan_hints(text), where
    assert top_level_facts(data) == reference.top_level_facts(data), where


def _assert_folded_as_tokenize_folds(text: str, folded: str, where: object) -> None:
    """The literals that span lines are those Python's tokenizer finds, each folded; or the text
    is cut, at a quote this reading cannot follow (an f-string's field holding a string it
    cannot pair), and what comes before the cut is folded as the tokenizer folds it."""
    mine = fold_spanning_literals(text)
    if mine != folded:
        assert folded.startswith(mine) and folded[len(mine)] in "\"'", where
        folded = mine
    assert evident_names(text) == reference.evident_names(folded), where


def _assert_one_pass_reads_statements_and_lines(text: str, where: object) -> None:
    """The import statements and the scan hints' column-0 import lines, read in one pass, are
    the statements and lines of the readings that each took a pass of their own (and more)."""
    rows, lines = statement_rows_and_top_level_lines(text)
    assert [TextImport(*row) for row in rows] == reference.text_imports(text), where
    assert (tuple(lines), _maybe_too_deep(text)) == reference.scan_hints(text), where


def _assert_shared_strings_read_alike(data: bytes, where: object) -> None:
    """One reading of the file's strings shared by the roles of every needle and the shim screen,
    whichever reads first and however far, answers as a reading of its own for each."""
    needles = Needles(searched=frozenset(NEEDLES), mentioned=frozenset(NEEDLES[::2]))
    alone = (needle_facts(data, needles), may_be_shim(data))
    shared = StringSpans(data)
    assert (needle_facts(data, needles, shared), may_be_shim(data, shared)) == alone, where
    shared = StringSpans(data)
    shim = may_be_shim(data, shared)
    assert (needle_facts(data, needles, shared), shim) == alone, where


def _assert_same_line_readings(data: bytes, where: object) -> None:
    """What each line holding a needle says of it, read loosely, is what it was."""
    for needle in NEEDLES:
        size = len(needle.encode())
        for start in word_starts(data, needle):
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", start)
            line = data[line_start : line_end if line_end >= 0 else len(data)].rstrip(b"\r")
            column = start - line_start
            assert _line_reading(line, column, size) == reference.line_reading(line, column, size), (where, line)


def test_the_readings_give_the_reference_answers_on_real_files():
    compared = 0
    for path in _corpus():
        data = path.read_bytes()
        try:
            text = decode_source(data)
        except UndecodableSource:
            continue
        _assert_same_readings(data, text, path)
        compared += 1
    assert compared > 300


_LINES = st.sampled_from(
    [
        "import os",
        "import os.path as p, json",
        "import a.b.c",
        "from . import x",
        "from .. mod import (a,",
        "  b as c)",
        "from x import (",
        ")",
        "from x \\",
        "    import y",
        "from x import y  # note",
        "from x import y; z = 1",
        "from import a.b",
        "from m import p.q, r",
        "from",
        "import",
        "importer = 1",
        "from_ = 2",
        "if x:",
        "if x: import y",
        "elif y:",
        "else:",
        "try:",
        "except ImportError:",
        "finally:",
        "with a as b:",
        "for i in y:",
        "while x:",
        "async for i in y:",
        "async with a:",
        "iffy = 3",
        "else_ = 4",
        "def f(x=1):",
        "async def g():",
        "class C(Base):",
        "class D",
        "@decorator",
        "a = 1",
        "a, b = 1, 2",
        "(p, q) = 3",
        "X = Y = 4",
        "t: int = 5",
        "x == 1",
        "value=6",
        "é = 7",
        "ünïcode: str = ''",
        "else: x = 1",
        "# comment",
        "#",
        '"""',
        "'''doc'''",
        "s = 'import os'",
        "x = (",
        "    1,",
        "z \\",
        "\\",
        "",
        "   ",
        "\t",
        "pass",
        "__all__ = ['a']",
        "a_b.os = Path",
        "setup(name='x')",
        "warn('old')",
        "Name = f(1)",
        "Name = 'text'",
        "__all__ = ('a', 'b')",
        "__all__ += ['c']",
    ]
)
_INDENTS = st.sampled_from(["", "", "", "    ", "        ", "\t", "  ", " \t", "\f"])
_BREAKS = st.sampled_from(["\n", "\n", "\n", "\n", "\r\n", "\r", "\f", "\x0b", "\u2028", "\x1c", "\x85"])


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(_INDENTS, _LINES, _BREAKS), max_size=25), st.booleans())
def test_the_readings_give_the_reference_answers_on_generated_text(lines, final_break):
    text = "".join(indent + line + end for indent, line, end in lines)
    if not final_break and lines:
        text = text[: -len(lines[-1][2])]
    _assert_same_readings(text.encode(), text, text)
    plain = text.replace("\r", "").replace("\f", "").replace("\x0b", "").replace("\u2028", "\n")
    plain = plain.replace("\x1c", "").replace("\x85", "")
    _assert_same_readings(plain.encode(), plain, plain)


_PIECES = st.sampled_from(
    ["\n", "\r", "\t", " ", "a", "\n" + " " * 99, " " * 100, "\t" * 50, "x" * 1499, "x" * 1500, "y" * 2999]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_PIECES, max_size=12))
def test_long_and_deeply_indented_lines_are_found_as_the_regex_finds_them(pieces):
    text = "".join(pieces)
    assert _maybe_too_deep(text) == reference.maybe_too_deep(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_INDENTS, _LINES, _BREAKS), max_size=25))
def test_brackets_open_at_a_position_are_counted_as_they_were(lines):
    """The depth of brackets outside strings and comments, asked at every position in order (as
    the readings ask, a string's start included), equals the count gap by gap it replaced."""
    encoded = "".join(indent + line + end for indent, line, end in lines).encode()
    faster, reference_strings = StringSpans(encoded), reference.StringSpans(encoded)
    for position in range(len(encoded) + 1):
        assert faster.depth(position) == reference_strings.depth(position), (encoded, position)


_IMPORT_LINE_PIECES = st.sampled_from(
    [
        "import os",
        "from . import x",
        "from",
        "import(",
        "importer",
        "  import y",
        "\timport a as b, c",
        "from (a) import b",
        "from .x import (",
        "b as c)",
        "from x import y  # z",
        "\\",
        "x \\",
        "",
        " ",
        "# \\",
        "\n",
        "\n",
        "\n",
        "\r",
        "\r\n",
        "\f",
        "\\\n",
        "\\\r",
        "\n\n",
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_IMPORT_LINE_PIECES, max_size=12))
def test_column_zero_import_lines_are_found_as_the_line_search_found_them(pieces):
    """Backslashes, carriage returns and blank lines just before a line that starts with an
    import: the lines the scan hints name are the ones the line search and its check named, and
    the statements read in the same pass the ones read apart."""
    text = "".join(pieces)
    assert scan_hints(text)[:2] == reference.scan_hints(text), text
    _assert_one_pass_reads_statements_and_lines(text, text)


_LIST_TOKENS = st.sampled_from(
    ["a", "b.c", "*", "as", "x", " ", "  ", "\t", "\n", ",", ", ", "#", "# as, y", "\\\n", "\\", "(", ")"]
    + ["\x0c", "\u3000"]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_LIST_TOKENS, max_size=12))
def test_the_names_of_an_import_list_are_read_as_they_were(tokens):
    """One item or several, aliased or not, with comments, continuations and odd whitespace:
    the pairs an import's list of names gives are the ones the item-by-item reading gave."""
    listed = "".join(tokens)
    assert _names(listed) == reference.import_names(listed), listed


_LINE_TOKENS = st.sampled_from(
    [
        "x",
        "a.b",
        "Name",
        " ",
        "  ",
        "\t",
        "=",
        "==",
        "!=",
        "<=",
        ":",
        ":=",
        ",",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ".",
        "*",
        "#",
        "'",
        '"',
        '"""',
        ">>>",
        "\\",
        ";",
        "import",
        "from",
        "as",
        "in",
        "for",
        "def",
        "class",
        "global",
        "match",
        "case",
        "return",
        "if",
        "async",
        "lambda",
        "pass",
        "assert",
        "base",
        "info",
        "é",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_LINE_TOKENS, max_size=10), st.lists(_LINE_TOKENS, max_size=10))
def test_what_a_line_alone_says_of_a_name_is_what_it_said(before, after):
    """The loose reading of a line around an occurrence of a name (the regexes searched only
    where the bytes they need are) equals the reading that searched every regex in full."""
    head, tail = "".join(before).encode(), "".join(after).encode()
    line = head + b"Name" + tail
    assert _line_reading(line, len(head), 4) == reference.line_reading(line, len(head), 4), line


_MODULE_NAMES = st.sampled_from(["pkg", "pkg.a", "pkg.a.b", "pkg.c", "other", "pkg.a.x", "pkg.c.y", "pkg.x"])
_IMPORTED = st.sampled_from(["x", "y", "b", "a", "c", "*", "pkg"])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.none() | st.sampled_from(["a", "a.b", "c", "pkg", "pkg.a", "other", "zz"]),
            st.lists(st.tuples(_IMPORTED, st.none() | st.just("alias")), min_size=1, max_size=3),
        ),
        max_size=8,
    ),
    _MODULE_NAMES,
    st.booleans(),
    st.sets(_MODULE_NAMES),
)
def test_the_modules_names_are_imported_from_are_the_ones_they_were(statements, module, is_package, modules):
    """Read from the rows of the statements as from the statements themselves, level 0 without
    the call that resolves relative imports."""
    rows = [(line, level, written, tuple(names)) for line, (level, written, names) in enumerate(statements, 1)]
    expected = reference.names_imported_from([TextImport(*row) for row in rows], module, is_package, modules)
    assert names_imported_from(rows, module, is_package, modules) == expected
