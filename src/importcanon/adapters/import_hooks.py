"""Whether a module may make a module exist that no file holds, or replace itself, told from its bytes.

Three things let a module exist that no file of its package holds: an importer on
``sys.meta_path`` (six's provides ``six.moves`` and its submodules), a package ``__path__``
assigned or extended (twisted's plugins, ``pkgutil.extend_path``,
``pkg_resources.declare_namespace``: submodules in other directories), and a module written into
``sys.modules`` under a name of its own (a compatibility alias, ``sys.modules[__name__ +
".compat"] = ...``). Python imports every package above a module before the module itself, so
when one of them may do one of those, a module missing from the disk is no proof that importing
it fails: only running the code tells.

A module may also put another module in its own place (``sys.modules[__name__] = _distro``, a
lazy module): ``from it import name`` then reads the other one, whose names no reading of this
file shows. And a function or class may write names into the module that uses it: its caller's
globals (zope.interface's ``@_use_c_impl`` adds ``LookupBaseFallback`` through
``sys._getframe(1).f_globals``) or a module it finds in ``sys.modules`` (matplotlib's
``@_Backend.export`` sets ``FigureCanvas`` in the decorated class's module).
"""

from __future__ import annotations

import re
from bisect import bisect_right

#: An import hook named anywhere, or a package's ``__path__`` assigned or extended (twisted's
#: plugins, ``pkgutil.extend_path``, ``pkg_resources.declare_namespace``): any may provide any module.
_IMPORT_HOOK = re.compile(
    rb"\b(?:meta_path|path_hooks|declare_namespace)\b"
    rb"|\b__path__[ \t]*(?:\+?=(?!=)|\.[ \t]*(?:extend|append|insert)\b)"
)


def may_add_module(data: bytes, name: str) -> bool:
    """False only when the code in ``data`` certainly neither installs an import hook nor writes
    a module into ``sys.modules`` under a key that names ``name`` (the last part of the missing
    module's name). A mention in a string or a comment counts too, which only makes the answer
    "may"."""
    hooked = _holds_any(data, _IMPORT_HOOK_WORDS) and _IMPORT_HOOK.search(data) is not None
    return hooked or writes_modules(data, name)


def writes_modules(data: bytes, name: str | None = None) -> bool:
    """False only when the code in ``data`` certainly writes no module into ``sys.modules``
    (``modules[key] = ``, ``modules.setdefault(``, ``.update(``, ``.__setitem__(``) under a key
    that names ``name``, or under any key when ``name`` is None."""
    if b"modules" not in data:
        return False
    key = rb"\b" + re.escape(name.encode()) + rb"\b" if name is not None else b""
    written = re.compile(
        rb"\bmodules[ \t]*\[[^\]\n]*" + key + rb"[^\]\n]*\][ \t]*=(?!=)"
        rb"|\bmodules[ \t]*\.[ \t]*(?:setdefault|update|__setitem__)[ \t]*\([^\n]*" + key
    )
    return written.search(data) is not None


#: Code that writes names into another module's namespace: a frame's globals, or a module
#: looked up in ``sys.modules`` and given attributes.
_FOREIGN_WRITE = re.compile(rb"\bf_globals\b|\bsetattr[ \t]*\([ \t]*(?:sys[ \t]*\.[ \t]*)?modules[ \t]*\[")
_TOP_LEVEL_DEFINITION = re.compile(rb"^(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)", re.MULTILINE)
#: A word each match of a pattern above holds, looked for first: a pattern that starts with
#: ``\b`` is tried at every position of a file (14 ns a byte on sympy's largest files), a word
#: is searched for at C speed (1 ns), and most files hold none of them.
_IMPORT_HOOK_WORDS = (b"meta_path", b"path_hooks", b"declare_namespace", b"__path__")
_FOREIGN_WRITE_WORDS = (b"f_globals", b"setattr")


def _holds_any(data: bytes, words: tuple[bytes, ...]) -> bool:
    return any(word in data for word in words)


def foreign_writers(data: bytes) -> frozenset[str]:
    """The top-level functions and classes of the code in ``data`` that may write names into
    another module's namespace: each whose text, up to the next top-level definition, holds such
    a write. A mention in a string or a comment counts too, which only makes the answer "may"."""
    if not _holds_any(data, _FOREIGN_WRITE_WORDS):
        return frozenset()
    writes = [match.start() for match in _FOREIGN_WRITE.finditer(data)]
    if not writes:
        return frozenset()
    definitions = list(_TOP_LEVEL_DEFINITION.finditer(data))
    starts = [definition.start() for definition in definitions]
    found = (bisect_right(starts, write) - 1 for write in writes)
    return frozenset(definitions[index].group(1).decode("utf-8", "replace") for index in found if index >= 0)
