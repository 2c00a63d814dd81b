"""Names and star imports read from the text as certainly module-level: never one the parser
does not find at scope 0 (the evidence is one-sided: a name it misses only costs a parse)."""

from __future__ import annotations

import ast
import sysconfig
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.module_level import _statements_within, module_level_text
from importcanon.adapters.parsing import parse_module
from importcanon.domain.facts import BindingKind, ImportKind, ParsedModule

#: What may bind the names A, B, C, D (or seem to), in every place a text reading can misjudge:
#: strings, comments, brackets, backslashes, def and class bodies, one-line blocks.
STATEMENTS = [
    "A = 1",
    "A: int = 1",
    "B: int",
    "A += 1",
    "A == 1",
    "A, (B, *C) = 1, (2, 3)",
    "A = B = 2",
    "A.attr = 1",
    "A[0] = 1",
    "class A:\n    B = 1",
    "class A: B = 1",
    "def A():\n    global B\n    B = 1",
    "async def A(C=1):\n    pass",
    "@decorate\nclass B(A):\n    pass",
    "import A",
    "import A.B as C",
    "from A import B",
    "from . import A as B, C",
    "from .A import (\n    B,  # C = 1\n    C as D,\n)",
    "from A import *",
    "from .B import *",
    "from . import *",
    "from A \\\n    import B",
    "call(\nA=1)",
    "values = [\nB]",
    "x = '''\nA = 1\nfrom B import *\n'''",
    'x = """\nclass C: pass\n"""',
    "# A = 1",
    "x = 1; A = 2",
    "if A: B = 1",
    "x = 'a\\\nA = 1'",
    "x = f'{A}' + f\"{B!r:>{C}}\"",
    "__all__ = ['A']",
    "for A in B:\n    C = 1",
    "with B as A:\n    D = 1",
    "A = 1 \\\n    + 2",
    "x = 1 + \\\nA",
    "lambda: A",
    "def f(A):\n    A = B\n    return [C for C in A]",
    "x = A.attr  # A = 1",
    "try:\n    pass\nexcept Exception as A:\n    pass",
    "(A := 1)",
    "del A",
    "from B import A as A",
    "B = A.attr",
    "C = x.A",
    "D: T = A",
    "B = A()",
    "import B.A as C",
    "import A; from B import C as D",
    "x = (1,\n2); import A",
    "if A: import B",
    "def f(): import A",
    "from B import (A,\n    A as C)",
    "class K(A):\n    pass",
    "@A.register\ndef f(x=A):\n    pass",
    "if A: from B import A",
    "for x in A:\n    from B import A",
]
HEADERS = [
    "if A:",
    "if TYPE_CHECKING:",
    "try:",
    "with B:",
    "for D in B:",
    "while A:",
    "def function():",
    "class Holder:",
    "async def coroutine():",
]
FOLLOWERS = {"if A:": "else:", "try:": "except ImportError:", "for D in B:": "else:"}


def _indent(text: str, level: int) -> list[str]:
    lines = text.split("\n")
    if any(quote in text for quote in ("'''", '"""', "\\\n")):
        return ["    " * level + lines[0], *lines[1:]]  # a string or continuation keeps its layout
    return ["    " * level + line for line in lines]


