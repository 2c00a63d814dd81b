"""Sources -> facts -> graph: the one scan of a run, incremental through the content cache."""

from __future__ import annotations

import ast
import hashlib
import marshal
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from importlib.machinery import EXTENSION_SUFFIXES, all_suffixes
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

from importcanon.adapters.alongside import alongside
from importcanon.adapters.cache import FactCache, Primitive
from importcanon.adapters.decoding import UndecodableSource, content_digest, decode_source
from importcanon.adapters.forking import forked, map_forked, usable_processes
from importcanon.adapters.import_hooks import foreign_writers, may_add_module, writes_modules
from importcanon.adapters.import_statements import evident_names, statement_rows
from importcanon.adapters.kinds import import_kinds
from importcanon.adapters.mentions import (
    ALIASES,
    BINDS,
    CALLS,
    IMPORTS,
    Mentions,
    scan_mentions,
    top_level_facts,
)
from importcanon.adapters.module_level import ModuleLevelText, module_level_text
from importcanon.adapters.name_uses import may_import_or_call, may_rebind_to
from importcanon.adapters.parsing import (
    imports_expected_to_fail,
    name_uses,
    parse_module,
    parse_plainly,
    parsed_tree,
)
from importcanon.adapters.scanning import ScanHints, scan_sources
from importcanon.adapters.sources import (
    SourceFile,
    SourceListing,
    compile_excludes,
    list_sources,
    locate_packages,
)
from importcanon.adapters.text_pass import (
    RUN_DIGEST_PREFIX,
    FileText,
    Needles,
    may_be_shim,
    needle_facts,
    read_again,
    read_evident_names,
    read_text,
    search_text,
)
from importcanon.application.ports import Mention
from importcanon.application.project import Project, RawImport
from importcanon.application.remembered import MEMO as WHOLE_CHECK
from importcanon.domain.facts import (
    Binding,
    BindingKind,
    Call,
    ImportKind,
    ImportStatement,
    NameUses,
    ParsedModule,
    SourceModule,
    SyntaxProblem,
    TextImport,
    TextImportRow,
)
from importcanon.domain.modules import absolute_import_target, is_within, packages_above

Result = TypeVar("Result")
Answer = TypeVar("Answer")
NO_NEEDLES = Needles()


class ScanOptions(NamedTuple):
    """The import-linter session options that change what the graph contains."""

    include_external_packages: bool = False
    exclude_type_checking_imports: bool = False


def load_project(
    project_dir: Path,
    root_packages: Sequence[str],
    exclude: Sequence[str],
    options: ScanOptions,
    cache_dir: Path | None,
    namespace_directories: bool = False,
    needles: Needles = NO_NEEDLES,
) -> tuple[Project, FactStore]:
    """Scan the target once and return its project plus the store to save when the run ends.

    Every file that must be read is read once, up front, for all the text facts the run is
    known to ask of it (``needles``: the words it will search for), and its bytes are dropped."""
    listing = list_sources(
        project_dir, locate_packages(project_dir, root_packages), compile_excludes(exclude), namespace_directories
    )
    cache = FactCache.open(cache_dir, base=project_dir)
    store = FactStore(cache, listing.files)
    store.package_dirs = dict(listing.packages)
    store.read_ahead(listing.files, needles)
    with store.beside_the_scan(needles.called):  # while this process scans
        return _scan(project_dir, listing, store, options)


def _scan(
    project_dir: Path, listing: SourceListing, store: FactStore, options: ScanOptions
) -> tuple[Project, FactStore]:
    cache = store.cache
    # Namespace packages count: ``from pkg import ns`` resolves to ``pkg.ns`` only while it exists.
    module_set = frozenset((source.module, source.is_package) for source in listing.files).union(
        (module, True) for modules in listing.namespace_packages.values() for module in modules
    )
    scanned_against = cache.use_scan_options(repr((sorted(listing.packages.items()), options)))
    stale = _resolving_differently(store, scanned_against, module_set)

    imports: dict[str, list[RawImport]] = {}
    problems: dict[str, tuple[int | None, str]] = {}
    unreadable: dict[str, str] = {}
    to_scan: list[SourceFile] = []
    for source in listing.files:
        digest = store.digest(source)
        cached = cache.scan_for(source.module, digest) if digest and source.module not in stale else None
        if cached is None:
            to_scan.append(source)
        elif cached[0] == "problem":
            problems[source.module] = (cached[1], cached[2])
        else:
            imports[source.module] = [(i, n, s, _KINDS.get(k)) for i, n, s, k in cached[1]]

    scannable: list[SourceFile] = []
    for source in to_scan:
        failure = store.text_failure(source)
        if failure is None:
            scannable.append(source)
        elif store.digest(source) is None:  # not even readable: nothing to remember by content
            unreadable[source.module] = failure[1]
        else:
            problems[source.module] = failure
            store.remember_scan(source, ("problem", *failure))
    left_out: Callable[[], tuple[str, str] | None] = listing.left_out.warning if listing.left_out else lambda: None
    if scannable:
        with _in_a_thread(left_out) as left_out:  # grimp lets the interpreter go while it reads the files
            outcome = scan_sources(
                listing,
                scannable,
                store.decoded_texts(),
                include_external_packages=options.include_external_packages,
                exclude_type_checking_imports=options.exclude_type_checking_imports,
                hints=store.scan_hints,
            )
        for source in scannable:
            if source.module in outcome.problems:
                failure = outcome.problems[source.module]
                problems[source.module] = failure
                store.remember_scan(source, ("problem", *failure))
            else:
                raw = outcome.imports.get(source.module, [])
                imports[source.module] = raw
                if cache.path is not None:  # nothing else reads the scans this run remembers
                    store.remember_scan(source, ("ok", [(i, n, s, k and k.value) for i, n, s, k in raw]))
    store.scan_hints.clear()  # the scan's alone
    known = {module for module, _ in module_set}
    for module, raw in imports.items():
        if any(is_within(module, record[0]) for record in raw):
            imports[module] = _without_unseen_submodules(store, module, raw, known)
    cache.remember_scan_modules(module_set)
    store.relate_edits(scanned_problems=problems)

    modules = {
        source.module: SourceModule(source.module, source.relpath, source.is_package) for source in listing.files
    }
    project = Project(
        root=project_dir,
        root_packages=tuple(listing.packages),
        modules=modules,
        namespace_packages=sorted(set().union(*listing.namespace_packages.values())),
        imports=imports,
        warnings=[f"{path}: {why}" for path, why in _with_warning(listing.skipped, left_out())] + cache.warnings,
        problems=sorted(
            [SyntaxProblem(module, modules[module].path, line, message) for module, (line, message) in problems.items()]
            + [SyntaxProblem(module, modules[module].path, None, why, False) for module, why in unreadable.items()]
            + [SyntaxProblem(module, relpath, None, why, False) for module, relpath, why in listing.unreadable],
            key=lambda problem: problem.path,
        ),
        facts=store,
    )
    store.skip(problems.keys() | unreadable.keys())
    return project, store


_KINDS: dict[str | None, ImportKind | None] = {kind.value: kind for kind in ImportKind}


