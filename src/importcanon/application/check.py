"""``importcanon check``: every analysis on the one graph, in one pass, findings out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from importcanon.application.analyses.import_linter import check_import_linter_contracts
from importcanon.application.analyses.syntax_errors import find_syntax_errors
from importcanon.application.project import Project
from importcanon.domain.contracts import ContractSet, ImportLinterConfig
from importcanon.domain.findings import Finding, Status


@dataclass
class CheckResult:
    findings: list[Finding]
    fixed: list[dict[str, Any]] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for finding in self.findings if finding.status is status)

    @property
    def has_new(self) -> bool:
        return self.count(Status.NEW) > 0


def run_check(project: Project, import_linter: ImportLinterConfig | None, contracts: ContractSet) -> CheckResult:
    findings = find_syntax_errors(project)
    outcome = check_import_linter_contracts(project, import_linter)
    findings.extend(outcome.findings)
    findings.sort(key=lambda finding: finding.sort_key)
    metrics = {
        "modules": len(project.modules),
        "imports": project.import_count,
        "syntax_errors": len(project.problems),
        "import_linter_contracts": len(import_linter.contracts) if import_linter else 0,
    }
    return CheckResult(findings=findings, metrics=metrics, warnings=outcome.warnings)
