"""A name bound to a builtin (``X = int``) is the builtin, as Python reads it: never broken."""

from __future__ import annotations

from conftest import run_cli

PROJECT = {
    "app/__init__.py": "",
    "app/a.py": "X = int\n",
    "app/b.py": "from app.a import X\n\nY = X\n",
    "app/c.py": "from app.a import int\n",  # builtins are no module attributes: this one is broken
    ".importlinter": "[importlinter]\nroot_package = app\n",
    "contracts/c.toml": '[[canonical]]\nsymbol = "X"\nmodule = "app.a"\n',
}


def test_a_name_bound_to_a_builtin_resolves_to_it(project):
    root = project(PROJECT)

    check = run_cli("check", root, "--format", "json", "--no-cache")
    where = run_cli("where", "X", root, "--format", "json", "--no-cache")

    rules = {(f["rule"], f["path"]) for f in check.findings()}
    assert ("missing-canonical", "contracts/c.toml") not in rules  # app.a does bind X
    assert ("broken-import", "app/c.py") in rules
    assert not any(f["path"] in ("app/a.py", "app/b.py") and f["rule"] == "broken-import" for f in check.findings())
    bindings = {(b["path"], b.get("resolves_to"), b.get("broken")) for b in where.json["bindings"]}
    assert ("app/a.py", "builtins.int", None) in bindings, bindings
