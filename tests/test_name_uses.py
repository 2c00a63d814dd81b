"""A file the text shows to neither import nor call a name is one the parser finds no such use in.

``adapters/name_uses.py`` spares the deprecated-usage analysis the parse of a file whose every
occurrence of a deprecated name is an attribute followed by the end of an element (``cv.name,``).
Held here against ``ast`` on generated sources full of the shapes a text reading can misjudge
(calls across lines, through brackets, after comments and backslashes; names in strings,
f-strings, decorators, imports; spellings beyond ASCII), and the analysis's findings against
those of the parse of every file.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.adapters.loading import ScanOptions, load_project
from importcanon.adapters.name_uses import may_import_or_call, may_rebind_to
from importcanon.adapters.parsing import module_facts
from importcanon.application.analyses.deprecated import find_deprecated_usages
from importcanon.application.symbols import Resolver
from importcanon.domain.contracts import Deprecated, Origin

NAME = "Target"

#: Statements naming ``Target``: uses of every kind, and attributes in every place one can stand.
PIECES = [
    "x = home.Target,",
    "CHECK = vol.All(home.Target, [home.other])",
    "SCHEMA = vol.Schema(\n    {\n        key: home.Target,\n    }\n)",
    "items = [home.Target]",
    "mapping = {home.Target: 1}",
    "mapping = {1: home.Target}",
    "value = home.Target; other = 1",
    "home.Target = replacement",
    "same = home.Target == other",
    "field: home.Target = None",
    "part = items[home.Target:]",
    "f(key=home.Target)",
    "when = attr.ib(factory=home.Target)",
    "home.Target()",
    "home.Target ()",
    "home.Target\t(1)",
    "(home.Target)(1)",
    "call = (home.Target\n    )()",
    "later = [home.Target\n    (1)]",
    "later = [home.Target  # a comment, then\n    (1)]",
    "later = home.Target \\\n    (1)",
    "home.Target.sub()",
    "home.Target.sub,",
    "home . Target()",
    "home.\\\nTarget()",
    "Target()",
    "Target,",
    "Target.sub()",
    "print(Target)",
    "from pkg.home import Target",
    "from pkg.home import (\n    Other,\n    Target,\n)",
    "from pkg.home import Target as Renamed",
    "from . import Target",
    "import pkg.home.Target",
    "@home.Target\ndef decorated():\n    pass",
    "@home.Target(1)\ndef decorated():\n    pass",
    "def function():\n    return home.Target()",
    "def function(when=home.Target):\n    pass",
    "text = 'home.Target()'",
    "text = f'{home.Target()}'",
    "text = f'{home.Target:,}'",
    "text = f'{home.Target!r}'",
    "# home.Target()",
    "doc = '''\nhome.Target(\n'''",
    "home.Ｔarget()",
    "home.Ｔarget,",
    "lambda: home.Target",
    "TargetLike(); home.TargetLike()",
    "Alias = home.Target",
    "Alias = (\n    home.Target\n)",
    "Alias = home.Target  # a comment",
    "Alias = home.Target; x = 1",
    "Alias: T = home.Target",
    "A = B = home.Target",
    "Alias = home.Target.sub",
    "Alias = Target",
    "Alias = (Target)",
    "Alias = (Target,)",
    "Alias = Target == other",
    "Alias = Target[0]",
    "if flag:\n    Alias = home.Target",
    "from pkg.home import Target as Made",
    "from pkg.home import (\n    Target\n    as Made,\n)",
    "from pkg.home import (Other, Target as Made)",
    "from pkg.home import Target \\\n    as Made",
    "try:\n    from pkg.home import Target as Made\nexcept ImportError:\n    pass",
    "import pkg.home.Target as Module",
    "import pkg.home, Target",
    "import pkg.home.Target",
    "Made()",
    "Alias()",
    "warn(\n    'deprecated',\n    Target,\n)",
    "warn('deprecated', category=home.Target)",
    "def default(x=home.Target):\n    pass",
    "# Target = home.Target",
    "x = '# no comment'; Alias = home.Target",
]


def _uses_in_parse(text: str) -> bool:
    """Whether the parse holds a ``from m import Target`` or a call of a dotted name with it as a part."""
    facts = module_facts(ast.parse(text), with_calls=True)
    calls = any(NAME in call.callee.split(".") for call in facts.calls or ())
    imports = any(
        name == NAME
        for statement in facts.imports
        if statement.module is not None or statement.level
        for name, _ in statement.names
    )
    return calls or imports


def _rebinds_in_parse(text: str) -> bool:
    """Whether a module-level binding of the parse binds another name to one written with
    ``Target`` (what ``aliases_of`` follows): ``other = a.Target``, ``from m import Target as other``."""
    facts = module_facts(ast.parse(text))
    aliases = any(binding.source and NAME in binding.source.split(".") for binding in facts.bindings)
    imports = any(
        name == NAME and alias
        for statement in facts.imports
        if statement.scope == 0 and (statement.module is not None or statement.level)
        for name, alias in statement.names
    )
    return aliases or imports


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4))
def test_text_that_shows_no_rebinding_to_a_name_holds_none_to_the_parser(pieces):
    text = "\n".join(pieces) + "\n"
    try:
        ast.parse(text)
    except SyntaxError:
        return
    if not may_rebind_to(text.encode(), NAME):
        assert not _rebinds_in_parse(text), text


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4))
def test_text_that_shows_no_import_nor_call_of_a_name_holds_none_to_the_parser(pieces):
    text = "\n".join(pieces) + "\n"
    try:
        ast.parse(text)
    except SyntaxError:
        return
    if not may_import_or_call(text.encode(), [NAME]):
        assert not _uses_in_parse(text), text


def test_attributes_that_end_an_element_are_no_use_and_every_other_occurrence_may_be():
    harmless = "SCHEMA = vol.Schema({key: vol.All(home.Target, [home.other])})\nDEFAULT = home.Target\n"
    assert not may_import_or_call(harmless.replace("DEFAULT = home.Target\n", "").encode(), [NAME])
    assert may_import_or_call(harmless.encode(), [NAME])  # at the end of a line: a call may follow on the next
    assert not may_import_or_call(b"x = home.TargetLike()\n", [NAME])  # another name
    assert not may_import_or_call(b"x = home.Target, home.Other()\n", [NAME, "Alias"])
    assert may_import_or_call(b"x = home.Target, Alias()\n", [NAME, "Alias"])
    assert may_import_or_call("x = home.Target,  # é\n".encode(), [NAME])  # beyond ASCII: any spelling
    shapes = [piece for piece in PIECES if may_import_or_call(piece.encode(), [NAME])]
    assert len(shapes) < len(PIECES) - 10  # the reading is no no-op


ORIGIN = Origin("contracts/c.toml", 1)
PROJECT = {
    "pkg/__init__.py": "",
    "pkg/home.py": "def Target():\n    pass\n\n\ndef Other():\n    pass\n",
    "pkg/other.py": "from pkg.home import Target\n",
}


class _ParsingEveryUser:
    """The project's facts with every file that mentions a name left to the parser, and every
    one that may rebind it by the mentions' roles read by the parser too."""

    def __init__(self, facts: Any) -> None:
        self._facts = facts

    def __getattr__(self, name: str) -> Any:
        return getattr(self._facts, name)

    def may_import_or_call(self, module: str, names: frozenset[str]) -> bool:
        return True

    def may_use(self, names: frozenset[str]) -> set[str]:
        """Every module where a name may be imported or called by the roles of its mentions:
        none is ruled out by ``may_import_or_call``'s reading of the whole text."""
        return {
            module
            for name in names
            for module, mention in self._facts.mentions(name).items()
            if mention.imports or mention.imports_from or mention.calls
        }

    def may_rebind(self, module: str, name: str) -> bool:
        return True


