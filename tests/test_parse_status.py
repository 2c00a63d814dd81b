"""A file's parse status is the file's, whatever the question: readings that answer in place of
the full parse (a parse with idle bodies stubbed out, the text readers of module-level
statements and of a name's roles) answer only for text this Python certainly parses plainly.

Found by review, each case compared with the session-start code's findings: syntax newer than
3.11 in a body that stubbing would cut (its lines then come from libcst), a file Python cannot
parse (nested 201 brackets deep, an expression too deep to build: a warning, no finding from
inside it), and names spelled beyond ASCII, which Python reads as their NFKC form.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli, write_project
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.kinds import LITERALS
from importcanon.adapters.plain_syntax import reads_plainly

BASE = {
    "app/__init__.py": "",
    "app/core/__init__.py": "",
    "app/core/session.py": "class SessionManager:\n    pass\n\n\ndef make():\n    return SessionManager()\n",
    "app/core/factory.py": (
        "from app.core.session import SessionManager\n\n\ndef get_factory():\n    return SessionManager\n"
    ),
    "app/core/conn.py": "class Conn:\n    pass\n",
    "app/old/__init__.py": "from app.core.session import SessionManager\n",
    "app/old/conn.py": "from app.core.conn import Conn\nfrom app.core.session import SessionManager\n",
    "contracts/c.toml": """
        [settings]
        root_packages = ["app"]

        [[canonical]]
        symbol = "SessionManager"
        module = "app.core.session"

        [[legacy]]
        package = "app.old"
        replacement = "app.core"

        [[deprecated]]
        name = "app.core.factory.get_factory"
        replacement = "app.core.session.SessionManager"
    """,
}
DEEP = "(" * 201 + "1" + ")" * 201


def _check(tmp_path: Path, files: Mapping[str, str]) -> dict[str, Any]:
    root = write_project(tmp_path / "project", {**BASE, **files})
    result = run_cli("check", root, "--no-cache", "--no-baseline", "--format", "json")
    assert result.exit_code == 1, result.stdout
    return result.json


def _found(report: dict[str, Any], rule: str, path: str) -> list[tuple[int, str, str]]:
    found = [f for f in report["findings"] if f["rule"] == rule and f["path"] == path]
    return sorted((f["line"], f["message"], f["suggestion"]) for f in found)


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("def a():\n    type X = int\n    return 1\n", [1, 10, 15]),  # PEP 695 (3.12)
        ("def a(lines):\n    return f\"{'\\n'.join(lines)}\"\n", [1, 9, 14]),  # PEP 701 (3.12)
    ],
)
def test_a_body_with_newer_syntax_is_not_stubbed_away_from_the_full_parse(tmp_path, body, lines):
    """The full parse goes through libcst, whose rewrite keeps every line: the calls below the
    body are where they are (a stubbed parse of the rest used to succeed, a line off)."""
    use = (
        "from app.core.factory import get_factory\n\n\n" + body + "\n\n"
        'def b():\n    return f"""\n{get_factory()}"""\n\n\n'
        'def c():\n    return f"""x\ny {get_factory()\n}"""\n'
    )
    report = _check(tmp_path, {"app/use.py": use})
    assert [line for line, _, _ in _found(report, "deprecated-usage", "app/use.py")] == lines


@pytest.mark.parametrize(
    ("deep", "reason"),
    [
        (f"def deep():\n    return {DEEP}\n", "too many nested parentheses"),
        ("def table():\n    return (1\n" + "        + 1\n" * 3000 + "    )\n", "RecursionError"),
    ],
)
def test_a_file_python_cannot_parse_yields_a_warning_not_the_findings_of_a_stubbed_parse(tmp_path, deep, reason):
    user = "from app.core import factory\n\n\n" + deep + "\n\ndef use():\n    return factory.get_factory()\n"
    report = _check(tmp_path, {"app/user.py": user})
    assert _found(report, "deprecated-usage", "app/user.py") == []
    assert [w for w in report["warnings"] if w.startswith("app/user.py:") and "neither Python" in w and reason in w]


def test_legacy_imports_of_a_file_python_cannot_parse_are_not_read_from_its_text(tmp_path):
    user = f"from app.old.conn import Conn\nimport app.old.conn as oc\n\nx = {DEEP}\n"
    report = _check(tmp_path, {"app/user.py": user})
    coarse = (
        "imports from app.old, inside the legacy package app.old (module-level import); its code lives in app.core now",
        "Import from app.core instead.",
    )
    assert _found(report, "legacy-import", "app/user.py") == [(1, *coarse), (2, *coarse)]


def test_canonical_imports_of_a_file_python_cannot_parse_are_not_read_from_its_text(tmp_path):
    files = {
        "app/other.py": "from app.core.session import SessionManager\n",
        "app/user.py": f"from app.other import SessionManager as SM\n\nx = {DEEP}\n",
    }
    report = _check(tmp_path, files)
    assert _found(report, "non-canonical-import", "app/user.py") == []
    assert any(w.startswith("app/user.py:3:") for w in report["warnings"])


def test_names_spelled_beyond_ascii_are_the_parser_s_names(tmp_path):
    """``Ｓ`` (fullwidth) in code is ``S`` to Python: an import, a binding and an alias of it."""
    files = {
        "app/other.py": "from app.core.session import SessionManager\n",
        "app/n1.py": "from app.other import SessionManager as SM\nfrom app.other import \uff33essionManager as SM2\n",
        "app/n2.py": "from app.other import SessionManager as SM\n\uff33essionManager = int\n",
        "app/al.py": "from app.core.factory import get_factory\n\n\ngf = \uff47et_factory\n",
        "app/user.py": "from app.al import gf\n\n\ndef run():\n    return gf()\n",
        "app/empty.py": "X = 1\n",
        "app/defs.py": "class \uff37idget:\n    pass\n\n\nprint(Widget)\n",
        "app/broken.py": "from app.empty import Widget\n",
    }
    report = _check(tmp_path, files)
    assert [line for line, _, _ in _found(report, "non-canonical-import", "app/n1.py")] == [1, 2]
    assert [line for line, _, _ in _found(report, "alias-divergence", "app/n2.py")] == [2]
    assert [line for line, _, _ in _found(report, "deprecated-usage", "app/user.py")] == [1, 5]
    [(_, _, suggestion)] = _found(report, "broken-import", "app/broken.py")
    assert suggestion == "Import it from where it lives: from app.defs import Widget."


REFUSED = [
    "x = f\"{'\\n'.join(y)}\"\n",
    "x = f'{y # no\n}'\n",
    "type X = int\n",
    "type X[T] = list[T]\n",
    "def f[T](x: T) -> T:\n    return x\n",
    "class C[T]:\n    pass\n",
    "try:\n    pass\nexcept A, B:\n    pass\n",
    "try:\n    pass\nexcept (A), B:\n    pass\n",
    "x = t'{y}'\n",
    "x = f'{f'{y}'}'\n",
    f"x = {DEEP}\n",
    "x = (1\n" + "    + 1\n" * 3000 + ")\n",
    "x = " + "-" * 3000 + "1\n",
    "x = (" + "1, " * 1000 + "-" * 3000 + "1)\n",  # a long logical line: its deepest element counts
    "".join(" " * depth + "if x:\n" for depth in range(100)) + " " * 100 + "pass\n",
]


@pytest.mark.parametrize("text", REFUSED)
def test_the_screen_refuses_what_this_python_may_not_parse(text):
    assert not reads_plainly(LITERALS.split(text))


@pytest.mark.parametrize(
    "text",
    [
        "x = f'a\\n{y}\\t'\n",
        "type = 3\nok = x.type in [1, 2]\n",
        "try:\n    pass\nexcept (A, B):\n    pass\nexcept (\n    C,\n    D,\n):\n    pass\n",
        "x = exceptions, y\n",
        "x = " + "(" * 99 + "1" + ")" * 99 + "\n",
        "x = (1\n" + "    + 1\n" * 900 + ")\n",
        'x = """' + "a, b\n" * 3000 + '"""\n',
        "x = (" + "1, " * 1000 + ")\n",
        "SENSORS = (\n" + "    Sensor(key='a', name=f'{b}', unit=Unit.C, scale=-1 + 2),\n" * 200 + ")\n",
    ],
)
def test_the_screen_accepts_plain_text(text):
    ast.parse(text)
    assert reads_plainly(LITERALS.split(text))


def test_every_refused_example_indeed_fails_to_parse_here():
    for text in REFUSED:
        with pytest.raises((SyntaxError, RecursionError, MemoryError)):
            ast.parse(text)


#: Ways to nest an expression one level deeper: (opening, closing).
NESTINGS = [("-", ""), ("not ", ""), ("1 + ", ""), ("(", ")"), ("[", "]"), ("f(", ")"), ("lambda: ", ""), ("a[", "]")]


@st.composite
def deep_expressions(draw: st.DrawFn) -> str:
    """An expression nested by a few runs of one construct each, up to past Python's limits."""
    expression = "x"
    for _ in range(draw(st.integers(1, 3))):
        opening, closing = draw(st.sampled_from(NESTINGS))
        count = draw(st.integers(0, 3100 if not closing else 210))
        expression = opening * count + "(" + expression + ")" + closing * count
    return expression


@settings(max_examples=150, deadline=None)
@given(
    deep_expressions(),
    st.sampled_from(["x = {}\n", "def f():\n    return {}\n", "y = (\n    {}\n)\n", "z = (" + "0, " * 700 + "[{}])\n"]),
)
def test_what_the_screen_accepts_this_python_parses(expression, template):
    text = "import os\n" + template.format(expression)
    if reads_plainly(LITERALS.split(text)):
        ast.parse(text)
