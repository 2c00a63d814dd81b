#!/usr/bin/env python3
"""importcanon against lint-imports on real PyPI packages and generated projects, one table.

Why: a single generated project of long files hid what real code costs (short files make fixed
per-file costs show). For each project the same contracts are written for both tools:
layers and forbidden contracts in ``.importlinter``; in ``contracts/importcanon.toml`` a
``[[canonical]]`` home for a name used in hundreds or thousands of files, a ``[[legacy]]``
package, two ``[[deprecated]]`` names and a ``[cycles]`` contract over the whole tree.

Three comparisons per project, the two tools' runs interleaved (A B A B ...) after one
untimed pair, so that a shared machine's drift hits both alike; medians are quoted:

- cold: ``importcanon check --no-cache`` against ``lint-imports --no-cache``;
- warm: both with a warm cache, nothing changed;
- edit: both with a warm cache after one file was edited (a new comment line before each run);
- checkout: both with the cache of the last run after every file got a new mtime (as a fresh
  checkout in CI with the cache directory restored: every file's content is what the cache
  knows, but no file's stat is).

Wall time is ``time.perf_counter`` around the child; CPU time and peak RSS come from
``os.wait4`` (the child's own rusage). The packages are downloaded with
``pip download --no-deps`` into ``benchmarks/.work`` (git-ignored), at pinned versions, and
unpacked; nothing is installed or imported.

Usage::

    python benchmarks/bench_real.py [--runs 5] [--only django,sympy] [--list]
    python benchmarks/bench_real.py --growth [--sizes 1000,5000,10000,20000,40000]

``--growth`` times cold ``importcanon check --no-cache`` on generated layered projects of growing
size and prints the exponent of a power-law fit (1.0 is linear).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import LINT_SUMMARY, OK_EXIT_CODES, Project, Run, find_tool, run_once

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work" / "real"
DOWNLOADS = HERE / ".work" / "downloads"
#: The issue's targets; a fresh checkout with the cache restored stands in for a cold run in CI.
TARGETS = {"cold": 2.0, "warm": 1.2, "edit": 1.5, "checkout": 2.0, "memory": 2.0}


@dataclass(frozen=True)
class Contracts:
    root: str
    layers: tuple[str, ...]
    forbidden: tuple[str, str]  # source, forbidden
    canonical: tuple[str, str]  # symbol, home
    legacy: tuple[str, str]  # package, replacement
    deprecated: tuple[str, str]


@dataclass(frozen=True)
class Spec:
    name: str
    contracts: Contracts
    build: Callable[[Path], None]
    edit: str  # the file edited for the one-file-edit runs, relative to the project


def pypi(requirement: str, package: str) -> Callable[[Path], None]:
    """Download one wheel (no dependencies) and unpack only its top-level package."""

    def build(out: Path) -> None:
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        name, _, version = requirement.partition("==")
        wheels = sorted(DOWNLOADS.glob(f"{name}-{version}-*.whl"))
        if not wheels:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "-d",
                    str(DOWNLOADS),
                    requirement,
                ],
                check=True,
                stdout=sys.stderr,
            )
            wheels = sorted(DOWNLOADS.glob(f"{name}-{version}-*.whl"))
        with zipfile.ZipFile(wheels[0]) as wheel:
            members = [member for member in wheel.namelist() if member.startswith(f"{package}/")]
            wheel.extractall(out, members)

    return build


def generated(script: str, modules: int) -> Callable[[Path], None]:
    def build(out: Path) -> None:
        subprocess.run(
            [sys.executable, str(HERE / script), str(out), "--modules", str(modules), "--force"],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    return build


LAYERED = Contracts(
    root="layered",
    layers=("layered.app", "layered.services", "layered.domain", "layered.infra", "layered.core"),
    forbidden=("layered.core", "layered.app"),
    canonical=("Model", "layered.core.model"),
    legacy=("layered.compat", "layered.core"),
    deprecated=("layered.core.helpers.make_model", "layered.core.helpers.old_config"),
)

SPECS = [
    Spec(
        "monorepo-3400",
        Contracts(
            root="backend",
            layers=("backend.api", "backend.services", "backend.domain", "backend.db", "backend.core"),
            forbidden=("backend.db", "backend.api"),
            canonical=("Session", "backend.db.columns"),
            legacy=("backend.realtime", "backend.realtime_core"),
            deprecated=("backend.utils.workspace_iterators.WorkspaceGateway", "backend.core.events.EVENTS_PREFIX"),
        ),
        generated("generate_monorepo.py", 3400),
        "backend/services/catalog/exporter.py",
    ),
    Spec("layered-3000", LAYERED, generated("generate_layered.py", 3000), "layered/domain/pkg3/mod7.py"),
    Spec("layered-20000", LAYERED, generated("generate_layered.py", 20000), "layered/domain/pkg30/mod7.py"),
    Spec(
        "django",
        Contracts(
            root="django",
            layers=("django.contrib", "django.db", "django.utils"),
            forbidden=("django.utils", "django.contrib"),
            canonical=("settings", "django.conf"),
            legacy=("django.contrib.postgres", "django.db.backends.postgresql"),
            deprecated=("django.utils.encoding.force_str", "django.utils.deprecation.RemovedInDjango60Warning"),
        ),
        pypi("django==5.2.19", "django"),
        "django/db/models/query.py",
    ),
    Spec(
        "sympy",
        Contracts(
            root="sympy",
            layers=("sympy.physics", "sympy.solvers", "sympy.core"),
            forbidden=("sympy.core", "sympy.physics"),
            canonical=("S", "sympy.core.singleton"),
            legacy=("sympy.codegen", "sympy.printing"),
            deprecated=("sympy.core.sympify._sympify", "sympy.utilities.exceptions.sympy_deprecation_warning"),
        ),
        pypi("sympy==1.14.0", "sympy"),
        "sympy/core/add.py",
    ),
    Spec(
        "homeassistant",
        Contracts(
            root="homeassistant",
            layers=("homeassistant.components", "homeassistant.helpers", "homeassistant.util"),
            forbidden=("homeassistant.util", "homeassistant.components"),
            canonical=("HomeAssistant", "homeassistant.core"),
            legacy=("homeassistant.backports", "homeassistant.util"),
            deprecated=("homeassistant.util.dt.utcnow", "homeassistant.helpers.config_validation.ensure_list"),
        ),
        pypi("homeassistant==2024.3.3", "homeassistant"),
        "homeassistant/components/light/__init__.py",
    ),
]


def write_contracts(out: Path, contracts: Contracts) -> None:
    layers = "\n".join(f"    {layer}" for layer in contracts.layers)
    (out / ".importlinter").write_text(
        f"[importlinter]\nroot_package = {contracts.root}\n\n"
        f"[importlinter:contract:layers]\nname = Layers\ntype = layers\nlayers =\n{layers}\n\n"
        f"[importlinter:contract:forbidden]\nname = Forbidden\ntype = forbidden\n"
        f"source_modules =\n    {contracts.forbidden[0]}\nforbidden_modules =\n    {contracts.forbidden[1]}\n"
    )
    (out / "contracts").mkdir(exist_ok=True)
    for stale in (out / "contracts").glob("*.toml"):
        stale.unlink()
    (out / "contracts" / "importcanon.toml").write_text(
        f'[settings]\nroot_packages = ["{contracts.root}"]\n\n'
        f'[[canonical]]\nsymbol = "{contracts.canonical[0]}"\nmodule = "{contracts.canonical[1]}"\n\n'
        f'[[legacy]]\npackage = "{contracts.legacy[0]}"\nreplacement = "{contracts.legacy[1]}"\n\n'
        + "".join(f'[[deprecated]]\nname = "{name}"\n\n' for name in contracts.deprecated)
        + "[cycles]\n"
    )


def prepare(spec: Spec) -> Project:
    out = WORK / spec.name
    marker = out / ".bench-ready"
    if not marker.exists():
        log(f"preparing {spec.name} in {out} ...")
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        spec.build(out)
        marker.write_text("")
    write_contracts(out, spec.contracts)
    modules = sum(1 for _ in (out / spec.contracts.root).rglob("*.py"))
    return Project(out, spec.contracts.root, out, modules, 0, modules)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def clear_caches(project: Project) -> None:
    for name in (".import_linter_cache", ".importcanon_cache"):
        shutil.rmtree(project.path / name, ignore_errors=True)


def interleaved(
    commands: tuple[list[str], list[str]], project: Project, runs: int, before: Callable[[], None] = lambda: None
) -> tuple[list[Run], list[Run]]:
    """Runs of importcanon and lint-imports in turn; the first pair is not counted."""
    timed: tuple[list[Run], list[Run]] = ([], [])
    for index in range(runs + 1):
        for command, kept, expect in zip(commands, timed, (None, LINT_SUMMARY)):
            before()
            run, tail = run_once(command, project)
            if run.exit_code not in OK_EXIT_CODES or (expect is not None and not _checked_contracts(tail)):
                sys.exit(f"{' '.join(command)} failed in {project.path} (exit {run.exit_code}):\n{tail}")
            if index:
                kept.append(run)
    return timed


def _checked_contracts(tail: str) -> bool:
    """lint-imports got as far as its contracts: its summary, or the end of a long report of
    broken ones, and not the syntax error it stops at before checking any."""
    return LINT_SUMMARY in tail or ("Syntax error" not in tail and " -> " in tail)


@dataclass
class Row:
    name: str
    modules: int
    ratios: dict[str, tuple[float, float]]  # comparison -> (wall ratio, cpu ratio)
    medians: dict[str, tuple[float, float]]  # comparison -> (importcanon wall, lint-imports wall)
    memory: tuple[float, float]  # peak MB cold: importcanon, lint-imports


def ratio_of(ours: list[Run], theirs: list[Run]) -> tuple[float, float]:
    """Median of the pair-by-pair ratios: each pair ran back to back, under the same load."""
    wall = statistics.median(a.wall / b.wall for a, b in zip(ours, theirs))
    cpu = statistics.median(a.cpu / b.cpu for a, b in zip(ours, theirs))
    return wall, cpu


def bench(spec: Spec, runs: int, importcanon: str, lint_imports: str) -> Row:
    project = prepare(spec)
    target = str(project.path)
    log(f"{spec.name}: {project.modules} modules, {runs} interleaved pairs per comparison")
    clear_caches(project)
    cold = interleaved(([importcanon, "check", target, "--no-cache"], [lint_imports, "--no-cache"]), project, runs)
    clear_caches(project)
    warm = interleaved(([importcanon, "check", target], [lint_imports]), project, runs)
    edited = project.path / spec.edit
    original = edited.read_bytes()
    counter = iter(range(10**6))

    def edit() -> None:
        edited.write_bytes(original + f"# benchmark edit {next(counter)}\n".encode())

    try:
        edit_runs = interleaved(([importcanon, "check", target], [lint_imports]), project, runs, before=edit)
    finally:
        edited.write_bytes(original)
    checkout = interleaved(
        ([importcanon, "check", target], [lint_imports]), project, runs, before=lambda: touch_sources(project)
    )
    results = {"cold": cold, "warm": warm, "edit": edit_runs, "checkout": checkout}
    return Row(
        spec.name,
        project.modules,
        {name: ratio_of(*pair) for name, pair in results.items()},
        {
            name: (statistics.median(r.wall for r in pair[0]), statistics.median(r.wall for r in pair[1]))
            for name, pair in results.items()
        },
        (max(r.peak_rss_kib or 0 for r in cold[0]) / 1024, max(r.peak_rss_kib or 0 for r in cold[1]) / 1024),
    )


def touch_sources(project: Project) -> None:
    """Every Python file gets a new modification time, its content unchanged."""
    now = time.time()
    for directory, _, files in os.walk(project.path):
        for name in files:
            if name.endswith(".py"):
                os.utime(os.path.join(directory, name), (now, now))


def print_header(runs: int) -> None:
    print(f"median of {runs} interleaved pairs (after one untimed pair); ratios importcanon / lint-imports, wall (CPU)")
    print()
    print(
        "| project (modules) | cold `--no-cache` | warm | one file edited | fresh checkout, cache restored "
        "| peak memory cold, MB (ratio) |"
    )
    print("|---|---|---|---|---|---|", flush=True)


def print_row(row: Row) -> bool:
    """One row of the table, printed as soon as it is measured; whether it meets every target."""
    met = True
    cells = []
    for name in ("cold", "warm", "edit", "checkout"):
        wall, cpu = row.ratios[name]
        ours, theirs = row.medians[name]
        flag = "" if wall <= TARGETS[name] else " **over**"
        met &= not flag
        cells.append(f"{wall:.2f}x ({cpu:.2f}x) {ours:.2f} s / {theirs:.2f} s{flag}")
    ours_mb, theirs_mb = row.memory
    memory_ratio = ours_mb / theirs_mb
    flag = "" if memory_ratio <= TARGETS["memory"] else " **over**"
    met &= not flag
    print(
        f"| {row.name} ({row.modules:,}) | {' | '.join(cells)} "
        f"| {ours_mb:.0f} / {theirs_mb:.0f} ({memory_ratio:.2f}x){flag} |",
        flush=True,
    )
    return met


def growth(sizes: list[int], runs: int, importcanon: str) -> None:
    """Cold run time against project size, and the exponent of a least-squares power-law fit."""
    points = []
    for size in sizes:
        out = WORK / f"growth-{size}"
        if not (out / ".bench-ready").exists():
            log(f"generating {size} modules ...")
            generated("generate_layered.py", size)(out)
            (out / ".bench-ready").write_text("")
        write_contracts(out, LAYERED)
        project = Project(out, "layered", out, size, 0, size)
        times = []
        for index in range(runs + 1):
            run, tail = run_once([importcanon, "check", str(out), "--no-cache"], project)
            if run.exit_code not in OK_EXIT_CODES:
                sys.exit(f"importcanon failed on {out}:\n{tail}")
            if index:
                times.append(run.wall)
        modules = sum(1 for _ in (out / "layered").rglob("*.py"))
        points.append((modules, statistics.median(times)))
        print(f"{modules:>7,} modules: {points[-1][1]:.2f} s", flush=True)
    xs = [math.log(m) for m, _ in points]
    ys = [math.log(t) for _, t in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
    print(f"growth exponent (time ~ modules^k, least squares on logs): k = {slope:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed pairs per comparison (default 5)")
    parser.add_argument("--only", help="comma-separated project names (default: all; see --list)")
    parser.add_argument("--list", action="store_true", help="list the projects and exit")
    parser.add_argument("--growth", action="store_true", help="time cold runs on growing generated projects")
    parser.add_argument("--sizes", default="1000,5000,10000,20000,40000", help="module counts for --growth")
    parser.add_argument("--importcanon", help="importcanon executable (default: next to this Python)")
    parser.add_argument(
        "--lint-imports", dest="lint_imports", help="lint-imports executable (default: next to this Python)"
    )
    args = parser.parse_args()
    if args.list:
        print("\n".join(spec.name for spec in SPECS))
        return 0
    importcanon = find_tool("importcanon", args.importcanon)
    if args.growth:
        growth([int(size) for size in args.sizes.split(",")], args.runs, importcanon)
        return 0
    lint_imports = find_tool("lint-imports", args.lint_imports)
    chosen = args.only.split(",") if args.only else [spec.name for spec in SPECS]
    unknown = set(chosen) - {spec.name for spec in SPECS}
    if unknown:
        parser.error(f"unknown project(s): {', '.join(sorted(unknown))}; see --list")
    print_header(args.runs)
    met = [print_row(bench(spec, args.runs, importcanon, lint_imports)) for spec in SPECS if spec.name in chosen]
    print()
    print(
        "targets: cold <= 2.0x, warm <= 1.2x, one file edited <= 1.5x, fresh checkout with the cache "
        "restored <= 2.0x (as cold), peak memory <= 2.0x"
    )
    return 0 if all(met) else 1


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    raise SystemExit(main())
