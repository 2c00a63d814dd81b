"""Whether a file may import or call a name, told from its bytes before any parse.

The deprecated-usage analysis parses every file whose mentions of a deprecated name may be an
import or a call (see :class:`~importcanon.application.ports.Mention`), and that reading of a
line is loose: a line of bare names inside brackets may continue anything, so every file with a
schema such as ``vol.All(cv.ensure_list, [cv.string])`` spread over lines is parsed for
``ensure_list``. Yet the parse finds a usage in two shapes only:

- ``from m import name``: there the name follows ``import``, a comma or a bracket, never a dot;
- a call whose callee is a dotted name with ``name`` as a part (``name(``, ``a.name(``,
  ``name.b(``): each part is followed, past spaces, line breaks, comments, backslashes and
  closing brackets, by a dot or the call's opening bracket.

So an occurrence right after a dot and followed, past spaces and tabs, by a comma, ``]``, ``}``,
``=``, ``:`` or ``;`` is neither (``cv.ensure_list,``, ``default=dt_util.utcnow}``). In a string
or a comment an occurrence is no usage at all, so this reading need not tell code from strings.
Python reads an identifier as its NFKC normal form (``ｎame`` is ``name``), so a file with a byte
beyond ASCII may use the name anywhere. tests/test_name_uses.py holds this against ``ast``.
"""

from __future__ import annotations

from collections.abc import Iterable

from importcanon.adapters.mentions import word_starts

#: What may follow an attribute that is neither a callee nor a part of one: the end of an element
#: or of a statement, an assignment or a comparison, a colon (a dict key, an annotation, a slice).
_NO_CALL_AFTER = frozenset(b",]}=:;")
_SPACES = b" \t"


def may_import_or_call(data: bytes, names: Iterable[str]) -> bool:
    """False only when no occurrence of any of ``names`` in ``data`` (whole words) can be a
    ``from m import name`` or a part of the dotted callee of a call, as the module docstring
    reads them; True when only a parse can tell."""
    if not data.isascii():
        return True
    size = len(data)
    for name in names:
        length = len(name.encode())
        for start in word_starts(data, name):
            if not start or data[start - 1] != _DOT:
                return True
            after = start + length
            while after < size and data[after] in _SPACES:
                after += 1
            if after == size or data[after] not in _NO_CALL_AFTER:
                return True
    return False


_DOT = ord(".")
