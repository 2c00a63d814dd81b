"""Import scanning with grimp's Rust scanner, one broken file at a time rather than all or nothing.

grimp (and so import-linter) aborts the whole scan on the first file that does not parse. Here a
failed scan is followed by a verdict on each file of the failed chunk alone (a cheap call that
names only that module), then one scan of the files that passed: the cost stays linear however
many files are broken.

Sources that would crash or fool the scanner are dealt with on the way:

- grimp's parser recurses once per term of a long ``a + b + ...`` chain, and a worker thread's
  default 2 MiB stack overflows near 40,000 terms: a segfault, no message. Its threads are given
  :data:`THREAD_STACK` instead (address space; pages are used only when touched), which no file
  under :data:`PRE_PARSED_SIZE` can exhaust, and larger files are parsed by Python first.
- Files that grimp accepts but CPython rejects (more than 100 indentation levels, expressions so
  deep that compiling them hits the recursion limit) would fail at import: a cheap screen of the
  text picks the candidates and Python's own parser gives the verdict and the message.
- A relative import that climbs two levels or more above the top-level package panics grimp's
  scanner: the files whose statements (as the text shows them, ``from . . . . import x``
  included) climb so far are handed to it with the climb cut (:func:`_clamped_relative_imports`).
  Any other failure that is no syntax error (a climb the text did not show, a codec grimp does
  not know) is scanned once more from Python's decoding of the file, clamped; what still fails
  is a finding that says so. A panic prints on standard error before Python sees it, so the
  scanner runs with standard error sent nowhere.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

from importcanon.adapters.import_statements import StatementRow, statement_rows_and_top_level_lines
from importcanon.adapters.sources import SourceFile, SourceListing
from importcanon.application.project import RawImport
from importcanon.domain.facts import SCANNER_FAILED, ImportKind

#: Stack for grimp's (Rust) worker threads: 2 MiB overflows near a 40,000-term expression;
#: 64 MiB holds about 1.3 million terms, more than a file under PRE_PARSED_SIZE can hold.
THREAD_STACK = 64 * 1024 * 1024
if int(os.environ.get("RUST_MIN_STACK", "0") or 0) < THREAD_STACK:  # read when grimp starts its threads
    os.environ["RUST_MIN_STACK"] = str(THREAD_STACK)

from grimp import _rustgrimp as rust  # type: ignore[attr-defined]  # noqa: E402
from grimp.application.ports.modulefinder import FoundPackage, ModuleFile  # noqa: E402
from grimp.application.scanning import scan_imports as grimp_scan_imports  # noqa: E402
from grimp.domain.valueobjects import DirectImport, Module  # noqa: E402
from grimp.exceptions import SourceSyntaxError  # noqa: E402

#: Files per call into the Rust scanner once a broken file has been met: large enough to keep both
#: cores busy, small enough that the verdicts on a failed chunk stay cheap.
CHUNK_SIZE = 1024
#: Files larger than this are parsed by Python before grimp sees them (see the module docstring).
PRE_PARSED_SIZE = 1024 * 1024
#: A line indented by 100 or more characters (it may be 101 levels deep), or a line of 3,000 or
#: more characters (it may hold a chain Python cannot compile): only those files are parsed by
#: Python to check. A string search (a regex where tabs indent) finds the first; the second are
#: found by measuring only the lines at every 3,000th character.
_DEEPLY_INDENTED = re.compile(r"\n[ \t]{100}")
_DEEP_SPACES = "\n" + " " * 100
_LONG_LINE = 3000

Problem = tuple[int | None, str]


#: What the scan asks of a file's text beside grimp's answer, learnt when the file is read: the
#: lines whose import is certainly at module level, whether Python may refuse what grimp
#: accepts (see ``_maybe_too_deep``), the most dots of a relative import among the file's
#: statements (see ``_clamped_relative_imports``), and Python's verdict on a file it was asked
#: of (see ``_asks_python``; None: it accepts it, or was not asked). A plain tuple: it crosses a
#: pipe from a forked process, so that the processes that read the files share the compiling.
ScanHints = tuple[tuple[int, ...], bool, int, Problem | None]


def scan_hints(text: str, statements: tuple[Sequence[StatementRow], Sequence[int]] | None = None) -> ScanHints:
    """The hints of ``text``; ``statements``: what
    :func:`~importcanon.adapters.import_statements.statement_rows_and_top_level_lines` reads in
    it, when read already (a file's reading reads them with its import statements)."""
    rows, top_level_lines = statements if statements is not None else statement_rows_and_top_level_lines(text)
    maybe_too_deep = _maybe_too_deep(text)
    refused = _python_refuses(text) if _asks_python(text, maybe_too_deep) else None
    return tuple(top_level_lines), maybe_too_deep, max((row[1] for row in rows), default=0), refused


def _asks_python(text: str, maybe_too_deep: bool) -> bool:
    """Whether the scan needs Python's verdict on ``text``: grimp accepts some files Python
    refuses, and a very large one could exhaust the stack of grimp's threads."""
    return maybe_too_deep or len(text) > PRE_PARSED_SIZE


@dataclass
class ScanOutcome:
    imports: dict[str, list[RawImport]] = field(default_factory=dict)
    problems: dict[str, Problem] = field(default_factory=dict)


def build_found_packages(listing: SourceListing) -> set[FoundPackage]:
    by_package: dict[str, list[ModuleFile]] = {name: [] for name in listing.packages}
    for source in listing.files:
        by_package[source.package].append(ModuleFile(module=Module(source.module), mtime=0.0))
    return {
        FoundPackage(
            name=name,
            directory=directory,
            module_files=frozenset(by_package[name]),
            namespace_packages=listing.namespace_packages.get(name, frozenset()),
        )
        for name, directory in listing.packages.items()
    }


def scan_sources(
    listing: SourceListing,
    sources: Sequence[SourceFile],
    texts: Mapping[str, str],
    *,
    include_external_packages: bool,
    exclude_type_checking_imports: bool,
    hints: Mapping[str, ScanHints] | None = None,
) -> ScanOutcome:
    """Scan ``sources`` (whose decoded texts are in ``texts``, keyed by module; ``hints`` holds
    what is already known of some of them, so that their texts are only read when a file is
    large, broken or shadowed)."""
    scanner = _Scanner(listing, texts, include_external_packages, exclude_type_checking_imports, hints or {})
    pending: list[SourceFile] = []
    for source in sources:
        refused = scanner.refusal(source) if source.size > PRE_PARSED_SIZE else None
        if refused is not None:
            scanner.outcome.problems[source.module] = refused
        else:
            pending.append(source)
    # Read from their text in memory: packages with a dead module file beside them, and files
    # whose relative imports climb further than grimp's scanner can count (it panics).
    climbing = {
        source.module: clamped
        for source in pending
        if scanner.hints_of(source.module)[2] > _most_dots(source)
        and (clamped := _clamped_relative_imports(texts[source.module], source)) is not None
    }
    apart = [source for source in pending if source.module in listing.shadowing or source.module in climbing]
    scanner.clamped.update(climbing)
    scanner.scan([source for source in pending if source.module not in listing.shadowing | climbing.keys()], None)
    if apart:
        scanner.scan(apart, _text_file_system(listing, apart, {**texts, **climbing}))
    # grimp failed on these for a reason other than their syntax: a panic (a climb the text's
    # statements did not show: ``from . import a; from .... import b``), a file it reads or
    # decodes otherwise than Python. Scanned once more from the text Python decoded, clamped.
    crashed = {source.module: source for source in pending if source.module in scanner.crashed}
    again = [source for module, source in crashed.items() if module not in listing.shadowing | climbing.keys()]
    if again:
        _scan_again(scanner, again)
    for module, error in scanner.crashed.items():
        scanner.outcome.problems[module] = _crash_problem(texts[module], crashed[module], error)
    for source in pending:
        if source.module in scanner.outcome.imports and scanner.hints_of(source.module)[1]:
            refused = scanner.refusal(source)
            if refused is not None:
                del scanner.outcome.imports[source.module]
                scanner.outcome.problems[source.module] = refused
    return scanner.outcome


def _scan_again(scanner: _Scanner, sources: list[SourceFile]) -> None:
    """Scan ``sources``, which grimp failed on as it read them from the disk, from their decoded
    texts, clamped; not when grimp cannot even be handed those (a path that is not UTF-8)."""
    texts = scanner.texts
    clamped = {
        source.module: text
        for source in sources
        if (text := _clamped_relative_imports(texts[source.module], source)) is not None
    }
    try:
        file_system = _text_file_system(scanner.listing, sources, {**texts, **scanner.clamped, **clamped})
    except UnicodeError:
        return
    scanner.clamped.update(clamped)
    for source in sources:
        del scanner.crashed[source.module], scanner.outcome.problems[source.module]
    scanner.scan(sources, file_system)


class _Scanner:
    def __init__(
        self,
        listing: SourceListing,
        texts: Mapping[str, str],
        include_external_packages: bool,
        exclude_type_checking_imports: bool,
        hints: Mapping[str, ScanHints],
    ) -> None:
        self.listing = listing
        self.texts = texts
        self.hints = hints
        self.include_external_packages = include_external_packages
        self.exclude_type_checking_imports = exclude_type_checking_imports
        self._read_hints: dict[str, ScanHints] = {}
        #: Modules grimp read clamped (see :func:`_clamped_relative_imports`), with that text.
        self.clamped: dict[str, str] = {}
        #: Modules grimp could not scan for a reason other than their syntax, with its error.
        self.crashed: dict[str, BaseException] = {}
        self.found_packages = build_found_packages(listing)
        self.outcome = ScanOutcome()

    def hints_of(self, module: str) -> ScanHints:
        """The hints read with the file, else read from its text once (the scan asks again)."""
        known = self.hints.get(module) or self._read_hints.get(module)
        if known is None:
            known = self._read_hints[module] = scan_hints(self.texts[module])
        return known

    def refusal(self, source: SourceFile) -> Problem | None:
        """Python's verdict on the file: from its hints when they hold it (given when the file
        was read, on whichever process read it), else compiled here."""
        text = self.texts[source.module]
        hints = self.hints_of(source.module)
        return hints[3] if _asks_python(text, hints[1]) else _python_refuses(text)

    def scan(self, batch: list[SourceFile], file_system: object | None) -> None:
        """Scan ``batch`` in one call; when it fails, in chunks, each chunk that fails again
        being sorted by a verdict on each of its files."""
        if not batch:
            return
        failed = self._try(batch, self.found_packages, file_system)
        if failed is None:
            return
        chunks = [batch[start : start + CHUNK_SIZE] for start in range(0, len(batch), CHUNK_SIZE)]
        for chunk in chunks if len(chunks) > 1 else [batch]:
            if len(chunks) > 1 and self._try(chunk, self.found_packages, file_system) is None:
                continue
            healthy = [source for source in chunk if self._verdict(source, file_system)]
            while healthy:  # the verdicts agree with the whole scan, so this runs once
                broken = self._try(healthy, self.found_packages, file_system)
                if broken is None:
                    break
                healthy.remove(broken)

    def _try(
        self, batch: list[SourceFile], found_packages: set[FoundPackage], file_system: object | None
    ) -> SourceFile | None:
        """Scan ``batch``; on failure, record the file at fault and return it (None: all scanned)."""
        try:
            with _quiet_stderr():
                result = self._grimp(batch, found_packages, file_system)
        except SourceSyntaxError as error:
            failed = os.path.realpath(error.filename)
            broken = next((s for s in batch if os.path.realpath(s.path) == failed), None)
            if broken is None:
                raise
            shift = _PREFIX_LINES if file_system is not None and error.lineno else 0
            line = error.lineno - shift if error.lineno else None
            self.outcome.problems[broken.module] = _syntax_problem(
                self.texts[broken.module], broken.relpath, line, error.text
            )
            return broken
        except BaseException as error:  # pyo3 panics derive from BaseException
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            if len(batch) > 1:
                middle = len(batch) // 2
                return self._try(batch[:middle], found_packages, file_system) or self._try(
                    batch[middle:], found_packages, file_system
                )
            source = batch[0]
            self.crashed[source.module] = error
            self.outcome.problems[source.module] = (None, str(error))  # until scan_sources words it
            return source
        shift = _PREFIX_LINES if file_system is not None else 0
        for module_file, direct_imports in result.items():
            name = module_file.module.name
            found = _with_kind_hints(self.hints_of(name), direct_imports, shift)
            if name in self.clamped:
                found = _as_written(found, self.texts[name], self.clamped[name])
            self.outcome.imports[name] = found
        return None

    def _verdict(self, source: SourceFile, file_system: object | None) -> bool:
        """Whether grimp parses this one file: a call that knows no other module, so it costs the
        parse alone (its imports are resolved by the scan of the healthy files that follows)."""
        module_file = ModuleFile(module=Module(source.module), mtime=0.0)
        alone = FoundPackage(
            name=source.package,
            directory=self.listing.packages[source.package],
            module_files=frozenset([module_file]),
            namespace_packages=frozenset(),
        )
        if self._try([source], {alone}, file_system) is not None:
            return False
        del self.outcome.imports[source.module]  # resolved against nothing: scanned again
        return True

    def _grimp(
        self, batch: list[SourceFile], found_packages: set[FoundPackage], file_system: object | None
    ) -> dict[ModuleFile, set[DirectImport]]:
        module_files = [ModuleFile(module=Module(source.module), mtime=0.0) for source in batch]
        if file_system is None:
            return grimp_scan_imports(
                module_files,
                found_packages=found_packages,
                include_external_packages=self.include_external_packages,
                exclude_type_checking_imports=self.exclude_type_checking_imports,
            )
        imports: dict[Module, set[DirectImport]] = rust.scan_for_imports(
            module_files=tuple(module_files),
            found_packages=found_packages,
            include_external_packages=self.include_external_packages,
            exclude_type_checking_imports=self.exclude_type_checking_imports,
            file_system=file_system,
        )
        return {module_file: imports[module_file.module] for module_file in module_files}


#: Lines put before a text handed to grimp's in-memory file system, which strips leading blank
#: lines and common indentation: a comment line in column 0 keeps both, and lines shift by one.
_PREFIX_LINES = 1


def _text_file_system(listing: SourceListing, sources: Sequence[SourceFile], texts: Mapping[str, str]) -> object:
    """grimp's in-memory file system holding only these modules' texts, at the paths grimp looks
    at: there is no ``a.py`` beside a package ``a/`` in it, so grimp reads the package."""
    content: dict[str, str] = {}
    for source in sources:
        directory = listing.packages[source.package].rstrip("/")
        leaf = source.module.split(".")[source.package.count(".") + 1 :]
        path = [*leaf, "__init__.py"] if source.is_package else [*leaf[:-1], f"{leaf[-1]}.py"]
        content["/".join([directory, *path])] = "#\n" * _PREFIX_LINES + texts[source.module]
    return rust.FakeBasicFileSystem(content_map=content)


#: A relative ``from`` import's dots: spaces, tabs and line continuations may stand between
#: them, as Python's tokenizer allows (``from . .\\`` then ``. import x``), and ``import``
#: follows them after a name or none (never ``raise E from ...``, a value).
_RELATIVE_DOTS = re.compile(
    r"(?<![\w.])from(?:[ \t]|\\\r?\n)*+((?:\.(?:[ \t]|\\\r?\n)*+)+)(?=(?:[\w. \t]|\\\r?\n)*?(?<!\w)import(?!\w))"
)


def _most_dots(source: SourceFile) -> int:
    """The most dots grimp's scanner can count in a relative import of ``source``: from a module
    a.b, ``..`` climbs above a; from a package a.b (its __init__), ``...``."""
    return source.module.count(".") + 1 + source.is_package


def _clamped_relative_imports(text: str, source: SourceFile) -> str | None:
    """``text`` with every relative import that climbs above the top-level package by more than
    one level climbing by one only, its extra dots made spaces (lines and columns stay): grimp's
    scanner panics on those, while climbing above the top by one it finds no import, as Python
    finds none (the ``broken-import`` analysis reports them from the text). None when no import
    climbs so far. A string that looks like such an import changes too: grimp reads no string.

    Only files whose statements, as read from the text (dots set apart by whitespace or line
    continuations included), climb so far are asked."""
    most = _most_dots(source)

    def clamp(match: re.Match[str]) -> str:
        dots = match.group(1)
        extra = [offset for offset, character in enumerate(dots) if character == "."][most:]
        if not extra:
            return match.group(0)
        keep = match.group(0)[: match.start(1) - match.start()] + dots[: extra[0]]
        return keep + dots[extra[0] :].replace(".", " ")

    clamped = _RELATIVE_DOTS.sub(clamp, text)
    return clamped if clamped != text else None


def _as_written(found: list[RawImport], text: str, clamped: str) -> list[RawImport]:
    """The imports grimp found in the ``clamped`` form of ``text``, each with its line's text as
    ``text`` has it (the dots clamping made spaces given back): the same line, the same span."""
    lines, clamped_lines = _LINE_BREAK.split(text), _LINE_BREAK.split(clamped)
    restored: list[RawImport] = []
    for name, line, contents, kind in found:
        if 0 < line <= len(lines) and len(lines) == len(clamped_lines):
            start = clamped_lines[line - 1].find(contents)
            if start >= 0:
                contents = lines[line - 1][start : start + len(contents)]
        restored.append((name, line, contents, kind))
    return restored


#: Where grimp's scanner (ruff's line index) breaks lines.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _with_kind_hints(hints: ScanHints, direct_imports: Iterable[DirectImport], shift: int = 0) -> list[RawImport]:
    module_level = set(hints[0])
    # By line, then module: no two imports of one module share both (nor, so, the line's text).
    found = sorted((d.line_number - shift, d.imported.name, d.line_contents) for d in direct_imports)
    return [
        # The line alone proves a module-level import; anything indented needs a parse to tell.
        (name, line, contents, ImportKind.MODULE if line in module_level else None)
        for line, name, contents in found
    ]


def _maybe_too_deep(text: str) -> bool:
    if _has_long_line(text):
        return True
    if "\t" in text:
        return _DEEPLY_INDENTED.search(text) is not None
    return _DEEP_SPACES in text  # the same without tabs, found by a search that skips ahead


def _has_long_line(text: str) -> bool:
    """Whether a line (up to ``\\n``) has ``_LONG_LINE`` characters or more: such a line holds a
    position that is a multiple of that length, so only the lines at those positions are
    measured (a regex would read every character of every line)."""
    for position in range(0, len(text), _LONG_LINE):
        if text[position] == "\n":
            continue
        end = text.find("\n", position)
        if (len(text) if end < 0 else end) - (text.rfind("\n", 0, position) + 1) >= _LONG_LINE:
            return True
    return False


def _python_refuses(text: str) -> Problem | None:
    """Python's own verdict: (line, message) when it cannot compile ``text``, else None.

    How deeply Python may nest an expression depends on how deep the stack already is where it
    compiles: the verdict is taken with :data:`COMPILED_WITH_FRAMES_LEFT` frames to spare, the
    same wherever it is asked (the process that reads a file, the scan, a later run whose cache
    knew the file), so that a file at that edge gets one verdict, not one per caller."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_stack_depth() + COMPILED_WITH_FRAMES_LEFT)
    try:
        compile(text, "<checked>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return error.lineno, error.msg
    except (RecursionError, MemoryError) as error:
        return None, f"Python cannot compile it: an expression is nested too deeply ({type(error).__name__})"
    except ValueError as error:  # source with NUL bytes
        return None, str(error)
    finally:
        sys.setrecursionlimit(limit)
    return None


#: The frames Python's default recursion limit (1,000) leaves a module imported from a caller
#: 40 frames deep: the depth the verdict of :func:`_python_refuses` stands for.
COMPILED_WITH_FRAMES_LEFT = 960


def _stack_depth() -> int:
    frame: FrameType | None = sys._getframe()
    depth = 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def _crash_problem(text: str, source: SourceFile, error: BaseException) -> Problem:
    """What to report of a file grimp's scanner failed on for a reason other than a syntax error
    it names (a panic, an error reading the file): Python's own verdict when it refuses the file
    too, else that grimp could not scan a file Python accepts, and why, in grimp's words."""
    refused = _python_refuses(text)
    if refused is not None:
        return refused
    kind = "panicked" if type(error).__name__ == "PanicException" else f"failed ({type(error).__name__})"
    message = str(error).replace(source.path, source.relpath) or "no message"
    return None, (
        f"{SCANNER_FAILED}{kind} on it, though Python parses it: {message}; "
        "its imports are missing from the graph (please report this to grimp)"
    )


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Standard error (the file descriptor) sent nowhere while grimp's scanner runs: a panic in
    Rust prints its message, and a backtrace under ``RUST_BACKTRACE``, before it reaches Python
    as an exception, which the scan reports as a finding of its own. Nothing else writes there
    meanwhile but a progress bar, which misses a frame or two."""
    if sys.stderr is not None:
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no standard error to keep quiet
        yield
        return
    nowhere = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(nowhere, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(nowhere)


def _syntax_problem(text: str, relpath: str, grimp_line: int | None, grimp_text: str | None) -> Problem:
    """Python's own message for a file grimp could not parse (grimp only gives the line text)."""
    refused = _python_refuses(text)
    if refused is None:
        return grimp_line, f"grimp's parser rejects this line: {grimp_text or '?'}"
    return (refused[0] if refused[0] is not None else grimp_line), refused[1]
