"""The ``[cycles]`` contract: every import that lies on an import cycle inside the given packages.

One ``import-cycle`` finding per such import (importer -> imported), located at its first
statement, with the shortest cycle through it, every hop with ``path:line`` and kind. Its identity
is the import alone: which imports lie on a cycle depends on no tie-break, and adding an import
never takes another off a cycle, so the baseline is monotone (see :mod:`importcanon.domain.cycles`).

After the baseline diff, :func:`attribute_new_cycles` reports an import that a change only put
on a cycle inside the finding of the new import that did it, at that import's ``path:line``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from importcanon.application.cycles import CycleScope, project_cyclic_imports
from importcanon.application.project import Project
from importcanon.domain.cycles import CycleComponent, CyclicImport, Edge, cycle_imports_digest, hops, imports_changed
from importcanon.domain.facts import ImportKind
from importcanon.domain.findings import Finding, Status
from importcanon.domain.modules import within_test

RULE = "import-cycle"
_LISTED = 12  # consequences named in a message; the JSON report has them all


def find_import_cycles(project: Project, scope: CycleScope | None) -> tuple[list[Finding], dict[str, Any]]:
    """Findings and metrics for a ``[cycles]`` contract's scope (None: no contract, no findings)."""
    if scope is None:
        return [], {}
    components, cyclic = project_cyclic_imports(project, scope)
    by_label = {component.modules[0]: component for component in components}
    breakers = {component.modules[0]: frozenset(component.break_set) for component in components}
    findings = [_finding(project, scope, by_label[item.component], breakers[item.component], item) for item in cyclic]
    return findings, cycle_metrics(components)


def imports_digest(project: Project) -> dict[str, str]:
    """What a baseline records of the root packages' imports (see ``cycle_imports_digest``)."""
    within = within_test(project.root_packages)
    imports = {
        module: {imported: count for imported, count in project.import_counts(module).items() if within(imported)}
        for module in project.modules
        if within(module)
    }
    return cycle_imports_digest(imports)


def cycle_metrics(components: list[CycleComponent]) -> dict[str, Any]:
    return {
        "components": len(components),
        "sizes": sorted((len(c.modules) for c in components), reverse=True),
        "imports": sum(len(c.edges) for c in components),
        "break_set": sum(len(c.break_set) for c in components),
        "cycles": sum(len(c.cycles) for c in components),
        "import_time_cycles": sum(1 for c in components for cycle in c.cycles if cycle.import_time),
    }


def _finding(
    project: Project, scope: CycleScope, component: CycleComponent, breakers: frozenset[Edge], item: CyclicImport
) -> Finding:
    importer, imported = item.importer, item.imported
    sites = project.sites(importer, imported)
    if scope.exclude_type_checking:
        sites = [site for site in sites if site.kind is not ImportKind.TYPE_CHECKING]
    kind = item.kind
    size = len(component.modules)
    if item.import_time:
        advice = "Remove, defer (into the function that needs it) or invert this import or another on the cycle"
    else:
        advice = (
            "Remove or invert this import or another on the cycle; none of them can break start-up, "
            "but they still tie the modules together"
        )
    if size == 2:  # two modules import each other: either import alone is the whole fix, no choice to make
        advice += ". Removing this import alone makes these 2 modules acyclic"
    elif (importer, imported) in breakers and len(breakers) == 1:
        advice += f". Removing this import alone makes this {size}-module component acyclic"
    elif (importer, imported) in breakers:
        advice += (
            f". This import is one of the {len(breakers)} whose removal makes this {size}-module component acyclic"
        )
    elif size > 1:
        advice += (
            f". `importcanon cycles` names the fewest imports whose removal makes this {size}-module component acyclic"
        )
    return Finding(
        rule=RULE,
        path=project.path_of(importer),
        line=sites[0].line if sites else None,
        module=importer,
        message="\n  ".join(
            [
                f"{importer} -> {imported} is on an import cycle",
                f"{kind} cycle through {len(item.cycle)} modules:",
                *[project.describe_edge(u, v) for u, v in hops(item.cycle)],
            ]
        ),
        # One string for the many findings that give the same advice: a copy of the run that
        # found them sends it back once (sympy: 5,100 findings, a quarter of the bytes).
        suggestion=sys.intern(advice + "."),
        identity=(importer, imported),
        details={
            "importer": importer,
            "imported": imported,
            "cycle": list(item.cycle),
            "kind": kind,
            "component": item.component,
            "component_size": size,
        },
    )


def attribute_new_cycles(
    findings: Sequence[Finding], recorded: Mapping[str, str] | None, current: Mapping[str, str] | None
) -> list[Finding]:
    """Report what a change only put on a cycle inside the finding of the new import that did it.

    Cycle findings (``import-cycle``, and acyclic_siblings pairs, which carry a ``component``) are
    attributed the same way. A new one whose importing modules import what the baseline recorded
    (``recorded``, the digest written with it) existed then: a new import elsewhere put it on a
    cycle. It is listed in, and counted by, the first new finding of its component whose importer
    did change. Without a recorded digest (an older baseline, none at all) every finding stands on
    its own.
    """
    if recorded is None or current is None:
        return list(findings)
    new = [f for f in findings if f.status is Status.NEW and "component" in f.details]

    def group(finding: Finding) -> tuple[str, str, str]:
        return (finding.rule, str(finding.details.get("contract")), str(finding.details["component"]))

    def changed(finding: Finding) -> bool:
        importers = finding.details.get("importers") or [finding.module or ""]
        return any(imports_changed(module, recorded, current) for module in importers)

    causes: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in new:
        if changed(finding):
            causes.setdefault(group(finding), []).append(finding)
    consequences: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in new:
        if not changed(finding) and group(finding) in causes:
            consequences.setdefault(group(finding), []).append(finding)
    absorbed = {id(finding) for members in consequences.values() for finding in members}
    grouped = {}
    for key, members in consequences.items():
        for position, cause in enumerate(causes[key]):
            grouped[id(cause)] = _with_consequences(cause, members, owner=position == 0)
    return [grouped.get(id(finding), finding) for finding in findings if id(finding) not in absorbed]


def _with_consequences(cause: Finding, consequences: list[Finding], *, owner: bool) -> Finding:
    listed = [f"    {f.details['importer']} -> {f.details['imported']} ({_location(f)})" for f in consequences]
    if len(listed) > _LISTED:
        listed = listed[:_LISTED] + [f"    ... and {len(listed) - _LISTED} more (all of them: --format json)"]
    together = "" if owner else " (with the other new imports of this component)"
    message = "\n".join(
        [
            cause.message,
            f"  it also puts {len(consequences)} existing import{'s' if len(consequences) != 1 else ''} "
            f"on a cycle{together}, not reported on their own:",
            *listed,
        ]
    )
    details = dict(cause.details)
    details["consequences"] = [
        {"importer": f.details["importer"], "imported": f.details["imported"], "path": f.path, "line": f.line}
        for f in consequences
    ]
    return replace(cause, message=message, details=details, covers=tuple(consequences) if owner else ())


def _location(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}" if finding.line is not None else str(finding.path)
