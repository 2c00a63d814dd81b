#!/usr/bin/env python3
"""Time ``importcanon check`` against ``lint-imports``, its performance anchor.

Why: the requirement is relative, not absolute.  On a 3,400-module project, ``importcanon
check`` must cost at most 2x ``lint-imports --no-cache`` when neither tool has a cache
(cold), and at most 1.2x ``lint-imports`` when both have a warm cache.  Both tools parse
every file and build the same import graph, so comparing them on the same machine, project
and page cache cancels out the hardware.

What is measured, each as the median wall time of ``--runs`` runs (plus CPU time and peak
RSS of the child process, from ``os.wait4``):

1. ``lint-imports --no-cache``                       - the cold anchor
2. ``lint-imports`` with its cache warmed             - the warm anchor
3. ``importcanon check DIR --no-cache``               - cold
4. ``importcanon check DIR`` with its cache warmed    - warm
5. ``importcanon check DIR`` after one file changed  - the incremental cost (``--no-touch``
   skips it; the file is restored afterwards)

Every series starts with an untimed run, so the OS page cache is equally warm for all of
them and "cold" means "no tool cache", not "no disk cache".  Exit codes 0 and 1 count as
success for both tools (1 means broken contracts / new findings); anything else is reported
as a failure together with the tool's output.

By default the project is a synthetic monorepo generated (once, then reused) into
``benchmarks/.work/monorepo`` by ``generate_monorepo.py``; ``--project DIR`` benchmarks an
existing project instead (its ``.import_linter_cache`` and ``.importcanon_cache`` are
deleted and rebuilt).

Exit status: 0 when every run succeeded and both targets are met, 1 when a target is
missed, 2 when a command failed.
"""

from __future__ import annotations

import argparse
import configparser
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "generate_monorepo.py"
DEFAULT_PROJECT = HERE / ".work" / "monorepo"
DEFAULT_SEED = 1
COLD_TARGET = 2.0  # importcanon cold / lint-imports --no-cache
WARM_TARGET = 1.2  # importcanon warm / lint-imports warm
OK_EXIT_CODES = (0, 1)
LINT_CACHE = ".import_linter_cache"
CANON_CACHE = ".importcanon_cache"
LINT_SUMMARY = "Contracts: "  # lint-imports' last line once it has checked the contracts


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    peak_rss_kib: int | None
    exit_code: int


@dataclass
class Series:
    """The timed runs of one command."""

    label: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)
    error: str | None = None  # set when a run exited with an unexpected code

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    def summary(self) -> dict[str, object]:
        data: dict[str, object] = {
            "label": self.label,
            "command": self.command,
            "error": self.error,
            "runs": [asdict(r) for r in self.runs],
        }
        if self.runs:
            rss = [r.peak_rss_kib for r in self.runs if r.peak_rss_kib is not None]
            data.update(
                median_s=self.median,
                min_s=min(r.wall for r in self.runs),
                max_s=max(r.wall for r in self.runs),
                median_cpu_s=statistics.median(r.cpu for r in self.runs),
                peak_rss_mib=round(max(rss) / 1024, 1) if rss else None,
                exit_codes=sorted({r.exit_code for r in self.runs}),
            )
        return data


@dataclass
class Project:
    path: Path
    root_package: str
    pythonpath: Path
    files: int
    lines: int
    modules: int

    def env(self) -> dict[str, str]:
        """The tools' environment: the project's package must be importable for lint-imports."""
        env = dict(os.environ)
        env["PYTHONPATH"] = str(self.pythonpath)
        env.pop("PYTHONSTARTUP", None)
        # Both tools must run from byte-compiled modules, as installed tools do; with this set,
        # an editable install would recompile its own source on every run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Running commands --------------------------------------------------------------------
