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

A plain ``from x import Name`` is recorded as its source (level and module as written) instead,
with the line of the statement when the text alone shows it to be a statement of its own at
module level (``from`` in column 0, nothing but names up to the end of the statement, no quote
on its lines, no backslash ending the line above; 0 otherwise): once grimp says an import starts
on that line, such an import needs no parse (see ``Mention.module_level_imports``).

Python reads an identifier as its NFKC normal form (``Ｎame`` is ``Name``), so a file with a
character beyond ASCII in its code claims every role. The tests are one-sided: a role is
claimed whenever the line might play it (a keyword argument
``f(a=Name)`` counts as an alias, a line of bare names inside brackets plays every role, as does
a line continued by a backslash), never denied when it could; so a file judged to play no role
for a name certainly yields no import, binding or call of it to a parser. The property tests in
tests/test_mentions.py hold the scan to that against ``ast``.
"""

from __future__ import annotations

import ast
import keyword
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache

from importcanon.adapters.kinds import NOT_CODE_PATTERN

IMPORTS, BINDS, ALIASES, CALLS = 1, 2, 4, 8
EVERY_ROLE = IMPORTS | BINDS | ALIASES | CALLS

#: (roles, plain from-imports as (level, module as written, line or 0)), one per occurrence:
#: what :func:`scan_mentions` finds.
Mentions = tuple[int, tuple[tuple[int, str, int], ...]]

_WORD_CHAR = re.compile(rb"\w")
_IMPORT_WORD = re.compile(rb"\bimport\b")
#: Only names, dots and commas, perhaps an opening bracket first and a closing one last: a piece
#: of a bracketed list (import names, assignment targets) that says nothing by itself.
_BARE_NAMES = re.compile(rb"[ \t]*+[(\[]?[\w \t,.*]*+[)\]]?[ \t,\\]*+")  # possessive: no backtracking
_ASSIGNMENT = re.compile(rb"(?<!=)=(?!=)")  # also <=, >=, != and keyword arguments: one-sided
#: Just before the name: ``def``/``class``; ``global`` (a module-level name once the function
#: has run); ``as`` then only names and brackets (``as (a, Name)``); a ``for`` not yet followed
#: by its ``in``; ``case`` or ``match`` anywhere before.
_BINDING_BEFORE = re.compile(
    rb"\b(?:def|class)\s+$|\bglobal\b[\s\w,]*$|\bas\b[\s(\[,\w]*$|\bfor\b(?:(?!\bin\b).)*$|\b(?:case|match)\b"
)
_ANNOTATION_AFTER = re.compile(rb"\s*:")
_TARGET_AFTER = re.compile(rb".*\bin\b")
_CALL_AFTER = re.compile(rb"\s*(?:\.|\)*\s*(?:\(|$))")  # ``Name(``, ``(Name)(``, ``Name.attr(``
_AS_BEFORE = re.compile(rb"\bas\s*$")
_AS_AFTER = re.compile(rb"\s+as\b")
#: ``from .x import a, b`` or ``from x import (a,\n b)`` at the start of a line: level dots
#: (spaces and tabs may stand between them: ``from . . x``), module, then the names (group 3);
#: anything else in the list (a comment) and it is no match. The module starts with a word
#: character: ``from . .x`` is two levels up, never a module ``.x``.
_FROM_IMPORT = re.compile(
    rb"[ \t]*from[ \t]+(\.*+(?:[ \t]++\.++)*+)[ \t]*((?:\w[\w.]*)?)[ \t]+import(?!\w)[ \t]*(\([\w\s,]*\)|[\w \t,]*)"
)
#: What may follow a plain import on its last line for it to be a statement of its own lines.
_STATEMENT_END = re.compile(rb"[ \t]*(?:[#;][^\n]*)?\r?(?:\n|$)")
_QUOTE = re.compile(rb"[\"']")
#: A string literal or a comment, as Python's tokenizer reads them from the start of a file:
#: what may hold quotes, brackets and newlines that are not code. A prefix (``rb``, ``f``) is
#: left behind as letters.
_NOT_CODE = re.compile(NOT_CODE_PATTERN.encode(), re.DOTALL)
_BRACKET = re.compile(rb"[()\[\]{}]")
#: Keywords that start a statement (or a conditional expression's part, ``if``/``else``/``not``
#: at the start of a line inside brackets), never a piece of an import or of assignment targets.
_STATEMENT_KEYWORD = re.compile(
    rb"[ \t]*(?:return|del|raise|assert|pass|break|continue|global|nonlocal|while|with|class|def|try"
    rb"|except|finally|elif|if|else|not)\b"
)
_TEST_START = re.compile(rb"[ \t]*(?:if|elif|while)[ \t(]*")
#: A doctest prompt opening a line: ``>>>`` cannot start a line of code, nor continue one.
_PROMPT = re.compile(rb"[ \t]*>>>")
_ATTRIBUTE_AFTER = re.compile(rb"[ \t]*\.")
#: After a name: an attribute, subscript or call of it, or another parameter (``, y: int``).
_NOT_A_TARGET_AFTER = re.compile(rb"[ \t]*(?:[.\[(]|,[ \t]*(?:[*/][ \t]*,[ \t]*)?\*{0,2}\w+[ \t]*:(?!=))")
#: Before a name: a parameter or variable and its colon (``x: Name``), first on the line or
#: after a comma: the name starts an annotation (on a line no keyword opens).
_ANNOTATED_BEFORE = re.compile(rb"(?:^|,)[ \t]*\*{0,2}\w+[ \t]*:[ \t]*$")
_ANY_KEYWORD = re.compile(
    rb"[ \t]*(?:for|with|if|elif|while|else|try|except|finally|class|def|async|match|case|lambda|return|del"
    rb"|raise|assert|global|nonlocal|import|from|yield|await|not|type)\b"
)
_DEF_START = re.compile(rb"[ \t]*(?:async[ \t]+)?def\b")
#: After the value of an assignment that is a dotted name: more of the name, closing brackets,
#: then the end of the statement.
_VALUE_END = re.compile(rb"(?:[ \t]*\.[ \t]*\w+)*[ \t)]*(?:;.*)?$")
#: A coding declaration (PEP 263), looked for in the first two lines.
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)
#: The part of a line before its first ``;`` or closing bracket: when that is only names, the
#: line may continue an import statement from the lines above.
_HEAD = re.compile(rb"[^;)\]]*")  # always matches
_BEYOND_ASCII = re.compile(rb"[\x80-\xff]")


@lru_cache(maxsize=256)
def _occurrence(needle: str) -> re.Pattern[bytes]:
    # A literal first, so the regex engine searches fast; the character before is checked apart.
    return re.compile(re.escape(needle.encode()) + rb"(?!\w)")


#: What ``\w`` matches in a pattern on bytes.
_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def word_starts(data: bytes, needle: str) -> Iterator[int]:
    """Where ``needle`` occurs as a whole identifier: ``S`` not inside ``Set`` or ``_S``."""
    encoded = needle.encode()
    if not encoded or not _WORD_BYTES.issuperset(encoded):
        for match in _occurrence(needle).finditer(data):
            start = match.start()
            if not (start and _WORD_CHAR.match(data, start - 1)):
                yield start
        return
    # A needle of word characters only: ``bytes.find`` skips ahead faster than the regex engine,
    # and no occurrence overlapping one found can start a word (a word character precedes it).
    size, length = len(encoded), len(data)
    start = data.find(encoded)
    while start >= 0:
        end = start + size
        if (not start or data[start - 1] not in _WORD_BYTES) and (end == length or data[end] not in _WORD_BYTES):
            yield start
        start = data.find(encoded, end)


def scan_mentions(data: bytes, needle: str, strings: StringSpans | None = None) -> Mentions:
    """The roles ``needle`` (a whole word) may play in ``data``, and its plain from-imports;
    ``strings``: the reading of ``data``'s strings other readings of it share."""
    roles = 0
    sources: list[tuple[int, str, int]] = []
    size = len(needle.encode())
    strings = strings or StringSpans(data)
    for start in word_starts(data, needle):
        line_start = data.rfind(b"\n", 0, start) + 1
        line_end = data.find(b"\n", start)
        if (
            roles & _USES == _USES
            and data[start + size : start + size + 1] == b"."
            and _no_import(data, line_start, line_end)
        ):
            continue  # ``Name.attr``: it uses the name, and binds it only in ``import Name.sub``
        line = data[line_start : line_end if line_end >= 0 else len(data)].rstrip(b"\r")
        column = start - line_start
        reading = _LINE_READINGS.get((line, column, size))
        if reading is None:
            reading = _line_reading(line, column, size)
        prompt, may_import, claimed = reading
        if prompt:
            continue  # a doctest line: never code, and no quote on it ends a string around it
        if may_import:
            source = _plain_import(data, start, size, line_start, strings)
            if source is not None:
                sources.append(source)
                continue
        if not claimed & ~roles:
            continue  # nothing new, even read loosely
        # Read again with the line's strings and comments blanked: that may rule roles out.
        if claimed & IMPORTS:  # rare, and perhaps a line in a docstring: read exactly
            code = strings.code(line_start, line_start + len(line))
        else:
            code = _code_of(line, line_start, data, strings)
        if code is None:
            roles |= claimed
        elif code[column : column + size] == line[column : column + size]:  # not in a string
            roles |= _code_roles(code, code[:column], code[column + size :], _continues(data, line_start))
        if roles == EVERY_ROLE:
            break
    if roles != EVERY_ROLE and not data.isascii() and _code_beyond_ascii(data, strings):
        roles = EVERY_ROLE  # an identifier beyond ASCII may be the needle to the parser (NFKC)
    return roles, tuple(sorted(sources))


