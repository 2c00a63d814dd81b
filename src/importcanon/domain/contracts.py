"""importcanon's own contracts, as read from the target's ``contracts/*.toml`` files."""

from __future__ import annotations

from typing import NamedTuple

DEFAULT_BASELINE = "contracts/baseline.json"


class Origin(NamedTuple):
    """Where a contract entry was declared, so findings about it can point there."""

    path: str
    line: int | None


class Settings(NamedTuple):
    root_packages: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    baseline: str = DEFAULT_BASELINE
    select: tuple[str, ...] | None = None  # rule ids; None: every rule
    ignore: tuple[str, ...] = ()
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (path glob, rule ids)
    namespace_packages: bool = False  # directories without __init__.py inside a package are modules too


class Canonical(NamedTuple):
    """``symbol`` has one home, ``module``: importing or binding it anywhere else is fragmentation."""

    symbol: str
    module: str
    origin: Origin

    @property
    def statement(self) -> str:
        return f"from {self.module} import {self.symbol}"


class Legacy(NamedTuple):
    """``package`` and its descendants are compatibility shims for ``replacement``."""

    package: str
    replacement: str
    origin: Origin


class Deprecated(NamedTuple):
    """A fully qualified name that must no longer be imported or called."""

    name: str
    replacement: str | None
    origin: Origin
    drop_in: bool = False  # the replacement takes the same arguments: ``importcanon fix`` may swap it in


class CycleContract(NamedTuple):
    """Import cycles among the modules of ``packages`` (default: every root package) are violations."""

    packages: tuple[str, ...] | None = None
    exclude_type_checking: bool = True
    origin: Origin | None = None


class ContractSet(NamedTuple):
    """Every importcanon contract of a project, merged from all its contract files."""

    settings: Settings = Settings()
    canonical: tuple[Canonical, ...] = ()
    legacy: tuple[Legacy, ...] = ()
    deprecated: tuple[Deprecated, ...] = ()
    cycles: CycleContract | None = None

    @property
    def canonical_homes(self) -> frozenset[str]:
        """Every module a ``[[canonical]]`` contract names as a symbol's home."""
        return frozenset(contract.module for contract in self.canonical)

    @property
    def declares_any(self) -> bool:
        """Whether any contract is declared at all (settings alone check nothing)."""
        return bool(self.canonical or self.legacy or self.deprecated or self.cycles)

    def canonical_home(self, symbol: str) -> Canonical | None:
        return next((contract for contract in self.canonical if contract.symbol == symbol), None)


class ImportLinterConfig(NamedTuple):
    """import-linter's configuration as its own readers return it, plus where each contract is."""

    path: str  # relative to the project
    session_options: dict[str, object]
    contracts: tuple[dict[str, object], ...]
    contract_lines: tuple[int | None, ...]  # the line each contract starts on, same order
    #: ``contract_types`` may come from the project itself: the command line's choice only (the
    #: configuration is the repository's, and must not let it run its own code).
    allow_project_plugins: bool = False

    @property
    def root_packages(self) -> tuple[str, ...]:
        packages = self.session_options.get("root_packages") or ()
        return tuple(packages) if isinstance(packages, (list, tuple)) else (str(packages),)

    def flag(self, name: str) -> bool:
        """A boolean session option, read exactly as import-linter 2.16 reads it: its readers keep
        strings (TOML booleans become "True"/"False") and only "True" or "true" is true."""
        return self.session_options.get(name) in ("True", "true")
