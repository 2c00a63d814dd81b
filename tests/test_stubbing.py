"""A parse with its idle function bodies stubbed out gives exactly the facts of the full parse.

``adapters/stubbing.py`` replaces the bodies that hold no import, def, class, global (nor, when
calls are asked for, any word asked about) by ``pass``, keeping every line number; the parse of
what is left must yield the facts of the whole text, field for field, on the running Python's
standard library, importcanon's own source (``IMPORTCANON_PARSE_CORPUS`` chooses other
directories, see tests/test_parsing_reference.py) and generated programs full of the traps a
plain reading falls into: strings, brackets and backslashes that carry lines to column 0,
comments at column 0, one-line bodies, definitions inside strings.
"""

from __future__ import annotations

import ast
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from test_parsing_reference import _corpus

from importcanon.adapters.parsing import module_facts, parse_module
from importcanon.adapters.stubbing import stub_bodies

#: Names whose calls are asked for: common ones, so that some bodies are kept for them.
WORDS = frozenset({"print", "len", "join", "warn", "globals", "compute", "call"})


def _assert_same_facts(text: str, where: object) -> bool:
    """Whether ``text`` was stubbed at all; its facts must be the full parse's either way: those
    without calls, and those with the calls of :data:`WORDS`, which must be the calls of the
    full parse with one of the words among the parts of their dotted names."""
    full = module_facts(ast.parse(text), with_calls=True)
    assert full.calls is not None
    of_words = tuple(call for call in full.calls if WORDS.intersection(call.callee.split(".")))
    aliases = tuple(pair for pair in full.local_aliases if WORDS.intersection(pair[1].split(".")))
    assert parse_module(text, "m.py", calls_of=WORDS, stub=True) == full._replace(
        calls=of_words, call_words=WORDS, local_aliases=aliases
    )
    stubbed = stub_bodies(text)
    if stubbed is None:
        return False
    assert stubbed.count("\n") == text.count("\n"), where
    assert module_facts(ast.parse(stubbed)) == full._replace(calls=None, local_aliases=()), where
    return True


def test_stubbed_parses_give_the_full_facts_on_real_files():
    compared = stubbed = 0
    for path in _corpus():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like in old test files
            try:
                text = path.read_text(encoding="utf-8")
                ast.parse(text)
            except (SyntaxError, ValueError):
                continue  # the standard library keeps a few files broken on purpose
            stubbed += _assert_same_facts(text, path)
        compared += 1
    assert compared > 150
    assert stubbed > compared // 2  # most files have idle bodies: the reading is no no-op


def test_a_body_is_cut_in_place_and_what_matters_is_kept():
    text = (
        "import os\n"
        "def idle(a,\n"
        "         b=1):\n"
        '    """A docstring\n'
        "def not_a_def():\n"
        '"""\n'
        "    x = [1,\n"
        "2]\n"
        "# a comment at column 0\n"
        "    return x\n"
        "def busy():\n"
        "    check()\n"
        "    try:\n"
        "        import json\n"
        "    except ImportError:\n"
        "        json = None\n"
        "    return json\n"
        "def one(): return 1\n"
        "class C:\n"
        "    attribute = compute()\n"
        "    def method(self):\n"
        "        return self\n"
    )
    assert stub_bodies(text) == (
        "import os\ndef idle():\n\n pass\n\n\n\n\n\n\n"
        "def busy():\n\n    try:\n        import json\n    except ImportError:\n     pass\n\n"
        "def one(): return 1\n"
        "class C:\n\n    def method():\n     pass\n"
    )
    assert parse_module(text, "m.py", stub=True) == parse_module(text, "m.py")


def test_the_blocks_of_a_kept_compound_statement_are_cut_alike():
    text = (
        "def load(flag):\n"
        "    if flag:\n"
        "        import fast\n"
        "        engine = fast.Engine()\n"
        "    elif other(\n"
        "        flag,\n"
        "    ):\n"
        "        for name in names:\n"
        "            from . import slow\n"
        "            counted += 1\n"
        "        else:\n"
        "            done = True\n"
        "    else:\n"
        "        engine = None\n"
        "    with lock:\n"
        "        if TYPE_CHECKING: import typing\n"
        "        size = 1\n"
        "    return engine\n"
    )
    assert stub_bodies(text) == (
        "def load():\n    if flag:\n        import fast\n\n"
        "    elif other(\n        flag,\n    ):\n        for name in names:\n            from . import slow\n\n"
        "        else:\n         pass\n    else:\n     pass\n"
        "    with lock:\n        if TYPE_CHECKING: import typing\n\n\n"
    )
    assert parse_module(text, "m.py", stub=True) == parse_module(text, "m.py")


