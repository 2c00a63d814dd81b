"""Text and JSON answers to the query commands: where, why, can-import, explain."""

from __future__ import annotations

import json
from typing import Any

from importcanon.adapters.reporting.text_report import plural
from importcanon.application.queries import CyclesAround, Explanation, Hop, Objection, Verdict
from importcanon.application.where import WhereReport


def where_to_json(report: WhereReport) -> dict[str, Any]:
    canonical = report.canonical
    return {
        "symbol": report.symbol,
        "canonical": {"module": canonical.module, "import": canonical.statement} if canonical else None,
        "bindings": [
            {
                "module": binding.module,
                "path": binding.path,
                "line": binding.line,
                "kind": binding.kind,
                "resolves_to": binding.resolves_to,
                "broken": binding.broken,
                "stand_in": binding.stand_in,
            }
            for binding in report.bindings
        ],
        "implementations": report.implementations,
        "import_paths": list(report.import_paths),
        **(
            {"asked": report.asked, "asked_resolves_to": report.asked_resolves_to, "asked_broken": report.asked_broken}
            if report.asked
            else {}
        ),
    }


def render_where(report: WhereReport, format: str) -> str:
    if format == "json":
        return json.dumps(where_to_json(report), indent=2) + "\n"
    lines = []
    if report.asked:
        if report.asked_broken:
            lines.append(f"{report.asked} is broken: {report.asked_broken}")
        else:
            lines.append(f"{report.asked} is {report.asked_resolves_to or 'not a name of the project'}")
    if report.canonical:
        lines.append(f"{report.symbol}: canonical home {report.canonical.module}")
        lines.append(f"  import it as: {report.canonical.statement}")
    else:
        lines.append(f"{report.symbol}: no canonical home is declared in contracts/")
    width = max((len(f"{b.path}:{b.line}") for b in report.bindings), default=0)
    for binding in report.bindings:
        where = f"{binding.path}:{binding.line}".ljust(width)
        shown = f"(broken: {binding.broken})" if binding.broken else binding.resolves_to or "(unresolved)"
        lines.append(f"{where}  {binding.kind:<12}  {shown}")
    if report.import_paths:
        lines.append(f"imported from: {', '.join(report.import_paths)}")
    lines.append(
        f"{plural(report.implementations, 'implementation')} in {plural(len(report.binding_modules), 'module')}"
    )
    return "\n".join(lines) + "\n"


def render_why(importer: str, imported: str, chains: list[list[Hop]], format: str, *, truncated: bool = False) -> str:
    """``truncated``: chains beyond those shown exist (``--max`` cut them), so the count is a floor."""
    if format == "json":
        document = {
            "more": truncated,
            "chains": [
                [
                    {
                        "importer": hop.importer,
                        "imported": hop.imported,
                        "path": hop.path,
                        "line": hop.line,
                        "kind": hop.kind,
                        "statement": hop.statement,
                    }
                    for hop in chain
                ]
                for chain in chains
            ],
        }
        return json.dumps(document, indent=2) + "\n"
    if not chains:
        return f"{importer} does not import {imported}, directly or indirectly\n"
    if truncated:
        count = f"more than {plural(len(chains), 'chain')}; the {len(chains)} shortest (raise --max for more)"
    else:
        count = f"{plural(len(chains), 'chain')} (shortest first)"
    lines = [f"{importer} reaches {imported} through {count}:"]
    for number, chain in enumerate(chains, 1):
        lines.append(f"chain {number} ({plural(len(chain), 'import')}):")
        for hop in chain:
            where = f"{hop.path}:{hop.line}" if hop.line is not None else (hop.path or hop.importer)
            more = f" (+{hop.more} more)" if hop.more else ""
            lines.append(
                f"  {where}: {hop.importer} -> {hop.imported} [{hop.kind or '?'}] {hop.statement or ''}{more}".rstrip()
            )
    return "\n".join(lines) + "\n"


def render_can_import(importer: str, imported: str, verdict: Verdict, format: str) -> str:
    objections, notes = verdict.objections, verdict.notes
    if format == "json":
        document = {
            "allowed": not objections,
            "objections": [_objection_to_json(o) for o in objections],
            "notes": [_objection_to_json(o) for o in notes],
        }
        return json.dumps(document, indent=2) + "\n"
    if objections:
        lines = [f"no: {importer} may not import {imported}:"]
    else:
        lines = [f"yes: {importer} may import {imported}; no contract objects"]
    for objection in objections:
        instead = f" (import from {objection.instead} instead)" if objection.instead else ""
        lines.append(f"  {objection.contract}: {objection.reason}{instead}")
    lines.extend(f"  note, {note.contract}: {note.reason}" for note in notes)  # the reason names the import
    return "\n".join(lines) + "\n"


