"""The command line: thin wiring from arguments to the application and back to a report.

Exit codes: 0 nothing new, 1 new findings (or a query answered "no"), 2 a usage, configuration
or internal error, always with a message naming the file and line at fault, never a traceback
unless ``--debug`` asks for one.

Start-up is paid by every run, so: what only one command uses (its report, a query's rendering,
the ratchet) is imported inside that command; and there is no ``from __future__ import
annotations`` here: typer reads every command's annotations on every run, and annotations kept as
strings it must evaluate, twice each, which cost more than the whole rest of building the commands.
"""

import atexit
import copy
import gc
import io
import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from typer.models import CommandInfo

from importcanon import __version__
from importcanon.adapters.baseline_store import history_path, locked, read_baseline, read_history, write_baseline
from importcanon.adapters.configuration import read_contracts
from importcanon.adapters.files import is_standard_output, is_within, write_output
from importcanon.adapters.reporting.formats import FORMATS, ReportContext, render
from importcanon.adapters.reporting.progress import CheckProgress
from importcanon.adapters.reporting.text_report import location, plural, summary_line
from importcanon.adapters.suppression_comments import read_suppressions
from importcanon.adapters.workspace import Workspace, open_workspace, project_root
from importcanon.application.analyses.stale_contracts import live_cycle_contract
from importcanon.application.check import ANALYSIS_STEPS, CheckResult, contract_names, run_check, unseen_entries
from importcanon.application.cycles import cycle_scope, project_cycles
from importcanon.application.symbols import Resolver
from importcanon.application.where import where as where_symbol
from importcanon.domain.baseline import (
    Baseline,
    BaselineDiff,
    baseline_of,
    never_recorded,
    restored,
    tallies,
    updated,
)
from importcanon.domain.errors import ImportcanonError, UsageError
from importcanon.domain.findings import Finding
from importcanon.domain.rules import RULES

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    help="Import-graph architecture contracts for Python, checked statically in one pass.",
    no_args_is_help=True,
    context_settings=HELP_OPTIONS,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
baseline_app = typer.Typer(
    help="Record the known violations, and ratchet them down as they are fixed.",
    no_args_is_help=True,
    context_settings=HELP_OPTIONS,
    rich_markup_mode=None,
)
app.add_typer(baseline_app, name="baseline", short_help="Record known violations; ratchet them down.")


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


class CheckFormat(str, Enum):  # the names of reporting.formats.FORMATS
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"
    gitlab = "gitlab"
    markdown = "markdown"


class CyclesFormat(str, Enum):
    text = "text"
    json = "json"
    mermaid = "mermaid"


class TrendFormat(str, Enum):
    text = "text"
    json = "json"
    svg = "svg"


ProjectDir = Annotated[
    Path | None,
    typer.Argument(
        help="The project: the directory holding its packages (or src/) and contracts/ "
        "[default: the nearest directory with configuration, from here up to the repository root].",
        show_default=False,
    ),
]
ConfigFile = Annotated[
    Path | None,
    typer.Option("--config", help="The import-linter configuration to use [default: as lint-imports finds it]."),
]
CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir", help="Where to keep per-file facts between runs [default: PROJECT_DIR/.importcanon_cache]."
    ),
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Scan everything afresh and write no cache.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")]
BaselineFile = Annotated[
    Path | None,
    typer.Option("--baseline", help="The baseline file [default: [settings] baseline, else contracts/baseline.json]."),
]
Format = Annotated[ReportFormat, typer.Option("--format", "-f", help="text or json.")]
OutputFile = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]
ProjectPlugins = Annotated[
    bool,
    typer.Option(
        "--allow-project-plugins",
        help="Let import-linter contract_types come from the project or the current directory, which runs "
        "their code [default: only from installed packages].",
    ),
]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"importcanon {__version__}")
        raise typer.Exit()