def _without_unseen_submodules(store: FactStore, module: str, raw: list[RawImport], known: set[str]) -> list[RawImport]:
    """``raw`` without the imports grimp records as ``module`` importing itself or a package
    above it where the statement imports submodules of that package that Python finds on disk
    but the analysis does not have (a compiled extension module, an excluded file): grimp
    records an import it cannot see as one of the nearest module it knows, the package. That
    read as a one-module import cycle (pandas/_libs/__init__.py's ``import
    pandas._libs.pandas_parser``), or as a cycle through the package's ``__init__``
    (numpy/_core/multiarray.py's ``from . import _multiarray_umath``, a compiled sibling, which
    Python finds as a submodule of the package already being imported, whatever its body has
    run). A statement that imports a name from the package's body, or one that does not exist,
    stays (``from app.mod import X`` in app/mod.py; ``from . import missing``)."""
    is_package = store.is_package(module)
    rows = {row[0]: row for row in store.text_imports(module)}

    def unseen(name: str) -> bool:
        return name not in known and store.module_on_disk(name)

    def spurious(package: str, line: int) -> bool:
        """Whether the statement at ``line`` makes grimp record ``package`` only for unseen
        submodules of it."""
        row = rows.get(line)
        if row is None:
            return False  # a statement the text does not show starting this line: kept
        _, level, written, names = row
        if written is None and level == 0:  # import a.b, c: each is recorded as itself or as the nearest known
            toward = [name for name, _ in names if is_within(name, package) and _nearest(name, known) == package]
            return bool(toward) and all(name != package and unseen(name) for name in toward)
        source = absolute_import_target(module, is_package, level, written)
        if source is None or not is_within(source, package):
            return False
        if source != package:  # from package.unseen import x
            return _nearest(source, known) == package and unseen(source)
        imported = [f"{package}.{name}" for name, _ in names if name != "*"]
        toward = [name for name in imported if name not in known]
        return len(imported) == len(names) and bool(toward) and all(unseen(name) for name in toward)

    return [record for record in raw if not is_within(module, record[0]) or not spurious(record[0], record[1])]


def _nearest(name: str, known: set[str]) -> str | None:
    """The module grimp records an import of ``name`` as: itself, or the nearest package above
    it that it knows."""
    return next((module for module in (name, *reversed(packages_above(name))) if module in known), None)


def _resolving_differently(
    store: FactStore, scanned_against: frozenset[tuple[str, bool]] | None, module_set: frozenset[tuple[str, bool]]
) -> set[str]:
    """The modules whose cached scans may resolve differently now that the module set changed.

    grimp resolves an import against the modules that exist, so a module that came or went (or
    became a package) changes only the imports that name it, and every such import mentions its
    last name: ``from pkg import new``, ``import pkg.new``, ``from .new import x``. Those files
    are scanned again; the rest of a warm cache stays warm.
    """
    if scanned_against is None or scanned_against == module_set:
        return set()
    changed = scanned_against ^ module_set
    leaves = frozenset(module.rpartition(".")[2] for module, _ in changed)
    # A module that became a package (or stopped being one) resolves its own relative imports anew.
    flipped = {module for module, is_package in changed if (module, not is_package) in changed}
    return flipped.union(*store.modules_containing(leaves).values())


