"""SARIF 2.1.0, for code-scanning dashboards: one run, every rule importcanon has, a result per
finding with our fingerprint and its baseline state (new, unchanged, or absent for a fixed one)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from importcanon import __version__
from importcanon.adapters.reporting.formats import ReportContext
from importcanon.domain.baseline import BaselineEntry
from importcanon.domain.findings import Finding, Status
from importcanon.domain.rules import RULES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
#: The base every location is relative to: the project directory.
ROOT = "PROJECTROOT"
#: Our fingerprint, versioned as SARIF suggests, so a change of scheme reads as a new key.
FINGERPRINT_KEY = "importcanon/v1"
RULE_INDEX = {rule_id: index for index, rule_id in enumerate(RULES)}


def render(context: ReportContext) -> str:
    result = context.result
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "importcanon",
                "version": __version__,
                "rules": [
                    {
                        "id": rule.id,
                        "shortDescription": {"text": rule.summary},
                        "help": {"text": rule.help},
                        "defaultConfiguration": {"level": "error"},
                    }
                    for rule in RULES.values()
                ],
            }
        },
        "originalUriBaseIds": {ROOT: {"uri": context.project_root.resolve().as_uri() + "/"}},
        "results": [_result(finding) for finding in result.findings] + [_absent(entry) for entry in result.fixed],
        "columnKind": "unicodeCodePoints",
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2) + "\n"


def _result(finding: Finding) -> dict[str, Any]:
    new = finding.status is Status.NEW
    text = finding.message + (f"\nhelp: {finding.suggestion}" if finding.suggestion else "")
    data: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": "error" if new else "note",
        "message": {"text": text},
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "baselineState": "new" if new else "unchanged",
    }
    if finding.rule in RULE_INDEX:
        data["ruleIndex"] = RULE_INDEX[finding.rule]
    location: dict[str, Any] = {}
    if finding.path is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": quote(finding.path), "uriBaseId": ROOT}}
        if finding.line:
            physical["region"] = {"startLine": finding.line}
        location["physicalLocation"] = physical
    if finding.module is not None:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.module, "kind": "module"}]
    if location:
        data["locations"] = [location]
    return data


def _absent(entry: BaselineEntry) -> dict[str, Any]:
    """A recorded violation that is gone: SARIF's ``absent``, so dashboards close it."""
    count = f" (x{entry.count})" if entry.count > 1 else ""
    data: dict[str, Any] = {
        "ruleId": entry.rule,
        "level": "none",
        "kind": "pass",
        "message": {"text": f"fixed{count}: {entry.description} (still in the baseline until it is updated)"},
        "partialFingerprints": {FINGERPRINT_KEY: entry.fingerprint},
        "baselineState": "absent",
    }
    if entry.rule in RULE_INDEX:
        data["ruleIndex"] = RULE_INDEX[entry.rule]
    return data
