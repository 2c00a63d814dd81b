"""Import statements and evidently bound names read from the text, without a parse.

``ast.parse`` of every file costs ten times an import-linter run on a large project, so the
``broken-import`` analysis only parses the files where this reading finds something that may be
broken. The reading may see a statement inside a string (the parse then proves it is not one);
it must not miss a statement that starts a line, and it claims a name is bound only on plain
evidence (a ``class``, ``def``, assignment or import of it in column 0).
"""

from __future__ import annotations

import re

from importcanon.adapters.kinds import import_lines
from importcanon.domain.facts import TextImport

_FROM = re.compile(
    r"[ \t]*from(?=[ \t.\\(])[ \t\\\n]*(\.*)[ \t\\\n]*([\w.]*)[ \t\\\n]+import[ \t\\]*"
    r"(?:\(([^)]*)\)|((?:[^\n\\;#]|\\\n)*))"
)
_IMPORT = re.compile(r"[ \t]*import[ \t\\]+((?:[^\n\\;#]|\\\n)*)")
_COMMENT = re.compile(r"#[^\n]*")
# A newline first, not ``^`` with MULTILINE: a literal start makes the search several times faster.
_DEFINED = re.compile(r"\n(?:(?:async[ \t]+def|def|class)[ \t]+(\w+)|(\w+)[ \t]*(?::[^=\n]*)?=(?!=))")


def text_imports(text: str) -> list[TextImport]:
    """Every import statement that starts a line, as written."""
    found = []
    for line, _, offset in import_lines(text):
        statement = _read(text, offset, line)
        if statement is not None:
            found.append(statement)
    return found


def evident_names(text: str) -> frozenset[str]:
    """Names the module plainly binds in column 0: class, def, assignment, import."""
    names = {match.group(1) or match.group(2) for match in _DEFINED.finditer("\n" + text)}
    for line, indented, offset in import_lines(text, top_level_only=True):
        statement = _read(text, offset, line)
        if statement is None or indented:
            continue
        for name, alias in statement.names:
            names.add(alias or (name if statement.module is not None or statement.level else name.split(".")[0]))
    return frozenset(names)


def _read(text: str, offset: int, line: int) -> TextImport | None:
    match = _FROM.match(text, offset)
    if match:
        dots, module, parenthesised, plain = match.groups()
        names = _names(parenthesised if parenthesised is not None else plain)
        return TextImport(line, len(dots), module or None, names) if names else None
    match = _IMPORT.match(text, offset)
    if match:
        names = _names(match.group(1))
        return TextImport(line, 0, None, names) if names else None
    return None


def _names(listed: str) -> tuple[tuple[str, str | None], ...]:
    pairs: list[tuple[str, str | None]] = []
    for item in _COMMENT.sub("", listed).replace("\\\n", " ").split(","):
        words = item.split()
        if len(words) == 1:
            pairs.append((words[0], None))
        elif len(words) == 3 and words[1] == "as":
            pairs.append((words[0], words[2]))
    return tuple(pairs)
