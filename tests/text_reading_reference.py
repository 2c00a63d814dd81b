"""The per-file text readings as they were before they were made faster, kept as the oracle the
faster ones must equal (tests/test_text_reading_reference.py, on generated text and on the
benchmark trees). The leaves both share unchanged (how a list of names, an assignment or a
block body is read, what an annotation before an ``=`` may hold, whether a line of code may leave
the next inside brackets) are imported from the modules themselves, not copied.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable, Iterator, Set
from itertools import accumulate

from importcanon.adapters.import_statements import (
    _ANNOTATION,
    _COMMENT,
    _FROM_BODY,
    _IMPORT_BODY,
    _OTHER_LINE_BREAKS,
    _assigned,
    _block_names_by_line,
    _may_open_a_line,
    _names_in_block,
    spaced_source,
)
from importcanon.adapters.mentions import (
    _ALL_ASSIGNED,
    _ALL_END,
    _ANNOTATION_AFTER,
    _ASSIGNMENT,
    _BARE_NAMES,
    _BINDING_BEFORE,
    _CALL_AFTER,
    _CODING,
    _HEAD,
    _IMPORT_WORD,
    _NOT_A_NAME,
    _PROMPT,
    _QUOTE,
    _TARGET_AFTER,
    ALIASES,
    BINDS,
    CALLS,
    EVERY_ROLE,
    IMPORTS,
    _first_lines_end,
)
from importcanon.adapters.mentions import StringSpans as _FasterStrings
from importcanon.adapters.mentions import _continues as _data_continues
from importcanon.domain.facts import TextImport
from importcanon.domain.modules import absolute_import_target

_FROM = re.compile(r"[ \t]*+" + _FROM_BODY)
_IMPORT = re.compile(r"[ \t]*+" + _IMPORT_BODY)
_TOP_LEVEL_IMPORT_LINE = re.compile(r"\n()(?:import|from)[ \t\\(.]")
_IMPORT_LINE = re.compile(r"\n([ \t\f]*+)(?:import|from)[ \t\\(.]")
_MODULE_BLOCK_PATTERN = r"(?:if|elif|else|try|except|finally|with|for|while|async[ \t]+(?:with|for))\b"
_COLUMN_ZERO_BLOCK_OR_ASSIGNMENT = re.compile(
    r"\n(?=[A-Za-z_(])(?:(?=" + _MODULE_BLOCK_PATTERN + r")[^\n]*|(?P<assignment>\(?[A-Za-z_][^\n=]*=[^\n]*))"
)
_DEFINED = re.compile(r"\n(?:(?:async[ \t]+def|def|class)[ \t]+(\w+)|(\w+)[ \t]*" + _ANNOTATION + r"=(?!=))")
_WORD_CHAR = re.compile(rb"\w")
_MAYBE_TOO_DEEP = re.compile(r"\n(?:[ \t]{100}|[^\n]{3000})")
_COLUMN_ZERO = re.compile(r"\n[^ \t\n#]")


def import_lines(text: str, *, top_level_only: bool = False) -> Iterator[tuple[int, bool, int]]:
    pattern = _TOP_LEVEL_IMPORT_LINE if top_level_only else _IMPORT_LINE
    first = pattern.match("\n" + text[:200])
    if first:
        yield 1, bool(first.group(1)), 0
    line, offset = 1, 0
    for match in pattern.finditer(text):
        start = match.start() + 1
        line += text.count("\n", offset, start)
        offset = start
        yield line, bool(match.group(1)), start


def text_imports(text: str) -> list[TextImport]:
    found = []
    for line, _, offset in import_lines(text):
        if _continues(text, offset):
            continue
        statement = _read(text, offset, line)
        if statement is not None:
            found.append(statement)
    return found


def import_names(listed: str) -> tuple[tuple[str, str | None], ...]:
    """The names of an import statement's list, item by item, as they were read."""
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


def evident_names(text: str) -> frozenset[str]:
    return frozenset(names_outside_blocks(text) | set(_block_names(text)))


def names_outside_blocks(text: str) -> set[str]:
    """What evident_names finds besides the bodies of top-level blocks and column-0 lines that
    may assign: definitions, plain assignments and imports in column 0."""
    padded = "\n" + text
    names = {
        match.group(1) or match.group(2)
        for match in _DEFINED.finditer(padded)
        if match.group(1) or not _may_open_a_line(padded, match.start())
    }
    for line, indented, offset in import_lines(text, top_level_only=True):
        statement = _read(text, offset, line)
        if statement is None or indented:
            continue
        for name, alias in statement.names:
            names.add(alias or (name if statement.module is not None or statement.level else name.split(".")[0]))
    return names