@app.callback()
def importcanon(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Import-graph architecture contracts for Python, checked statically in one pass."""


@app.command(short_help="Check every contract; fail on what is new.")
def check(
    project_dir: ProjectDir = None,
    format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help=f"The report on stdout (or --output): {', '.join(FORMATS)}.")
    ] = CheckFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file and print only the summary.")
    ] = None,
    output_format: Annotated[
        list[str] | None,
        typer.Option(
            "--output-format",
            metavar="FORMAT=FILE",
            help="Also write a report in FORMAT to FILE, from the same scan (repeatable).",
        ),
    ] = None,
    show_baselined: Annotated[
        bool, typer.Option("--show-baselined", help="List the baselined findings too, not just their counts.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the new findings and the summary.")] = False,
    no_suppressions: Annotated[
        bool, typer.Option("--no-suppressions", help="Ignore `# importcanon: ignore[...]` comments: show everything.")
    ] = False,
    baseline: BaselineFile = None,
    no_baseline: Annotated[
        bool, typer.Option("--no-baseline", help="Ignore the baseline: every finding is new.")
    ] = False,
    fail_on_stale: Annotated[
        bool, typer.Option("--fail-on-stale", help="Also fail when the baseline records violations that are fixed.")
    ] = False,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    allow_project_plugins: ProjectPlugins = False,
    debug: Debug = False,
) -> None:
    """Check every contract of the project and report what is new.

    Exits 0 when nothing is new, 1 when there are new findings (or, with --fail-on-stale, fixed
    ones still in the baseline), 2 on an error.
    """

    def run() -> int:
        started = time.perf_counter()
        extra = _report_files(output_format or [])
        with CheckProgress(sys.stderr, steps=1 + ANALYSIS_STEPS) as progress:
            progress.step("scanning the sources")
            workspace = _open(
                project_dir, cache_dir, no_cache, allow_project_plugins, config=config, require_contracts=True
            )
            known = None if no_baseline else read_baseline(*_baseline_location(workspace, baseline))
            scanned = plural(len(workspace.project.modules), "file")

            def analysing(step: str) -> None:
                progress.step(f"{step}, {scanned} scanned")

            result = _check(workspace, known, suppress=not no_suppressions, progress=analysing, records_imports=False)
        context = ReportContext(
            result,
            workspace.project.root,
            elapsed=time.perf_counter() - started,
            contracts=contract_names(workspace.import_linter),
            prefix=_prefix(workspace.project.root),
            quiet=quiet,
            show_baselined=show_baselined,
            fail_on_stale=fail_on_stale,
        )
        for name, path in extra:
            write_output(path, render(name, context), shown=str(path))
        if output is not None:
            write_output(output, render(format.value, context), shown=str(output))
            if str(output) != "-":
                typer.echo(summary_line(result, context.elapsed))
        elif format.value == "text":
            _print_text(render("text", context))
        else:
            sys.stdout.write(render(format.value, context))
        _leave_to_the_system(workspace, result)
        return 1 if result.has_new or (fail_on_stale and result.fixed) else 0

    raise typer.Exit(guarded(run, debug))


@app.command(short_help="Where a name lives and what each binding is.")
def where(
    symbol: Annotated[str, typer.Argument(help="The name to look for, such as SessionManager.")],
    project_dir: ProjectDir = None,
    format: Format = ReportFormat.text,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    debug: Debug = False,
) -> None:
    """Show where a name lives: its canonical home and every module that defines, aliases or
    re-exports it, with what each binding really resolves to.

    Exits 0 when the name is bound somewhere, 1 when it is not.
    """

    def answer(workspace: Workspace) -> tuple[str, int]:
        from importcanon.adapters.reporting.queries import render_where

        report = where_symbol(Resolver(workspace.project), workspace.contracts, symbol)
        return render_where(report, format.value), 0 if report.bindings else 1

    raise typer.Exit(_answer(project_dir, cache_dir, no_cache, debug, answer, config=config))


@app.command(short_help="The import chains from one module to another.")
def why(
    importer: Annotated[str, typer.Argument(help="The module or package that does the importing.")],
    imported: Annotated[str, typer.Argument(help="The module or package it reaches.")],
    project_dir: ProjectDir = None,
    max_chains: Annotated[int, typer.Option("--max", min=1, help="How many chains to show, shortest first.")] = 3,
    format: Format = ReportFormat.text,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    debug: Debug = False,
) -> None:
    """Show why IMPORTER depends on IMPORTED: the shortest import chains, every hop with its
    path:line, its kind (module, deferred, type-checking, guarded) and the statement.

    Exits 0 when a chain exists, 1 when none does.
    """

    def answer(workspace: Workspace) -> tuple[str, int]:
        from importcanon.adapters.reporting.queries import render_why
        from importcanon.application.queries import why as why_chains

        chains = why_chains(workspace.project, importer, imported, max_chains + 1)  # one more: are there more?
        truncated = len(chains) > max_chains
        report = render_why(importer, imported, chains[:max_chains], format.value, truncated=truncated)
        return report, 0 if chains else 1

    raise typer.Exit(_answer(project_dir, cache_dir, no_cache, debug, answer, config=config))


@app.command("can-import", short_help="Would a new import pass every contract?")
def can_import(
    importer: Annotated[str, typer.Argument(help="The module that would import (it may not exist yet).")],
    imported: Annotated[str, typer.Argument(help="The module it would import.")],
    project_dir: ProjectDir = None,
    format: Format = ReportFormat.text,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    allow_project_plugins: ProjectPlugins = False,
    debug: Debug = False,
) -> None:
    """Ask whether a new module-level import IMPORTER -> IMPORTED would be accepted by every
    contract: import-linter's, the legacy packages and the cycle contract; a note when IMPORTED
    also offers a contracted object whose canonical home is elsewhere.

    Exits 0 when it would be, 1 when some contract objects.
    """

    def answer(workspace: Workspace) -> tuple[str, int]:
        from importcanon.adapters.reporting.queries import render_can_import
        from importcanon.application.queries import can_import as may_import

        project = workspace.project
        contracts = workspace.contracts
        verdict = may_import(project, Resolver(project), workspace.import_linter, contracts, importer, imported)
        return render_can_import(importer, imported, verdict, format.value), 1 if verdict.objections else 0

    raise typer.Exit(_answer(project_dir, cache_dir, no_cache, debug, answer, allow_project_plugins, config=config))


@app.command(short_help="What the contracts say about a module.")
def explain(
    module: Annotated[str, typer.Argument(help="The module or package to explain.")],
    project_dir: ProjectDir = None,
    format: Format = ReportFormat.text,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    debug: Debug = False,
) -> None:
    """Explain what the contracts say about a module: its layer and what it may import, every
    contract that mentions it, the symbols it is the home of, whether it is legacy or a shim, the
    cycles it is on, and how many modules import it and it imports."""

    def answer(workspace: Workspace) -> tuple[str, int]:
        from importcanon.adapters.reporting.queries import render_explain
        from importcanon.application.queries import explain as explain_module

        project = workspace.project
        explanation = explain_module(project, Resolver(project), workspace.import_linter, workspace.contracts, module)
        return render_explain(explanation, format.value), 0

    raise typer.Exit(_answer(project_dir, cache_dir, no_cache, debug, answer, config=config))


@app.command(short_help="Import cycles and the imports that break them.")
def cycles(
    project_dir: ProjectDir = None,
    package: Annotated[
        list[str] | None,
        typer.Option(
            "--package",
            "-p",
            help="Analyse the cycles inside this package (repeatable) [default: the [cycles] contract's "
            "packages, else every root package].",
        ),
    ] = None,
    import_time_only: Annotated[
        bool, typer.Option("--import-time-only", help="Only imports that run unconditionally at module level.")
    ] = False,
    format: Annotated[
        CyclesFormat,
        typer.Option("--format", "-f", help="text, json, or a mermaid flowchart with the break set highlighted."),
    ] = CyclesFormat.text,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    debug: Debug = False,
) -> None:
    """Show the import cycles of a package: each tangled component, the few imports whose removal
    makes it acyclic, and a representative cycle through each of them.

    Exits 0 when there is no cycle, 1 when there is one.
    """

    def answer(workspace: Workspace) -> tuple[str, int]:
        from importcanon.adapters.reporting.cycles_report import render_cycles

        project = workspace.project
        scope = cycle_scope(project, live_cycle_contract(project, workspace.contracts.cycles), package or ())
        components = project_cycles(
            project,
            scope.packages,
            exclude_type_checking=scope.exclude_type_checking,
            import_time_only=import_time_only,
        )
        return render_cycles(project, components, format.value), 1 if components else 0

    raise typer.Exit(_answer(project_dir, cache_dir, no_cache, debug, answer, config=config))


@app.command(short_help="Rewrite legacy and non-canonical imports; refuse what could change behaviour.")
def fix(
    project_dir: ProjectDir = None,
    rule: Annotated[
        list[str] | None,
        typer.Option(
            "--rule",
            help="Only this rule (repeatable): legacy-import, non-canonical-import, deprecated-usage "
            "[default: all three].",
        ),
    ] = None,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff and write nothing.")] = False,
    check_only: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 when anything would change (for CI).")
    ] = False,
    delete_dead_shims: Annotated[
        bool, typer.Option("--delete-dead-shims", help="Also delete shim modules that nothing imports any more.")
    ] = False,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    debug: Debug = False,
) -> None:
    """Carry out the mechanical part of a migration: rewrite each legacy-import and
    non-canonical-import (and deprecated-usage of a drop_in = true replacement) to the import the
    finding suggests, keeping formatting and comments. An edit that could change behaviour is
    refused and listed with its reason: a different object, a new import cycle, a broken
    import-linter contract, a file that does not parse.

    Exits 0 when done (or nothing to do), 1 with --check when anything would change, 2 on an error.
    """

    def run() -> int:
        # libcst takes half a second to import: only fix pays for it, never --help or check.
        from importcanon.adapters.reporting.fix_report import render_diff, render_fix
        from importcanon.adapters.rewriting import LibcstEditor, write_changes
        from importcanon.application.fixing import fix_project

        started = time.perf_counter()
        workspace = _open(project_dir, cache_dir, no_cache, config=config, require_contracts=True)
        project = workspace.project
        result = fix_project(
            project,
            workspace.import_linter,
            workspace.contracts,
            LibcstEditor(project.root),
            rule or (),
            delete_dead_shims,
        )
        workspace.close()
        mode = "diff" if diff else "check" if check_only else "write"
        unwritten: list[tuple[str, str]] = []
        if mode == "write":
            packages = [path for path in map(project.path_of, project.root_packages) if path]
            unwritten = write_changes(project.root, [p.removesuffix("/__init__.py") for p in packages], result.changes)
        else:
            sys.stdout.write(render_diff(result) if diff else "")
        report = render_fix(result, mode, unwritten, time.perf_counter() - started)
        typer.echo(report, nl=False, err=diff)
        return 1 if (check_only and result.changes) or unwritten else 0

    raise typer.Exit(guarded(run, debug))


@baseline_app.command("create", short_help="Record every current finding as known.")
def baseline_create(
    project_dir: ProjectDir = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing baseline.")] = False,
    baseline: BaselineFile = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    allow_project_plugins: ProjectPlugins = False,
    debug: Debug = False,
) -> None:
    """Record every current finding as known, so that check fails only on new ones."""

    def run() -> int:
        from importcanon.application.ratchet import snapshot

        workspace = _open(
            project_dir, cache_dir, no_cache, allow_project_plugins, config=config, require_contracts=True
        )
        path, shown, base = _writable_baseline(workspace, baseline)
        with locked(path, shown, base=base) as folder:
            if path.exists() and not force:
                raise UsageError(
                    f"{shown} already exists: use --force to overwrite it, or `importcanon baseline update` "
                    "to ratchet it down"
                )
            result = _check(workspace, None)
            recorded = baseline_of(result.findings, result.cycle_imports)
            write_baseline(folder, path, recorded, snapshot(recorded, result))
        entries = plural(len(recorded.entries), "entry", "entries")
        typer.echo(f"wrote {shown}: {plural(recorded.total, 'known violation')} in {entries}")
        _echo_never_recorded(result.findings)
        _leave_to_the_system(workspace, result)
        return 0

    raise typer.Exit(guarded(run, debug))


@baseline_app.command("update", short_help="Drop fixed violations; refuse new ones.")
def baseline_update(
    project_dir: ProjectDir = None,
    allow_growth: Annotated[
        bool, typer.Option("--allow-growth", help="Also record new violations (on purpose: the known set grows).")
    ] = False,
    baseline: BaselineFile = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    allow_project_plugins: ProjectPlugins = False,
    debug: Debug = False,
) -> None:
    """Drop the fixed violations from the baseline; refuse to add new ones unless --allow-growth.

    Exits 1, listing the new findings and leaving the file untouched, when it refuses.
    """

    def run() -> int:
        from importcanon.application.ratchet import snapshot

        workspace = _open(
            project_dir, cache_dir, no_cache, allow_project_plugins, config=config, require_contracts=True
        )
        path, shown, base = _writable_baseline(workspace, baseline)
        with locked(path, shown, base=base) as folder:
            known = read_baseline(path, shown)
            if known is None:
                raise UsageError(f"there is no baseline at {shown}: run `importcanon baseline create` first")
            result = _check(workspace, known)
            recorded, refused = updated(
                known, result.findings, allow_growth=allow_growth, cycle_imports=result.cycle_imports
            )
            recorded = restored(known, recorded, unseen_entries(workspace.contracts, result.unseen_rules))
            if refused:
                typer.echo(f"refusing to add {plural(len(refused), 'new finding')} to {shown} (use --allow-growth):")
                for finding in refused:
                    typer.echo(f"  {location(finding)}: {finding.rule} {finding.headline}")
                return 1
            write_baseline(folder, path, recorded, snapshot(recorded, result))
        change = known.total - recorded.total
        typer.echo(f"updated {shown}: {plural(recorded.total, 'known violation')} ({-change:+d})")
        _echo_never_recorded(result.findings)
        _leave_to_the_system(workspace, result)
        return 0

    raise typer.Exit(guarded(run, debug))


def _echo_never_recorded(findings: list[Finding]) -> None:
    """Say which findings the baseline cannot hold (mistakes in the contracts), so that a green
    ``baseline`` command is not followed by a puzzling red ``check``."""
    unrecorded = never_recorded(findings)
    if unrecorded:
        count = plural(len(unrecorded), "finding")
        typer.echo(f"not recorded, never baselined (check fails until they are fixed): {count}")
        for finding in unrecorded:
            typer.echo(f"  {location(finding)}: {finding.rule} {finding.headline}")


@baseline_app.command("show", short_help="Known violations per rule and contract.")
def baseline_show(
    project_dir: ProjectDir = None,
    format: Format = ReportFormat.text,
    baseline: BaselineFile = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    allow_project_plugins: ProjectPlugins = False,
    debug: Debug = False,
) -> None:
    """Count the known violations per rule and per contract: recorded, found now, new, fixed."""

    def run() -> int:
        from importcanon.adapters.reporting.baseline_report import render_baseline_show

        workspace = _open(
            project_dir, cache_dir, no_cache, allow_project_plugins, config=config, require_contracts=True
        )
        path, shown = _baseline_location(workspace, baseline)
        known = read_baseline(path, shown) or Baseline()
        result = _check(workspace, known)
        by_rule, by_contract = tallies(known, BaselineDiff(result.findings, result.fixed))
        sys.stdout.write(render_baseline_show(shown, by_rule, by_contract, format.value))
        _leave_to_the_system(workspace, result)
        return 0

    raise typer.Exit(guarded(run, debug))


@app.command(short_help="The migration's progress over time.")
def trend(
    project_dir: ProjectDir = None,
    format: Annotated[
        TrendFormat, typer.Option("--format", "-f", help="text, json, or an svg chart.")
    ] = TrendFormat.text,
    output: OutputFile = None,
    baseline: BaselineFile = None,
    debug: Debug = False,
) -> None:
    """Show the migration's progress: the snapshots that every baseline create and update record."""

    def run() -> int:
        from importcanon.adapters.reporting.trend_report import render_trend  # only trend draws charts

        root = project_root(project_dir)
        path, _ = _baseline_path(root, read_contracts(root).settings.baseline, baseline)
        history = history_path(path)
        _emit(render_trend(read_history(history, _shown(root, history)), format.value), output)
        return 0

    raise typer.Exit(guarded(run, debug))


class GraphFormat(str, Enum):
    dot = "dot"
    mermaid = "mermaid"
    html = "html"


@app.command(short_help="Draw the import graph, collapsed to packages.")
def graph(
    project_dir: ProjectDir = None,
    package: Annotated[
        str | None,
        typer.Option("--package", "-p", help="Draw only this package's modules [default: every root package]."),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth",
            min=1,
            help="Collapse modules to packages this many levels below the root "
            "[default: the deepest level that stays readable].",
        ),
    ] = None,
    format: Annotated[
        GraphFormat, typer.Option("--format", "-f", help="dot (Graphviz), mermaid, or a self-contained html explorer.")
    ] = GraphFormat.dot,
    output: OutputFile = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    debug: Debug = False,
) -> None:
    """Draw the import graph collapsed to packages: layers as ranks, edges that break a contract
    in red with their count, import cycles outlined, legacy packages and shims marked."""

    def run() -> int:
        from importcanon.adapters.reporting.graph_html import render_graph_html
        from importcanon.adapters.reporting.graph_report import fitting_mermaid, render_dot
        from importcanon.application.package_graph import cyclic_modules, module_marks, package_graph

        workspace = _open(project_dir, cache_dir, no_cache, config=config, require_contracts=False)
        result = _check(workspace, None)
        project = workspace.project
        marks = module_marks(workspace.import_linter, workspace.contracts, result.findings, cyclic_modules(project))
        drawn = package_graph(project, marks, package=package, depth=depth)
        if format is GraphFormat.html:
            text = render_graph_html(project, marks, drawn.scope, f"{package or project.root.name}: import graph")
        elif format is GraphFormat.mermaid:
            text, note = fitting_mermaid(
                lambda level: package_graph(project, marks, package=package, depth=level), drawn.scope.depth
            )
            if note:
                typer.echo(f"importcanon: warning: {note}", err=True)
        else:
            text = render_dot(drawn)
        _emit(text, output)
        return 0

    raise typer.Exit(guarded(run, debug))


