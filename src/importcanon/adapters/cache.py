"""The fact cache: what was learnt about each file, keyed by the hash of its content.

One file per project, written atomically (temporary file, then rename), so a crash or a
concurrent run never leaves a half-written cache; a cache that cannot be read is ignored and
rebuilt, never an error. Three sections:

- ``files``: path -> (mtime_ns, size, digest). A stat match skips reading the file at all, which
  is what keeps a warm run as cheap as import-linter's mtime cache; content decides everything
  else, so touching a file without changing it invalidates nothing.
- ``scans``: module -> (digest, imports or problem), valid under the same scan options. grimp
  resolves ``from pkg import x`` against the set of modules that exist, so ``scan_modules``
  records that set: when it changes, the files that mention a module that came or went are
  scanned again (see :func:`importcanon.adapters.loading.load_project`).
- ``parsed``: digest -> full-parse facts, independent of everything but the content.
- ``textfacts``: digest -> (may be a shim, needles searched for, needles found): what a glance at
  the raw bytes tells, so that a warm run knows which files mention a name without reading them.
- ``kinds``: digest -> (line, kind) of every import statement, from the text scan (or a parse).
- ``results``: analysis name -> [(content key, result), ...], the few most recent: whole-analysis
  results (the cycle analysis) reused while nothing they depend on has changed.
"""

from __future__ import annotations

import marshal
import sys
from pathlib import Path
from typing import Any

import grimp

import importcanon
from importcanon.adapters.files import write_atomically
from importcanon.domain.errors import ImportcanonError

CACHE_FILENAME = "facts.marshal"
_FORMAT = 6
_RESULTS_KEPT = 4
_VERSION = (_FORMAT, importcanon.__version__, grimp.__version__, sys.version_info[:2])

_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by importcanon.\n"

Primitive = Any  # nested tuples/lists/dicts of str, int, None: what marshal stores


class FactCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.files: dict[str, tuple[int, int, str]] = {}
        self.scan_options = ""
        self.scan_modules: frozenset[tuple[str, bool]] = frozenset()
        self.scans: dict[str, tuple[str, Primitive]] = {}
        self.parsed: dict[str, Primitive] = {}
        self.textfacts: dict[str, Primitive] = {}
        self.results: dict[str, list[tuple[str, Primitive]]] = {}
        self.kinds: dict[str, Primitive] = {}
        self._dirty = False

    @classmethod
    def open(cls, directory: Path | None) -> FactCache:
        """The cache in ``directory``, or a cache that forgets everything when it is None."""
        cache = cls(directory / CACHE_FILENAME if directory else None)
        if cache.path is not None:
            cache._load()
        return cache

    def _load(self) -> None:
        assert self.path is not None
        try:
            data = marshal.loads(self.path.read_bytes())
            if data["version"] != _VERSION:
                return
            sections = [data[name] for name in ("files", "scans", "parsed", "textfacts", "results", "kinds")]
            if not all(isinstance(section, dict) for section in sections) or not isinstance(data["scan_options"], str):
                return
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            return  # missing or unreadable: start afresh
        self.files, self.scans, self.parsed, self.textfacts, self.results, self.kinds = sections
        self.scan_options = data["scan_options"]
        self.scan_modules = frozenset(data["scan_modules"])

    def digest_for(self, relpath: str, mtime_ns: int, size: int) -> str | None:
        """The content digest recorded for a file whose stat has not changed since."""
        known = self.files.get(relpath)
        if known is not None and known[0] == mtime_ns and known[1] == size:
            return known[2]
        return None

    def remember_file(self, relpath: str, mtime_ns: int, size: int, digest: str) -> None:
        if self.files.get(relpath) != (mtime_ns, size, digest):
            self.files[relpath] = (mtime_ns, size, digest)
            self._dirty = True

    def scan_for(self, module: str, digest: str) -> Primitive | None:
        known = self.scans.get(module)
        return known[1] if known is not None and known[0] == digest else None

    def use_scan_options(self, options: str) -> frozenset[tuple[str, bool]] | None:
        """Switch to ``options``; returns the module set the cached scans were made against, or
        None when they were made under other options and are all void."""
        if options != self.scan_options:
            self.scan_options, self.scans = options, {}
            self._dirty = True
            return None
        return self.scan_modules

    def remember_scan_modules(self, modules: frozenset[tuple[str, bool]]) -> None:
        if modules != self.scan_modules:
            self.scan_modules = modules
            self._dirty = True

    def remember_scan(self, module: str, digest: str, result: Primitive) -> None:
        self.scans[module] = (digest, result)
        self._dirty = True

    def remember_parsed(self, digest: str, result: Primitive) -> None:
        self.parsed[digest] = result
        self._dirty = True

    def remember_textfacts(self, digest: str, result: Primitive) -> None:
        self.textfacts[digest] = result
        self._dirty = True

    def remember_kinds(self, digest: str, kinds: Primitive) -> None:
        self.kinds[digest] = kinds
        self._dirty = True

    def remember_result(self, name: str, key: str, value: Primitive) -> None:
        """Keep the few latest results per analysis: a query for another scope must not evict
        the one every check needs."""
        kept = [entry for entry in self.results.get(name, []) if entry[0] != key]
        self.results[name] = [(key, value), *kept][:_RESULTS_KEPT]
        self._dirty = True

    def save(self, live_paths: set[str], live_modules: set[str]) -> None:
        """Write the cache, keeping only entries for files that still exist."""
        if self.path is None or (not self._dirty and len(self.files) == len(live_paths)):
            return
        files = {path: entry for path, entry in self.files.items() if path in live_paths}
        digests = {entry[2] for entry in files.values()}
        payload = {
            "version": _VERSION,
            "files": files,
            "scan_options": self.scan_options,
            "scan_modules": sorted(self.scan_modules),
            "scans": {m: entry for m, entry in self.scans.items() if m in live_modules},
            "parsed": {d: entry for d, entry in self.parsed.items() if d in digests},
            "textfacts": {d: entry for d, entry in self.textfacts.items() if d in digests},
            "results": self.results,
            "kinds": {d: entry for d, entry in self.kinds.items() if d in digests},
        }
        try:
            _mark_cache_directory(self.path.parent)
            write_atomically(self.path, marshal.dumps(payload))
        except (OSError, ImportcanonError):
            pass  # a read-only checkout still gets correct results, only slower next time


def _mark_cache_directory(directory: Path) -> None:
    """Keep the cache out of git and out of backups, as grimp and pytest do."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, contents in ((".gitignore", "# Created by importcanon.\n*\n"), ("CACHEDIR.TAG", _TAG)):
        marker = directory / name
        if not marker.exists():
            marker.write_text(contents)