def test_the_inside_of_a_module_level_table_is_cut():
    text = (
        "SENSORS: tuple[Description, ...] = (\n"
        "    Description(key='a', device_class=Kind.X),\n"
        "    Description(key='b', state_class=Kind.Y),\n"
        ")\n"
        "OPTIONS = dict(\n    a=1,\n)\n"
        "ALIAS = (\n    package.Name\n)\n"
        "Listener = Callable[\n    [int],\n    None,\n]\n"
        "__all__ = [\n    'SENSORS',\n]\n"
        "KEPT = [\n    lambda: importlib,\n    compute(),\n]\n"
    )
    assert stub_bodies(text) == (
        "SENSORS: tuple[Description, ...] = (\n\n\n)\n"
        "OPTIONS = dict(\n\n)\n"
        "ALIAS = (\n    package.Name\n)\n"
        "Listener = Callable[\n    [int],\n    None,\n]\n"
        "__all__ = [\n    'SENSORS',\n]\n"
        "KEPT = [\n\n\n]\n"
    )
    assert parse_module(text, "m.py", stub=True) == parse_module(text, "m.py")
    assert stub_bodies(text, ["compute"]).endswith("KEPT = [\n    lambda: importlib,\n    compute(),\n]\n")


def test_a_header_says_only_what_it_defines_unless_it_mentions_a_word():
    text = (
        "@decorator(option=1)\n"
        "async def fetch(\n"
        "    session: Session,\n"
        "    retries: int = default_retries(),\n"
        ") -> Result:\n"
        "    return compute(session)\n"
        "class Model(Base, metaclass=Meta):\n"
        "    def method(self, when=compute()):\n"
        "        return self\n"
    )
    assert stub_bodies(text) == (
        "@decorator(option=1)\nasync def fetch():\n\n\n\n pass\nclass Model:\n    def method():\n     pass\n"
    )
    assert stub_bodies(text, ["compute"]) == (
        "@decorator(option=1)\nasync def fetch():\n\n\n\n    return compute(session)\n"
        "class Model:\n    def method(self, when=compute()):\n     pass\n"
    )
    for words in (frozenset(), frozenset({"compute"})):
        stubbed = parse_module(text, "m.py", calls_of=words or None, stub=True)
        assert stubbed == parse_module(text, "m.py", calls_of=words or None)


def test_a_name_beyond_ascii_keeps_its_header_whole():
    """``def fooé`` defines ``fooé``: its header is not cut to the ASCII part of its name."""
    for text in ("def fooé(a):\n    x = 1\n", "class Aé(B):\n    x = 1\n", "def é(a):\n    x = 1\n"):
        stubbed = stub_bodies(text)
        assert stubbed is None or stubbed.split("\n")[0] == text.split("\n")[0]
        assert parse_module(text, "m.py", stub=True).bindings == parse_module(text, "m.py").bindings


def test_text_the_plain_reading_may_misread_is_left_whole():
    body = "def f():\n    return 1\n"
    assert stub_bodies(body) is not None
    assert stub_bodies(body.replace("    ", "\t")) is None  # tabs
    assert stub_bodies(body.replace("\n", "\r\n")) is None  # carriage returns
    assert stub_bodies(body + 'x = f"{ {"k": 1}["k"] }"\n') is None  # a newer Python's f-string
    assert stub_bodies(body + "x = (\n") is None  # a bracket left open
    assert stub_bodies(body + "x = '''\n") is None  # a string left open


