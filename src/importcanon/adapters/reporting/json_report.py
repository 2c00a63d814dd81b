"""The JSON report: a stable interface (schema 1) that later versions extend, never rename."""

from __future__ import annotations

import json
from typing import Any

from importcanon.adapters.baseline_store import entry_to_json
from importcanon.adapters.reporting.formats import ReportContext
from importcanon.application.check import CheckResult
from importcanon.domain.findings import Finding, Status

SCHEMA = 1


def finding_to_json(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": finding.rule,
        "fingerprint": finding.fingerprint,
        "path": finding.path,
        "line": finding.line,
        "module": finding.module,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "status": finding.status.value,
    }
    for key, value in finding.details.items():
        data.setdefault(key, value)
    return data


def render(context: ReportContext) -> str:
    return render_json(context.result)


def render_json(result: CheckResult) -> str:
    document = {
        "schema": SCHEMA,
        "summary": {
            "new": result.count(Status.NEW),
            "baselined": result.count(Status.BASELINED),
            "fixed": result.fixed_count,
        },
        "findings": [finding_to_json(finding) for finding in result.findings],
        "fixed": [entry_to_json(entry) for entry in result.fixed],
        "metrics": result.metrics,
        "warnings": result.warnings,
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"