class FactStore:
    """Content-addressed facts for the files of one run (the application's FactSource port).

    Bytes are read only for files whose stat changed, once each for every text fact the run is
    known to ask (see :mod:`importcanon.adapters.text_pass`), and not kept: a later question
    reads the file again. The cheap text facts (could it be a shim, which needles does it
    contain) are cached, so a warm run answers "which modules mention SessionManager" from the
    cache without opening a file.
    """

    def __init__(self, cache: FactCache, files: Sequence[SourceFile]) -> None:
        self.cache = cache
        self.texts: dict[str, str] = RecentTexts()
        self._files = {source.module: source for source in files}
        self._digests: dict[str, str | None] = {}
        self._read_errors: dict[str, str] = {}
        # What the one reading of each file (``read_ahead``) learnt that the cache learns only when
        # asked: decoding failures (None: decodable), import statements, mentions, scan hints.
        self._undecodable: dict[str, tuple[int | None, str] | None] = {}
        self._statements: dict[str, bytes] = {}  # marshalled
        self._read_mentions: dict[str, dict[str, Mentions]] = {}
        self._read_evident: dict[str, frozenset[str]] = {}
        self._evident_wanted: set[str] = set()  # modules the files read ahead import names from
        self.scan_hints: dict[str, ScanHints] = {}
        self._kinds: dict[str, Mapping[int, ImportKind]] = {}
        self._parse_failures: dict[str, tuple[int | None, str]] = {}
        self._parsed: dict[str, object] = {}
        self._ascii: set[str] = set()  # modules parsed aside whose text is ASCII (see ``_covering``)
        self._mentions: dict[str, set[str]] = {}  # needle -> modules, once per run
        self._mention_maps: dict[str, dict[str, Mention]] = {}  # needle -> what ``mentions`` answers
        self._evident: dict[str, frozenset[str]] = {}
        self._top_level: dict[str, tuple[tuple[str, ...] | None, bool] | None] = {}
        self._module_level: dict[str, ModuleLevelText | None] = {}
        self._text_answers: dict[tuple[str, str, str], object] = {}
        self._module_writes: dict[tuple[str, str | None], bool] = {}  # see ``_adds_modules``
        self._foreign_writers: dict[str, frozenset[str]] = {}  # see ``foreign_writers``
        self._name_uses: dict[tuple[str, str, int | None], NameUses | None] = {}  # see ``name_uses``
        self._edited: dict[str, str] = {}  # module -> the digest its file had in the last run
        self._scanned_before: dict[str, Primitive] = {}  # module -> the scan of that content
        self.package_dirs: dict[str, str] = {}  # root package -> its directory
        self._stems: dict[str, frozenset[str]] = {}  # directory -> its entries' names before a dot
        #: Whether another process of the run is working on the other core (see ``alongside``).
        self.other_core_busy: Callable[[], bool] = lambda: False

    def skip(self, modules: Iterable[str]) -> None:
        """Modules already reported unparsable or unreadable: no analysis parses them again."""
        self._parsed.update(dict.fromkeys(modules))

    def digest(self, source: SourceFile) -> str | None:
        """The file's content digest, reading it only when its stat changed since the last run."""
        if source.module not in self._digests:
            known = self._known_by_stat(source)
            if known is not None:
                self._digests[source.module] = known
            else:
                data = self._read(source)
                if data is None:
                    self._digests[source.module] = None
                    return None
                self._learn_digest(source, self._content_digest(source, data), may_be_shim(data), (), (), ())
        return self._digests[source.module]

    def _known_by_stat(self, source: SourceFile) -> str | None:
        """The file's digest when its stat tells it and the text facts of that content are
        cached; None when the file must be read to know them."""
        digest = self.cache.digest_for(source.relpath, source.mtime_ns, source.size)
        return digest if digest is not None and digest in self.cache.textfacts else None

    def _content_digest(self, source: SourceFile, data: bytes) -> str:
        # Without a cache nothing outlives the run: the path is key enough, and free.
        return content_digest(data) if self.cache.path is not None else f"{RUN_DIGEST_PREFIX}{source.relpath}"

    def _learn_digest(
        self,
        source: SourceFile,
        digest: str,
        shim: bool,
        searched: tuple[str, ...],
        hits: tuple[str, ...],
        contains: tuple[str, ...],
    ) -> None:
        known = self.cache.files.get(source.relpath)
        if known is not None and known[2] != digest:
            self._edited[source.module] = known[2]
        self.cache.remember_file(source.relpath, source.mtime_ns, source.size, digest)
        self._add_textfacts(digest, shim, searched, hits, contains)
        self._digests[source.module] = digest

    def _add_textfacts(
        self, digest: str, shim: bool, searched: Iterable[str], hits: Iterable[str], contains: Iterable[str]
    ) -> None:
        """Remember which of the ``searched`` needles the content holds as words (``hits``) and
        anywhere (``contains``), beside what is known of it already (the same content met under
        another stat, or searched before)."""
        known = self.cache.textfacts.get(digest)
        if known is None:
            self.cache.remember_textfacts(digest, (shim, tuple(searched), tuple(hits), tuple(contains)))
        elif not set(searched).issubset(known[1]):
            merged = (sorted({*known[1], *searched}), sorted({*known[2], *hits}), sorted({*known[3], *contains}))
            self.cache.remember_textfacts(digest, (known[0], *map(tuple, merged)))

    def read_ahead(self, files: Sequence[SourceFile], needles: Needles) -> None:
        """Read now every file whose digest is unknown, once, for every fact of
        :class:`~importcanon.adapters.text_pass.FileText`: on every core when the files are many
        enough to pay for the processes; the bytes are not kept."""
        batch = []
        for source in files:
            if source.module in self._digests:
                continue
            by_stat = self._known_by_stat(source)
            if by_stat is None:
                batch.append(source)
            else:  # nothing to read
                self._digests[source.module] = by_stat
        if not batch:
            return
        weights = [source.size + _READ_WEIGHT_PER_FILE for source in batch]
        processes = usable_processes() if sum(weights) >= PARALLEL_READ_WEIGHT else 1
        with_digest = self.cache.path is not None
        modules = self._files.keys()
        # A content met before under another stat (a fresh checkout of a cached tree) is known by
        # its digest: as if its stat had been, nothing else is taken from its text.
        known = self.cache.textfacts.keys()

        def read(source: SourceFile) -> tuple[Any, ...]:
            importer = (source.module, source.is_package, modules) if processes > 1 else None
            # A plain tuple: unpickled four times faster than a named one.
            return tuple(
                read_text(source.path, source.size, needles, with_digest=with_digest, importer=importer, known=known)
            )

        searched = tuple(sorted(needles.searched))
        imported_from: set[str] = set()
        containing: dict[str, set[str]] = {needle: set() for needle in needles.searched}
        every_file_searched = len(batch) == len(files)
        for source, result in zip(batch, map_forked(read, batch, weights, processes), strict=True):
            found = FileText._make(result if result is not None else read(source))
            every_file_searched &= not found.known
            self._keep_reading(source, found, searched)
            imported_from.update(found.imported_from)
            for needle in found.hits:
                containing[needle].add(source.module)
        if every_file_searched:  # no need to look for them again
            self._mentions.update(containing)
        self._evident_wanted = imported_from

    @contextmanager
    def beside_the_scan(self, called: frozenset[str]) -> Iterator[None]:
        """Learn, in a forked process while the block runs (grimp's scan, whose threads leave a
        core idle for the last part of it on a large project), what the analyses after it will
        ask, when that is enough to pay for the process; else it is learnt on demand, as well:

        - the evident names ``evident_names`` will be asked for (the modules the files read ahead
          import names from);
        - the parses with the calls of the words ``called`` (the deprecated names) of the files
          that may import or call one: ``parsed`` finds them in the cache. The names those words
          are re-exported under are not known yet; a parse still answers for such a name in a
          file that holds it nowhere (see ``_covering``), and the few others are parsed again.
        """
        batch = [
            self._files[module]
            for module in sorted(self._evident_wanted)
            if module not in self._evident and self._digests.get(module) is not None
        ]
        if self.cache.path is not None:
            batch = [source for source in batch if self._digests[source.module] not in self.cache.evident]
        large = sum(source.size for source in self._files.values()) >= PARSED_BESIDE_THE_SCAN_BYTES
        callers = self._may_call(called) if called and large and usable_processes() > 1 else []
        weight = sum(source.size + _READ_WEIGHT_PER_FILE for source in batch) + sum(s.size for s in callers)
        if usable_processes() < 2 or weight < PARALLEL_READ_WEIGHT:
            yield
            return
        digests = [self._digests[source.module] for source in batch]
        with forked(
            lambda: (
                [read_evident_names(s.path, s.size, d) for s, d in zip(batch, digests, strict=True)],
                self._parses_aside(callers, called),
            )
        ) as learnt:
            yield
            results = learnt()
        names_read, parses = results if results is not None else ([None] * len(batch), [None] * len(callers))
        for source, names in zip(batch, names_read, strict=True):
            if names is not None:
                self._read_evident[source.module] = names
        for source, parse in zip(callers, parses, strict=True):
            digest = self._digests.get(source.module)
            if parse is not None and digest is not None:
                primitive, plain = parse
                self.cache.remember_parsed(digest, primitive)
                if plain:
                    self._ascii.add(source.module)

    def _may_call(self, words: frozenset[str]) -> list[SourceFile]:
        """The files that may import or call one of ``words`` and have no parse with their calls."""
        return [
            self._files[module] for module in sorted(self.may_use(words)) if self._unparsed(module, words) is not None
        ]

    def may_use(self, names: frozenset[str]) -> set[str]:
        modules = {
            module
            for name in names
            for module, mention in self.mentions(name).items()
            if mention.imports or mention.imports_from or mention.calls
        }
        # The roles of a line are read loosely (``cv.name,`` on a line of its own may play any):
        # the whole text may still show that no mention is an import or a call.
        return {module for module in modules if self.may_import_or_call(module, names)}

    def _parses_aside(
        self, batch: Sequence[SourceFile], calls_of: frozenset[str]
    ) -> list[tuple[Primitive, bool] | None]:
        """Each file's parse as ``parse_ahead`` makes it (the same at any depth), with whether
        its text is ASCII (see ``_covering``)."""
        with _deeper_than_any_caller() as deeper:
            if not deeper:
                return [None] * len(batch)
            return [self._parse_plainly(source, calls_of, with_ascii=True) for source in batch]

    def _keep_reading(self, source: SourceFile, read: FileText, searched: tuple[str, ...]) -> None:
        module = source.module
        if read.error is not None:
            self._read_errors[module] = read.error
            self._digests[module] = None
            return
        digest = read.digest if read.digest is not None else f"{RUN_DIGEST_PREFIX}{source.relpath}"
        if read.known:  # the cache holds its facts: as for a file known by its stat
            self._learn_digest(source, digest, read.may_be_shim, (), (), ())
            return
        self._learn_digest(source, digest, read.may_be_shim, searched, read.hits, read.contains)
        self._undecodable[module] = read.undecodable
        if read.mentions:
            self._read_mentions[module] = read.mentions
        if read.statements is not None:
            self._statements[module] = read.statements
        if read.hints is not None:
            self.scan_hints[module] = read.hints

    def _read(self, source: SourceFile) -> bytes | None:
        """The file's bytes, read again each time: they are not kept (see ``read_ahead``); an
        error when they are no longer the content whose digest the run learnt first."""
        try:
            return read_again(source.path, source.size, self._digests.get(source.module))
        except OSError as error:
            self._read_errors[source.module] = error.strerror or str(error)
            return None

    def text_failure(self, source: SourceFile) -> tuple[int | None, str] | None:
        """Why the file cannot be decoded, (line, message), as ``load_text`` says; from the one
        reading when there was one, without decoding again."""
        if source.module in self._undecodable:
            return self._undecodable[source.module]
        return self.load_text(source)

    def load_text(self, source: SourceFile) -> tuple[int | None, str] | None:
        """Decode the file into ``texts``; returns (line, message) when that is impossible."""
        if source.module in self.texts:
            return None
        data = self._read(source)
        if data is None:
            return None, self._read_errors.get(source.module, "cannot read the file")
        try:
            self.texts[source.module] = decode_source(data)
        except UndecodableSource as error:
            return error.line, error.message
        return None

    def relate_edits(self, scanned_problems: Mapping[str, object]) -> None:
        """Edits that change no fact (a comment, a blank line at the end): the new content is
        given the identity of the old in ``content_key``, so whole analyses remembered under the
        old content are reused. Every fact remembered of the old content is learnt of the new
        one and must be equal: the import scan, the text facts, and whichever of the import
        statements, bound names, mentions, parse and import kinds a run asked of it. What a
        run can ask of a file is those facts and nothing else, so a run given either content
        asks the same and is answered the same. Only a few edits are compared per run."""
        if not self._edited or len(self._edited) > _RELATED_EDITS:
            return
        for module, before in self._edited.items():
            source = self._files[module]
            digest = self.digest(source)
            if digest is None or module in scanned_problems or before not in self.cache.textfacts:
                continue
            scanned = self.cache.scans.get(module)
            if scanned is None or scanned[0] != digest or self._scanned_before.get(module) != scanned[1]:
                continue
            if self._same_facts(source, before, digest):
                self.cache.remember_same(digest, self.cache.same.get(before, before))

    def _same_facts(self, source: SourceFile, before: str, digest: str) -> bool:
        cache, module = self.cache, source.module
        data = self._read(source)
        shim, searched, hits, contains = cache.textfacts[before]
        if data is None or may_be_shim(data) != shim:
            return False
        if needle_facts(data, Needles(searched=frozenset(searched)))[:2] != (tuple(hits), tuple(contains)):
            return False
        cache.remember_textfacts(digest, (shim, searched, hits, contains))
        if before in cache.statements:
            self.text_imports(module)  # learnt of the new content, and remembered
            if cache.statements.get(digest) != cache.statements[before]:
                return False
        if before in cache.evident:
            self.evident_names(module)
            if cache.evident.get(digest) != cache.evident[before]:
                return False
        if before in cache.toplevel:
            if top_level_facts(data) != cache.toplevel[before]:
                return False
            cache.remember_toplevel(digest, cache.toplevel[before])
        mentioned = cache.mentions.get(before, {})
        if any(scan_mentions(data, needle) != known for needle, known in mentioned.items()):
            return False
        if mentioned:
            cache.remember_mentions(digest, dict(mentioned))
        parse = cache.parsed.get(before)
        parsed = None
        if parse is not None:
            # Compared only where the parse succeeds plainly, out of the run's way (no failure is
            # recorded, nothing is kept for the module): anything else is no proof.
            asked = _calls_asked(parse)
            parsed = self._parse_aside(source, asked) if asked is not None else None
            if parsed is None or _parsed_to_primitive(parsed) != parse:
                return False
            cache.remember_parsed(digest, parse)
        kinds = cache.kinds.get(before)
        if kinds is not None:
            text = self._text(module)
            derived = [found for found in [import_kinds(text) if text is not None else None] if found is not None]
            if parsed is not None:
                derived.append(parsed.kinds_by_line())
            if all([(n, kind.value) for n, kind in sorted(each.items())] != kinds for each in derived):
                return False
            cache.remember_kinds(digest, kinds)
        return True

    def _parse_aside(self, source: SourceFile, calls_of: frozenset[str]) -> ParsedModule | None:
        """A parse that ``parsed`` would also get at any depth (see ``parse_ahead``), or None."""
        text = self._text(source.module)
        with _deeper_than_any_caller() as deeper:
            if not deeper or text is None:
                return None
            try:
                return parse_module(text, source.relpath, calls_of=calls_of or None, stub=True)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return None

    def decoded_texts(self) -> Mapping[str, str]:
        """The decoded text of every readable module, decoded when asked for and not kept."""
        return _DecodedTexts(self)

    def remember_scan(self, source: SourceFile, result: Primitive) -> None:
        digest = self.digest(source)
        if digest is not None:
            before = self.cache.scans.get(source.module)
            if before is not None and before[0] == self._edited.get(source.module):
                self._scanned_before[source.module] = before[1]
            self.cache.remember_scan(source.module, digest, result)

    def parsed(self, module: str, *, calls_of: frozenset[str] = frozenset()) -> ParsedModule | None:
        known = self._parsed.get(module, _UNKNOWN)
        if known is None:
            return None
        if isinstance(known, ParsedModule) and (covering := self._answering(module, known, calls_of)) is not None:
            self._parsed[module] = covering
            return covering
        source = self._files.get(module)
        result: ParsedModule | None = None
        if source is not None and (digest := self.digest(source)) is not None:
            cached = self.cache.parsed.get(digest)
            if cached is not None and cached[0] == "failed":  # a newer syntax than this Python's
                self._parse_failures[module] = (cached[1], cached[2])
            elif cached is not None:
                result = _parsed_from_primitive(cached)
                covering = self._answering(module, result, calls_of) if result is not None else None
                if result is not None and covering is None:
                    calls_of = _more_words(calls_of, result)  # parsed again for these and those
                result = covering
            if result is None and self._parse_failures.get(module) is None and self.load_text(source) is None:
                if isinstance(known, ParsedModule):
                    calls_of = _more_words(calls_of, known)
                try:
                    result = parse_module(self.texts[module], source.relpath, calls_of=calls_of or None, stub=True)
                except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
                    line = error.lineno if isinstance(error, SyntaxError) else None
                    message = error.msg if isinstance(error, SyntaxError) else _too_deep(error)
                    self._parse_failures[module] = (line, message)
                    self.cache.remember_parsed(digest, ("failed", line, message))
                else:
                    self.cache.remember_parsed(digest, _parsed_to_primitive(result))
        self._parsed[module] = result
        return result

    def parse_ahead(
        self,
        modules: Iterable[str],
        *,
        calls_of: frozenset[str] = frozenset(),
        processes: int | None = None,
    ) -> None:
        """Parse now the modules ``parsed`` is about to be asked for, on every core when they
        are enough to pay for the processes and no other process of the run has the other core
        (``processes`` None: decided so); the facts go to the cache, where ``parsed`` finds them.

        Only what ``ast`` reads plainly is taken from here; a syntax error, newer syntax or an
        expression too deep is left for ``parsed`` to meet as it always does. How deep ``ast``
        may nest depends on the depth of the stack it is called at, so the batch is parsed with
        the recursion limit lowered by more than any caller of ``parsed`` can be deeper: nothing
        parses here that would not parse there, and the facts are the same whichever process
        parsed a file, or whether any did.
        """
        batch = [
            (source, words)
            for module in dict.fromkeys(modules)
            if (unparsed := self._unparsed(module, calls_of)) is not None
            for source, words in [unparsed]
        ]
        if processes is None:
            size = sum(source.size for source, _ in batch)
            worth_it = size >= PARALLEL_PARSE_BYTES and not self.other_core_busy()
            processes = usable_processes() if worth_it else 1
        if processes < 2 or len(batch) < 2:
            return  # one process parses as well on demand
        with _deeper_than_any_caller() as deeper:
            if not deeper:
                return  # called too deep already: leave it all to ``parsed``
            results = map_forked(
                lambda item: self._parse_plainly(item[0], item[1]),
                batch,
                [source.size for source, _ in batch],
                processes,
            )
        for (source, _), result in zip(batch, results, strict=True):
            digest = self._digests.get(source.module)
            if result is not None and digest is not None:
                self.cache.remember_parsed(digest, result)

    def _unparsed(self, module: str, calls_of: frozenset[str]) -> tuple[SourceFile, frozenset[str]] | None:
        """The file of ``module`` and the words whose calls to collect, when ``parsed(module,
        calls_of=calls_of)`` would parse it."""
        known = self._parsed.get(module, _UNKNOWN)
        if known is None or (isinstance(known, ParsedModule) and self._covering(module, known, calls_of) is not None):
            return None
        source = self._files.get(module)
        if source is None or module in self._parse_failures or (digest := self.digest(source)) is None:
            return None
        cached = self.cache.parsed.get(digest)
        if cached is not None and cached[0] == "failed":
            return None
        cached_parse = _parsed_from_primitive(cached) if cached is not None else None
        if cached_parse is not None:
            if self._covering(module, cached_parse, calls_of) is not None:
                return None
            calls_of = _more_words(calls_of, cached_parse)
        if isinstance(known, ParsedModule):
            calls_of = _more_words(calls_of, known)
        return source, calls_of

    def _covering(self, module: str, parsed: ParsedModule, calls_of: frozenset[str]) -> ParsedModule | None:
        """``parsed`` when it holds the calls of the words ``calls_of``, else the same parse
        answering for them too when it does without being parsed again, else None.

        It does when ``parsed`` was made in this run from a file whose bytes are its text, all
        ASCII, and that holds none of the words it was not asked about as a word: a callee with
        such a part would hold it so (an identifier beyond ASCII might normalize to one, and a
        coding cookie such as ``utf-7`` might decode other bytes to one). A stub's facts are the
        whole text's whatever the words (see ``parsing._stubbed_facts``), so the calls are those
        a parse asked for them too would collect. Only words the files were searched for
        already can tell: a search of every file for the others would cost more than the parse."""
        if _covers(parsed, calls_of):
            return parsed
        if module not in self._ascii or parsed.calls is None or parsed.call_words is None:
            return None
        extra = calls_of - parsed.call_words
        if any(word not in self._mentions or module in self._mentions[word] for word in extra):
            return None
        return parsed._replace(call_words=parsed.call_words | extra)

    def _answering(self, module: str, parsed: ParsedModule, calls_of: frozenset[str]) -> ParsedModule | None:
        """What ``_covering`` answers; a parse it made answer for more words is cached so: a later
        run knows no more than the cache of which texts are ASCII."""
        covering = self._covering(module, parsed, calls_of)
        if covering is not None and covering is not parsed and (digest := self._digests.get(module)) is not None:
            self.cache.remember_parsed(digest, _parsed_to_primitive(covering))
        return covering

    def _parse_plainly(self, source: SourceFile, calls_of: frozenset[str], with_ascii: bool = False) -> Any:
        """The parse of one file of a batch, as the cache keeps it (decoded without keeping the
        text: the batch may be large); ``with_ascii``: with whether the file's bytes are its
        text, all ASCII (see ``_covering``)."""
        text = self.texts.get(source.module)
        data = None
        if text is None or with_ascii:
            data = self._read(source)
            if data is None:
                return None
        if text is None:
            try:
                text = decode_source(data or b"")
            except UndecodableSource:
                return None
        parsed = parse_plainly(text, source.relpath, calls_of=calls_of or None, stub=True)
        if parsed is None:
            return None
        if not with_ascii:
            return _parsed_to_primitive(parsed)
        return _parsed_to_primitive(parsed), text.isascii() and data == text.encode()

    def alongside(
        self, *works: Callable[[], Any], fork: bool = True
    ) -> AbstractContextManager[list[Callable[[], Any]]]:
        return alongside(self, works, fork=fork)

    def import_kinds(self, module: str, line: int) -> Mapping[int, ImportKind]:
        known = self._kinds.get(module)
        if known is not None and line in known:
            return known
        source = self._files.get(module)
        digest = self.digest(source) if source is not None else None
        if source is None or digest is None:
            return {}
        cached = self.cache.kinds.get(digest)
        kinds: dict[int, ImportKind] | None = None
        if cached is not None:
            kinds = _kinds_from_primitive(cached)
        elif digest not in self.cache.parsed and self.load_text(source) is None:
            kinds = import_kinds(self.texts[module])
        if kinds is None or line not in kinds:
            # The text scan was unsure, or the import does not start its line (``if x: import y``).
            parsed = self.parsed(module)
            kinds = parsed.kinds_by_line() if parsed is not None else {}
        self._kinds[module] = kinds
        if cached is None or len(cached) != len(kinds):
            self.cache.remember_kinds(digest, [(number, kind.value) for number, kind in sorted(kinds.items())])
        return kinds

    def parse_failures(self) -> Mapping[str, tuple[int | None, str]]:
        return self._parse_failures

    def note_parse_failures(self, failures: Mapping[str, tuple[int | None, str]]) -> None:
        self._parse_failures.update(failures)

    def modules_containing(self, needles: frozenset[str]) -> dict[str, set[str]]:
        unknown = needles.difference(self._mentions)
        if unknown:
            self._mentions.update(self._search(Needles(searched=unknown)))
        return {needle: self._mentions[needle] for needle in needles}

    def _search(self, needles: Needles) -> dict[str, set[str]]:
        """Which modules hold each searched needle; the files not searched for them yet are read
        again, in one pass for all the needles (on every core when they are many), which also
        reads the roles of the mentioned needles where they occur. A file is not read for a
        needle that contains a word searched before which the file does not hold even inside
        another (``dt_utcnow`` where ``utcnow`` is nowhere): the needle cannot be there either."""
        found: dict[str, set[str]] = {needle: set() for needle in needles.searched}
        unsearched: list[tuple[SourceFile, str, Needles]] = []
        plans: dict[Primitive, _SearchPlan] = {}  # by text facts: most files share theirs
        for module, source in self._files.items():
            digest = self.digest(source)
            if digest is None:
                continue
            facts = self.cache.textfacts[digest]
            plan = plans.get(facts)
            if plan is None:
                plan = plans[facts] = _search_plan(needles, facts, plans)
            for needle in plan.held:
                found[needle].add(module)
            if plan.known is not None:  # the needles it cannot hold: searched, and not there
                self.cache.remember_textfacts(digest, plan.known)
            if plan.unsearched is not None:
                unsearched.append((source, digest, plan.unsearched))
        if not unsearched:
            return found
        weights = [source.size + _READ_WEIGHT_PER_FILE for source, _, _ in unsearched]
        processes = usable_processes() if sum(weights) >= PARALLEL_SEARCH_WEIGHT else 1

        def search(item: tuple[SourceFile, str, Needles]) -> tuple[Any, ...] | None:
            facts = search_text(item[0].path, item[0].size, item[2], item[1])
            return tuple(facts) if facts is not None else None  # plain: unpickled faster

        for item, result in zip(unsearched, map_forked(search, unsearched, weights, processes), strict=True):
            source, digest, asked = item
            result = result or search(item)
            if result is None:
                continue
            new_hits, contains, mentions = result
            self._add_textfacts(digest, self.cache.textfacts[digest][0], asked.searched, new_hits, contains)
            if mentions:
                self._read_mentions.setdefault(source.module, {}).update(mentions)
            for needle in new_hits:
                found[needle].add(source.module)
        return found

    def module_on_disk(self, module: str) -> bool:
        """Python's path finder would find ``module`` in its root package's directory: a module
        file, a package or namespace directory, an extension module; analysed or not (excluded,
        a directory without ``__init__.py``)."""
        if module in self.package_dirs:
            return True
        base = self._path_base(module)
        if base is None:
            return False
        directory, leaf = os.path.split(base)
        if leaf not in self._entry_stems(directory):  # one listing per directory, not a stat per suffix
            return False
        return os.path.isdir(base) or any(os.path.isfile(base + suffix) for suffix in all_suffixes())

    def _entry_stems(self, directory: str) -> frozenset[str]:
        """The names of the directory's entries up to their first dot (``mod`` of
        ``mod.cpython-311-x86_64-linux-gnu.so``): a module can only lie where its name is one."""
        stems = self._stems.get(directory)
        if stems is None:
            try:
                stems = frozenset(entry.partition(".")[0] for entry in os.listdir(directory))
            except OSError:
                stems = frozenset()
            self._stems[directory] = stems
        return stems

    def extension_module(self, module: str) -> bool:
        """Python's path finder would load ``module`` from an extension module file: a package
        directory comes first, then extension suffixes before source ones."""
        base = self._path_base(module)
        if base is None:
            return False
        init = os.path.join(base, "__init__")
        if any(os.path.isfile(init + suffix) for suffix in all_suffixes()):
            return False
        return any(os.path.isfile(base + suffix) for suffix in EXTENSION_SUFFIXES)

    def _path_base(self, module: str) -> str | None:
        """Where a module below a root package lies, without its suffix (``pkg/sub/mod``); None
        for a module outside them (a root package itself included)."""
        for package, directory in self.package_dirs.items():
            if module.startswith(package + "."):
                return os.path.join(directory, *module[len(package) + 1 :].split("."))
        return None

    def may_add_module(self, module: str, name: str) -> bool:
        return self._adds_modules(module, name)

    def writes_modules(self, module: str) -> bool:
        return self._adds_modules(module, None)

    def foreign_writers(self, module: str) -> frozenset[str]:
        if module not in self._foreign_writers:
            source = self._files.get(module)
            data = self._read(source) if source is not None else None
            self._foreign_writers[module] = foreign_writers(data) if data is not None else frozenset()
        return self._foreign_writers[module]

    def _adds_modules(self, module: str, name: str | None) -> bool:
        """``may_add_module`` (``name`` given) or ``writes_modules``, from one read of the file
        per question: every missing module below a package asks it again (pip's ten imports
        from six.moves read six.py ten times)."""
        key = (module, name)
        if key not in self._module_writes:
            source = self._files.get(module)
            data = self._read(source) if source is not None else None
            found = data is None or (writes_modules(data) if name is None else may_add_module(data, name))
            self._module_writes[key] = found
        return self._module_writes[key]

    def is_package(self, module: str) -> bool:
        source = self._files.get(module)
        return source is not None and source.is_package

    def text_imports(self, module: str) -> Sequence[TextImportRow]:
        """Cached by content: a warm run reads no file to list its import statements."""
        source = self._files.get(module)
        digest = self.digest(source) if source is not None else None
        packed = self._statements.get(module)
        found: Sequence[TextImportRow]
        if packed is not None and digest is not None:
            found = marshal.loads(packed)  # the rows as the text pass kept them
        else:
            cached = self.cache.statements.get(digest) if digest is not None else None
            if cached is not None:
                return [(line, level, name, tuple(map(tuple, names))) for line, level, name, names in cached]
            text = self._text(module)
            if text is None:
                return []
            found = statement_rows(text)
        # Without a cache nothing is kept: a run lists a module's statements once.
        if digest is not None and self.cache.path is not None and digest not in self.cache.statements:
            self.cache.remember_statements(
                digest, [(line, level, name, [list(pair) for pair in names]) for line, level, name, names in found]
            )
        return found

    def evident_names(self, module: str) -> frozenset[str]:
        """Cached by content: a file edit reads that file again, not every file it imports from."""
        if module not in self._evident:
            source = self._files.get(module)
            digest = self.digest(source) if source is not None else None
            cached = self.cache.evident.get(digest) if digest is not None else None
            if cached is not None:
                self._evident[module] = frozenset(cached)
            else:
                names = self._read_evident.pop(module, None)
                if names is None and (text := self._text(module)) is not None:
                    names = evident_names(text)
                self._evident[module] = names if names is not None else frozenset()
                if digest is not None and names is not None and self.cache.path is not None:
                    self.cache.remember_evident(digest, sorted(names))
        return self._evident[module]

    def imports_expected_to_fail(self, module: str) -> frozenset[int]:
        """Read with a whole parse: asked only of the few modules with a broken import."""
        tree = self._whole_parse(module)
        return imports_expected_to_fail(tree) if tree is not None else frozenset()

    def name_uses(self, module: str, name: str, line: int | None = None) -> NameUses | None:
        """Read with a whole parse: asked only of the few modules that import a legacy module
        whose replacement is a namesake (as ``importcanon fix`` reads them)."""
        key = (module, name, line)
        if key not in self._name_uses:
            tree = self._whole_parse(module)
            self._name_uses[key] = name_uses(tree, name, line) if tree is not None else None
        return self._name_uses[key]

    def _whole_parse(self, module: str) -> ast.Module | None:
        """The module's whole syntax tree, for the few questions a stubbed parse cannot answer;
        None when its text cannot be read or parsed."""
        text = self._text(module)
        return parsed_tree(text) if text is not None else None

    def _text(self, module: str) -> str | None:
        source = self._files.get(module)
        if source is None or self.load_text(source) is not None:
            return None
        return self.texts.get(module)

    def top_level(self, module: str) -> tuple[tuple[str, ...] | None, bool] | None:
        """Cached by content, so that an edit that keeps every fact is known to keep these too."""
        if module not in self._top_level:
            source = self._files.get(module)
            digest = self.digest(source) if source is not None else None
            if digest is not None and digest in self.cache.toplevel:
                self._top_level[module] = self.cache.toplevel[digest]  # type: ignore[assignment]
            else:
                data = self._read(source) if source is not None else None
                self._top_level[module] = top_level_facts(data) if data is not None else None
                if digest is not None and data is not None and self.cache.path is not None:
                    self.cache.remember_toplevel(digest, self._top_level[module])
        return self._top_level[module]

    def binds_for_certain(self, module: str, name: str) -> bool:
        return self._read_for(module, name, ModuleLevelText.binds, False)

    def may_bind_apart_from_imports(self, module: str, name: str) -> bool:
        return self._read_for(module, name, ModuleLevelText.binds_apart_from_imports, True)

    def imports_of(self, module: str, name: str) -> Sequence[TextImport] | None:
        return self._read_for(module, name, ModuleLevelText.imports_of, None)

    def imports_at(self, module: str, line: int) -> Sequence[TextImport] | None:
        reader = self._module_level_text(module)
        return reader.imports_at(line) if reader is not None else None

    def may_rebind(self, module: str, name: str) -> bool:
        # The bytes first: most files that name it can be told from them without a reader.
        source = self._files.get(module)
        data = self._read(source) if source is not None else None
        if data is not None and not may_rebind_to(data, name):
            return False
        return self._read_for(module, name, ModuleLevelText.may_rebind, True)

    def may_import_or_call(self, module: str, names: frozenset[str]) -> bool:
        source = self._files.get(module)
        data = self._read(source) if source is not None else None
        return data is None or may_import_or_call(data, names)

    def star_imports_for_certain(self, module: str) -> Sequence[tuple[int, str | None]]:
        reader = self._module_level_text(module)
        return reader.star_imports() if reader is not None else ()

    def _read_for(
        self, module: str, name: str, question: Callable[[ModuleLevelText, str], Answer], unread: Answer
    ) -> Answer:
        """The answer of one module's text to a question about a name, remembered for the run:
        the analyses ask the same ones (canonical homes, then ``where``), and an answer is small
        where the reader keeps the text. ``unread`` answers for a text that cannot be read."""
        key = (question.__name__, module, name)
        if key not in self._text_answers:
            reader = self._module_level_text(module)
            self._text_answers[key] = question(reader, name) if reader is not None else unread
        return self._text_answers[key]  # type: ignore[return-value]

    def _module_level_text(self, module: str) -> ModuleLevelText | None:
        """The last few readers, not every one (each keeps its module's text): their callers ask
        about one module's names in a row, and remember the answers."""
        if module in self._module_level:
            self._module_level[module] = self._module_level.pop(module)  # now the most recent
        else:
            text = self._text(module)
            self._module_level[module] = module_level_text(text) if text is not None else None
            while len(self._module_level) > _READERS_KEPT:
                del self._module_level[next(iter(self._module_level))]
        return self._module_level[module]

    def mentions(self, needle: str) -> dict[str, Mention]:
        """Learnt once per run (the files and what they hold do not change during it)."""
        if needle not in self._mention_maps:
            self._mention_maps[needle] = self._learn_mentions(needle)
        return dict(self._mention_maps[needle])

    def _learn_mentions(self, needle: str) -> dict[str, Mention]:
        if needle not in self._mentions:  # searched for with its roles, in one reading
            self._mentions.update(self._search(Needles(frozenset({needle}), frozenset({needle}))))
        cached = self.cache.mentions if self.cache.path is not None else None  # nothing to keep else
        found: dict[str, Mention] = {}
        for module in self._mentions[needle]:
            source = self._files[module]
            digest = self.digest(source)
            if digest is None:
                continue
            known = cached.get(digest, {}) if cached is not None else {}
            roles_sources = known.get(needle)
            if roles_sources is None:
                roles_sources = self._read_mentions.get(module, {}).get(needle)
                if roles_sources is None:
                    data = self._read(source)
                    if data is None:
                        continue
                    roles_sources = scan_mentions(data, needle)
                if cached is not None:
                    self.cache.remember_mentions(digest, {**known, needle: roles_sources})
            roles, sources = roles_sources
            targets = [
                (line, absolute_import_target(module, source.is_package, level, name or None))
                for level, name, line in sources
            ]
            located = [(line, target) for line, target in targets if line and target]
            found[module] = Mention(
                imports_from=frozenset(target for _, target in targets if target),
                imports=bool(roles & IMPORTS),
                binds=bool(roles & BINDS),
                aliases=bool(roles & ALIASES),
                calls=bool(roles & CALLS),
                module_level_imports=tuple(located) if len(located) == len(targets) else None,
            )
        return found

    def shim_candidates(self) -> set[str]:
        return {
            module
            for module, source in self._files.items()
            if (digest := self.digest(source)) is not None and self.cache.textfacts[digest][0]
        }

    def content_key(self, modules: Iterable[str], extra: Iterable[object] = ()) -> str:
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(f"{self.cache.scan_options}|{list(extra)!r}".encode())
        for module in modules:
            source = self._files.get(module)
            digest = self.digest(source) if source is not None else None
            hasher.update(f"\n{module}:{self.cache.same.get(digest, digest) if digest else digest}".encode())
        return hasher.hexdigest()

    @property
    def remembers(self) -> bool:
        return self.cache.path is not None

    def recall(self, name: str, key: str) -> Primitive | None:
        if name == WHOLE_CHECK:
            return self.cache.recall_whole(key)
        return next((value for known, value in self.cache.results.get(name, []) if known == key), None)

    def memorize(self, name: str, key: str, value: Primitive) -> None:
        if name == WHOLE_CHECK:
            self.cache.remember_whole(key, value)
        else:
            self.cache.remember_result(name, key, value)

    def save(self) -> None:
        self.cache.save(
            live_paths={source.relpath for source in self._files.values()},
            live_modules=set(self._files),
        )


