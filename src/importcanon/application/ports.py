"""What the application needs from the outside world, stated as protocols the adapters fulfil."""

from __future__ import annotations

from typing import Protocol

from importcanon.domain.facts import ParsedModule


class ParsedFacts(Protocol):
    """Full-parse facts on demand: only the modules an analysis asks about are ever parsed."""

    def parsed(self, module: str) -> ParsedModule | None:
        """The module's parse, or None when its file cannot be parsed."""
        ...