#: The roles of a name used as it is (``Name.attr``, ``Name.method()``, ``x = Name.attr``): once
#: a file has claimed both, its occurrences followed by a dot are passed over unread (sympy's
#: ``S``: 18,000 of 23,500 occurrences, such as ``S.One``; its reading of every file took 0.22 s,
#: 0.14 s since). Such an occurrence binds the name nowhere but in an import statement (``import
#: Name.sub``), and none reaches its line but on a line that says ``import`` or continues one
#: with a backslash.
_USES = CALLS | ALIASES


def _no_import(data: bytes, line_start: int, line_end: int) -> bool:
    """Whether the line holds no ``import`` and continues no line above it (a backslash)."""
    end = line_end if line_end >= 0 else len(data)
    return data.find(b"import", line_start, end) < 0 and not _continues(data, line_start)


def _code_beyond_ascii(data: bytes, strings: StringSpans) -> bool:
    """Whether a byte beyond ASCII stands in code, not in a string or comment (or may)."""
    found = _BEYOND_ASCII.search(data)
    while found is not None:
        position = found.start()
        if not strings.inside(position) or position >= strings.unsure_from:
            return True
        found = _BEYOND_ASCII.search(data, strings.ends[bisect_right(strings.starts, position) - 1])
    return False


#: What a line alone says of an occurrence (see :func:`_line_reading`), by (line, column, size):
#: a project repeats its lines (``hass: HomeAssistant,`` thousands of times), so each distinct
#: one is read once. Emptied when it grows large.
_LINE_READINGS: dict[tuple[bytes, int, int], tuple[bool, bool, int]] = {}


