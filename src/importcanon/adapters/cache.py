"""The fact cache: what was learnt about each file, keyed by the hash of its content.

A directory of files, each written atomically (temporary file, then rename) and each carrying
a checksum of its contents and of the cache format, so a crash, a concurrent run or a flipped
byte never feeds a wrong fact to a run: a file that fails its checksum, cannot be read or has
the wrong shape is discarded and its facts are learnt again. A cache can make a run faster,
never change its result nor end it with an error. Sections:

- ``files``: path -> (mtime_ns, size, digest). A stat match skips reading the file at all, which
  is what keeps a warm run as cheap as import-linter's mtime cache; content decides everything
  else, so touching a file without changing it invalidates nothing.
- ``scans``: module -> (digest, imports or problem), valid under the same scan options. grimp
  resolves ``from pkg import x`` against the set of modules that exist, so ``scan_modules``
  records that set: when it changes, the files that mention a module that came or went are
  scanned again (see :func:`importcanon.adapters.loading.load_project`).
- ``parsed``: digest -> full-parse facts, independent of everything but the content.
- ``textfacts``: digest -> (may be a shim, needles searched for, needles found as words, needles
  found anywhere): what a glance at the raw bytes tells, so that a warm run knows which files
  mention a name without reading them.
- ``kinds``: digest -> (line, kind) of every import statement, from the text scan (or a parse).
- ``mentions``: digest -> {needle: (roles, plain from-imports with their lines)}: the roles a contracted name may
  play in the file (see :mod:`importcanon.adapters.mentions`), so a warm run parses no more.
- ``statements``: digest -> the import statements read from the text (line, level, module,
  names), so that a warm run lists them without reading the file.
- ``evident``: digest -> the names the text plainly binds (see
  :func:`importcanon.adapters.import_statements.evident_names`), so that an edit of one file does
  not read every file its imports come from.
- ``toplevel``: digest -> what the text tells of ``__all__`` and of a certain top-level def or
  class (see :func:`importcanon.adapters.mentions.top_level_facts`), None when it cannot tell, so
  that an edit is known to keep them.
- ``same``: digest -> the digest of an earlier content with the very same facts (an edit of a
  comment), which whole analyses are remembered under (see ``FactStore.relate_edits``).
- ``results``: analysis name -> [(content key, result), ...], the few most recent: whole-analysis
  results (the cycle analysis) reused while nothing they depend on has changed.

The last whole check (every analysis's findings, see :mod:`importcanon.application.remembered`)
sits in ``check.marshal`` under its key, which leads the file: a run whose key differs reads no
more than that, and one whose key matches reads nothing else of the analyses.

The per-file sections are spread over ``_SHARDS`` files by a hash of each key, so that editing
one file rewrites a few small files, not everything learnt about the project; the scan options
and module set sit in ``meta``, the analysis results in ``results``.

The cache directory and its files are never followed through a symbolic link: a committed link
(``.importcanon_cache -> ~``) makes the cache absent for the run, with a warning, and nothing
is written through it.
"""

from __future__ import annotations

import errno
import hashlib
import marshal
import os
import stat
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grimp

import importcanon
from importcanon.adapters.files import SafeDirectory, commit_together, is_within
from importcanon.domain.errors import ImportcanonError

_FORMAT = 26  # 26: parses keep the calls through local aliases (`fn = old_fn` in a function)
_RESULTS_KEPT = 4
_SHARDS = 16
_VERSION = repr((_FORMAT, importcanon.__version__, grimp.__version__, sys.version_info[:2])).encode()
_MAGIC = b"importcanon-cache\n"
_CHECKSUM_SIZE = 16
_MAX_CACHE_FILE_BYTES = 1 << 30
_META = "meta.marshal"
_RESULTS = "results.marshal"
_WHOLE = "check.marshal"
_SHARD_SECTIONS = (
    "files",
    "scans",
    "parsed",
    "textfacts",
    "kinds",
    "mentions",
    "statements",
    "evident",
    "toplevel",
    "same",
)
#: Sections every run reads (which files changed, their imports, which mention a name); the
#: others are decoded on first use, so a run whose analyses are remembered never decodes them.
_EAGER = frozenset({"files", "scans", "textfacts", "same"})
_OBSOLETE = ("facts.marshal",)  # the single file of earlier versions
#: Never through a link, never blocking on a FIFO.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by importcanon.\n"

Primitive = Any  # nested tuples/lists/dicts of str, int, None: what marshal stores


def _shard_name(index: int) -> str:
    return f"facts-{index:x}.marshal"


def _shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % _SHARDS


