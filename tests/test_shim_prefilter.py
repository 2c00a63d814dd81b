"""The text test that spares a parse never calls a shim-shaped module that imports something code.

``holds_code`` is one-sided: when it says a file holds top-level code no shim has, the parser
must agree (the module is not shim-shaped), or the file imports nothing, so it passes nothing on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.mentions import holds_blocks, holds_code
from importcanon.adapters.parsing import parse_module
from importcanon.adapters.text_pass import may_be_shim

#: Top-level pieces in the shapes that could fool a line-by-line reading: code-like lines inside
#: strings and brackets, backslash continuations, blocks a shim may hold, statements it may not.
PIECES = [
    '"""A docstring."""',
    '"""A docstring with code in it:\nCONSTANT = 1\nsetup()\n"""',
    "__all__ = \\\nsetup()",
    "from pkg.home import Thing",
    "import pkg.other as other",
    "OldName = Thing",
    "OldName = other.Thing",
    "OldName = None",
    "__all__ = ['Thing']",
    "__all__: list[str] = ['Thing']",
    "__all__ += ['Other']",
    "__all__.extend(['Other'])",
    "warnings.warn('moved', DeprecationWarning)",
    "warn('moved')",
    "del Thing",
    "del (Thing)",
    "try:\n    from pkg.fast import Thing\nexcept ImportError:\n    Thing = None",
    "if TYPE_CHECKING:\n    from pkg.home import Other",
    "if (TYPE_CHECKING):\n    Other = Thing",
    "text = '''\nCONSTANT = 'x'\nsetup()\n'''",
    'text = """\nValue: int = 3\n"""',
    "# CONSTANT = 'x'",
    "values = [\nCONSTANT,\n]",
    "__all__ = [\n'Thing',\nsetup(\n)]",
    "call(\nkey='x',\n)",
    "OldName = \\\nThing",
    "OldName = (\nThing)",
    "CONSTANT = 'x'",
    "CONSTANT = 3",
    "CONSTANT = -1",
    "CONSTANT = [1, 2]",
    "CONSTANT = {'a': 1}",
    "CONSTANT = f'{Thing}'",
    "CONSTANT = rb'x'",
    "Value: int = 3",
    "Value: int",
    "LOGGER = logging.getLogger(__name__)",
    "setup()",
    "pkg.setup(Thing)",
    "lambda: 0",
    "match = 3",
    "else_value = 'x'",
    "print ('x')",
    "def helper():\n    return Thing",
    "class Local:\n    pass",
    "for name in ('a',):\n    pass",
    "@decorate\ndef helper():\n    pass",
    '# a triple quote in a comment: """',
    'QUOTES = \'"""\'',
    "text = '''\ndef inside(): pass\n'''",
    "values = [name\nfor name in ('a',)]",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=7))
def test_a_module_said_to_hold_code_is_never_a_shim_that_imports(pieces: list[str]) -> None:
    text = "\n".join(pieces) + "\n"
    try:
        parsed = parse_module(text, "example.py")
    except SyntaxError:
        return
    if holds_code(text.encode()) or holds_blocks(text.encode()):
        assert not parsed.shim_shaped or not parsed.imports, text


def test_the_statements_a_shim_holds_are_not_code() -> None:
    held = [*PIECES[:19], "# CONSTANT = 'x'", "OldName = \\\nThing", "OldName = (\nThing)"]
    shim = "\n".join(held) + "\n"
    assert parse_module(shim, "shim.py").shim_shaped
    assert not holds_code(shim.encode())


def test_constants_calls_and_files_without_imports_hold_code() -> None:
    for piece in ("CONSTANT = 'x'", "Value: int = 3", "LOGGER = logging.getLogger(__name__)", "setup()"):
        assert holds_code(f"from pkg import x\n{piece}\n".encode()), piece
    assert holds_code(b'"""Only a docstring."""\n')
    assert not holds_code(b"from pkg import x\nY = x\n")


def test_a_triple_quote_outside_a_string_hides_no_shim() -> None:
    """A triple quote in a comment (or in a string of the other kind) ends no string: the
    definitions after it are read as code, and the shim above them stays a shim."""
    for opener in ('# see """ below', 'import warnings\nwarnings.warn(\'moved: """\', DeprecationWarning)'):
        shim = f"{opener}\nfrom pkg.home import Thing\nOldName = Thing\n"
        assert parse_module(shim, "shim.py").shim_shaped, opener
        assert may_be_shim(shim.encode()), opener
    assert not may_be_shim(b'# see """ below\nfrom pkg.home import Thing\ndef helper():\n    pass\n')
    docstring_shim = '# see """ below\n"""Moved:\ndef inside(): pass\n"""\nfrom pkg.home import Thing\nOld = Thing\n'
    assert parse_module(docstring_shim, "shim.py").shim_shaped
    assert may_be_shim(docstring_shim.encode())


def test_the_standard_library_agrees_with_the_parser() -> None:
    """Every module of the running Python's standard library (the top directory): the text never
    calls a shim-shaped module that imports something code."""
    library = Path(sys.modules["textwrap"].__file__ or "").parent
    checked = 0
    for path in sorted(library.glob("*.py")):
        data = path.read_bytes()
        try:
            parsed = parse_module(data.decode("utf-8"), path.name)
        except (SyntaxError, UnicodeDecodeError):
            continue
        checked += 1
        if holds_code(data) or holds_blocks(data):
            assert not parsed.shim_shaped or not parsed.imports, path
    assert checked > 100
