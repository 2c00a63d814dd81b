"""Rule selection: which rules a project checks, everywhere and per path.

``[settings] select`` / ``ignore`` / ``per_path_ignores`` choose the rules. Selection applies
before the baseline diff: an unselected finding is neither new nor baselined, and the baseline
entries of an unselected rule are neither fixed nor dropped (they were not looked at).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import NamedTuple

from importcanon.domain.baseline import BaselineEntry
from importcanon.domain.contracts import Settings
from importcanon.domain.findings import Finding


class RuleSelection(NamedTuple):
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    per_path_ignores: tuple[tuple[str, frozenset[str]], ...] = ()  # (path glob, rule ids)

    @classmethod
    def of(cls, settings: Settings) -> RuleSelection:
        return cls(
            select=frozenset(settings.select) if settings.select is not None else None,
            ignore=frozenset(settings.ignore),
            per_path_ignores=tuple((glob, frozenset(rules)) for glob, rules in settings.per_path_ignores),
        )

    def selects(self, rule: str, path: str | None) -> bool:
        if (self.select is not None and rule not in self.select) or rule in self.ignore:
            return False
        if path is None or not self.per_path_ignores:  # most projects: asked of every finding
            return True
        return not any(rule in rules and path_matches(glob, path) for glob, rules in self.per_path_ignores)

    def selects_finding(self, finding: Finding) -> bool:
        return self.selects(finding.rule, finding.path)

    def selects_entry(self, entry: BaselineEntry) -> bool:
        """A baseline entry holds no path of its own: its description starts with it."""
        return self.selects(entry.rule, entry.description.partition(": ")[0])


def path_matches(glob: str, path: str) -> bool:
    """Whether a project-relative ``/`` path lies at or below what ``glob`` matches, with the
    meaning ``[settings] exclude`` gives globs.

    ``**`` spans directories (a trailing one at least one), ``*``, ``?`` and ``[...]`` stay
    within one. Matched segment by segment over a set of states: time linear in the product of
    their lengths, never the backtracking that makes ``**`` regexes exponential.
    """
    pattern = [part for part in glob.strip("/").split("/") if part]
    states = _closure({0}, pattern)
    for segment in path.split("/"):
        if len(pattern) in states:
            return True  # a directory above the path matched: everything below it is covered
        following: set[int] = set()
        for state in states:
            if state < len(pattern) and pattern[state] == "**":
                following.update((state, state + 1))
            elif state < len(pattern) and fnmatchcase(segment, pattern[state]):
                following.add(state + 1)
        states = _closure(following, pattern)
        if not states:
            return False
    return len(pattern) in states


def _closure(states: set[int], pattern: list[str]) -> set[int]:
    """A ``**`` that is not the last part may also match no directory at all."""
    closed = set(states)
    for state in states:
        while state < len(pattern) - 1 and pattern[state] == "**":
            state += 1
            closed.add(state)
    return closed
