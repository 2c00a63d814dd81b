"""The statements behind an edge read from the importer's own imports, before (or without) the
map of every edge that the cycle analyses build: the same sites and kinds either way."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.adapters.loading import ScanOptions, load_project

MODULES = ("app/__init__.py", "app/a.py", "app/b.py", "app/pack/__init__.py", "app/pack/c.py")
PIECES = [
    "import app.a",
    "from app import b",
    "from app.pack import c",
    "from . import a, b",
    "import os, app.b",
    "from app.a import *",
    "if TYPE_CHECKING:\n    from app.pack.c import X",
    "try:\n    import app.b\nexcept ImportError:\n    pass",
    "def f():\n    from app import a\n    import app.pack.c",
    "class K:\n    import app.a",
    "x = 1; import app.b",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=5), min_size=len(MODULES), max_size=len(MODULES)))
def test_an_edge_s_statements_are_the_same_with_or_without_the_map_of_every_edge(
    project: Callable[[Mapping[str, str]], Path], texts
):
    root = project({".importlinter": "[importlinter]\nroot_package = app\n"})
    for relative, pieces in zip(MODULES, texts, strict=True):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(pieces) + "\n")
    mapped, _ = load_project(root, ["app"], [], ScanOptions(), None)
    grouped, _ = load_project(root, ["app"], [], ScanOptions(), None)
    mapped.import_edges  # noqa: B018 - builds the map of every edge, as the cycle analyses do
    edges = sorted((importer, imported) for importer in grouped.modules for imported in grouped.import_counts(importer))

    def answers(loaded) -> list[object]:
        return [
            (loaded.sites(*edge), loaded.runs_at_import(*edge), loaded.typing_only(*edge), loaded.describe_edge(*edge))
            for edge in [*edges, ("app.a", "app.nothing")]
        ]

    assert answers(grouped) == answers(mapped)
    assert "_sites_by_edge" not in grouped.__dict__  # describing edges built no map of every edge
