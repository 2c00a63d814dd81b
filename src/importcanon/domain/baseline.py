"""The baseline: the violations everyone already knows about, so that CI fails only on new ones.

Matching is by fingerprint, which holds no line number: lines inserted above a known violation
change nothing, a violation moved to another file is one new and one fixed, and a fingerprint
that occurs more often than recorded is new for the extra occurrences.

A finding may cover others (a new import and the existing imports it put on a cycle): the
baseline counts every covered violation as one of its own, so recording, matching and the ratchet
work on the same units whether or not a report groups them.

Beside the entries, a baseline may hold ``cycle_imports``: a digest of the imports inside the
``[cycles]`` scope when it was written (see :mod:`importcanon.domain.cycles`), from which a later
check tells the imports a change added from those it only put on a cycle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from importcanon.domain.findings import Finding, Status, atoms
from importcanon.domain.rules import RULES

SCHEMA = 1


@dataclass(frozen=True)
class BaselineEntry:
    fingerprint: str
    rule: str
    count: int
    description: str
    contract: str | None = None


@dataclass(frozen=True)
class Baseline:
    entries: Mapping[str, BaselineEntry] = field(default_factory=dict)
    cycle_imports: Mapping[str, str] | None = None  # None: written without a [cycles] scope digest

    @property
    def total(self) -> int:
        return sum(entry.count for entry in self.entries.values())


class BaselineDiff(NamedTuple):
    findings: list[Finding]  # every current finding, each marked new or baselined
    fixed: list[BaselineEntry]  # recorded violations that are gone (count = how many are gone)

    @property
    def new(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.status is Status.NEW]


def describe(finding: Finding) -> str:
    """A readable, line-free description: stable bytes in the baseline when lines move."""
    where = finding.path or finding.module or "<project>"
    return f"{where}: {finding.message.splitlines()[0]}"


def entry_for(finding: Finding, count: int) -> BaselineEntry:
    contract = finding.details.get("contract")
    return BaselineEntry(finding.fingerprint, finding.rule, count, describe(finding), contract)


def baselinable(finding: Finding) -> bool:
    """A rule registered as not baselinable (a mistake in the contracts) is never recorded."""
    rule = RULES.get(finding.rule)
    return rule is None or rule.baselinable


def baseline_of(findings: Iterable[Finding], cycle_imports: Mapping[str, str] | None = None) -> Baseline:
    """The baseline that records exactly ``findings`` (and what they cover) that can be recorded."""
    findings = [finding for finding in atoms(findings) if baselinable(finding)]
    counts = Counter(finding.fingerprint for finding in findings)
    first: dict[str, Finding] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key):
        first.setdefault(finding.fingerprint, finding)
    return Baseline({fp: entry_for(first[fp], counts[fp]) for fp in sorted(counts)}, cycle_imports)


def compare(baseline: Baseline, findings: Iterable[Finding]) -> BaselineDiff:
    """Mark each finding new or baselined, and list what the baseline has that is gone.

    Of several findings with one fingerprint, the first ones in file order are the baselined
    ones; those beyond the recorded count are new. Covered findings are matched like any other
    and stay inside the finding that covers them.
    """
    tops = list(findings)
    remaining = {fp: entry.count for fp, entry in baseline.entries.items()}
    # Only the violations the baseline records need ordering (file order decides which of them
    # it matches); every other one is new in any order: on a run with no baseline, all of them.
    recorded = sorted(
        (atom.sort_key, top, index, atom.fingerprint)
        for top, finding in enumerate(tops)
        for index, atom in enumerate((finding, *finding.covers))
        if remaining.get(atom.fingerprint, 0) > 0 and baselinable(atom)
    )
    baselined: set[tuple[int, int]] = set()
    for _, top, index, fingerprint in recorded:
        if remaining[fingerprint] > 0:
            remaining[fingerprint] -= 1
            baselined.add((top, index))

    def status(top: int, index: int) -> Status:
        return Status.BASELINED if (top, index) in baselined else Status.NEW

    marked = [
        _marked(finding, status(top, 0), [status(top, i + 1) for i in range(len(finding.covers))])
        for top, finding in enumerate(tops)
    ]
    fixed = [
        BaselineEntry(fp, entry.rule, remaining[fp], entry.description, entry.contract)
        for fp, entry in sorted(baseline.entries.items(), key=lambda item: (item[1].rule, item[0]))
        if remaining[fp] > 0
    ]
    return BaselineDiff(sorted(marked, key=lambda f: f.sort_key), fixed)


def _marked(finding: Finding, status: Status, covered: list[Status]) -> Finding:
    """``finding`` with its status and those of the findings it covers; the finding itself when
    nothing changes (a copy would only digest its fingerprint again: most findings stay new)."""
    if not finding.covers:  # most findings
        return finding if finding.status is status else replace(finding, status=status)
    covers = tuple(c if c.status is s else c.with_status(s) for c, s in zip(finding.covers, covered, strict=True))
    if finding.status is status and all(new is old for new, old in zip(covers, finding.covers, strict=True)):
        return finding
    return replace(finding, status=status, covers=covers)


def updated(
    baseline: Baseline,
    findings: Iterable[Finding],
    *,
    allow_growth: bool,
    cycle_imports: Mapping[str, str] | None = None,
) -> tuple[Baseline, list[Finding]]:
    """The ratchet: fixed entries drop out and counts only shrink.

    Returns the new baseline (with the current ``cycle_imports`` digest) and the findings it
    refused to add (empty with ``allow_growth``, in which case they are recorded).
    """
    findings = list(findings)
    diff = compare(baseline, findings)
    now = baseline_of(findings)
    entries: dict[str, BaselineEntry] = {}
    for fp, entry in baseline.entries.items():
        current = now.entries.get(fp)
        if current is not None:
            count = current.count if allow_growth else min(entry.count, current.count)
            entries[fp] = BaselineEntry(fp, entry.rule, count, current.description, current.contract)
    if allow_growth:
        for fp, entry in now.entries.items():
            entries.setdefault(fp, entry)
    refused = [] if allow_growth else [f for f in diff.findings if any(_growth(a) for a in atoms([f]))]
    return Baseline({fp: entries[fp] for fp in sorted(entries)}, cycle_imports), refused


def _growth(finding: Finding) -> bool:
    """A new violation the baseline could record: a finding that is never baselined (a mistake in
    the contracts) is not growth, and ``--allow-growth`` would not record it either."""
    return finding.status is Status.NEW and baselinable(finding)


def never_recorded(findings: Iterable[Finding]) -> list[Finding]:
    """The findings no baseline records: ``check`` fails on them until they are fixed."""
    return [finding for finding in findings if not baselinable(finding)]


def restored(known: Baseline, recorded: Baseline, keep: Callable[[BaselineEntry], bool]) -> Baseline:
    """``recorded`` with the entries of ``known`` that ``keep`` protects put back as they were:
    violations that were not looked at (an ignored rule, a contract that names nothing) are
    unseen, not fixed."""
    entries = dict(recorded.entries)
    for fp, entry in known.entries.items():
        if fp not in entries and keep(entry):
            entries[fp] = entry
    return Baseline({fp: entries[fp] for fp in sorted(entries)}, recorded.cycle_imports)


class Tally(NamedTuple):
    baseline: int = 0
    now: int = 0
    new: int = 0
    fixed: int = 0


def tallies(baseline: Baseline, diff: BaselineDiff) -> tuple[dict[str, Tally], dict[str, Tally]]:
    """Counts per rule and per contract: recorded, found now, new, fixed."""
    rows: dict[tuple[str, str], dict[str, int]] = {}

    def bump(group: str, key: str | None, column: str, amount: int = 1) -> None:
        if key is not None:
            row = rows.setdefault((group, key), {"baseline": 0, "now": 0, "new": 0, "fixed": 0})
            row[column] += amount

    for entry in baseline.entries.values():
        bump("rule", entry.rule, "baseline", entry.count)
        bump("contract", entry.contract, "baseline", entry.count)
    for finding in atoms(diff.findings):
        contract = finding.details.get("contract")
        bump("rule", finding.rule, "now")
        bump("contract", contract, "now")
        if finding.status is Status.NEW:
            bump("rule", finding.rule, "new")
            bump("contract", contract, "new")
    for entry in diff.fixed:
        bump("rule", entry.rule, "fixed", entry.count)
        bump("contract", entry.contract, "fixed", entry.count)
    by_rule = {key: Tally(**row) for (group, key), row in sorted(rows.items()) if group == "rule"}
    by_contract = {key: Tally(**row) for (group, key), row in sorted(rows.items()) if group == "contract"}
    return by_rule, by_contract
