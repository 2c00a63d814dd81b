"""Text and JSON answers to the query commands (where, and later why, can-import, explain)."""

from __future__ import annotations

import json
from typing import Any

from importcanon.adapters.reporting.text_report import plural
from importcanon.application.queries import WhereReport


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
            }
            for binding in report.bindings
        ],
        "implementations": report.implementations,
        "import_paths": list(report.import_paths),
    }


def render_where(report: WhereReport, format: str) -> str:
    if format == "json":
        return json.dumps(where_to_json(report), indent=2) + "\n"
    lines = []
    if report.canonical:
        lines.append(f"{report.symbol}: canonical home {report.canonical.module}")
        lines.append(f"  import it as: {report.canonical.statement}")
    else:
        lines.append(f"{report.symbol}: no canonical home is declared in contracts/")
    width = max((len(f"{b.path}:{b.line}") for b in report.bindings), default=0)
    for binding in report.bindings:
        where = f"{binding.path}:{binding.line}".ljust(width)
        lines.append(f"{where}  {binding.kind:<12}  {binding.resolves_to or '(unresolved)'}")
    if report.import_paths:
        lines.append(f"imported from: {', '.join(report.import_paths)}")
    lines.append(
        f"{plural(report.implementations, 'implementation')} in "
        f"{plural(len(report.binding_modules), 'module')}"
    )
    return "\n".join(lines) + "\n"
