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
import os
from collections.abc import Iterable, Set
from typing import NamedTuple

from importcanon.adapters.decoding import UndecodableSource, content_digest, decode_source
from importcanon.adapters.import_statements import StatementRow, evident_names, statement_rows_and_top_level_lines
from importcanon.adapters.mentions import (
    Mentions,
    StringSpans,
    holds_blocks,
    holds_code,
    scan_mentions,
    word_starts,
)
from importcanon.adapters.scanning import ScanHints, scan_hints
from importcanon.domain.modules import absolute_import_target


class Needles(NamedTuple):
    """Words the run will ask about, known before any file is read."""

    searched: frozenset[str] = frozenset()  # which files hold the word (``modules_containing``)
    mentioned: frozenset[str] = frozenset()  # also the roles it plays there (``mentions``)
    called: frozenset[str] = frozenset()  # names whose calls parses will be asked for (``parsed``)


class FileText(NamedTuple):
    """What one reading of a file tells (plain data: it crosses a pipe from a forked process)."""

    error: str | None  # why the file cannot be read; then nothing else is known
    digest: str | None  # the content digest, when one was asked for
    may_be_shim: bool
    undecodable: tuple[int | None, str] | None  # (line, message) when Python could not decode it
    hits: tuple[str, ...]  # the searched needles the file holds as whole words, sorted
    #: The searched needles whose characters it holds anywhere, a word or inside one, sorted:
    #: a later word that contains one of them (``dt_utcnow``, ``utcnow``) cannot be where it is not.
    contains: tuple[str, ...]
    mentions: dict[str, Mentions]  # the roles of each mentioned needle it holds
    statements: bytes | None  # the marshalled ``statement_rows`` (a fifth of their memory); None when undecodable
    hints: ScanHints | None  # None when undecodable
    #: The modules it imports names from, when asked for (see :func:`names_imported_from`).
    imported_from: tuple[str, ...] = ()
    #: A content the cache knows already (under another stat: a fresh checkout): only the
    #: digest was taken, every other fact is the cache's.
    known: bool = False


#: A module read as part of a project: its name, whether it is a package, the project's modules.
Importer = tuple[str, bool, Set[str]]


def read_text(
    path: str,
    size: int,
    needles: Needles,
    *,
    with_digest: bool,
    importer: Importer | None = None,
    known: Set[str] = frozenset(),
) -> FileText:
    """Every fact of :class:`FileText` for the file at ``path`` (``size`` bytes when listed),
    from one read of it; the modules it imports names from when ``importer`` says what it is.
    Only the digest when it is one of ``known``, the contents whose facts are cached."""
    try:
        data = read_bytes(path, size)
    except OSError as error:
        return FileText(error.strerror or str(error), None, False, None, (), (), {}, None, None)
    digest = content_digest(data) if with_digest else None
    if digest is not None and digest in known:
        return FileText(None, digest, False, None, (), (), {}, None, None, known=True)
    # The strings and comments of the file, read from its start as far as a reading asks: once
    # for the roles of every needle and the shim screen (each read them all again before).
    strings = StringSpans(data)
    hits, contains, mentions = needle_facts(data, needles, strings)
    shim = may_be_shim(data, strings)
    try:
        text = decode_source(data)
    except UndecodableSource as error:
        return FileText(None, digest, shim, (error.line, error.message), hits, contains, mentions, None, None)
    found, top_level_lines = statement_rows_and_top_level_lines(text)
    packed = marshal.dumps(found)
    sources = names_imported_from(found, *importer) if importer is not None else ()
    return FileText(
        None, digest, shim, None, hits, contains, mentions, packed, scan_hints(text, (found, top_level_lines)), sources
    )


