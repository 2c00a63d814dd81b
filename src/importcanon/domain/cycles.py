"""Cycles as data: what a cycle analysis finds, independent of how it was computed."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import NamedTuple

Edge = tuple[str, str]


class EdgeFacts(NamedTuple):
    statements: int  # import statements behind the edge
    import_time: bool  # at least one of them runs at module level (guarded or not)


class Cycle(NamedTuple):
    modules: tuple[str, ...]  # canonical rotation: starts at the smallest name, not repeated at the end
    import_time: bool

    @property
    def hops(self) -> list[Edge]:
        return hops(self.modules)

    @property
    def arrow(self) -> str:
        """``a -> b -> c -> a``"""
        return " -> ".join((*self.modules, self.modules[0]))

    @property
    def kind(self) -> str:
        return cycle_kind(self.import_time)


class CycleComponent(NamedTuple):
    modules: tuple[str, ...]
    edges: tuple[Edge, ...]
    break_set: tuple[Edge, ...]
    cycles: tuple[Cycle, ...]


class CyclicImport(NamedTuple):
    """One import that lies on a cycle: the unit the ``import-cycle`` rule reports and counts.

    Which imports lie on a cycle does not depend on any choice among equals, and adding an import
    never takes another one off a cycle, so a baseline of them only changes where the code did.
    ``cycle`` is the shortest cycle through it (starting at the importer), ``import_time`` whether
    it lies on a cycle of imports that all run at module level.
    """

    importer: str
    imported: str
    component: str  # the first module of its strongly connected component
    import_time: bool
    cycle: tuple[str, ...]

    @property
    def arrow(self) -> str:
        return " -> ".join((*self.cycle, self.cycle[0]))

    @property
    def kind(self) -> str:
        return cycle_kind(self.import_time)


def cycle_kind(import_time: bool) -> str:
    """The word findings, queries and fix use for a cycle: every import on it runs at module
    level (``import-time``), or one at least runs later (``deferred``)."""
    return "import-time" if import_time else "deferred"


def hops(modules: tuple[str, ...]) -> list[Edge]:
    """The imports of a cycle, the closing one included."""
    return list(zip(modules, modules[1:] + modules[:1]))


def canonical_rotation(modules: tuple[str, ...]) -> tuple[str, ...]:
    start = modules.index(min(modules))
    return modules[start:] + modules[:start]


def cycle_imports_digest(imports: Mapping[str, Mapping[str, int]]) -> dict[str, str]:
    """What a baseline records of the ``[cycles]`` scope: per importing module (keyed by a short
    digest of its name), a short digest of the modules it imports inside the scope and how many
    statements import each.

    A later check compares it with the current digest: an import that newly lies on a cycle and
    whose importer's digest is unchanged existed when the baseline was written, so another import
    put it on a cycle. Adding one import changes only its importer's digest, and no other import of
    that module can become cyclic through it, so that import alone is reported. Modules that share
    a name digest are digested together, which can only make more imports count as changed.
    """
    buckets: dict[str, list[str]] = {}
    for importer, imported in imports.items():
        lines = [f"{importer}>{module}*{count}" for module, count in imported.items()]
        if lines:
            buckets.setdefault(module_key(importer), []).extend(lines)
    return {key: _digest("\n".join(sorted(lines))) for key, lines in sorted(buckets.items())}


def imports_changed(module: str, recorded: Mapping[str, str], current: Mapping[str, str]) -> bool:
    """Whether ``module`` imports something else than when the ``recorded`` digest was taken."""
    key = module_key(module)
    return key not in recorded or recorded[key] != current.get(key)


def module_key(module: str) -> str:
    """The key of a module in a ``cycle_imports`` digest."""
    return _digest(module)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
