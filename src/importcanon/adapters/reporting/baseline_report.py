"""``importcanon baseline show``: the known set against what is found now, per rule and contract."""

from __future__ import annotations

import json

from importcanon.domain.baseline import Tally

_COLUMNS = ("baseline", "now", "new", "fixed")


def render_baseline_show(shown: str, by_rule: dict[str, Tally], by_contract: dict[str, Tally], format: str) -> str:
    total = Tally(*(sum(getattr(t, column) for t in by_rule.values()) for column in _COLUMNS))
    if format == "json":
        document = {
            "baseline": shown,
            "rules": {rule: tally._asdict() for rule, tally in by_rule.items()},
            "contracts": {name: tally._asdict() for name, tally in by_contract.items()},
            "total": total._asdict(),
        }
        return json.dumps(document, indent=2) + "\n"
    rows: list[tuple[str, ...]] = [("rule", *_COLUMNS)]
    rows += [(rule, *(str(getattr(t, c)) for c in _COLUMNS)) for rule, t in by_rule.items()]
    rows.append(("total", *(str(getattr(total, c)) for c in _COLUMNS)))
    if by_contract:
        rows.append(("", "", "", "", ""))
        rows.append(("import-linter contract", *_COLUMNS))
        rows += [(name, *(str(getattr(t, c)) for c in _COLUMNS)) for name, t in by_contract.items()]
    width = max(len(row[0]) for row in rows)
    lines = [f"baseline: {shown}"]
    lines += [f"{row[0].ljust(width)}  " + "  ".join(cell.rjust(8) for cell in row[1:]) for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"
