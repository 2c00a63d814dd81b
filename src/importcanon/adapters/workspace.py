"""Composition: configuration, root packages, the one scan. What every command starts from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from importcanon.adapters.configuration import has_configuration, read_contracts, read_import_linter_config
from importcanon.adapters.loading import FactStore, ScanOptions, load_project
from importcanon.adapters.sources import discover_packages
from importcanon.adapters.text_pass import Needles
from importcanon.application.cycles import raise_type_checking_conflict
from importcanon.application.project import Project
from importcanon.domain.contracts import ContractSet, ImportLinterConfig
from importcanon.domain.errors import ConfigurationError, UsageError
from importcanon.domain.modules import leaf
from importcanon.domain.suppressions import MARKER

DEFAULT_CACHE_DIR = ".importcanon_cache"
REPOSITORY_MARKERS = (".git", ".hg", ".svn")


@dataclass
class Workspace:
    project: Project
    import_linter: ImportLinterConfig | None
    contracts: ContractSet
    store: FactStore
    packages_from: str  # "contracts", "import-linter" or "discovered"

    def close(self) -> None:
        """Persist what this run learnt, so the next run only reads what changed."""
        self.store.save()


def expected_needles(contracts: ContractSet) -> Needles:
    """The words a check will search the files for, known from its contracts: the suppression
    marker, each canonical symbol and deprecated name (and ``__all__``, which tells re-exports of
    a canonical symbol), so that the one reading of each file answers them all. A word missing
    here costs another reading of the files when it is asked for, never a wrong answer."""
    symbols = [contract.symbol for contract in contracts.canonical]
    mentioned = frozenset(symbols + [leaf(contract.name) for contract in contracts.deprecated])
    searched = mentioned | {MARKER} | ({"__all__"} if contracts.canonical else set())
    called = frozenset(leaf(contract.name) for contract in contracts.deprecated)
    return Needles(searched=searched, mentioned=mentioned, called=called)


def project_root(project_dir: Path | None) -> Path:
    """The project directory, resolved: the one given, else the one discovered from here."""
    if project_dir is None:
        return discover_root(Path.cwd())
    if not project_dir.exists():
        raise UsageError(f"project directory {project_dir} does not exist")
    if not project_dir.is_dir():
        raise UsageError(f"{project_dir} is a file: give the directory that holds the project's packages")
    return project_dir.resolve()


def discover_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` that holds configuration, like every linter;
    ``start`` itself when none does.

    The walk stops at a repository root (a directory with ``.git``, ``.hg`` or ``.svn``), so a
    checkout never picks up the configuration of whatever directory it happens to sit in.
    """
    start = start.resolve()
    for directory in (start, *start.parents):
        if has_configuration(directory):
            return directory
        if any((directory / marker).exists() for marker in REPOSITORY_MARKERS):
            break
    return start


def open_workspace(
    project_dir: Path | None,
    *,
    cache_dir: Path | None,
    use_cache: bool = True,
    config: Path | None = None,
    require_contracts: bool = False,
) -> Workspace:
    """Read the configuration and scan the project. ``require_contracts``: a check of no contract
    at all is a configuration mistake (a misspelt section, an unreadable directory), not a pass."""
    project_dir = project_root(project_dir)
    contracts = read_contracts(project_dir)
    import_linter = read_import_linter_config(project_dir, config)
    if require_contracts and not (import_linter and import_linter.contracts) and not contracts.declares_any:
        detail = (
            f"{import_linter.path} configures import-linter but declares no contract, nor does importcanon's"
            if import_linter
            else "no import-linter or importcanon contract is declared"
        )
        raise ConfigurationError(
            f"no contracts: {detail}; declare them in contracts/*.toml or pyproject.toml [tool.importcanon] "
            "([[canonical]], [[legacy]], [[deprecated]], [cycles]) or in import-linter's configuration: "
            "a check of nothing would pass",
            path=str(project_dir),
        )
    if contracts.settings.root_packages:
        packages, packages_from = contracts.settings.root_packages, "contracts"
    elif import_linter is not None and import_linter.root_packages:
        packages, packages_from = import_linter.root_packages, "import-linter"
    else:
        packages, packages_from = tuple(discover_packages(project_dir)), "discovered"
    if not packages:
        raise ConfigurationError(
            "no root packages: set [settings] root_packages in contracts/*.toml, or root_packages "
            "in the import-linter configuration",
            path=str(project_dir),
        )
    options = ScanOptions(
        include_external_packages=bool(import_linter and import_linter.flag("include_external_packages")),
        exclude_type_checking_imports=bool(import_linter and import_linter.flag("exclude_type_checking_imports")),
    )
    if options.exclude_type_checking_imports and contracts.cycles and not contracts.cycles.exclude_type_checking:
        raise_type_checking_conflict(contracts.cycles, import_linter)
    # Not resolved: a cache directory that is a symbolic link must be seen as one (and refused).
    cache = (cache_dir if cache_dir is not None else project_dir / DEFAULT_CACHE_DIR) if use_cache else None
    project, store = load_project(
        project_dir,
        packages,
        contracts.settings.exclude,
        options,
        cache,
        contracts.settings.namespace_packages,
        needles=expected_needles(contracts),
    )
    if not project.modules and not project.problems:
        raise ConfigurationError(
            f"no Python modules found in the root packages {', '.join(packages)} "
            "(is [settings] exclude leaving everything out?): a check of nothing would pass",
            path=str(project_dir),
        )
    return Workspace(project, import_linter, contracts, store, packages_from)
