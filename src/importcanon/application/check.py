"""``importcanon check``: every analysis on the one graph, in one pass, findings out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from importcanon.application.analyses.broken_imports import find_broken_imports
from importcanon.application.analyses.canonical import check_canonical_homes
from importcanon.application.analyses.deprecated import find_deprecated_usages
from importcanon.application.analyses.import_cycles import attribute_new_cycles, find_import_cycles, imports_digest
from importcanon.application.analyses.import_linter import (
    check_import_linter_contracts,
    contract_name,
    locate_new_chains,
)
from importcanon.application.analyses.legacy import find_legacy_imports
from importcanon.application.analyses.shims import find_shims
from importcanon.application.analyses.stale_contracts import find_stale_contracts, live_cycle_contract
from importcanon.application.analyses.suppressions import apply_suppressions
from importcanon.application.analyses.syntax_errors import find_syntax_errors
from importcanon.application.cycles import CycleScope, cycle_scope
from importcanon.application.project import Project
from importcanon.application.remembered import Analysis, analysis_key, memorize_analysis, recall_analysis
from importcanon.application.symbols import Resolver
from importcanon.application.where import where
from importcanon.domain.baseline import Baseline, BaselineEntry, compare
from importcanon.domain.contracts import ContractSet, ImportLinterConfig
from importcanon.domain.findings import Finding, Status
from importcanon.domain.selection import RuleSelection
from importcanon.domain.suppressions import Suppression


@dataclass
class CheckResult:
    findings: list[Finding]
    fixed: list[BaselineEntry] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    cycle_imports: dict[str, str] | None = None  # the digest of the imports a baseline records
    unseen_rules: frozenset[str] = frozenset()  # rules a contract that names nothing left unchecked

    def count(self, status: Status) -> int:
        return sum(1 for finding in self.findings if finding.status is status)

    @property
    def has_new(self) -> bool:
        return self.count(Status.NEW) > 0

    @property
    def fixed_count(self) -> int:
        return sum(entry.count for entry in self.fixed)


#: How many times run_check calls ``progress``: one per stage, for a progress bar's total.
ANALYSIS_STEPS = 4


def run_check(
    project: Project,
    import_linter: ImportLinterConfig | None,
    contracts: ContractSet,
    baseline: Baseline | None = None,
    suppressions: Sequence[Suppression] | None = None,
    progress: Callable[[str], None] = lambda step: None,
    records_imports: bool = True,
) -> CheckResult:
    """Every analysis, then the inline suppressions (unless ``suppressions`` is None), then the
    baseline diff: findings marked new or baselined, plus the fixed. ``progress`` hears the name
    of each step as it starts. ``records_imports``: the caller writes a baseline of the result,
    which records the digest of the imports (``CheckResult.cycle_imports``)."""
    progress("import-linter contracts")
    cycles = live_cycle_contract(project, contracts.cycles)  # packages that do not exist are stale
    scope = cycle_scope(project, cycles) if cycles else None  # a bad scope fails first
    key = analysis_key(project, import_linter, contracts)
    analysis = recall_analysis(project, key) if key is not None else None
    resolver = None
    if analysis is None:
        resolver = Resolver(project)
        # The digest serves a baseline: one written, the one compared with, or a later run's
        # through the remembered analysis; a check of none of those saves its hashing.
        digest = records_imports or key is not None or (baseline is not None and baseline.cycle_imports is not None)
        analysis = _analyse(resolver, import_linter, contracts, scope, progress, digest)
    else:
        for step in _LATER_STEPS:
            progress(step)
    findings, warnings, unseen_rules = list(analysis.findings), list(analysis.warnings), analysis.unseen_rules
    cycle_metrics, cycle_imports = analysis.cycle_metrics, analysis.cycle_imports
    suppressed: list[Finding] = []
    counts: dict[str, int] = {}
    if suppressions is not None:
        applied = apply_suppressions(project, findings, suppressions)
        findings, suppressed, counts = applied.findings, applied.suppressed, applied.counts
    selection = RuleSelection.of(contracts.settings)
    findings = sorted((f for f in findings if selection.selects_finding(f)), key=lambda finding: finding.sort_key)
    warnings.extend(project.scan_warnings())
    if resolver is not None:  # analysed now, not remembered: the metrics' parses come after the warnings
        failures = dict(project.facts.parse_failures())
        analysis.symbols = symbol_metrics(resolver, contracts)
        if key is not None:
            memorize_analysis(project, key, analysis, failures, resolver.disk_answers())
    metrics = {
        "modules": len(project.modules),
        "imports": project.import_count,
        "syntax_errors": sum(1 for problem in project.problems if problem.readable),
        "unreadable": sum(1 for problem in project.problems if not problem.readable),
        "import_linter_contracts": len(import_linter.contracts) if import_linter else 0,
        "fragmentation": {"symbols": analysis.symbols, **fragmentation_counts(findings)},
        "cycles": cycle_metrics,
        "suppressions": counts,
    }
    baseline = baseline or Baseline()
    in_scope = {fp: entry for fp, entry in baseline.entries.items() if selection.selects_entry(entry)}
    diff = compare(Baseline(in_scope, baseline.cycle_imports), findings)
    unseen = unseen_entries(contracts, unseen_rules)
    fixed = [entry for entry in _still_present(diff.fixed, suppressed) if not unseen(entry)]
    reported = attribute_new_cycles(diff.findings, baseline.cycle_imports, cycle_imports)
    reported = locate_new_chains(reported, baseline.cycle_imports, cycle_imports)
    return CheckResult(reported, fixed, metrics, warnings, cycle_imports, unseen_rules)


_LATER_STEPS = ("canonical homes, legacy packages, deprecations and shims", "broken imports", "import cycles")


def _analyse(
    resolver: Resolver,
    import_linter: ImportLinterConfig | None,
    contracts: ContractSet,
    scope: CycleScope | None,
    progress: Callable[[str], None],
    digest_wanted: bool,
) -> Analysis:
    """Every analysis but the symbol metrics, from the facts: what a remembered check reuses whole.

    On a large project the import cycles are computed on a second core beside the others, and
    the broken imports, the legacy imports and the shims by whichever process is free for them
    first (see ``FactSource.alongside``): this process asks for them after its own analyses,
    the longest first, so that a copy done with the cycles early (homeassistant: 0.3 s before
    this process is done; django: 0.07 s) takes them over, and a copy still busy with them
    leaves the rest to this process (sympy: the copy's broken imports left this process idle
    for 0.15 s). Not the symbol metrics: they reuse this process's parses, and cost a copy
    three times as much. Never the import-linter contracts: grimp's parallel queries would
    wait forever in a forked copy of the run, which has none of grimp's threads. Every analysis
    reads the same facts wherever it runs, so the findings are the same, in the same order."""
    project = resolver.project
    digest = digest_wanted and bool(scope or (import_linter and import_linter.contracts))
    worth_a_process = project.import_count >= OVERLAPPED_IMPORTS
    with project.facts.alongside(
        lambda: _cycles(project, scope, digest),
        lambda: _with_disk_answers(resolver, lambda: find_broken_imports(resolver, contracts)),
        lambda: _with_disk_answers(resolver, lambda: find_legacy_imports(resolver, contracts, scope)),
        lambda: _with_disk_answers(resolver, lambda: find_shims(resolver, contracts.canonical_homes)),
        fork=worth_a_process,
    ) as (cycles, broken, legacy, shims):
        findings = find_syntax_errors(project)
        stale = find_stale_contracts(resolver, contracts)
        findings.extend(stale)
        # Taken before selection: an ignored stale-contract finding still leaves its rules unchecked.
        unseen_rules = frozenset(rule for finding in stale for rule in finding.details["recorded_under"])
        outcome = check_import_linter_contracts(project, import_linter)
        findings.extend(outcome.findings)
        # Deprecated usages first: they parse with call sites, which the other analyses then reuse.
        progress(_LATER_STEPS[0])
        deprecated_findings = find_deprecated_usages(resolver, contracts.deprecated)
        canonical_findings = check_canonical_homes(resolver, contracts.canonical, contracts.legacy, scope)
        progress(_LATER_STEPS[1])
        # Asked for after this process's own analyses (the copy may have found them meanwhile),
        # the longest first: each is done by whichever process is free for it first.
        broken_findings = _learnt(resolver, broken())
        legacy_findings = _learnt(resolver, legacy())
        findings.extend(canonical_findings + legacy_findings + deprecated_findings + _learnt(resolver, shims()))
        findings.extend(broken_findings)
        progress(_LATER_STEPS[2])
        cycle_findings, cycle_metrics, cycle_imports = cycles()
    findings.extend(cycle_findings)
    return Analysis(findings, list(outcome.warnings), unseen_rules, cycle_metrics, cycle_imports)


Found = TypeVar("Found")


def _with_disk_answers(resolver: Resolver, work: Callable[[], Found]) -> tuple[Found, dict[str, bool]]:
    """``work()``, with the disk answers the resolver holds after it: a copy of the run that did
    the work must hand those back, or the remembered check would not recheck them."""
    return work(), resolver.disk_answers()


def _learnt(resolver: Resolver, answered: tuple[Found, dict[str, bool]]) -> Found:
    """The result of a work of :func:`_with_disk_answers`, its disk answers now the resolver's."""
    result, disk_answers = answered
    resolver.learn_disk_answers(disk_answers)
    return result