def run_once(command: list[str], project: Project) -> tuple[Run, str]:
    """Run a command once in the project directory; returns its timing and output tail.

    ``os.wait4`` gives the rusage of exactly this child (``getrusage(RUSAGE_CHILDREN)`` only
    reports the largest RSS of all children so far, which cannot be attributed to one run).
    """
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=project.path, env=project.env(), stdout=out, stderr=subprocess.STDOUT)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
        else:  # pragma: no cover - non-Unix
            code = proc.wait()
            wall, cpu, rss = time.perf_counter() - start, float("nan"), None
        out.seek(0)
        tail = out.read()[-6000:].decode("utf-8", "replace")
    return Run(wall, cpu, rss, code), tail


def measure(
    label: str,
    command: list[str],
    project: Project,
    runs: int,
    prepare: Callable[[], None] | None = None,
    before_each: Callable[[int], None] | None = None,
    expect_output: str | None = None,
) -> Series:
    """Time ``runs`` runs of ``command`` after ``prepare`` and one untimed warm-up run.

    ``expect_output`` guards against fast failures that share the "findings" exit code:
    lint-imports also exits 1 when a file does not parse, before checking any contract.
    """
    series = Series(label, command)
    log(f"  {label}: warm-up + {runs} runs")
    if prepare is not None:
        prepare()
    for i in range(-1, runs):
        if before_each is not None and i >= 0:
            before_each(i)
        run, tail = run_once(command, project)
        which = "warm-up run" if i < 0 else f"run {i + 1}"
        if run.exit_code not in OK_EXIT_CODES:
            series.error = f"{which} exited with {run.exit_code}:\n{tail}"
            return series
        if expect_output is not None and expect_output not in tail:
            series.error = f"{which} did not print {expect_output!r} (it did not check the contracts):\n{tail}"
            return series
        if i >= 0:
            series.runs.append(run)
    return series


def measure_interleaved(
    specs: list[tuple[str, list[str], str | None]], project: Project, runs: int, prepare: Callable[[], None]
) -> list[Series]:
    """Time several commands in turn, run by run, after ``prepare`` and one warm-up run each.

    Alternating the commands spreads the machine's drift (other processes, CPU frequency) over
    all of them alike, which series run one after the other do not: the ratios are what matter.
    """
    series = [Series(label, command) for label, command, _ in specs]
    log(f"  {' / '.join(label for label, _, _ in specs)}: warm-up + {runs} runs, interleaved")
    prepare()
    for i in range(-1, runs):
        for entry, (_, command, expect_output) in zip(series, specs):
            if entry.error:
                continue
            run, tail = run_once(command, project)
            which = "warm-up run" if i < 0 else f"run {i + 1}"
            if run.exit_code not in OK_EXIT_CODES:
                entry.error = f"{which} exited with {run.exit_code}:\n{tail}"
            elif expect_output is not None and expect_output not in tail:
                entry.error = f"{which} did not print {expect_output!r} (it did not check the contracts):\n{tail}"
            elif i >= 0:
                entry.runs.append(run)
    return series


def remove_cache(project: Project, name: str) -> Callable[[], None]:
    def prepare() -> None:
        shutil.rmtree(project.path / name, ignore_errors=True)

    return prepare


# --- The project -------------------------------------------------------------------------
def ensure_generated(path: Path, modules: int) -> None:
    """Generate the synthetic monorepo unless an identical one is already there."""
    meta_file = path / ".generated.json"
    if meta_file.is_file():
        meta = json.loads(meta_file.read_text())
        if (
            meta.get("modules") == modules
            and meta.get("seed") == DEFAULT_SEED
            and meta.get("syntax_errors") == 0
            and not meta.get("src_layout")
            and meta.get("generator_version") == _generator_version()
        ):
            return
    log(f"generating a {modules}-module monorepo into {path} ...")
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            str(path),
            "--modules",
            str(modules),
            "--seed",
            str(DEFAULT_SEED),
            "--syntax-errors",
            "0",
            "--force",
        ],
        check=True,
        stdout=sys.stderr,
    )


