"""The text scan that decides which files to parse never denies a role the parser would find."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.mentions import ALIASES, BINDS, CALLS, IMPORTS, scan_mentions
from importcanon.adapters.parsing import parse_module

NAME = "Target"

#: Statements in which the name plays every role the analyses care about, in the shapes real code
#: writes them: one line or several, in brackets, after a backslash, nested in blocks, in strings.
STATEMENTS = [
    "from pkg.home import Target",
    "from pkg.home import Other, Target",
    "from pkg.other import Target",
    "from . import Target",
    "from .sibling import Target",
    "from ..up import Target",
    "from pkg.home import (\n    Other,\n    Target,\n)",
    "from pkg.home import (Other,\n    Target)",
    "from pkg.home import (  # a comment\n    Target,\n)",
    "from pkg.home import Other, \\\n    Target",
    "from pkg.home import Target as Renamed",
    "from pkg.home import Other as Target",
    "from pkg.home import (\n    Other as Target,\n)",
    "import Target",
    "import pkg.Target",
    "import pkg.Target as Renamed",
    "import pkg.home as Target",
    "Target = 1",
    "Target: int = 1",
    "Target: int",
    "Target += 1",
    "Target = Other = 2",
    "Other, Target = 1, 2",
    "(Other,\n Target) = 1, 2",
    "(\n    Target\n) = 3",
    "Target \\\n    = 4",
    "Renamed = Target",
    "Renamed = pkg.Target",
    "Renamed = (\n    Target\n)",
    "Renamed = \\\n    Target",
    "Renamed: type = Target",
    "class Target:\n    pass",
    "class Target(Base):\n    pass",
    "def Target():\n    pass",
    "async def Target():\n    pass",
    "@decorator\ndef Target():\n    pass",
    "for Target in range(3):\n    pass",
    "for Other, Target in pairs:\n    pass",
    "for (Other,\n     Target) in pairs:\n    pass",
    "with open(path) as Target:\n    pass",
    "with open(a) as Other, open(b) as Target:\n    pass",
    "with open(a) as (Other, Target):\n    pass",
    "try:\n    pass\nexcept ImportError as Target:\n    pass",
    "if (Target := compute()):\n    pass",
    "Target()",
    "pkg.Target()",
    "value = Target(1)",
    "value = pkg.Target (1)",
    "value = (Target)(1)",
    "value = f(\n    Target\n    (1)\n)",
    "print(Target)",
    "x: Target = None",
    "def f(x: Target) -> Target:\n    return x",
    "items = [Target for _ in range(2)]",
    "'''Target = 1'''",
    "'''\nfrom pkg.home import Target\n'''",
    "# from pkg.other import Target",
    "# Target = 1",
    "text = 'Target()'",
    "match value:\n    case Target:\n        pass",
    "match value:\n    case [Other, Target]:\n        pass",
    "try:\n    from pkg.home import Target\nexcept ImportError:\n    Target = None",
    "if TYPE_CHECKING:\n    from pkg.other import Target",
    "def g():\n    from pkg.other import Target\n    return Target()",
    "def g():\n    global Target\n    Target = 2",
    "Targets = 1",
    "_Target = 1",
    "value = a.Target.b()",
    "x = 1; Target = 2",
    "import os; from pkg.other import Target",
    "def g():\n    global Target",
    "def g():\n    global Other, Target",
    "from pkg.home import (Other,\n    Target); setup()",
    "from pkg.home import Other, \\\n    Target; setup()",
    "from pkg.home import (Other,\n    Target as Renamed); setup()",
    "def f(self, x: Target, *, y: int = 1) -> None:\n    pass",
    "def f(\n    x: Other, y: Target, z: int = 0,\n) -> Target:\n    pass",
    "value = f(a, Target, key=1)",
    "value = f(a, key=Target)",
    "Target.attribute = 1",
    "Target[0] = 1",
    "Target, other.attribute = 1, 2",
    "(Other, Target) = 1, 2",
    "[Other, (Target, x)] = 1, (2, 3)",
    "Other, d['('] = 1, 2",
    "Target, d['('] = 1, 2",
    "mapping = {Target: 1}",
    "value = x[Target:]",
    "(Target): int = 1",
    "if flag: Target = 1",
    "Renamed = Target.attribute  # a comment",
    "Renamed = (Target); other = 1",
    "Renamed = Target()",
    "Renamed = Target, Other",
    "text = 'Target = 1'; Other = 2",
    "text = '''\nTarget = 1\n'''",
    "text = '''\n''' ; Target = 1",
    "text = f\"{'Target'}\"; Target = 2",
    'text = f"{d["k"]}"; Target = 2',
    'text = f"{x:{width}}"; Target = 2',
    "# a comment\rTarget = 1",
    "x = 1\r(Other,\r Target) = 1, 2",
    "values = [\n    Target.attribute,\n    Target.other(1),\n]",
    "Renamed = (\n    Target.attribute\n)",
    "(Other,\n    Target.attribute) = 1, 2",
    "import os, \\\n    Target.sub",
    "from pkg.home import Other, \\\n    Target; Target.x()",
    "def f():\n    return Target.attribute",
    "def f():\n    return Target",
    "if Target.attribute not in values:\n    pass",
    "if Target:\n    pass",
    "while Target in values:\n    break",
    "if flag: Target: int = 1",
    "if flag: \\\n    Target = 1",
    "if flag: \\\n    Target.x = 1",
    "del Target",
    "x = [a for a in b\n     if Target.attribute in a]",
    "x = [a\n     for Target in b]",
    "x = (a\n     if Target else b)",
    "class C(Target, metaclass=M):\n    pass",
    "else_value = [\n    Target.attribute for Other in x]",
    "value = Target.attribute + \\\n    1",
    "import os, \\\n    Target.sub, \\\n    other",
    "import Target.sub, \\\n    other",
    "values = [Target.attribute for x in y]",
    "for Target.attribute in values:\n    pass",
    "for x, \\\n    Target in values:\n    pass",
    "hass: Target = None",
    "value: Target | None = None",
    "def f() -> Target:\n    pass",
    "async def f(x: Target) -> Target:\n    pass",
    "def f(\n    self, x: Target, *, y: int = 1\n) -> Target:\n    pass",
    "def f(\n    x: int,\n) -> Target:\n    pass",
    "(Other,\n), Target = (1,), 2",
    "else_: Target = 1",
    "for x in a, b: Target = 1",
    "try: Target = 1\nexcept E: pass",
    "if flag: pass\nelse: Target = 1",
    "class C:\n    x: Target = 1",
    "def f(): global Target; Target = 1",
    "def f(x=Target): pass",
    "'''\n>>> from pkg.other import Target\n>>> Target = 1\n'''",
    "x = '''\n>>> ''' ; Target = 1",
    "x = '''\n>>> '''; from pkg.other import Target",
    'text = f"{Target()}"',
    'text = f"({pkg.Target(1)}"; Other = 2',
    "text = f'a(' f\"{Target}\"; Target = 1",
    "text = f'''\n{Target()}\n'''",
    # Occurrences followed by a dot, once the name is known to be called and aliased: passed
    # over unless an import may reach them.
    "Renamed = Target; Target.call()",
    "x = Target.a; import Target.sub",
    "from Target.sub import x",
    "x = 1\rimport Target.sub",
    "import os, \\\r\n    Target.sub",
    "import os; \\\n    Target.sub",
]


def _source(statements: list[str], indent_some: list[bool]) -> str:
    parts = []
    for statement, indented in zip(statements, indent_some):
        if indented:  # inside a block: a conditional module-level binding, or code in a function
            parts.append("if condition:\n" + textwrap.indent(statement, "    ") + "\n    pass")
        else:
            parts.append(statement)
    return "\n".join(parts) + "\n"


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=6).flatmap(
        lambda chosen: st.tuples(st.just(chosen), st.lists(st.booleans(), min_size=len(chosen), max_size=len(chosen)))
    )
)
def test_every_role_the_parser_finds_is_claimed_by_the_text_scan(drawn):
    statements, indented = drawn
    text = _source(statements, indented)
    try:
        parsed = parse_module(text, "module.py", with_calls=True)
    except SyntaxError:  # newer syntax that libcst does not read in every combination either
        return
    roles, located = scan_mentions(text.encode(), NAME)
    sources = {(level, module) for level, module, _ in located}

    plain = set()
    for statement in parsed.imports:
        for name, alias in statement.names:
            written = name.split(".")
            if statement.module is None and statement.level == 0:  # import a.b [as c]
                if NAME in written or alias == NAME:
                    assert roles & IMPORTS, text
            elif name == NAME and alias is None:
                plain.add((statement.level, statement.module or ""))
                assert roles & IMPORTS or (statement.level, statement.module or "") in sources, text
            elif NAME in (name, alias):
                assert roles & IMPORTS, text
    for binding in parsed.bindings:
        if binding.name == NAME:
            assert roles & BINDS, text
        if binding.source and NAME in binding.source.split("."):
            assert roles & (ALIASES | IMPORTS), text
    for call in parsed.calls or ():
        if NAME in call.callee.split("."):
            assert roles & CALLS, text
    # No import is made up: every plain import the scan reports is one the parser sees.
    assert sources <= plain, text


def test_a_file_that_only_uses_the_name_plays_no_role():
    text = "from pkg.home import Target\n\n\ndef f(hass: Target, other: Target) -> None:\n    use(hass)\n"
    assert scan_mentions(text.encode(), NAME) == (0, ((0, "pkg.home", 1),))


def test_a_name_spelled_beyond_ascii_in_code_may_play_every_role():
    """``Ｗidget`` is ``Widget`` to the parser (NFKC): this file defines it (found by review)."""
    fullwidth = b"class \xef\xbc\xb7idget:\n    pass\n\n\nprint(Widget)\n"
    assert scan_mentions(fullwidth, "Widget")[0] == IMPORTS | BINDS | ALIASES | CALLS
    in_strings = "# \uff37idget\nprint(Widget, 'caf\u00e9')\n".encode()
    assert scan_mentions(in_strings, "Widget")[0] & BINDS == 0