#: Below this many import statements the import cycles, the digest and the broken imports take
#: little more than the 10-20 ms a second process costs the run. django's 3,200 take 0.09 s, and
#: done beside the other analyses save 6% of its cold run (0.94x, 15 interleaved pairs); from
#: 8,800 on (the generated projects, sympy, homeassistant) they take 0.3-1.2 s.
OVERLAPPED_IMPORTS = 2000


def _cycles(
    project: Project, scope: CycleScope | None, digest: bool
) -> tuple[list[Finding], dict[str, Any], dict[str, str] | None]:
    """The ``[cycles]`` contract's findings and metrics, and the digest a baseline records to
    attribute new cycles and chains to the import that made them (when ``digest``)."""
    cycle_findings, cycle_metrics = find_import_cycles(project, scope)
    return cycle_findings, cycle_metrics, imports_digest(project) if digest else None


def _still_present(fixed: list[BaselineEntry], suppressed: Sequence[Finding]) -> list[BaselineEntry]:
    """A suppressed violation is neither new, baselined nor fixed: the baseline entries it would
    match are not reported fixed either (the next ``baseline update`` drops them quietly)."""
    hidden = Counter(finding.fingerprint for finding in suppressed)
    remaining = []
    for entry in fixed:
        count = entry.count - hidden[entry.fingerprint]
        if count > 0:
            remaining.append(replace(entry, count=count))
    return remaining