_UNKNOWN = object()
#: Edits compared fact by fact in one run (see ``FactStore.relate_edits``); beyond, a checkout.
_RELATED_EDITS = 8


class _SearchPlan(NamedTuple):
    """What a search of ``needles`` does with a file, from its text facts alone."""

    held: tuple[str, ...]  # the needles it is known to hold as words
    known: Primitive | None  # its text facts once the needles it cannot hold are known searched (None: as they are)
    unsearched: Needles | None  # what it must be read again for


def _search_plan(needles: Needles, facts: Primitive, plans: Mapping[Primitive, _SearchPlan]) -> _SearchPlan:
    """The plan for a file with these text facts (``plans``: those made so far, whose needles
    to read for are shared, so that the batch is read in one pass per set)."""
    shim, searched, hits, contains = facts
    missing = needles.searched.difference(searched)
    nowhere = set(searched).difference(contains)
    ruled_out = {needle for needle in missing if any(word in needle for word in nowhere)}
    known = (shim, tuple(sorted({*searched, *ruled_out})), hits, contains) if ruled_out else None
    missing -= ruled_out
    unsearched = None
    if missing:
        shared = [plan.unsearched for plan in plans.values() if plan.unsearched and plan.unsearched.searched == missing]
        unsearched = shared[0] if shared else Needles(frozenset(missing), needles.mentioned & missing)
    return _SearchPlan(tuple(needles.searched.intersection(hits)), known, unsearched)


