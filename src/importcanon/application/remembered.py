"""A check remembered whole: a run whose every input is as the last run saw it reuses its analyses.

A warm run of an unchanged project would otherwise redo every analysis from the cached facts
(resolving names, walking the graph, running import-linter's contracts on a fresh graph),
while import-linter's own warm run only rebuilds its graph. The key is the content of every
analysed file, the module set, the scan options and the configuration; what the analyses
asked the disk beyond the analysed files (see ``Resolver.disk_answers``) is rechecked, and
the parse failures the analyses met are restored, so a remembered run reports exactly what
a full one would. Contract-type plugins can read anything: a run that uses them is never
remembered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from importcanon.application.project import Project
from importcanon.domain.contracts import ContractSet, ImportLinterConfig
from importcanon.domain.findings import Finding, Status

MEMO = "check"


@dataclass
class Analysis:
    """What every analysis of a check found, before suppressions, selection and the baseline."""

    findings: list[Finding]
    warnings: list[str]
    unseen_rules: frozenset[str]
    cycle_metrics: dict[str, Any]
    cycle_imports: dict[str, str] | None
    symbols: dict[str, Any] = field(default_factory=dict)


def analysis_key(project: Project, import_linter: ImportLinterConfig | None, contracts: ContractSet) -> str | None:
    """The key an analysis is remembered under; None when it must not be (plugins) or cannot be
    (``--no-cache``: nothing is kept, so the key is not worth hashing every module's name and
    digest for, nor the analysis worth converting for a store that forgets it)."""
    if not project.facts.remembers:
        return None
    if import_linter is not None and (
        import_linter.allow_project_plugins or import_linter.session_options.get("contract_types")
    ):
        return None
    extra = (
        repr(contracts),
        repr(import_linter),
        repr(project.problems),
        repr(project.warnings),
        project.root_packages,
        tuple(project.namespace_packages),
    )
    return project.facts.content_key(sorted(project.modules), extra=extra)


def recall_analysis(project: Project, key: str) -> Analysis | None:
    remembered = project.facts.recall(MEMO, key)
    if remembered is None:
        return None
    try:
        analysis, failures, disk_answers = _analysis_from_primitive(remembered)
    except (TypeError, ValueError, KeyError, IndexError):
        return None  # not what was written: analyse again
    if any(project.facts.module_on_disk(module) != there for module, there in disk_answers.items()):
        return None
    project.facts.note_parse_failures(failures)
    return analysis


def memorize_analysis(
    project: Project,
    key: str,
    analysis: Analysis,
    failures: Mapping[str, tuple[int | None, str]],
    disk_answers: Mapping[str, bool],
) -> None:
    """Remember ``analysis`` with the parse failures its warnings name and the disk answers it
    rests on."""
    project.facts.memorize(
        MEMO,
        key,
        (
            [_finding_to_primitive(finding) for finding in analysis.findings],
            list(analysis.warnings),
            sorted(analysis.unseen_rules),
            analysis.cycle_metrics,
            analysis.cycle_imports,
            analysis.symbols,
            sorted(disk_answers.items()),
            sorted((module, list(failure)) for module, failure in failures.items()),
        ),
    )


def _analysis_from_primitive(data: Any) -> tuple[Analysis, dict[str, tuple[int | None, str]], dict[str, bool]]:
    findings, warnings, unseen, cycle_metrics, cycle_imports, symbols, disk, failures = data
    if type(cycle_metrics) is not dict or type(symbols) is not dict or type(cycle_imports) not in (dict, type(None)):
        raise TypeError("not an analysis")
    analysis = Analysis(
        [_finding_from_primitive(item) for item in findings],
        [str(warning) for warning in warnings],
        frozenset(map(str, unseen)),
        cycle_metrics,
        cycle_imports,
        symbols,
    )
    failed = {str(module): (line, str(message)) for module, (line, message) in failures}
    return analysis, failed, {str(module): bool(there) for module, there in disk}


def _finding_to_primitive(finding: Finding) -> tuple[Any, ...]:
    return (
        finding.rule,
        finding.path,
        finding.line,
        finding.module,
        finding.message,
        finding.suggestion,
        finding.identity,
        dict(finding.details),
        finding.status.value,
        [_finding_to_primitive(covered) for covered in finding.covers],
    )


def _finding_from_primitive(data: Any) -> Finding:
    rule, path, line, module, message, suggestion, identity, details, status, covers = data
    if type(identity) is not tuple or type(details) is not dict:
        raise TypeError("not a finding")
    return Finding(
        rule,
        path,
        line,
        module,
        message,
        suggestion,
        identity,
        details,
        Status(status),
        tuple(_finding_from_primitive(covered) for covered in covers),
    )
