"""The cheaper stubbing gives, byte for byte, what it gave before it was made cheaper.

The reference (tests/stubbing_reference.py, with its own copy of the plain syntax screen in
tests/plain_syntax_reference.py) is ``stub_bodies`` as it was: the live one must return the same
string, or None, for every text: real files (a sample of the running Python's standard library
and importcanon's own source, ``IMPORTCANON_PARSE_CORPUS`` chooses others, see
tests/test_parsing_reference.py), the generated programs of tests/test_stubbing.py, and text
that is no program at all (shuffled pieces of the shapes the reading cares about: headers,
indentation, brackets, strings, backslashes, words asked about, characters beyond ASCII), where
only the reading's own steps, not Python's grammar, decide what comes out.
"""

from __future__ import annotations

import warnings

import plain_syntax_reference
import stubbing_reference
from hypothesis import given, settings
from hypothesis import strategies as st
from test_parsing_reference import _corpus
from test_stubbing import WORDS, blocks

from importcanon.adapters.kinds import LITERALS
from importcanon.adapters.plain_syntax import reads_plainly
from importcanon.adapters.stubbing import stub_bodies

#: Word sets asked about: none, the generated programs' own, and one that is in most real files.
WORD_SETS = [frozenset(), WORDS, frozenset({"self", "join", "__name__"}), frozenset({"x"})]


def _assert_as_before(text: str, where: object) -> bool:
    """Whether ``text`` was stubbed; the live reading must equal the reference's for each set of words."""
    assert reads_plainly(LITERALS.split(text)) == plain_syntax_reference.reads_plainly(LITERALS.split(text)), where
    stubbed = False
    for words in WORD_SETS:
        expected = stubbing_reference.stub_bodies(text, words)
        assert stub_bodies(text, words) == expected, (where, sorted(words))
        stubbed = stubbed or expected is not None
    return stubbed


def test_the_stubs_of_real_files_are_what_they_were():
    compared = stubbed = 0
    for path in _corpus():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, ValueError):
                continue
        stubbed += _assert_as_before(text, path)
        compared += 1
    assert compared > 150
    assert stubbed > compared // 2


@settings(max_examples=300, deadline=None)
@given(blocks(), st.booleans())
def test_the_stubs_of_generated_programs_are_what_they_were(lines, final_newline):
    text = "\n".join(lines) + ("\n" if final_newline else "")
    _assert_as_before(text, text)


#: Lines of text that is no program: what the reading looks at, mostly balanced (a bracket or a
#: string left open makes the whole text declined), at any indentation, in any order.
PIECES = [
    "def f():",
    "def f(a,\nb):",
    "async def g():",
    "class C:",
    "class C(B):",
    "def h(): pass",
    "@d",
    "def f(x=(\n)):",
    "class K(\n  ):",
    "def é():",
    "def f(self, join):",
    "class",
    "def",
    "async  def g ( ) :",
    "import m",
    "from . import x",
    "global G",
    "undef = 1",
    "x.subclass()",
    "_import()",
    "import_x",
    "try:",
    "except:",
    "else:",
    "elif y:",
    "finally:",
    "if x:",
    "while (\n):",
    "x = (\n1,\n)",
    "X = call(\n  a,\n)",
    "X: T = [\n  b.c,\n]",
    "__all__ = [\n'a',\n]",
    "A = (\n  b\n)",
    "x = (",
    ")",
    "x = [y :=\n1]",
    "'s'",
    '"""\ndoc\n"""',
    "'''\ndef a():\n'''",
    "# def c",
    "pass",
    "return x",
    "print(x)",
    "join",
    "é = 1",
    "ｃ()",
    "y = 1 + \\",
    "\t",
    "\f",
    "",
    " ",
    "\\",
    "f'{x}'",
    "x = 1; import y",
    "if a: import b",
    "\x01",
    "\r",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0, 0, 1, 2, 4, 4, 5, 8]), st.sampled_from(PIECES)), max_size=40))
def test_the_stubs_of_any_text_are_what_they_were(lines):
    text = "\n".join(" " * indent + piece for indent, piece in lines)
    _assert_as_before(text, text)


@settings(max_examples=300, deadline=None)
@given(blocks(), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(PIECES)), max_size=4))
def test_the_stubs_of_programs_with_pieces_put_in_are_what_they_were(lines, insertions):
    """Generated programs made slightly wrong: the shapes near a valid one are the likeliest to
    tell two readings apart."""
    text = "\n".join(lines) + "\n"
    for at, piece in insertions:
        at %= len(text) + 1
        text = text[:at] + piece + text[at:]
    _assert_as_before(text, text)


#: Text Python rejects (a line dedented to no level above it) where a body reaches past the
#: statement that holds it, so that cuts meet: found by a longer run of the test above.
MEETING_CUTS = [
    "def f():\n  def f():\n def f():\n  if x:",
    "def f():\n  def g():\n import m\n def h():\n  x = 1\n  y = 2\n  import m\n  z = 3\n",
    "class C:\n    def a(self):\n  def b():\n    x = 1\n    y = 2\n    import m\n",
    "def f():\n    if x:\n  import a\n  def g():\n      y = 1\n    z = 2\n    w = 3\n",
]


def test_cuts_that_meet_are_made_as_before():
    for text in MEETING_CUTS:
        assert stub_bodies(text) is not None
        _assert_as_before(text, text)
