"""Whether a file may import, call or rebind a name, told from its bytes before any parse.

The deprecated-usage analysis parses every file whose mentions of a deprecated name may be an
import or a call (see :class:`~importcanon.application.ports.Mention`), and reads the module-level
text of every file whose mentions may bind another name to it. That reading of a line is loose:
a line of bare names inside brackets may continue anything, so every file with a schema such as
``vol.All(cv.ensure_list, [cv.string])`` spread over lines is parsed for ``ensure_list``, and
every ``warnings.warn(...,\\n    RemovedInDjango60Warning,\\n)`` is read for a rebinding. Yet each
shape the parse looks for needs certain bytes after the name:

- ``from m import name``: the name follows ``import``, a comma or a bracket, never a dot;
- a call whose callee is a dotted name with ``name`` as a part (``name(``, ``a.name(``,
  ``name.b(``): each part is followed, past spaces, line breaks, comments, backslashes and
  closing brackets, by a dot or the call's opening bracket;
- a rebinding, ``other = a.name`` or ``from m import name as other`` (see ``aliases_of``): the
  name is followed, past the same, by more of the dotted name, the end of the statement or
  ``as``.

So an occurrence followed, past spaces and tabs, by a comma, an operator, an opening ``(`` or
``[``, a closing ``]`` or ``}``, ``=``, ``:`` or a quote plays no part in a rebinding (a quote
cannot follow a name in code: the occurrence ends a string); nor does one in a comment (a ``#``
before it on its line, and no quote), one that ends an unbracketed ``import a.name`` or ``from m
import name`` statement (the keyword just before it, its line or the statement ending after it),
nor a dotted name after ``=`` or a comma followed by ``)`` (a keyword argument, an element).
For the first two, only an attribute (``.`` right before it) followed by a comma, ``]``, ``}``,
``=``, ``:``, ``;`` or a quote is certainly no use.
In a string an occurrence is no use at all, so this reading need not tell code from strings
otherwise. Python reads an identifier as its NFKC normal form (``ｎame`` is ``name``), so a
file with a byte beyond ASCII may use the name anywhere. tests/test_name_uses.py holds these
readings against ``ast``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from importcanon.adapters.mentions import word_starts

#: What may follow an attribute that is neither a callee nor a part of one: the end of an element
#: or of a statement, an assignment or a comparison, a colon (a dict key, an annotation, a slice),
#: a quote (the occurrence ends a string).
_NO_CALL_AFTER = frozenset(b",]}=:;\"'")
#: What may follow a name that is no part of a dotted value nor of ``name as other``.
_NO_REBINDING_AFTER = frozenset(b",]}=:([+-*/%|&^<>!@\"'")
_SPACES = b" \t"
_DOT, _COMMA, _EQUALS, _CLOSING = map(ord, ".,=)")
_QUOTES = (b"'", b'"')


def may_import_or_call(data: bytes, names: Iterable[str]) -> bool:
    """False only when no occurrence of any of ``names`` in ``data`` (whole words) can be a
    ``from m import name`` or a part of the dotted callee of a call, as the module docstring
    reads them; True when only a parse can tell."""
    if not data.isascii():
        return True
    for name in names:
        for start, after in _occurrences(data, name):
            if _in_comment(data, start):
                continue
            if not start or data[start - 1] != _DOT or after == len(data) or data[after] not in _NO_CALL_AFTER:
                return True
    return False


def may_rebind_to(data: bytes, name: str) -> bool:
    """False only when no occurrence of ``name`` in ``data`` (whole words) can be a part of the
    dotted value of an assignment or an import as another name, as the module docstring reads
    them; True when only a parse can tell."""
    if not data.isascii():
        return True
    size = len(data)
    for start, after in _occurrences(data, name):
        if (after < size and data[after] in _NO_REBINDING_AFTER) or _in_comment(data, start):
            continue
        before = _before_dotted(data, start)
        if after < size and data[after] == _CLOSING:
            # A keyword argument or a default (``f(key=a.name)``), an element (``(a, name)``):
            # inside brackets no statement starts, and no ``as`` follows a ``)``.
            if before and data[before - 1] in (_EQUALS, _COMMA):
                continue
        elif (after == size or data[after] in _STATEMENT_END) and _imported(data, before):
            continue  # ``import a.name``, ``from m import name``: unbracketed, ended there, no ``as``
        return True
    return False


def _occurrences(data: bytes, name: str) -> Iterable[tuple[int, int]]:
    """(where it starts, where the first byte past it and the spaces after it is) for every
    whole-word occurrence of ``name``."""
    size, length = len(data), len(name.encode())
    for start in word_starts(data, name):
        after = start + length
        while after < size and data[after] in _SPACES:
            after += 1
        yield start, after


def _imported(data: bytes, before: int) -> bool:
    """Whether the keyword ``import`` ends at ``before``."""
    return _IMPORT_BEFORE.search(data, max(0, before - _IMPORT_WINDOW), before) is not None


def _in_comment(data: bytes, start: int) -> bool:
    """Whether a ``#`` with no quote before it on its line comes before ``start``: a comment (or
    the inside of a string that went on from a line above, which no quote has closed)."""
    before = data[data.rfind(b"\n", 0, start) + 1 : start]
    return b"#" in before and _QUOTES[0] not in before and _QUOTES[1] not in before


def _before_dotted(data: bytes, start: int) -> int:
    """Where the dotted name that ends with the word at ``start`` begins, spaces and tabs
    before it passed over: ``x = a.b.name`` gives the offset of ``= ``'s end."""
    while start and data[start - 1] == _DOT:
        start -= 1
        while start and (data[start - 1 : start].isalnum() or data[start - 1] == _UNDERSCORE):
            start -= 1
    while start and data[start - 1] in _SPACES:
        start -= 1
    return start


_UNDERSCORE = ord("_")
#: What ends an unbracketed statement: a line break, a ``;``, a comment.
_STATEMENT_END = frozenset(b"\n\r;#")
#: The keyword ``import`` (a word of its own) where the spaces before a name begin.
_IMPORT_WINDOW = len(b" import")
_IMPORT_BEFORE = re.compile(rb"(?<![\w.])import\Z")
