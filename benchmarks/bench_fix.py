#!/usr/bin/env python3
"""Time ``importcanon fix``: 500 rewrites on a generated 3,000-module project (target: under 10 s).

Why: fix parses with libcst, which is slower than the scan; it must stay cheap enough to run on
a real backend in one go. The project (generated into a temporary directory, deleted after) has
30 packages of 100 modules of ordinary code (~120 lines each, acyclic imports between them), a
``[[legacy]]`` package of 50 shim modules re-exporting classes from their replacement, and 500
modules that each import one class through a shim (half from the legacy package's modules, some
with ``as`` aliases, some inside functions), plus a layers contract for import-linter to check the
edited graph against. One cold run of ``importcanon fix --no-cache``, timed end to end as a
subprocess; then ``importcanon check`` confirms that no legacy import is left.

Exit status: 0 when the 500 rewrites were made under the target, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0
PACKAGES = 30
MODULES_PER_PACKAGE = 100
SHIMS = 50
REWRITES = 500


def filler(rng: random.Random, index: int) -> str:
    """Ordinary code: a class and a few functions, about 120 lines."""
    lines = [f"class Model{index}:", '    """A model."""', ""]
    for method in range(8):
        lines += [
            f"    def method_{method}(self, value: int) -> int:",
            f"        total = value * {rng.randint(2, 9)}",
            "        for step in range(3):",
            "            total += step",
            "        return total",
            "",
        ]
    for function in range(10):
        lines += [
            f"def helper_{function}(items: list[int]) -> list[int]:",
            "    result = [item + 1 for item in items]",
            f"    if len(result) > {rng.randint(1, 50)}:",
            "        return result[:3]",
            "    return result",
            "",
        ]
    return "\n".join(lines) + "\n"


def generate(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    app = root / "app"
    (app / "core").mkdir(parents=True)
    (app / "legacy").mkdir()
    (app / "__init__.py").write_text("")
    (app / "core" / "__init__.py").write_text("")
    (app / "legacy" / "__init__.py").write_text('"""Compatibility shims: the code moved to app.core."""\n')
    for shim in range(SHIMS):
        definitions = f"class Thing{shim}:\n    pass\n\n\nclass Extra{shim}:\n    pass\n"
        (app / "core" / f"thing{shim}.py").write_text(definitions)
        (app / "legacy" / f"thing{shim}.py").write_text(f"from app.core.thing{shim} import Extra{shim}, Thing{shim}\n")
    users = rng.sample(range(PACKAGES * MODULES_PER_PACKAGE), REWRITES)
    user_of = {module: n for n, module in enumerate(users)}
    for package in range(PACKAGES):
        directory = app / f"pkg{package:02d}"
        directory.mkdir()
        (directory / "__init__.py").write_text("")
        for index in range(MODULES_PER_PACKAGE):
            number = package * MODULES_PER_PACKAGE + index
            imports = []
            if index:
                imports.append(f"from app.pkg{package:02d}.mod{rng.randrange(index):03d} import helper_1")
            if package:
                imports.append(f"from app.pkg{rng.randrange(package):02d} import mod{rng.randrange(100):03d}")
            body = filler(rng, number)
            if number in user_of:
                shim = user_of[number] % SHIMS
                style = user_of[number] % 4
                if style == 0:
                    imports.append(f"from app.legacy.thing{shim} import Thing{shim}")
                elif style == 1:
                    imports.append(f"from app.legacy.thing{shim} import Thing{shim} as LegacyThing")
                elif style == 2:
                    imports.append(f"from app.core.thing{shim} import Extra{shim}")
                    imports.append(f"from app.legacy.thing{shim} import Thing{shim}")
                else:
                    body += f"\n\ndef make():\n    from app.legacy.thing{shim} import Thing{shim}\n"
                    body += f"    return Thing{shim}()\n"
            text = '"""Generated module."""\n\n' + "\n".join(imports) + "\n\n\n" + body
            (directory / f"mod{index:03d}.py").write_text(text)
    (root / "contracts").mkdir()
    (root / "contracts" / "importcanon.toml").write_text(
        '[settings]\nroot_packages = ["app"]\n\n[[legacy]]\npackage = "app.legacy"\nreplacement = "app.core"\n'
    )
    layers = "\n".join(f"    app.pkg{package:02d}" for package in reversed(range(PACKAGES)))
    (root / ".importlinter").write_text(
        "[importlinter]\nroot_package = app\n\n[importlinter:contract:layers]\nname = Packages in order\n"
        f"type = layers\nlayers =\n{layers}\n    app.legacy\n    app.core\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--importcanon", default=str(Path(sys.executable).with_name("importcanon")))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-fix-") as temporary:
        root = Path(temporary) / "project"
        generate(root, args.seed)
        modules = sum(1 for _ in root.rglob("*.py"))
        started, cpu_before = time.perf_counter(), _children_cpu()
        fixed = subprocess.run([args.importcanon, "fix", str(root), "--no-cache"], capture_output=True, text=True)
        elapsed, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
        summary = fixed.stdout.strip().splitlines()[-1] if fixed.stdout.strip() else fixed.stderr
        check = subprocess.run(
            [args.importcanon, "check", str(root), "--no-cache", "--no-baseline", "--format", "json"],
            capture_output=True,
            text=True,
        )
        left = sum(1 for f in json.loads(check.stdout)["findings"] if f["rule"] == "legacy-import")
        shutil.rmtree(root, ignore_errors=True)
    print(f"{modules} modules, {REWRITES} legacy imports to rewrite")
    print(summary)
    print(f"importcanon fix: {elapsed:.2f} s wall, {cpu:.2f} s CPU (target {TARGET_SECONDS:.0f} s)")
    print(f"legacy imports left: {left}")
    return 0 if fixed.returncode == 0 and left == 0 and elapsed < TARGET_SECONDS else 1


def _children_cpu() -> float:
    """User + system CPU seconds of the finished child processes: on a loaded machine the wall
    time says more about the neighbours than about fix."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