@app.command(short_help="One HTML page to follow the migration.")
def report(
    project_dir: ProjectDir = None,
    html: Annotated[Path, typer.Option("--html", help="Write the self-contained HTML report to this file.")] = Path(
        "importcanon-report.html"
    ),
    baseline: BaselineFile = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    config: ConfigFile = None,
    debug: Debug = False,
) -> None:
    """Write one self-contained HTML page: the summary, every finding (filterable), each symbol's
    fragmentation, the cycles with their break sets, the contracts and the migration's trend."""

    def run() -> int:
        from importcanon.adapters.reporting.report_html import render_report_html

        workspace = _open(project_dir, cache_dir, no_cache, config=config, require_contracts=False)
        path, shown = _baseline_location(workspace, baseline)
        result = _check(workspace, read_baseline(path, shown))
        project = workspace.project
        components = []  # like check, the report analyses cycles where a [cycles] contract asks for it
        cycles = live_cycle_contract(project, workspace.contracts.cycles)  # stale packages are findings
        if cycles is not None:
            scope = cycle_scope(project, cycles)
            components = project_cycles(project, scope.packages, exclude_type_checking=scope.exclude_type_checking)
        history = read_history(history_path(path), shown + " history")
        page = render_report_html(
            title=f"{project.root.name}: importcanon report",
            project=project,
            result=result,
            import_linter=workspace.import_linter,
            contracts=workspace.contracts,
            components=components,
            history=history,
        )
        write_output(html, page, shown=str(html))
        if not is_standard_output(html):  # ``--html -``: the page alone, as a pipe needs it
            typer.echo(f"wrote {html}; {summary_line(result)}")
        return 0

    raise typer.Exit(guarded(run, debug))