def _line_reading(line: bytes, column: int, size: int) -> tuple[bool, bool, int]:
    """Of the occurrence at ``column`` (``size`` bytes) of ``line``: whether the line is a
    doctest prompt (never code); whether it may be or continue an import statement; the roles
    it may play read loosely (:func:`_roles`). All of it depends on the line alone."""
    if len(_LINE_READINGS) >= 10_000:
        _LINE_READINGS.clear()
    if _PROMPT.match(line) is not None and _QUOTE.search(line) is None:
        reading = (True, False, 0)
    else:
        imports = b"import" in line and _IMPORT_WORD.search(line) is not None
        piece = _is_piece(line)
        reading = (False, imports or piece, _roles(line, line[:column], line[column + size :], piece, imports))
    _LINE_READINGS[line, column, size] = reading
    return reading


def _code_of(line: bytes, line_start: int, data: bytes, strings: StringSpans) -> bytes | None:
    """The line with its strings and comments blanked; None for a line with an f-string (its
    braces hold code) or that cannot be read.

    Read from the line alone when it has no triple quote and does not follow a backslash: a
    string that began above (if any) then takes the whole line, and what is read from a line
    inside a string plays no role, whatever it says. Else read from the start of the file."""
    if b"\r" in line:  # a line break to Python: read from the start of the file
        return strings.code(line_start, line_start + len(line))
    if _QUOTE.search(line) is None:
        comment = line.find(b"#")
        return line if comment < 0 else line[:comment] + b" " * (len(line) - comment)
    if _continues(data, line_start) or b'"""' in line or b"'''" in line:
        return strings.code(line_start, line_start + len(line))
    blanked = bytearray(line)
    for found in _NOT_CODE.finditer(line):
        start, end = found.span()
        if start and line[start - 1] in _PREFIX_LETTERS and _F_PREFIX.search(line, max(0, start - 3), start):
            return None
        filler = b" " if line[start : start + 1] == b"#" else b"0"
        blanked[start:end] = (filler + b" " * (end - start))[: end - start]
    return bytes(blanked)


