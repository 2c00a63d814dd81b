"""The text report: grouped by rule, ``path:line`` first so terminals and editors link it."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from importcanon.adapters.reporting.formats import ReportContext
from importcanon.application.check import CheckResult
from importcanon.domain.findings import Finding, Status


def location(finding: Finding) -> str:
    path = finding.path or finding.module or "<project>"
    return f"{path}:{finding.line}" if finding.line is not None else path


def render(context: ReportContext) -> str:
    return render_text(context.result, context.elapsed, quiet=context.quiet, show_baselined=context.show_baselined)


def render_text(
    result: CheckResult, elapsed: float | None = None, *, quiet: bool = False, show_baselined: bool = False
) -> str:
    """New findings in full; baselined ones as a count per rule unless ``show_baselined``; the
    fixed, the warnings and the fragmentation figures; the summary last. ``quiet`` keeps only the
    new findings and the summary, so a green run is one line."""
    lines: list[str] = []
    known_per_rule: list[str] = []
    for rule, group in groupby(result.findings, key=lambda finding: finding.rule):
        findings = list(group)
        new = [finding for finding in findings if finding.status is Status.NEW]
        known = len(findings) - len(new)
        if known and not show_baselined:
            known_per_rule.append(f"{rule} {known}")
        shown = findings if show_baselined and not quiet else new
        if not shown:
            continue
        if not quiet:
            lines.append(f"{rule}: {plural(len(findings), 'finding')} ({len(new)} new)")
        for finding in shown:
            first, *rest = finding.message.splitlines()
            if finding.status is Status.BASELINED:  # known: one line, the details are old news
                lines.append(f"{location(finding)}: {rule} [baselined] {finding.headline}")
                continue
            lines.append(f"{location(finding)}: {rule} {first}")
            if rest:  # the detail lines, indented: one string, joined once (thousands of findings)
                lines.append("    " + "\n    ".join(rest))
            if finding.suggestion:
                lines.append(f"    help: {finding.suggestion}")
        if not quiet:
            lines.append("")
    if quiet:
        return "\n".join([*lines, summary_line(result, elapsed)]) + "\n"
    if known_per_rule:
        lines.append(
            f"baselined: {plural(result.count(Status.BASELINED), 'known finding')} ({', '.join(known_per_rule)}); "
            "--show-baselined lists them"
        )
        lines.append("")
    if result.fixed:
        lines.append(
            f"fixed: {plural(result.fixed_count, 'known violation')} no longer "
            "found, still in the baseline (run `importcanon baseline update` to ratchet it down):"
        )
        lines.extend(
            f"  {entry.rule}: {entry.description}" + (f" (x{entry.count})" if entry.count > 1 else "")
            for entry in result.fixed
        )
        lines.append("")
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    lines.extend(fragmentation_lines(result.metrics.get("fragmentation", {})))
    lines.append(summary_line(result, elapsed))
    return "\n".join(lines) + "\n"


def summary_line(result: CheckResult, elapsed: float | None = None) -> str:
    metrics = result.metrics
    parts = [
        f"{result.count(Status.NEW)} new",
        f"{result.count(Status.BASELINED)} baselined",
        f"{result.fixed_count} fixed",
    ]
    suppressed = sum(metrics.get("suppressions", {}).values())
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    scope = f"{metrics.get('modules', 0)} modules, {metrics.get('imports', 0)} imports"
    timing = f" in {elapsed:.2f} s" if elapsed is not None else ""
    return f"importcanon: {', '.join(parts)} ({scope}{timing})"


def fragmentation_lines(fragmentation: dict[str, Any]) -> list[str]:
    """The counts a migration tracks by hand, from the same run ("from 6 duplicates to 1").

    A symbol is "offered by" the modules ``where`` lists as its homes: those that define it, bind
    it, or pass it on for others to import; not every module that imports it for its own use."""
    counts = [
        (fragmentation.get("shims", 0), "shim"),
        (fragmentation.get("legacy_imports", 0), "legacy import"),
        (fragmentation.get("non_canonical_imports", 0), "non-canonical import"),
        (fragmentation.get("deprecated_usages", 0), "deprecated usage"),
    ]
    symbols = fragmentation.get("symbols", {})
    if not symbols and not any(count for count, _ in counts):
        return []
    lines = ["fragmentation:"]
    for symbol, facts in symbols.items():
        lines.append(
            f"  {symbol}: offered by {plural(len(facts['binding_modules']), 'module')}, "
            f"{plural(facts['implementations'], 'implementation')}, "
            f"imported from {plural(len(facts['import_paths']), 'module')} "
            f"(canonical: {facts['canonical']})"
        )
    lines.append("  " + ", ".join(plural(count, noun) for count, noun in counts))
    return lines


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else many or noun + 's'}"