def names_imported_from(
    statements: Iterable[StatementRow], module: str, is_package: bool, modules: Set[str]
) -> tuple[str, ...]:
    """The modules among ``modules`` that ``from ... import`` statements (rows of
    :func:`~importcanon.adapters.import_statements.statement_rows`) of ``module`` import names
    from that are no modules of their own: those whose evident names the broken-import screen
    asks for (see ``FactStore.evident_names_beside``)."""
    found: set[str] = set()
    packages: dict[int, str | None] = {}  # by level: the package its dots name (one call per level)
    for _, level, written, names in statements:
        if level:
            if level not in packages:
                packages[level] = absolute_import_target(module, is_package, level, None)
            package = packages[level]
            source = f"{package}.{written}" if written and package is not None else package
        elif written is None:
            continue  # import a.b
        else:
            source = written  # what absolute_import_target gives at level 0, without the call
        if source is None or source in found or source not in modules:
            continue
        for name, _ in names:
            if name != "*" and f"{source}.{name}" not in modules:
                found.add(source)
                break
    return tuple(sorted(found))


def read_evident_names(path: str, size: int, digest: str | None) -> frozenset[str] | None:
    """:func:`~importcanon.adapters.import_statements.evident_names` of the file at ``path``;
    None when it cannot be read or decoded, or is no longer the content ``digest`` names."""
    try:
        return evident_names(decode_source(read_again(path, size, digest)))
    except (OSError, UndecodableSource):
        return None


def search_text(path: str, size: int, needles: Needles, digest: str | None) -> NeedleFacts | None:
    """:func:`needle_facts` of the file at ``path``; None when it cannot be read, or is no
    longer the content ``digest`` names."""
    try:
        return needle_facts(read_again(path, size, digest), needles)
    except OSError:
        return None


class ChangedWhileChecked(OSError):
    """A file read again is no longer the content the run first read."""


def read_again(path: str, size: int, digest: str | None) -> bytes:
    """The bytes of a file read before, for a later question: the facts learnt of them are
    cached under the content ``digest`` of the first reading (None or a run's own name: no
    content digest), so a file edited while a check runs must not lend that content its facts.

    Raises :class:`ChangedWhileChecked` (an ``OSError``: a read error to every caller) then.
    """
    data = read_bytes(path, size)
    if digest is not None and not digest.startswith(RUN_DIGEST_PREFIX) and content_digest(data) != digest:
        raise ChangedWhileChecked("the file changed while it was being checked: run the check again")
    return data


#: How a digest names a file's content in a run without a cache (no content digest is computed).
RUN_DIGEST_PREFIX = "run:"


class NeedleFacts(NamedTuple):
    """What a file's bytes tell of the searched needles."""

    hits: tuple[str, ...]  # those it holds as whole words, sorted
    contains: tuple[str, ...]  # those whose characters it holds anywhere, sorted (the hits among them)
    mentions: dict[str, Mentions]  # the roles of the mentioned ones among the hits


def needle_facts(data: bytes, needles: Needles, strings: StringSpans | None = None) -> NeedleFacts:
    """The searched needles ``data`` holds as whole words and anywhere, and the roles of the
    mentioned ones among the words (``strings``: the reading of ``data``'s strings, when shared)."""
    contains = tuple(sorted(needle for needle in needles.searched if needle.encode() in data))
    hits = tuple(needle for needle in contains if next(word_starts(data, needle), None) is not None)
    if not needles.mentioned.intersection(hits):
        return NeedleFacts(hits, contains, {})
    strings = strings or StringSpans(data)
    mentions = {needle: scan_mentions(data, needle, strings) for needle in hits if needle in needles.mentioned}
    return NeedleFacts(hits, contains, mentions)


def read_bytes(path: str, size: int) -> bytes:
    """The file's bytes, in one system call when it still has the ``size`` it was listed with
    (three times faster than ``open().read()``, which a search of every file pays per file)."""
    descriptor = os.open(path, _READ_FLAGS)
    try:
        data = os.read(descriptor, size + 1)
        if len(data) <= size:  # a regular file reads short only at its end
            return data
        chunks = [data]  # it grew since it was listed
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)


def may_be_shim(data: bytes, strings: StringSpans | None = None) -> bool:
    """False only when the file certainly has top-level code beyond imports and re-bindings
    (:func:`~importcanon.adapters.mentions.holds_blocks` and ``holds_code``). Other files are
    parsed. ``strings``: the reading of ``data``'s strings, when shared."""
    if not data or data.isspace() or b"import" not in data:  # holds_code's first test, the cheapest
        return False
    strings = strings or StringSpans(data)
    return not holds_blocks(data, strings) and not holds_code(data, strings)
