"""Where a text may bind the first part of a dotted callee, read without a parse.

A stubbed parse (:mod:`importcanon.adapters.stubbing`) keeps the lines that mention a word whose
calls are collected, so it sees every binding of a callee ``word()``. Of ``self.word()`` it would
not see the parameter ``self`` (a header is cut to ``def name():``), and so could not tell that
the call is not of a module-level ``self``. Keeping every line that mentions ``self`` or
``dt_util`` as well would keep most of a file; yet only a few of those lines may bind the name:
an occurrence followed by a dot (``self.x``, ``dt_util.now``) binds nothing (``import a.b`` binds
``a``, but a line with an ``import`` is never cut), nor does one followed by ``(`` or ``[`` (a
call, a subscript) unless it follows ``def``, ``class`` or ``type``, nor one on a line that is
one import statement (kept too). So only the lines with any other occurrence are kept, whatever
it is: a parameter, an assignment target, a mention in a string or a comment. And where no line
may bind a name, only the imports do: which scope binds it needs no walk of the scopes.

A name the module binds nowhere needs no walk either, unless a function or class body may make
it a local alias (``fn = util.old_fn``, then ``fn()``): only a text that may assign it so is
stubbed again, with those lines kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from importcanon.adapters.words import line_numbers, whole_words, word_character

#: A whole line that is one import statement, or no code at all (a line of a string): either way
#: what it binds, the stubbed parse keeps (a line with an ``import`` keyword is never cut).
_IMPORT_LINE = re.compile(r"[ \t]*(?:from[ \t]+[\w. \t]+[ \t])?import[ \t][^()\\#'\";\n]*$")
_SPACES = " \t"
#: What follows a name that an assignment binds: ``=`` (not ``==``), spaces and continuations aside.
_ASSIGNED = re.compile(r"(?:[ \t]|\\\r?\n)*=(?!=)")


def binding_lines(text: str, names: Iterable[str]) -> list[int]:
    """The numbers of the lines where one of ``names`` may be bound otherwise than by a one-line
    import statement (see the module's docstring)."""
    starts = sorted(start for name in names for start in whole_words(text, name) if _may_bind_at(text, start, name))
    return line_numbers(text, starts)


def may_assign(text: str, name: str) -> bool:
    """Whether ``text`` may assign to ``name`` (``name = ...``; a keyword argument too)."""
    return any(_ASSIGNED.match(text, start + len(name)) for start in whole_words(text, name))


def may_bind(text: str, name: str) -> bool:
    """Whether ``text`` may bind ``name`` otherwise than by a one-line import statement."""
    return any(_may_bind_at(text, start, name) for start in whole_words(text, name))


def _may_bind_at(text: str, start: int, name: str) -> bool:
    after = start + len(name)
    while after < len(text) and text[after] in _SPACES:
        after += 1
    following = text[after : after + 1]
    if following == ".":
        return False
    if following in ("(", "[") and not _defined_here(text, start):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return _IMPORT_LINE.match(text, line_start, len(text) if line_end < 0 else line_end) is None


def _defined_here(text: str, start: int) -> bool:
    """Whether the name at ``start`` may follow ``def``, ``class`` or ``type`` (a PEP 695 alias):
    the keyword ends there, spaces and tabs aside, or a backslash carries a line to it."""
    end = start
    while end and text[end - 1] in _SPACES:
        end -= 1
    if text[end - 2 : end] == "\\\n":
        return True
    keyword = end
    while keyword and word_character(text[keyword - 1]):
        keyword -= 1
    return text[keyword:end] in _DEFINING


_DEFINING = frozenset({"def", "class", "type"})
