"""The ``[cycles]`` contract: import cycles among the modules of the given packages.

One ``import-cycle`` finding per representative cycle (see :mod:`importcanon.application.cycles`),
located at the import the break set nominates on it, every hop with ``path:line`` and kind.
"""

from __future__ import annotations

from typing import Any

from importcanon.application.cycles import CycleScope, project_cycles
from importcanon.application.project import Project
from importcanon.domain.cycles import Cycle, CycleComponent
from importcanon.domain.findings import Finding

RULE = "import-cycle"
_LISTED = 4


def find_import_cycles(project: Project, scope: CycleScope | None) -> tuple[list[Finding], dict[str, Any]]:
    """Findings for a ``[cycles]`` contract's scope (None: no contract, no findings)."""
    if scope is None:
        return [], {}
    components = project_cycles(project, scope.packages, exclude_type_checking=scope.exclude_type_checking)
    findings = [_finding(project, component, cycle) for component in components for cycle in component.cycles]
    return findings, cycle_metrics(components)


def cycle_metrics(components: list[CycleComponent]) -> dict[str, Any]:
    return {
        "components": len(components),
        "sizes": sorted((len(c.modules) for c in components), reverse=True),
        "imports": sum(len(c.edges) for c in components),
        "break_set": sum(len(c.break_set) for c in components),
        "cycles": sum(len(c.cycles) for c in components),
        "import_time_cycles": sum(1 for c in components for cycle in c.cycles if cycle.import_time),
    }


def _finding(project: Project, component: CycleComponent, cycle: Cycle) -> Finding:
    breakers = [hop for hop in cycle.hops if hop in component.break_set]
    importer, imported = breakers[0] if breakers else cycle.hops[0]
    first_site = next(iter(project.sites(importer, imported)), None)
    nominated = project.describe_edge(importer, imported)
    if project.runs_at_import(importer, imported):
        suggestion = f"Remove, defer (into the function that needs it) or invert the import {nominated}"
    else:
        suggestion = (
            f"Remove or invert the import {nominated}; it is already deferred, so this cycle cannot "
            "break start-up, but it still ties the modules together"
        )
    others = [edge for edge in component.break_set if edge != (importer, imported)]
    if 0 < len(others) <= _LISTED:  # a small break set is named in full
        listed = "; ".join(project.describe_edge(*edge) for edge in others)
        suggestion += f". With it, removing {listed} makes this {len(component.modules)}-module component acyclic"
    elif others:  # a large one would repeat itself in every finding of the component
        packages = sorted({m.rpartition(".")[0] or m for m in component.modules})
        where = f" --package {packages[0]}" if len(packages) == 1 else ""
        suggestion += (
            f". It is one of the {len(others) + 1} imports whose removal makes this "
            f"{len(component.modules)}-module component acyclic (all of them: importcanon cycles{where})"
        )
    return Finding(
        rule=RULE,
        path=project.path_of(importer),
        line=first_site.line if first_site else None,
        module=importer,
        message="\n".join(
            [f"import cycle ({cycle.kind}) through {len(cycle.modules)} modules: {cycle.arrow}"]
            + [f"  {project.describe_edge(u, v)}" for u, v in cycle.hops]
        ),
        suggestion=suggestion + ".",
        identity=cycle.modules,
        details={
            "cycle": list(cycle.modules),
            "kind": cycle.kind,
            "break": [{"importer": u, "imported": v} for u, v in breakers],
            "component_size": len(component.modules),
        },
    )
