"""A module swapped for another under the same name (``from pkg import engine as future``): what
could behave differently, judged from how the file uses the name.

``importcanon fix`` refuses such a swap for any of these problems; the ``legacy-import`` rule asks
the same question before it offers the statement, so that its advice is as exact as fix's verdict.
"""

from __future__ import annotations

from typing import NamedTuple

from importcanon.application.symbols import Resolved, Resolver
from importcanon.domain.facts import NameUses


class SwapProblem(NamedTuple):
    """Why ``bound`` bound to one module instead of another could behave differently."""

    reason: str
    attribute: str | None = None  # ``bound.attribute``, read in the file, is not the same object


def swap_problems(
    resolver: Resolver, uses: NameUses | None, bound: str, old: Resolved, new: Resolved
) -> list[SwapProblem]:
    """Every attribute the file reads from ``bound`` (``m.Thing``) that ``new`` does not give as
    the same object as ``old``, in name order; or the one problem that makes the attributes
    beside the point (the file does not parse, the name is bound twice, the module is used as an
    object itself). Empty when the swap changes nothing the file can see."""
    if uses is None:
        return [SwapProblem("the file does not parse")]
    if uses.bindings > 1:
        return [SwapProblem(f"{bound} is bound more than once in the file")]
    if uses.other_lines:
        lines = ", ".join(str(line) for line in uses.other_lines[:3])
        return [
            SwapProblem(f"the module {bound} is used as an object itself (line {lines}), not only as {bound}.<name>")
        ]
    problems = []
    for attribute in sorted(uses.attributes):
        before = resolver.attribute(old, attribute)
        after = resolver.attribute(new, attribute)
        if before is not None and before == after:
            continue
        if _same_where_reading_stops(resolver, old, new, attribute):
            continue
        what = after.qualified if after else "nothing that can be resolved"
        reason = f"{bound}.{attribute} would be {what} in {new.qualified}, not what it is in {old.qualified}"
        problems.append(SwapProblem(reason, attribute))
    return problems


def _same_where_reading_stops(resolver: Resolver, old: Resolved, new: Resolved, attribute: str) -> bool:
    """Whether ``old.attribute`` and ``new.attribute`` are the same object that no reading sees:
    both lookups stop at the same (module, name), a compiled module's (``offsets.Hour`` through
    pandas.tseries.offsets, which passes on pandas._libs.tslibs.offsets' objects, and through that
    compiled module itself)."""
    if not (old.is_module and new.is_module) or old.external:
        return False
    if resolver.lookup(old.qualified, attribute) is not None:
        return False  # resolved (and not the same) or broken
    if not new.external and resolver.lookup(new.qualified, attribute) is not None:
        return False
    return resolver.origin(old.qualified, attribute) == resolver.origin(new.qualified, attribute)
