"""Whether a name a contract gives is there: a definition of the project, or one no static
reading may judge (a file that cannot be read or parsed, a module ``__getattr__``): what the
``stale-contract`` rule and the advice that names a contract's replacement both ask."""

from __future__ import annotations

from importcanon.application.project import Project
from importcanon.application.symbols import Resolved, Resolver
from importcanon.domain.modules import is_within, split_qualified, within_any


def defined(resolver: Resolver, qualified: str) -> bool:
    module, name = split_qualified(qualified)
    project = resolver.project
    if module not in project.modules:
        return unknowable(project, module)
    if unknowable(project, module) or module in project.facts.parse_failures():
        return True
    target = resolver.lookup(module, name)
    if target is None:  # not knowable statically (a module ``__getattr__``, ``globals()`` writes): not judged
        return True
    return isinstance(target, Resolved) and not target.is_module


def replacement_exists(resolver: Resolver, qualified: str) -> bool:
    """Whether a ``[[deprecated]]`` replacement is there to use: defined in the project, or
    outside the root packages (a library's, which no reading here can judge)."""
    module, _ = split_qualified(qualified)
    return not within_any(module, resolver.project.root_packages) or defined(resolver, qualified)


def unknowable(project: Project, name: str) -> bool:
    return any(is_within(problem.module, name) or is_within(name, problem.module) for problem in project.problems)