@contextmanager
def _in_a_thread(work: Callable[[], Result]) -> Iterator[Callable[[], Result]]:
    """``work`` in a thread while the block runs; the function given returns its result (or
    raises its error) once the thread ends. The thread has ended when the block does, so no
    fork meets it."""
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as error:  # handed to the caller, as if it ran there
            outcome.append((False, error))

    def result() -> Result:
        thread.join()
        done, value = outcome[0]
        if not done:
            raise value
        return cast(Result, value)

    thread = threading.Thread(target=run, name="importcanon-beside", daemon=True)
    thread.start()
    try:
        yield result
    finally:
        thread.join()


def _with_warning(skipped: Sequence[tuple[str, str]], warning: tuple[str, str] | None) -> Sequence[tuple[str, str]]:
    return [*skipped, warning] if warning is not None else skipped


#: Files to read ahead that weigh this much (bytes, and ``_READ_WEIGHT_PER_FILE`` per file) pay
#: for forking processes to share them.
PARALLEL_READ_WEIGHT = 4 << 20
_READ_WEIGHT_PER_FILE = 2048
#: A search for needles met later (bytes read, words found) costs a tenth of the reading ahead:
#: it pays for a process from more. django's 885 files (9.6 MB by weight) are searched in 0.011 s
#: by one process and 0.019 s by two; sympy's 1,532 files (17 MB) in 0.057 and 0.043.
PARALLEL_SEARCH_WEIGHT = 12 << 20
#: A batch of files this big (about 0.08 s of parsing) pays for forking processes to share it.
PARALLEL_PARSE_BYTES = 1 << 19
#: Projects of fewer bytes than this parse nothing beside grimp's scan: it keeps both cores busy
#: nearly to its end, and what is parsed beside it is paid for at its end (django, 5.7 MB: 1.02x,
#: 15 interleaved pairs), where sympy (26 MB) and homeassistant (33 MB) gain (0.95x, 0.94x).
PARSED_BESIDE_THE_SCAN_BYTES = 16 << 20
#: Frames below the recursion limit a batch is parsed at (see ``FactStore.parse_ahead``).
_PARSE_AHEAD_HEADROOM = 200


