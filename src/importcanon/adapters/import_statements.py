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

# Possessive (``*+``) where giving characters back could never let the rest match, and the list
# of names unrolled (a run of plain characters, then a backslash-newline and another run):
# the same matches, found about twice as fast.
_FROM = re.compile(
    r"[ \t]*+from(?=[ \t.\\(])[ \t\\\n]*(\.*)[ \t\\\n]*([\w.]*)[ \t\\\n]+import[ \t\\]*+"
    r"(?:\(([^)]*+)\)|([^\n\\;#]*+(?:\\\n[^\n\\;#]*+)*+))"
)
_IMPORT = re.compile(r"[ \t]*+import[ \t\\]++([^\n\\;#]*+(?:\\\n[^\n\\;#]*+)*+)")
_COMMENT = re.compile(r"#[^\n]*")
_MODULE_BLOCK = re.compile(r"(?:if|elif|else|try|except|finally|with|for|while|async[ \t]+(?:with|for))\b")
_DEFINED_HERE = re.compile(r"(?:async[ \t]+def|def|class)[ \t]+(\w+)")
_ASSIGNED = re.compile(r"\(?([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)[ \t]*,?[ \t]*\)?[ \t]*(?::[^=\n]*)?=(?!=)")
#: A line that starts in column 0 with code (not blank, not a comment), after a newline.
_COLUMN_ZERO = re.compile(r"\n[^ \t\n#]")
#: After a newline, the header of a top-level block, or a column-0 line that may assign (what
#: ``_ASSIGNED`` matches starts so and holds an ``=``).
_COLUMN_ZERO_BLOCK_OR_ASSIGNMENT = re.compile(
    r"\n(?=[A-Za-z_(])(?:(?=" + _MODULE_BLOCK.pattern + r")[^\n]*|(?P<assignment>\(?[A-Za-z_][^\n=]*=[^\n]*))"
)
#: What ``str.splitlines`` also breaks lines at; text with any of them is read line by line.
_OTHER_LINE_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
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
    """Names assigned in column 0, and bound one level inside a top-level block."""
    if any(character in text for character in _OTHER_LINE_BREAKS):
        yield from _block_names_by_line(text.splitlines())
        return
    # One regex finds, at C speed, the few lines that matter: the headers of top-level blocks,
    # whose bodies (up to the next column-0 code line) are read, and column-0 lines that may assign.
    padded = "\n" + text
    for match in _COLUMN_ZERO_BLOCK_OR_ASSIGNMENT.finditer(padded):
        assignment = match.group("assignment")
        if assignment is not None:
            yield from _assigned(assignment)  # a, b = ... in column 0
            continue
        following = _COLUMN_ZERO.search(padded, match.end())
        end = following.start() if following else len(padded)
        yield from _names_in_block(padded[match.end() : end].split("\n"))


def _block_names_by_line(lines: list[str]) -> Iterator[str]:
    """What :func:`_block_names` finds, line by line (for text with line breaks beyond ``\\n``)."""
    in_block, block = False, list[str]()
    for line in lines:
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        if len(line) == len(stripped):  # column 0: the block above (if any) ends here
            if in_block:
                yield from _names_in_block(block)
            in_block, block = _MODULE_BLOCK.match(stripped) is not None, []
            if not in_block:
                yield from _assigned(stripped)
        elif in_block:
            block.append(line)
    if in_block:
        yield from _names_in_block(block)


def _names_in_block(lines: list[str]) -> Iterator[str]:
    """The names the first level of a top-level block's body binds (its lines are all indented)."""
    level = -1
    for line in lines:
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if level in (-1, indent):
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
    if "#" in listed:
        listed = _COMMENT.sub("", listed)
    if "\\" in listed:
        listed = listed.replace("\\\n", " ")
    for item in listed.split(","):
        words = item.split()
        if len(words) == 1:
            pairs.append((words[0], None))
        elif len(words) == 3 and words[1] == "as":
            pairs.append((words[0], words[2]))
    return tuple(pairs)