def contract_names(import_linter: ImportLinterConfig | None) -> tuple[str, ...]:
    """The import-linter contracts by name, in configuration order."""
    return tuple(contract_name(options) for options in import_linter.contracts) if import_linter else ()


def unseen_entries(contracts: ContractSet, blind: frozenset[str]) -> Callable[[BaselineEntry], bool]:
    """Which baseline entries this check did not look at: those of an unselected rule, and those
    of the rules ``blind`` (a contract that names nothing would report them: see
    ``CheckResult.unseen_rules``). They are not fixed: ``baseline update`` keeps them, ``check``
    does not list them as fixed."""
    selection = RuleSelection.of(contracts.settings)
    return lambda entry: entry.rule in blind or not selection.selects_entry(entry)


def symbol_metrics(resolver: Resolver, contracts: ContractSet) -> dict[str, Any]:
    """Per contracted symbol, the numbers a migration tracks."""
    symbols = {}
    for contract in contracts.canonical:
        report = where(resolver, contracts, contract.symbol)
        symbols[contract.symbol] = {
            "canonical": contract.module,
            "binding_modules": list(report.binding_modules),
            "implementations": report.implementations,
            "import_paths": list(report.import_paths),
        }
    return symbols


def fragmentation_counts(findings: list[Finding]) -> dict[str, int]:
    """Per kind of fragmentation, the findings reported."""
    rules = [finding.rule for finding in findings]
    return {
        "shims": rules.count("shim-module"),
        "legacy_imports": rules.count("legacy-import"),
        "non_canonical_imports": rules.count("non-canonical-import"),
        "deprecated_usages": rules.count("deprecated-usage"),
    }
