"""Plain imports told from the text, no parse: exactly what the parser says, or no answer.

The canonical-homes and deprecated-usage analyses skip the parse of a module whose only mentions
of a name are plain ``from x import Name`` statements that the text shows to be module-level
(``Mention.module_level_imports``), and so does ``where``. These tests hold that reading to the
parser's, over sources with the shapes that can fool a text scan, and the analyses' findings
and ``where`` report to those of the parse path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.adapters.loading import ScanOptions, load_project
from importcanon.adapters.mentions import BINDS, IMPORTS, scan_mentions, top_level_facts
from importcanon.adapters.parsing import parse_module
from importcanon.application.analyses.canonical import check_canonical_homes
from importcanon.application.analyses.deprecated import find_deprecated_usages
from importcanon.application.analyses.legacy import find_legacy_imports
from importcanon.application.ports import Mention
from importcanon.application.symbols import Resolver
from importcanon.application.where import where
from importcanon.domain.contracts import Canonical, ContractSet, Deprecated, Legacy, Origin
from importcanon.domain.facts import ImportKind

NAME = "Target"

#: Pieces of a module: plain imports in every position a text scan can misread (inside strings
#: whose quotes a naive count gets wrong, after a backslash, inside blocks, beside a ``;``, with
#: other line endings), and the other uses of the name that must send the module to the parser.
PIECES = [
    "from pkg.other import Target",
    "from pkg.home import Target",
    "from pkg.other import Other, Target",
    "from pkg.other import Target, Target",
    "from . import Target",
    "from .sibling import Target",
    "from pkg.other import Target  # a comment",
    "from pkg.other import Target; x = 1",
    "from pkg.other import Target; x = '(\\n'",
    "from pkg.other import (\n    Other,\n    Target,\n)",
    "from pkg.other import (Other,\n    Target); setup()",
    "from pkg.other import Other, \\\n    Target",
    "from pkg.other \\\n    import Target",
    "if flag: \\\nfrom pkg.other import Target",
    "if TYPE_CHECKING: \\\nfrom pkg.other import Target",
    "if TYPE_CHECKING:\n    from pkg.other import Target",
    "try:\n    from pkg.other import Target\nexcept ImportError:\n    Target = None",
    "def g():\n    from pkg.other import Target\n    return Target()",
    "class C:\n    from pkg.other import Target",
    "'''\nfrom pkg.other import Target\n'''",
    "x = '''\n# '''\nfrom pkg.other import Target",
    "s = \"'''\"\nx = '''\nfrom pkg.other import Target\n'''",
    '# """\nx = """\nfrom pkg.other import Target\n"""',
    "x = 'a\\\nfrom pkg.other import Target'",
    "x = 1\ry = 2",
    "# a comment\rfrom pkg.other import Target",
    "from pkg.other import Target as Renamed",
    "from pkg.other import Other as Target",
    "Target = 1",
    "def g():\n    global Target",
    "def g():\n    Target = 1\n    return Target",
    "Renamed = Target",
    "def g():\n    Renamed = Target\n    return Renamed()",
    "class C:\n    Target = 2",
    "for Target in range(2):\n    pass",
    "x = 1  # Target = 3",
    "value = Target()",
    "print(Target)",
    "x = [\n    1,\n]",
    "__all__ = ['Target']",
    "__all__ = ('Other',)",
    "__all__ = [\n    'Other',  # a comment\n    'Tar' 'get',\n]",
    "__all__ = ['Target'] + extra",
    "__all__: list = ['Target']",
    "__all__ += ['Target']",
    "__all__ = [Target]",
    "setup(\n__all__=['Target']\n)",
    "x = '''\n__all__ = ['Other']\n'''",
    "def function():\n    pass",
    "class Klass:\n    pass",
    "s = '''\ndef function():\n'''",
]


def _text(pieces: list[str], crlf: bool) -> str:
    text = "\n".join(pieces) + "\n"
    return text.replace("\n", "\r\n") if crlf else text


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=5), st.booleans())
def test_a_located_plain_import_is_the_module_level_statement_the_parser_finds(pieces, crlf):
    text = _text(pieces, crlf)
    try:
        parsed = parse_module(text, "module.py")
    except SyntaxError:
        return
    roles, located = scan_mentions(text.encode(), NAME)
    statements = {statement.line: statement for statement in parsed.imports}
    for level, module, line in located:
        if line:
            statement = statements.get(line)
            assert statement is not None, text
            assert (statement.kind, statement.scope, statement.conditional) == (ImportKind.MODULE, 0, False), text
            assert (statement.level, statement.module or "") == (level, module), text
            assert (NAME, None) in statement.names, text
    if roles & (IMPORTS | BINDS) or not all(line for _, _, line in located):
        return
    # Decided by the text: every import of the name is one of these, and nothing else binds it.
    expected = sorted(
        (statement.line, statement.level, statement.module or "")
        for statement in parsed.imports
        for name, alias in statement.names
        if NAME in (name, alias) and (statement.module is not None or statement.level)
    )
    assert expected == sorted((line, level, module) for level, module, line in located), text
    assert not any(binding.name == NAME for binding in parsed.bindings), text


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=5), st.booleans())
def test_all_and_top_level_definitions_read_from_the_text_are_the_parser_s(pieces, crlf):
    text = _text(pieces, crlf)
    try:
        parsed = parse_module(text, "module.py")
    except SyntaxError:
        return
    facts = top_level_facts(text.encode())
    if facts is not None:
        declared, defines = facts
        assert declared == parsed.all_names, text
        assert not (defines and parsed.shim_shaped), text