def _is_piece(line: bytes) -> bool:
    """Whether the line may be (or start with) a piece of a statement begun above: only names
    up to its end, its comment, its first ``;`` or its first closing bracket."""
    code = line.partition(b"#")[0]
    if _BARE_NAMES.fullmatch(code) is not None:
        return True
    head = _HEAD.match(code).end()  # type: ignore[union-attr]
    return _WORD_CHAR.search(code, 0, head) is not None and _BARE_NAMES.fullmatch(code, 0, head) is not None


def _roles(line: bytes, before: bytes, after: bytes, piece: bool, imports: bool) -> int:
    """The roles the occurrence between ``before`` and ``after`` may play on ``line`` read
    loosely, given whether the line is a piece of a statement (:func:`_is_piece`) and holds the
    word ``import``. Each regex searches only where a byte string it needs is in the text (a
    test at C speed): most lines hold none."""
    if piece or line.rstrip().endswith(b"\\"):
        return EVERY_ROLE  # a piece of a longer statement: it could be anything
    roles = IMPORTS if imports else 0
    if (
        (_may_bind_before(before) and _BINDING_BEFORE.search(before))
        or (b"=" in after and _ASSIGNMENT.search(after))
        or _ANNOTATION_AFTER.match(after)
        or (b"in" in after and _TARGET_AFTER.match(after))
    ):
        roles |= BINDS
    if b"=" in before and _ASSIGNMENT.search(before):
        roles |= ALIASES
    if _CALL_AFTER.match(after):
        roles |= CALLS
    return roles


def _may_bind_before(before: bytes) -> bool:
    """Whether ``before`` holds a word :data:`_BINDING_BEFORE` needs: ``def``, ``global``,
    ``for``, ``match``, or ``as`` (also in ``class`` and ``case``)."""
    return b"as" in before or b"def" in before or b"for" in before or b"global" in before or b"match" in before


