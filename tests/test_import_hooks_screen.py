"""The text screens of adapters/import_hooks.py look for a word before they run their patterns:
the answers must be those of the patterns alone, whatever the text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters import import_hooks
from importcanon.adapters.import_hooks import foreign_writers, may_add_module, writes_modules

PIECES = [
    "sys.meta_path.append(Finder())",
    "sys.path_hooks.insert(0, hook)",
    "pkg_resources.declare_namespace(__name__)",
    "__path__ = extend_path(__path__, __name__)",
    "__path__.append('x')",
    "__path__ == other",
    "sys.modules[__name__ + '.compat'] = compat",
    "sys.modules['new'] = m",
    "sys.modules.setdefault('new', m)",
    "modules.update({'new': m})",
    "frame.f_globals['Name'] = value",
    "setattr(sys.modules[cls.__module__], 'Name', value)",
    "setattr(obj, 'x', 1)",
    "def export(cls):",
    "class Backend:",
    "async def run():",
    "my_meta_path = 1",
    "xf_globals = 2",
    "modules_list = []",
    "# meta_path in a comment",
    "new",
    "x = 1",
]


def _reference_writes_modules(data: bytes, name: str | None) -> bool:
    key = rb"\b" + re.escape(name.encode()) + rb"\b" if name is not None else b""
    written = re.compile(
        rb"\bmodules[ \t]*\[[^\]\n]*" + key + rb"[^\]\n]*\][ \t]*=(?!=)"
        rb"|\bmodules[ \t]*\.[ \t]*(?:setdefault|update|__setitem__)[ \t]*\([^\n]*" + key
    )
    return written.search(data) is not None


def _reference_foreign_writers(data: bytes) -> frozenset[str]:
    definitions = list(import_hooks._TOP_LEVEL_DEFINITION.finditer(data))
    starts = [definition.start() for definition in definitions]
    found = set()
    for write in import_hooks._FOREIGN_WRITE.finditer(data):
        index = max((i for i, start in enumerate(starts) if start <= write.start()), default=-1)
        if index >= 0:
            found.add(definitions[index].group(1).decode("utf-8", "replace"))
    return frozenset(found)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(["", "    "])), max_size=12),
    st.sampled_from([None, "new", "compat"]),
)
def test_the_screens_answer_as_the_patterns_alone(lines, name):
    data = "\n".join(indent + piece for piece, indent in lines).encode()

    hooked = import_hooks._IMPORT_HOOK.search(data) is not None
    assert writes_modules(data, name) == _reference_writes_modules(data, name)
    if name is not None:
        assert may_add_module(data, name) == (hooked or _reference_writes_modules(data, name))
    assert foreign_writers(data) == _reference_foreign_writers(data)
