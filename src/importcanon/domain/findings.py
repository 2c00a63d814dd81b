"""Findings: the single currency of every analysis, the baseline and every output format."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any


class Status(str, Enum):
    """Whether a finding is already recorded in the baseline."""

    NEW = "new"
    BASELINED = "baselined"


@dataclass(frozen=True)
class Finding:
    """One violation, located at ``path:line`` and saying what to do instead.

    ``identity`` holds what makes this violation *this* violation (module names, the contract,
    the symbol...) and never a line number, so the fingerprint survives unrelated edits above it.
    ``details`` carries rule-specific JSON fields such as ``contract`` or ``cycle``.
    ``covers`` holds violations reported inside this one rather than on their own (the imports a
    new import put on a cycle): each is still a violation of its own in the baseline.
    """

    rule: str
    path: str | None
    line: int | None
    module: str | None
    message: str
    suggestion: str
    identity: tuple[str, ...]
    details: Mapping[str, Any] = field(default_factory=dict, compare=False)
    status: Status = Status.NEW
    covers: tuple[Finding, ...] = field(default=(), compare=False)
    fingerprint: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fingerprint", fingerprint_of(self.rule, self.identity))

    def with_status(self, status: Status) -> Finding:
        return replace(self, status=status)

    @property
    def headline(self) -> str:
        """The message's first line, for one-line listings: without the colon that introduces
        the detail lines a one-line listing leaves out (a contract's chain, a cycle's hops)."""
        return self.message.splitlines()[0].removesuffix(":") if self.message else ""

    @property
    def sort_key(self) -> tuple[str, str, int, str]:
        return (self.rule, self.path or "", self.line or 0, self.fingerprint)


def atoms(findings: Iterable[Finding]) -> list[Finding]:
    """Every violation, those reported inside another finding included: what a baseline counts."""
    return [atom for finding in findings for atom in (finding, *finding.covers)]


def fingerprint_of(rule: str, identity: tuple[str, ...]) -> str:
    """A short, stable digest of what a finding *is*: same input on every machine and run."""
    payload = "\x1f".join((rule, *identity)).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()[:16]