def _code_roles(code: bytes, before: bytes, after: bytes, continued: bool) -> int:
    """The roles of an occurrence on a line whose strings and comments are blanked out (and
    ``continued``: the line above ends with a backslash): what :func:`_roles` claims, less what
    the shape of the code rules out.

    A line opened by a keyword that only starts a statement (``return``, ``if``...) is no piece
    of a statement begun above, and an ``in`` on it is no ``for`` target's. On a piece of a
    bracketed expression begun above, or a line that a backslash continues, a name followed by
    an attribute may only be part of a value (an alias or a call) unless the line above ends
    with a backslash too (``import a, \\`` then ``Name.sub``).

    A name inside the brackets of a call, a subscript or a parameter list, or on a ``def`` line
    past its name, or followed by an attribute, subscript or call, or by another parameter (``x:
    Name, y: int = 0``), or after one's colon (``x: Name = None``), or opening the test of an
    ``if``, is no assignment target; one not at the end of an assignment's value
    (dotted names and closing brackets aside) is no alias."""
    keyword = _STATEMENT_KEYWORD.match(code)
    if keyword is None and (_is_piece(code) or code.rstrip().endswith(b"\\")):
        if continued or not _ATTRIBUTE_AFTER.match(after):
            return EVERY_ROLE  # a piece of a longer statement: it could be anything
        return ALIASES | CALLS | (IMPORTS if _IMPORT_WORD.search(code) else 0)
    roles = IMPORTS if _IMPORT_WORD.search(code) else 0
    in_signature = _DEF_START.match(code) is not None and b"(" in before
    may_be_target = (
        not in_signature
        and not _NOT_A_TARGET_AFTER.match(after)
        and not _in_display_or_call(before)
        and not (keyword is not None and _TEST_START.fullmatch(before))
        and not (_ANNOTATED_BEFORE.search(before) and _ANY_KEYWORD.match(code) is None)
    )
    if (
        _BINDING_BEFORE.search(before)
        or (
            keyword is None and not in_signature and not _NOT_A_TARGET_AFTER.match(after) and _TARGET_AFTER.match(after)
        )
        or (may_be_target and (_ASSIGNMENT.search(after) or _ANNOTATION_AFTER.match(after)))
    ):
        roles |= BINDS
    if _ASSIGNMENT.search(before) and _VALUE_END.match(after):
        roles |= ALIASES
    if _CALL_AFTER.match(after):
        roles |= CALLS
    return roles


def _in_display_or_call(before: bytes) -> bool:
    """Whether the innermost bracket open at the end of ``before`` (code of one line) holds no
    assignment target: braces (a dict or set), or the brackets of a call, a parameter list or a
    subscript (they follow a name or a closing bracket). A tuple or list may be a target."""
    openers: list[int] = []
    for match in _BRACKET.finditer(before):
        if match.group() in b"([{":
            openers.append(match.start())
        elif openers:
            openers.pop()
    if not openers:
        return False
    if before[openers[-1] : openers[-1] + 1] == b"{":
        return True
    preceding = before[: openers[-1]].rstrip(b" \t")
    return preceding[-1:] in (b")", b"]") or _WORD_CHAR.match(preceding[-1:]) is not None


def _plain_import(
    data: bytes, start: int, size: int, line_start: int, strings: StringSpans
) -> tuple[int, str, int] | None:
    """(level, module, line) when the occurrence at ``start`` is a name of a plain ``from ...
    import`` written at the start of a line (possibly one above, inside its brackets), outside
    any triple-quoted string; else None. ``line`` is 0 unless the statement is plainly one of its
    own at module level (see :func:`_module_level_line`)."""
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
    level, module = found.group(1).count(b"."), found.group(2).decode("ascii", "replace")
    return level, module, _module_level_line(data, statement, found.end(), strings)