def _objection_to_json(objection: Objection) -> dict[str, str | None]:
    return {"contract": objection.contract, "reason": objection.reason, "instead": objection.instead}


def explanation_to_json(explanation: Explanation) -> dict[str, Any]:
    return {
        "module": explanation.module,
        "path": explanation.path,
        "layers": [
            {
                "contract": place.contract,
                "layer": place.layer,
                "may_import": list(place.may_import),
                "may_not_import": list(place.may_not_import),
            }
            for place in explanation.layers
        ],
        "contracts": list(explanation.contracts),
        "canonical_for": list(explanation.canonical_for),
        "legacy": explanation.legacy,
        "shim_of": list(explanation.shim_of),
        "cycles": [{"cycle": list(cycle.modules), "kind": cycle.kind} for cycle in explanation.cycles],
        "imported_by": list(explanation.imported_by),
        "imports": list(explanation.imports),
        **_cycles_around_to_json(explanation.on_cycles),
    }


def _cycles_around_to_json(around: CyclesAround | None) -> dict[str, Any]:
    """The module's component and its imports on cycles, as check's import-cycle findings give them."""
    return {
        "component": around.component if around else None,
        "component_size": around.size if around else 0,
        "cyclic_imports": [
            {
                "importer": item.importer,
                "imported": item.imported,
                "kind": item.kind,
                "cycle": list(item.cycle),
            }
            for item in (around.imports if around else ())
        ],
        "findings_through": around.findings_through if around else 0,
        "component_findings": around.component_findings if around else 0,
    }


def render_explain(explanation: Explanation, format: str) -> str:
    if format == "json":
        return json.dumps(explanation_to_json(explanation), indent=2) + "\n"
    e = explanation
    lines = [f"{e.module}" + (f" ({e.path})" if e.path else " (namespace package)")]
    for place in e.layers:
        lines.append(f"layer {place.layer} in contract '{place.contract}'")
        lines.append(f"  may import:     {', '.join(place.may_import) or '(no layer below)'}")
        lines.append(f"  may not import: {', '.join(place.may_not_import) or '(nothing above)'}")
    if not e.layers:
        lines.append("layers: not in any layers contract")
    lines.append("contracts that mention it:" if e.contracts else "contracts that mention it: none")
    lines.extend(f"  {contract}" for contract in e.contracts)
    if e.canonical_for:
        lines.append(f"canonical home of: {', '.join(e.canonical_for)}")
    if e.legacy:
        lines.append(f"legacy: part of the legacy package {e.legacy}")
    if e.shim_of:
        what = "passes on from outside the package:" if e.is_package else "only re-exports"
        lines.append(f"shim: {what} {', '.join(e.shim_of)}")
    lines.extend(_cycle_lines(e))
    lines.append(f"imported by {plural(len(e.imported_by), 'module')}" + _listing(e.imported_by))
    lines.append(f"imports {plural(len(e.imports), 'module')}" + _listing(e.imports))
    return "\n".join(lines) + "\n"


_CYCLIC_LISTED = 10  # imports on cycles named in the text; the JSON has them all


def _cycle_lines(explanation: Explanation) -> list[str]:
    """Where the module stands among the import cycles: its component, its imports on cycles
    (check's import-cycle findings, each with its shortest cycle), how many of the component's
    findings have a cycle through it, then the break set's representative cycles, so labelled."""
    around = explanation.on_cycles
    if around is None:
        return ["import cycles: none through it"]
    items = around.imports
    import_time = sum(1 for item in items if item.import_time)
    lines = [
        f"import cycles: in the tangled component {around.component} ({plural(around.size, 'module')})",
        f"  the cycles of {around.findings_through} of the component's {around.component_findings} import-cycle "
        f"findings pass through it; {plural(len(items), 'import')} of it or by it lie on cycles "
        f"({import_time} import-time), each on its shortest:",
    ]
    for item in items[:_CYCLIC_LISTED]:
        lines.append(f"    ({item.kind}) {item.arrow}")
    if len(items) > _CYCLIC_LISTED:
        lines.append(f"  ... and {len(items) - _CYCLIC_LISTED} more (all of them: --format json)")
    representatives = explanation.cycles
    label = "representative cycles (the shortest through each import of the component's break set)"
    lines.append(f"  {label}: {len(representatives) or 'none through it'}")
    lines.extend(f"    ({cycle.kind}) {cycle.arrow}" for cycle in representatives)
    return lines


def _listing(modules: tuple[str, ...], shown: int = 8) -> str:
    if not modules:
        return ""
    more = f", and {len(modules) - shown} more" if len(modules) > shown else ""
    return ": " + ", ".join(modules[:shown]) + more
