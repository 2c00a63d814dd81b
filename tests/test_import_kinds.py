"""Import kinds: module, deferred, type-checking, guarded, told apart statically."""

from __future__ import annotations

import textwrap

from conftest import run_cli

from importcanon.adapters.parsing import parse_module
from importcanon.domain.facts import ImportKind

SOURCE = textwrap.dedent(
    """
    import os
    from typing import TYPE_CHECKING
    if TYPE_CHECKING:
        from pkg import typing_only
    try:
        import ujson as json
    except ImportError:
        import json
    try:
        from pkg import optional
    except (ValueError, ModuleNotFoundError):
        pass
    class Holder:
        from pkg import class_level


    def function():
        from pkg import deferred
        if TYPE_CHECKING:
            from pkg import both
        try:
            import pkg.inner
        except ImportError:
            pass
    async def coroutine():
        import pkg.async_deferred
    if os.name == "nt":
        import pkg.conditional
    """
)


def test_every_import_statement_gets_the_kind_of_the_context_it_runs_in():
    parsed = parse_module(SOURCE, "example.py")

    kinds = {statement.names[0][0]: statement.kind for statement in parsed.imports}

    assert kinds == {
        "os": ImportKind.MODULE,
        "TYPE_CHECKING": ImportKind.MODULE,
        "typing_only": ImportKind.TYPE_CHECKING,
        "ujson": ImportKind.GUARDED,
        "json": ImportKind.MODULE,  # the fallback in the handler runs unguarded
        "optional": ImportKind.GUARDED,
        "class_level": ImportKind.MODULE,  # a class body runs at import time
        "deferred": ImportKind.DEFERRED,
        "both": ImportKind.TYPE_CHECKING,
        "pkg.inner": ImportKind.DEFERRED,
        "pkg.async_deferred": ImportKind.DEFERRED,
        "pkg.conditional": ImportKind.MODULE,
    }


def test_function_scopes_are_numbered_and_module_level_is_scope_zero():
    parsed = parse_module(SOURCE, "example.py")

    scopes = {statement.names[0][0]: statement.scope for statement in parsed.imports}

    assert scopes["os"] == 0
    assert scopes["class_level"] != 0  # a class body is a scope of its own, though it runs at import time
    assert scopes["deferred"] == scopes["pkg.inner"] != 0
    assert scopes["pkg.async_deferred"] not in (0, scopes["deferred"])


def test_kinds_reach_the_report_through_the_line_scan_and_the_parse(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/low.py": """
                import typing
                import pkg.high
                if typing.TYPE_CHECKING:
                    import pkg.high
                def f():
                    import pkg.high
                x = 1; import pkg.high
                if typing.TYPE_CHECKING: import pkg.high
                def g(): import pkg.high
            """,
            "pkg/high.py": "",
            ".importlinter": """
                [importlinter]
                root_package = pkg

                [importlinter:contract:layers]
                name = Layers
                type = layers
                layers =
                    pkg.high
                    pkg.low
            """,
        }
    )

    (finding,) = run_cli("check", root, "--format", "json").findings("contract")

    assert finding["message"].splitlines()[1] == (
        "  pkg.low -> pkg.high (pkg/low.py: l.2 module, l.4 type-checking, l.6 deferred, l.7 module, "
        "l.8 type-checking, l.9 deferred)"
    )