def _module_level_line(data: bytes, statement: int, names_end: int, strings: StringSpans) -> int:
    """The line of the statement from ``statement`` to ``names_end`` when it is certainly a
    statement of its own at module level, else 0.

    In a file that parses, ``from m import a, b`` in column 0 outside any string, the line above
    not ending with a backslash, is a module-level statement: inside brackets it would be a
    syntax error. Nothing but a comment or ``;`` may follow it on its last line, no quote may sit
    on its lines, and Python must count its lines as this text does (no lone carriage return, no
    multi-byte encoding whose bytes could pass for quotes or backslashes).
    """
    if data[statement : statement + 4] != b"from" or _continues(data, statement):
        return 0
    end = _STATEMENT_END.match(data, names_end)
    if end is None or _QUOTE.search(data, statement, end.end()):
        return 0
    if _CODING.search(data, 0, _first_lines_end(data)) and not data[: end.end()].isascii():
        return 0
    if strings.inside(statement):
        return 0
    return data.count(b"\n", 0, statement) + 1


def _continues(data: bytes, line_start: int) -> bool:
    """Whether the line starting at ``line_start`` continues the one above (a trailing backslash)."""
    end = line_start - 1  # the newline
    if end > 0 and data[end - 1 : end] == b"\r":
        end -= 1
    return end > 0 and data[end - 1 : end] == b"\\"


def _first_lines_end(data: bytes) -> int:
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1) if first >= 0 else -1
    return len(data) if second < 0 else second


class StringSpans:
    """Where the string literals and comments of a file lie, read from its start as far as asked.

    Python 3.12 lets an f-string nest quotes of its own kind (``f"{d["k"]}"``), which this
    reading would end early: an f-string whose braces do not balance makes everything after
    its start unknown, and a lone carriage return (a line break to Python) the whole file.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.searched = 0  # every literal or comment starting before this is known
        self.formatted: set[int] = set()  # where f-strings start
        self._found = _NOT_CODE.finditer(data)
        self.unsure_from = -1  # not known yet (see _read_to)

    def _read_to(self, position: int) -> None:
        if self.unsure_from < 0:
            # A lone carriage return ends a line for Python, not for this reading: nothing is known.
            lone_return = b"\r" in self.data and self.data.count(b"\r") != self.data.count(b"\r\n")
            self.unsure_from = 0 if lone_return else len(self.data) + 1
        while self.searched <= position and self.searched < self.unsure_from:
            found = next(self._found, None)
            if found is None:
                self.searched = len(self.data) + 1
                return
            start, self.searched = found.span()
            self.starts.append(start)
            self.ends.append(self.searched)
            if (
                start
                and self.data[start - 1] in _PREFIX_LETTERS
                and _F_PREFIX.search(self.data, max(0, start - 3), start)
            ):
                self.formatted.add(start)  # code in its braces: no line with it is blanked
                if not _balanced(found.group()):
                    self.unsure_from = start

    def inside(self, position: int) -> bool:
        """Whether ``position`` lies inside a string literal or a comment (or it cannot be told)."""
        self._read_to(position)
        if position >= self.unsure_from:
            return True
        index = bisect_right(self.starts, position) - 1
        return index >= 0 and position < self.ends[index]

    def depth(self, position: int) -> int | None:
        """How many brackets are open at ``position`` (outside any string or comment), counted
        from the start of the file; None when that cannot be told."""
        self._read_to(position)
        if position >= self.unsure_from:
            return None
        before = bisect_left(self.starts, position)  # the strings and comments that start before it
        data = self.data
        if not before:
            return _bracket_balance(data[:position])
        # The code between them, joined: brackets counted once, not once per gap.
        gaps = zip([0, *self.ends[:before]], [*self.starts[:before], position])
        return _bracket_balance(b"".join([data[start:end] for start, end in gaps]))

    def closing(self, opening: int) -> int | None:
        """Just past the bracket that closes the one at ``opening`` (outside strings and
        comments); None when there is none or that cannot be told."""
        depth = 0
        position = opening
        while position < len(self.data):
            self._read_to(position)
            if position >= self.unsure_from:
                return None
            index = bisect_right(self.starts, position) - 1
            if index >= 0 and position < self.ends[index]:
                position = self.ends[index]
                continue
            char = self.data[position : position + 1]
            if char in (b"(", b"[", b"{"):
                depth += 1
            elif char in (b")", b"]", b"}"):
                depth -= 1
                if depth == 0:
                    return position + 1
            position += 1
        return None

    def code(self, start: int, end: int) -> bytes | None:
        """``data[start:end]`` (within one line) with its strings and comments blanked out (a
        string becomes ``0`` and spaces, a comment spaces); None when that cannot be told or the
        line holds part of an f-string, whose braces hold code."""
        self._read_to(end)
        if end >= self.unsure_from:
            return None
        line = bytearray(self.data[start:end])
        index = max(0, bisect_right(self.starts, start) - 1)
        while index < len(self.starts) and self.starts[index] < end:
            left, right = max(self.starts[index], start), min(self.ends[index], end)
            if left < right and self.starts[index] in self.formatted:
                return None
            if left < right:
                filler = b"0" if self.data[self.starts[index] : self.starts[index] + 1] != b"#" else b" "
                line[left - start : right - start] = (filler + b" " * (right - left))[: right - left]
            index += 1
        return bytes(line)


_PREFIX_LETTERS = frozenset(b"rRbBfFtT")


def _bracket_balance(code: bytes) -> int:
    """The brackets ``code`` opens less those it closes: what is left when every other byte is
    deleted, twice at C speed (six counts cost more)."""
    return len(code.translate(None, _NOT_OPENING)) - len(code.translate(None, _NOT_CLOSING))


_NOT_OPENING = bytes(byte for byte in range(256) if byte not in b"([{")
_NOT_CLOSING = bytes(byte for byte in range(256) if byte not in b")]}")


#: The prefix of an f-string (or a t-string) just before its quote.
_F_PREFIX = re.compile(rb"(?<![\w])[rRbB]?[fFtT][rR]?$")


def _balanced(literal: bytes) -> bool:
    """Whether an f-string's braces pair up, ``{{`` and ``}}`` aside."""
    plain = literal.replace(b"{{", b"").replace(b"}}", b"")
    return plain.count(b"{") == plain.count(b"}")


