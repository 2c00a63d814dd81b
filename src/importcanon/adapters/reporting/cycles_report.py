"""``importcanon cycles``: the components with cycles, their break sets and representative cycles."""

from __future__ import annotations

import json
from typing import Any

from importcanon.adapters.reporting.text_report import plural
from importcanon.application.analyses.import_cycles import cycle_metrics
from importcanon.application.project import Project
from importcanon.domain.cycles import CycleComponent, Edge


def render_cycles(project: Project, components: list[CycleComponent], format: str) -> str:
    if format == "json":
        return json.dumps(_document(project, components), indent=2) + "\n"
    if format == "mermaid":
        return _mermaid(project, components)
    return _text(project, components)


def _hop(project: Project, edge: Edge) -> dict[str, Any]:
    importer, imported = edge
    sites = project.sites(importer, imported)
    return {
        "importer": importer,
        "imported": imported,
        "path": project.path_of(importer),
        "line": sites[0].line if sites else None,
        "kind": sites[0].kind.value if sites else None,
    }


def _document(project: Project, components: list[CycleComponent]) -> dict[str, Any]:
    return {
        "components": [
            {
                "modules": list(component.modules),
                "imports": len(component.edges),
                "break_set": [_hop(project, edge) for edge in component.break_set],
                "cycles": [
                    {
                        "cycle": list(cycle.modules),
                        "kind": cycle.kind,
                        "hops": [_hop(project, hop) for hop in cycle.hops],
                    }
                    for cycle in component.cycles
                ],
            }
            for component in components
        ],
        "metrics": cycle_metrics(components),
    }


def _text(project: Project, components: list[CycleComponent]) -> str:
    lines = []
    for number, component in enumerate(components, 1):
        lines.append(
            f"component {number}: {plural(len(component.modules), 'module')}, "
            f"{plural(len(component.edges), 'import')}; removing {plural(len(component.break_set), 'import')} "
            "makes it acyclic:"
        )
        lines.extend(f"  break {project.describe_edge(*edge)}" for edge in component.break_set)
        for cycle in component.cycles:
            lines.append(f"  cycle ({cycle.kind}): {cycle.arrow}")
            lines.extend(f"      {project.describe_edge(*hop)}" for hop in cycle.hops)
        lines.append("")
    metrics = cycle_metrics(components)
    lines.append(
        f"{plural(metrics['components'], 'component')} with cycles, "
        f"{plural(metrics['cycles'], 'representative cycle')} ({metrics['import_time_cycles']} import-time)"
    )
    return "\n".join(lines) + "\n"


def _mermaid(project: Project, components: list[CycleComponent]) -> str:
    """A flowchart per component: break-set imports thick and red, deferred-only ones dotted."""
    lines = ["flowchart LR"]
    links: list[str] = []
    highlighted: list[int] = []
    for number, component in enumerate(components, 1):
        ids = {module: f"c{number}m{index}" for index, module in enumerate(component.modules)}
        lines.append(f'  subgraph component{number}["component {number}: {len(component.modules)} modules"]')
        lines.extend(f'    {ids[module]}["{module}"]' for module in component.modules)
        lines.append("  end")
        for edge in component.edges:
            kinds = {site.kind.value for site in project.sites(*edge)}
            if edge in component.break_set:
                arrow = "==>"
                highlighted.append(len(links))
            elif "module" in kinds:
                arrow = "-->"
            else:
                arrow = "-.->"
            links.append(f"  {ids[edge[0]]} {arrow} {ids[edge[1]]}")
    lines.extend(links)
    if highlighted:
        lines.append(f"  linkStyle {','.join(map(str, highlighted))} stroke:#d62728,stroke-width:3px")
    return "\n".join(lines) + "\n"
