"""Import statements and evidently bound names read from the text, without a parse.

``ast.parse`` of every file costs ten times an import-linter run on a large project, so the
``broken-import`` analysis only parses the files where this reading finds something that may be
broken. The reading may see a statement inside a string (the parse then proves it is not one);
it must not miss a statement that starts a line, and it claims a name is bound only on plain
evidence (a ``class``, ``def``, assignment or import of it on a line of code in column 0).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain, pairwise

from importcanon.adapters.spanning_literals import fold_spanning_literals
from importcanon.domain.facts import TextImport

# Possessive (``*+``) where giving characters back could never let the rest match, and the list
# of names unrolled (a run of plain characters, then a backslash-newline and another run):
# the same matches, found about twice as fast.
#
# The source of a ``from`` import is read as formatters write it (groups: dots, module), else,
# only when that fails, as Python's tokenizer allows it: whitespace or line continuations
# between the dots and around the dots of the name, no space before ``import`` after a dot
# (group: the whole source, ``. . mod``, ``.import``; see :func:`spaced_source`). The module
# starts with a word character, so that ``from . .mod`` is never read as ``.mod`` one level up.
_FROM_BODY = (
    r"from(?=[ \t.\\(])[ \t\\\n]*(?:(\.*)[ \t\\\n]*((?:\w[\w.]*+)?)[ \t\\\n]+import(?!\w)"
    r"|((?:[.\w \t]|\\\r?\n)*?)(?<!\w)import(?!\w))[ \t\\]*+"
    r"(?:\(([^)]*+)\)|([^\n\\;#]*+(?:\\\n[^\n\\;#]*+)*+))"
)
_IMPORT_BODY = r"import[ \t\\]++([^\n\\;#]*+(?:\\\n[^\n\\;#]*+)*+)"
#: A ``from`` import (groups: dots, module, spaced source, parenthesised names, plain names),
#: else an ``import`` (group: names).
_STATEMENT_BODY = f"(?:{_FROM_BODY}|{_IMPORT_BODY})"
#: What a line may start with, in one pass over the text: an import statement after spaces and
#: tabs (:data:`_STATEMENT_BODY`'s groups), else ``import`` or ``from`` in column 0 then a space,
#: a tab, a backslash, a bracket or a dot (no group takes part): what the scan hints name a
#: module-level import line (see :func:`statement_rows_and_top_level_lines`). Lookaheads, so that
#: a statement spanning lines never hides one starting on them.
_STATEMENT_OR_IMPORT_START = r"(?:(?=[ \t]*+" + _STATEMENT_BODY + r")|(?=(?:import|from)[ \t\\(.]))"
#: Such a line after a newline; not a line that a backslash ends the line above of (``from x \``
#: then ``import y``): that is part of the statement above. The first lookahead, which both
#: alternatives imply, turns away the lines that start with neither word at the least cost (a
#: third of the pass's time).
_STATEMENT_LINE = re.compile(r"\n(?=[ \t]*+(?:from|import))" + _STATEMENT_OR_IMPORT_START + r"(?<!\\\n)(?<!\\\r\n)")
_FIRST_STATEMENT = re.compile(_STATEMENT_OR_IMPORT_START)
_COMMENT = re.compile(r"#[^\n]*")
_CONTINUATION = re.compile(r"\\\r?\n")
#: A ``from`` import's source with nothing between its tokens: dots, then a dotted name or none.
_SOURCE = re.compile(r"(\.*)((?:(?!\d)\w+)(?:\.(?!\d)\w+)*)?")
_MODULE_BLOCK = re.compile(r"(?:if|elif|else|try|except|finally|with|for|while|async[ \t]+(?:with|for))\b")
_DEFINED_HERE = re.compile(r"(?:async[ \t]+def|def|class)[ \t]+(\w+)")
#: An annotation before an assignment's ``=``: what holds an ``=`` of its own (``Field(default=1)``,
#: ``Literal["a=b"]``) only inside brackets, so that the ``=`` after it is the assignment's; no
#: string holding one, no comparison (``X: "a=b"`` and ``X: a <= b`` bind nothing).
_ANNOTATION = r"""(?::(?:[^=\n"'\[(<>!]|\[[^\]\n]*+\]|\([^)\n]*+\)|"[^"=\n]*+"|'[^'=\n]*+')*+)?"""
_ASSIGNED = re.compile(
    r"\(?([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)[ \t]*,?[ \t]*\)?[ \t]*" + _ANNOTATION + r"=(?!=)"
)
#: What ``str.splitlines`` also breaks lines at; text with any of them has its blocks read line
#: by line.
_OTHER_LINE_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
#: What a column-0 line may tell of the names the module binds, each part a lookahead of its own
#: (several may hold of one line), in the order of the groups:
#: - a definition (its name) or a plain assignment (its target): ``def f``, ``x: int = 1``;
#: - an import statement (:data:`_STATEMENT_BODY`'s groups);
#: - the header of a top-level block, with its body (up to the next line that starts in column
#:   0 with code: not blank, not a comment), or else a line that may assign (what
#:   ``_ASSIGNED`` matches starts so and holds an ``=``).
#: The body is only read right when ``\n`` is the only line break (see _OTHER_LINE_BREAKS).
#: Possessive quantifiers where giving characters back could never let the rest match.
_COLUMN_ZERO_FACTS = (
    r"(?=[\w(])"
    r"(?:(?=(?:async[ \t]++def|def|class)[ \t]++(\w+)|(\w++)[ \t]*+" + _ANNOTATION + r"=(?!=))|)"
    r"(?:(?=" + _STATEMENT_BODY + r")|)"
    r"(?:(?=" + _MODULE_BLOCK.pattern + r")[^\n]*+((?:\n(?![^ \t\n#])[^\n]*+)*+)"
    r"|(?=(\(?[A-Za-z_][^\n=]*+=[^\n]*+))|)"
)
# After a newline: a literal start makes the search several times faster than ``^`` with
# MULTILINE. The first line is read apart.
_COLUMN_ZERO_LINE = re.compile(r"\n" + _COLUMN_ZERO_FACTS)
_FIRST_LINE = re.compile(_COLUMN_ZERO_FACTS)


def text_imports(text: str) -> list[TextImport]:
    """Every import statement that starts a line, as written."""
    return [TextImport(*row) for row in statement_rows(text)]


#: An import statement as the fields of its ``TextImport``: (line, level, module, names).
StatementRow = tuple[int, int, str | None, tuple[tuple[str, str | None], ...]]


def statement_rows(text: str) -> list[StatementRow]:
    """:func:`text_imports` as plain tuples: what a file's reading keeps (marshalled), with no
    object built per statement. (Remembering what each distinct statement text says, to look
    it up in the next file, costs more than reading it again: the key must be hashed.)"""
    return statement_rows_and_top_level_lines(text)[0]


def statement_rows_and_top_level_lines(text: str) -> tuple[list[StatementRow], list[int]]:
    """:func:`statement_rows`, and the lines that start in column 0 with ``import`` or ``from``
    then a space, a tab, a backslash, a bracket or a dot, unless the line before ends with a
    backslash (perhaps a carriage return or a blank line between), which makes it a
    continuation: the lines whose imports the scan hints prove module-level and unconditional.
    Both in order, from one regex pass over the text (they were two)."""
    rows: list[StatementRow] = []
    top_level: list[int] = []
    first = _FIRST_STATEMENT.match(text)
    line, offset = 1, 0
    count, continues = text.count, text.endswith
    # Each match is empty (the first) or the newline before its line: its end is the line's start.
    for match in chain([first] if first else (), _STATEMENT_LINE.finditer(text)):
        dots, module, spaced, parenthesised, plain, imported = match.groups()
        start = match.end()
        if dots is not None:  # from ... import
            names = _names(plain if parenthesised is None else parenthesised)
        elif imported is not None:  # import a.b, c as d
            names = _names(imported)
        elif spaced is not None and (source := spaced_source(spaced)) is not None:  # from . . import
            dots, module = "." * source[0], source[1]
            names = _names(plain if parenthesised is None else parenthesised)
        else:  # import or from in column 0, no statement the text can take apart
            names = ()
        at_top_level = text[start] not in " \t" and not continues("\\\n\n", 0, start)
        if not names and not at_top_level:
            continue
        line += count("\n", offset, start)
        offset = start
        if names:
            rows.append((line, len(dots), module or None, names) if dots is not None else (line, 0, None, names))
        if at_top_level:
            top_level.append(line)
    return rows, top_level


def spaced_source(source: str) -> tuple[int, str | None] | None:
    """(level, module) of a ``from`` import's source that :data:`_FROM_BODY` reads apart (``. .
    mod``, ``.\\`` then ``.``), as Python's tokenizer reads it: dots and names, each a token
    of its own, whitespace and line continuations between them ignored. None when Python would
    not read it as a source: no dot nor name, two names in a row, a dot ending the name."""
    pieces = _CONTINUATION.sub(" ", source).split()
    if not pieces or any(a[-1] != "." and b[0] != "." for a, b in pairwise(pieces)):
        return None
    found = _SOURCE.fullmatch("".join(pieces))
    return (len(found.group(1)), found.group(2)) if found else None


def evident_names(text: str) -> frozenset[str]:
    """Names the module plainly binds at module level: class, def, assignment (``a, b = ...``
    too) and import in column 0, and the same one level inside a top-level ``if``, ``try``,
    ``with`` or loop (never inside a def or class).

    Only lines of code count: a docstring's ``X = 1`` binds nothing, and a name trusted here is
    never checked by a parse. So the lines are read from the text with every literal that spans
    lines folded onto the line that opens it, and the text cut where its literals cannot be told
    (see :mod:`importcanon.adapters.spanning_literals`): a name that is left out only costs a
    parse of the module. One regex pass, at C speed, then finds the few column-0 lines that may
    bind a name, and what each may say; Python reads only those."""
    return names_of_code_lines(fold_spanning_literals(text))


def names_of_code_lines(text: str) -> frozenset[str]:
    """:func:`evident_names` of text whose every line starts in code (no literal spans lines)."""
    names: set[str] = set()
    by_line = any(character in text for character in _OTHER_LINE_BREAKS)
    first = _FIRST_LINE.match(text)
    # A group that took no part reads as "": every group read here is never empty when it takes
    # part, or says nothing when empty (an empty list of names, an empty block body).
    for match in chain([first] if first else [], _COLUMN_ZERO_LINE.finditer(text)):
        defined, assigned, dots, module, spaced, parenthesised, plain, imported, body, assignment = match.groups("")
        if (assigned or assignment) and _may_open_a_line(text, match.start()):
            assigned = assignment = ""  # ``name=value`` may be a keyword argument in brackets
        if defined or assigned:
            names.add(defined or assigned)
        listed = parenthesised or plain or imported  # only the one that took part may be non-empty
        # A ``from`` import whose source is neither dots nor a module as formatters write them
        # is read apart (``from . . import x``); nothing is bound by one Python would refuse.
        if listed and (imported or dots or module or spaced_source(spaced) is not None):
            dotted_binds_first = bool(imported)  # ``import a.b`` binds ``a``
            for name, alias in _names(listed):
                names.add(alias or (name.split(".")[0] if dotted_binds_first else name))
        if by_line:
            continue
        if assignment:
            names.update(_assigned(assignment))  # a, b = ... in column 0
        elif body:
            header = text[match.start() : match.end() - len(body)]  # the line before the body
            names.update(_names_in_block(body.split("\n"), header))
    if by_line:
        names.update(_block_names_by_line(text.splitlines()))
    return frozenset(names)


def _block_names_by_line(lines: list[str]) -> Iterator[str]:
    """Names assigned in column 0, and bound one level inside a top-level block, read line by
    line (for text with line breaks beyond ``\\n``)."""
    in_block, block, previous = False, list[str](), ""
    for line in lines:
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        if len(line) == len(stripped):  # column 0: the block above (if any) ends here
            if in_block:
                yield from _names_in_block(block)
            in_block, block = _MODULE_BLOCK.match(stripped) is not None, []
            if not in_block and not _opens_a_line(previous):
                yield from _assigned(stripped)
        elif in_block:
            block.append(line)
        previous = line
    if in_block:
        yield from _names_in_block(block)


def _names_in_block(lines: list[str], header: str = "") -> Iterator[str]:
    """The names the first level of a top-level block's body binds (its lines are all indented);
    ``header``: the block's first line, which may leave its first lines inside brackets (``with
    DAG(`` then ``    dag_id="x",``)."""
    level, previous = -1, header
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
            elif not _opens_a_line(previous):
                yield from _assigned(stripped)
        previous = line


def _may_open_a_line(text: str, end: int) -> bool:
    """Whether the last line of code before position ``end`` (blank and comment lines aside)
    may leave the line after it inside brackets: see :func:`_opens_a_line`."""
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        code = text[start:end].lstrip(" \t")
        if code and code[0] not in "#\r":
            return _opens_a_line(code)
        end = start - 1
    return False


def _opens_a_line(line: str) -> bool:
    """Whether the line after ``line`` (of code) may be inside brackets or continue it: only
    after an opening bracket, a comma or a backslash can a line hold ``name=value`` that is a
    keyword argument or a default (``dict(\\nX=1)``), not an assignment. Its strings all end on
    it (those that span lines are folded, see ``evident_names``), so its comment starts at the
    first ``#`` outside them."""
    code = line.rstrip(" \t\r")
    if "#" in code:
        if '"' in code or "'" in code:
            code = _ONE_LINE_STRING.sub('""', code)
        code = code.partition("#")[0].rstrip(" \t")
    return code.endswith(_OPENING)


_OPENING = ("(", "[", "{", ",", "\\")
_ONE_LINE_STRING = re.compile(r"""(?:"(?:[^"\\\n]|\\.)*+"|'(?:[^'\\\n]|\\.)*+')""")


def _assigned(statement: str) -> Iterator[str]:
    """The names ``a = b, c = ...`` assigns (chained and unpacking targets included)."""
    position = 0
    while match := _ASSIGNED.match(statement, position):
        yield from (name.strip() for name in match.group(1).split(","))
        position = match.end()
        while position < len(statement) and statement[position] in " \t":
            position += 1


def _names(listed: str) -> tuple[tuple[str, str | None], ...]:
    if "#" in listed:
        listed = _COMMENT.sub("", listed)
    if "\\" in listed:
        listed = listed.replace("\\\n", " ")
    if "," not in listed:  # one name, as most statements import: no list built
        words = listed.split()
        if len(words) == 1:
            return ((words[0], None),)
        return ((words[0], words[2]),) if len(words) == 3 and words[1] == "as" else ()
    pairs: list[tuple[str, str | None]] = []
    for item in listed.split(","):
        words = item.split()
        if len(words) == 1:
            pairs.append((words[0], None))
        elif len(words) == 3 and words[1] == "as":
            pairs.append((words[0], words[2]))
    return tuple(pairs)
