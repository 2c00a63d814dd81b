"""What ``importcanon fix`` did, would do, and left for a human: text, and unified diffs."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence

from importcanon.application.fixing import FixResult


def render_diff(result: FixResult) -> str:
    """A unified diff of every change (``git apply`` and ``patch -p1`` take it)."""
    chunks = []
    for change in sorted(result.changes, key=lambda c: c.path):
        before = (change.before or "").splitlines(keepends=True)
        after = (change.after or "").splitlines(keepends=True)
        old = f"a/{change.path}" if change.before is not None else "/dev/null"
        new = f"b/{change.path}" if change.after is not None else "/dev/null"
        lines = list(difflib.unified_diff(before, after, old, new))
        chunks.append(
            "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
        )
    return "".join(chunks)


def render_fix(result: FixResult, mode: str, unwritten: Sequence[tuple[str, str]], elapsed: float) -> str:
    """The summary: what was (or would be) rewritten, every refusal with its reason, the shims."""
    verb = {"write": "rewrote", "diff": "would rewrite", "check": "would rewrite"}[mode]
    lines = []
    for change in sorted(result.changes, key=lambda c: c.path):
        if change.after is None:
            lines.append(f"{change.path}: {'deleted' if mode == 'write' else 'would delete'} (a shim nothing imports)")
        else:
            shown = "; ".join(f"l.{edit.line} {edit.old_statement} -> {edit.statement}" for edit in change.edits)
            lines.append(f"{change.path}: {shown}")
    for path, why in unwritten:
        lines.append(f"{path}: not written: {why}")
    refusals = sorted(result.plan.refusals, key=lambda r: (r.path or "", r.line or 0, r.what))
    if refusals:
        lines.append(f"left for a human ({len(refusals)}):")
        lines.extend(
            f"  {r.path or '?'}:{r.line or '?'}: {r.rule} {r.what}: {r.reason} [{r.category}]" for r in refusals
        )
    for module, why in result.kept_shims:
        lines.append(f"shim {module} kept: {why}")
    imports = sum(len(change.edits) for change in result.changes if change.after is not None)
    files = sum(1 for change in result.changes if change.after is not None)
    deleted = sum(1 for change in result.changes if change.after is None)
    summary = f"importcanon fix: {verb} {_count(imports, 'import')} in {_count(files, 'file')}"
    if deleted:
        summary += f", {'deleted' if mode == 'write' else 'would delete'} {_count(deleted, 'shim')}"
    reasons = Counter(r.category for r in refusals)
    if reasons:
        summary += f"; refused {len(refusals)} ({', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))})"
    lines.append(f"{summary} in {elapsed:.2f} s")
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