def encode(payload: Primitive) -> bytes:
    """A cache file's bytes: a header, the checksum of format and content, the content."""
    body = marshal.dumps(payload)
    return _MAGIC + hashlib.blake2b(_VERSION + body, digest_size=_CHECKSUM_SIZE).digest() + body


def decode(data: bytes) -> Primitive:
    """The payload of :func:`encode`; ValueError when the bytes are not exactly what was written."""
    if not data.startswith(_MAGIC):
        raise ValueError("not an importcanon cache file")
    checksum, body = data[len(_MAGIC) : len(_MAGIC) + _CHECKSUM_SIZE], data[len(_MAGIC) + _CHECKSUM_SIZE :]
    if hashlib.blake2b(_VERSION + body, digest_size=_CHECKSUM_SIZE).digest() != checksum:
        raise ValueError("checksum mismatch (corrupt, or written by another version)")
    return marshal.loads(body)


def encode_shard(sections: tuple[dict[str, Primitive], ...]) -> bytes:
    """A shard file's bytes: each section marshalled on its own, so that it can be decoded alone."""
    return encode(tuple(marshal.dumps(entries) for entries in sections))


def _is_shard(shard: object) -> bool:
    return type(shard) is tuple and len(shard) == len(_SHARD_SECTIONS) and all(type(p) is bytes for p in shard)


def encode_whole(key: str, value: Primitive) -> bytes:
    """``check.marshal``'s bytes: the key first (read alone to tell a miss), then as :func:`encode`."""
    body = marshal.dumps(value)
    head = _MAGIC + key.encode() + b"\n"
    return head + hashlib.blake2b(_VERSION + head + body, digest_size=_CHECKSUM_SIZE).digest() + body


def _is_str(value: object) -> bool:
    return type(value) is str


def _is_int_or_none(value: object) -> bool:
    return value is None or type(value) is int


def _valid_file(entry: object) -> bool:
    return (
        type(entry) is tuple
        and len(entry) == 3
        and type(entry[0]) is int
        and type(entry[1]) is int
        and _is_str(entry[2])
    )


def _valid_scan(entry: object) -> bool:
    if type(entry) is not tuple or len(entry) != 2 or not _is_str(entry[0]) or type(entry[1]) is not tuple:
        return False
    result = entry[1]
    if result and result[0] == "problem":
        return len(result) == 3 and _is_int_or_none(result[1]) and _is_str(result[2])
    return (
        len(result) == 2
        and result[0] == "ok"
        and type(result[1]) is list
        and all(
            type(row) is tuple
            and len(row) == 4
            and _is_str(row[0])
            and _is_int_or_none(row[1])
            and _is_str(row[2])
            and (row[3] is None or _is_str(row[3]))
            for row in result[1]
        )
    )


def _valid_textfacts(entry: object) -> bool:
    return (
        type(entry) is tuple
        and len(entry) == 4
        and type(entry[0]) is bool
        and all(type(part) is tuple and all(map(_is_str, part)) for part in entry[1:])
    )


def _valid_kinds(entry: object) -> bool:
    return type(entry) is list and all(
        type(pair) is tuple and len(pair) == 2 and type(pair[0]) is int and _is_str(pair[1]) for pair in entry
    )


def _valid_mentions(entry: object) -> bool:
    return type(entry) is dict and all(
        _is_str(needle)
        and type(found) is tuple
        and len(found) == 2
        and type(found[0]) is int
        and type(found[1]) is tuple
        and all(
            type(source) is tuple
            and len(source) == 3
            and type(source[0]) is int
            and _is_str(source[1])
            and type(source[2]) is int
            for source in found[1]
        )
        for needle, found in entry.items()
    )


def _valid_statements(entry: object) -> bool:
    return type(entry) is list and all(
        type(row) is tuple
        and len(row) == 4
        and type(row[0]) is int
        and type(row[1]) is int
        and (row[2] is None or _is_str(row[2]))
        and type(row[3]) is list
        and all(
            type(pair) is list and len(pair) == 2 and _is_str(pair[0]) and (pair[1] is None or _is_str(pair[1]))
            for pair in row[3]
        )
        for row in entry
    )


def _valid_evident(entry: object) -> bool:
    return type(entry) is list and all(map(_is_str, entry))


def _valid_toplevel(entry: object) -> bool:
    """None, or (``__all__`` as a list of strings or None, whether a def or class is at the top)."""
    return entry is None or (
        type(entry) is tuple
        and len(entry) == 2
        and (entry[0] is None or (type(entry[0]) is tuple and all(map(_is_str, entry[0]))))
        and type(entry[1]) is bool
    )


