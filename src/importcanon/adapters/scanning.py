"""Import scanning with grimp's Rust scanner, one broken file at a time rather than all or nothing.

grimp (and so import-linter) aborts the whole scan on the first file that does not parse. Here
a failed scan records the broken file as a problem and scans the rest again, split into chunks,
so that a second broken file costs the rescan of one chunk, not of everything.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from grimp import _rustgrimp as rust  # type: ignore[attr-defined]
from grimp.application.ports.modulefinder import FoundPackage, ModuleFile
from grimp.application.scanning import scan_imports as grimp_scan_imports
from grimp.domain.valueobjects import DirectImport, Module
from grimp.exceptions import SourceSyntaxError

from importcanon.adapters.kinds import import_lines
from importcanon.adapters.sources import SourceFile, SourceListing
from importcanon.application.project import RawImport
from importcanon.domain.facts import ImportKind

#: Files per call into the Rust scanner once a broken file has been met: large enough to keep both
#: cores busy, small enough that a further broken file costs little to rescan.
CHUNK_SIZE = 1024


@dataclass
class ScanOutcome:
    imports: dict[str, list[RawImport]] = field(default_factory=dict)
    problems: dict[str, tuple[int | None, str]] = field(default_factory=dict)


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
) -> ScanOutcome:
    """Scan ``sources`` (whose decoded texts are in ``texts``, keyed by module)."""
    outcome = ScanOutcome()
    found_packages = build_found_packages(listing)
    shadowing = [source for source in sources if source.module in listing.shadowing]
    if shadowing:
        from_text = _text_file_system(listing, shadowing, texts)
        sources = [source for source in sources if source.module not in listing.shadowing]

    def grimp_scan(batch: list[SourceFile], file_system: object | None) -> dict[ModuleFile, set[DirectImport]]:
        module_files = [ModuleFile(module=Module(source.module), mtime=0.0) for source in batch]
        if file_system is None:
            return grimp_scan_imports(
                module_files,
                found_packages=found_packages,
                include_external_packages=include_external_packages,
                exclude_type_checking_imports=exclude_type_checking_imports,
            )
        imports: dict[Module, set[DirectImport]] = rust.scan_for_imports(
            module_files=tuple(module_files),
            found_packages=found_packages,
            include_external_packages=include_external_packages,
            exclude_type_checking_imports=exclude_type_checking_imports,
            file_system=file_system,
        )
        return {module_file: imports[module_file.module] for module_file in module_files}

    def scan(batch: list[SourceFile], file_system: object | None = None) -> None:
        pending = list(batch)
        while pending:
            try:
                result = grimp_scan(pending, file_system)
            except SourceSyntaxError as error:
                failed = os.path.realpath(error.filename)
                broken = next((s for s in pending if os.path.realpath(s.path) == failed), None)
                if broken is None:
                    raise
                line = error.lineno - _PREFIX_LINES if file_system is not None and error.lineno else error.lineno
                outcome.problems[broken.module] = _syntax_problem(texts[broken.module], broken.path, line, error.text)
                pending.remove(broken)
                if len(pending) > CHUNK_SIZE:  # one broken file may have company: rescan in parts
                    for start in range(0, len(pending), CHUNK_SIZE):
                        scan(pending[start : start + CHUNK_SIZE], file_system)
                    return
                continue
            except BaseException as error:  # pyo3 panics derive from BaseException
                if isinstance(error, (KeyboardInterrupt, SystemExit)):
                    raise
                if len(pending) == 1:
                    outcome.problems[pending[0].module] = (None, f"grimp could not scan it: {error}")
                    return
                middle = len(pending) // 2
                scan(pending[:middle], file_system)
                scan(pending[middle:], file_system)
                return
            shift = _PREFIX_LINES if file_system is not None else 0
            for module_file, direct_imports in result.items():
                name = module_file.module.name
                outcome.imports[name] = _with_kind_hints(texts[name], direct_imports, shift)
            return

    scan(list(sources))
    if shadowing:
        scan(shadowing, from_text)
    return outcome


#: Lines put before a text handed to grimp's in-memory file system, which strips leading blank
#: lines and common indentation: a comment line in column 0 keeps both, and lines shift by one.
_PREFIX_LINES = 1


def _text_file_system(listing: SourceListing, sources: Sequence[SourceFile], texts: Mapping[str, str]) -> object:
    """grimp's in-memory file system holding only these packages' ``__init__.py`` texts, at the
    paths grimp looks at: there is no ``a.py`` beside ``a/`` in it, so grimp reads the package."""
    content: dict[str, str] = {}
    for source in sources:
        directory = listing.packages[source.package].rstrip("/")
        leaf = source.module.split(".")[source.package.count(".") + 1 :]
        content["/".join([directory, *leaf, "__init__.py"])] = "#\n" * _PREFIX_LINES + texts[source.module]
    return rust.FakeBasicFileSystem(content_map=content)


def _with_kind_hints(text: str, direct_imports: Iterable[DirectImport], shift: int = 0) -> list[RawImport]:
    module_level = _top_level_import_lines(text)
    return [
        (
            direct_import.imported.name,
            direct_import.line_number - shift,
            direct_import.line_contents,
            # The line alone proves a module-level import; anything indented needs a parse to tell.
            ImportKind.MODULE if direct_import.line_number - shift in module_level else None,
        )
        for direct_import in sorted(direct_imports, key=lambda d: (d.line_number, d.imported.name))
    ]


def _top_level_import_lines(text: str) -> set[int]:
    """Lines starting in column 0 with an import: module level and unconditional, unless the line
    before ends with a backslash, which makes it a continuation."""
    return {
        line
        for line, indented, offset in import_lines(text, top_level_only=True)
        if not indented and not text[max(0, offset - 3) : offset].rstrip("\r\n").endswith("\\")
    }


def _syntax_problem(text: str, path: str, grimp_line: int | None, grimp_text: str | None) -> tuple[int | None, str]:
    """Python's own message for a file grimp could not parse (grimp only gives the line text)."""
    try:
        compile(text, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return error.lineno, error.msg
    except ValueError as error:  # source with NUL bytes
        return grimp_line, str(error)
    return grimp_line, f"grimp's parser rejects this line: {grimp_text or '?'}"
