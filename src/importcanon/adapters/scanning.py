"""Import scanning with grimp's Rust scanner, one broken file at a time rather than all or nothing.

grimp (and so import-linter) aborts the whole scan on the first file that does not parse. Here
the files are scanned in chunks; a file that fails is recorded as a problem and only its chunk is
scanned again without it, so two broken files in 3,800 cost two small rescans, not a failed run.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from grimp.application.ports.modulefinder import FoundPackage, ModuleFile
from grimp.application.scanning import scan_imports as grimp_scan_imports
from grimp.domain.valueobjects import Module
from grimp.exceptions import SourceSyntaxError

from importcanon.adapters.sources import SourceFile, SourceListing
from importcanon.application.project import RawImport
from importcanon.domain.facts import ImportKind

#: Files per call into the Rust scanner: large enough to keep both cores busy, small enough that a
#: broken file costs little to rescan.
CHUNK_SIZE = 1024

#: A statement starting in column 0 with ``import``/``from`` is module level and unconditional.
_TOP_LEVEL_IMPORT = re.compile(r"(?:import|from)[\s\\(.]")



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
    by_path = {os.path.realpath(source.path): source for source in sources}

    def scan(batch: list[SourceFile]) -> None:
        pending = list(batch)
        while pending:
            try:
                result = grimp_scan_imports(
                    [ModuleFile(module=Module(source.module), mtime=0.0) for source in pending],
                    found_packages=found_packages,
                    include_external_packages=include_external_packages,
                    exclude_type_checking_imports=exclude_type_checking_imports,
                )
            except SourceSyntaxError as error:
                broken = by_path.get(os.path.realpath(error.filename))
                if broken is None or broken not in pending:
                    raise
                outcome.problems[broken.module] = _syntax_problem(
                    texts[broken.module], broken.path, error.lineno, error.text
                )
                pending.remove(broken)
                continue
            except BaseException as error:  # pyo3 panics derive from BaseException
                if isinstance(error, (KeyboardInterrupt, SystemExit)):
                    raise
                if len(pending) == 1:
                    outcome.problems[pending[0].module] = (None, f"grimp could not scan it: {error}")
                    return
                middle = len(pending) // 2
                scan(pending[:middle])
                scan(pending[middle:])
                return
            for module_file, direct_imports in result.items():
                name = module_file.module.name
                outcome.imports[name] = _with_kind_hints(texts[name], direct_imports)
            return

    for start in range(0, len(sources), CHUNK_SIZE):
        scan(list(sources[start : start + CHUNK_SIZE]))
    return outcome


def _with_kind_hints(text: str, direct_imports: object) -> list[RawImport]:
    lines = text.split("\n")
    raw: list[RawImport] = []
    for direct_import in sorted(direct_imports, key=lambda d: (d.line_number, d.imported.name)):  # type: ignore[attr-defined]
        number = direct_import.line_number
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        continued = number >= 2 and lines[number - 2].rstrip().endswith("\\")
        # The line alone proves a module-level import; anything indented needs a parse to tell.
        hint = ImportKind.MODULE if _TOP_LEVEL_IMPORT.match(line) and not continued else None
        raw.append((direct_import.imported.name, number, direct_import.line_contents, hint))
    return raw


def _syntax_problem(
    text: str, path: str, grimp_line: int | None, grimp_text: str | None
) -> tuple[int | None, str]:
    """Python's own message for a file grimp could not parse (grimp only gives the line text)."""
    try:
        compile(text, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return error.lineno, error.msg
    except ValueError as error:  # source with NUL bytes
        return grimp_line, str(error)
    return grimp_line, f"grimp's parser rejects this line: {grimp_text or '?'}"
