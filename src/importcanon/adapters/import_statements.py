"""Import statements and evidently bound names read from the text, without a parse.

``ast.parse`` of every file costs ten times an import-linter run on a large project, so the
``broken-import`` analysis only parses the files where this reading finds something that may be
broken. The reading may see a statement inside a string (the parse then proves it is not one);
it must not miss a statement that starts a line, and it claims a name is bound only on plain
evidence (a ``class``, ``def``, assignment or import of it in column 0).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from importcanon.adapters.kinds import import_lines
from importcanon.domain.facts import TextImport

_FROM = re.compile(
    r"[ \t]*from(?=[ \t.\\(])[ \t\\\n]*(\.*)[ \t\\\n]*([\w.]*)[ \t\\\n]+import[ \t\\]*"
    r"(?:\(([^)]*)\)|((?:[^\n\\;#]|\\\n)*))"
)
_IMPORT = re.compile(r"[ \t]*import[ \t\\]+((?:[^\n\\;#]|\\\n)*)")
_COMMENT = re.compile(r"#[^\n]*")
_MODULE_BLOCK = re.compile(r"(?:if|elif|else|try|except|finally|with|for|while|async[ \t]+(?:with|for))\b")
_DEFINED_HERE = re.compile(r"(?:async[ \t]+def|def|class)[ \t]+(\w+)")
_ASSIGNED = re.compile(r"\(?([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)[ \t]*,?[ \t]*\)?[ \t]*(?::[^=\n]*)?=(?!=)")
# A newline first, not ``^`` with MULTILINE: a literal start makes the search several times faster.
_DEFINED = re.compile(r"\n(?:(?:async[ \t]+def|def|class)[ \t]+(\w+)|(\w+)[ \t]*(?::[^=\n]*)?=(?!=))")


def text_imports(text: str) -> list[TextImport]:
    """Every import statement that starts a line, as written."""
    found = []
    for line, _, offset in import_lines(text):
        if _continues(text, offset):
            continue  # ``from x \`` on the line above: part of that statement
        statement = _read(text, offset, line)
        if statement is not None:
            found.append(statement)
    return found


def evident_names(text: str) -> frozenset[str]:
    """Names the module plainly binds at module level: class, def, assignment (``a, b = ...``
    too) and import in column 0, and the same one level inside a top-level ``if``, ``try``,
    ``with`` or loop (never inside a def or class)."""
    names = {match.group(1) or match.group(2) for match in _DEFINED.finditer("\n" + text)}
    names.update(_block_names(text))
    for line, indented, offset in import_lines(text, top_level_only=True):
        statement = _read(text, offset, line)
        if statement is None or indented:
            continue
        for name, alias in statement.names:
            names.add(alias or (name if statement.module is not None or statement.level else name.split(".")[0]))
    return frozenset(names)


def _continues(text: str, offset: int) -> bool:
    """Whether the line starting at ``offset`` continues the one above (a trailing backslash)."""
    end = offset - 1  # the newline
    if end > 0 and text[end - 1] == "\r":
        end -= 1
    return end > 0 and text[end - 1] == "\\"


def _block_names(text: str) -> Iterator[str]:
    in_block, level = False, -1
    for line in text.splitlines():
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if indent == 0:
            in_block, level = _MODULE_BLOCK.match(stripped) is not None, -1
            if not in_block:
                yield from _assigned(stripped)  # a, b = ... in column 0
            continue
        if in_block and level in (-1, indent):
            level = indent
            defined = _DEFINED_HERE.match(stripped)
            if defined:
                yield defined.group(1)
            else:
                yield from _assigned(stripped)


def _assigned(statement: str) -> Iterator[str]:
    """The names ``a = b, c = ...`` assigns (chained and unpacking targets included)."""
    position = 0
    while match := _ASSIGNED.match(statement, position):
        yield from (name.strip() for name in match.group(1).split(","))
        position = match.end()
        while position < len(statement) and statement[position] in " \t":
            position += 1


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
