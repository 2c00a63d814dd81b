"""The report formats of ``check``, by name, each imported only when asked for (``--help`` and a
plain text run never pay for the XML or SARIF writers)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import NamedTuple, Protocol

from importcanon.application.check import CheckResult
from importcanon.domain.findings import Finding

#: format name -> module under importcanon.adapters.reporting that has ``render(context) -> str``
FORMATS = {
    "text": "text_report",
    "json": "json_report",
    "github": "github_report",
    "sarif": "sarif_report",
    "junit": "junit_report",
    "gitlab": "gitlab_report",
    "markdown": "markdown_report",
}


class ReportContext(NamedTuple):
    """What a report may say beyond the findings themselves."""

    result: CheckResult
    project_root: Path
    elapsed: float | None = None
    contracts: tuple[str, ...] = ()  # the import-linter contracts' names, in configuration order
    prefix: str = ""  # the project directory relative to where CI runs ("" or "sub/dir/")
    quiet: bool = False
    show_baselined: bool = False
    fail_on_stale: bool = False  # fixed violations still in the baseline fail the run, as new ones do

    def repo_path(self, finding: Finding) -> str | None:
        """The finding's file as CI annotations need it: relative to the working directory."""
        return self.prefix + finding.path if finding.path is not None else None


class Renderer(Protocol):
    def __call__(self, context: ReportContext) -> str: ...


def render(name: str, context: ReportContext) -> str:
    module = importlib.import_module(f"importcanon.adapters.reporting.{FORMATS[name]}")
    renderer: Renderer = module.render
    return renderer(context)