def _block_names(text: str) -> Iterator[str]:
    if any(character in text for character in _OTHER_LINE_BREAKS):
        yield from _block_names_by_line(text.splitlines())
        return
    padded = "\n" + text
    for match in _COLUMN_ZERO_BLOCK_OR_ASSIGNMENT.finditer(padded):
        assignment = match.group("assignment")
        if assignment is not None:
            if not _may_open_a_line(padded, match.start()):
                yield from _assigned(assignment)
            continue
        following = _COLUMN_ZERO.search(padded, match.end())
        end = following.start() if following else len(padded)
        yield from _names_in_block(padded[match.end() : end].split("\n"), padded[match.start() : match.end()])


def _read(text: str, offset: int, line: int) -> TextImport | None:
    match = _FROM.match(text, offset)
    if match:
        dots, module, spaced, parenthesised, plain = match.groups()
        source = (len(dots), module or None) if dots is not None else spaced_source(spaced)
        names = import_names(parenthesised if parenthesised is not None else plain) if source else ()
        return TextImport(line, *source, names) if source and names else None
    match = _IMPORT.match(text, offset)
    if match:
        names = import_names(match.group(1))
        return TextImport(line, 0, None, names) if names else None
    return None


def _continues(text: str, offset: int) -> bool:
    """Whether the line starting at ``offset`` continues the one above (a trailing backslash)."""
    end = offset - 1  # the newline
    if end > 0 and text[end - 1] == "\r":
        end -= 1
    return end > 0 and text[end - 1] == "\\"


def word_starts(data: bytes, needle: str) -> Iterator[int]:
    for match in re.finditer(re.escape(needle.encode()) + rb"(?!\w)", data):
        start = match.start()
        if not (start and _WORD_CHAR.match(data, start - 1)):
            yield start


def maybe_too_deep(text: str) -> bool:
    first_line_end = text.find("\n")
    return first_line_end >= 3000 or (first_line_end < 0 and len(text) >= 3000) or bool(_MAYBE_TOO_DEEP.search(text))


_DEFINITION = re.compile(rb"^(?:async[ \t]+def|def|class)[ \t]", re.MULTILINE)
_NOT_SHIM_STATEMENT = re.compile(
    rb"^(?!(?:" + _NOT_A_NAME + rb")\b)[A-Za-z_]\w*[ \t]*"
    rb"(?::(?!=)|=[ \t]*(?:[\"'\d\[{\-]|[rRbBfFuU]{1,2}[\"']|[A-Za-z_][\w.]*[ \t]*\())"
    rb"|^(?!(?:" + _NOT_A_NAME + rb"|warn|warnings)\b)[A-Za-z_][\w.]*[ \t]*\(",
    re.MULTILINE,
)


def _data_bracket_balance(data: bytes, start: int, end: int) -> int:
    """The brackets ``data[start:end]`` opens less those it closes, counted kind by kind."""
    opened = data.count(b"(", start, end) + data.count(b"[", start, end) + data.count(b"{", start, end)
    return opened - data.count(b")", start, end) - data.count(b"]", start, end) - data.count(b"}", start, end)


class StringSpans(_FasterStrings):
    """The reading of strings and comments, with brackets counted gap by gap as they were."""

    def depth(self, position: int) -> int | None:
        self._read_to(position)
        if position >= self.unsure_from:
            return None
        depth, gap_start = 0, 0
        for start, end in zip(self.starts, self.ends):
            if start >= position:
                break
            depth += _data_bracket_balance(self.data, gap_start, start)
            gap_start = end
        return depth + _data_bracket_balance(self.data, gap_start, position)


def scan_hints(text: str) -> tuple[tuple[int, ...], bool]:
    lines = {
        line
        for line, indented, offset in import_lines(text, top_level_only=True)
        if not indented and not text[max(0, offset - 3) : offset].rstrip("\r\n").endswith("\\")
    }
    return tuple(sorted(lines)), maybe_too_deep(text)


_NOT_SHIM_BLOCK = re.compile(rb"^(?:async[ \t]+def|def|class|for|while|with|@)\b", re.MULTILINE)