def _generator_version() -> int | None:
    for line in GENERATOR.read_text().splitlines():
        if line.startswith("GENERATOR_VERSION"):
            return int(line.split("=")[1])
    return None


def root_package_of(path: Path) -> str:
    """import-linter's root package, read from the same files lint-imports reads."""
    for name in (".importlinter", "setup.cfg"):
        config = path / name
        if config.is_file():
            parser = configparser.ConfigParser()
            parser.read(config)
            if parser.has_section("importlinter"):
                section = parser["importlinter"]
                roots = section.get("root_package") or section.get("root_packages", "")
                if roots.split():
                    return roots.split()[0]
    pyproject = path / "pyproject.toml"
    if pyproject.is_file():
        settings = tomllib.loads(pyproject.read_text()).get("tool", {}).get("importlinter", {})
        roots = settings.get("root_package") or settings.get("root_packages")
        if roots:
            return roots if isinstance(roots, str) else roots[0]
    sys.exit(f"error: no import-linter configuration with a root package in {path}")


def describe(path: Path) -> Project:
    root = root_package_of(path)
    base = path / "src" if (path / "src" / root).is_dir() else path
    if not (base / root).is_dir():
        sys.exit(f"error: package {root!r} not found in {path} or {path / 'src'}")
    files = lines = 0
    for py in path.rglob("*.py"):
        if any(part.startswith(".") or part in ("venv", "node_modules") for part in py.relative_to(path).parts):
            continue
        files += 1
        with py.open("rb") as handle:
            lines += sum(1 for _ in handle)
    modules = sum(1 for _ in (base / root).rglob("*.py"))
    return Project(path, root, base, files, lines, modules)


