"""A Markdown summary for a pull-request comment: counts per rule, the new findings at
``path:line``, the fixed ones and the fragmentation figures, always under GitHub's 65,536-character
limit for a comment, however many findings there are (the rest is counted, not listed)."""

from __future__ import annotations

import re
from collections import Counter

from importcanon.adapters.reporting.formats import ReportContext
from importcanon.adapters.reporting.text_report import fragmentation_lines, location, plural
from importcanon.domain.findings import Status

#: GitHub refuses comments above 65,536 characters; this leaves room for what CI wraps around it.
LIMIT = 65_000
_BUDGET = LIMIT - 2_000  # kept back for the tail: fixed-list overflow line, fragmentation, footer
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def render(context: ReportContext) -> str:
    result = context.result
    new = result.count(Status.NEW)
    verdict = "fails" if new or (context.fail_on_stale and result.fixed) else "passes"  # as check exits
    head = [
        f"### importcanon {verdict}: {new} new, {result.count(Status.BASELINED)} baselined, {result.fixed_count} fixed",
        "",
    ]
    head.extend(_rule_table(context))
    body: list[str] = []
    size = sum(len(line) + 1 for line in head)

    def add(lines: list[str], rest_noun: str, remaining: int) -> None:
        nonlocal size
        for index, line in enumerate(lines):
            if size + len(line) + 1 > _BUDGET:
                body.append(f"- … and {plural(remaining - index, rest_noun)} more (see the full report)")
                size += 60
                return
            body.append(line)
            size += len(line) + 1

    new_lines = [
        f"- `{_code(location(finding))}` **{finding.rule}** {_escape(finding.headline)}"
        for finding in result.findings
        if finding.status is Status.NEW
    ]
    if new_lines:
        body.extend(["", "#### New findings", ""])
        add(new_lines, "new finding", len(new_lines))
    if result.fixed:
        fixed_lines = [
            f"- **{entry.rule}** {_escape(entry.description)}" + (f" (x{entry.count})" if entry.count > 1 else "")
            for entry in result.fixed
        ]
        body.extend(["", "#### Fixed (still in the baseline: run `importcanon baseline update`)", ""])
        add(fixed_lines, "fixed violation", len(fixed_lines))
    figures = fragmentation_lines(result.metrics.get("fragmentation", {}))
    if figures:
        body.extend(["", "#### Fragmentation", ""])
        body.extend(f"- {_escape(line.strip())}" for line in figures[1:])
    text = "\n".join([*head, *body]) + "\n"
    return text if len(text) <= LIMIT else text[: LIMIT - 40].rsplit("\n", 1)[0] + "\n- … (cut to fit a comment)\n"


def _rule_table(context: ReportContext) -> list[str]:
    result = context.result
    totals: dict[str, Counter[str]] = {}
    for finding in result.findings:
        totals.setdefault(finding.rule, Counter())[finding.status.value] += 1
    for entry in result.fixed:
        totals.setdefault(entry.rule, Counter())["fixed"] += entry.count
    for rule, count in result.metrics.get("suppressions", {}).items():
        totals.setdefault(rule, Counter())["suppressed"] += count
    if not totals:
        return ["No findings."]
    lines = ["| rule | new | baselined | fixed | suppressed |", "| --- | ---: | ---: | ---: | ---: |"]
    for rule, counts in sorted(totals.items()):
        lines.append(
            f"| {rule} | {counts['new']} | {counts['baselined']} | {counts['fixed']} | {counts['suppressed']} |"
        )
    return lines


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _code(text: str) -> str:
    return text.replace("`", "'")
