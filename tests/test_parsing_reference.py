"""The fast collector of ``adapters/parsing.py`` gives exactly what the straightforward one gives.

The reference (tests/parsing_reference.py) is the collector as it was first written: an
``isinstance`` chain per statement, ``dataclasses.replace`` per block, ``ast.walk`` for calls. The
fast one must equal it field for field, calls in the same order, on real files: a sample of the
running Python's standard library (its grammar and pattern-matching tests included), importcanon's
own source, and generated programs. ``IMPORTCANON_PARSE_CORPUS`` (directories separated by
``os.pathsep``) compares every file under them instead of the sample, e.g. a checkout of a big
project before changing the collector.
"""

from __future__ import annotations

import ast
import os
import sysconfig
import warnings
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from parsing_reference import reference_facts

from importcanon.adapters.parsing import module_facts

STDLIB = Path(sysconfig.get_paths()["stdlib"])
REPO = Path(__file__).resolve().parent.parent
#: Files that use every statement and expression the grammar has.
SYNTAX_RICH = ("test/test_grammar.py", "test/test_patma.py", "test/test_syntax.py", "test/test_fstring.py")


def _corpus() -> list[Path]:
    chosen = os.environ.get("IMPORTCANON_PARSE_CORPUS")
    if chosen:
        return sorted(path for directory in chosen.split(os.pathsep) for path in Path(directory).rglob("*.py"))
    stdlib = sorted(path for path in STDLIB.rglob("*.py") if "site-packages" not in path.parts)
    rich = [STDLIB / name for name in SYNTAX_RICH if (STDLIB / name).is_file()]
    return [*stdlib[:: max(1, len(stdlib) // 150)], *rich, *sorted((REPO / "src").rglob("*.py"))]


def _assert_same_facts(tree: ast.Module, where: object) -> None:
    for with_calls in (False, True):
        assert module_facts(tree, with_calls=with_calls) == reference_facts(tree, with_calls=with_calls), (
            where,
            with_calls,
        )


def test_the_collector_gives_the_reference_facts_on_real_files():
    compared = 0
    for path in _corpus():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like in old test files
            try:
                tree = ast.parse(path.read_bytes(), filename=str(path))
            except (SyntaxError, ValueError):
                continue  # the standard library keeps a few files broken on purpose
        _assert_same_facts(tree, path)
        compared += 1
    assert compared > 150


#: Statements whose facts depend on where they stand; ``{}`` is where a nested block goes.
HEADERS = [
    "def f(a=g(), *, b=h.i(1), **k) -> r():",
    "async def f(x: ann()):",
    "@deco(1)\n@plain\nclass C(Base(), metaclass=meta()):",
    "if TYPE_CHECKING:",
    "if typing.TYPE_CHECKING:",
    "if cond():",
    "try:",
    "for a, (b, *c) in pairs():",
    "while running():",
    "with open(p) as stream, lock():",
    "with session() as (s, [t, *u]):",
    "match subject():",
]
FOLLOWERS = {
    "if": ["else:", "elif other():"],
    "try": ["except ImportError:", "except (ValueError, ModuleNotFoundError) as e:", "except:", "finally:"],
    "for": ["else:"],
    "while": ["else:"],
}
SIMPLE = [
    "import a.b as c",
    "from . import x",
    "from ..pkg.mod import (y as z, w)",
    "from m import *",
    "x = other.name",
    "x: int = compute(1)",
    "x += 1",
    "a, b = 1, f()",
    "a.b = c()",
    "__all__ = ['a', 'b']",
    "__all__ += ['c']",
    "__all__ += names()",
    "__all__.extend(['d'])",
    "__all__.append('e')",
    "__all__.append(name)",
    "global g1, g2",
    "print(f'{a(1)!r:>{width()}}')",
    "result = {**base(), 'k': [v() for v in vs if ok(v)]}",
    "fn = lambda q=d(): q.method()(e())",
    "obj.attr.call(x)[key()]",
    "raise Error(msg()) from cause()",
    "assert check(), explain()",
    "del items[index()]",
    "total = sum(x for x in gen(k) if (y := test(x)))",
    "warnings.warn('moved', DeprecationWarning)",
    "pass",
    '"""docstring"""',
]


@st.composite
def programs(draw: st.DrawFn, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 3 and draw(st.booleans()):
            header = draw(st.sampled_from(HEADERS))
            lines += [" " * 4 * depth + part for part in header.split("\n")]
            if header.startswith("match"):
                lines += [" " * 4 * (depth + 1) + draw(st.sampled_from(["case [a, *b] if g():", "case _:"]))]
                lines += draw(programs(depth + 2))
                continue
            lines += draw(programs(depth + 1))
            keyword = header.split()[0].rstrip(":")
            follower = draw(st.sampled_from([None, *FOLLOWERS.get(keyword, [])]))
            if keyword == "try" and follower is None:
                follower = "finally:"
            if follower:
                lines.append(" " * 4 * depth + follower)
                lines += draw(programs(depth + 1))
        else:
            lines.append(" " * 4 * depth + draw(st.sampled_from(SIMPLE)))
    return lines


@settings(max_examples=300, deadline=None)
@given(programs())
def test_the_collector_gives_the_reference_facts_on_generated_programs(lines):
    body = "\n".join(lines) + "\n"
    source = body + "class Outer:\n    def method(self):\n" + "".join("        " + line + "\n" for line in lines)
    tree = ast.parse(source)
    _assert_same_facts(tree, source)
