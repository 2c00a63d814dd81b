"""broken-import trusts a name the text binds (``evident_names``) without a parse, so a line that
only looks like a binding, inside a string that spans lines, must never count: a docstring's
``X = 1`` made ``from m import X`` pass though m has no X. Each form through the real CLI, and a
property test with ``ast`` as the oracle of what a module binds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.import_statements import evident_names
from importcanon.adapters.spanning_literals import fold_spanning_literals

#: Module texts of ``pkg.m`` that bind no X, Y or Z at module level (each parses), though a line
#: of each, read alone, binds one in column 0 or one level inside a top-level block.
NOT_BOUND = {
    "docstring": '"""Docs.\n\nExample:\n\nX = 1\n"""\n\n\ndef f():\n    pass\n',
    "class": '"""\nclass X:\n    pass\n"""\n',
    "def": "'''\ndef X():\n    pass\n'''\n",
    "import": '"""\nimport X\n"""\n',
    "from import": '"""\nfrom os import X\n"""\n',
    "unpacking": 'text = """\nX, Y = 1, 2\n"""\n',
    "block body": 'if True:\n    y = """\n    X = 1\n"""\n',
    "try body": 'try:\n    y = """\n    X = 1\n"""\nexcept ImportError:\n    pass\n',
    "block header in a string": '"""\nif True:\n    X = 1\n"""\n',
    "single quotes, backslash-newline": "y = 'a\\\nX = 1'\n",
    "triple quotes, backslash-newline": 'y = """a\\\nX = 1"""\n',
    "bytes": 'y = b"""\nX = 1\n"""\n',
    "raw": "y = r'''\\\nX = 1\n'''\n",
    "f-string": 'v = 1\ny = f"""{v}\nX = {v}\n"""\n',
    "raw f-string with a field over lines": 'v = 1\ny = rf"""{\nv}\nX = 1\n"""\n',
    "crlf": 'y = """\r\nX = 1\r\n"""\r\n',
    "lone carriage returns": 'y = """\rX = 1\r"""\r',
    "form feed in a string": 'y = "a\fX = 1"\n',
    "line separator in a string": 'y = "a\u2028X = 1"\n',
    "file separator in a comment": "y = 1  # a\x1cX = 1\n",
    "vertical tab in a docstring": '"""a\vX = 1"""\n',
    # Braces this reading cannot pair in an f-string's field: the strings after it cannot be
    # told, and nothing read after it is trusted.
    "f-string not told plainly": "d = {}\ny = f\"{d['}']}\" + '''\nX = 1\n'''\n",
}


def _write_project(root: Path, module_text: str) -> Path:
    files = {
        "pkg/__init__.py": "",
        "pkg/m.py": module_text,
        "pkg/use.py": "from pkg.m import X\n",
        "contracts/importcanon.toml": '[settings]\nroot_packages = ["pkg"]\n[cycles]\n',
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())  # as written: no line ending translated
    return root


@pytest.mark.parametrize("module_text", list(NOT_BOUND.values()), ids=list(NOT_BOUND))
def test_a_name_bound_only_inside_a_string_is_a_broken_import(tmp_path: Path, module_text: str):
    ast.parse(module_text)  # a module Python reads, with no X at module level
    root = _write_project(tmp_path, module_text)

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert [(f["path"], f["line"], f["name"]) for f in run.findings("broken-import")] == [("pkg/use.py", 1, "X")]
    assert "X" not in evident_names(module_text)


@pytest.mark.parametrize(
    "module_text",
    [
        'X = """\nY = 1\n"""\n',
        '"""Docs."""\nX = 1\n',
        '"""\nDocs.\n"""\n\nX = 1\n',
        'if True:\n    y = """\n    Y = 1\n"""\n    X = 1\n',
        "y = 'a\\\nb'\nX = 1\n",
        'y = """\r\nZ\r\n"""\r\nX = 1\r\n',
        'y = f"""{1}\n"""\nX = 1\n',
    ],
)
def test_a_name_bound_by_code_after_a_string_is_still_evident(tmp_path: Path, module_text: str):
    root = _write_project(tmp_path, module_text)

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert run.findings("broken-import") == []
    assert "X" in evident_names(module_text)


def test_nothing_after_a_string_that_cannot_be_told_is_trusted():
    # Python 3.12 nests quotes of an f-string's own kind in its fields: where this one ends, and
    # so whether the lines below are code, the reading cannot tell.
    text = 'X = 1\ny = f"{d["k"]}" + """\nY = 1\n"""\nZ = 2\n'

    assert fold_spanning_literals(text) == "X = 1\ny = f"
    assert evident_names(text) == {"X", "y"}


def _bound_at_module_level(tree: ast.Module) -> set[str]:
    """Every name a statement at module level binds, in blocks too (not in def or class bodies):
    generous, so that the property below asks only that nothing else is claimed."""
    names: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        statement = pending.pop()
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
            continue
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            names.update(alias.asname or alias.name.split(".")[0] for alias in statement.names)
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                names.add(node.name)
        for field in ("body", "orelse", "finalbody", "handlers"):
            for inner in getattr(statement, field, ()):
                pending.extend(inner.body if isinstance(inner, ast.ExceptHandler) else [inner])
    return names


#: Lines that bind a name when they are code (column 0, or the first level of a block).
_BINDINGS = [
    "A = 1",
    "B, C = 1, 2",
    "(D, E) = 3, 4",
    "F: int = 5",
    "G = H = 6",
    "class K:\n    pass",
    "def L():\n    pass",
    "async def M():\n    pass",
    "import N",
    "import os.path as P",
    "from os import Q",
    "from . import R",
    "if True:\n    S = 1",
    "try:\n    T = 1\nexcept ImportError:\n    U = None",
    "for V in ():\n    W = 1",
    "with open(__file__) as handle:\n    Y = 1",
    'X: "a=b"',  # annotations that bind nothing, holding an = of their own
    "X: a <= b",
    "X: f(default=1)",
]
#: Strings and comments that a binding-like line may sit in: {} is the line (or lines).
_HIDING = [
    '"""\n{}\n"""',
    "'''\n{}\n'''",
    'x = """\n{}\n"""',
    'x = b"""\n{}\n"""',
    "x = rb'''\n{}\n'''",
    'x = f"""{{1}}\n{}\n"""',
    'x = Rf"""\n{}\n{{2}}"""',
    'if True:\n    x = """\n{}\n"""',
    'try:\n    x = """\n{}\n"""\nexcept ImportError:\n    pass',
    'x = """a\\\n{}\n"""',
    "x = '\\\n{}'",  # only for single lines: see _fits
    'x = "a\\\n{}"',
    "x = 'a\f{}'",
    'x = "a\u2028{}"',
    "# a\x1c{}",
    "#\v{}",
    'x = [\n    """\n{}\n""",\n]',
    'x = """{}""" if True else """\n{}\n"""',
    "x = dict(\n{}\n)",  # not strings: brackets, where X = 1 is a keyword argument or a default
    "foo(\n    1,  # (\n{}\n)",
    "def f(\n{}\n):\n    pass",
    "if True:\n    foo(\n    {}\n    )",
]
_BREAKS = st.sampled_from(["\n", "\n", "\r\n"])


def _fits(hiding: str, line: str) -> bool:
    """Whether ``line`` can sit in ``hiding`` (a comment or a string of one line holds no
    newline, and no quote)."""
    if "'''" in hiding or '"""' in hiding:
        return True
    return "\n" not in line and "'" not in line and '"' not in line


@st.composite
def _module_texts(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        binding = draw(st.sampled_from(_BINDINGS))
        if draw(st.booleans()):
            hiding = draw(st.sampled_from(_HIDING))
            if _fits(hiding, binding):
                indent = draw(st.sampled_from(["", "", "    "]))
                lines = "\n".join(indent + line for line in binding.split("\n"))
                binding = hiding.replace("{}", lines, 1).replace("{}", "Z = 0").replace("{{", "{").replace("}}", "}")
        pieces.append(binding)
    return draw(_BREAKS).join(pieces) + "\n"


@settings(max_examples=400, deadline=None)
@given(_module_texts())
def test_every_evident_name_is_bound_at_module_level_as_ast_reads_the_text(text: str):
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return  # ast is the oracle: a text it rejects says nothing
    assert evident_names(text) <= _bound_at_module_level(tree)