def file_to_touch(project: Project) -> Path:
    """A typical module of the root package: the middle one of its non-__init__ files."""
    candidates = sorted(p for p in (project.pythonpath / project.root_package).rglob("*.py") if p.name != "__init__.py")
    return candidates[len(candidates) // 2]


def find_tool(name: str, override: str | None) -> str:
    """The tool in this interpreter's bin directory (the same venv), unless overridden."""
    if override:
        return override
    candidate = Path(sys.executable).parent / name
    if candidate.is_file():
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    sys.exit(f"error: {name} not found next to {sys.executable}; pass --{name}")


# --- Report ------------------------------------------------------------------------------
def ratio(numerator: Series | None, denominator: Series | None) -> float | None:
    if numerator is None or denominator is None or not (numerator.ok and denominator.ok):
        return None
    return numerator.median / denominator.median


def print_table(
    project: Project, runs: int, series: list[Series], ratios: dict[str, dict[str, object]], touched: Path | None
) -> None:
    print(
        f"project: {project.path} (root package {project.root_package}: {project.modules} modules; "
        f"{project.files} .py files, {project.lines:,} lines)"
    )
    print(f"runs: median of {runs} after one warm-up run; {os.cpu_count()} CPUs")
    header = f"{'command':<44} {'median':>8} {'min':>8} {'max':>8} {'CPU':>8} {'peak RSS':>10}  exit"
    print(header)
    print("-" * len(header))
    for s in series:
        if not s.runs:
            print(f"{s.label:<44} {'FAILED':>8}")
            continue
        d = s.summary()
        rss = f"{d['peak_rss_mib']:.0f} MiB" if d["peak_rss_mib"] is not None else "?"
        codes = ",".join(str(c) for c in d["exit_codes"])  # type: ignore[union-attr]
        print(
            f"{s.label:<44} {d['median_s']:>7.2f}s {d['min_s']:>7.2f}s {d['max_s']:>7.2f}s "
            f"{d['median_cpu_s']:>7.2f}s {rss:>10}  {codes}{'  FAILED' if s.error else ''}"
        )
    if touched is not None:
        print(f"(touched file: {touched.relative_to(project.path)})")
    print()
    for r in ratios.values():
        value = r["ratio"]
        if value is None:
            print(f"{r['description']}: n/a (a command failed)")
        else:
            verdict = "OK" if r["met"] else "MISSED"
            print(f"{r['description']}: {value:.2f}  (target <= {r['target']})  {verdict}")
    for s in series:
        if s.error:
            print(f"\n{s.label} FAILED: {s.error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--modules",
        type=int,
        default=3400,
        help="size of the generated monorepo (default 3400; ignored with --project)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--project", type=Path, help="benchmark this existing project instead")
    parser.add_argument("--importcanon", help="importcanon executable (default: next to this Python)")
    parser.add_argument(
        "--lint-imports", dest="lint_imports", help="lint-imports executable (default: next to this Python)"
    )
    parser.add_argument("--no-touch", action="store_true", help="skip the incremental run that modifies one file")
    parser.add_argument("--json", action="store_true", help="print machine-readable results only")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    importcanon = find_tool("importcanon", args.importcanon)
    lint_imports = find_tool("lint-imports", args.lint_imports)
    if args.project is None:
        ensure_generated(DEFAULT_PROJECT, args.modules)
        path = DEFAULT_PROJECT
    else:
        path = args.project
    project = describe(path.resolve())
    target = str(project.path)
    log(f"benchmarking {project.path} ({project.modules} modules) ...")

    def remove_caches() -> None:
        remove_cache(project, LINT_CACHE)()
        remove_cache(project, CANON_CACHE)()

    li_cold, ic_cold = measure_interleaved(
        [
            ("lint-imports --no-cache (cold)", [lint_imports, "--no-cache"], LINT_SUMMARY),
            ("importcanon check --no-cache (cold)", [importcanon, "check", target, "--no-cache"], None),
        ],
        project,
        args.runs,
        prepare=remove_caches,
    )
    li_warm, ic_warm = measure_interleaved(
        [
            ("lint-imports (warm cache)", [lint_imports], LINT_SUMMARY),
            ("importcanon check (warm cache)", [importcanon, "check", target], None),
        ],
        project,
        args.runs,
        prepare=remove_caches,
    )
    series = [li_cold, li_warm, ic_cold, ic_warm]

    touched: Path | None = None
    if not args.no_touch and ic_warm.ok:
        touched = file_to_touch(project)
        original = touched.read_bytes()
        stat = touched.stat()

        def touch(i: int) -> None:
            touched.write_bytes(original + f"# benchmark edit {i}\n".encode())

        try:
            series.append(
                measure(
                    "importcanon check (1 file changed)",
                    [importcanon, "check", target],
                    project,
                    args.runs,
                    before_each=touch,
                )
            )
        finally:
            touched.write_bytes(original)
            os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    ratios: dict[str, dict[str, object]] = {}
    for name, num, den, goal, text in (
        ("cold", ic_cold, li_cold, COLD_TARGET, "importcanon cold / lint-imports cold"),
        ("warm", ic_warm, li_warm, WARM_TARGET, "importcanon warm / lint-imports warm"),
    ):
        value = ratio(num, den)
        ratios[name] = {"description": text, "ratio": value, "target": goal, "met": value is not None and value <= goal}

    if args.json:
        print(
            json.dumps(
                {
                    "project": {
                        "path": str(project.path),
                        "root_package": project.root_package,
                        "modules": project.modules,
                        "files": project.files,
                        "lines": project.lines,
                    },
                    "runs": args.runs,
                    "cpus": os.cpu_count(),
                    "touched_file": str(touched) if touched else None,
                    "results": [s.summary() for s in series],
                    "ratios": ratios,
                },
                indent=2,
            )
        )
    else:
        print_table(project, args.runs, series, ratios, touched)

    if any(s.error for s in series):
        return 2
    return 0 if all(r["met"] for r in ratios.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
