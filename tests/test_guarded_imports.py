"""A guarded import (``try/except ImportError`` at module level) runs at import time."""

from __future__ import annotations

from conftest import run_cli

GUARDED_CYCLE = {
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg import b\n",
    "pkg/b.py": "try:\n    from pkg import a\nexcept ImportError:\n    a = None\n",
    "pkg/c.py": "from pkg import d\n",
    "pkg/d.py": (
        "def load():\n    try:\n        from pkg import c\n    except ImportError:\n        c = None\n    return c\n"
    ),
    "contracts/importcanon.toml": "[cycles]\n",
}


def test_a_guarded_module_level_import_closes_an_import_time_cycle(project):
    run = run_cli("check", project(GUARDED_CYCLE), "--format", "json", "--no-cache")

    cycles = {tuple(f["cycle"]): f for f in run.findings("import-cycle")}
    guarded = cycles[("pkg.a", "pkg.b")]
    assert guarded["kind"] == "import-time"
    assert "  pkg.b -> pkg.a (pkg/b.py: l.2 guarded)" in guarded["message"].splitlines()
    # The same statement inside a function body is deferred: that cycle cannot break start-up.
    deferred = cycles[("pkg.d", "pkg.c")]  # one finding per import on the cycle: this is d's
    assert (deferred["kind"], deferred["path"], deferred["line"]) == ("deferred", "pkg/d.py", 3)


def test_import_time_only_cycles_keep_the_guarded_one(project):
    run = run_cli("cycles", project(GUARDED_CYCLE), "--format", "json", "--import-time-only", "--no-cache")

    cycles = [cycle["cycle"] for component in run.json["components"] for cycle in component["cycles"]]
    assert cycles == [["pkg.a", "pkg.b"]]
