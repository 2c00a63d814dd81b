"""What the text says about a name, so that only files that can answer are parsed.

A contracted name such as ``HomeAssistant`` appears in thousands of files, nearly all of them
only *using* it (``hass: HomeAssistant``) or importing it from its home. Each occurrence of the
name is read on its own physical line and put in the roles it might play:

- ``IMPORTS``: an import other than a plain ``from x import Name`` (an alias, ``import Name``,
  a statement the text cannot take apart);
- ``BINDS``: a module-level binding of the name (``Name = ...``, ``Name: T``, ``class Name``,
  ``def Name``, ``for``/``with``/``except``/``case`` targets, augmented assignment);
- ``ALIASES``: the name on the right of an assignment (``other = Name``);
- ``CALLS``: a call (``Name(``, ``mod.Name(``, ``Name.method(``).

A plain ``from x import Name`` is recorded as its source (level and module as written) instead.
The tests are one-sided: a role is claimed whenever the line might play it (a keyword argument
``f(a=Name)`` counts as an alias, a line of bare names inside brackets plays every role, as does
a line continued by a backslash), never denied when it could; so a file judged to play no role
for a name certainly yields no import, binding or call of it to a parser. The property tests in
tests/test_mentions.py hold the scan to that against ``ast``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

IMPORTS, BINDS, ALIASES, CALLS = 1, 2, 4, 8
EVERY_ROLE = IMPORTS | BINDS | ALIASES | CALLS

#: (roles, plain from-imports as (level, module as written)): what :func:`scan_mentions` finds.
Mentions = tuple[int, tuple[tuple[int, str], ...]]

_WORD_CHAR = re.compile(rb"\w")
_IMPORT_WORD = re.compile(rb"\bimport\b")
#: Only names, dots and commas, perhaps an opening bracket first and a closing one last: a piece
#: of a bracketed list (import names, assignment targets) that says nothing by itself.
_BARE_NAMES = re.compile(rb"[ \t]*[(\[]?[\w \t,.*]*[)\]]?[ \t,\\]*")
_ASSIGNMENT = re.compile(rb"(?<!=)=(?!=)")  # also <=, >=, != and keyword arguments: one-sided
#: Just before the name: ``def``/``class``; ``as`` then only names and brackets (``as (a, Name)``);
#: a ``for`` not yet followed by its ``in``; ``case`` or ``match`` anywhere before.
_BINDING_BEFORE = re.compile(rb"\b(?:def|class)\s+$|\bas\b[\s(\[,\w]*$|\bfor\b(?:(?!\bin\b).)*$|\b(?:case|match)\b")
_ANNOTATION_AFTER = re.compile(rb"\s*:")
_TARGET_AFTER = re.compile(rb".*\bin\b")
_CALL_AFTER = re.compile(rb"\s*(?:\.|\)*\s*(?:\(|$))")  # ``Name(``, ``(Name)(``, ``Name.attr(``
_AS_BEFORE = re.compile(rb"\bas\s*$")
_AS_AFTER = re.compile(rb"\s+as\b")
#: ``from .x import a, b`` or ``from x import (a,\n b)`` at the start of a line: level dots,
#: module, then the names (group 3); anything else in the list (a comment) and it is no match.
_FROM_IMPORT = re.compile(rb"[ \t]*from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]*(\([\w\s,]*\)|[\w \t,]*)")


@lru_cache(maxsize=256)
def _occurrence(needle: str) -> re.Pattern[bytes]:
    # A literal first, so the regex engine searches fast; the character before is checked apart.
    return re.compile(re.escape(needle.encode()) + rb"(?!\w)")


def word_starts(data: bytes, needle: str) -> Iterator[int]:
    """Where ``needle`` occurs as a whole identifier: ``S`` not inside ``Set`` or ``_S``."""
    for match in _occurrence(needle).finditer(data):
        start = match.start()
        if not (start and _WORD_CHAR.match(data, start - 1)):
            yield start


def scan_mentions(data: bytes, needle: str) -> Mentions:
    """The roles ``needle`` (a whole word) may play in ``data``, and its plain from-imports."""
    roles = 0
    sources: set[tuple[int, str]] = set()
    size = len(needle.encode())
    for start in word_starts(data, needle):
        line_start = data.rfind(b"\n", 0, start) + 1
        line_end = data.find(b"\n", start)
        line = data[line_start : line_end if line_end >= 0 else len(data)].rstrip(b"\r")
        column = start - line_start
        before, after = line[:column], line[column + size :]
        if _IMPORT_WORD.search(line) or _BARE_NAMES.fullmatch(line.split(b"#")[0]):
            source = _plain_import(data, start, size, line_start)
            if source is not None:
                sources.add(source)
                continue
        roles |= _roles(line, before, after)
        if roles == EVERY_ROLE:
            break
    return roles, tuple(sorted(sources))


def _roles(line: bytes, before: bytes, after: bytes) -> int:
    if _BARE_NAMES.fullmatch(line.split(b"#")[0]) or line.rstrip().endswith(b"\\"):
        return EVERY_ROLE  # a piece of a longer statement: it could be anything
    roles = IMPORTS if _IMPORT_WORD.search(line) else 0
    if (
        _BINDING_BEFORE.search(before)
        or _ASSIGNMENT.search(after)
        or _ANNOTATION_AFTER.match(after)
        or _TARGET_AFTER.match(after)
    ):
        roles |= BINDS
    if _ASSIGNMENT.search(before):
        roles |= ALIASES
    if _CALL_AFTER.match(after):
        roles |= CALLS
    return roles


def _plain_import(data: bytes, start: int, size: int, line_start: int) -> tuple[int, str] | None:
    """(level, module) when the occurrence at ``start`` is a name of a plain ``from ... import``
    written at the start of a line (possibly one above, inside its brackets), outside any
    triple-quoted string; else None."""
    statement = data.rfind(b"import", 0, start)
    if statement < 0:
        return None
    statement = data.rfind(b"\n", 0, statement) + 1
    if statement != line_start and data.count(b"\n", statement, line_start) > 200:
        return None
    found = _FROM_IMPORT.match(data, statement)
    if found is None or not found.start(3) <= start < found.end(3):
        return None
    names = found.group(3)
    offset = start - found.start(3)
    if _AS_BEFORE.search(names, 0, offset) or _AS_AFTER.match(names, offset + size):
        return None  # an alias: not a plain import
    quotes = data.count(b'"""', 0, statement) + data.count(b"'''", 0, statement)
    if quotes % 2:
        return None  # perhaps inside a string: let the parser say
    return len(found.group(1)), found.group(2).decode("ascii", "replace")
