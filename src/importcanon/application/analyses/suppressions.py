"""Applying inline suppressions, before the baseline diff: a suppressed finding is neither new,
baselined nor fixed. A suppression that suppresses nothing is itself a finding, as ruff's RUF100
is, so suppressions cannot outlive the violations they excused."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from importcanon.application.project import Project
from importcanon.domain.findings import Finding
from importcanon.domain.rules import RULES
from importcanon.domain.suppressions import Suppression

RULE = "unused-suppression"


class SuppressionOutcome(NamedTuple):
    findings: list[Finding]  # what is left, plus an unused-suppression finding per idle comment
    suppressed: list[Finding]  # what the comments suppressed

    @property
    def counts(self) -> dict[str, int]:
        """Suppressed findings per rule, for the metrics."""
        return dict(sorted(Counter(finding.rule for finding in self.suppressed).items()))


def apply_suppressions(
    project: Project, findings: Sequence[Finding], suppressions: Sequence[Suppression]
) -> SuppressionOutcome:
    by_place: dict[tuple[str, int], list[Suppression]] = {}
    for suppression in suppressions:
        for line in range(suppression.line, suppression.last_line + 1):
            by_place.setdefault((suppression.path, line), []).append(suppression)
    used: set[tuple[Suppression, str]] = set()
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        here = by_place.get((finding.path or "", finding.line or 0))
        if here is None:  # most findings: no comment on their line
            kept.append(finding)
            continue
        covering = [suppression for suppression in here if suppression.covers(finding.rule, finding.path, finding.line)]
        if covering:
            used.update((suppression, finding.rule) for suppression in covering)
            suppressed.append(finding)
        else:
            kept.append(finding)
    for suppression in suppressions:
        idle = [rule for rule in suppression.rules if (suppression, rule) not in used]
        if idle or not suppression.rules:
            kept.append(_unused(project, suppression, idle))
    return SuppressionOutcome(kept, suppressed)


def _unused(project: Project, suppression: Suppression, idle: list[str]) -> Finding:
    unknown = [rule for rule in idle if rule not in RULES]
    if not suppression.rules:
        message = f"`{suppression.comment}` is not a suppression importcanon understands"
        suggestion = "Write `# importcanon: ignore[rule-id, ...] -- reason`, naming the rules to suppress."
    elif unknown:
        message = f"`{suppression.comment}` names unknown rule{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
        suggestion = f"Name rules importcanon reports: {', '.join(sorted(RULES))}."
    else:
        message = f"`{suppression.comment}` suppresses nothing: no {', '.join(idle)} finding on this line"
        suggestion = "Delete the comment, or the rule ids in it that no longer apply."
    module = next((name for name, source in project.modules.items() if source.path == suppression.path), None)
    return Finding(
        rule=RULE,
        path=suppression.path,
        line=suppression.line,
        module=module,
        message=message,
        suggestion=suggestion,
        identity=(suppression.path, ",".join(idle) or suppression.comment),
        details={"suppressed_rules": list(suppression.rules), "unused_rules": idle},
    )
