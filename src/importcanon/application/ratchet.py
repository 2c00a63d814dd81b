"""Baseline snapshots for the trend: what the known set and the fragmentation looked like when."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from importcanon.application.check import CheckResult
from importcanon.domain.baseline import Baseline


def snapshot(baseline: Baseline, result: CheckResult, now: datetime | None = None) -> dict[str, Any]:
    """One line of history: the recorded counts per rule, and the run's fragmentation numbers."""
    rules: dict[str, int] = {}
    for entry in baseline.entries.values():
        rules[entry.rule] = rules.get(entry.rule, 0) + entry.count
    fragmentation = dict(result.metrics.get("fragmentation", {}))
    fragmentation["symbols"] = {
        symbol: {
            "implementations": facts["implementations"],
            "binding_modules": len(facts["binding_modules"]),
            "import_paths": len(facts["import_paths"]),
        }
        for symbol, facts in fragmentation.get("symbols", {}).items()
    }
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return {
        "date": moment.isoformat().replace("+00:00", "Z"),
        "total": baseline.total,
        "rules": dict(sorted(rules.items())),
        "fragmentation": fragmentation,
        "cycles": result.metrics.get("cycles", {}),
    }
