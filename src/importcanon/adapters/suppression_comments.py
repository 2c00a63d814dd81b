"""Reading suppression comments: only from the files that contain the marker at all.

Which files those are comes from the fact store's whole-word search, cached by content, so a
project without suppressions pays one cached lookup per file and opens nothing.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator

from importcanon.adapters.decoding import UndecodableSource, decode_source
from importcanon.application.project import Project
from importcanon.domain.suppressions import MARKER, Suppression, parse_comment


def read_suppressions(project: Project) -> list[Suppression]:
    """Every suppression comment in the project's modules, in path and line order."""
    candidates = project.facts.modules_containing(frozenset({MARKER}))[MARKER]
    found: list[Suppression] = []
    for module in sorted(candidates):
        path = project.path_of(module)
        if path is None:
            continue
        try:
            text = decode_source((project.root / path).read_bytes())
        except (OSError, UndecodableSource):
            continue  # reported as unreadable-source or syntax-error by the scan itself
        found.extend(suppressions_in(path, text))
    return sorted(found, key=lambda suppression: (suppression.path, suppression.line))


def suppressions_in(path: str, text: str) -> list[Suppression]:
    """The suppression comments of one file, each with the statement lines it covers."""
    found = []
    for line, last_line, comment in _comments(text):
        parsed = parse_comment(comment)
        if parsed is not None:
            rules, reason = parsed
            found.append(Suppression(path, line, last_line, rules, reason, comment.strip()))
    return found


def _comments(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, last line covered, text) of every comment mentioning the marker.

    A comment on the first line of a statement covers the statement up to its last line; any other
    comment covers its own line. Source that does not tokenize falls back to a line search.
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        yield from _comments_by_line(text)
        return
    statement_start: int | None = None
    pending: list[tuple[int, str]] = []  # comments on the current statement's first line
    for token in tokens:
        kind, line = token.type, token.start[0]
        if kind == tokenize.COMMENT:
            if MARKER not in token.string:
                continue
            if statement_start == line:
                pending.append((line, token.string))
            else:
                yield line, line, token.string
        elif kind in (tokenize.NEWLINE, tokenize.ENDMARKER):
            for start, comment in pending:
                yield start, max(start, token.start[0]), comment
            pending.clear()
            statement_start = None
        elif kind not in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT) and statement_start is None:
            statement_start = line


_COMMENT = re.compile(r"#.*$")


def _comments_by_line(text: str) -> Iterator[tuple[int, int, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if MARKER in line and (match := _COMMENT.search(line)) is not None:
            yield number, number, match.group(0)