class _ParsingOnly:
    """The project's facts with every module-level import and binding left to the parser: the slow path."""

    def __init__(self, facts: Any) -> None:
        self._facts = facts

    def __getattr__(self, name: str) -> Any:
        return getattr(self._facts, name)

    def mentions(self, needle: str) -> Mapping[str, Mention]:
        found = self._facts.mentions(needle)
        return {module: mention._replace(module_level_imports=None) for module, mention in found.items()}

    def top_level(self, module: str) -> None:
        return None

    def may_bind_apart_from_imports(self, module: str, name: str) -> bool:
        return True

    def may_rebind(self, module: str, name: str) -> bool:
        return True

    def imports_at(self, module: str, line: int) -> None:
        return None

    def imports_of(self, module: str, name: str) -> None:
        return None


ORIGIN = Origin("contracts/c.toml", 1)

PROJECT = {
    "pkg/__init__.py": "",
    "pkg/home.py": "class Target:\n    pass\n\n\ndef Other():\n    pass\n",
    "pkg/other.py": "from pkg.home import Target, Other\n",
    "pkg/sibling.py": "Target = 3\nOther = 4\n",
    "pkg/users/__init__.py": "",
    "pkg/users/sibling.py": "from pkg.home import Target, Other\n",
    "pkg/consumer.py": "from pkg.users.twin import Target\nfrom pkg.users.pack import Target as T\n",
}


def _findings(root: Path, slow: bool) -> list[tuple[Any, ...]]:
    project, _ = load_project(root, ["pkg"], [], ScanOptions(), None)
    if slow:
        project.facts = _ParsingOnly(project.facts)  # type: ignore[assignment]
    resolver = Resolver(project)
    canonical = Canonical(NAME, "pkg.home", ORIGIN)
    found = check_canonical_homes(resolver, [canonical], [])
    found += find_deprecated_usages(resolver, [Deprecated("pkg.home.Target", "pkg.other.Target", ORIGIN)])
    found += find_legacy_imports(resolver, ContractSet(legacy=(Legacy("pkg.other", "pkg.home", ORIGIN),)))
    report = where(resolver, ContractSet(canonical=(canonical,)), NAME)
    return [
        *sorted((f.rule, f.path, f.line, f.fingerprint, f.message, f.suggestion, repr(f.details)) for f in found),
        report,
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4), st.booleans())
def test_findings_from_the_text_are_those_of_the_parse(project: Callable[[Mapping[str, str]], Path], pieces, crlf):
    text = _text(pieces, crlf).replace("import Target as Renamed", "import Other as Renamed")
    try:
        parse_module(text, "user.py")
    except SyntaxError:
        return
    root = project({**PROJECT, "pkg/users/user.py": "", "pkg/users/twin.py": "", "pkg/users/pack/__init__.py": ""})
    for relative in ("pkg/users/user.py", "pkg/users/twin.py", "pkg/users/pack/__init__.py"):
        (root / relative).write_bytes(text.encode())
    assert _findings(root, slow=False) == _findings(root, slow=True)


DEFERRED_PIECES = [
    "def g(): from pkg.other import Target",
    "async def g():\n    if x:\n        from pkg.other import Target",
    "class C:\n    def f(self):\n        import pkg.other",
    "def g():\n    x = (\n1)\n    from pkg import other",
    "def g():\n    try:\n        import pkg.other\n    except ImportError:\n        pass",
    "@decorator\ndef g():\n    from pkg.other import Target; import pkg",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES + DEFERRED_PIECES), min_size=1, max_size=5), st.booleans())
def test_no_deferred_import_is_read_from_the_text(project: Callable[[Mapping[str, str]], Path], pieces, crlf):
    """legacy-import does not read the text of an import whose kind is deferred (in a function):
    the text never tells such a statement (``imports_at`` has no answer), the parse does."""
    text = _text(pieces, crlf)
    root = project({"pkg/__init__.py": "", "pkg/other.py": "Target = 1\n", "pkg/user.py": ""})
    (root / "pkg/user.py").write_bytes(text.encode())
    loaded, _ = load_project(root, ["pkg"], [], ScanOptions(), None)
    for imported in ("pkg", "pkg.other"):
        for site in loaded.sites("pkg.user", imported):
            if site.kind is ImportKind.DEFERRED:
                assert loaded.facts.imports_at("pkg.user", site.line) is None, (site, text)
