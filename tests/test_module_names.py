"""Module-name arithmetic, checked against Python's own resolver."""

from __future__ import annotations

import importlib.util

from hypothesis import given
from hypothesis import strategies as st

from importcanon.domain.modules import absolute_import_target, is_within, parent

names = st.lists(st.sampled_from(["a", "b", "core", "x1"]), min_size=1, max_size=5).map(".".join)


@given(importer=names, is_package=st.booleans(), level=st.integers(0, 6), target=st.none() | names)
def test_relative_imports_resolve_exactly_as_python_resolves_them(importer, is_package, level, target):
    package = importer if is_package else (parent(importer) or "")
    expected: str | None
    if level == 0:
        expected = target
    else:
        try:
            expected = importlib.util.resolve_name("." * level + (target or ""), package)
        except (ImportError, ValueError):
            expected = None
        if expected is not None and expected.endswith("."):
            expected = expected.rstrip(".")

    assert absolute_import_target(importer, is_package, level, target) == expected


@given(module=names, package=names)
def test_is_within_means_equal_or_below(module, package):
    assert is_within(module, package) == (module == package or module.startswith(package + "."))
    assert not is_within(module + "x", module)  # a shared prefix is not a package boundary
