"""The text reading that spares broken-import a parse of every file: it claims a name bound only
on plain evidence, and reads every import statement that starts a line."""

from __future__ import annotations

import textwrap

from importcanon.adapters.import_statements import evident_names, text_imports
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