@contextmanager
def _deeper_than_any_caller() -> Iterator[bool]:
    """The recursion limit lowered by :data:`_PARSE_AHEAD_HEADROOM` while the block runs, as if
    it ran deeper than any caller of ``parsed`` can be: a parse that succeeds here succeeds there
    (how deep ``ast`` may nest depends on the stack). False when the stack is too deep already
    to lower it: then nothing is to be parsed aside."""
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(limit - _PARSE_AHEAD_HEADROOM)
    except RecursionError:
        yield False
        return
    try:
        yield True
    finally:
        sys.setrecursionlimit(limit)


class _DecodedTexts(Mapping[str, str]):
    def __init__(self, store: FactStore) -> None:
        self._store = store

    def __getitem__(self, module: str) -> str:
        text = self._store._text(module)
        if text is None:
            raise KeyError(module)
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(self._store._files)

    def __len__(self) -> int:
        return len(self._store._files)


#: How many module-level readers are kept (each with its module's text): the analyses ask about a
#: few hundred modules at most, mostly one module's names in a row.
_READERS_KEPT = 32


class RecentTexts(dict[str, str]):
    """The last few decoded texts, not every one: a text is wanted by a few consecutive steps
    (a parse, its import kinds, its import statements) and decoding again is cheap, while
    keeping every decoded file alive for the whole run doubled the memory the sources take."""

    KEPT = 8

    def __setitem__(self, module: str, text: str) -> None:
        super().__setitem__(module, text)
        while len(self) > self.KEPT:
            del self[next(iter(self))]