def _column_zero(statement: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """Patterns that find ``statement`` (which never spans lines) at the start of a line: after
    a newline (a literal start, which the regex engine searches for at C speed, where ``^``
    with MULTILINE makes it try every position), and at the start of the text."""
    return re.compile(b"\n(?=" + statement + b")"), re.compile(statement)


def _line_starts(patterns: tuple[re.Pattern[bytes], re.Pattern[bytes]], data: bytes) -> Iterator[int]:
    """Where the lines that :func:`_column_zero`'s ``patterns`` find start, in order."""
    after_newline, at_start = patterns
    if at_start.match(data):
        yield 0
    for match in after_newline.finditer(data):
        yield match.start() + 1


#: A definition in column 0: ``def`` and ``class`` only start statements, never sit in brackets.
_DEFINITION = _column_zero(rb"(?:async[ \t]+def|def|class)[ \t]")
_ALL_ASSIGNED = re.compile(rb"__all__[ \t]*=[ \t]*(?=[\[(])")
_ALL_END = re.compile(rb"[ \t]*(?:[#;][^\n]*)?\r?(?:\n|$)")


def top_level_facts(data: bytes) -> tuple[tuple[str, ...] | None, bool] | None:
    """(``__all__`` as a parse reads it, whether a def or class certainly sits at the top level)
    when the text tells ``__all__`` exactly; None when only a parse can.

    ``__all__`` is told when no code names it (None), or when the only code that does is one
    ``__all__ = [...]`` (or a tuple) in column 0, outside every bracket, alone on its lines:
    its value is then read as the parser reads it (strings only, or unknown)."""
    strings = StringSpans(data)
    named = list(word_starts(data, "__all__"))
    in_code = [start for start in named if not strings.inside(start)]
    if named and named[-1] >= strings.unsure_from:
        return None  # whether some of them are code cannot be told
    defines = any(
        not strings.inside(start) and not _continues(data, start) for start in _line_starts(_DEFINITION, data)
    )
    if not in_code:
        return None, defines
    if len(in_code) > 1 or _CODING.search(data, 0, _first_lines_end(data)):
        return None
    start = in_code[0]
    if (start and data[start - 1 : start] != b"\n") or _continues(data, start) or strings.depth(start) != 0:
        return None
    assigned = _ALL_ASSIGNED.match(data, start)
    if assigned is None:
        return None
    end = strings.closing(assigned.end())
    if end is None or _ALL_END.match(data, end) is None:
        return None
    try:
        value = ast.parse(data[assigned.end() : end].decode(), mode="eval").body
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        return None
    if isinstance(value, (ast.List, ast.Tuple)) and all(
        isinstance(item, ast.Constant) and isinstance(item.value, str) for item in value.elts
    ):
        return tuple(item.value for item in value.elts), defines  # type: ignore[attr-defined]
    return None, defines


#: Words that open a statement a shim may hold (``try:``, ``del x``, ``if TYPE_CHECKING:``), and
#: ``__all__``, whose assignment a shim may hold too: never read as the name of a statement below.
_NOT_A_NAME = "|".join([*keyword.kwlist, *keyword.softkwlist, "__all__"]).encode()
#: In column 0, a statement that no shim holds: ``Name: T`` (an annotated assignment),
#: ``Name = "literal"`` / a number / a list / a dict / a call (``Name = f(...)``), or a call as a
#: statement other than a warning's (``setup(...)``). A shim's top level holds only imports,
#: ``__all__``, re-bindings to dotted names or None, warnings and ``del``.
_NOT_SHIM_STATEMENT = _column_zero(
    rb"(?!(?:" + _NOT_A_NAME + rb")\b)[A-Za-z_]\w*[ \t]*"
    rb"(?::(?!=)|=[ \t]*(?:[\"'\d\[{\-]|[rRbBfFuU]{1,2}[\"']|[A-Za-z_][\w.]*[ \t]*\())"
    rb"|(?!(?:" + _NOT_A_NAME + rb"|warn|warnings)\b)[A-Za-z_][\w.]*[ \t]*\("
)


#: In column 0, a compound statement no shim holds: a definition, a loop, a ``with``, a decorator.
_NOT_SHIM_BLOCK = _column_zero(rb"(?:async[ \t]+def|def|class|for|while|with|@)\b")


def holds_code(data: bytes, strings: StringSpans | None = None) -> bool:
    """Whether the text certainly holds top-level code no shim has, or nothing a shim passes on:
    so that the thousands of modules of constants and one-line docstrings are never parsed to
    learn they are no shims.

    True when the file has no ``import`` at all (a module that imports nothing re-exports no
    project name), or when a statement of :data:`_NOT_SHIM_STATEMENT` starts a top-level
    statement (see :func:`_starts_top_level_statement`).
    """
    return b"import" not in data or _starts_top_level_statement(_NOT_SHIM_STATEMENT, data, strings)


def holds_blocks(data: bytes, strings: StringSpans | None = None) -> bool:
    """Whether a definition, loop, ``with`` or decorator (:data:`_NOT_SHIM_BLOCK`) starts a
    top-level statement: read exactly, so a triple quote in a comment or in a string of the
    other kind fools no count of quotes."""
    return _starts_top_level_statement(_NOT_SHIM_BLOCK, data, strings)


def _starts_top_level_statement(
    patterns: tuple[re.Pattern[bytes], re.Pattern[bytes]], data: bytes, strings: StringSpans | None
) -> bool:
    """Whether a line the column-0 ``patterns`` find lies outside every string, comment and
    bracket, the line above not continued by a backslash: in a file that parses, such a line
    starts a top-level statement. ``strings``: the reading of ``data``'s strings, when shared."""
    for start in _line_starts(patterns, data):
        strings = strings or StringSpans(data)
        if not strings.inside(start) and not _continues(data, start) and strings.depth(start) == 0:
            return True
    return False