def _emit(text: str, output: Path | None) -> None:
    """Standard output, or the file (or ``-``, or a device) the user named, said as ``report`` says it."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text, shown=str(output))
        if not is_standard_output(output):
            typer.echo(f"wrote {output}")


@app.command("rules", short_help="Every rule id with what it means.")
def rules(format: Format = ReportFormat.text) -> None:
    """List every rule id importcanon reports, with a one-line summary: the ids that [settings]
    select, ignore and per_path_ignores take."""
    if format is ReportFormat.json:
        listed = [
            {"id": rule.id, "summary": rule.summary, "help": rule.help, "baselinable": rule.baselinable}
            for rule in RULES.values()
        ]
        sys.stdout.write(json.dumps({"rules": listed}, indent=2) + "\n")
        return
    width = max(len(rule_id) for rule_id in RULES)
    for rule in RULES.values():
        never = " (never baselined)" if not rule.baselinable else ""
        typer.echo(f"{rule.id:<{width}}  {rule.summary}{never}")


# Shared wiring -------------------------------------------------------------------------------------


def _open(
    project_dir: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    allow_project_plugins: bool = False,
    *,
    config: Path | None,
    require_contracts: bool,
) -> Workspace:
    workspace = open_workspace(
        project_dir, cache_dir=cache_dir, use_cache=not no_cache, config=config, require_contracts=require_contracts
    )
    if allow_project_plugins and workspace.import_linter is not None:
        workspace.import_linter = workspace.import_linter._replace(allow_project_plugins=True)
    return workspace


def _answer(
    project_dir: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    debug: bool,
    answer: Callable[[Workspace], tuple[str, int]],
    allow_project_plugins: bool = False,
    config: Path | None = None,
) -> int:
    """A query command: open the project, answer, print, keep what was learnt; the exit code."""

    def run() -> int:
        workspace = _open(
            project_dir, cache_dir, no_cache, allow_project_plugins, config=config, require_contracts=False
        )
        text, code = answer(workspace)
        workspace.close()
        for warning in workspace.project.scan_warnings():  # what the answer may be missing
            typer.echo(f"importcanon: warning: {warning}", err=True)
        sys.stdout.write(text)
        _leave_to_the_system(workspace)
        return code

    return guarded(run, debug)


def check_project(project_dir: Path) -> tuple[Workspace, CheckResult]:
    """A check as ``importcanon check PROJECT_DIR`` runs it (configured baseline, suppressions,
    cache), for the other front ends: the pytest plugin."""
    workspace = _open(project_dir, None, False, config=None, require_contracts=True)
    return workspace, _check(workspace, read_baseline(*_baseline_location(workspace, None)))


def _check(
    workspace: Workspace,
    known: Baseline | None,
    *,
    suppress: bool = True,
    progress: Callable[[str], None] = lambda step: None,
    records_imports: bool = True,
) -> CheckResult:
    suppressions = read_suppressions(workspace.project) if suppress else None
    result = run_check(
        workspace.project,
        workspace.import_linter,
        workspace.contracts,
        known,
        suppressions,
        progress=progress,
        records_imports=records_imports,
    )
    workspace.close()
    if workspace.packages_from == "discovered":
        packages = ", ".join(workspace.project.root_packages)
        result.warnings.insert(0, f"no root packages are configured, so those found were checked: {packages}")
    return result


def _report_files(specs: list[str]) -> list[tuple[str, Path]]:
    """``--output-format FORMAT=FILE`` values, checked before any scan starts."""
    files = []
    for spec in specs:
        name, equals, path = spec.partition("=")
        if not equals or name not in FORMATS or not path:
            raise UsageError(f"--output-format {spec!r}: expected FORMAT=FILE with FORMAT one of {', '.join(FORMATS)}")
        files.append((name, Path(path)))
    return files


def _prefix(root: Path) -> str:
    """The project directory relative to the working directory, where CI resolves annotation
    paths: ``""`` when they are the same or the project lies elsewhere."""
    try:
        relative = root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return ""
    return "" if relative == "." else relative + "/"


def _print_text(report: str) -> None:
    """Plain text unless standard output is a terminal and NO_COLOR is unset; then rich colours it."""
    if os.environ.get("NO_COLOR") or not sys.stdout.isatty():
        sys.stdout.write(report)
        return
    from importcanon.adapters.reporting.colour import print_coloured

    print_coloured(report)


def _baseline_location(workspace: Workspace, option: Path | None) -> tuple[Path, str]:
    return _baseline_path(workspace.project.root, workspace.contracts.settings.baseline, option)


def _writable_baseline(workspace: Workspace, option: Path | None) -> tuple[Path, str, Path | None]:
    """The baseline to write, its name for messages, and the base below which no link is followed.

    The configuration is the repository's to choose, so a configured baseline outside the project
    is written only when the user names it on the command line.
    """
    root = workspace.project.root
    path, shown = _baseline_location(workspace, option)
    if is_within(path, root):
        return path, shown, root
    if option is None:
        raise UsageError(
            f"the configured baseline {path} is outside the project: importcanon writes there only when "
            "it is named on the command line (--baseline)"
        )
    return path, shown, None


def _baseline_path(root: Path, configured: str, option: Path | None) -> tuple[Path, str]:
    """Absolute, with ``..`` folded but links kept: a link must be seen, not resolved away."""
    path = Path(os.path.abspath(option if option is not None else root / configured))
    return path, _shown(root, path)


def _shown(root: Path, path: Path) -> str:
    """A path as the user thinks of it: relative to the project when it is inside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def guarded(action: Callable[[], int], debug: bool) -> int:
    """Run a command body, turning every failure into a one-line message and exit code 2."""
    try:
        code = action()
        sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
        return code
    except ImportcanonError as error:
        typer.echo(f"importcanon: error: {error}", err=True)
    except BrokenPipeError:
        _discard_standard_output()
        typer.echo("importcanon: error: standard output was closed before the report was written", err=True)
    except KeyboardInterrupt:
        typer.echo("importcanon: interrupted", err=True)
    except Exception as error:  # the promise is: never a bare traceback
        if debug:
            traceback.print_exc()
        else:
            typer.echo(
                f"importcanon: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)",
                err=True,
            )
    return 2


