"""What the application needs from the outside world, stated as protocols the adapters fulfil."""

from __future__ import annotations

from typing import Protocol

from importcanon.domain.facts import ParsedModule


class FactSource(Protocol):
    """Facts beyond the import graph, computed on demand and cached by content.

    Only the modules an analysis asks about are ever parsed; the cheap text facts that decide
    which ones to ask about come from a scan of the raw bytes.
    """

    def parsed(self, module: str, *, with_calls: bool = False) -> ParsedModule | None:
        """The module's parse, or None when its file cannot be parsed; its ``calls`` are
        collected only when ``with_calls`` asks for them (they cost more than the parse)."""
        ...

    def modules_containing(self, needles: frozenset[str]) -> dict[str, set[str]]:
        """For each needle, the modules whose source contains it as text (a superset of users)."""
        ...

    def shim_candidates(self) -> set[str]:
        """Modules with no top-level def, class or loop: the only ones that can be shims."""
        ...
