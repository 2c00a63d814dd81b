#!/usr/bin/env python3
"""Generate a deterministic layered project of many small files.

Why: real projects' files are short (django's and homeassistant's average well under 200 lines),
so fixed per-file costs matter there more than on the 385-line files of
``generate_monorepo.py``. This project has the shape the contracts of ``bench_real.py`` need:

- five layers under ``layered`` (``app -> services -> domain -> infra -> core``), each split into
  subpackages of 40 modules; every module imports 2 to 5 modules of its own or lower layers (a
  fifth of them inside a function); siblings mostly in one direction, with a few imports back
  that make small tangles;
- a few upward imports (of ``layered.app.settings``) that break the layers contract;
- ``Model``, defined in ``layered.core.model`` and imported by most modules (the name used in
  thousands of files), sometimes through the ``layered.core`` re-export;
- ``layered.compat``, a legacy package of shims re-exporting from ``layered.core``;
- two deprecated functions, ``layered.core.helpers.make_model`` and ``layered.core.helpers.old_config``,
  called here and there.

Only the standard library; the same arguments always write the same bytes.

Usage::

    python benchmarks/generate_layered.py OUT_DIR [--modules 3000] [--seed 1] [--force]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

ROOT = "layered"
LAYERS = ("app", "services", "domain", "infra", "core")
PER_PACKAGE = 40
UPWARD_IMPORTS = 3


def plan_modules(count: int) -> dict[str, list[str]]:
    """Module names per layer, about ``count`` in all (the fixed core modules included)."""
    per_layer = max(PER_PACKAGE, (count - 8) // len(LAYERS))
    layers: dict[str, list[str]] = {}
    for layer in LAYERS:
        names = []
        for index in range(per_layer):
            package = f"{ROOT}.{layer}.pkg{index // PER_PACKAGE}"
            names.append(f"{package}.mod{index % PER_PACKAGE}")
        layers[layer] = names
    return layers


def module_source(rng: random.Random, name: str, targets: list[str], upward: str | None) -> str:
    lines = ['"""Generated module."""', "", "from __future__ import annotations", "", "import logging"]
    use_model = rng.random() < 0.7
    if use_model:
        home = "layered.core" if rng.random() < 0.1 else "layered.core.model"
        lines.append(f"from {home} import Model")
    deferred = []
    for target in targets:
        package, _, leaf = target.rpartition(".")
        if rng.random() < 0.2:
            deferred.append(f"from {package} import {leaf}")
        else:
            lines.append(f"from {package} import {leaf}")
    if upward:
        package, _, leaf = upward.rpartition(".")
        lines.append(f"from {package} import {leaf}")
    deprecated = rng.random() < 0.04
    if deprecated:
        lines.append("from layered.core.helpers import make_model, old_config")
    if rng.random() < 0.02:
        lines.append("from layered.compat.models import Model as LegacyModel")
    leaf = name.rpartition(".")[2]
    lines += ["", "logger = logging.getLogger(__name__)", "", ""]
    base = "Model" if use_model else "object"
    lines += [
        f"class {leaf.capitalize()}Service({base}):",
        '    """A service."""',
        "",
        "    def __init__(self, size: int = 3) -> None:",
        "        self.size = size",
        "",
        "    def run(self, value: int) -> int:",
        *[f"        {stmt}" for stmt in deferred],
        "        total = value * self.size",
        "        for step in range(self.size):",
        "            total += step",
        f"        logger.debug('{leaf} ran %s', total)",
        "        return total",
        "",
        "",
        f"def build_{leaf}(size: int = 3) -> {leaf.capitalize()}Service:",
    ]
    if deprecated:
        lines += ["    old_config()", "    make_model()"]
    lines += [f"    return {leaf.capitalize()}Service(size)", ""]
    return "\n".join(lines)


FIXED = {
    "core/__init__.py": '"""The core."""\n\nfrom layered.core.model import Model\n\n__all__ = ["Model"]\n',
    "core/model.py": '"""The one model."""\n\n\nclass Model:\n    """Every service is one."""\n',
    "core/helpers.py": (
        '"""Old helpers."""\n\nfrom layered.core.model import Model\n\n\n'
        "def make_model() -> Model:\n    return Model()\n\n\ndef old_config() -> dict[str, int]:\n    return {}\n"
    ),
    "app/settings.py": '"""What the lower layers should not read."""\n\nDEBUG = False\n',
    "compat/__init__.py": '"""The legacy package."""\n',
    "compat/models.py": '"""Kept for old callers."""\n\nfrom layered.core.model import Model\n\n__all__ = ["Model"]\n',
    "compat/helpers.py": '"""Kept for old callers."""\n\nfrom layered.core.helpers import make_model\n',
}


def _index(module: str) -> int:
    return int(module.rpartition(".mod")[2])


def _package_index(module: str) -> int:
    return int(module.rpartition(".pkg")[2].partition(".")[0])


def generate(out: Path, modules: int, seed: int) -> None:
    rng = random.Random(seed)
    shutil.rmtree(out / ROOT, ignore_errors=True)
    package_dir = out / ROOT
    package_dir.mkdir(parents=True)
    (package_dir / "__init__.py").write_text('"""A layered project."""\n')
    layers = plan_modules(modules)
    for relpath, text in FIXED.items():
        path = package_dir / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    upward_from = set(rng.sample(layers["infra"], UPWARD_IMPORTS))
    for depth, layer in enumerate(LAYERS):
        lower = [name for deeper in LAYERS[depth + 1 :] for name in layers[deeper]]
        for name in layers[layer]:
            package_index = _package_index(name)
            below = lower + [other for other in layers[layer] if _package_index(other) < package_index]
            parts = name.split(".")
            for end in range(2, len(parts)):
                init = package_dir.joinpath(*parts[1:end], "__init__.py")
                if not init.exists():
                    init.parent.mkdir(parents=True, exist_ok=True)
                    init.write_text("")
            count = rng.randint(2, 5)
            package = name.rpartition(".")[0]
            # Siblings are imported in one direction (a lower-numbered one), except now and then:
            # a few small tangles, as real packages have, not one that swallows the project.
            own_package = [other for other in layers[layer] if other.rpartition(".")[0] == package]
            earlier = [other for other in own_package if _index(other) < _index(name)]
            targets = set()
            for _ in range(count):
                if rng.random() < 0.3 and earlier:
                    targets.add(rng.choice(earlier))
                elif rng.random() < 0.04:
                    targets.add(rng.choice(own_package))
                elif below:
                    targets.add(rng.choice(below))
            targets.discard(name)
            upward = "layered.app.settings" if name in upward_from else None
            text = module_source(rng, name, sorted(targets), upward)
            package_dir.joinpath(*parts[1:]).with_suffix(".py").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--modules", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace an existing project in OUT_DIR")
    args = parser.parse_args()
    if (args.out / ROOT).exists() and not args.force:
        parser.error(f"{args.out / ROOT} exists; pass --force to replace it")
    generate(args.out, args.modules, args.seed)


if __name__ == "__main__":
    main()
