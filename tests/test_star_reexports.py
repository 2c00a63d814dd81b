"""``from x import *`` in every resolution and in ``where``: a module that binds a name only
through a star import is a home of it (kind re-export), and ``__all__`` decides what a star brings."""

from __future__ import annotations

import sys

from conftest import run_cli, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.adapters.loading import ScanOptions, load_project
from importcanon.application.symbols import Resolver

STARS = {
    ".importlinter": "[importlinter]\nroot_package = app\n",
    "contracts/cycles.toml": "[cycles]\n",
    "app/__init__.py": "",
    "app/core/__init__.py": "from app.core.models import *\n",  # 1: star-only binder, a package
    "app/core/models.py": "__all__ = ['Thing']\n\n\nclass Thing:\n    pass\n\n\nclass Hidden:\n    pass\n",
    "app/api.py": '"""API."""\nfrom app.core import *\n',  # 2: star of a star
    "app/private.py": "from app.core.models import *\n",
    "app/user.py": (
        "from app.api import Thing\nfrom app.private import Hidden\n\n\ndef use():\n    return Thing, Hidden\n"
    ),
}


def test_where_lists_a_star_only_binding_as_a_re_export_at_the_star_import(project):
    root = project(STARS)

    document = run_cli("where", "Thing", root, "--format", "json").json

    assert [(b["path"], b["line"], b["kind"], b["resolves_to"]) for b in document["bindings"]] == [
        ("app/api.py", 2, "re-export", "app.core.models.Thing"),
        ("app/core/__init__.py", 1, "re-export", "app.core.models.Thing"),
        ("app/core/models.py", 4, "definition", "app.core.models.Thing"),
        ("app/private.py", 1, "re-export", "app.core.models.Thing"),
    ]
    assert document["implementations"] == 1


def test_where_on_a_qualified_name_follows_the_stars(project):
    root = project(STARS)

    document = run_cli("where", "app.api.Thing", root, "--format", "json").json

    assert document["asked_resolves_to"] == "app.core.models.Thing"


def test_all_decides_what_a_star_import_brings(project):
    root = project(STARS)

    hidden = run_cli("where", "app.private.Hidden", root, "--format", "json").json
    check = run_cli("check", root, "--format", "json", "--no-cache")

    assert [b["path"] for b in hidden["bindings"]] == ["app/core/models.py"]
    assert hidden["asked_broken"] == "app.private does not define, bind, re-export or provide Hidden"
    assert [(f["path"], f["line"], f["name"]) for f in check.findings("broken-import")] == [
        ("app/user.py", 2, "Hidden")
    ]


STAR_PIECES = [
    "from app.core import *",
    "from app.core.models import *",
    "from .models import *",
    "from . import *",
    "from app.core.models import Thing",
    "import app.core.models",
    "x = 1; from app.api import *",
    "if True: from app.core import *",
    "def f():\n    from app.private import *",
    "from app.core import (\n    Thing,\n)",
    "'''from app.core import *'''",
]
STAR_MODULES = ("app/__init__.py", "app/api.py", "app/private.py", "app/core/__init__.py", "app/core/models.py")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(STAR_PIECES), max_size=4), min_size=5, max_size=5))
def test_star_importers_are_the_importers_grimp_shows_a_star_for(project, texts):
    """``Project.star_importers`` (one pass over the scan's imports) against the question as
    ``where`` used to ask it of grimp, importer by importer."""
    root = project({".importlinter": "[importlinter]\nroot_package = app\n"})
    for relative, pieces in zip(STAR_MODULES, texts, strict=True):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(pieces) + "\n")
    loaded, _ = load_project(root, ["app"], [], ScanOptions(), None)
    graph = loaded.graph
    for module in sorted(loaded.modules):
        details = {
            importer: graph.get_import_details(importer=importer, imported=module)
            for importer in graph.find_modules_that_directly_import(module)
        }
        expected = {importer for importer, found in details.items() if any("*" in d["line_contents"] for d in found)}
        assert loaded.star_importers(module) == expected, module


_packages = iter(range(10**6))
_NAMES = ("a", "b", "_p")


@st.composite
def star_trees(draw: st.DrawFn) -> list[tuple[frozenset[str], frozenset[str] | None, frozenset[int]]]:
    """Modules m0..mN: the names each binds, its ``__all__`` (None: none; only names it binds,
    so that Python's star import never fails), the later modules it star-imports (no cycle)."""
    size = draw(st.integers(1, 7))
    modules = []
    for index in range(size):
        names = draw(st.frozensets(st.sampled_from(_NAMES)))
        listed = draw(st.none() | st.frozensets(st.sampled_from(sorted(names)))) if names else None
        stars = draw(st.frozensets(st.integers(index + 1, size - 1))) if index + 1 < size else frozenset()
        modules.append((names, listed, stars))
    return modules


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(tree=star_trees())
def test_what_a_star_import_brings_is_what_python_binds(tmp_path, tree):
    """``Resolver.exports`` walks star imports a level at a time (parsing each level on every
    core): its answer is Python's, for every module, public and private names alike."""
    package = f"stars{next(_packages)}"
    files = {f"{package}/__init__.py": ""}
    for index, (names, listed, stars) in enumerate(tree):
        lines = [f"from {package}.m{star} import *" for star in sorted(stars)]
        lines += [f"{name} = {index}" for name in sorted(names)]
        if listed is not None:
            lines.append(f"__all__ = {sorted(listed)!r}")
        files[f"{package}/m{index}.py"] = "\n".join(lines) + "\n"
    root = write_project(tmp_path / package, files)
    project, _ = load_project(root, [package], [], ScanOptions(), None)
    resolver = Resolver(project)

    sys.path.insert(0, str(root))
    try:
        for index in range(len(tree)):
            brought: dict[str, object] = {}
            exec(f"from {package}.m{index} import *", brought)  # the oracle: Python itself
            for name in (*_NAMES, "missing"):
                assert resolver.exports(f"{package}.m{index}", name) == (name in brought), (index, name, files)
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
            del sys.modules[module]
