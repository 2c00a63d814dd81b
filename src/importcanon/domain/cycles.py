"""Cycles as data: what a cycle analysis finds, independent of how it was computed."""

from __future__ import annotations

from dataclasses import dataclass

Edge = tuple[str, str]


@dataclass(frozen=True)
class EdgeFacts:
    statements: int  # import statements behind the edge
    import_time: bool  # at least one of them runs at module level (guarded or not)


@dataclass(frozen=True)
class Cycle:
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
        return "import-time" if self.import_time else "deferred"


@dataclass(frozen=True)
class CycleComponent:
    modules: tuple[str, ...]
    edges: tuple[Edge, ...]
    break_set: tuple[Edge, ...]
    cycles: tuple[Cycle, ...]


def hops(modules: tuple[str, ...]) -> list[Edge]:
    """The imports of a cycle, the closing one included."""
    return list(zip(modules, modules[1:] + modules[:1]))


def canonical_rotation(modules: tuple[str, ...]) -> tuple[str, ...]:
    start = modules.index(min(modules))
    return modules[start:] + modules[:start]