#: Statements of a body; ``{i}`` is the indentation of the block, a line without it starts at
#: column 0 (inside a string or brackets, after a backslash, or a comment).
STATEMENTS = [
    "{i}return compute(x)",
    "{i}x = (1,\n2,\n{i})",
    "{i}s = '''\ndef g():\nclass C:\n    import os\n'''",
    '{i}t = """\n  import os\n""" + str(1)',
    "{i}y = 1 + \\\n2",
    "{i}import os",
    "{i}from . import mod",
    "{i}global G",
    "{i}f = lambda: call()",
    "{i}d = {'k': [v for v in w]}",
    "{i}z = f'{a}' + f\"{b['k']}\"",
    "{i}print('def f(): pass')",
    "{i}if x: return 1",
    "{i}w = 'undef'; undefined = subclass.classify()",
    "{i}call(x)(y)",
    "{i}ｃｏｍｐｕｔｅ(1)",  # fullwidth letters: the identifier is compute
    "{i}obj.join(parts).method()",
    "{i}pass",
    "{i}table = call(\n{i}    1,\n{i}    f(x),  # x\n{i})",
    "{i}table: T[int] = [\n{i}    a.b,\n{i}    undefined,\n{i}]",
    "{i}alias = (\n{i}    a.b\n{i})",
    "{i}sub = Callable[\n{i}    [int],\n{i}]",
    "{i}__all__ = [\n{i}    'x',\n{i}]",
    "{i}spec = dict(\n{i}    device_class=1,\n{i}    nested=(\n{i}    2),\n{i}) ",
    "{i}walrus = (\n{i}    y := 1,\n{i})",
    '{i}"""Docstring\nwith a line at column 0\n"""',
]
#: Lines that may sit anywhere between statements.
FILLERS = ["# a comment at column 0", "{i}# import def class", "", "   "]
#: Headers of blocks; ``{i}`` as above.
HEADERS = [
    "{i}def name(a, b=(1,\n2)) -> int:",
    "{i}async def name():",
    "{i}@decorator(\n)\n{i}def name():",
    "{i}def f(x=lambda: 0, *, y: 'str' = None):",
    '{i}def h(doc="""\ndef inner():\n"""):',
    "{i}class C(Base):",
    "{i}def g(a=compute(1),\n{i}      b: 'x' = call()) -> print:",
    "{i}class K(Base, metaclass=compute(\n)):",
    "{i}async def name(\n{i}    a: list[int] = [len(x) for x in y],\n{i}) -> None:",
    "{i}@call\n{i}class D(\n{i}    Base,  # print\n{i}):",
    "{i}def b(a, \\\n{i}      b=join()):",
    "{i}if cond:",
    "{i}try:",
    "{i}for i in range(3):",
    "{i}with a as b:",
    "{i}while cond(\n):",
]
#: Clauses that may follow a block (``except`` always follows ``try``): a body is never cut there.
CLAUSES = {"{i}try:": ["except ImportError:", "else:", "finally:"], "{i}if cond:": ["elif other:", "else:"]}
CLAUSES["{i}for i in range(3):"] = CLAUSES["{i}while cond(\n):"] = ["else:"]
ONE_LINERS = ["{i}def one(): return 1", "{i}def semi(): x = 1; return x", "{i}class E(Exception): pass"]


@st.composite
def blocks(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """A block's statements at ``depth``: the first one indented, as Python wants."""
    indent = "    " * depth
    lines = [draw(st.sampled_from(STATEMENTS)).replace("{i}", indent)]
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 9))
        if choice < 3 and depth < 4:
            header = draw(st.sampled_from(HEADERS))
            lines.append(header.replace("{i}", indent))
            lines += draw(blocks(depth + 1))
            for clause in CLAUSES.get(header, []):
                if clause == "except ImportError:" or draw(st.booleans()):
                    lines.append(indent + clause)
                    lines += draw(blocks(depth + 1))
        elif choice < 4:
            lines.append(draw(st.sampled_from(ONE_LINERS)).replace("{i}", indent))
        elif choice < 6:
            lines.append(draw(st.sampled_from(FILLERS)).replace("{i}", indent))
        else:
            lines.append(draw(st.sampled_from(STATEMENTS)).replace("{i}", indent))
    return lines


@settings(max_examples=400, deadline=None)
@given(blocks(), st.booleans())
def test_stubbed_parses_give_the_full_facts_on_generated_programs(lines, final_newline):
    text = "\n".join(lines) + ("\n" if final_newline else "")
    ast.parse(text)  # the programs are valid Python by construction
    _assert_same_facts(text, text)


#: Statements this Python (3.11) cannot parse, that grimp's scanner reads: newer syntax (libcst
#: reads it for the full parse) and nesting too deep for any Python. A body holding one is never
#: cut: the file's parse status is the file's, whatever the question (found by review).
UNPARSABLE = [
    "{i}type X = int",
    "{i}x = f\"{'\\n'.join(parts)}\"",
    "{i}x = f'{compute(x) # no\n}'",
    "{i}x = " + "(" * 201 + "1" + ")" * 201,
    "{i}x = (1\n" + "    + 1\n" * 3000 + "{i})",
    "{i}x = " + "-" * 3000 + "1",
]


def _outcome(text: str, *, stub: bool) -> object:
    try:
        return parse_module(text, "m.py", calls_of=WORDS, stub=stub)
    except (SyntaxError, RecursionError, MemoryError) as error:
        return type(error), str(error)


@settings(max_examples=60, deadline=None)
@given(blocks(), st.sampled_from(UNPARSABLE), st.data())
def test_a_stubbed_parse_of_text_this_python_cannot_parse_is_the_full_parse(lines, statement, data):
    """Inserted after any statement of a generated program: the stubbed parse fails as the full
    parse does, or gives its facts (libcst's reading of newer syntax, lines kept)."""
    places = [n for n, line in enumerate(lines) if line.strip() and not line.rstrip().endswith(":")]
    places = [n for n in places if not line_is_comment(lines[n])]
    at = data.draw(st.sampled_from(places))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip(" "))]
    text = "\n".join([*lines[: at + 1], statement.replace("{i}", indent), *lines[at + 1 :]]) + "\n"
    assert _outcome(text, stub=True) == _outcome(text, stub=False)
    assert stub_bodies(text) is None


def line_is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")