def _valid_parsed(entry: object) -> bool:
    """Only the outer shape; the reader of a parse turns a malformed inside into a miss."""
    if type(entry) is not tuple:
        return False
    if entry and entry[0] == "failed":
        return len(entry) == 3 and _is_int_or_none(entry[1]) and _is_str(entry[2])
    return len(entry) == 6


_VALIDATORS: dict[str, Callable[[object], bool]] = {
    "files": _valid_file,
    "scans": _valid_scan,
    "parsed": _valid_parsed,
    "textfacts": _valid_textfacts,
    "kinds": _valid_kinds,
    "mentions": _valid_mentions,
    "statements": _valid_statements,
    "evident": _valid_evident,
    "toplevel": _valid_toplevel,
    "same": _is_str,
}


class FactCache:
    def __init__(self, directory: Path | None, base: Path | None = None) -> None:
        self.path = directory
        self.base = base
        self.files: dict[str, tuple[int, int, str]] = {}
        self.scan_options = ""
        self.scan_modules: frozenset[tuple[str, bool]] = frozenset()
        self.scans: dict[str, tuple[str, Primitive]] = {}
        self._parsed: dict[str, Primitive] = {}
        self.textfacts: dict[str, Primitive] = {}
        self.same: dict[str, str] = {}
        self.results: dict[str, list[tuple[str, Primitive]]] = {}
        self._kinds: dict[str, Primitive] = {}
        self._mentions: dict[str, dict[str, Primitive]] = {}
        self._statements: dict[str, Primitive] = {}
        self._evident: dict[str, list[str]] = {}
        self._toplevel: dict[str, Primitive] = {}
        #: section -> shard index -> the section's marshalled entries, not decoded yet
        self._undecoded: dict[str, dict[int, bytes]] = {}
        self.warnings: list[str] = []
        self._whole: bytes | None = None  # the whole check to write, encoded
        self._dirty_shards: set[int] = set()
        self._dirty_meta = False
        self._dirty_results = False

    @classmethod
    def open(cls, directory: Path | None, base: Path | None = None) -> FactCache:
        """The cache in ``directory``, or a cache that forgets everything when it is None.

        ``base`` is the project root: no link between it and the cache directory is followed.
        """
        cache = cls(Path(os.path.abspath(directory)) if directory else None, base)
        if cache.path is not None:
            if _is_link(cache.path):
                cache.warnings.append(
                    f"the cache directory {cache.path} is a symbolic link: the cache is treated as absent "
                    "and nothing is written through it (remove the link)"
                )
                cache.path = None
            else:
                cache._load()
        return cache

    # Loading -------------------------------------------------------------------------------

    def _read(self, name: str) -> Primitive | None:
        """A cache file's payload; None when it is missing, unreadable or corrupt."""
        assert self.path is not None
        try:
            handle = os.open(self.path / name, _READ_FLAGS)
        except OSError as error:
            if error.errno == errno.ELOOP:
                self.warnings.append(
                    f"the cache file {self.path / name} is a symbolic link: it is treated as absent (remove the link)"
                )
            return None
        try:
            status = os.fstat(handle)
            if not stat.S_ISREG(status.st_mode) or status.st_size > _MAX_CACHE_FILE_BYTES:
                return None
            with os.fdopen(handle, "rb", closefd=False) as stream:
                return decode(stream.read())
        except (OSError, EOFError, ValueError, TypeError, MemoryError):
            return None
        finally:
            os.close(handle)

    def _load(self) -> None:
        meta = self._read(_META)
        if not (
            type(meta) is tuple
            and len(meta) == 2
            and _is_str(meta[0])
            and type(meta[1]) is list
            and all(
                type(entry) is tuple and len(entry) == 2 and _is_str(entry[0]) and type(entry[1]) is bool
                for entry in meta[1]
            )
        ):
            self._dirty_meta = True
            self._dirty_shards.update(range(_SHARDS))
            return  # scans mean nothing without the options and module set they were made under
        self.scan_options, self.scan_modules = meta[0], frozenset(meta[1])
        for index in range(_SHARDS):
            shard = self._read(_shard_name(index))
            if (
                type(shard) is not tuple
                or len(shard) != len(_SHARD_SECTIONS)
                or not all(type(p) is bytes for p in shard)
            ):
                self._dirty_shards.add(index)
                continue
            for section, part in zip(_SHARD_SECTIONS, shard):
                if section in _EAGER:
                    self._decode_section(section, index, part)
                else:
                    self._undecoded.setdefault(section, {})[index] = part
        results = self._read(_RESULTS)
        if type(results) is dict and all(
            _is_str(name)
            and type(kept) is list
            and all(type(entry) is tuple and len(entry) == 2 and _is_str(entry[0]) for entry in kept)
            for name, kept in results.items()
        ):
            self.results = results

    def _decode_section(self, section: str, index: int, part: bytes) -> None:
        """Merge one shard's entries of ``section``; a part that is not what was written is
        dropped (and its shard rewritten): those facts are learnt again."""
        try:
            entries = marshal.loads(part)
        except (EOFError, ValueError, TypeError):
            entries = None
        valid = _VALIDATORS[section]
        if type(entries) is dict and all(_is_str(key) and valid(value) for key, value in entries.items()):
            getattr(self, f"_{section}" if section not in _EAGER else section).update(entries)
        else:
            self._dirty_shards.add(index)

    def _section(self, section: str) -> dict[str, Any]:
        """A section that is decoded on first use."""
        for index, part in sorted(self._undecoded.pop(section, {}).items()):
            self._decode_section(section, index, part)
        return getattr(self, f"_{section}")  # type: ignore[no-any-return]

    @property
    def parsed(self) -> dict[str, Primitive]:
        return self._section("parsed")

    @property
    def kinds(self) -> dict[str, Primitive]:
        return self._section("kinds")

    @property
    def mentions(self) -> dict[str, dict[str, Primitive]]:
        return self._section("mentions")

    @property
    def statements(self) -> dict[str, Primitive]:
        return self._section("statements")

    @property
    def evident(self) -> dict[str, list[str]]:
        return self._section("evident")

    @property
    def toplevel(self) -> dict[str, Primitive]:
        return self._section("toplevel")

    # Lookups and updates -------------------------------------------------------------------

    def digest_for(self, relpath: str, mtime_ns: int, size: int) -> str | None:
        """The content digest recorded for a file whose stat has not changed since."""
        known = self.files.get(relpath)
        if known is not None and known[0] == mtime_ns and known[1] == size:
            return known[2]
        return None

    def remember_file(self, relpath: str, mtime_ns: int, size: int, digest: str) -> None:
        if self.files.get(relpath) != (mtime_ns, size, digest):
            self.files[relpath] = (mtime_ns, size, digest)
            self._dirty_shards.add(_shard_of(relpath))

    def scan_for(self, module: str, digest: str) -> Primitive | None:
        known = self.scans.get(module)
        return known[1] if known is not None and known[0] == digest else None

    def use_scan_options(self, options: str) -> frozenset[tuple[str, bool]] | None:
        """Switch to ``options``; returns the module set the cached scans were made against, or
        None when they were made under other options and are all void."""
        if options != self.scan_options:
            self.scan_options, self.scans = options, {}
            self._dirty_meta = True
            self._dirty_shards.update(range(_SHARDS))
            return None
        return self.scan_modules

    def remember_scan_modules(self, modules: frozenset[tuple[str, bool]]) -> None:
        if modules != self.scan_modules:
            self.scan_modules = modules
            self._dirty_meta = True

    def remember_scan(self, module: str, digest: str, result: Primitive) -> None:
        self.scans[module] = (digest, result)
        self._dirty_shards.add(_shard_of(module))

    def remember_parsed(self, digest: str, result: Primitive) -> None:
        self.parsed[digest] = result
        self._dirty_shards.add(_shard_of(digest))

    def remember_textfacts(self, digest: str, result: Primitive) -> None:
        self.textfacts[digest] = result
        self._dirty_shards.add(_shard_of(digest))

    def remember_kinds(self, digest: str, kinds: Primitive) -> None:
        self.kinds[digest] = kinds
        self._dirty_shards.add(_shard_of(digest))

    def remember_mentions(self, digest: str, mentions: dict[str, Primitive]) -> None:
        self.mentions[digest] = mentions
        self._dirty_shards.add(_shard_of(digest))

    def remember_statements(self, digest: str, statements: Primitive) -> None:
        self.statements[digest] = statements
        self._dirty_shards.add(_shard_of(digest))

    def remember_same(self, digest: str, like: str) -> None:
        if self.same.get(digest) != like:
            self.same[digest] = like
            self._dirty_shards.add(_shard_of(digest))

    def remember_evident(self, digest: str, names: list[str]) -> None:
        self.evident[digest] = names
        self._dirty_shards.add(_shard_of(digest))

    def remember_toplevel(self, digest: str, facts: Primitive) -> None:
        self.toplevel[digest] = facts
        self._dirty_shards.add(_shard_of(digest))

    def remember_result(self, name: str, key: str, value: Primitive) -> None:
        """Keep the few latest results per analysis: a query for another scope must not evict
        the one every check needs."""
        kept = [entry for entry in self.results.get(name, []) if entry[0] != key]
        self.results[name] = [(key, value), *kept][:_RESULTS_KEPT]
        self._dirty_results = True

    def recall_whole(self, key: str) -> Primitive | None:
        """The whole check remembered under ``key``; None when another one (or none) is."""
        if self.path is None:
            return None
        head = _MAGIC + key.encode() + b"\n"
        try:
            handle = os.open(self.path / _WHOLE, _READ_FLAGS)
        except OSError:
            return None
        try:
            status = os.fstat(handle)
            if not stat.S_ISREG(status.st_mode) or status.st_size > _MAX_CACHE_FILE_BYTES:
                return None
            with os.fdopen(handle, "rb", closefd=False) as stream:
                if stream.read(len(head)) != head:
                    return None
                checksum, body = stream.read(_CHECKSUM_SIZE), stream.read()
            if hashlib.blake2b(_VERSION + head + body, digest_size=_CHECKSUM_SIZE).digest() != checksum:
                return None
            return marshal.loads(body)
        except (OSError, EOFError, ValueError, TypeError, MemoryError):
            return None
        finally:
            os.close(handle)

    def remember_whole(self, key: str, value: Primitive) -> None:
        """Keep ``value`` as the whole check under ``key``, replacing the one before; a value
        marshal cannot store is not kept."""
        if self.path is None:
            return
        try:
            self._whole = encode_whole(key, value)
        except ValueError:
            return

    # Saving --------------------------------------------------------------------------------

    def save(self, live_paths: set[str], live_modules: set[str]) -> None:
        """Write what changed, dropping the entries of files that no longer exist."""
        if self.path is None:
            return
        self._forget_dead(live_paths, live_modules)
        writes: list[tuple[str, bytes]] = []
        if self._dirty_shards:
            shards: list[list[dict[str, Primitive] | bytes]] = [[{} for _ in _SHARD_SECTIONS] for _ in range(_SHARDS)]
            for position, section in enumerate(_SHARD_SECTIONS):
                undecoded = self._undecoded.get(section)
                if undecoded is not None:  # never used in this run: written back as it was read
                    for index, part in undecoded.items():
                        shards[index][position] = part
                    continue
                for key, value in getattr(self, section).items():
                    index = _shard_of(key)
                    if index in self._dirty_shards:
                        shards[index][position][key] = value  # type: ignore[index]
            writes += [
                (_shard_name(index), encode(tuple(p if type(p) is bytes else marshal.dumps(p) for p in shards[index])))
                for index in sorted(self._dirty_shards)
            ]
        if self._dirty_meta:
            writes.append((_META, encode((self.scan_options, sorted(self.scan_modules)))))
        if self._dirty_results:
            writes.append((_RESULTS, encode(self.results)))
        if self._whole is not None:
            writes.append((_WHOLE, self._whole))
        if not writes:
            return
        base = self.base if self.base is not None and is_within(self.path, self.base) else None
        try:
            with SafeDirectory(self.path, base=base, shown=str(self.path)) as folder:
                _mark_cache_directory(folder)
                commit_together(folder, writes)
                for name in _OBSOLETE:
                    folder.unlink(name)
        except (OSError, ImportcanonError):
            pass  # a read-only checkout or a refused link still gets correct results, only slower
        self._dirty_shards.clear()
        self._dirty_meta = self._dirty_results = False
        self._whole = None

    def _forget_dead(self, live_paths: set[str], live_modules: set[str]) -> None:
        """Entries of deleted files, and content facts no live file has any more."""
        for path in [path for path in self.files if path not in live_paths]:
            del self.files[path]
            self._dirty_shards.add(_shard_of(path))
        for module in [module for module in self.scans if module not in live_modules]:
            del self.scans[module]
            self._dirty_shards.add(_shard_of(module))
        digests = {entry[2] for entry in self.files.values()}
        # A section this run never decoded keeps its dead entries until a run that decodes it.
        used = [name for name in _SHARD_SECTIONS if name not in ("files", "scans") and name not in self._undecoded]
        for section in (getattr(self, name) for name in used):
            for digest in [digest for digest in section if digest not in digests]:
                del section[digest]
                self._dirty_shards.add(_shard_of(digest))


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def _mark_cache_directory(folder: SafeDirectory) -> None:
    """Keep the cache out of git and out of backups, as grimp and pytest do."""
    for name, contents in ((".gitignore", "# Created by importcanon.\n*\n"), ("CACHEDIR.TAG", _TAG)):
        if folder.check_target(name) is None:
            commit_together(folder, [(name, contents)])
