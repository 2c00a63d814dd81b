"""The text report: grouped by rule, ``path:line`` first so terminals and editors link it."""

from __future__ import annotations

from itertools import groupby

from importcanon.application.check import CheckResult
from importcanon.domain.findings import Finding, Status


def location(finding: Finding) -> str:
    path = finding.path or finding.module or "<project>"
    return f"{path}:{finding.line}" if finding.line is not None else path


def render_text(result: CheckResult, elapsed: float | None = None) -> str:
    lines: list[str] = []
    for rule, group in groupby(result.findings, key=lambda finding: finding.rule):
        findings = list(group)
        new = sum(1 for finding in findings if finding.status is Status.NEW)
        lines.append(f"{rule}: {len(findings)} finding{'s' if len(findings) != 1 else ''} ({new} new)")
        for finding in findings:
            first, *rest = finding.message.splitlines()
            marker = "" if finding.status is Status.NEW else " [baselined]"
            lines.append(f"{location(finding)}: {rule}{marker} {first}")
            lines.extend(f"    {line}" for line in rest)
            if finding.suggestion:
                lines.append(f"    help: {finding.suggestion}")
        lines.append("")
    for fixed in result.fixed:
        lines.append(f"fixed: {fixed.get('rule')} {fixed.get('description', '')}".rstrip())
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    lines.append(summary_line(result, elapsed))
    return "\n".join(lines) + "\n"


def summary_line(result: CheckResult, elapsed: float | None = None) -> str:
    metrics = result.metrics
    parts = [
        f"{result.count(Status.NEW)} new",
        f"{result.count(Status.BASELINED)} baselined",
        f"{len(result.fixed)} fixed",
    ]
    scope = f"{metrics.get('modules', 0)} modules, {metrics.get('imports', 0)} imports"
    timing = f" in {elapsed:.2f} s" if elapsed is not None else ""
    return f"importcanon: {', '.join(parts)} ({scope}{timing})"