def main() -> None:
    """The console entry point.

    The collector is switched off for the run: a run allocates millions of small objects (syntax
    trees, import facts) that live until it ends and hold no reference cycles, and every
    collection walks all of them again, which made parsing several times slower. What start-up
    allocated is frozen out of the collector's view first; a run is one short process.

    A closed standard output ends the run at once with a message; one that cannot encode a name
    (``PYTHONIOENCODING=ascii``) gets it escaped.
    """
    gc.freeze()
    gc.disable()
    if sys.stdout is None:
        if sys.stderr is not None:
            sys.stderr.write("importcanon: error: standard output is closed: redirect it, to /dev/null to discard it\n")
        raise SystemExit(2)
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a name still gets it, escaped
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    _command_line(sys.argv[1:])()


def _command_line(arguments: list[str]) -> typer.Typer:
    """The application as far as this command line needs it: one that names a command (or the
    ``baseline`` group) first gets that alone, the same to its user (its options, help and errors
    name no other). typer turns the signature of every command it holds into options on every
    run, 4 ms of a check's start-up for all fourteen; any other command line (the help, the
    version, a typo) gets them all."""
    if not arguments:
        return app
    commands = [info for info in app.registered_commands if _command_name(info) == arguments[0]]
    groups = [info for info in app.registered_groups if info.name == arguments[0]]
    if not commands and not groups:
        return app
    alone = copy.copy(app)
    alone.registered_commands, alone.registered_groups = commands, groups
    return alone


