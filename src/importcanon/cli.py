"""The command line: thin wiring from arguments to the application and back to a report.

Exit codes: 0 nothing new, 1 new findings (or a query answered "no"), 2 a usage, configuration
or internal error, always with a message naming the file and line at fault, never a traceback
unless ``--debug`` asks for one.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from importcanon.adapters.files import write_atomically
from importcanon.adapters.reporting.cycles_report import render_cycles
from importcanon.adapters.reporting.json_report import render_json
from importcanon.adapters.reporting.queries import render_where
from importcanon.adapters.reporting.text_report import render_text
from importcanon.adapters.workspace import open_workspace
from importcanon.application.check import run_check
from importcanon.application.cycles import project_cycles
from importcanon.application.queries import where as where_symbol
from importcanon.application.symbols import Resolver
from importcanon.domain.errors import ImportcanonError, UsageError

app = typer.Typer(
    help="Import-graph architecture contracts for Python, checked statically in one pass.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)



@app.callback()
def importcanon() -> None:
    """Import-graph architecture contracts for Python, checked statically in one pass."""


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


ProjectDir = Annotated[
    Path,
    typer.Argument(help="The project to check: the directory holding its packages (or src/) and contracts/."),
]
CacheDir = Annotated[
    Path | None,
    typer.Option("--cache-dir", help="Where to keep per-file facts between runs [default: PROJECT_DIR/.importcanon_cache]."),
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Scan everything afresh and write no cache.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")]


@app.command()
def check(
    project_dir: ProjectDir = Path("."),
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="How to print the report.")] = ReportFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    debug: Debug = False,
) -> None:
    """Check every contract of the project and report what is new.

    Exits 0 when nothing is new, 1 when there are new findings, 2 on an error.
    """

    def run() -> int:
        started = time.perf_counter()
        workspace = open_workspace(project_dir, cache_dir=cache_dir, use_cache=not no_cache)
        result = run_check(workspace.project, workspace.import_linter, workspace.contracts)
        workspace.close()
        elapsed = time.perf_counter() - started
        report = render_json(result) if format is ReportFormat.json else render_text(result, elapsed)
        if output is None:
            sys.stdout.write(report)
        else:
            write_atomically(output, report)
            typer.echo(render_text(result, elapsed).splitlines()[-1])
        return 1 if result.has_new else 0

    raise typer.Exit(guarded(run, debug))


@app.command()
def where(
    symbol: Annotated[str, typer.Argument(help="The name to look for, such as SessionManager.")],
    project_dir: ProjectDir = Path("."),
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="How to print the answer.")] = ReportFormat.text,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    debug: Debug = False,
) -> None:
    """Show where a name lives: its canonical home and every module that defines, aliases or
    re-exports it, with what each binding really resolves to.

    Exits 0 when the name is bound somewhere, 1 when it is not.
    """

    def run() -> int:
        workspace = open_workspace(project_dir, cache_dir=cache_dir, use_cache=not no_cache)
        report = where_symbol(Resolver(workspace.project), workspace.contracts, symbol)
        workspace.close()
        sys.stdout.write(render_where(report, format.value))
        return 0 if report.bindings else 1

    raise typer.Exit(guarded(run, debug))


class CyclesFormat(str, Enum):
    text = "text"
    json = "json"
    mermaid = "mermaid"


@app.command()
def cycles(
    project_dir: ProjectDir = Path("."),
    package: Annotated[
        list[str] | None,
        typer.Option("--package", "-p", help="Analyse the cycles inside this package (repeatable) [default: the [cycles] contract's packages, else every root package]."),
    ] = None,
    import_time_only: Annotated[
        bool, typer.Option("--import-time-only", help="Only imports that run unconditionally at module level.")
    ] = False,
    format: Annotated[
        CyclesFormat, typer.Option("--format", "-f", help="text, json, or a mermaid flowchart with the break set highlighted.")
    ] = CyclesFormat.text,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    debug: Debug = False,
) -> None:
    """Show the import cycles of a package: each tangled component, the few imports whose removal
    makes it acyclic, and a representative cycle through each of them.

    Exits 0 when there is no cycle, 1 when there is one.
    """

    def run() -> int:
        workspace = open_workspace(project_dir, cache_dir=cache_dir, use_cache=not no_cache)
        contract = workspace.contracts.cycles
        packages = package or (contract.packages if contract and contract.packages else None)
        project = workspace.project
        for name in packages or ():
            if name not in project.modules and name not in project.namespace_packages:
                raise UsageError(f"{name} is not a module or package of the project")
        components = project_cycles(
            project,
            packages or project.root_packages,
            exclude_type_checking=contract.exclude_type_checking if contract else True,
            import_time_only=import_time_only,
        )
        workspace.close()
        sys.stdout.write(render_cycles(project, components, format.value))
        return 1 if components else 0

    raise typer.Exit(guarded(run, debug))


def guarded(action: Callable[[], int], debug: bool) -> int:
    """Run a command body, turning every failure into a one-line message and exit code 2."""
    try:
        return action()
    except ImportcanonError as error:
        typer.echo(f"importcanon: error: {error}", err=True)
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
    app()