def _too_deep(error: Exception) -> str:
    if isinstance(error, (RecursionError, MemoryError)):
        return f"an expression is nested too deeply for Python to compile ({type(error).__name__})"
    return str(error)


def _parsed_to_primitive(parsed: ParsedModule) -> Primitive:
    return (
        [
            (s.line, s.kind.value, s.level, s.module, [list(pair) for pair in s.names], s.scope, s.conditional)
            for s in parsed.imports
        ],
        [(b.name, b.line, b.kind.value, b.source, b.conditional, b.type_checking) for b in parsed.bindings],
        list(parsed.all_names) if parsed.all_names is not None else None,
        [
            sorted(parsed.call_words) if parsed.call_words is not None else None,
            [(c.line, c.callee, c.scope, c.binder, c.through) for c in parsed.calls],
            [list(pair) for pair in parsed.local_aliases],
        ]
        if parsed.calls is not None
        else None,
        [list(scope) for scope in parsed.scopes],
        parsed.shim_shaped,
    )


def _covers(parsed: ParsedModule, calls_of: frozenset[str]) -> bool:
    """Whether ``parsed`` holds the calls of these words (every call does)."""
    if not calls_of:
        return True
    if parsed.calls is None:
        return False
    return parsed.call_words is None or calls_of <= parsed.call_words


