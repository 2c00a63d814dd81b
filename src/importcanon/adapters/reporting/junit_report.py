"""JUnit XML: a test case per import-linter contract and per importcanon rule, failing with its
new findings, so any CI that shows test results shows the architecture as tests."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from importcanon.adapters.reporting.formats import ReportContext
from importcanon.adapters.reporting.text_report import location, plural
from importcanon.domain.findings import Finding, Status
from importcanon.domain.rules import RULES

CONTRACT_RULE = "contract"
#: Characters XML 1.0 cannot carry at all (a file name may hold them): replaced, not dropped silently.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def test_cases(context: ReportContext) -> list[tuple[str, str, list[Finding]]]:
    """(class name, case name, findings) per contract, then per rule: the same cases the pytest
    plugin collects. Contract findings go to their contract; a contract named only by a finding
    (one importcanon could not match to the configuration) gets its own case."""
    by_contract: dict[str, list[Finding]] = {name: [] for name in context.contracts}
    by_rule: dict[str, list[Finding]] = {rule: [] for rule in RULES if rule != CONTRACT_RULE}
    for finding in context.result.findings:
        if finding.rule == CONTRACT_RULE:
            by_contract.setdefault(str(finding.details.get("contract", "")), []).append(finding)
        else:
            by_rule.setdefault(finding.rule, []).append(finding)
    return [("importcanon.contracts", name, found) for name, found in by_contract.items()] + [
        ("importcanon.rules", rule, found) for rule, found in by_rule.items()
    ]


def failure_text(findings: list[Finding]) -> str:
    """Every new finding in full, ``path:line`` first."""
    lines = []
    for finding in findings:
        if finding.status is Status.NEW:
            first, *rest = finding.message.splitlines()
            lines.append(f"{location(finding)}: {finding.rule} {first}")
            lines.extend(f"    {line}" for line in rest)
            if finding.suggestion:
                lines.append(f"    help: {finding.suggestion}")
    return "\n".join(lines)


def render(context: ReportContext) -> str:
    cases = test_cases(context)
    failures = sum(1 for _, _, found in cases if any(finding.status is Status.NEW for finding in found))
    elapsed = f"{context.elapsed or 0.0:.3f}"
    suites = ElementTree.Element("testsuites", name="importcanon", tests=str(len(cases)), failures=str(failures))
    suites.set("time", elapsed)
    suite = ElementTree.SubElement(
        suites, "testsuite", name="importcanon", tests=str(len(cases)), failures=str(failures), errors="0"
    )
    suite.set("skipped", "0")
    suite.set("time", elapsed)
    for class_name, name, found in cases:
        case = ElementTree.SubElement(suite, "testcase", classname=class_name, name=_clean(name), time="0")
        new = [finding for finding in found if finding.status is Status.NEW]
        if new:
            failure = ElementTree.SubElement(case, "failure", type=new[0].rule)
            failure.set("message", plural(len(new), "new finding"))
            failure.text = _clean(failure_text(new))
        known = len(found) - len(new)
        if known:
            ElementTree.SubElement(case, "system-out").text = f"{plural(known, 'baselined finding')} (known)"
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
