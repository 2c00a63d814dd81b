"""broken-import trusts a name the text binds (``evident_names``) without a parse, so a line that
only looks like an assignment must never count: ``X=1`` in column 0 inside brackets is a keyword
argument or a default, and an annotation alone (``X: "a=b"``, ``X: a <= b``) binds nothing, though
it holds an ``=``. Each form through the real CLI; the property test of
tests/test_evident_names_in_strings.py generates them too."""

from __future__ import annotations

import ast

import pytest
from conftest import run_cli

from importcanon.adapters.import_statements import evident_names

#: Module texts of ``pkg.m`` that bind no X at module level (each parses).
NOT_BOUND = {
    "keyword argument": "x = dict(\nX=1,\n)\n",
    "keyword argument after a comma": "print(1,\nX=2)\n",
    "after a comment": "print(  # a call\n# more\nX=2)\n",
    "default": "def f(\nX=1):\n    pass\n",
    "keyword argument in a block": "if True:\n    print(\n    X=1)\n",
    "crlf and a form feed": "\f\r\nprint(\r\nX=1)\r\n",
    "annotation holding a string with =": 'X: "a=b"\n',
    "comparison as annotation": "a = b = 1\nX: a <= b\n",
    "call with a keyword as annotation": "def f(default=0):\n    pass\n\n\nX: f(default=1)\n",
}


@pytest.mark.parametrize("module_text", list(NOT_BOUND.values()), ids=list(NOT_BOUND))
def test_a_name_only_an_argument_or_an_annotation_names_is_a_broken_import(project, module_text: str):
    ast.parse(module_text)
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/m.py": module_text,
            "pkg/use.py": "from pkg.m import X\n",
            "contracts/importcanon.toml": '[settings]\nroot_packages = ["pkg"]\n[cycles]\n',
        }
    )

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert [(f["path"], f["line"], f["name"]) for f in run.findings("broken-import")] == [("pkg/use.py", 1, "X")]
    assert "X" not in evident_names(module_text)


@pytest.mark.parametrize(
    "module_text",
    [
        "print(\n1)\nX = 1\n",
        "x = [1,\n2]  # done\nX = 1\n",
        "X: dict[str, list[int]] = {}\n",
        'X: Literal["a=b"] = "a=b"\n',
        "if True:\n    print(\n        1)\n    X = 1\n",
    ],
)
def test_an_assignment_after_closed_brackets_is_evident(module_text: str):
    assert "X" in evident_names(module_text)


def test_from_dots_import_a_name_that_starts_with_import_is_that_name():
    """``from . import importer`` read as module ``import`` then ``import er``: ``er`` was taken
    for a bound name (homeassistant's blueprint websocket_api), ``importer`` was not."""
    from importcanon.adapters.import_statements import text_imports

    text = "from . import importer, models\nfrom pkg import imported as what\n"

    assert [(row.level, row.module, row.names) for row in text_imports(text)] == [
        (1, None, (("importer", None), ("models", None))),
        (0, "pkg", (("imported", "what"),)),
    ]
    assert evident_names(text) == {"importer", "models", "what"}


def test_the_arguments_of_a_block_header_over_lines_bind_nothing():
    """``with DAG(`` then ``    dag_id="x",``: the header's arguments, not the block's body
    (airflow's example DAGs)."""
    text = 'with DAG(\n    dag_id="x",\n    schedule=None,\n) as dag:\n    t = 1\nif x:\n    Y = 1\n'
    ast.parse(text)

    assert evident_names(text) == {"Y"}