@st.composite
def programs(draw: st.DrawFn, level: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        if level < 2 and draw(st.booleans()):
            header = draw(st.sampled_from(HEADERS))
            lines.append("    " * level + header)
            lines += draw(programs(level + 1))
            if header in FOLLOWERS and draw(st.booleans()):
                lines.append("    " * level + FOLLOWERS[header])
                lines += draw(programs(level + 1))
        else:
            lines += _indent(draw(st.sampled_from(STATEMENTS)), level)
    return lines


def _module_level_names(parsed: ParsedModule) -> set[str]:
    """Every name the parse binds at scope 0, as the resolver's namespace reads them."""
    names = {binding.name for binding in parsed.bindings}
    for statement in parsed.imports:
        if statement.scope == 0 and not statement.is_star:
            plain = statement.module is None and statement.level == 0
            for name, alias in statement.names:
                names.add(alias or (name.split(".")[0] if plain else name))
    return names


def _stars(parsed: ParsedModule) -> set[tuple[int, str | None]]:
    return {(s.level, s.module) for s in parsed.imports if s.scope == 0 and s.is_star}


def _agrees_with_the_parse(source: str, words: list[str]) -> int:
    """How many claims the reading made; each one checked against the parse of ``source``."""
    try:
        parsed = parse_module(source, "generated.py")
    except (SyntaxError, ValueError, RecursionError):
        return 0
    reader = module_level_text(source)
    if reader is None:
        return 0
    bound = _module_level_names(parsed)
    claims = 0
    for word in words:
        if reader.binds(word):
            assert word in bound, (word, source)
            claims += 1
        read = reader.imports_of(word)
        if read is not None:
            claims += len(read)
            expected = [
                (statement, pair)
                for statement in parsed.imports
                if statement.module is not None or statement.level
                for pair in statement.names
                if pair[0] == word
            ]
            assert [(s.line, s.level, s.module, s.names[0]) for s in read] == [
                (s.line, s.level, s.module, pair) for s, pair in expected
            ], source
            assert all(s.scope == 0 and s.kind is ImportKind.MODULE and not s.conditional for s, _ in expected), source
        if not reader.may_rebind(word):
            claims += 1  # no module-level statement binds another name to one written with it
            assert not any(
                binding.kind is BindingKind.ALIAS and word in (binding.source or "").split(".")
                for binding in parsed.bindings
            ), (word, source)
            assert not any(name == word and alias for s in parsed.imports if s.scope == 0 for name, alias in s.names), (
                word,
                source,
            )
        if reader.binds_apart_from_imports(word):
            continue
        claims += 1  # nothing but ``from x import word`` binds it at module level
        assert not any(binding.name == word for binding in parsed.bindings), (word, source)
        for statement in parsed.imports:
            if statement.scope == 0 and word in {alias or name.split(".")[0] for name, alias in statement.names}:
                assert statement.module is not None or statement.level, (word, source)
                assert (word, None) in statement.names, (word, source)
    for line in range(1, source.count("\n") + 2):
        read = reader.imports_at(line)
        if read is None:
            continue
        claims += len(read)
        starting = [s for s in parsed.imports if s.line == line]
        assert [(s.level, s.module, s.names) for s in starting] == [(s.level, s.module, s.names) for s in read], source
        assert all(s.scope == 0 for s in starting), source
    stars = set(reader.star_imports())
    assert stars <= _stars(parsed), source
    return claims + len(stars)


@settings(max_examples=600, deadline=None)
@given(programs(), st.sampled_from(["\n", "\r\n"]))
def test_a_name_read_as_bound_at_module_level_is_one_the_parser_binds_at_scope_0(lines, newline):
    _agrees_with_the_parse(newline.join(lines) + newline, ["A", "B", "C", "D", "x"])


def test_the_reading_agrees_with_the_parser_on_the_standard_library():
    library = Path(sysconfig.get_paths()["stdlib"])
    claims = 0
    for path in sorted(library.glob("*.py"))[:60]:
        try:
            source = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        words = sorted({line.split()[1].split("(")[0].rstrip(":") for line in source.splitlines() if _named(line)})
        claims += _agrees_with_the_parse(source, [w for w in words if w.isidentifier()][:25])
    assert claims > 300


def _named(line: str) -> bool:
    """A line that names something after its first word (``class X``, ``import y``, ``from z``)."""
    return len(line.split()) > 1 and line.lstrip().split()[0] in ("class", "def", "import", "from", "global")


def test_module_level_bindings_in_blocks_are_found_and_nested_scopes_are_not():
    reader = module_level_text(
        "import warnings\n"
        "try:\n"
        "    import oracledb\n"
        "except ImportError:\n"
        "    try:\n"
        "        import cx_Oracle as Database  # a fallback\n"
        "    except ImportError:\n"
        "        raise\n"
        "HANDLERS: Registry[str, int] = Registry()\n"
        "from .fields import *  # NOQA\n"
        "class Holder:\n"
        "    from .inside import Member\n"
        "def function():\n"
        "    from .deferred import Local\n"
        "'''\n"
        "Documented = 1\n"
        "'''\n"
    )
    assert reader is not None
    assert all(reader.binds(name) for name in ("warnings", "oracledb", "Database", "HANDLERS", "Holder"))
    assert not any(reader.binds(name) for name in ("Member", "Local", "Documented", "cx_Oracle"))
    assert reader.star_imports() == ((1, "fields"),)


def test_a_function_body_passed_over_holds_no_global_nor_import_of_the_name():
    reader = module_level_text(
        "def f():\n    x = A\n    global A\n    A = 1\ndef g():\n    y = A\n    from m import A\n"
    )
    assert reader is not None
    assert reader.binds_apart_from_imports("A")
    assert reader.imports_of("A") is None
    assert not reader.may_rebind("A")


def test_plain_text_is_read_whatever_its_strings_end_with():
    source_files = Path(__file__).resolve().parent.parent.joinpath("src").rglob("*.py")
    assert all(module_level_text(path.read_text()) is not None for path in source_files)
    assert module_level_text('LANGUAGES = [("fr", "French"), ("pdf", f"{x}")]\nA = 1\n') is not None


def test_text_whose_lines_python_would_read_otherwise_is_declined():
    assert module_level_text("x = 1\rA = 2\n") is None  # a lone carriage return ends a line
    assert module_level_text("x = (\n") is None  # a bracket left open
    assert module_level_text('x = f"{d["k"]}"\nA = 1\n') is None  # quotes nested in an f-string


@pytest.mark.parametrize(
    "statement",
    [
        "type X = int",
        "x = f\"{'\\n'.join(parts)}\"",
        "x = " + "(" * 201 + "1" + ")" * 201,
        "x = (1\n" + "    + 1\n" * 3000 + ")",
        "try:\n    pass\nexcept A, B:\n    pass",
    ],
)
def test_text_this_python_cannot_parse_is_declined(statement):
    """Its statements are no evidence for a file whose parse fails (found by review)."""
    text = "from app.other import Name as N\nimport app.old as o\n\n" + statement + "\n"
    with pytest.raises((SyntaxError, RecursionError, MemoryError)):
        ast.parse(text)  # libcst may read newer syntax for the full parse; no reading of lines may
    assert module_level_text(text) is None
    inside = "from app.other import Name as N\n\n\ndef f():\n" + textwrap.indent(statement, "    ") + "\n"
    assert module_level_text(inside) is None


def test_code_spelled_beyond_ascii_is_declined_but_strings_and_comments_are_read():
    """``Ｎ`` (fullwidth) is ``N`` to the parser, never to a search for ``Name``."""
    assert module_level_text("from x import \uff2eame as M\n") is None
    assert module_level_text("\uff2eame = int\n") is None
    reader = module_level_text("# \uff2eame\nName = 'caf\u00e9'\n")
    assert reader is not None and reader.binds("Name")


#: Statements whose inner statements sit in every kind of block: bodies, else, finally, except
#: clauses, match cases, one-line blocks, expressions with lambdas and comprehensions between.
NESTED_STATEMENTS = [
    "try:\n    import a as b\nexcept (E, F) as e:\n    c = d.e\nelse:\n    f: g = h\n"
    "finally:\n    from i import j as k",
    "match x:\n    case [1, *rest]:\n        y = z.w\n    case {'k': v}:\n        import q.r",
    "if t: u = v\nelif w:\n    for a in b:\n        while c:\n"
    "            with d as e:\n                x = lambda: [y for y in z]",
    "class K(Base, key=lambda: 0):\n    def m(self, d=(n := 1)):\n        async def n():\n            o = p\n",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(NESTED_STATEMENTS + STATEMENTS), min_size=1, max_size=4))
