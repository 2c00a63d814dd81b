"""One reading of each file: every fact the run will ask of its text, learnt while the bytes are in hand.

A cold run used to keep every file's bytes for the whole run (on a large project, as much memory
as the rest of the run together), because its questions came one at a time: the import scan's
kind hints, the import statements of every module, then a whole-tree search for each contracted
name. Most of those questions are known before the first file is read (the contracted names and
the suppression marker are in the configuration), so each file is read once, every such fact is
computed from it, and the bytes are let go. A question that comes later (an alias found on the
way) reads the files again from the disk, which costs less than keeping them.

The work is pure (the facts of a file depend on its bytes alone), so a large tree is shared out
among forked processes (:func:`importcanon.adapters.forking.map_forked`).
"""

from __future__ import annotations

import marshal
import re
from dataclasses import dataclass
from typing import NamedTuple

from importcanon.adapters.decoding import UndecodableSource, content_digest, decode_source
from importcanon.adapters.import_statements import text_imports
from importcanon.adapters.mentions import Mentions, holds_code, scan_mentions, word_starts
from importcanon.adapters.scanning import ScanHints, scan_hints

#: The import statements of a file as the cache keeps them: (line, level, module, [[name, alias]]).
StatementRows = list[tuple[int, int, str | None, list[list[str | None]]]]


@dataclass(frozen=True)
class Needles:
    """Words the run will ask about, known before any file is read."""

    searched: frozenset[str] = frozenset()  # which files hold the word (``modules_containing``)
    mentioned: frozenset[str] = frozenset()  # also the roles it plays there (``mentions``)


class FileText(NamedTuple):
    """What one reading of a file tells (plain data: it crosses a pipe from a forked process)."""

    error: str | None  # why the file cannot be read; then nothing else is known
    digest: str | None  # the content digest, when one was asked for
    may_be_shim: bool
    undecodable: tuple[int | None, str] | None  # (line, message) when Python could not decode it
    hits: tuple[str, ...]  # the searched needles the file holds as whole words, sorted
    mentions: dict[str, Mentions]  # the roles of each mentioned needle it holds
    statements: bytes | None  # the marshalled ``StatementRows`` (a fifth of their memory); None when undecodable
    hints: ScanHints | None  # None when undecodable


def read_text(path: str, needles: Needles, *, with_digest: bool) -> FileText:
    """Every fact of :class:`FileText` for the file at ``path``, from one read of it."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        return FileText(error.strerror or str(error), None, False, None, (), {}, None, None)
    digest = content_digest(data) if with_digest else None
    hits = tuple(sorted(needle for needle in needles.searched if next(word_starts(data, needle), None) is not None))
    mentions = {needle: scan_mentions(data, needle) for needle in hits if needle in needles.mentioned}
    try:
        text = decode_source(data)
    except UndecodableSource as error:
        return FileText(None, digest, may_be_shim(data), (error.line, error.message), hits, mentions, None, None)
    statements: StatementRows = [
        (found.line, found.level, found.module, [list(pair) for pair in found.names]) for found in text_imports(text)
    ]
    packed = marshal.dumps(statements)
    return FileText(None, digest, may_be_shim(data), None, hits, mentions, packed, scan_hints(text))


#: A statement that can never appear at the top level of a shim, in column 0.
_CODE_AT_TOP = re.compile(rb"\n(?:async[ \t]+def|def|class|for|while|with|@)\b")  # literal start: fast


def may_be_shim(data: bytes) -> bool:
    """False only when the file certainly has top-level code beyond imports and re-bindings.

    A column-0 ``def``/``class``/loop proves it, unless the line sits inside a triple-quoted
    string, which an odd number of triple quotes before it betrays; so do the statements
    :func:`~importcanon.adapters.mentions.holds_code` reads. Other files are parsed.
    """
    if not data or data.isspace():
        return False
    framed = b"\n" + data  # so that the first line is searched too
    for match in _CODE_AT_TOP.finditer(framed):
        quotes = framed.count(b'"""', 0, match.start()) + framed.count(b"'''", 0, match.start())
        if quotes % 2 == 0:
            return False
    return not holds_code(data)