def holds_blocks(data: bytes) -> bool:
    strings: StringSpans | None = None
    for match in _NOT_SHIM_BLOCK.finditer(data):
        strings = strings or StringSpans(data)
        start = match.start()
        if not strings.inside(start) and not _data_continues(data, start) and strings.depth(start) == 0:
            return True
    return False


def may_be_shim(data: bytes) -> bool:
    if not data or data.isspace():
        return False
    return not holds_blocks(data) and not holds_code(data)


def holds_code(data: bytes) -> bool:
    if b"import" not in data:
        return True
    strings: StringSpans | None = None
    for match in _NOT_SHIM_STATEMENT.finditer(data):
        strings = strings or StringSpans(data)
        start = match.start()
        if not strings.inside(start) and not _data_continues(data, start) and strings.depth(start) == 0:
            return True
    return False


def top_level_facts(data: bytes) -> tuple[tuple[str, ...] | None, bool] | None:
    strings = StringSpans(data)
    named = list(word_starts(data, "__all__"))
    in_code = [start for start in named if not strings.inside(start)]
    if named and named[-1] >= strings.unsure_from:
        return None
    defines = any(
        not strings.inside(match.start()) and not _data_continues(data, match.start())
        for match in _DEFINITION.finditer(data)
    )
    if not in_code:
        return None, defines
    if len(in_code) > 1 or _CODING.search(data, 0, _first_lines_end(data)):
        return None
    start = in_code[0]
    if (start and data[start - 1 : start] != b"\n") or _data_continues(data, start) or strings.depth(start) != 0:
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


def line_reading(line: bytes, column: int, size: int) -> tuple[bool, bool, int]:
    """What a line alone says of an occurrence of a name (``mentions._line_reading``), as it
    was read: each regex searched in full, a piece of a statement told twice."""
    prompt = _PROMPT.match(line) is not None and _QUOTE.search(line) is None
    may_import = not prompt and (_IMPORT_WORD.search(line) is not None or is_piece(line))
    claimed = 0 if prompt else _roles(line, line[:column], line[column + size :])
    return prompt, may_import, claimed


def is_piece(line: bytes) -> bool:
    code = line.split(b"#")[0]
    head = _HEAD.match(code).end()  # type: ignore[union-attr]
    if _BARE_NAMES.fullmatch(code) is not None:
        return True
    return _WORD_CHAR.search(code, 0, head) is not None and _BARE_NAMES.fullmatch(code, 0, head) is not None


def _roles(line: bytes, before: bytes, after: bytes) -> int:
    if is_piece(line) or line.rstrip().endswith(b"\\"):
        return EVERY_ROLE
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


def names_imported_from(
    statements: Iterable[TextImport], module: str, is_package: bool, modules: Set[str]
) -> tuple[str, ...]:
    """``text_pass.names_imported_from`` as it was, on the statements of ``text_imports``."""
    found: set[str] = set()
    for statement in statements:
        if statement.module is None and statement.level == 0:
            continue
        source = absolute_import_target(module, is_package, statement.level, statement.module)
        if source is None or source in found or source not in modules:
            continue
        if any(name != "*" and f"{source}.{name}" not in modules for name, _ in statement.names):
            found.add(source)
    return tuple(sorted(found))


#: What ``str.splitlines`` breaks lines at: a literal holding one spans lines to a reading of lines.
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def folded_by_tokenize(text: str) -> str | None:
    """``spanning_literals.fold_spanning_literals`` as Python's own tokenizer (``tokenize``)
    reads the literals: each string or comment that holds a line break becomes ``""`` (after
    its prefix) or ``#``. None when ``tokenize`` refuses the text, or when it holds a lone
    carriage return: a line break to Python's parser, not to the ``tokenize`` module."""
    if text.count("\r") != text.count("\r\n"):
        return None
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    starts = list(accumulate((len(line) + 1 for line in text.split("\n")), initial=0))  # of the rows
    pieces, kept = [], 0
    for token in tokens:
        if token.type not in (tokenize.STRING, tokenize.COMMENT):
            continue
        if not any(character in token.string for character in _LINE_BREAKS):
            continue
        start = starts[token.start[0] - 1] + token.start[1]
        end = starts[token.end[0] - 1] + token.end[1]
        if token.type == tokenize.STRING:
            start += min(at for at in (token.string.find('"'), token.string.find("'")) if at >= 0)
        pieces += [text[kept:start], '""' if token.type == tokenize.STRING else "#"]
        kept = end
    return "".join([*pieces, text[kept:]])
