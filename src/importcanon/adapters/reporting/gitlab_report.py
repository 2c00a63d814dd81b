"""GitLab Code Quality JSON: an issue per finding, with a fingerprint unique within the report
(GitLab collapses equal ones) that stays the same while the violation does."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from importcanon.adapters.reporting.formats import ReportContext
from importcanon.domain.findings import Status


def render(context: ReportContext) -> str:
    seen: Counter[str] = Counter()
    issues: list[dict[str, Any]] = []
    for finding in context.result.findings:
        occurrence = seen[finding.fingerprint]
        seen[finding.fingerprint] += 1
        description = finding.message + (f"\nhelp: {finding.suggestion}" if finding.suggestion else "")
        issues.append(
            {
                "type": "issue",
                "check_name": finding.rule,
                "description": description,
                "categories": ["Style"],
                # The n-th finding with one fingerprint is the n-th in file order: stable as long as
                # the set of them is.
                "fingerprint": finding.fingerprint + (f"-{occurrence}" if occurrence else ""),
                "severity": "major" if finding.status is Status.NEW else "info",
                "location": {
                    "path": context.repo_path(finding) or context.prefix + ".",
                    "lines": {"begin": finding.line or 1},
                },
            }
        )
    return json.dumps(issues, indent=2) + "\n"