def _command_name(info: CommandInfo) -> str:
    """A command's name as typer gives it: the one declared, else its function's, dashed."""
    return info.name or typer.main.get_command_name(getattr(info.callback, "__name__", ""))


def console() -> None:
    """The ``importcanon`` command and ``python -m importcanon``: ``main``, then the process ends.

    At once: Python's own exit would tear down every module and free, one object at a time, what
    the run keeps in module-level memory (14 ms of a cold check of django, 45 ms of home-assistant,
    7 ms of ``--help``); the operating system takes it all back in one go. What a normal exit does
    that anyone could see is done first: the atexit handlers run and standard output and error are
    flushed. An exit code that is not a number, a thread still running or an output that cannot be
    flushed takes Python's normal exit instead. ``main`` itself ends with ``SystemExit``, for a
    caller in the same process.

    The memory of the run itself is left to the operating system too (see ``_leave_to_the_system``).
    """
    global _left_to_the_system
    _left_to_the_system = []
    try:
        main()
    except SystemExit as ending:
        code = ending.code
        if (code is None or isinstance(code, int)) and not _running_threads():
            atexit._run_exitfuncs()
            if _flushed(sys.stdout, sys.stderr):
                os._exit(code or 0)
        raise


#: What a run has finished with (the project, the findings), kept alive so that it is never freed
#: object by object (15 ms at the end of a cold check of django, 55 of sympy, 115 of home-assistant;
#: as much after a query or a baseline command), when ``console`` is about to end the process at
#: once; None, to free as usual, for a caller in the same process.
_left_to_the_system: list[object] | None = None


def _leave_to_the_system(*finished: object) -> None:
    if _left_to_the_system is not None:
        _left_to_the_system.extend(finished)


def _running_threads() -> bool:
    """Whether a thread other than this one is alive and not a daemon: Python would wait for it."""
    main_thread = threading.main_thread()
    return any(thread is not main_thread and not thread.daemon for thread in threading.enumerate())


def _flushed(*streams: TextIO | None) -> bool:
    for stream in streams:
        try:
            if stream is not None:
                stream.flush()
        except Exception:  # a closed pipe, a closed or odd stream: Python's own exit says what went wrong
            return False
    return True


def _discard_standard_output() -> None:
    """Point the closed standard output at /dev/null, so that nothing fails again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
