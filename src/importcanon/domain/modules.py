"""Dotted module names: the one vocabulary every layer shares.

Kept as plain strings (not a wrapper class) because grimp, import-linter and networkx all speak
strings, and converting at every boundary would cost time on 3,000-module graphs for nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def is_module_name(name: str) -> bool:
    """Whether ``name`` is a dotted module name Python could import (``app..x`` is not)."""
    return bool(name) and all(part.isidentifier() for part in name.split("."))


def is_within(module: str, package: str) -> bool:
    """True when ``module`` is ``package`` itself or one of its descendants."""
    return module == package or module.startswith(package + ".")


def within_any(module: str, packages: Iterable[str]) -> bool:
    """True when ``module`` is one of ``packages`` or lies below one of them."""
    return any(is_within(module, package) for package in packages)


def within_test(packages: Iterable[str]) -> Callable[[str], bool]:
    """:func:`within_any` for these packages, as one test at C speed: scopes hold thousands of modules."""
    roots = frozenset(packages)
    below = tuple(f"{package}." for package in roots)

    def within(module: str) -> bool:
        return module in roots or module.startswith(below)

    return within


def parent(module: str) -> str | None:
    """The enclosing package, or None for a top-level name."""
    head, dot, _ = module.rpartition(".")
    return head if dot else None


def packages_above(module: str) -> list[str]:
    """The packages Python imports before ``module``, outermost first: ``a.b.c`` -> ``a``, ``a.b``."""
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def leaf(name: str) -> str:
    """The last component of a dotted name: ``a.b.C`` -> ``C``."""
    return name.rpartition(".")[2]


def split_qualified(name: str) -> tuple[str, str]:
    """Split ``a.b.C`` into the module part and the attribute: ``("a.b", "C")``."""
    head, _, tail = name.rpartition(".")
    return head, tail


def absolute_import_target(importer: str, is_package: bool, level: int, module: str | None) -> str | None:
    """The absolute module named by an import statement in ``importer``.

    ``level`` is the number of leading dots (0 for an absolute import). Returns None when a
    relative import climbs above the root package, which Python would reject too.
    """
    if level == 0:
        return module
    base = importer.split(".")
    # In a package's __init__, one dot means the package itself; elsewhere it means the parent.
    keep = len(base) - level + (1 if is_package else 0)
    if keep <= 0:
        return None
    prefix = ".".join(base[:keep])
    return f"{prefix}.{module}" if module else prefix