def _more_words(calls_of: frozenset[str], parsed: ParsedModule) -> frozenset[str]:
    """The words asked for and those ``parsed`` already holds the calls of: a new parse for
    some words keeps answering for the words asked before."""
    return calls_of | parsed.call_words if parsed.calls is not None and parsed.call_words is not None else calls_of


def _calls_asked(parse: Primitive) -> frozenset[str] | None:
    """The words whose calls a cached parse was asked for; None for one that holds every call,
    which no run asks for any more (no parse aside can match it)."""
    if parse[0] == "failed" or parse[3] is None:
        return frozenset()
    words = parse[3][0]
    return frozenset(words) if words is not None else None


def _kinds_from_primitive(data: Primitive) -> dict[int, ImportKind] | None:
    """Cached import kinds; None (learn them again) for an entry that is not what was written."""
    try:
        return {number: ImportKind(kind) for number, kind in data}
    except (TypeError, ValueError):
        return None


def _parsed_from_primitive(data: Primitive) -> ParsedModule | None:
    """A cached parse; None (parse again) for an entry that is not what was written."""
    try:
        return _build_parsed(data)
    except (TypeError, ValueError):
        return None


def _build_parsed(data: Primitive) -> ParsedModule:
    imports, bindings, all_names, calls_part, scopes, shim_shaped = data
    words, calls, local_aliases = calls_part if calls_part is not None else (None, None, ())
    return ParsedModule(
        imports=tuple(
            ImportStatement(line, ImportKind(kind), level, module, tuple(tuple(p) for p in names), scope, conditional)
            for line, kind, level, module, names, scope, conditional in imports
        ),
        bindings=tuple(
            Binding(name, line, BindingKind(kind), source, conditional, type_checking)
            for name, line, kind, source, conditional, type_checking in bindings
        ),
        all_names=tuple(all_names) if all_names is not None else None,
        calls=(
            tuple(Call(line, callee, scope, binder, through) for line, callee, scope, binder, through in calls)
            if calls is not None
            else None
        ),
        local_aliases=tuple((name, source) for name, source in local_aliases),
        scopes=tuple(tuple(scope) for scope in scopes),
        shim_shaped=shim_shaped,
        call_words=frozenset(words) if calls is not None and words is not None else None,
    )