def _findings(root: Path, *, parse_every_user: bool) -> list[tuple[Any, ...]]:
    project, _ = load_project(root, ["pkg"], [], ScanOptions(), None)
    if parse_every_user:
        project.facts = _ParsingEveryUser(project.facts)  # type: ignore[assignment]
    found = find_deprecated_usages(Resolver(project), [Deprecated("pkg.home.Target", "pkg.home.Other", ORIGIN)])
    return sorted((f.rule, f.path, f.line, f.fingerprint, f.message, f.suggestion, repr(f.details)) for f in found)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4), st.sampled_from(["from pkg import home", ""]))
def test_deprecated_usages_are_those_found_by_parsing_every_file_that_mentions_the_name(
    project: Callable[[Mapping[str, str]], Path], pieces, header
):
    text = "\n".join([header, "import vol", "import attr", *pieces]) + "\n"
    try:
        ast.parse(text)
    except SyntaxError:
        return
    # The aliases the pieces may bind, used where only a rebinding found makes them the name's.
    consumer = "from pkg.user import Alias, Made, A, B\nAlias()\nMade()\nB()\n"
    root = project(
        {**PROJECT, "pkg/user.py": text, "pkg/second.py": text.replace("home", "other"), "pkg/consumer.py": consumer}
    )
    assert _findings(root, parse_every_user=False) == _findings(root, parse_every_user=True)


def test_a_file_whose_mentions_are_attributes_ending_elements_is_not_parsed_and_others_are(project):
    users = {
        "pkg/schema.py": "from pkg import home\nimport vol\nCHECK = vol.All(\n    home.Target,\n    [home.Other],\n)\n",
        "pkg/caller.py": "from pkg import home\nimport vol\nCHECK = vol.All(\n    home.Target,\n)\nhome.Target()\n",
    }
    root = project({**PROJECT, **users})
    project_facts, _ = load_project(root, ["pkg"], [], ScanOptions(), None)
    found = find_deprecated_usages(Resolver(project_facts), [Deprecated("pkg.home.Target", "pkg.home.Other", ORIGIN)])
    assert sorted((f.path, f.line, f.details["usage"]) for f in found) == [
        ("pkg/caller.py", 6, "call"),
        ("pkg/other.py", 1, "import"),
    ]
    parsed = project_facts.facts._parsed  # type: ignore[attr-defined]
    assert "pkg.caller" in parsed and "pkg.schema" not in parsed
    assert _findings(root, parse_every_user=False) == _findings(root, parse_every_user=True)


def test_names_that_end_an_element_a_statement_or_an_import_are_no_rebinding():
    assert not may_rebind_to(b"warn(\n    'x',\n    Target,\n)\n", NAME)
    assert not may_rebind_to(b"from pkg.home import Target\nwarn('x', category=home.Target)\n", NAME)
    assert not may_rebind_to(b"import pkg.home.Target  # why\n# Alias = Target\n", NAME)
    assert may_rebind_to(b"Alias = home.Target\n", NAME)
    assert may_rebind_to(b"from pkg.home import (\n    Target\n    as Made,\n)\n", NAME)
    assert may_rebind_to(b"Alias = (Target)\n", NAME)
    assert may_rebind_to("x = Target,  # é\n".encode(), NAME)
