"""Re-export chains hundreds of modules long resolve in check and where: resolution iterates."""

from __future__ import annotations

from conftest import run_cli

DEPTH = 500


def _chain() -> dict[str, str]:
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["app"]\n[[canonical]]\nsymbol = "Thing"\nmodule = "app.m0"\n',
        "app/__init__.py": "",
        "app/m0.py": "class Thing:\n    pass\n",
        "app/s0.py": f"from app.m{DEPTH} import *\n",
        "app/user.py": f"from app.s{DEPTH} import Thing\nimport app.a{DEPTH}\nAlias = app.a{DEPTH}.Thing\n",
        "app/a0.py": "import app.m0\nThing = app.m0.Thing\n",
    }
    for number in range(1, DEPTH + 1):
        files[f"app/m{number}.py"] = f"from app.m{number - 1} import Thing\n"  # imports
        files[f"app/s{number}.py"] = f"from app.s{number - 1} import *\n"  # star imports
        files[f"app/a{number}.py"] = f"import app.a{number - 1}\nThing = app.a{number - 1}.Thing\n"  # aliases
    return files


def test_check_and_where_resolve_chains_of_500_re_exports(project):
    root = project(_chain())

    check = run_cli("check", root, "--format", "json", "--no-cache")
    where = run_cli("where", "Thing", root, "--format", "json").json
    ends = {
        name: run_cli("where", name, root, "--format", "json").json["asked_resolves_to"]
        for name in (f"app.m{DEPTH}.Thing", f"app.s{DEPTH}.Thing", f"app.a{DEPTH}.Thing", "app.user.Alias")
    }

    assert check.exit_code == 1, check.stderr
    assert check.findings("broken-import") == []
    assert not [f for f in check.findings("alias-divergence") if f["resolves_to"] != "app.m0.Thing"]
    assert where["implementations"] == 1
    assert len(where["bindings"]) == 3 * DEPTH + 4  # every hop, the three chains' starts and the user
    assert set(ends.values()) == {"app.m0.Thing"}


def test_a_chain_of_500_conditional_re_exports_resolves(project):
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["app"]\n[cycles]\n',
        "app/__init__.py": "",
        "app/c0.py": "class Thing:\n    pass\n",
    }
    for number in range(1, DEPTH + 1):
        files[f"app/c{number}.py"] = (
            f"import sys\nif sys.version_info >= (3,):\n    from app.c{number - 1} import Thing\n"
            f"else:\n    from app.c{number - 1} import Thing as Thing\n"
        )
    root = project(files)

    asked = run_cli("where", f"app.c{DEPTH}.Thing", root, "--format", "json")

    assert asked.exit_code == 0, asked.stderr
    assert asked.json["asked_resolves_to"] == "app.c0.Thing"


def test_a_fallback_stands_in_for_a_broken_import_and_the_import_is_still_called_broken(project):
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["app"]\n[cycles]\n',
        "app/__init__.py": "",
        "app/home.py": "class Thing:\n    pass\n",
        "app/compat.py": (
            "try:\n    from app.moved import Thing\nexcept ImportError:\n    from app.home import Thing\n"
        ),
    }
    root = project(files)

    asked = run_cli("where", "app.compat.Thing", root, "--format", "json").json
    bindings = {(b["path"], b["line"]): b for b in asked["bindings"]}

    assert asked["asked_resolves_to"] == "app.home.Thing"
    assert bindings["app/compat.py", 2]["broken"] == "module app.moved does not exist"
    assert bindings["app/compat.py", 4]["resolves_to"] == "app.home.Thing"