def test_the_statements_within_a_statement_are_those_ast_walk_meets(pieces):
    """``_rebinds`` looks only at statements (the kinds it judges are statements only), so it
    walks the blocks, not the expressions: the statements met are ``ast.walk``'s, none more or fewer."""
    try:
        tree = ast.parse("\n".join(pieces))
    except SyntaxError:
        return
    for node in tree.body:
        walked = [inner for inner in ast.walk(node) if isinstance(inner, ast.stmt)]
        assert sorted(map(id, _statements_within(node))) == sorted(map(id, walked))


def test_the_statements_within_agree_with_ast_walk_on_the_standard_library():
    library = Path(sysconfig.get_paths()["stdlib"])
    compared = 0
    for path in sorted(library.glob("*.py"))[:80]:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError, SyntaxError):
            continue
        for node in tree.body:
            walked = [inner for inner in ast.walk(node) if isinstance(inner, ast.stmt)]
            assert sorted(map(id, _statements_within(node))) == sorted(map(id, walked)), path
            compared += len(walked)
    assert compared > 10_000


@given(
    st.lists(st.sampled_from(["A", "B", "AB", "_", "1", " ", ".", "\n", "é", "Ａ", "٣", "ǅ"]), max_size=30).map(
        "".join
    ),
    st.sampled_from(["A", "AB", "B_1", "_"]),
    st.integers(min_value=0, max_value=45),
)
def test_a_name_is_found_where_the_regex_of_a_whole_word_finds_it(text, name, position):
    """``whole_words`` finds ``name`` where ``\\w`` bounds it on neither side, as the regex it
    replaced did (``\\w`` beyond ASCII too: letters, digits, numerals, titlecase)."""
    import re

    from importcanon.adapters.words import whole_words

    found = [match.start() for match in re.compile(rf"(?<!\w){name}(?!\w)").finditer(text, position)]
    assert list(whole_words(text, name, position)) == found
